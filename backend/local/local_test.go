package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/table"
)

func demo(t *testing.T) *Backend {
	t.Helper()
	b, err := Open("demo")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func scalar(t *testing.T, b *Backend, req backend.Request) any {
	t.Helper()
	resp, err := b.Query(context.Background(), req)
	if err != nil {
		t.Fatalf("%q: %v", req.Query, err)
	}
	if len(resp.Tables) != 1 || resp.Tables[0].Rows() != 1 {
		t.Fatalf("%q: want one row", req.Query)
	}
	return resp.Tables[0].Columns[0].Data.At(0)
}

func TestDemoQueryAndSchema(t *testing.T) {
	b := demo(t)
	if b.Describe() != "demo@local" {
		t.Errorf("Describe = %q", b.Describe())
	}
	n := scalar(t, b, backend.Request{Query: "SecurityEvent | take 5 | count"})
	if n != int64(5) {
		t.Errorf("count = %v", n)
	}
	s, err := b.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, ts := range s.Tables {
		if ts.Name == "SecurityEvent" {
			found = len(ts.Columns) > 100
		}
	}
	if !found {
		t.Errorf("schema lacks SecurityEvent with its columns")
	}
}

func TestTimespanFiltersTimeGenerated(t *testing.T) {
	b := demo(t)
	all := scalar(t, b, backend.Request{Query: "SecurityEvent | summarize min(TimeGenerated)"}).(table.DateTime)
	maxT := scalar(t, b, backend.Request{Query: "SecurityEvent | summarize max(TimeGenerated)"}).(table.DateTime)
	start := all.Time().Add(maxT.Time().Sub(all.Time()) / 2)
	got := scalar(t, b, backend.Request{Query: "SecurityEvent | summarize min(TimeGenerated)", Start: start, End: maxT.Time().Add(time.Second)}).(table.DateTime)
	if got.Time().Before(start) {
		t.Errorf("with a timespan from %v the earliest row is %v", start, got)
	}
	cnt := scalar(t, b, backend.Request{Query: "SecurityEvent | count", Start: start, End: start}).(int64)
	if cnt != 0 {
		t.Errorf("an empty timespan gave %d rows", cnt)
	}
	// Tables without TimeGenerated are unaffected; datatable literals too.
	if n := scalar(t, b, backend.Request{Query: "print 1", Start: start, End: start}); n != int64(1) {
		t.Errorf("print under a timespan = %v", n)
	}
}

func TestExtraTablesAndErrors(t *testing.T) {
	b := demo(t)
	extra := table.New("Mine", table.Schema{{Name: "x", Type: table.TypeLong}})
	_ = extra.AppendRow(int64(41))
	resp, err := b.QueryWith(context.Background(), backend.Request{Query: "Mine | extend y = x + 1"}, map[string]*table.Table{"Mine": extra})
	if err != nil {
		t.Fatal(err)
	}
	if v := resp.Tables[0].Columns[1].Data.At(0); v != int64(42) {
		t.Errorf("y = %v", v)
	}
	_, err = b.Query(context.Background(), backend.Request{Query: "print 1", Workspaces: []string{"w2"}})
	if err == nil || !strings.Contains(err.Error(), "multi-workspace") {
		t.Errorf("multi-workspace on local: %v", err)
	}
	_, err = b.Query(context.Background(), backend.Request{Query: "SecurityEvent | where NoSuchColumn == 1"})
	var ee *engine.Error
	if !errors.As(err, &ee) || ee.Code != "semantic" {
		t.Errorf("unknown column: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = b.Query(ctx, backend.Request{Query: "range x from 1 to 100000000 step 1 | summarize count()"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestOpenDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Logins.csv"), []byte("User,Count\nalice,3\nbob,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Describe() != filepath.Base(dir)+"@local" {
		t.Errorf("Describe = %q", b.Describe())
	}
	resp, err := b.Query(context.Background(), backend.Request{Query: "Logins | summarize sum(Count)"})
	if err != nil {
		t.Fatal(err)
	}
	if v := resp.Tables[0].Columns[0].Data.At(0); v != int64(8) {
		t.Errorf("sum = %v (%T)", v, v)
	}
	if _, err := Open(filepath.Join(dir, "missing")); err == nil {
		t.Errorf("opening a missing directory: no error")
	}
}

// TestTruncatedResultIsPartial: past the result limit the backend answers as Log
// Analytics does, with the first 500,000 rows and a partial error naming the limit.
func TestTruncatedResultIsPartial(t *testing.T) {
	b := demo(t)
	resp, err := b.Query(context.Background(), backend.Request{Query: "range x from 1 to 600000 step 1"})
	if err != nil {
		t.Fatalf("a cut result is not an error: %v", err)
	}
	var ee *engine.Error
	if !errors.As(resp.Partial, &ee) || ee.Code != "E_QUERY_RESULT_SET_TOO_LARGE" {
		t.Fatalf("partial = %v, want E_QUERY_RESULT_SET_TOO_LARGE", resp.Partial)
	}
	if len(resp.Tables) != 1 || resp.Tables[0].Rows() != engine.DefaultMaxRows {
		t.Fatalf("want one table of %d rows, got %d tables", engine.DefaultMaxRows, len(resp.Tables))
	}
	if last := resp.Tables[0].Columns[0].Data.At(engine.DefaultMaxRows - 1); last != int64(engine.DefaultMaxRows) {
		t.Errorf("last row %v", last)
	}
	// Within the limit there is no partial error; other errors stay errors.
	if resp, err := b.Query(context.Background(), backend.Request{Query: "set notruncation;\nrange x from 1 to 600000 step 1"}); err != nil || resp.Partial != nil || resp.Tables[0].Rows() != 600000 {
		t.Fatalf("notruncation: %v", err)
	}
	if _, err := b.Query(context.Background(), backend.Request{Query: "range x from 1 to 600000 step 1 | project nosuch"}); err == nil {
		t.Fatal("a semantic error must stay an error")
	}
}
