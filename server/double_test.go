package server_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// fixed is a backend.Backend (our own interface) with canned typed answers, picked by the
// query text. It stands in for backend/local where a test needs exact control: every
// column type, partial results, a query that blocks until cancelled.
type fixed struct {
	mu      sync.Mutex
	last    backend.Request
	calls   atomic.Int32
	started chan struct{} // closed when a "slow" query starts
	stopped chan error    // receives the context error when a "slow" query ends
}

func newFixed() *fixed {
	return &fixed{started: make(chan struct{}), stopped: make(chan error, 1)}
}

func (f *fixed) Describe() string { return "fixed test backend" }

func (f *fixed) lastRequest() backend.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

func (f *fixed) Schema(ctx context.Context) (*backend.Schema, error) {
	return &backend.Schema{
		Tables: []backend.TableSchema{{Name: "SecurityEvent", Description: "Windows security events",
			Columns: table.Schema{{Name: "TimeGenerated", Type: table.TypeDateTime}, {Name: "EventID", Type: table.TypeInt}, {Name: "Account", Type: table.TypeString}}}},
		Functions: []backend.FunctionSchema{{Name: "ASimProcess", Parameters: "(starttime:datetime)", Body: "SecurityEvent | take 1"}},
	}, nil
}

const bigLong = int64(9007199254740993) // 2^53 + 1: float64 can't hold it

// typesTable has one column of every type and rows with extremes and nulls.
func typesTable() *table.Table {
	t := table.New("PrimaryResult", table.Schema{
		{Name: "b", Type: table.TypeBool}, {Name: "i", Type: table.TypeInt}, {Name: "l", Type: table.TypeLong},
		{Name: "r", Type: table.TypeReal}, {Name: "m", Type: table.TypeDecimal}, {Name: "s", Type: table.TypeString},
		{Name: "d", Type: table.TypeDateTime}, {Name: "ts", Type: table.TypeTimeSpan}, {Name: "g", Type: table.TypeGUID},
		{Name: "dyn", Type: table.TypeDynamic},
	})
	dyn, err := table.ParseDynamic(`{"a":[1,2.5,{"b":null,"c":"x\"y"}],"big":9007199254740993,"s":"<&>"}`)
	if err != nil {
		panic(err)
	}
	rows := [][]any{
		{true, int32(math.MaxInt32), bigLong, 2.0, decimal.RequireFromString("79228162514264337593543950335"), "héllo \"q\" \n\t<b>", table.DateTime(637134336000000001), 90*table.Minute + 5*table.Tick, table.GUID("74be27de-1e4e-49d9-b579-fe0b331d3642"), dyn},
		{false, int32(math.MinInt32), int64(math.MinInt64), math.NaN(), decimal.RequireFromString("-0.0000001"), "", table.MinDateTime, -3*table.Day - table.Second, table.GUID("00000000-0000-0000-0000-000000000000"), []any{int64(math.MaxInt64), "x", true}},
		{nil, nil, int64(math.MaxInt64), math.Inf(-1), nil, "\u2028", table.MaxDateTime, table.TimeSpan(math.MaxInt64), nil, "just a string"},
		{true, int32(0), nil, nil, decimal.Zero, "∑", nil, nil, nil, nil},
		{false, int32(-1), int64(-1), 1e300, decimal.RequireFromString("1.5"), "last", table.DateTime(0), table.TimeSpan(0), table.GUID("ffffffff-ffff-ffff-ffff-ffffffffffff"), int64(42)},
	}
	for _, r := range rows {
		if err := t.AppendRow(r...); err != nil {
			panic(err)
		}
	}
	return t
}

func (f *fixed) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.last = req
	f.mu.Unlock()
	q := strings.TrimSpace(req.Query)
	switch {
	case q == "types":
		return &backend.Response{Tables: []*table.Table{typesTable()}}, nil
	case q == "render":
		t := table.New("PrimaryResult", table.Schema{{Name: "State", Type: table.TypeString}, {Name: "n", Type: table.TypeLong}})
		_ = t.AppendRow("TEXAS", int64(4701))
		ymax := 100.0
		return &backend.Response{Tables: []*table.Table{t}, Render: &table.RenderSpec{Visualization: "columnchart", Title: "Storms", XTitle: "State", YTitle: "Count", YMax: &ymax, Kind: "stacked", Series: []string{"State"}, YColumns: []string{"n"}}}, nil
	case q == "partial":
		t := table.New("PrimaryResult", table.Schema{{Name: "n", Type: table.TypeLong}})
		for i := range 3 {
			_ = t.AppendRow(int64(i))
		}
		return &backend.Response{Tables: []*table.Table{t}, Partial: errors.New("Query result set has exceeded the internal record count limit 3 (E_QUERY_RESULT_SET_TOO_LARGE)")}, nil
	case q == "two tables":
		a := table.New("PrimaryResult", table.Schema{{Name: "x", Type: table.TypeLong}})
		_ = a.AppendRow(int64(1))
		b := table.New("Table_1", table.Schema{{Name: "y", Type: table.TypeString}})
		_ = b.AppendRow("z")
		return &backend.Response{Tables: []*table.Table{a, b}}, nil
	case q == "workspaces" || q == "timespan":
		t := table.New("PrimaryResult", table.Schema{{Name: "workspace", Type: table.TypeString}, {Name: "start", Type: table.TypeDateTime}, {Name: "end", Type: table.TypeDateTime}})
		for _, w := range append([]string{"(primary)"}, req.Workspaces...) {
			_ = t.AppendRow(w, table.FromTime(req.Start), table.FromTime(req.End))
		}
		return &backend.Response{Tables: []*table.Table{t}}, nil
	case q == "slow":
		close(f.started)
		<-ctx.Done()
		f.stopped <- ctx.Err()
		return nil, ctx.Err()
	case strings.HasPrefix(q, "SecurityEvent\n| wher "):
		// A syntax error at line 2, column 3 (code points).
		return nil, syntax.ErrorList{{Offset: strings.Index(q, "wher"), Len: 4, Msg: "unknown operator 'wher'", Hint: "did you mean 'where'?"}}
	}
	return nil, errors.New("'where' operator: Failed to resolve column or scalar expression named 'Nope'")
}
