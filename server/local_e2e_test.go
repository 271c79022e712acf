package server_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
	"github.com/kqlkernel/kqlkernel/table"
)

var (
	demoOnce sync.Once
	demo     *local.Backend
	demoErr  error
)

// demoBackend is the embedded engine over the generated demo workspace, shared by the
// tests of this file (the workspace generates each table once).
func demoBackend(t *testing.T) *local.Backend {
	t.Helper()
	demoOnce.Do(func() { demo, demoErr = local.Open("demo") })
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demo
}

// watched wraps the engine's backend (our interface) to tell the test when a query has
// started and how it ended.
type watched struct {
	backend.Backend
	started chan struct{}
	ended   chan error
}

func (w *watched) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	close(w.started)
	resp, err := w.Backend.Query(ctx, req)
	w.ended <- err
	return resp, err
}

func TestLocalEngineTypesThroughTheWire(t *testing.T) {
	_, ep := start(t, demoBackend(t), testKey, false)
	b := laBackend(t, ep, testKey, nil)
	q := `print l=9007199254740993, lmin=-9223372036854775807 - 1, r=2.0, i=int(7), b=true, s='é"\n',
  dt=datetime(2024-01-02 03:04:05.1234567), ts=time(-1.02:03:04.0000001), g=guid(74be27de-1e4e-49d9-b579-fe0b331d3642),
  m=todecimal('12.25'), d=dynamic({"a":[1,{"b":null}],"big":9007199254740993}), n=long(null), nr=real(nan)`
	resp, err := b.Query(context.Background(), backend.Request{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	tb := resp.Tables[0]
	want := map[string]string{
		"l": "long 9007199254740993", "lmin": "long -9223372036854775808", "r": "real 2", "i": "int 7", "b": "bool true",
		"s": "string é\"\n", "dt": "datetime 2024-01-02T03:04:05.1234567Z", "ts": "timespan -1.02:03:04.0000001",
		"g": "guid 74be27de-1e4e-49d9-b579-fe0b331d3642", "m": "decimal 12.25",
		"d": `dynamic {"a":[1,{"b":null}],"big":9007199254740993}`, "n": "long ", "nr": "real NaN",
	}
	for _, c := range tb.Columns {
		got := c.Type.String() + " " + table.Format(c.Data.At(0))
		if got != want[c.Name] {
			t.Errorf("%s: got %q want %q", c.Name, got, want[c.Name])
		}
	}
	if len(tb.Columns) != len(want) {
		t.Errorf("columns: %v", tb.Schema())
	}
	if tb.Columns[0].Data.At(0) != int64(9007199254740993) {
		t.Error("the long lost precision")
	}
}

func TestLocalEngineErrorsKeepTheirPosition(t *testing.T) {
	_, ep := start(t, demoBackend(t), "", false)
	b := laBackend(t, ep, "", nil)
	cases := []struct {
		query      string
		inner      string
		line, pos  int
		wantInText string
	}{
		{"SecurityEvent\n| wher EventID == 4625", "SYN0002", 2, 2, "wher"},
		{"SecurityEvent\n| where EventId == 4625", "SEM0100", 2, 8, "EventID"}, // did you mean EventID?
	}
	for _, c := range cases {
		_, err := b.Query(context.Background(), backend.Request{Query: c.query})
		var le *loganalytics.Error
		if !errors.As(err, &le) {
			t.Fatalf("%q: %T %v", c.query, err, err)
		}
		if le.InnerCode != c.inner || le.Line != c.line || le.Pos != c.pos || le.Offset < 0 || !strings.Contains(le.Error(), c.wantInText) {
			t.Errorf("%q: %+v (%s)", c.query, le, le.Error())
		}
	}
}

func TestLocalEngineRenderAndSchema(t *testing.T) {
	_, ep := start(t, demoBackend(t), "", false)
	b := laBackend(t, ep, "", nil)
	resp, err := b.Query(context.Background(), backend.Request{
		Query:         "SecurityEvent | summarize n=count() by bin(TimeGenerated, 1d) | render timechart with (title='Daily')",
		IncludeRender: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Render == nil || resp.Render.Visualization != "timechart" || resp.Render.Title != "Daily" || resp.Tables[0].Rows() == 0 {
		t.Fatalf("render %+v, %d rows", resp.Render, resp.Tables[0].Rows())
	}
	s, err := b.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tb := range s.Tables {
		if tb.Name == "SecurityEvent" && len(tb.Columns) > 10 {
			found = true
		}
	}
	if !found {
		t.Fatalf("SecurityEvent not in the schema (%d tables)", len(s.Tables))
	}
}

const endless = "range x from 1 to 9000000000000000000 step 1 | summarize count()"

func TestLocalEngineCancelledByInterrupt(t *testing.T) {
	w := &watched{Backend: demoBackend(t), started: make(chan struct{}), ended: make(chan error, 1)}
	_, ep := start(t, w, "", false)
	b := laBackend(t, ep, "", nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := b.Query(ctx, backend.Request{Query: endless})
		done <- err
	}()
	select {
	case <-w.started:
	case err := <-done:
		t.Fatalf("ended before starting: %v", err)
	}
	cancel() // what the kernel does on interrupt
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v", err)
	}
	// The engine stopped because the server cancelled it, not because it finished.
	if err := <-w.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("engine ended with %v", err)
	}
}

func TestLocalEngineServerTimeout(t *testing.T) {
	w := &watched{Backend: demoBackend(t), started: make(chan struct{}), ended: make(chan error, 1)}
	_, ep := start(t, w, "", false)
	_, err := laBackend(t, ep, "", nil).Query(context.Background(), backend.Request{Query: endless, Timeout: time.Second})
	var le *loganalytics.Error
	if !errors.As(err, &le) || !le.Timeout() {
		t.Fatalf("want a gateway timeout, got %v", err)
	}
	if err := <-w.ended; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("engine ended with %v", err)
	}
}

// TestLocalEngineTruncationIsPartial: a result past Kusto's limit comes back as Log
// Analytics sends it, a 200 with the first 500,000 rows and a PartialError whose cause
// names E_QUERY_RESULT_SET_TOO_LARGE, read by the real azlogs client and by ours.
func TestLocalEngineTruncationIsPartial(t *testing.T) {
	_, ep := start(t, demoBackend(t), "", false)
	q := "range x from 1 to 600000 step 1"
	res, err := azlogsClient(t, ep, nil, "", nil).QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q}, nil)
	if err != nil {
		t.Fatalf("azlogs: a cut result is not a failure: %v", err)
	}
	if len(res.Tables) != 1 || len(res.Tables[0].Rows) != 500000 {
		t.Fatalf("azlogs: want 500000 rows, got %d tables", len(res.Tables))
	}
	if res.Error == nil || res.Error.Code != "PartialError" || !strings.Contains(res.Error.Error(), "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Fatalf("azlogs partial error: %v", res.Error)
	}
	resp, err := laBackend(t, ep, "", nil).Query(context.Background(), backend.Request{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	var le *loganalytics.Error
	if resp.Tables[0].Rows() != 500000 || !errors.As(resp.Partial, &le) || le.Code != "PartialError" || len(le.Details) != 1 ||
		le.Details[0].InnerCode != "-2133196797" || !strings.Contains(le.Details[0].InnerMessage, "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Fatalf("partial: %d rows, %#v", resp.Tables[0].Rows(), resp.Partial)
	}
	if last := resp.Tables[0].Columns[0].Data.At(499999); last != int64(500000) {
		t.Errorf("last row %v", last)
	}
}
