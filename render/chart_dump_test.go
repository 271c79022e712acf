package render

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

// TestDumpAll draws one of each kind and property for a person to look at (RENDER_DUMP=dir).
func TestDumpAll(t *testing.T) {
	if os.Getenv("RENDER_DUMP") == "" {
		t.Skip("set RENDER_DUMP=dir to write the PNGs")
	}
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		name string
		tb   *table.Table
		spec table.RenderSpec
	}{
		{"timechart", timeSeries(t), table.RenderSpec{Visualization: "timechart", Title: "Events per hour"}},
		{"linechart", timeSeries(t), table.RenderSpec{Visualization: "linechart"}},
		{"areachart", timeSeries(t), table.RenderSpec{Visualization: "areachart"}},
		{"stackedareachart", timeSeries(t), table.RenderSpec{Visualization: "stackedareachart", Title: "Stacked"}},
		{"stacked100", timeSeries(t), table.RenderSpec{Visualization: "areachart", Kind: "stacked100"}},
		{"scatterchart", timeSeries(t), table.RenderSpec{Visualization: "scatterchart"}},
		{"barchart", categories(t, 20), table.RenderSpec{Visualization: "barchart", Title: "Top accounts"}},
		{"columnchart", categories(t, 20), table.RenderSpec{Visualization: "columnchart", Title: "Top accounts"}},
		{"columnstacked", timeSeries(t), table.RenderSpec{Visualization: "columnchart", Kind: "stacked"}},
		{"piechart", categories(t, 6), table.RenderSpec{Visualization: "piechart", Title: "Share"}},
		{"treemap", categories(t, 15), table.RenderSpec{Visualization: "treemap"}},
		{"card", categories(t, 1), table.RenderSpec{Visualization: "card", Title: "Logons"}},
		{"anomalychart", makeSeries(t), table.RenderSpec{Visualization: "anomalychart", Title: "Anomalies"}},
		{"ladderchart", ladder(t), table.RenderSpec{Visualization: "ladderchart"}},
		{"timepivot", timeSeries(t), table.RenderSpec{Visualization: "timepivot"}},
		{"pivotchart", categories(t, 8), table.RenderSpec{Visualization: "pivotchart"}},
		{"logy", timeSeries(t), table.RenderSpec{Visualization: "timechart", YAxis: "log", YMin: f(10)}},
		{"panels", twoY(t), table.RenderSpec{Visualization: "timechart", YSplit: "panels"}},
		{"axes", twoY(t), table.RenderSpec{Visualization: "timechart", YSplit: "axes", Title: "ysplit=axes"}},
	}
	for _, c := range cases {
		b, err := Chart(c.tb, &c.spec, ChartOptions{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		t.Logf("%s: %s", c.name, b.Text())
		dump(t, c.name, b)
	}
}

func ladder(t testing.TB) *table.Table {
	tb := table.New("PrimaryResult", table.Schema{{Name: "Task", Type: table.TypeString}, {Name: "Start", Type: table.TypeDateTime}, {Name: "End", Type: table.TypeDateTime}})
	for i, task := range []string{"backup", "index", "report", "backup", "cleanup"} {
		s := t0 + table.DateTime(i*3)*table.DateTime(table.Hour)
		if err := tb.AppendRow(task, s, s+table.DateTime(4+i)*table.DateTime(table.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

func twoY(t testing.TB) *table.Table {
	tb := table.New("PrimaryResult", table.Schema{{Name: "TimeGenerated", Type: table.TypeDateTime}, {Name: "cpu", Type: table.TypeReal}, {Name: "mem", Type: table.TypeReal}})
	for h := 0; h < 48; h++ {
		if err := tb.AppendRow(t0+table.DateTime(h)*table.DateTime(table.Hour), float64(h%10)*7, 2000+float64(h*h)); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

// TestDumpLarge draws a million-point jagged series (only when RENDER_DUMP is set: it is
// for looking at, the benchmarks in bench/render time it).
func TestDumpLarge(t *testing.T) {
	if os.Getenv("RENDER_DUMP") == "" {
		t.Skip("set RENDER_DUMP=dir to write the PNG")
	}
	tb := table.New("T", table.Schema{{Name: "TimeGenerated", Type: table.TypeDateTime}, {Name: "value", Type: table.TypeReal}})
	v := 0.0
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1_000_000; i++ {
		v += r.NormFloat64()
		val := any(v + 10*r.Float64())
		if i > 500_000 && i < 520_000 {
			val = nil // a gap
		}
		_ = tb.AppendRow(t0+table.DateTime(i)*table.DateTime(table.Second), val)
	}
	b, err := Chart(tb, &table.RenderSpec{Visualization: "timechart", Title: "1M points, a gap of 20k nulls"}, ChartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "large", b)
}
