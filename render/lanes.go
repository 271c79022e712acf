package render

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kqlkernel/kqlkernel/table"
)

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
