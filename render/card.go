package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/kqlkernel/kqlkernel/table"
)

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
