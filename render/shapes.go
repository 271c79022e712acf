package render

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kqlkernel/kqlkernel/table"
)

// maxSlices bounds a pie, maxTiles a treemap; the smallest rest become "Other".
const (
	maxSlices = 12
	maxTiles  = 40
)

// slice is one labelled share of a pie or treemap.
type slice struct {
	label string
	value float64
}

// slicesOf sums the first y column per label (category, and series when there is one);
// non-positive and null values can't be a share and are counted in a note.
func (c *chart) slicesOf(t *table.Table, limit int) ([]slice, *chartData, error) {
	d, err := resolve(t, c.spec, c.viz)
	if err != nil {
		return nil, nil, err
	}
	index := map[string]int{}
	var out []slice
	skipped := 0
	for _, s := range d.series {
		if s.yCol != 0 {
			continue
		}
		for i, x := range s.x {
			v := s.y[i]
			if math.IsNaN(v) || v <= 0 {
				skipped++
				continue
			}
			label := d.categories[int(x)]
			if len(d.seriesCols) > 0 {
				label += ", " + s.name
			}
			k, ok := index[label]
			if !ok {
				k = len(out)
				index[label] = k
				out = append(out, slice{label: label})
			}
			out[k].value += v
		}
	}
	if skipped > 0 {
		c.notes = append(c.notes, fmt.Sprintf("%d null, zero or negative values are not shown", skipped))
	}
	if len(d.yNames) > 1 {
		c.notes = append(c.notes, fmt.Sprintf("sized by %s; other numeric columns are not shown", d.yNames[0]))
	}
	if len(out) > limit {
		rest := append([]slice(nil), out...)
		sort.SliceStable(rest, func(a, b int) bool { return rest[a].value > rest[b].value })
		keep := map[string]bool{}
		for _, s := range rest[:limit-1] {
			keep[s.label] = true
		}
		var kept []slice
		other := slice{}
		n := 0
		for _, s := range out {
			if keep[s.label] {
				kept = append(kept, s)
			} else {
				other.value += s.value
				n++
			}
		}
		other.label = fmt.Sprintf("Other (%d)", n)
		out = append(kept, other)
	}
	return out, d, nil
}

func describeSlices(viz, title string, d *chartData, sl []slice) string {
	var b strings.Builder
	b.WriteString(viz)
	if title != "" {
		fmt.Fprintf(&b, " %q", title)
	}
	tot := 0.0
	for _, s := range sl {
		tot += s.value
	}
	fmt.Fprintf(&b, ": %s by %s, %d slices", d.yNames[0], d.xName, len(sl))
	parts := make([]string, 0, len(sl))
	for _, s := range sl {
		parts = append(parts, fmt.Sprintf("%s=%s (%.1f%%)", s.label, table.FormatReal(s.value), 100*s.value/tot))
	}
	if len(parts) > 0 {
		b.WriteString("; " + strings.Join(parts, ", "))
	}
	return b.String()
}

// drawPie draws a pie by hand (gonum has none): slices clockwise from twelve o'clock,
// white separators, percentages on slices big enough to hold them, legend on the right.
func (c *chart) drawPie(t *table.Table) error {
	sl, d, err := c.slicesOf(t, maxSlices)
	if err != nil {
		return err
	}
	c.desc = describeSlices(c.viz, c.spec.Title, d, sl)
	tot := 0.0
	for _, s := range sl {
		tot += s.value
	}
	entries := make([]legendEntry, len(sl))
	for i, s := range sl {
		entries[i] = legendEntry{fmt.Sprintf("%s (%.1f%%)", s.label, 100*s.value/tot), seriesColor(i)}
	}
	body := c.frame()
	if c.spec.Legend != "hidden" {
		body = c.legend(body, entries, 0)
	}
	if len(sl) == 0 {
		c.emptyMessage(body, "no positive values to draw")
		return nil
	}
	ctr := body.Center()
	r := min(body.Max.X-body.Min.X, body.Max.Y-body.Min.Y)/2 - vg.Points(6)
	if r <= 0 {
		return nil
	}
	angle := math.Pi / 2 // twelve o'clock, going clockwise
	white := draw.LineStyle{Color: color.White, Width: vg.Points(1)}
	label := c.style(9, color.White, true)
	label.XAlign, label.YAlign = draw.XCenter, draw.YCenter
	for i, s := range sl {
		sweep := 2 * math.Pi * s.value / tot
		steps := max(2, int(sweep/(math.Pi/90))+1)
		poly := make([]vg.Point, 0, steps+2)
		poly = append(poly, ctr)
		for k := 0; k <= steps; k++ {
			a := angle - sweep*float64(k)/float64(steps)
			poly = append(poly, vg.Point{X: ctr.X + r*vg.Length(math.Cos(a)), Y: ctr.Y + r*vg.Length(math.Sin(a))})
		}
		body.FillPolygon(seriesColor(i), poly)
		if len(sl) > 1 {
			body.StrokeLines(white, []vg.Point{ctr, poly[1]}, []vg.Point{ctr, poly[len(poly)-1]})
		}
		if share := s.value / tot; share >= 0.04 {
			mid := angle - sweep/2
			pt := vg.Point{X: ctr.X + r*0.65*vg.Length(math.Cos(mid)), Y: ctr.Y + r*0.65*vg.Length(math.Sin(mid))}
			body.FillText(label, pt, fmt.Sprintf("%.0f%%", 100*share))
		}
		angle -= sweep
	}
	return nil
}

// drawCard shows the first row's values large, one card per column (at most 6).
func (c *chart) drawCard(t *table.Table) error {
	cols := t.Columns
	if len(c.spec.YColumns) > 0 {
		cols = nil
		for _, n := range c.spec.YColumns {
			i := t.Index(n)
			if i < 0 {
				return fmt.Errorf("render card: ycolumns %q is not a column of the result", n)
			}
			cols = append(cols, t.Columns[i])
		}
	}
	if len(cols) == 0 {
		return fmt.Errorf("render card: the result has no columns")
	}
	if len(cols) > 6 {
		c.notes = append(c.notes, fmt.Sprintf("showing the first 6 of %d columns", len(cols)))
		cols = cols[:6]
	}
	rows := t.Rows()
	if rows > 1 {
		c.notes = append(c.notes, fmt.Sprintf("card shows the first of %d rows", rows))
	}
	values := make([]string, len(cols))
	var desc []string
	for i, col := range cols {
		v := "—"
		if rows > 0 && col.Data != nil && (col.Type == table.TypeString || !col.Data.IsNull(0)) {
			v = cardValue(col.Data.At(0))
		}
		values[i] = v
		desc = append(desc, col.Name+"="+v)
	}
	c.desc = "card"
	if c.spec.Title != "" {
		c.desc += fmt.Sprintf(" %q", c.spec.Title)
	}
	c.desc += ": " + strings.Join(desc, ", ")
	body := c.frame()
	w := (body.Max.X - body.Min.X) / vg.Length(len(cols))
	for i, col := range cols {
		cell := body
		cell.Min.X = body.Min.X + w*vg.Length(i)
		cell.Max.X = cell.Min.X + w
		size := vg.Length(40)
		sty := c.style(size, rgb(0x0078D4), true)
		for sty.Width(values[i]) > w-vg.Points(12) && size > 10 {
			size -= 2
			sty = c.style(size, rgb(0x0078D4), true)
		}
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		ctr := cell.Center()
		body.FillText(sty, vg.Point{X: ctr.X, Y: ctr.Y + vg.Points(6)}, fitText(sty, values[i], w-vg.Points(8)))
		name := c.style(10, colSubtle, false)
		name.XAlign, name.YAlign = draw.XCenter, draw.YTop
		body.FillText(name, vg.Point{X: ctr.X, Y: ctr.Y - size/2}, fitText(name, col.Name, w-vg.Points(8)))
	}
	return nil
}

// cardValue formats a card's number with thousands separators.
func cardValue(x any) string {
	switch v := x.(type) {
	case int64:
		return groupDigits(strconv.FormatInt(v, 10))
	case int32:
		return groupDigits(strconv.FormatInt(int64(v), 10))
	case float64:
		if math.Abs(v) < 1e15 && !math.IsNaN(v) && !math.IsInf(v, 0) {
			s := strconv.FormatFloat(v, 'f', -1, 64)
			if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i > 4 {
				s = strconv.FormatFloat(v, 'f', 3, 64)
			}
			ip, frac, _ := strings.Cut(s, ".")
			if frac != "" {
				return groupDigits(ip) + "." + frac
			}
			return groupDigits(ip)
		}
	}
	return table.Format(x)
}

func groupDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// drawTreemap lays slices out as a squarified treemap (Bruls, Huizing, van Wijk).
func (c *chart) drawTreemap(t *table.Table) error {
	sl, d, err := c.slicesOf(t, maxTiles)
	if err != nil {
		return err
	}
	c.desc = describeSlices(c.viz, c.spec.Title, d, sl)
	if len(d.seriesCols) > 0 {
		c.notes = append(c.notes, "levels are flattened into one (label, series)")
	}
	body := c.frame()
	if len(sl) == 0 {
		c.emptyMessage(body, "no positive values to draw")
		return nil
	}
	sort.SliceStable(sl, func(a, b int) bool { return sl[a].value > sl[b].value })
	rects := squarify(sl, body.Rectangle)
	white := draw.LineStyle{Color: color.White, Width: vg.Points(1.5)}
	for i, r := range rects {
		body.SetColor(seriesColor(i))
		body.Fill(r.Path())
		body.StrokeLines(white, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
		sty := c.style(9, color.White, true)
		w := r.Max.X - r.Min.X - vg.Points(8)
		if w > vg.Points(20) && r.Max.Y-r.Min.Y > vg.Points(28) {
			body.FillText(sty, vg.Point{X: r.Min.X + vg.Points(4), Y: r.Max.Y - vg.Points(13)}, fitText(sty, sl[i].label, w))
			sv := c.style(8, color.White, false)
			body.FillText(sv, vg.Point{X: r.Min.X + vg.Points(4), Y: r.Max.Y - vg.Points(24)}, fitText(sv, cardValue(sl[i].value), w))
		}
	}
	return nil
}

// squarify returns one rectangle per slice (sorted by value, largest first) tiling area.
func squarify(sl []slice, area vg.Rectangle) []vg.Rectangle {
	tot := 0.0
	for _, s := range sl {
		tot += s.value
	}
	out := make([]vg.Rectangle, 0, len(sl))
	rect := area
	scale := float64((area.Max.X-area.Min.X)*(area.Max.Y-area.Min.Y)) / tot
	i := 0
	for i < len(sl) {
		w := float64(rect.Max.X - rect.Min.X)
		h := float64(rect.Max.Y - rect.Min.Y)
		side := math.Min(w, h)
		// grow the row while the worst aspect ratio improves
		j, sum := i, 0.0
		worst := math.Inf(1)
		for j < len(sl) {
			a := sl[j].value * scale
			ns := sum + a
			mx, mn := 0.0, math.Inf(1)
			for k := i; k <= j; k++ {
				v := sl[k].value * scale
				mx, mn = math.Max(mx, v), math.Min(mn, v)
			}
			wr := math.Max(side*side*mx/(ns*ns), ns*ns/(side*side*mn))
			if wr > worst {
				break
			}
			worst, sum = wr, ns
			j++
		}
		thick := sum / side
		pos := 0.0
		for k := i; k < j; k++ {
			l := sl[k].value * scale / thick
			var r vg.Rectangle
			if w >= h { // column on the left
				r = vg.Rectangle{Min: vg.Point{X: rect.Min.X, Y: rect.Max.Y - vg.Length(pos+l)}, Max: vg.Point{X: rect.Min.X + vg.Length(thick), Y: rect.Max.Y - vg.Length(pos)}}
			} else { // row on top
				r = vg.Rectangle{Min: vg.Point{X: rect.Min.X + vg.Length(pos), Y: rect.Max.Y - vg.Length(thick)}, Max: vg.Point{X: rect.Min.X + vg.Length(pos+l), Y: rect.Max.Y}}
			}
			out = append(out, r)
			pos += l
		}
		if w >= h {
			rect.Min.X += vg.Length(thick)
		} else {
			rect.Max.Y -= vg.Length(thick)
		}
		i = j
	}
	return out
}

// maxLanes bounds ladder and timepivot lanes.
const maxLanes = 40

// span is one bar (or, when start == end, one event) in a lane.
type span struct {
	lane       int
	start, end float64
}

// drawLadder: the last two columns are each row's start and end, the others name its
// lane; every row is a bar from start to end.
func (c *chart) drawLadder(t *table.Table) error {
	n := len(t.Columns)
	if n < 2 {
		return fmt.Errorf("render ladderchart: needs a start and an end column (the last two), got %d columns", n)
	}
	si, ei := n-2, n-1
	if c.spec.XColumn != "" && len(c.spec.YColumns) > 0 {
		// xcolumn and ycolumns[0] name start and end when given
		si, ei = t.Index(c.spec.XColumn), t.Index(c.spec.YColumns[0])
		if si < 0 || ei < 0 {
			return fmt.Errorf("render ladderchart: xcolumn/ycolumns name no column of the result")
		}
	}
	var laneCols []int
	for i := range t.Columns {
		if i != si && i != ei {
			laneCols = append(laneCols, i)
		}
	}
	kind := xNumber
	if t.Columns[si].Type == table.TypeDateTime {
		kind = xTime
	}
	lanes, spans := c.laneSpans(t, laneCols, func(r int) (float64, float64) {
		return numAt(t.Columns[si].Data, r), numAt(t.Columns[ei].Data, r)
	})
	c.desc = fmt.Sprintf("ladderchart: %d bars in %d lanes, from %s to %s", len(spans), len(lanes), t.Columns[si].Name, t.Columns[ei].Name)
	return c.drawLanes(lanes, spans, kind, t.Columns[si].Name)
}

// drawTimepivot draws an event timeline: one lane per value of the other (text) columns,
// one mark per row at its time. Kusto.Explorer's pivoting is interactive; this is its
// static view.
func (c *chart) drawTimepivot(t *table.Table) error {
	cols := describe(t)
	x := -1
	if c.spec.XColumn != "" {
		x = t.Index(c.spec.XColumn)
	} else {
		x = inferX(cols, "timepivot")
	}
	if x < 0 {
		return fmt.Errorf("render timepivot: no datetime column for the time line (columns: %s)", columnList(cols))
	}
	var laneCols []int
	for _, n := range c.spec.Series {
		if i := t.Index(n); i >= 0 {
			laneCols = append(laneCols, i)
		}
	}
	if len(laneCols) == 0 {
		for _, ci := range cols {
			if ci.idx != x && ci.seriesLike() {
				laneCols = append(laneCols, ci.idx)
			}
		}
	}
	lanes, spans := c.laneSpans(t, laneCols, func(r int) (float64, float64) {
		v := numAt(t.Columns[x].Data, r)
		return v, v
	})
	c.notes = append(c.notes, "timepivot: static event timeline (Kusto.Explorer's pivoting is interactive)")
	c.desc = fmt.Sprintf("timepivot: %d events in %d lanes over %s", len(spans), len(lanes), t.Columns[x].Name)
	return c.drawLanes(lanes, spans, xTime, t.Columns[x].Name)
}

func (c *chart) laneSpans(t *table.Table, laneCols []int, at func(r int) (float64, float64)) ([]string, []span) {
	index := map[string]int{}
	var lanes []string
	var spans []span
	dropped := 0
	for r := 0; r < t.Rows(); r++ {
		key := "all rows"
		if len(laneCols) > 0 {
			parts := make([]string, len(laneCols))
			for j, ci := range laneCols {
				parts[j] = labelOf(t.Columns[ci].Data, r)
			}
			key = strings.Join(parts, ", ")
		}
		li, ok := index[key]
		if !ok {
			if len(lanes) >= maxLanes {
				dropped++
				continue
			}
			li = len(lanes)
			index[key] = li
			lanes = append(lanes, key)
		}
		s, e := at(r)
		if math.IsNaN(s) || math.IsNaN(e) {
			continue
		}
		if e < s {
			s, e = e, s
		}
		spans = append(spans, span{li, s, e})
	}
	if dropped > 0 {
		c.notes = append(c.notes, fmt.Sprintf("showing the first %d lanes; %d rows in further lanes are not shown", maxLanes, dropped))
	}
	return lanes, spans
}

func (c *chart) drawLanes(lanes []string, spans []span, kind xKind, xName string) error {
	body := c.frame()
	if len(spans) == 0 {
		c.emptyMessage(body, "no rows with a time to draw")
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range spans {
		lo, hi = math.Min(lo, s.start), math.Max(hi, s.end)
	}
	if v, ok := limit(c.spec.XMin); ok {
		lo = v
	}
	if v, ok := limit(c.spec.XMax); ok {
		hi = v
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	p := c.newPlot()
	if kind == xTime {
		p.X.Tick.Marker = timeTicker{n: max(2, c.opts.Width/130)}
		p.X.Label.Text = xName + " (UTC)"
	} else {
		p.X.Tick.Marker = numberTicker{n: 5}
		p.X.Label.Text = xName
	}
	if c.spec.XTitle != "" {
		p.X.Label.Text = c.spec.XTitle
	}
	p.Y.Label.Text = c.spec.YTitle
	p.Y.Tick.Marker = categoryTicker{labels: lanes, max: max(2, c.opts.Height/16), invert: true}
	p.Y.Min, p.Y.Max = -0.5, float64(len(lanes))-0.5
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	grid.Vertical.Color = colGrid
	p.Add(grid, &lanePlotter{spans: spans, n: len(lanes)})
	p.X.Min, p.X.Max = lo, hi
	c.drawPlot(p, body)
	return nil
}

type lanePlotter struct {
	spans []span
	n     int
}

func (lp *lanePlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	seen := map[[2]int32]bool{} // one event mark per lane and pixel column
	for _, s := range lp.spans {
		pos := float64(lp.n - 1 - s.lane)
		y0, y1 := trY(pos-0.35), trY(pos+0.35)
		x0, x1 := trX(s.start), trX(s.end)
		if x1-x0 < vg.Points(1.5) {
			k := [2]int32{int32(s.lane), int32(x0)}
			if seen[k] {
				continue
			}
			seen[k] = true
			mid := (x0 + x1) / 2
			x0, x1 = mid-vg.Points(0.75), mid+vg.Points(0.75)
		}
		rect := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		if cl := c.ClipPolygonXY(rect); len(cl) > 2 {
			c.FillPolygon(seriesColor(s.lane), cl)
		}
	}
}
