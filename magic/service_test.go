package magic

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
	"github.com/kqlkernel/kqlkernel/kernel"
	"github.com/kqlkernel/kqlkernel/server"
	"github.com/kqlkernel/kqlkernel/table"
)

const serveKey = "SERVE-SECRET-KEY-123"

// served starts our own Log Analytics API server over the demo workspace and connects an
// interpreter to it through a Kqlmagic connection string, as a user would.
func served(t *testing.T) (*Interpreter, string) {
	t.Helper()
	demo, err := local.Open("demo")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{Backend: demo, APIKey: serveKey}))
	t.Cleanup(srv.Close)
	in := newTestInterpreter(t)
	conn := "%kql loganalytics://workspace='ws-1';appkey='" + serveKey + "';alias='svc';endpoint='" + srv.URL + "/v1'"
	b := run(t, in, &recorder{}, conn)
	if textOf(b) != " * svc@loganalytics" {
		t.Fatalf("connect: %q", textOf(b))
	}
	return in, srv.URL
}

// noSecret fails if the key shows anywhere in what the cell produced.
func noSecret(t *testing.T, out *recorder, b *kernel.Bundle, err error) {
	t.Helper()
	all := out.all()
	if b != nil {
		for _, v := range b.Data {
			if s, ok := v.(string); ok {
				all += s
			}
		}
	}
	if err != nil {
		all += err.Error()
		if ee, ok := err.(*kernel.ExecError); ok {
			all += strings.Join(ee.Traceback, "\n")
		}
	}
	if strings.Contains(all, serveKey) {
		t.Errorf("the app key leaked into the output:\n%s", all)
	}
}

func TestServiceSeedCells(t *testing.T) {
	in, _ := served(t)
	out := &recorder{}
	b := run(t, in, out, "%kql SecurityEvent | take 1")
	noSecret(t, out, &b, nil)
	if !strings.Contains(out.all(), "1 records") || !strings.Contains(out.all(), "svc@loganalytics") {
		t.Errorf("status: %s", out.all())
	}
	if !strings.HasPrefix(textOf(b), "TenantId") {
		t.Errorf("result: %.200s", textOf(b))
	}
	out = &recorder{}
	b = run(t, in, out, "%%kql\nSecurityEvent\n| where TimeGenerated between (ago(1d) .. now())\n| summarize EventCount=count() by EventID")
	if !regexp.MustCompile(`(?m)^\s*4688\s+\d+$`).MatchString(textOf(b)) {
		t.Errorf("events by id:\n%s", textOf(b))
	}
	// -timespan is sent as the API's timespan: nothing is older than it.
	b = run(t, in, &recorder{}, "%kql -timespan 2h SecurityEvent | summarize older = countif(TimeGenerated < ago(2h) - 1m)")
	if !regexp.MustCompile(`\s0$`).MatchString(textOf(b)) {
		t.Errorf("timespan not applied: %q", textOf(b))
	}
	lst := run(t, in, &recorder{}, "%kql --list")
	if strings.Contains(textOf(lst), serveKey) || !strings.Contains(textOf(lst), "* svc@loganalytics") {
		t.Errorf("--list: %s", textOf(lst))
	}
}

func TestServiceErrorsMapOntoTheCell(t *testing.T) {
	in, _ := served(t)
	run(t, in, &recorder{}, "let Limit = 5;")
	out := &recorder{}
	b, err := exec(in, out, "SecurityEvent\n| where EventIDD == Limit")
	noSecret(t, out, b, err)
	ee, ok := err.(*kernel.ExecError)
	if !ok || ee.Name != "ServiceError" {
		t.Fatalf("want a ServiceError, got %v", err)
	}
	tb := strings.Join(ee.Traceback, "\n")
	// A syntax error: the server gives line and position, magic draws the caret.
	_, err = exec(in, &recorder{}, "SecurityEvent\n| where EventID == == 1")
	se, ok := err.(*kernel.ExecError)
	if !ok || !strings.Contains(strings.Join(se.Traceback, "\n"), "2:20:") || !strings.Contains(strings.Join(se.Traceback, "\n"), "\n                   ^") {
		t.Errorf("syntax error through the service: %v", err)
		if ok {
			t.Logf("%s", strings.Join(se.Traceback, "\n"))
		}
	}
	// The parameters prepended to the query must not shift the caret: line 2 of the cell.
	if !strings.Contains(tb, "2:9:") || !strings.Contains(tb, "| where EventIDD == Limit") {
		t.Errorf("traceback:\n%s", tb)
	}
}

func TestNamedResultInlinedToService(t *testing.T) {
	in, _ := served(t)
	run(t, in, &recorder{}, "%kql -conn demo@local --as Few datatable(a:long, s:string) [1, 'x', 2, 'y']")
	out := &recorder{}
	b := run(t, in, out, "%kql -sq Few | summarize n = sum(a)")
	if !regexp.MustCompile(`\s3$`).MatchString(textOf(b)) {
		t.Errorf("sum over the inlined result: %q", textOf(b))
	}
	if !strings.Contains(out.all(), "let Few = datatable(a:long, s:string)") {
		t.Errorf("-show_query should show the inlined datatable:\n%s", out.all())
	}
	run(t, in, &recorder{}, "%kql -conn demo@local --as Many range x from 1 to 10001 step 1")
	_, err := exec(in, &recorder{}, "Many | count")
	if err == nil || !strings.Contains(err.Error(), "at most 10000 can be sent") {
		t.Errorf("bound: %v", err)
	}
	// On the local engine the same result is queried directly, without a bound.
	b = run(t, in, &recorder{}, "%kql -conn demo@local Many | count")
	if !strings.HasSuffix(textOf(b), "10001") {
		t.Errorf("local: %q", textOf(b))
	}
}

// TestDescribeServiceError checks the mapping of a service error's position back onto the
// user's query, past the prepended session parameters, with a value the service sent.
func TestDescribeServiceError(t *testing.T) {
	in := newTestInterpreter(t)
	user := "SecurityEvent\n| where EventIDD == 1"
	prefix := "let Limit = 5;\n"
	sent := prefix + user
	le := &loganalytics.Error{StatusCode: 400, Code: "BadArgumentError", Message: "The request had some invalid properties",
		InnerCode: "SEM0100", InnerMessage: "'where' operator: Failed to resolve column or scalar expression named 'EventIDD'",
		Line: 3, Pos: 8, Offset: strings.Index(sent, "EventIDD")}
	text := in.describeError(le, prepared{text: sent, prefix: len(prefix), user: user, at: -1})
	want := "BadArgumentError: The request had some invalid properties\n2:9: SEM0100: 'where' operator: Failed to resolve column or scalar expression named 'EventIDD'\n| where EventIDD == 1\n        ^"
	if text != want {
		t.Errorf("got\n%s\nwant\n%s", text, want)
	}
	// An error inside the parameters points there.
	le.Offset = strings.Index(sent, "5")
	text = in.describeError(le, prepared{text: sent, prefix: len(prefix), user: user, at: -1})
	if !strings.Contains(text, "in the session parameters") || !strings.Contains(text, "let Limit = 5;") {
		t.Errorf("error in a parameter:\n%s", text)
	}
}

func TestServiceSchemaCompletion(t *testing.T) {
	in, _ := served(t)
	code := "SecurityEvent | where Acc"
	c := in.Complete(context.Background(), code, len(code))
	if !slicesContains(c.Matches, "Account") || !slicesContains(c.Matches, "AccountName") || slicesContains(c.Matches, "EventID") {
		t.Errorf("columns from the service's metadata: %v", first(c.Matches, 5))
	}
	b, ok := in.Inspect(context.Background(), "SecurityEvent", 3, 0)
	if !ok || !strings.Contains(textOf(b), "SecurityEvent (table)") || !strings.Contains(textOf(b), "EventID") {
		t.Errorf("inspect via the service: %v %q", ok, textOf(b))
	}
}

// partialService stands in for a Log Analytics workspace that returns rows and a partial
// error (the embedded engine never produces partial results, so there is nothing real to
// run for this case).
type partialService struct{}

func (partialService) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	t := table.New("PrimaryResult", table.Schema{{Name: "n", Type: table.TypeLong}})
	for i := range 3 {
		_ = t.AppendRow(int64(i))
	}
	return &backend.Response{Tables: []*table.Table{t}, Partial: &loganalytics.Error{StatusCode: 200, Code: "PartialError",
		Message: "There were some errors when processing your query.", InnerCode: "E_QUERY_RESULT_SET_TOO_LARGE",
		InnerMessage: "Query result set has exceeded the internal record count limit 3", Offset: -1}}, nil
}
func (partialService) Schema(context.Context) (*backend.Schema, error) { return &backend.Schema{}, nil }
func (partialService) Describe() string                                { return "partial@loganalytics" }

func TestPartialResultShowsRowsAndError(t *testing.T) {
	in, err := New(Config{Getenv: func(string) string { return "" }, Connect: func(connstr.Conn, func(context.Context, string)) (backend.Backend, error) {
		return partialService{}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, in, &recorder{}, "%kql loganalytics://workspace='w';anonymous;alias='p'")
	out := &recorder{}
	b := run(t, in, out, "T | take 10")
	if textOf(b) != "n\n-\n0\n1\n2" {
		t.Errorf("rows: %q", textOf(b))
	}
	all := out.all()
	// This partial error is the result set limit: the status says the result was truncated.
	if !strings.Contains(all, "Done (") || !strings.Contains(all, "3 records") || !strings.Contains(all, "the result was truncated") ||
		!strings.Contains(all, "Truncated result") || !strings.Contains(all, "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Errorf("status and error:\n%s", all)
	}
}

// signInService asks for a device-code sign-in on its first query, as azidentity's
// DeviceCodeCredential does through loganalytics.Options.Prompt.
type signInService struct {
	partialService
	prompt func(context.Context, string)
}

func (s signInService) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	s.prompt(ctx, "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD1234 to authenticate.")
	t := table.New("PrimaryResult", table.Schema{{Name: "n", Type: table.TypeLong}})
	_ = t.AppendRow(int64(1))
	return &backend.Response{Tables: []*table.Table{t}}, nil
}

func TestDeviceCodePromptInTheCell(t *testing.T) {
	var got connstr.Conn
	in, err := New(Config{Getenv: func(string) string { return "" }, Connect: func(c connstr.Conn, prompt func(context.Context, string)) (backend.Backend, error) {
		got = c
		return signInService{prompt: prompt}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, in, &recorder{}, "%kql loganalytics://code;tenant='t1';workspace='w';alias='dc'")
	if got.Auth != connstr.AuthDeviceCode || got.Tenant != "t1" {
		t.Errorf("connection passed to the factory: %+v", got)
	}
	out := &recorder{}
	run(t, in, out, "T | take 1")
	if !strings.Contains(out.all(), "stream:stdout: To sign in") || !strings.Contains(out.all(), "ABCD1234") {
		t.Errorf("the device code is not in the cell:\n%s", out.all())
	}
}
