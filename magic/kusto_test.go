package magic

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/kernel"
	"github.com/kqlkernel/kqlkernel/server/adx"
)

// An Azure Data Explorer connection, as Kqlmagic writes it, to our own ADX API server over
// the demo workspace: queries, switching by alias@cluster, and a service error with a caret.
func TestKustoConnection(t *testing.T) {
	demo, err := local.Open("demo")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(adx.NewHandler(demo, adx.Options{Database: "demo"}))
	t.Cleanup(srv.Close)
	in := newTestInterpreter(t)
	b := run(t, in, &recorder{}, "%kql kusto://anonymous;cluster='"+srv.URL+"';database='demo';alias='adx'")
	if !strings.Contains(textOf(b), "adx@127.0.0.1") {
		t.Fatalf("connect: %q", textOf(b))
	}
	out := &recorder{}
	b = run(t, in, out, "%%kql\nSecurityEvent\n| summarize EventCount=count() by EventID\n| top 3 by EventCount")
	if !regexp.MustCompile(`(?m)^\s*4688\s+\d+$`).MatchString(textOf(b)) || !strings.Contains(out.all(), "3 records") {
		t.Errorf("result:\n%s\nstatus: %s", textOf(b), out.all())
	}
	_, err = in.Execute(t.Context(), kernel.ExecuteRequest{Code: "SecurityEvent | summarize count() by EventIDD"}, &recorder{})
	ee, ok := err.(*kernel.ExecError)
	if !ok || ee.Name != "ServiceError" || !strings.Contains(strings.Join(ee.Traceback, "\n"), "^") || !strings.Contains(ee.Value+strings.Join(ee.Traceback, "\n"), "EventID") {
		t.Fatalf("want a ServiceError with a caret, got %#v", err)
	}
	t.Log(strings.Join(ee.Traceback, "\n"))
}
