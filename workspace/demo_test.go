package workspace

import (
	"testing"
	"time"
)

func TestDemoAllTables(t *testing.T) {
	now := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	start := time.Now()
	ws, err := Demo(DemoOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, name := range ws.TableNames() {
		t0 := time.Now()
		tb, err := ws.LoadTable(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		total += tb.Rows()
		t.Logf("%-32s %8d rows %4d cols %v", name, tb.Rows(), len(tb.Columns), time.Since(t0))
	}
	t.Logf("total %d rows in %v", total, time.Since(start))
}
