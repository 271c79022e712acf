// Package renderbench measures the render package on result sizes users hit: a 100k and
// a 1M-row result shown truncated, timecharts of 100k and 1M points, a 20-bar chart, and,
// as the peer, gonum's own plotter.Line on an unreduced jagged series (what render avoids).
//
//	go test -run '^$' -bench . -benchtime 10x ./bench/render
package renderbench

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/kqlkernel/kqlkernel/render"
	"github.com/kqlkernel/kqlkernel/table"
)

var t0 = table.FromTime(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))

// wideResult is n rows of a typical log result: time, computer, event id, account, real.
func wideResult(n int) *table.Table {
	tb := table.New("PrimaryResult", table.Schema{
		{Name: "TimeGenerated", Type: table.TypeDateTime}, {Name: "Computer", Type: table.TypeString},
		{Name: "EventID", Type: table.TypeInt}, {Name: "Account", Type: table.TypeString},
		{Name: "Duration", Type: table.TypeReal},
	})
	c := tb.Columns
	for i := 0; i < n; i++ {
		c[0].Data.Ints = append(c[0].Data.Ints, int64(t0)+int64(i)*int64(table.Second))
		c[1].Data.Strs = append(c[1].Data.Strs, "WIN-"+string(rune('A'+i%26)))
		c[2].Data.Ints = append(c[2].Data.Ints, int64(4624+i%5))
		c[3].Data.Strs = append(c[3].Data.Strs, `CONTOSO\user`)
		c[4].Data.Reals = append(c[4].Data.Reals, float64(i)*0.5)
	}
	return tb
}

// jagged is a random walk with noise: a self-crossing line, the worst case for the rasteriser.
func jagged(n, series int) *table.Table {
	tb := table.New("PrimaryResult", table.Schema{
		{Name: "TimeGenerated", Type: table.TypeDateTime}, {Name: "Computer", Type: table.TypeString},
		{Name: "value", Type: table.TypeReal},
	})
	r := rand.New(rand.NewPCG(1, 2))
	c := tb.Columns
	v := 0.0
	for i := 0; i < n; i++ {
		v += r.NormFloat64()
		c[0].Data.Ints = append(c[0].Data.Ints, int64(t0)+int64(i/series)*int64(table.Second))
		c[1].Data.Strs = append(c[1].Data.Strs, []string{"DC01", "WEB-01", "SQL-01"}[i%series])
		c[2].Data.Reals = append(c[2].Data.Reals, v+10*r.Float64())
	}
	return tb
}

// cpuTime is the process's user+system CPU time: on a shared machine wall time per op
// depends on the neighbours, CPU time per op much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds a cpu-ms/op metric for the loop that started at start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

func benchTables(b *testing.B, n int) {
	tb := []*table.Table{wideResult(n)}
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		if render.Tables(tb, render.TableOptions{}).HTML() == "" {
			b.Fatal("empty")
		}
	}
	reportCPU(b, start)
}

func BenchmarkTable100kRows(b *testing.B) { benchTables(b, 100_000) }
func BenchmarkTable1MRows(b *testing.B)   { benchTables(b, 1_000_000) }

func benchChart(b *testing.B, tb *table.Table, spec table.RenderSpec) {
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		if _, err := render.Chart(tb, &spec, render.ChartOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

func BenchmarkTimechart100k(b *testing.B) {
	benchChart(b, jagged(100_000, 1), table.RenderSpec{Visualization: "timechart"})
}

func BenchmarkTimechart1M(b *testing.B) {
	benchChart(b, jagged(1_000_000, 1), table.RenderSpec{Visualization: "timechart"})
}

func BenchmarkTimechart1M3Series(b *testing.B) {
	benchChart(b, jagged(1_000_000, 3), table.RenderSpec{Visualization: "timechart"})
}

func BenchmarkAreachart100k(b *testing.B) {
	benchChart(b, jagged(100_000, 1), table.RenderSpec{Visualization: "areachart"})
}

func BenchmarkBarchart20(b *testing.B) {
	tb := table.New("PrimaryResult", table.Schema{{Name: "Account", Type: table.TypeString}, {Name: "count_", Type: table.TypeLong}})
	for i := 0; i < 20; i++ {
		_ = tb.AppendRow("CONTOSO\\user"+string(rune('a'+i)), int64(1000-37*i))
	}
	benchChart(b, tb, table.RenderSpec{Visualization: "barchart"})
}

func BenchmarkPiechart8(b *testing.B) {
	tb := table.New("PrimaryResult", table.Schema{{Name: "Account", Type: table.TypeString}, {Name: "count_", Type: table.TypeLong}})
	for i := 0; i < 8; i++ {
		_ = tb.AppendRow("user"+string(rune('a'+i)), int64(100+i))
	}
	benchChart(b, tb, table.RenderSpec{Visualization: "piechart"})
}

// BenchmarkPeerGonumLine5k is the peer: gonum's plotter.Line over 5k jagged points, unreduced
// and in one stroke, to PNG pixels (no encoding).
func BenchmarkPeerGonumLine5k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	pts := make(plotter.XYs, 5000)
	v := 0.0
	for i := range pts {
		v += r.NormFloat64()
		pts[i].X, pts[i].Y = float64(i), v+10*r.Float64()
	}
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		p := plot.New()
		l, err := plotter.NewLine(pts)
		if err != nil {
			b.Fatal(err)
		}
		p.Add(l)
		c := vgimg.New(vg.Length(900)*vg.Inch/96, vg.Length(450)*vg.Inch/96)
		p.Draw(draw.New(c))
	}
	reportCPU(b, start)
}

func BenchmarkScatter1M(b *testing.B) {
	benchChart(b, jagged(1_000_000, 1), table.RenderSpec{Visualization: "scatterchart"})
}
