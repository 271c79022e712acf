package render

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

var t0 = dt("2026-11-20T00:00:00Z")

// timeSeries: count_ per hour for three computers over two days.
func timeSeries(t testing.TB) *table.Table {
	tb := table.New("PrimaryResult", table.Schema{{Name: "TimeGenerated", Type: table.TypeDateTime}, {Name: "Computer", Type: table.TypeString}, {Name: "count_", Type: table.TypeLong}})
	for h := 0; h < 48; h++ {
		for i, c := range []string{"DC01", "WEB-01", "SQL-01"} {
			v := int64(100*(i+1)) + int64(40*math.Sin(float64(h)/4+float64(i)))
			if err := tb.AppendRow(t0+table.DateTime(h)*table.DateTime(table.Hour), c, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return tb
}

// categories: a 20-bar count by account.
func categories(t testing.TB, n int) *table.Table {
	tb := table.New("PrimaryResult", table.Schema{{Name: "Account", Type: table.TypeString}, {Name: "count_", Type: table.TypeLong}})
	for i := 0; i < n; i++ {
		if err := tb.AppendRow("CONTOSO\\user"+string(rune('a'+i%26)), int64(1000-37*i)); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

// makeSeries: make-series output, dynamic arrays of datetimes and numbers, with anomalies.
func makeSeries(t testing.TB) *table.Table {
	tb := table.New("PrimaryResult", table.Schema{{Name: "Timestamp", Type: table.TypeDynamic}, {Name: "num", Type: table.TypeDynamic}, {Name: "anomalies", Type: table.TypeDynamic}})
	n := 120
	xs, ys, an := make([]any, n), make([]any, n), make([]any, n)
	for i := 0; i < n; i++ {
		xs[i] = t0 + table.DateTime(i)*table.DateTime(table.Hour)
		v := 50 + 20*math.Sin(float64(i)/6)
		a := int64(0)
		if i == 30 || i == 77 {
			v += 60
			a = 1
		}
		if i == 100 {
			v -= 45
			a = -1
		}
		ys[i], an[i] = v, a
	}
	if err := tb.AppendRow(xs, ys, an); err != nil {
		t.Fatal(err)
	}
	return tb
}

// dump writes a chart to $RENDER_DUMP/name.png for looking at.
func dump(t *testing.T, name string, b Bundle) {
	dir := os.Getenv("RENDER_DUMP")
	if dir == "" {
		return
	}
	img, err := imageOf(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := writePNG(filepath.Join(dir, name+".png"), img); err != nil {
		t.Fatal(err)
	}
}
