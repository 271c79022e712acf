package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

type testDB map[string]*table.Table

func (d testDB) Table(n string) (*table.Table, bool) { t, ok := d[n]; return t, ok }
func (d testDB) TableNames() []string {
	out := []string{}
	for k := range d {
		out = append(out, k)
	}
	return sortedStrings(out)
}

func securityEvents(t *testing.T) testDB {
	t.Helper()
	se := table.New("SecurityEvent", table.Schema{
		{Name: "TimeGenerated", Type: table.TypeDateTime}, {Name: "Computer", Type: table.TypeString},
		{Name: "EventID", Type: table.TypeInt}, {Name: "Account", Type: table.TypeString},
	})
	base := table.DateTime(638000000000000000)
	for i := 0; i < 100; i++ {
		if err := se.AppendRow(base+table.DateTime(int64(i)*int64(table.Minute)), []string{"a", "b", "c"}[i%3], int32(4624+i%2), "u"+string(rune('0'+i%5))); err != nil {
			t.Fatal(err)
		}
	}
	return testDB{"SecurityEvent": se}
}

func TestRunErrors(t *testing.T) {
	db := securityEvents(t)
	cases := []struct {
		query, code, msg, hint string
		line, col              int
	}{
		{"SecurityEvent\n| where EventId == 4625", "semantic", "unknown column or variable 'EventId'", "did you mean 'EventID'?", 2, 9},
		{"SecurityEvnt | count", "semantic", "unknown table or variable 'SecurityEvnt'", "did you mean 'SecurityEvent'?", 1, 1},
		{"SecurityEvent | extend x = tolowr(Computer)", "semantic", "unknown function 'tolowr'", "did you mean 'tolower'?", 1, 28},
		{"SecurityEvent | where Computer", "semantic", "the predicate must be bool", "", 1, 23},
		{"SecurityEvent | summarize count() by Acount", "semantic", "unknown column or variable 'Acount'", "did you mean 'Account'?", 1, 38},
		{"SecurityEvent | project-away Comptuer", "semantic", "unknown column 'Comptuer'", "did you mean 'Computer'?", 1, 30},
		{"SecurityEvent | where", "syntax", "", "", 1, 0},
	}
	for _, c := range cases {
		_, err := Run(context.Background(), db, c.query, Options{})
		var qe *Error
		if !errors.As(err, &qe) {
			t.Errorf("%q: got %v, want an *Error", c.query, err)
			continue
		}
		if qe.Code != c.code || !strings.Contains(qe.Msg, c.msg) || qe.Hint != c.hint && c.hint != "" {
			t.Errorf("%q: got %s %q hint %q, want %s %q hint %q", c.query, qe.Code, qe.Msg, qe.Hint, c.code, c.msg, c.hint)
		}
		if c.col > 0 {
			if line, col := qe.Line(); line != c.line || col != c.col {
				t.Errorf("%q: at %d:%d, want %d:%d", c.query, line, col, c.line, c.col)
			}
		}
		if f := qe.Format(); !strings.Contains(f, "^") {
			t.Errorf("%q: Format has no caret: %q", c.query, f)
		}
	}
}

func TestRunResults(t *testing.T) {
	db := securityEvents(t)
	cases := []struct {
		query string
		cols  string
		rows  int
		first string
	}{
		{"SecurityEvent | where EventID == 4625 | count", "Count:long", 1, "50"},
		{"SecurityEvent | summarize count() by Computer | sort by Computer asc", "Computer:string,count_:long", 3, "a"},
		{"SecurityEvent | summarize n=dcount(Account), arg_max(TimeGenerated, *) by EventID | order by EventID asc", "EventID:int,n:long,TimeGenerated:datetime,Computer:string,Account:string", 2, "4624"},
		{"SecurityEvent | take 7 | project Computer, x = EventID * 2", "Computer:string,x:long", 7, ""},
		{"SecurityEvent | join kind=leftouter (SecurityEvent | summarize c=count() by Account) on Account | take 1", "TimeGenerated:datetime,Computer:string,EventID:int,Account:string,Account1:string,c:long", 1, ""},
		{"print x=1, 'a' | extend y = x + 1", "x:long,print_1:string,y:long", 1, "1"},
		{"range i from 1 to 10 step 3 | summarize sum(i)", "sum_i:long", 1, "22"},
	}
	for _, c := range cases {
		res, err := Run(context.Background(), db, c.query, Options{})
		if err != nil {
			t.Errorf("%q: %v", c.query, err)
			continue
		}
		tb := res.Tables[0]
		var cols []string
		for _, col := range tb.Columns {
			cols = append(cols, col.Name+":"+col.Type.String())
		}
		if got := strings.Join(cols, ","); got != c.cols {
			t.Errorf("%q: columns %s, want %s", c.query, got, c.cols)
		}
		if tb.Rows() != c.rows {
			t.Errorf("%q: %d rows, want %d", c.query, tb.Rows(), c.rows)
		}
		if c.first != "" && tb.Rows() > 0 {
			if got := table.Format(tb.Columns[0].Data.At(0)); got != c.first {
				t.Errorf("%q: first value %s, want %s", c.query, got, c.first)
			}
		}
	}
}

func TestResultLimit(t *testing.T) {
	db := testDB{}
	// Past the limit, Kusto returns the first rows and a partial error: so does Run,
	// whether the result streams, is generated or comes from a breaker (sort, summarize).
	for _, c := range []struct {
		query       string
		opts        Options
		rows        int
		first, last string
	}{
		{"range x from 1 to 600000 step 1", Options{}, 500000, "1", "500000"},
		{"range x from 1 to 600000 step 1 | where x > 0 | extend y = x * 2", Options{}, 500000, "1", "500000"},
		{"range x from 1 to 1200000 step 1 | where x % 2 == 0", Options{Workers: 4}, 500000, "2", "1000000"},
		{"range x from 1 to 600000 step 1 | sort by x desc", Options{}, 500000, "600000", "100001"},
		{"range x from 1 to 100 step 1 | summarize by x | sort by x asc", Options{MaxRows: 7}, 7, "1", "7"},
		{"set truncationmaxrecords=10;\nrange x from 1 to 1e12 step 1", Options{}, 10, "1", "10"},
		{"range x from 1 to 1000 step 1 | extend s = strcat('row ', x)", Options{MaxBytes: 4000}, 0, "1", ""},
	} {
		res, err := Run(context.Background(), db, c.query, c.opts)
		var qe *Error
		if !errors.As(err, &qe) || qe.Code != "E_QUERY_RESULT_SET_TOO_LARGE" {
			t.Fatalf("%q: got %v, want E_QUERY_RESULT_SET_TOO_LARGE", c.query, err)
		}
		if res == nil || len(res.Tables) != 1 {
			t.Fatalf("%q: no rows with the partial error: %+v", c.query, res)
		}
		tb := res.Tables[0]
		if c.opts.MaxBytes > 0 {
			// Cut to fit the size limit: some rows, not all, within the bytes.
			if n := tb.Rows(); n == 0 || n >= 1000 || tableBytes(tb) > c.opts.MaxBytes {
				t.Errorf("%q: %d rows, %d bytes, limit %d", c.query, n, tableBytes(tb), c.opts.MaxBytes)
			}
			continue
		}
		if n := tb.Rows(); n != c.rows {
			t.Fatalf("%q: %d rows, want %d", c.query, n, c.rows)
		}
		first, last := table.Format(tb.Columns[0].Data.At(0)), table.Format(tb.Columns[0].Data.At(c.rows-1))
		if first != c.first || last != c.last {
			t.Errorf("%q: rows %s..%s, want %s..%s", c.query, first, last, c.first, c.last)
		}
	}
	// At the limit exactly there is no cut.
	if res, err := Run(context.Background(), db, "range x from 1 to 500000 step 1", Options{}); err != nil || res.Tables[0].Rows() != 500000 {
		t.Fatalf("500,000 rows: %v", err)
	}
	if _, err := Run(context.Background(), db, "range x from 1 to 600000 step 1 | where x > 0", Options{MaxRows: -1}); err != nil {
		t.Fatalf("MaxRows < 0 must lift the limit: %v", err)
	}
	res, err := Run(context.Background(), db, "set notruncation;\nrange x from 1 to 600000 step 1", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Tables[0].Rows(); n != 600000 {
		t.Fatalf("%d rows, want 600000", n)
	}
	// Other errors still come without a result.
	if res, err := Run(context.Background(), db, "range x from 1 to 600000 step 1 | extend y = nosuchcolumn", Options{}); err == nil || res != nil {
		t.Fatalf("semantic error: %v, %v", res, err)
	}
}

func TestCancel(t *testing.T) {
	n := 1 << 20
	v := &table.Vector{Type: table.TypeLong, Ints: make([]int64, n)}
	db := testDB{"T": {Columns: []table.Column{{Name: "x", Type: table.TypeLong, Data: v}}}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, db, "T | where x == 0 | summarize count() by x", Options{})
	var qe *Error
	if !errors.As(err, &qe) || qe.Code != "canceled" || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want a canceled error wrapping context.Canceled", err)
	}
}

func TestRenderSpec(t *testing.T) {
	res, err := Run(context.Background(), testDB{}, "range x from 1 to 3 step 1 | extend y = x * 2 | render timechart with (title='t', ycolumns=y)", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Render == nil || res.Render.Visualization != "timechart" || res.Render.Title != "t" || len(res.Render.YColumns) != 1 {
		t.Fatalf("render spec %+v", res.Render)
	}
	if res.Tables[0].Rows() != 3 {
		t.Fatalf("render must pass rows through")
	}
}

func TestTopMatchesSort(t *testing.T) {
	tb := table.New("T", table.Schema{{Name: "id", Type: table.TypeLong}, {Name: "x", Type: table.TypeLong}, {Name: "s", Type: table.TypeString}})
	for i := 0; i < 5000; i++ {
		var x any = int64((i * 7919) % 113)
		if i%17 == 0 {
			x = nil
		}
		if err := tb.AppendRow(int64(i), x, string(rune('a'+i%26))); err != nil {
			t.Fatal(err)
		}
	}
	db := testDB{"T": tb}
	for _, by := range []string{"x", "x asc", "x desc nulls first", "s asc, x desc", "x asc nulls last, id desc"} {
		a, err := Run(context.Background(), db, "T | top 25 by "+by, Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Run(context.Background(), db, "T | sort by "+by+" | take 25", Options{})
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := table.EncodeJSON(a.Tables)
		jb, _ := table.EncodeJSON(b.Tables)
		if string(ja) != string(jb) {
			t.Errorf("top 25 by %s differs from sort+take:\n%s\n%s", by, ja, jb)
		}
	}
}

// TestParallelMatchesSerial runs multi-batch queries with one and with several workers:
// the parallel scan, per-worker group tables and their merge must give the same answer.
func TestParallelMatchesSerial(t *testing.T) {
	n := 3*batchSize + 123
	tb := table.New("T", table.Schema{{Name: "k", Type: table.TypeLong}, {Name: "s", Type: table.TypeString}, {Name: "v", Type: table.TypeReal}, {Name: "d", Type: table.TypeDateTime}})
	for i := 0; i < n; i++ {
		var v any = float64(i%97) / 7
		if i%31 == 0 {
			v = nil
		}
		if err := tb.AppendRow(int64(i%53), fmt.Sprintf("u%d", (i*7)%211), v, table.DateTime(638000000000000000+int64(i)*int64(table.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	db := testDB{"T": tb}
	queries := []string{
		"T | summarize c=count(), s=sum(v), a=avg(v), mn=min(s), mx=max(d), dc=dcount(s), sd=stdev(v) by k | sort by k asc",
		"T | summarize count() by bin(d, 1h), s | summarize n=count(), t=sum(count_) by s | sort by s asc",
		"T | where k > 10 and s startswith 'u1' | summarize dcount(s), countif(isnull(v)), arg_max(d, k)",
		"T | where v > 3 | count",
		"T | summarize make_set(k) by s | extend n = array_length(set_k) | summarize sum(n)",
		"T | summarize percentiles(v, 10, 90), variance(v), sumif(v, k < 5)",
		"T | join kind=inner (T | summarize m=max(d) by s) on s | where d == m | count",
		"T | top 5 by v desc, d asc",
	}
	for _, q := range queries {
		a, err := Run(context.Background(), db, q, Options{Workers: 1})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		b, err := Run(context.Background(), db, q, Options{Workers: 4})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		ja, _ := table.EncodeJSON(a.Tables)
		jb, _ := table.EncodeJSON(b.Tables)
		if !jsonClose(t, ja, jb) {
			t.Errorf("%s: 1 worker and 4 workers differ:\n%.600s\n%.600s", q, ja, jb)
		}
	}
}

// jsonClose compares two JSON texts, numbers to 1e-9 relative (sums of reals depend on
// the order the workers add them in).
func jsonClose(t *testing.T, a, b []byte) bool {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	var eq func(x, y any) bool
	eq = func(x, y any) bool {
		switch xv := x.(type) {
		case float64:
			yv, ok := y.(float64)
			return ok && math.Abs(xv-yv) <= 1e-9*math.Max(math.Abs(xv), math.Abs(yv))
		case []any:
			yv, ok := y.([]any)
			if !ok || len(xv) != len(yv) {
				return false
			}
			for i := range xv {
				if !eq(xv[i], yv[i]) {
					return false
				}
			}
			return true
		case map[string]any:
			yv, ok := y.(map[string]any)
			if !ok || len(xv) != len(yv) {
				return false
			}
			for k := range xv {
				if !eq(xv[k], yv[k]) {
					return false
				}
			}
			return true
		}
		return x == y
	}
	return eq(x, y)
}
