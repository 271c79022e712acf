package render

import (
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kqlkernel/kqlkernel/table"
)

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
