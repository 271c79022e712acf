package magic

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/kernel"
	"github.com/kqlkernel/kqlkernel/render"
	"github.com/kqlkernel/kqlkernel/server"
	"github.com/kqlkernel/kqlkernel/table"
)

// cutting is a workspace that answers like Log Analytics at its result limits: the first
// limit rows and a PartialError whose cause is cause (the service's own shape; our
// server puts it on the wire and the azlogs client reads it back).
type cutting struct {
	*local.Backend
	limit int
	cause *loganalytics.Error
}

func (c *cutting) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	resp, err := c.Backend.Query(ctx, req)
	if err != nil || len(resp.Tables) == 0 || resp.Tables[0].Rows() <= c.limit {
		return resp, err
	}
	t := resp.Tables[0]
	kept := table.New(t.Name, t.Schema())
	row := make([]any, len(t.Columns))
	for r := 0; r < c.limit; r++ {
		for i, col := range t.Columns {
			row[i] = col.Data.At(r)
		}
		if err := kept.AppendRow(row...); err != nil {
			return nil, err
		}
	}
	resp.Tables[0] = kept
	resp.Partial = &loganalytics.Error{StatusCode: 200, Code: "PartialError", Message: "There were some errors when processing your query.", Offset: -1,
		Details: []*loganalytics.Error{c.cause}}
	return resp, nil
}

// tooLarge is the cause Log Analytics sends for a result cut at 500,000 rows.
var tooLarge = &loganalytics.Error{StatusCode: 200, Code: "EngineError", Message: "Something went wrong processing your query on the server.",
	InnerCode: "-2133196797", InnerMessage: "Query result set has exceeded the internal record count limit 500000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)", Offset: -1}

func servedCutting(t *testing.T, limit int, cause *loganalytics.Error) *Interpreter {
	t.Helper()
	demo, err := local.Open("demo")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{Backend: &cutting{Backend: demo, limit: limit, cause: cause}, APIKey: serveKey}))
	t.Cleanup(srv.Close)
	in := newTestInterpreter(t)
	run(t, in, &recorder{}, "%kql loganalytics://workspace='ws-1';appkey='"+serveKey+"';alias='svc';endpoint='"+srv.URL+"/v1'")
	return in
}

// statusOf returns the final status line the cell showed.
func statusOf(t *testing.T, out *recorder) string {
	t.Helper()
	out.mu.Lock()
	defer out.mu.Unlock()
	for i := len(out.events) - 1; i >= 0; i-- {
		if e := out.events[i]; strings.HasPrefix(e.text, "Done (") {
			return e.text
		}
	}
	t.Fatalf("no status line")
	return ""
}

// TestServiceTruncationWarns: a result the service cut at its limit says so in the
// status line; the display limit ("showing N of M rows") is a different thing and stays
// in the table's footer.
func TestServiceTruncationWarns(t *testing.T) {
	in := servedCutting(t, 20, tooLarge)
	out := &recorder{}
	b := run(t, in, out, "%kql -display_limit 5 SecurityEvent | project TimeGenerated, EventID | take 50")
	st := statusOf(t, out)
	if !strings.Contains(st, ": 20 records") || !strings.Contains(st, "Warning: the result was truncated") {
		t.Errorf("status:\n%s", st)
	}
	if strings.Contains(st, "partial result") {
		t.Errorf("a truncated result is reported as a partial error too:\n%s", st)
	}
	if !strings.Contains(out.all(), "Truncated result\n") || !strings.Contains(out.all(), "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Errorf("the service's message is not shown:\n%s", out.all())
	}
	if !strings.HasSuffix(textOf(b), "(showing 5 of 20 rows)") {
		t.Errorf("display limit: %q", textOf(b))
	}
	if strings.Contains(textOf(b), "truncated") {
		t.Errorf("the table speaks of truncation: %q", textOf(b))
	}
	// The HTML status carries the warning too.
	out.mu.Lock()
	var html string
	for _, e := range out.events {
		if strings.HasPrefix(e.text, "Done (") {
			html, _ = e.b.Data["text/html"].(string)
		}
	}
	out.mu.Unlock()
	if !strings.Contains(html, "the result was truncated") {
		t.Errorf("status HTML: %s", html)
	}
}

// TestPartialErrorIsNotTruncation: other partial errors keep the partial-result warning.
func TestPartialErrorIsNotTruncation(t *testing.T) {
	in := servedCutting(t, 20, &loganalytics.Error{StatusCode: 200, Code: "EngineError", Message: "Something went wrong processing your query on the server.",
		InnerCode: "LimitsExceeded", InnerMessage: "Query execution lacks memory resources to complete (80DA0007)", Offset: -1})
	out := &recorder{}
	run(t, in, out, "%kql SecurityEvent | take 50")
	st := statusOf(t, out)
	if strings.Contains(st, "truncated") || !strings.Contains(st, "Warning: partial result") {
		t.Errorf("status:\n%s", st)
	}
	if !strings.Contains(out.all(), "Partial result\n") {
		t.Errorf("no partial error shown:\n%s", out.all())
	}
}

// TestDisplayLimitIsNotTruncation: the local engine returns every row; magic shows the
// first 100 and says so under the table, with no truncation warning.
func TestDisplayLimitIsNotTruncation(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	b := run(t, in, out, "range x from 1 to 150 step 1")
	if st := statusOf(t, out); !strings.Contains(st, ": 150 records") || strings.Contains(st, "Warning") {
		t.Errorf("status:\n%s", st)
	}
	if !strings.HasSuffix(textOf(b), "(showing 100 of 150 rows)") {
		t.Errorf("display limit: %q", textOf(b)[max(0, len(textOf(b))-80):])
	}
}

func TestIsTruncation(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&engine.Error{Code: "E_QUERY_RESULT_SET_TOO_LARGE", Msg: "query result set has exceeded the internal record count limit 500000"}, true},
		{fmt.Errorf("backend: %w", &engine.Error{Code: "E_QUERY_RESULT_SET_TOO_LARGE"}), true},
		{&loganalytics.Error{Code: "PartialError", Details: []*loganalytics.Error{tooLarge}}, true},
		// Azure Data Explorer's stream error: the HRESULT and the name
		{errors.New("LimitsExceeded: Request is invalid and cannot be executed.: Query result set has exceeded the internal data size limit 67108864 (E_QUERY_RESULT_SET_TOO_LARGE)."), true},
		{errors.New("Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException: HResult: 0x80DA0003"), true},
		{&engine.Error{Code: "runtime", Msg: "division by zero"}, false},
		{&loganalytics.Error{Code: "PartialError", Details: []*loganalytics.Error{{Code: "EngineError", InnerMessage: "lacks memory (80DA0007)"}}}, false},
	} {
		if got := isTruncation(c.err); got != c.want {
			t.Errorf("%v: %v, want %v", c.err, got, c.want)
		}
	}
}

// TestFailedStatusIsTheRenderedLine: a query that fails after its running line appeared
// replaces that line with render's failed status (same text, same HTML).
func TestFailedStatusIsTheRenderedLine(t *testing.T) {
	in, err := New(Config{Getenv: func(string) string { return "" }, StatusDelay: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &cancelOnRunning{cancel: cancel}
	_, err = in.Execute(ctx, kernel.ExecuteRequest{Code: "range x from 1 to 100000000000 step 1 | summarize count()"}, out)
	var ee *kernel.ExecError
	if !errors.As(err, &ee) || ee.Name != "KeyboardInterrupt" {
		t.Fatalf("want an interrupt, got %v", err)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	last := out.events[len(out.events)-1]
	if last.kind != "update" || last.b.DisplayID == "" || !strings.HasPrefix(last.text, "Failed (") {
		t.Fatalf("last event: %+v", last)
	}
	var m, s, ms int
	if _, err := fmt.Sscanf(last.text, "Failed (%d:%d.%d)", &m, &s, &ms); err != nil {
		t.Fatalf("%q: %v", last.text, err)
	}
	want := render.StatusLine(render.Status{Failed: true, Elapsed: elapsedOf(m, s, ms)})
	if last.b.Data["text/html"] != want.Data["text/html"] || last.text != want.Data["text/plain"] {
		t.Errorf("failed status\n got %v\nwant %v", last.b.Data, want.Data)
	}
}

// cancelOnRunning interrupts the query as soon as its running line shows.
type cancelOnRunning struct {
	recorder
	cancel context.CancelFunc
}

func (c *cancelOnRunning) Display(b kernel.Bundle) {
	c.recorder.Display(b)
	if strings.HasPrefix(textOf(b), "Running (") {
		c.cancel()
	}
}

func elapsedOf(m, s, ms int) time.Duration {
	return time.Duration(m)*time.Minute + time.Duration(s)*time.Second + time.Duration(ms)*time.Millisecond
}
