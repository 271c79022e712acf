package render

import (
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

func TestDumpAll(t *testing.T) {
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
