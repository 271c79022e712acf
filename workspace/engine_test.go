package workspace_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/table"
	"github.com/kqlkernel/kqlkernel/workspace"
)

var testNow = time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)

var (
	sharedOnce sync.Once
	sharedWS   *workspace.Workspace
	sharedErr  error
)

// demo returns the default demo workspace at testNow, built once for all tests (its tables
// are read-only).
func demo(t testing.TB) *workspace.Workspace {
	t.Helper()
	sharedOnce.Do(func() { sharedWS, sharedErr = workspace.Demo(workspace.DemoOptions{Now: testNow}) })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedWS
}

// freshDemo builds a new workspace (to compare two builds).
func freshDemo(t testing.TB) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Demo(workspace.DemoOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func run(t *testing.T, ws engine.Database, q string) *table.Table {
	t.Helper()
	res, err := engine.Run(context.Background(), ws, q, engine.Options{Now: testNow})
	if err != nil {
		t.Fatalf("%s\n%v", q, err)
	}
	return res.Tables[0]
}

// eventCounts runs the notebook's summarize and returns EventID -> count.
func eventCounts(t *testing.T, ws engine.Database, q string) map[int64]int64 {
	t.Helper()
	tb := run(t, ws, q)
	id, cnt := tb.Index("EventID"), tb.Index("EventCount")
	if id < 0 || cnt < 0 {
		t.Fatalf("%s: columns %v, want EventID and EventCount", q, tb.Schema())
	}
	out := map[int64]int64{}
	for r := range tb.Rows() {
		k, _ := tb.Columns[id].Data.At(r).(int32)
		n, _ := tb.Columns[cnt].Data.At(r).(int64)
		out[int64(k)] = n
	}
	return out
}

// TestSeedNotebook runs every query of the seed notebook (../shared/seed) on the default demo
// workspace and checks the results are non-empty and shaped like the real workspace's.
func TestSeedNotebook(t *testing.T) {
	ws := demo(t)

	one := run(t, ws, "SecurityEvent | take 1")
	if one.Rows() != 1 || len(one.Columns) < 228 {
		t.Fatalf("take 1: %d rows, %d columns; want 1 and all 228+", one.Rows(), len(one.Columns))
	}
	for _, c := range []string{"TenantId", "TimeGenerated", "Account", "Computer", "EventID", "Activity"} {
		if i := one.Index(c); i < 0 || table.Format(one.Columns[i].Data.At(0)) == "" {
			t.Errorf("take 1: column %s is empty", c)
		}
	}

	alerts := run(t, ws, "SecurityAlert \n| take 10\n")
	if alerts.Rows() != 10 {
		t.Fatalf("SecurityAlert | take 10: %d rows", alerts.Rows())
	}
	for r := range alerts.Rows() {
		for _, c := range []string{"DisplayName", "AlertName", "AlertSeverity", "ProviderName", "Entities", "ExtendedProperties"} {
			if table.Format(alerts.Columns[alerts.Index(c)].Data.At(r)) == "" {
				t.Errorf("SecurityAlert row %d: %s is empty", r, c)
			}
		}
	}

	// The bar chart: 4688 > 8002 > 4624 > 4634 > 4672, then a long tail.
	day := eventCounts(t, ws, "\nSecurityEvent\n| where TimeGenerated between (ago(1d) .. now())\n| summarize EventCount=count() by EventID\n")
	checkShape(t, "1 day", day)
	// The parameterized version, as Python's str.format renders datetime.utcnow().
	end := testNow
	start := end.Add(-3 * 24 * time.Hour)
	q := fmt.Sprintf("\nSecurityEvent\n| where TimeGenerated between (datetime(%s) .. datetime(%s))\n| summarize EventCount=count() by EventID\n",
		start.Format("2006-01-02 15:04:05.000000"), end.Format("2006-01-02 15:04:05.000000"))
	three := eventCounts(t, ws, q)
	checkShape(t, "3 days", three)
	if three[4688] < 2*day[4688] {
		t.Errorf("3 days has %d 4688 events, 1 day %d: the 3-day window should hold about three times as many", three[4688], day[4688])
	}
}

func checkShape(t *testing.T, label string, c map[int64]int64) {
	t.Helper()
	order := []int64{4688, 8002, 4624, 4634, 4672}
	for i := 1; i < len(order); i++ {
		if c[order[i-1]] <= c[order[i]] {
			t.Errorf("%s: count(%d)=%d should exceed count(%d)=%d", label, order[i-1], c[order[i-1]], order[i], c[order[i]])
		}
	}
	if c[4672] < 500 {
		t.Errorf("%s: only %d 4672 events; the chart needs volume", label, c[4672])
	}
	if len(c) < 8 {
		t.Errorf("%s: only %d distinct EventIDs, want a tail of rarer events", label, len(c))
	}
	ids := make([]int64, 0, len(c))
	for k := range c {
		ids = append(ids, k)
	}
	sort.Slice(ids, func(a, b int) bool { return c[ids[a]] > c[ids[b]] })
	t.Logf("%s: %v", label, func() []string {
		var s []string
		for _, k := range ids {
			s = append(s, fmt.Sprintf("%d:%d", k, c[k]))
		}
		return s
	}())
}

// TestSeedShapeAnyNow: the notebook runs with the current time, so the bar chart's order must
// hold whenever it runs (weekday or weekend, day or night) and for any seed.
func TestSeedShapeAnyNow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds SecurityEvent several times")
	}
	nows := []time.Time{
		time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC),    // Monday morning
		time.Date(2025, 3, 9, 3, 17, 0, 0, time.UTC),   // Sunday night
		time.Date(2026, 7, 18, 14, 45, 0, 0, time.UTC), // Saturday afternoon
		time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	for i, now := range nows {
		ws, err := workspace.Demo(workspace.DemoOptions{Now: now, Seed: uint64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		res, err := engine.Run(context.Background(), ws, "SecurityEvent | where TimeGenerated between (ago(1d) .. now()) | summarize EventCount=count() by EventID", engine.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		tb := res.Tables[0]
		c := map[int64]int64{}
		for r := range tb.Rows() {
			k, _ := tb.Columns[0].Data.At(r).(int32)
			n, _ := tb.Columns[1].Data.At(r).(int64)
			c[int64(k)] = n
		}
		checkShape(t, now.Format(time.RFC3339), c)
	}
}
