package render

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

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
