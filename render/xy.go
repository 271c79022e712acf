package render

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kqlkernel/kqlkernel/table"
)

// chunk is how many points one stroke may hold: gonum's rasteriser slows down sharply
// on long self-crossing paths, short strokes keep it linear.
const chunk = 64

// maxPanels is the most panels ysplit=panels draws (the KQL docs' limit).
const maxPanels = 5

// layer is one drawn series after reduction.
type layer struct {
	name   string
	color  color.RGBA
	x, y   []float64
	lo     []float64 // area: lower edge (stacked); nil means the axis baseline
	area   bool
	points bool      // scatter
	flags  []float64 // anomalies: marked where non-zero
	extra  []float64 // y of anomalies appended after a reduced line (see anomalyFrom)
}

func (c *chart) drawXY(t *table.Table) error {
	d, err := resolve(t, c.spec, c.viz)
	if err != nil {
		return err
	}
	kind := strings.ToLower(c.spec.Kind)
	area := c.viz == "areachart" || c.viz == "stackedareachart"
	stacked := c.viz == "stackedareachart" || (area && (kind == "stacked" || kind == "stacked100"))
	percent := area && kind == "stacked100"
	logX := strings.EqualFold(c.spec.XAxis, "log") && (d.xKind == xNumber || d.xKind == xSpan)
	logY := strings.EqualFold(c.spec.YAxis, "log") && !percent
	if logY && stacked {
		logY = false // stacks start at 0, which a log axis cannot show
		c.notes = append(c.notes, "yaxis=log is ignored for stacked areas")
	}

	// Panels: one per y column when asked (ysplit=axes is drawn as panels too).
	groups := [][]*series{d.series}
	split := strings.ToLower(c.spec.YSplit)
	if (split == "panels" || split == "axes") && len(d.yNames) > 1 {
		groups = make([][]*series, min(len(d.yNames), maxPanels))
		for _, s := range d.series {
			if s.yCol < len(groups) {
				groups[s.yCol] = append(groups[s.yCol], s)
			}
		}
		if len(d.yNames) > maxPanels {
			c.notes = append(c.notes, fmt.Sprintf("ysplit: showing the first %d of %d y columns as panels", maxPanels, len(d.yNames)))
		}
		if split == "axes" && len(groups) > 2 {
			c.notes = append(c.notes, "ysplit=axes with more than two y columns is drawn as one panel per y column")
		}
	}
	skipped := 0
	if logY || logX {
		for _, s := range d.series {
			for i := range s.y {
				if (logY && s.y[i] <= 0) || (logX && s.x[i] <= 0) {
					s.y[i] = math.NaN()
					skipped++
				}
			}
		}
	}
	if skipped > 0 {
		c.notes = append(c.notes, fmt.Sprintf("%d values <= 0 are not shown on the log axis", skipped))
	}
	if d.dropped > 0 {
		c.notes = append(c.notes, fmt.Sprintf("showing the first %d of %d series", len(d.series), len(d.series)+d.dropped))
	}
	c.desc = describeXY(c.viz, c.spec.Title, d)

	// x range over every series: reduction buckets and the axis share it
	xlo, xhi := math.Inf(1), math.Inf(-1)
	for _, s := range d.series {
		for i, x := range s.x {
			if (!math.IsNaN(s.y[i]) || c.viz != "scatterchart") && (!logX || x > 0) {
				xlo, xhi = math.Min(xlo, x), math.Max(xhi, x)
			}
		}
	}
	if v, ok := limit(c.spec.XMin); ok && (!logX || v > 0) {
		xlo = v
	}
	if v, ok := limit(c.spec.XMax); ok && (!logX || v > 0) {
		xhi = v
	}
	if xlo > xhi {
		xlo, xhi = xhi, xlo
	}
	buckets := c.pixelWidth()

	colorOf := map[*series]color.RGBA{}
	var entries []legendEntry
	for i, s := range d.series {
		colorOf[s] = seriesColor(i)
		entries = append(entries, legendEntry{s.name, colorOf[s]})
	}
	body := c.frame()
	if len(d.series) > 1 || c.spec.Legend == "visible" {
		body = c.legend(body, entries, d.dropped)
	}
	if len(d.series) == 0 || math.IsInf(xlo, 0) {
		c.emptyMessage(body, "no data points to draw")
		return nil
	}
	layersOf := func(g []*series) []*layer {
		var layers []*layer
		if stacked {
			layers = stackLayers(g, percent, xlo, xhi, buckets)
		} else {
			for _, s := range g {
				l := &layer{name: s.name, area: area, points: c.viz == "scatterchart"}
				switch {
				case l.points:
					l.x, l.y = s.x, s.y
				case c.viz == "anomalychart":
					l.x, l.y, l.flags = s.x, s.y, s.flags
					if len(s.x) > 4*buckets {
						l.x, l.y = reduce(s.x, s.y, xlo, xhi, buckets)
						l.flags = nil
						l.anomalyFrom(s)
					}
				default:
					l.x, l.y = reduce(s.x, s.y, xlo, xhi, buckets)
				}
				layers = append(layers, l)
			}
		}
		for i, l := range layers {
			l.color = colorOf[g[i]]
		}
		return layers
	}
	if split == "axes" && len(groups) == 2 {
		c.drawTwoAxes(body, d, layersOf(groups[0]), layersOf(groups[1]), xlo, xhi, logX, logY, percent, area)
		return nil
	}
	panels := len(groups)
	for pi, g := range groups {
		layers := layersOf(g)
		p := c.newPlot()
		c.xAxis(p, d, logX)
		c.yAxis(p, logY, percent)
		if pi == panels-1 {
			p.X.Label.Text = c.xTitle(d)
		} else {
			p.X.Label.Text = ""
			p.X.Tick.Marker = unlabelled{p.X.Tick.Marker} // the bottom panel labels the shared x axis
		}
		if panels > 1 {
			p.Y.Label.Text = d.yNames[pi]
		} else {
			p.Y.Label.Text = c.yTitle(d)
		}
		c.addLayers(p, layers, logX, logY)
		c.ranges(p, layers, xlo, xhi, logX, logY, percent, area)
		h := (body.Max.Y - body.Min.Y) / vg.Length(panels)
		pc := body
		pc.Max.Y = body.Max.Y - h*vg.Length(pi)
		pc.Min.Y = pc.Max.Y - h
		c.drawPlot(p, pc)
	}
	return nil
}

// drawPlot draws p unless its data area would be empty or unbounded: gonum divides by
// the spread of the tick labels, and on a canvas narrower than its labels that is zero,
// which sends the rasteriser into an endless fill.
func (c *chart) drawPlot(p *plot.Plot, area draw.Canvas) bool {
	dc := p.DataCanvas(area)
	w, h := float64(dc.Max.X-dc.Min.X), float64(dc.Max.Y-dc.Min.Y)
	if !(w >= 4 && h >= 4) || math.IsInf(w, 0) || math.IsInf(h, 0) || !area.Contains(dc.Min) || !area.Contains(dc.Max) {
		c.emptyMessage(area, "too small to draw")
		return false
	}
	p.Draw(area)
	return true
}

// addLayers adds the horizontal grid and the layers to a plot.
func (c *chart) addLayers(p *plot.Plot, layers []*layer, logX, logY bool) {
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = colGrid
	grid.Horizontal.Width = vg.Points(0.75)
	p.Add(grid)
	for _, l := range layers {
		p.Add(&layerPlotter{l: l, logX: logX, logY: logY})
	}
}

// drawTwoAxes draws ysplit=axes for two y columns: the first on the left axis, the second
// on a right axis of its own, each axis title in its series' colour.
func (c *chart) drawTwoAxes(body draw.Canvas, d *chartData, left, right []*layer, xlo, xhi float64, logX, logY, percent, area bool) {
	p := c.newPlot()
	c.xAxis(p, d, logX)
	c.yAxis(p, logY, percent)
	p.X.Label.Text = c.xTitle(d)
	p.Y.Label.Text = d.yNames[0]
	if len(left) > 0 {
		p.Y.Label.TextStyle.Color = left[0].color
	}
	c.addLayers(p, left, logX, logY)
	c.ranges(p, left, xlo, xhi, logX, logY, percent, area)

	q := c.newPlot() // holds the right axis' range and the right layers' transforms
	c.yAxis(q, logY, percent)
	c.ranges(q, right, xlo, xhi, logX, logY, percent, area)
	ticks := q.Y.Tick.Marker.Ticks(q.Y.Min, q.Y.Max)
	lab := c.style(8, colSubtle, false)
	wid := vg.Length(0)
	for _, t := range ticks {
		wid = max(wid, lab.Width(t.Label))
	}
	title := c.style(9, colText, false)
	if len(right) > 0 {
		title.Color = right[0].color
	}
	reserve := wid + title.Height("Ag") + vg.Points(10)
	pc := body
	pc.Max.X -= reserve
	if !c.drawPlot(p, pc) {
		return
	}
	dc := p.DataCanvas(pc)
	q.X = p.X
	for _, l := range right {
		(&layerPlotter{l: l, logX: logX, logY: logY}).Plot(dc, q)
	}
	lab.XAlign, lab.YAlign = draw.XLeft, draw.YCenter
	for _, t := range ticks {
		if t.Label == "" || t.Value < q.Y.Min || t.Value > q.Y.Max {
			continue
		}
		y := dc.Y(q.Y.Norm(t.Value))
		body.FillText(lab, vg.Point{X: dc.Max.X + vg.Points(4), Y: y}, t.Label)
	}
	title.Rotation = -math.Pi / 2
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	body.FillText(title, vg.Point{X: body.Max.X, Y: (dc.Min.Y + dc.Max.Y) / 2}, d.yNames[1])
}

// anomalyFrom keeps the anomalies of a reduced series: they are few, and each must show.
func (l *layer) anomalyFrom(s *series) {
	l.flags = make([]float64, len(l.x))
	for i, f := range s.flags {
		if f != 0 && !math.IsNaN(f) && !math.IsNaN(s.y[i]) {
			l.x = append(l.x, s.x[i])
			l.y = append(l.y, math.NaN()) // not part of the line...
			l.flags = append(l.flags, f)
			l.extra = append(l.extra, s.y[i]) // ...but marked at its value
		}
	}
}

// limit reads an xmin/xmax property: a number or a datetime.
func limit(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case table.DateTime:
		return ticksToUnix(int64(x)), true
	case table.TimeSpan:
		return float64(x) / 1e7, true
	case *float64:
		if x != nil {
			return *x, true
		}
	}
	return 0, false
}

// stackLayers puts series on one shared x grid (missing points count as 0) and stacks
// them; with percent each x sums to 100.
func stackLayers(g []*series, percent bool, xlo, xhi float64, buckets int) []*layer {
	var xs []float64
	for _, s := range g {
		xs = append(xs, s.x...)
	}
	sort.Float64s(xs)
	uniq := xs[:0]
	for i, x := range xs {
		if i == 0 || x != uniq[len(uniq)-1] {
			uniq = append(uniq, x)
		}
	}
	xs = uniq
	at := make(map[float64]int, len(xs))
	for i, x := range xs {
		at[x] = i
	}
	vals := make([][]float64, len(g))
	for si, s := range g {
		v := make([]float64, len(xs))
		for i, x := range s.x {
			if y := s.y[i]; !math.IsNaN(y) {
				v[at[x]] += y
			}
		}
		vals[si] = v
	}
	if percent {
		for i := range xs {
			tot := 0.0
			for _, v := range vals {
				tot += math.Abs(v[i])
			}
			if tot > 0 {
				for _, v := range vals {
					v[i] = v[i] / tot * 100
				}
			}
		}
	}
	layers := make([]*layer, len(g))
	lower := make([]float64, len(xs))
	for si, s := range g {
		upper := make([]float64, len(xs))
		for i := range xs {
			upper[i] = lower[i] + vals[si][i]
		}
		l := &layer{name: s.name, area: true}
		l.x, l.y = reduceMean(xs, upper, xlo, xhi, buckets)
		_, l.lo = reduceMean(xs, lower, xlo, xhi, buckets)
		layers[si] = l
		lower = upper
	}
	return layers
}

// newPlot returns a plot in the ADX look: no title (the chart draws it), grey axes,
// Liberation Sans, no vertical axis line.
func (c *chart) newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Color = colAxis
		a.LineStyle.Width = vg.Points(0.75)
		a.Tick.LineStyle.Color = colAxis
		a.Tick.LineStyle.Width = vg.Points(0.75)
		a.Tick.Length = vg.Points(3)
		tl := c.style(8, colSubtle, false)
		a.Tick.Label.Color, a.Tick.Label.Font, a.Tick.Label.Handler = tl.Color, tl.Font, tl.Handler
		lb := c.style(9, colText, false)
		a.Label.TextStyle.Color, a.Label.TextStyle.Font, a.Label.TextStyle.Handler = lb.Color, lb.Font, lb.Handler
		a.Padding = vg.Points(2)
	}
	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	return p
}

func (c *chart) xTitle(d *chartData) string {
	if c.spec.XTitle != "" {
		return c.spec.XTitle
	}
	if d.xKind == xTime {
		return d.xName + " (UTC)"
	}
	return d.xName
}

func (c *chart) yTitle(d *chartData) string {
	if c.spec.YTitle != "" {
		return c.spec.YTitle
	}
	if len(d.yNames) == 1 {
		return d.yNames[0]
	}
	return ""
}

func (c *chart) xAxis(p *plot.Plot, d *chartData, logX bool) {
	n := max(2, c.opts.Width/130)
	switch {
	case logX:
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicker{}
	case d.xKind == xTime:
		p.X.Tick.Marker = timeTicker{n: n}
	case d.xKind == xSpan:
		p.X.Tick.Marker = spanTicker{n: n}
	case d.xKind == xCategory:
		p.X.Tick.Marker = categoryTicker{labels: d.categories, max: max(2, c.opts.Width/90)}
	default:
		p.X.Tick.Marker = numberTicker{n: n}
	}
}

func (c *chart) yAxis(p *plot.Plot, logY, percent bool) {
	n := max(2, c.opts.Height/80)
	switch {
	case logY:
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicker{}
	default:
		p.Y.Tick.Marker = numberTicker{n: n, percent: percent}
	}
}

// ranges sets the axes: data extent, 0 included where bars or areas stand on it, round
// ends, then the spec's ymin/ymax/xmin/xmax.
func (c *chart) ranges(p *plot.Plot, layers []*layer, xlo, xhi float64, logX, logY, percent, area bool) {
	ylo, yhi := math.Inf(1), math.Inf(-1)
	see := func(v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) && (!logY || v > 0) {
			ylo, yhi = math.Min(ylo, v), math.Max(yhi, v)
		}
	}
	for _, l := range layers {
		for _, v := range l.y {
			see(v)
		}
		for _, v := range l.extra {
			see(v)
		}
		for _, v := range l.lo {
			see(v)
		}
	}
	if math.IsInf(ylo, 0) {
		ylo, yhi = 0, 1
		if logY {
			ylo = 1
			yhi = 10
		}
	}
	switch {
	case logY:
		ylo = math.Pow(10, math.Floor(math.Log10(ylo)))
		yhi = math.Pow(10, math.Ceil(math.Log10(yhi)))
		if yhi <= ylo {
			yhi = ylo * 10
		}
	case percent:
		ylo, yhi = 0, 100
	default:
		if ylo > 0 && (area || ylo < yhi/2) {
			ylo = 0
		}
		if yhi < 0 && (area || yhi > ylo/2) {
			yhi = 0
		}
		if yhi > 0 && yhi > ylo {
			yhi += (yhi - ylo) * 0.02 // headroom: a peak (and its anomaly dot) is not cut by the frame
		}
		ylo, yhi = niceRange(ylo, yhi, max(2, c.opts.Height/80))
	}
	if c.spec.YMin != nil {
		ylo = *c.spec.YMin
	}
	if c.spec.YMax != nil {
		yhi = *c.spec.YMax
	}
	if logY && ylo <= 0 {
		ylo = math.Min(1, yhi/10)
	}
	switch {
	case xlo == xhi && logX:
		xlo, xhi = xlo/10, xhi*10
	case xlo == xhi:
		xlo, xhi = xlo-1, xhi+1
	}
	if !(yhi > ylo) { // a ymin above the data, or a flat log range
		if logY {
			yhi = ylo * 10
		} else {
			yhi = ylo + math.Max(1, math.Abs(ylo)*0.1)
		}
	}
	p.X.Min, p.X.Max = xlo, xhi
	p.Y.Min, p.Y.Max = ylo, yhi
}

// layerPlotter draws a layer: chunked strokes split at nulls, filled areas in chunks,
// points, and anomaly markers.
type layerPlotter struct {
	l          *layer
	logX, logY bool
}

func (lp *layerPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	l := lp.l
	trX, trY := p.Transforms(&c)
	ok := func(x, y float64) bool {
		return !math.IsNaN(y) && !math.IsInf(y, 0) && (!lp.logY || y > 0) && (!lp.logX || x > 0)
	}
	if l.points {
		lp.plotPoints(c, trX, trY, ok)
		return
	}
	line := draw.LineStyle{Color: l.color, Width: vg.Points(1.5)}
	if l.area {
		line.Width = vg.Points(1)
		// color.RGBA is premultiplied: a translucent fill must be NRGBA
		fill := color.NRGBA{R: l.color.R, G: l.color.G, B: l.color.B, A: 0x59}
		if l.lo != nil {
			fill.A = 0xD9
		}
		base := c.Min.Y
		if !lp.logY {
			base = clampLen(trY(0), c.Min.Y, c.Max.Y)
		}
		runs(l.x, l.y, ok, func(from, to int) {
			for s := from; s < to-1; s += chunk - 1 {
				e := min(s+chunk, to)
				poly := make([]vg.Point, 0, 2*(e-s)+2)
				for i := s; i < e; i++ {
					poly = append(poly, vg.Point{X: trX(l.x[i]), Y: trY(l.y[i])})
				}
				for i := e - 1; i >= s; i-- {
					y := base
					if l.lo != nil {
						y = trY(l.lo[i])
					}
					poly = append(poly, vg.Point{X: trX(l.x[i]), Y: y})
				}
				if cl := c.ClipPolygonXY(poly); len(cl) > 2 {
					c.FillPolygon(fill, cl)
				}
			}
		})
	}
	n := len(l.x)
	if l.flags != nil && len(l.extra) > 0 {
		n = len(l.x) - len(l.extra)
	}
	runs(l.x[:n], l.y[:n], ok, func(from, to int) {
		if to-from == 1 { // a lone point between nulls: show it as a dot
			pt := vg.Point{X: trX(l.x[from]), Y: trY(l.y[from])}
			if c.Contains(pt) {
				c.DrawGlyph(draw.GlyphStyle{Color: l.color, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}, pt)
			}
			return
		}
		for s := from; s < to-1; s += chunk - 1 {
			e := min(s+chunk, to)
			pts := make([]vg.Point, 0, e-s)
			for i := s; i < e; i++ {
				pts = append(pts, vg.Point{X: trX(l.x[i]), Y: trY(l.y[i])})
			}
			c.StrokeLines(line, c.ClipLinesXY(pts)...)
		}
	})
	if l.flags != nil {
		mark := draw.GlyphStyle{Color: colAnomaly, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		for i, f := range l.flags {
			if f == 0 || math.IsNaN(f) {
				continue
			}
			y := l.y[i]
			if i >= n {
				y = l.extra[i-n]
			}
			if !ok(l.x[i], y) {
				continue
			}
			pt := vg.Point{X: trX(l.x[i]), Y: trY(y)}
			if c.Contains(pt) {
				c.DrawGlyph(mark, pt)
			}
		}
	}
}

// plotPoints draws a scatter layer, at most one dot per point of the canvas (a point is
// about 1.3 device pixels at 96 dpi): a million points cost a million bit tests, not a
// million circles.
func (lp *layerPlotter) plotPoints(c draw.Canvas, trX, trY func(float64) vg.Length, ok func(x, y float64) bool) {
	l := lp.l
	sty := draw.GlyphStyle{Color: l.color, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
	w := int(c.Max.X-c.Min.X) + 1
	h := int(c.Max.Y-c.Min.Y) + 1
	if w <= 0 || h <= 0 {
		return
	}
	seen := make([]uint64, (w*h+63)/64)
	for i := range l.x {
		if !ok(l.x[i], l.y[i]) {
			continue
		}
		pt := vg.Point{X: trX(l.x[i]), Y: trY(l.y[i])}
		if !c.Contains(pt) {
			continue
		}
		px, py := int(pt.X-c.Min.X), int(pt.Y-c.Min.Y)
		if px < 0 || py < 0 || px >= w || py >= h {
			continue
		}
		k := py*w + px
		if seen[k>>6]&(1<<(k&63)) != 0 {
			continue
		}
		seen[k>>6] |= 1 << (k & 63)
		c.DrawGlyph(sty, pt)
	}
}

// runs calls f for each maximal run [from, to) of drawable points.
func runs(xs, ys []float64, ok func(x, y float64) bool, f func(from, to int)) {
	start := -1
	for i := range xs {
		if ok(xs[i], ys[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			f(start, i)
			start = -1
		}
	}
	if start >= 0 {
		f(start, len(xs))
	}
}

func clampLen(v, lo, hi vg.Length) vg.Length {
	return max(lo, min(hi, v))
}

// emptyMessage writes a centred note where a chart would be.
func (c *chart) emptyMessage(area draw.Canvas, msg string) {
	sty := c.style(11, colSubtle, false)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	area.FillText(sty, area.Center(), msg)
}

// describeXY is the text/plain alternative of a line, area, scatter or anomaly chart.
func describeXY(viz, title string, d *chartData) string {
	var b strings.Builder
	b.WriteString(viz)
	if title != "" {
		fmt.Fprintf(&b, " %q", title)
	}
	fmt.Fprintf(&b, ": %d series", len(d.series)+d.dropped)
	what := strings.Join(d.yNames, ", ")
	if len(d.seriesCols) > 0 {
		what += " by " + strings.Join(d.seriesCols, ", ")
	}
	fmt.Fprintf(&b, " (%s) over %s, %d points", what, d.xName, d.points)
	names := make([]string, 0, min(len(d.series), 8))
	for i, s := range d.series {
		if i == 8 {
			names = append(names, "…")
			break
		}
		names = append(names, s.name)
	}
	if len(names) > 0 {
		b.WriteString("; series: " + strings.Join(names, ", "))
	}
	return b.String()
}
