package render

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kqlkernel/kqlkernel/table"
)

// maxCategories bounds the bars of one chart; more would be thinner than a pixel.
const maxCategories = 500

// drawBars draws barchart (horizontal), columnchart and pivotchart (vertical): one group
// per category, one bar per series, or stacked (kind=stacked, stacked100).
func (c *chart) drawBars(t *table.Table) error {
	d, err := resolve(t, c.spec, c.viz)
	if err != nil {
		return err
	}
	horizontal := c.viz == "barchart"
	kind := strings.ToLower(c.spec.Kind)
	stacked := kind == "stacked" || kind == "stacked100"
	percent := kind == "stacked100"
	if c.viz == "pivotchart" {
		c.notes = append(c.notes, "pivotchart is interactive in Kusto.Explorer; shown here as a column chart")
	}
	ncat := len(d.categories)
	if ncat > maxCategories {
		c.notes = append(c.notes, fmt.Sprintf("showing the first %d of %d categories", maxCategories, ncat))
		ncat = maxCategories
	}
	if d.dropped > 0 {
		c.notes = append(c.notes, fmt.Sprintf("showing the first %d of %d series", len(d.series), len(d.series)+d.dropped))
	}
	// values[s][cat]: rows of the same series and category add up
	values := make([][]float64, len(d.series))
	for si, s := range d.series {
		v := make([]float64, ncat)
		for i := range v {
			v[i] = math.NaN()
		}
		for i, x := range s.x {
			ci := int(x)
			if ci >= ncat || math.IsNaN(s.y[i]) {
				continue
			}
			if math.IsNaN(v[ci]) {
				v[ci] = 0
			}
			v[ci] += s.y[i]
		}
		values[si] = v
	}
	if percent {
		for ci := 0; ci < ncat; ci++ {
			tot := 0.0
			for _, v := range values {
				if !math.IsNaN(v[ci]) {
					tot += math.Abs(v[ci])
				}
			}
			for _, v := range values {
				if tot > 0 && !math.IsNaN(v[ci]) {
					v[ci] = v[ci] / tot * 100
				}
			}
		}
	}
	logV := strings.EqualFold(c.spec.YAxis, "log") && !percent && !stacked
	skipped := 0
	if logV {
		for _, v := range values {
			for i := range v {
				if v[i] <= 0 {
					v[i] = math.NaN()
					skipped++
				}
			}
		}
		if skipped > 0 {
			c.notes = append(c.notes, fmt.Sprintf("%d values <= 0 are not shown on the log axis", skipped))
		}
	}
	c.desc = describeBars(c.viz, c.spec.Title, d, ncat)

	var entries []legendEntry
	for i, s := range d.series {
		entries = append(entries, legendEntry{s.name, seriesColor(i)})
	}
	body := c.frame()
	if len(d.series) > 1 || c.spec.Legend == "visible" {
		body = c.legend(body, entries, d.dropped)
	}
	if ncat == 0 {
		c.emptyMessage(body, "no data points to draw")
		return nil
	}
	bp := &barPlotter{values: values, horizontal: horizontal, stacked: stacked, log: logV, ncat: ncat}
	lo, hi := bp.extent()
	switch {
	case percent:
		lo, hi = 0, 100
	case logV:
		if math.IsInf(lo, 0) {
			lo, hi = 1, 10
		}
		lo = math.Pow(10, math.Floor(math.Log10(lo)))
		hi = math.Pow(10, math.Ceil(math.Log10(hi)))
		if hi <= lo {
			hi = lo * 10
		}
	default:
		lo, hi = niceRange(math.Min(lo, 0), math.Max(hi, 0), 5)
	}
	if c.spec.YMin != nil {
		lo = *c.spec.YMin
	}
	if c.spec.YMax != nil {
		hi = *c.spec.YMax
	}
	if logV && lo <= 0 {
		lo = math.Min(1, hi/10)
	}
	if !(hi > lo) { // a ymin above the data
		if logV {
			hi = lo * 10
		} else {
			hi = lo + math.Max(1, math.Abs(lo)*0.1)
		}
	}

	p := c.newPlot()
	cat, val := &p.X, &p.Y
	if horizontal {
		cat, val = &p.Y, &p.X
		p.Y.LineStyle.Width = vg.Points(0.75)
		p.X.LineStyle.Width = 0
		p.X.Tick.Length = 0
		p.Y.Tick.Length = vg.Points(3)
	}
	labels := d.categories[:ncat]
	c.categoryLabels(cat, labels, body, horizontal)
	if logV {
		val.Scale = plot.LogScale{}
		val.Tick.Marker = logTicker{}
	} else {
		val.Tick.Marker = numberTicker{n: 5, percent: percent}
	}
	val.Min, val.Max = lo, hi
	xt, yt := c.spec.XTitle, c.spec.YTitle
	if xt == "" {
		xt = d.xName
	}
	if yt == "" && len(d.yNames) == 1 {
		yt = d.yNames[0]
	}
	cat.Label.Text, val.Label.Text = xt, yt
	grid := plotter.NewGrid()
	if horizontal {
		grid.Horizontal.Color = nil
		grid.Vertical.Color = colGrid
	} else {
		grid.Vertical.Color = nil
		grid.Horizontal.Color = colGrid
	}
	p.Add(grid, bp)
	c.drawPlot(p, body)
	return nil
}

// barPlotter draws grouped or stacked bars.
type barPlotter struct {
	values     [][]float64 // [series][category]
	ncat       int
	horizontal bool
	stacked    bool
	log        bool
}

// extent is the smallest and largest value a bar reaches.
func (bp *barPlotter) extent() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for ci := 0; ci < bp.ncat; ci++ {
		pos, neg := 0.0, 0.0
		for _, v := range bp.values {
			x := v[ci]
			if math.IsNaN(x) {
				continue
			}
			if bp.stacked {
				if x >= 0 {
					pos += x
				} else {
					neg += x
				}
				lo, hi = math.Min(lo, neg), math.Max(hi, pos)
			} else {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return 0, 1
	}
	return lo, hi
}

func (bp *barPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	catT, valT := trX, trY
	if bp.horizontal {
		catT, valT = trY, trX
	}
	base := 0.0
	if bp.log {
		if bp.horizontal {
			base = p.X.Min
		} else {
			base = p.Y.Min
		}
	}
	ns := len(bp.values)
	group := 0.8 // share of a category's width the bars take
	for ci := 0; ci < bp.ncat; ci++ {
		pos := float64(ci)
		if bp.horizontal {
			pos = float64(bp.ncat - 1 - ci) // first category at the top
		}
		posUp, negUp := 0.0, 0.0
		for si, v := range bp.values {
			x := v[ci]
			if math.IsNaN(x) {
				continue
			}
			var a, b, from, to float64
			if bp.stacked {
				a, b = pos-group/2, pos+group/2
				if x >= 0 {
					from, to = posUp, posUp+x
					posUp = to
				} else {
					from, to = negUp, negUp+x
					negUp = to
				}
			} else {
				w := group / float64(ns)
				a = pos - group/2 + w*float64(si)
				b = a + w
				from, to = base, x
			}
			ca, cb := catT(a), catT(b)
			if cb-ca > vg.Points(3) {
				cb -= vg.Points(0.5) // a hairline gap between neighbours
			}
			va, vb := valT(from), valT(to)
			var rect []vg.Point
			if bp.horizontal {
				rect = []vg.Point{{X: va, Y: ca}, {X: vb, Y: ca}, {X: vb, Y: cb}, {X: va, Y: cb}}
			} else {
				rect = []vg.Point{{X: ca, Y: va}, {X: cb, Y: va}, {X: cb, Y: vb}, {X: ca, Y: vb}}
			}
			if cl := c.ClipPolygonXY(rect); len(cl) > 2 {
				c.FillPolygon(color.Color(seriesColor(si)), cl)
			}
		}
	}
}

func describeBars(viz, title string, d *chartData, ncat int) string {
	var b strings.Builder
	b.WriteString(viz)
	if title != "" {
		fmt.Fprintf(&b, " %q", title)
	}
	what := strings.Join(d.yNames, ", ")
	if len(d.seriesCols) > 0 {
		what += " by " + strings.Join(d.seriesCols, ", ")
	}
	fmt.Fprintf(&b, ": %d categories of %s, %d series (%s)", ncat, d.xName, len(d.series)+d.dropped, what)
	if ncat > 0 && ncat <= 12 && len(d.series) == 1 {
		parts := make([]string, 0, ncat)
		s := d.series[0]
		sums := make([]float64, ncat)
		for i, x := range s.x {
			if int(x) < ncat && !math.IsNaN(s.y[i]) {
				sums[int(x)] += s.y[i]
			}
		}
		for i := 0; i < ncat; i++ {
			parts = append(parts, d.categories[i]+"="+table.FormatReal(sums[i]))
		}
		b.WriteString("; " + strings.Join(parts, ", "))
	}
	return b.String()
}

// categoryLabels sets a category axis: every label when they fit side by side, slanted
// when they fit that way, else every k-th label.
func (c *chart) categoryLabels(a *plot.Axis, labels []string, body draw.Canvas, horizontal bool) {
	n := len(labels)
	a.Min, a.Max = -0.5, float64(n)-0.5
	sty := a.Tick.Label
	lineH := sty.Height("Ag")
	if horizontal {
		room := body.Max.Y - body.Min.Y - vg.Points(40)
		a.Tick.Marker = categoryTicker{labels: labels, max: max(2, int(room/(lineH*1.1))), invert: true}
		return
	}
	room := (body.Max.X - body.Min.X) * 0.85 // the y axis takes the rest
	widest := vg.Length(0)
	for _, l := range labels {
		widest = max(widest, sty.Width(shorten(l, 24)))
	}
	per := room / vg.Length(max(n, 1))
	switch {
	case widest+vg.Points(6) <= per:
		a.Tick.Marker = categoryTicker{labels: labels, max: n}
	default:
		a.Tick.Label.Rotation = math.Pi / 4
		a.Tick.Label.XAlign = draw.XRight
		a.Tick.Label.YAlign = draw.YTop
		a.Tick.Marker = categoryTicker{labels: labels, max: max(2, int(room/(lineH*1.6)))}
	}
}
