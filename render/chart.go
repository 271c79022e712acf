package render

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/color"
	"image/png"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/kqlkernel/kqlkernel/table"
)

// Chart defaults.
const (
	DefaultChartWidth  = 900
	DefaultChartHeight = 450
	DefaultDPI         = 96
	DefaultCardHeight  = 180
)

// ChartOptions size a chart.
type ChartOptions struct {
	Width, Height int     // display size in CSS pixels; 0 means 900 x 450
	DPI           float64 // 0 means 96; the PNG has Width*DPI/96 pixels, shown at Width
}

func (o ChartOptions) norm() ChartOptions {
	if o.Width <= 0 {
		o.Width = DefaultChartWidth
	}
	if o.Height <= 0 {
		o.Height = DefaultChartHeight
	}
	if o.DPI <= 0 {
		o.DPI = DefaultDPI
	}
	// Bound the canvas: a typo must not allocate gigabytes.
	o.Width, o.Height = min(max(o.Width, 120), 4000), min(max(o.Height, 80), 4000)
	o.DPI = min(max(o.DPI, 24), 600)
	return o
}

// Palette is the ADX / Log Analytics series palette.
var palette = []color.RGBA{
	rgb(0x0078D4), rgb(0xEF6950), rgb(0x00188F), rgb(0x00A2AD), rgb(0x4B003F),
	rgb(0xE3008C), rgb(0x022F22), rgb(0x917EDB), rgb(0x001D3F), rgb(0xAB0000),
	rgb(0x8CBD18), rgb(0xC239B3), rgb(0x004B50), rgb(0xFF8C00), rgb(0x5C2D91),
	rgb(0x107C10),
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

func seriesColor(i int) color.RGBA { return palette[i%len(palette)] }

// Neutral colours of the chart frame (Fluent greys).
var (
	colText     = rgb(0x323130)
	colSubtle   = rgb(0x605E5C)
	colAxis     = rgb(0xC8C6C4)
	colGrid     = rgb(0xEDEBE9)
	colAnomaly  = rgb(0xD13438)
	colBackdrop = color.White
)

// kinds lists every visualization Chart draws.
var kinds = map[string]bool{
	"timechart": true, "linechart": true, "areachart": true, "stackedareachart": true,
	"barchart": true, "columnchart": true, "scatterchart": true, "piechart": true,
	"anomalychart": true, "card": true, "ladderchart": true, "timepivot": true,
	"pivotchart": true, "treemap": true,
}

// Kinds returns the visualizations Chart draws, for completion and docs.
func Kinds() []string {
	return []string{"anomalychart", "areachart", "barchart", "card", "columnchart", "ladderchart",
		"linechart", "piechart", "pivotchart", "scatterchart", "stackedareachart", "timechart",
		"timepivot", "treemap"}
}

// chart is one drawing in progress.
type chart struct {
	spec  *table.RenderSpec
	viz   string
	opts  ChartOptions
	img   *vgimg.Canvas
	dc    draw.Canvas
	hdlr  text.Handler
	notes []string // shown under the chart (and in text/plain)
	desc  string   // text/plain description
}

// Chart draws a result as the render spec asks and returns image/png with a text/plain
// description. It fails, with a message a user can act on, when the data can't make that
// chart (no numeric column, an xcolumn that isn't there, an unknown kind).
func Chart(t *table.Table, spec *table.RenderSpec, opts ChartOptions) (b Bundle, err error) {
	if spec == nil || !IsChart(spec) {
		return b, fmt.Errorf("render: no chart requested")
	}
	if t == nil {
		return b, fmt.Errorf("render %s: no result to draw", spec.Visualization)
	}
	viz := strings.ToLower(spec.Visualization)
	if !kinds[viz] {
		return b, fmt.Errorf("render: unknown visualization %q (known: %s)", spec.Visualization, strings.Join(Kinds(), ", "))
	}
	// gonum/plot panics on some degenerate input; a chart must never take the kernel down.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("render %s: could not draw the chart: %v", viz, r)
		}
	}()
	if viz == "card" && opts.Height <= 0 {
		opts.Height = DefaultCardHeight // a number needs no half-screen of white
	}
	opts = opts.norm()
	// Services spell properties as they like ("Hidden", "Stacked"); compare in lower case
	// on a copy, so the caller's spec stays as it was.
	sp := *spec
	sp.Visualization, sp.Kind, sp.Legend = viz, strings.ToLower(sp.Kind), strings.ToLower(sp.Legend)
	sp.YSplit, sp.XAxis, sp.YAxis = strings.ToLower(sp.YSplit), strings.ToLower(sp.XAxis), strings.ToLower(sp.YAxis)
	spec = &sp
	w := vg.Length(opts.Width) * vg.Inch / 96
	h := vg.Length(opts.Height) * vg.Inch / 96
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(opts.DPI+0.5)), vgimg.UseBackgroundColor(colBackdrop))
	c := &chart{spec: spec, viz: viz, opts: opts, img: img, dc: draw.New(img), hdlr: plot.DefaultTextHandler}
	if err := c.draw(t); err != nil {
		return b, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img.Image()); err != nil {
		return b, fmt.Errorf("render %s: encoding PNG: %w", viz, err)
	}
	b = newBundle()
	b.Data[MIMEPNG] = base64.StdEncoding.EncodeToString(buf.Bytes())
	desc := c.desc
	if len(c.notes) > 0 {
		desc += "\n" + strings.Join(c.notes, "\n")
	}
	b.Data[MIMEText] = desc
	b.Metadata[MIMEPNG] = map[string]any{"width": opts.Width, "height": opts.Height}
	return b, nil
}

func (c *chart) draw(t *table.Table) error {
	switch c.viz {
	case "card":
		return c.drawCard(t)
	case "piechart":
		return c.drawPie(t)
	case "treemap":
		return c.drawTreemap(t)
	case "ladderchart":
		return c.drawLadder(t)
	case "timepivot":
		return c.drawTimepivot(t)
	case "barchart", "columnchart", "pivotchart":
		return c.drawBars(t)
	}
	return c.drawXY(t)
}

// pixelWidth is the image width in device pixels (how many columns a line can use).
func (c *chart) pixelWidth() int {
	return int(float64(c.opts.Width) * c.opts.DPI / 96)
}

// style returns a Liberation Sans text style.
func (c *chart) style(size vg.Length, clr color.Color, bold bool) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Color: clr, Font: f, Handler: c.hdlr, XAlign: draw.XLeft, YAlign: draw.YBottom}
}

// frame draws the title (top) and notes (bottom) and returns the space between them.
func (c *chart) frame() draw.Canvas {
	area := c.dc
	pad := vg.Points(8)
	area = draw.Crop(area, pad, -pad, pad/2, -pad/2)
	if c.spec.Title != "" {
		sty := c.style(12, colText, true)
		title := fitText(sty, c.spec.Title, area.Max.X-area.Min.X)
		hgt := sty.Height(title)
		area.FillText(sty, vg.Point{X: area.Min.X, Y: area.Max.Y - hgt + sty.FontExtents().Descent}, title)
		area.Max.Y -= hgt + vg.Points(6)
	}
	if len(c.notes) > 0 {
		sty := c.style(8, colSubtle, false)
		y := area.Min.Y
		for i := len(c.notes) - 1; i >= 0; i-- {
			note := fitText(sty, c.notes[i], area.Max.X-area.Min.X)
			area.FillText(sty, vg.Point{X: area.Min.X, Y: y + sty.FontExtents().Descent}, note)
			y += sty.Height(note) + vg.Points(1)
		}
		area.Min.Y = y + vg.Points(4)
	}
	return area
}

// fitText shortens s with an ellipsis until it fits in w.
func fitText(sty text.Style, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if sty.Width(string(r[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + "…"
}

// legendEntry is one swatch and label.
type legendEntry struct {
	label string
	color color.Color
}

// legend reserves the right part of area for entries (outside the plot, as ADX does),
// draws them, and returns the rest. Entries that don't fit are summarised.
func (c *chart) legend(area draw.Canvas, entries []legendEntry, extra int) draw.Canvas {
	if len(entries) == 0 || c.spec.Legend == "hidden" {
		return area
	}
	sty := c.style(8, colText, false)
	sw := vg.Points(9)
	maxW := (area.Max.X - area.Min.X) * 0.3
	wid := vg.Length(0)
	for _, e := range entries {
		wid = max(wid, sty.Width(e.label))
	}
	wid = min(wid+sw+vg.Points(14), maxW)
	lg := area
	lg.Min.X = area.Max.X - wid
	area.Max.X = lg.Min.X
	lineH := sty.Height("Ag") + vg.Points(4)
	y := lg.Max.Y - lineH
	room := int((lg.Max.Y - lg.Min.Y) / lineH)
	for i, e := range entries {
		if i >= room-1 && i < len(entries)-1 || i >= room {
			more := len(entries) - i + extra
			lg.FillText(c.style(8, colSubtle, false), vg.Point{X: lg.Min.X + vg.Points(6), Y: y}, fmt.Sprintf("… %d more", more))
			return area
		}
		x := lg.Min.X + vg.Points(6)
		lg.SetColor(e.color)
		lg.Fill(vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + sw, Y: y + sw}}.Path())
		label := fitText(sty, e.label, lg.Max.X-x-sw-vg.Points(4))
		lg.FillText(sty, vg.Point{X: x + sw + vg.Points(4), Y: y + vg.Points(1)}, label)
		y -= lineH
	}
	if extra > 0 && y > lg.Min.Y {
		lg.FillText(c.style(8, colSubtle, false), vg.Point{X: lg.Min.X + vg.Points(6), Y: y}, fmt.Sprintf("… %d more", extra))
	}
	return area
}
