package render

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

func chartImage(t *testing.T, tb *table.Table, spec table.RenderSpec, opts ChartOptions) (Bundle, image.Image) {
	t.Helper()
	b, err := Chart(tb, &spec, opts)
	if err != nil {
		t.Fatalf("%s: %v", spec.Visualization, err)
	}
	img, err := imageOf(b)
	if err != nil {
		t.Fatal(err)
	}
	return b, img
}

func same(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	return uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B
}

// countColor counts pixels of exactly this colour.
func countColor(img image.Image, want color.RGBA) int {
	n := 0
	if m, ok := img.(*image.RGBA); ok { // what the PNG decoder returns for our opaque charts
		for i := 0; i+3 < len(m.Pix); i += 4 {
			if m.Pix[i] == want.R && m.Pix[i+1] == want.G && m.Pix[i+2] == want.B {
				n++
			}
		}
		return n
	}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			if same(img.At(x, y), want) {
				n++
			}
		}
	}
	return n
}

// darkIn counts text-dark pixels in a rectangle.
func darkIn(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 < 110 && cg>>8 < 110 && cb>>8 < 110 {
				n++
			}
		}
	}
	return n
}

// greyInk counts grey text pixels (tick labels are #605E5C, anti-aliased) in a rectangle.
func greyInk(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			hi, lo := max(cr, cg, cb)>>8, min(cr, cg, cb)>>8
			if hi < 200 && hi-lo < 30 {
				n++
			}
		}
	}
	return n
}

// runsAlong counts runs of a colour along a vertical (or horizontal) line.
func runsAlong(img image.Image, want color.RGBA, fixed int, vertical bool) int {
	bd := img.Bounds()
	n, in := 0, false
	lim := bd.Max.X
	if vertical {
		lim = bd.Max.Y
	}
	for i := 0; i < lim; i++ {
		var c color.Color
		if vertical {
			c = img.At(fixed, i)
		} else {
			c = img.At(i, fixed)
		}
		hit := same(c, want)
		if hit && !in {
			n++
		}
		in = hit
	}
	return n
}

func TestChartSizeAndDPI(t *testing.T) {
	for _, c := range []struct {
		opts         ChartOptions
		wantW, wantH int
		metaW        int
	}{
		{ChartOptions{}, 900, 450, 900},
		{ChartOptions{Width: 600, Height: 300}, 600, 300, 600},
		{ChartOptions{Width: 600, Height: 300, DPI: 192}, 1200, 600, 600},
	} {
		b, img := chartImage(t, timeSeries(t), table.RenderSpec{Visualization: "timechart"}, c.opts)
		if got := img.Bounds().Size(); got.X != c.wantW || got.Y != c.wantH {
			t.Errorf("%+v: image %v, want %dx%d", c.opts, got, c.wantW, c.wantH)
		}
		meta := b.Metadata[MIMEPNG].(map[string]any)
		if meta["width"] != c.metaW {
			t.Errorf("%+v: metadata %v", c.opts, meta)
		}
	}
}

func TestBarCountAndColour(t *testing.T) {
	_, img := chartImage(t, categories(t, 20), table.RenderSpec{Visualization: "barchart"}, ChartOptions{})
	// the shortest bar still crosses a vertical line a third of the way in
	best := 0
	for x := 100; x < 500; x += 10 {
		best = max(best, runsAlong(img, palette[0], x, true))
	}
	if best != 20 {
		t.Errorf("barchart: %d bars of #0078D4 along a vertical line, want 20", best)
	}
	if n := countColor(img, palette[1]); n != 0 {
		t.Errorf("one series must use one colour; found %d pixels of the second", n)
	}
	_, img = chartImage(t, categories(t, 7), table.RenderSpec{Visualization: "columnchart"}, ChartOptions{})
	best = 0
	for y := 100; y < 400; y += 10 {
		best = max(best, runsAlong(img, palette[0], y, false))
	}
	if best != 7 {
		t.Errorf("columnchart: %d columns, want 7", best)
	}
}

func TestSeriesColours(t *testing.T) {
	_, img := chartImage(t, timeSeries(t), table.RenderSpec{Visualization: "timechart"}, ChartOptions{})
	for i := 0; i < 3; i++ {
		if n := countColor(img, palette[i]); n < 200 {
			t.Errorf("series %d (%v): %d pixels, want a drawn line", i, palette[i], n)
		}
	}
	if n := countColor(img, palette[3]); n != 0 {
		t.Errorf("a 4th colour appears (%d pixels) though there are 3 series", n)
	}
	// legend hidden: the swatches go, the lines stay
	_, img2 := chartImage(t, timeSeries(t), table.RenderSpec{Visualization: "timechart", Legend: "hidden"}, ChartOptions{})
	if darkIn(img2, image.Rect(820, 0, 900, 100)) > 0 {
		t.Error("legend=hidden still draws legend text")
	}
	if darkIn(img, image.Rect(700, 0, 900, 100)) == 0 {
		t.Error("the legend has no text")
	}
}

func TestTitleRegion(t *testing.T) {
	_, with := chartImage(t, timeSeries(t), table.RenderSpec{Visualization: "timechart", Title: "Events per hour"}, ChartOptions{})
	_, without := chartImage(t, timeSeries(t), table.RenderSpec{Visualization: "timechart", Legend: "hidden"}, ChartOptions{})
	band := image.Rect(0, 0, 400, 22)
	if darkIn(with, band) < 50 {
		t.Error("title band is blank")
	}
	if darkIn(without, band) > 10 {
		t.Error("no title, yet the title band has text")
	}
}

func TestPieSlices(t *testing.T) {
	b, img := chartImage(t, categories(t, 5), table.RenderSpec{Visualization: "piechart"}, ChartOptions{})
	for i := 0; i < 5; i++ {
		if n := countColor(img, palette[i]); n < 2000 {
			t.Errorf("slice %d: %d pixels", i, n)
		}
	}
	if countColor(img, palette[5]) != 0 {
		t.Error("a sixth slice colour appears")
	}
	if !strings.Contains(b.Text(), "5 slices") {
		t.Errorf("text/plain: %q", b.Text())
	}
	// 20 labels become 11 + Other
	b, _ = chartImage(t, categories(t, 20), table.RenderSpec{Visualization: "piechart"}, ChartOptions{})
	if !strings.Contains(b.Text(), "Other (9)") {
		t.Errorf("text/plain: %q", b.Text())
	}
}

func TestEveryKindDraws(t *testing.T) {
	tables := map[string]*table.Table{
		"card": categories(t, 1), "piechart": categories(t, 5), "treemap": categories(t, 5),
		"barchart": categories(t, 5), "columnchart": categories(t, 5), "pivotchart": categories(t, 5),
		"ladderchart": ladder(t), "anomalychart": makeSeries(t),
	}
	for _, k := range Kinds() {
		tb := tables[k]
		if tb == nil {
			tb = timeSeries(t)
		}
		b, img := chartImage(t, tb, table.RenderSpec{Visualization: k}, ChartOptions{})
		if !strings.HasPrefix(b.Text(), k) {
			t.Errorf("%s: text/plain %q", k, b.Text())
		}
		colours := 0
		for i := 0; i < 4; i++ {
			if countColor(img, palette[i]) > 0 {
				colours++
			}
		}
		if colours == 0 {
			t.Errorf("%s: nothing drawn in the palette", k)
		}
	}
}

func TestAnomaliesMarked(t *testing.T) {
	_, img := chartImage(t, makeSeries(t), table.RenderSpec{Visualization: "anomalychart", AnomalyColumns: []string{"anomalies"}}, ChartOptions{})
	if n := countColor(img, colAnomaly); n < 3*20 {
		t.Errorf("anomaly markers: %d red pixels, want three dots", n)
	}
	_, img = chartImage(t, makeSeries(t), table.RenderSpec{Visualization: "timechart"}, ChartOptions{})
	if n := countColor(img, colAnomaly); n != 0 {
		t.Errorf("timechart marks anomalies (%d pixels)", n)
	}
}

func TestInference(t *testing.T) {
	three := func(t testing.TB) *table.Table {
		tb := table.New("T", table.Schema{{Name: "Computer", Type: table.TypeString}, {Name: "TimeGenerated", Type: table.TypeDateTime},
			{Name: "Account", Type: table.TypeString}, {Name: "n", Type: table.TypeLong}, {Name: "avg", Type: table.TypeReal}})
		_ = tb.AppendRow("a", t0, "x", int64(1), 1.5)
		_ = tb.AppendRow("b", t0, "y", int64(2), 2.5)
		return tb
	}(t)
	cases := []struct {
		spec   table.RenderSpec
		x      string
		xk     xKind
		y      string
		series string
		names  string
	}{
		{table.RenderSpec{Visualization: "timechart"}, "TimeGenerated", xTime, "n,avg", "Computer,Account", "a, x:n|a, x:avg|b, y:n|b, y:avg"},
		{table.RenderSpec{Visualization: "timechart", YColumns: []string{"avg"}}, "TimeGenerated", xTime, "avg", "Computer,Account", "a, x|b, y"},
		{table.RenderSpec{Visualization: "timechart", Series: []string{"Account"}, YColumns: []string{"n"}}, "TimeGenerated", xTime, "n", "Account", "x|y"},
		{table.RenderSpec{Visualization: "barchart"}, "Computer", xCategory, "n,avg", "Account", "x:n|x:avg|y:n|y:avg"},
		{table.RenderSpec{Visualization: "linechart", XColumn: "n", YColumns: []string{"avg"}, Series: []string{"Computer"}}, "n", xNumber, "avg", "Computer", "a|b"},
		{table.RenderSpec{Visualization: "linechart"}, "TimeGenerated", xTime, "n,avg", "Computer,Account", "a, x:n|a, x:avg|b, y:n|b, y:avg"},
		{table.RenderSpec{Visualization: "piechart"}, "Computer", xCategory, "n,avg", "Account", "x:n|x:avg|y:n|y:avg"},
	}
	for _, c := range cases {
		d, err := resolve(three, &c.spec, c.spec.Visualization)
		if err != nil {
			t.Errorf("%+v: %v", c.spec, err)
			continue
		}
		var names []string
		for _, s := range d.series {
			names = append(names, s.name)
		}
		if d.xName != c.x || d.xKind != c.xk || strings.Join(d.yNames, ",") != c.y ||
			strings.Join(d.seriesCols, ",") != c.series || strings.Join(names, "|") != c.names {
			t.Errorf("%+v:\n got x=%s(%d) y=%v series=%v names=%v\nwant x=%s(%d) y=%s series=%s names=%s",
				c.spec, d.xName, d.xKind, d.yNames, d.seriesCols, names, c.x, c.xk, c.y, c.series, c.names)
		}
	}
}

func TestChartErrors(t *testing.T) {
	str := mustTable(t, "T", table.Schema{{Name: "a", Type: table.TypeString}}, []any{"x"})
	cases := []struct {
		tb   *table.Table
		spec table.RenderSpec
		want string
	}{
		{timeSeries(t), table.RenderSpec{Visualization: "sparkles"}, `unknown visualization "sparkles"`},
		{timeSeries(t), table.RenderSpec{Visualization: "timechart", XColumn: "nope"}, `xcolumn "nope" is not a column`},
		{timeSeries(t), table.RenderSpec{Visualization: "timechart", YColumns: []string{"nope"}}, `ycolumns "nope"`},
		{categories(t, 3), table.RenderSpec{Visualization: "timechart"}, "no datetime column"},
		{str, table.RenderSpec{Visualization: "columnchart"}, "no numeric column"},
		{timeSeries(t), table.RenderSpec{Visualization: "table"}, "no chart requested"},
		{nil, table.RenderSpec{Visualization: "timechart"}, "no result"},
	}
	for _, c := range cases {
		_, err := Chart(c.tb, &c.spec, ChartOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.spec, err, c.want)
		}
	}
}

func TestNullsAndLogNotes(t *testing.T) {
	tb := table.New("T", table.Schema{{Name: "t", Type: table.TypeDateTime}, {Name: "v", Type: table.TypeReal}})
	for i := 0; i < 40; i++ {
		var v any = float64(i%7) * 10
		if i == 20 || i == 21 {
			v = nil
		}
		_ = tb.AppendRow(t0+table.DateTime(i)*table.DateTime(table.Hour), v)
	}
	b, _ := chartImage(t, tb, table.RenderSpec{Visualization: "timechart", YAxis: "log"}, ChartOptions{})
	// i%7 == 0 gives zeros at 0, 7, 14, 21, 28, 35; 21 is null, not a zero
	if !strings.Contains(b.Text(), "5 values <= 0 are not shown on the log axis") {
		t.Errorf("text/plain: %q", b.Text())
	}
	var got [][2]int
	ys := []float64{1, 2, math.NaN(), 3, math.NaN(), math.NaN(), 4, 5, 6}
	runs(make([]float64, len(ys)), ys, func(_, y float64) bool { return !math.IsNaN(y) }, func(a, b int) { got = append(got, [2]int{a, b}) })
	if want := [][2]int{{0, 2}, {3, 4}, {6, 9}}; !equalRuns(got, want) {
		t.Errorf("runs = %v, want %v", got, want)
	}
}

func equalRuns(a, b [][2]int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReduceKeepsExtremesAndBreaks(t *testing.T) {
	n := 100000
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
		ys[i] = math.Sin(float64(i) / 50)
	}
	ys[5000] = 9   // a spike must survive
	ys[70000] = -9 // and a dip
	ys[40000] = math.NaN()
	rx, ry := reduce(xs, ys, 0, float64(n-1), 500)
	if len(rx) > 4*500+10 || len(rx) != len(ry) {
		t.Fatalf("reduced to %d points", len(rx))
	}
	var hasMax, hasMin, hasBreak bool
	for i := range ry {
		hasMax = hasMax || ry[i] == 9
		hasMin = hasMin || ry[i] == -9
		hasBreak = hasBreak || math.IsNaN(ry[i])
		if i > 0 && rx[i] < rx[i-1] {
			t.Fatalf("x out of order at %d", i)
		}
	}
	if !hasMax || !hasMin || !hasBreak {
		t.Errorf("max %v min %v break %v", hasMax, hasMin, hasBreak)
	}
	if rx[0] != 0 || rx[len(rx)-1] != float64(n-1) {
		t.Errorf("ends lost: %v .. %v", rx[0], rx[len(rx)-1])
	}
	sx, _ := reduce(xs[:100], ys[:100], 0, 99, 500)
	if len(sx) != 100 {
		t.Error("short series must stay as they are")
	}
}

func TestStacked100AndAccumulate(t *testing.T) {
	tb := timeSeries(t)
	d, err := resolve(tb, &table.RenderSpec{Visualization: "timechart", Accumulate: true}, "timechart")
	if err != nil {
		t.Fatal(err)
	}
	s := d.series[0]
	for i := 1; i < len(s.y); i++ {
		if s.y[i] < s.y[i-1] {
			t.Fatalf("accumulate: not increasing at %d", i)
		}
	}
	layers := stackLayers(d.series, true, s.x[0], s.x[len(s.x)-1], 900)
	top := layers[len(layers)-1]
	for i, v := range top.y {
		if math.Abs(v-100) > 1e-9 {
			t.Fatalf("stacked100 top at %d = %v", i, v)
		}
	}
}

func TestMakeSeriesArrays(t *testing.T) {
	d, err := resolve(makeSeries(t), &table.RenderSpec{Visualization: "timechart"}, "timechart")
	if err != nil {
		t.Fatal(err)
	}
	if d.xKind != xTime || len(d.series) != 2 || len(d.series[0].x) != 120 {
		t.Fatalf("make-series: kind %d, %d series", d.xKind, len(d.series))
	}
	// ISO strings (as a service's dynamic arrives) work the same
	tb := table.New("T", table.Schema{{Name: "ts", Type: table.TypeDynamic}, {Name: "v", Type: table.TypeDynamic}})
	_ = tb.AppendRow([]any{"2026-11-20T00:00:00Z", "2026-11-20T01:00:00Z"}, []any{int64(1), nil})
	d, err = resolve(tb, &table.RenderSpec{Visualization: "timechart"}, "timechart")
	if err != nil {
		t.Fatal(err)
	}
	s := d.series[0]
	if s.x[1]-s.x[0] != 3600 || !math.IsNaN(s.y[1]) {
		t.Errorf("x %v y %v", s.x, s.y)
	}
}

func TestTimeCategoriesInOrder(t *testing.T) {
	tb := table.New("T", table.Schema{{Name: "day", Type: table.TypeDateTime}, {Name: "n", Type: table.TypeLong}})
	for _, d := range []int{3, 1, 2, 0} {
		_ = tb.AppendRow(t0+table.DateTime(d)*table.DateTime(table.Day), int64(10+d))
	}
	d, err := resolve(tb, &table.RenderSpec{Visualization: "columnchart"}, "columnchart")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.categories, ","); got != "2026-11-20,2026-11-21,2026-11-22,2026-11-23" {
		t.Fatalf("categories %s", got)
	}
	s := d.series[0]
	for i, x := range s.x {
		if want := s.y[i] - 10; x != want {
			t.Errorf("row %d: category %v holds %v", i, x, s.y[i])
		}
	}
	// text categories keep the order of the rows (the query's `order by` decides)
	d, _ = resolve(categories(t, 3), &table.RenderSpec{Visualization: "columnchart"}, "columnchart")
	if d.categories[0] != `CONTOSO\usera` || d.categories[2] != `CONTOSO\userc` {
		t.Errorf("text categories reordered: %v", d.categories)
	}
}

// TestNumberCategoriesKeepRowOrder: `summarize EventCount=count() by EventID | sort by
// EventCount desc | render columnchart` ranks the bars as the query sorted them (ADX:
// "sort the data to define the order of the x-axis"); they used to come out by EventID.
func TestNumberCategoriesKeepRowOrder(t *testing.T) {
	rows := [][2]int64{{4688, 3070}, {8002, 2790}, {4624, 1150}, {4634, 960}, {4625, 120}}
	for _, typ := range []table.Type{table.TypeInt, table.TypeLong, table.TypeReal} {
		tb := table.New("T", table.Schema{{Name: "EventID", Type: typ}, {Name: "EventCount", Type: table.TypeLong}})
		for _, r := range rows {
			var id any = r[0]
			switch typ {
			case table.TypeInt:
				id = int32(r[0])
			case table.TypeReal:
				id = float64(r[0])
			}
			if err := tb.AppendRow(id, r[1]); err != nil {
				t.Fatal(err)
			}
		}
		for _, viz := range []string{"columnchart", "barchart"} {
			d, err := resolve(tb, &table.RenderSpec{Visualization: viz}, viz)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(d.categories, ","); got != "4688,8002,4624,4634,4625" {
				t.Errorf("%s over %s categories: %s", viz, typ, got)
			}
			s := d.series[0]
			for i, x := range s.x {
				if s.y[i] != float64(rows[int(x)][1]) {
					t.Errorf("%s over %s: category %v holds %v", viz, typ, x, s.y[i])
				}
			}
		}
	}
	// The drawn columns fall from left to right, as the rows do.
	tb := table.New("T", table.Schema{{Name: "EventID", Type: table.TypeInt}, {Name: "EventCount", Type: table.TypeLong}})
	for _, r := range rows {
		_ = tb.AppendRow(int32(r[0]), r[1])
	}
	_, img := chartImage(t, tb, table.RenderSpec{Visualization: "columnchart"}, ChartOptions{})
	var heights []int
	for x, in := img.Bounds().Min.X, false; x < img.Bounds().Max.X; x++ {
		h := 0
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			if same(img.At(x, y), palette[0]) {
				h++
			}
		}
		if h > 0 && !in {
			heights = append(heights, h)
		}
		in = h > 0
	}
	if len(heights) != len(rows) {
		t.Fatalf("%d columns drawn, want %d", len(heights), len(rows))
	}
	for i := 1; i < len(heights); i++ {
		if heights[i] >= heights[i-1] {
			t.Errorf("columns not in the rows' order: heights %v", heights)
			break
		}
	}
}

func TestYSplitAxes(t *testing.T) {
	_, img := chartImage(t, twoY(t), table.RenderSpec{Visualization: "timechart", YSplit: "axes", Legend: "hidden"}, ChartOptions{})
	if countColor(img, palette[0]) < 200 || countColor(img, palette[1]) < 200 {
		t.Error("both series must be drawn")
	}
	// the right axis: tick labels in the last 60 px
	if n := greyInk(img, image.Rect(840, 30, 885, 400)); n < 50 {
		t.Errorf("no right axis labels (%d grey pixels)", n)
	}
	_, one := chartImage(t, twoY(t), table.RenderSpec{Visualization: "timechart", Legend: "hidden"}, ChartOptions{})
	if greyInk(one, image.Rect(840, 30, 885, 400)) != 0 {
		t.Error("one axis, yet text on the right")
	}
}

// TestOddInputs: every kind on empty, one-row, all-null, infinite and negative data either
// draws or says why; nothing reaches the recover in Chart (a panic is a bug).
func TestOddInputs(t *testing.T) {
	schema := table.Schema{{Name: "t", Type: table.TypeDateTime}, {Name: "k", Type: table.TypeString}, {Name: "v", Type: table.TypeReal}}
	odd := map[string]*table.Table{
		"empty":    table.New("T", schema),
		"one row":  mustTable(t, "T", schema, []any{t0, "a", 1.0}),
		"all null": mustTable(t, "T", schema, []any{t0, "a", nil}, []any{nil, "b", nil}),
		"inf nan":  mustTable(t, "T", schema, []any{t0, "a", math.Inf(1)}, []any{t0 + 1, "a", math.NaN()}, []any{t0 + 2, "a", math.Inf(-1)}),
		"negative": mustTable(t, "T", schema, []any{t0, "a", -5.0}, []any{t0 + table.DateTime(table.Hour), "b", -1.0}),
		"same x":   mustTable(t, "T", schema, []any{t0, "a", 1.0}, []any{t0, "a", 2.0}),
	}
	num := table.Schema{{Name: "x", Type: table.TypeReal}, {Name: "y", Type: table.TypeReal}}
	odd["numeric x <= 0"] = mustTable(t, "T", num, []any{-3.0, 1.0}, []any{0.0, 2.0}, []any{10.0, 5.0}, []any{100.0, 0.0})
	odd["numeric x all <= 0"] = mustTable(t, "T", num, []any{-3.0, 1.0}, []any{0.0, 2.0})
	for _, k := range Kinds() {
		for name, tb := range odd {
			for _, yaxis := range []string{"", "log"} {
				_, err := Chart(tb, &table.RenderSpec{Visualization: k, YAxis: yaxis, XAxis: yaxis, Kind: "stacked"}, ChartOptions{Width: 300, Height: 200})
				if err != nil && strings.Contains(err.Error(), "could not draw") {
					t.Errorf("%s on %s (yaxis=%q): %v", k, name, yaxis, err)
				}
			}
		}
	}
}

func TestPropertyCase(t *testing.T) {
	spec := table.RenderSpec{Visualization: "TimeChart", Legend: "Hidden"}
	_, img := chartImage(t, timeSeries(t), spec, ChartOptions{})
	if darkIn(img, image.Rect(820, 0, 900, 100)) > 0 {
		t.Error("Legend=Hidden still draws the legend")
	}
	if _, err := Chart(timeSeries(t), &spec, ChartOptions{}); err != nil {
		t.Fatal(err)
	}
	if spec.Legend != "Hidden" || spec.Visualization != "TimeChart" {
		t.Error("Chart changed the caller's spec")
	}
}

// TestDeterministic: docs builds need byte-stable pages, so the same result must give the
// same PNG bytes every time.
func TestDeterministic(t *testing.T) {
	for _, k := range []string{"timechart", "piechart", "treemap", "columnchart", "scatterchart"} {
		tb := timeSeries(t)
		if k == "piechart" || k == "treemap" {
			tb = categories(t, 20)
		}
		a, err := Chart(tb, &table.RenderSpec{Visualization: k}, ChartOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Chart(tb, &table.RenderSpec{Visualization: k}, ChartOptions{})
		if a.Data[MIMEPNG] != b.Data[MIMEPNG] || a.Text() != b.Text() {
			t.Errorf("%s: two renderings differ", k)
		}
	}
}

func TestManySeriesCapped(t *testing.T) {
	tb := table.New("T", table.Schema{{Name: "t", Type: table.TypeDateTime}, {Name: "k", Type: table.TypeString}, {Name: "v", Type: table.TypeLong}})
	for i := 0; i < 3*150; i++ {
		var ts any = t0 + table.DateTime(i/150)*table.DateTime(table.Hour)
		if i == 5 {
			ts = nil // a row without x: skipped, its series starts on its next row
		}
		_ = tb.AppendRow(ts, "k"+strconv.Itoa(i%150), int64(i))
	}
	d, err := resolve(tb, &table.RenderSpec{Visualization: "timechart"}, "timechart")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.series) != maxSeries || d.dropped != 50 {
		t.Fatalf("%d series, %d dropped", len(d.series), d.dropped)
	}
	for i, s := range d.series {
		want := 3
		if i == 5 {
			want = 2
		}
		if s.name != "k"+strconv.Itoa(i) || len(s.x) != want {
			t.Fatalf("series %d: %s with %d points", i, s.name, len(s.x))
		}
	}
	b, _ := chartImage(t, tb, table.RenderSpec{Visualization: "timechart"}, ChartOptions{})
	if !strings.Contains(b.Text(), "showing the first 100 of 150 series") {
		t.Errorf("text/plain: %q", b.Text())
	}
}
