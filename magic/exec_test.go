package magic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/kernel"
)

// recorder is a kernel.Output that keeps what a cell shows, in order.
type recorder struct {
	mu     sync.Mutex
	events []event
}

type event struct {
	kind string // display, update, stream, clear
	b    kernel.Bundle
	text string
}

func (r *recorder) add(e event) { r.mu.Lock(); defer r.mu.Unlock(); r.events = append(r.events, e) }
func (r *recorder) Display(b kernel.Bundle) {
	r.add(event{kind: "display", b: b, text: textOf(b)})
}
func (r *recorder) Update(b kernel.Bundle) { r.add(event{kind: "update", b: b, text: textOf(b)}) }
func (r *recorder) Stream(name, text string) {
	r.add(event{kind: "stream:" + name, text: text})
}
func (r *recorder) Clear(wait bool) { r.add(event{kind: "clear"}) }

func textOf(b kernel.Bundle) string {
	s, _ := b.Data["text/plain"].(string)
	return s
}

// all returns every text the cell showed besides its result.
func (r *recorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var parts []string
	for _, e := range r.events {
		parts = append(parts, e.kind+": "+e.text)
	}
	return strings.Join(parts, "\n")
}

func newTestInterpreter(t *testing.T) *Interpreter {
	t.Helper()
	in, err := New(Config{Version: "test", Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func exec(in *Interpreter, out kernel.Output, code string) (*kernel.Bundle, error) {
	return in.Execute(context.Background(), kernel.ExecuteRequest{Code: code, StoreHistory: true}, out)
}

// run executes code and fails the test on an error; it returns the execute_result.
func run(t *testing.T, in *Interpreter, out *recorder, code string) kernel.Bundle {
	t.Helper()
	b, err := exec(in, out, code)
	if err != nil {
		t.Fatalf("%q: %v", code, err)
	}
	if b == nil {
		return kernel.Bundle{Data: map[string]any{}}
	}
	return *b
}

func execErr(t *testing.T, in *Interpreter, code string) *kernel.ExecError {
	t.Helper()
	_, err := exec(in, &recorder{}, code)
	var ee *kernel.ExecError
	if !errors.As(err, &ee) {
		t.Fatalf("%q: want an ExecError, got %v", code, err)
	}
	return ee
}

var statusRE = regexp.MustCompile(`^Done \(\d\d:\d\d\.\d{3}\): \d+ records`)

func TestPlainCellResultAndStatus(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	b := run(t, in, out, "print x=6*7")
	if got := textOf(b); got != "x\n--\n42" {
		t.Errorf("execute_result text = %q", got)
	}
	if _, ok := b.Data["text/html"]; !ok {
		t.Errorf("no text/html in %v", b.Data)
	}
	if len(out.events) != 1 || out.events[0].kind != "display" || !statusRE.MatchString(out.events[0].text) {
		t.Fatalf("want one status display_data, got:\n%s", out.all())
	}
	if !strings.Contains(out.events[0].text, "1 records") || !strings.Contains(out.events[0].text, "local demo workspace") {
		t.Errorf("status line should count 1 record and say the demo workspace answered: %q", out.events[0].text)
	}
}

func TestStdoutAndFeedbackOff(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	b, err := exec(in, out, `%kql --stdout print "hello, world"`)
	if err != nil || b != nil {
		t.Fatalf("--stdout: result %v, err %v", b, err)
	}
	if !strings.Contains(out.all(), "stream:stdout: print_0") || !strings.Contains(out.all(), "hello, world") {
		t.Errorf("stdout stream missing the table:\n%s", out.all())
	}
	out = &recorder{}
	run(t, in, out, "%kql -!feedback print 1")
	if len(out.events) != 0 {
		t.Errorf("feedback off still shows:\n%s", out.all())
	}
	// As a session default.
	run(t, in, &recorder{}, "%kql --no-feedback")
	out = &recorder{}
	run(t, in, out, "print 1")
	if len(out.events) != 0 {
		t.Errorf("session feedback off still shows:\n%s", out.all())
	}
}

func TestSyntaxErrorHasCaret(t *testing.T) {
	in := newTestInterpreter(t)
	ee := execErr(t, in, "print 1 +")
	if ee.Name != "SyntaxError" {
		t.Errorf("ename = %q", ee.Name)
	}
	tb := strings.Join(ee.Traceback, "\n")
	if !strings.Contains(tb, "print 1 +") || !strings.Contains(tb, "^") || !strings.HasPrefix(ee.Value, "1:") {
		t.Errorf("traceback lacks the line and caret:\nvalue %q\n%s", ee.Value, tb)
	}
}

func TestErrorPositionInTheCell(t *testing.T) {
	in := newTestInterpreter(t)
	ee := execErr(t, in, "%kql print 1\n%kql print x = 2 | where nosuch > 1")
	tb := strings.Join(ee.Traceback, "\n")
	want := "2:26: "
	if !strings.HasPrefix(tb, want) || !strings.Contains(tb, "\n%kql print x = 2 | where nosuch > 1\n"+strings.Repeat(" ", 25)+"^") {
		t.Errorf("want the cell's line 2 with the caret under nosuch:\n%s", tb)
	}
	ee = execErr(t, in, "%%kql -dl 5\nprint a = 1\n| where b > 1")
	if tb := strings.Join(ee.Traceback, "\n"); !strings.HasPrefix(tb, "3:9: ") {
		t.Errorf("%%%%kql: want line 3 of the cell:\n%s", tb)
	}
}

func TestErrorPositionWithParameters(t *testing.T) {
	in := newTestInterpreter(t)
	run(t, in, &recorder{}, "let a = 5;\nlet b = a * 2;")
	ee := execErr(t, in, "print a\n| where nosuchcolumn > 1")
	tb := strings.Join(ee.Traceback, "\n")
	if !strings.HasPrefix(tb, "2:9:") || !strings.Contains(tb, "| where nosuchcolumn > 1") {
		t.Errorf("error not mapped onto the user's query (want 2:9):\n%s", tb)
	}
}

func TestSessionParameters(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	if b := run(t, in, out, "let a = 5;\nlet b = a * 2;"); len(b.Data) != 0 {
		t.Errorf("a let-only cell returned a result: %v", b.Data)
	}
	if !strings.Contains(out.all(), "a, b") {
		t.Errorf("no confirmation: %s", out.all())
	}
	b := run(t, in, &recorder{}, "print c = b + 1")
	if got := textOf(b); !strings.HasSuffix(got, "11") {
		t.Errorf("print c = b + 1 -> %q", got)
	}
	// Redefining keeps one definition.
	run(t, in, &recorder{}, "let a = 100;")
	b = run(t, in, &recorder{}, "print b")
	if got := textOf(b); !strings.HasSuffix(got, "200") {
		t.Errorf("after redefining a: %q", got)
	}
	// {name} substitution with the parameter's value.
	run(t, in, &recorder{}, "let start = datetime(2024-05-01);")
	b = run(t, in, &recorder{}, "print s = datetime({start}) + 1d")
	if got := textOf(b); !strings.Contains(got, "2024-05-02T00:00:00Z") {
		t.Errorf("{start} substitution: %q", got)
	}
	b = run(t, in, &recorder{}, "%kql --params")
	if !strings.Contains(textOf(b), "let a = 100") || strings.Contains(textOf(b), "let a = 5") {
		t.Errorf("--params: %q", textOf(b))
	}
	// A parameter with a syntax error is refused, and the others keep working.
	ee := execErr(t, in, "let broken = (1 + ;")
	if ee.Name != "SyntaxError" || !strings.Contains(strings.Join(ee.Traceback, "\n"), "let broken = (1 + ;") {
		t.Errorf("broken parameter: %v", ee)
	}
	if b := run(t, in, &recorder{}, "print b"); !strings.HasSuffix(textOf(b), "200") {
		t.Errorf("after a refused parameter: %q", textOf(b))
	}
	run(t, in, &recorder{}, "%kql --reset")
	if ee := execErr(t, in, "print b"); ee.Name != "SemanticError" {
		t.Errorf("after --reset, b should be unknown: %v", ee)
	}
}

func TestNamedResults(t *testing.T) {
	in := newTestInterpreter(t)
	run(t, in, &recorder{}, "%%kql --as Small\ndatatable(name:string, n:long) [\"a\", 1, \"b\", 2, \"a\", 3]")
	b := run(t, in, &recorder{}, "Small | summarize total = sum(n) by name | order by name asc")
	got := textOf(b)
	if !strings.Contains(got, "a     4") && !strings.Contains(got, "a         4") {
		if !regexp.MustCompile(`(?m)^a\s+4$`).MatchString(got) || !regexp.MustCompile(`(?m)^b\s+2$`).MatchString(got) {
			t.Errorf("querying the named result:\n%s", got)
		}
	}
	// Kqlmagic's NAME << form.
	run(t, in, &recorder{}, "%kql Two << print v = 2")
	b = run(t, in, &recorder{}, "Two | extend w = v * 10")
	if !strings.HasSuffix(textOf(b), "20") {
		t.Errorf("Two << : %q", textOf(b))
	}
	b = run(t, in, &recorder{}, "%kql --results")
	if !strings.Contains(textOf(b), "Small: 3 rows, 2 columns") {
		t.Errorf("--results: %q", textOf(b))
	}
}

func TestInlineBound(t *testing.T) {
	in := newTestInterpreter(t)
	run(t, in, &recorder{}, "%kql --as Big range x from 1 to 20000 step 1")
	_, err := inlineDatatable("Big", in.results["Big"])
	if err == nil || !strings.Contains(err.Error(), "20000 rows; at most 10000") {
		t.Errorf("want a row-bound error, got %v", err)
	}
	run(t, in, &recorder{}, "%kql --as Wide range x from 1 to 9000 step 1 | extend s = strrep('x', 200)")
	_, err = inlineDatatable("Wide", in.results["Wide"])
	if err == nil || !strings.Contains(err.Error(), "larger than 1024 KB") {
		t.Errorf("want a size-bound error, got %v", err)
	}
}

func TestConnectionsListAndSecrets(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	b := run(t, in, out, "%kql loganalytics://workspace='W1';appkey='SUPERSECRETKEY';alias='myworkspace'")
	if textOf(b) != " * myworkspace@loganalytics" {
		t.Errorf("connect output %q", textOf(b))
	}
	run(t, in, &recorder{}, "%kql local://demo")
	b = run(t, in, &recorder{}, "%kql --list")
	list := textOf(b)
	if strings.Contains(list, "SUPERSECRETKEY") || !strings.Contains(list, "appkey='***'") {
		t.Errorf("--list leaks or lacks the masked key:\n%s", list)
	}
	if !strings.Contains(list, "* demo@local") || !strings.Contains(list, "  myworkspace@loganalytics") {
		t.Errorf("--list should star the current connection:\n%s", list)
	}
	if b := run(t, in, &recorder{}, "%kql"); textOf(b) != " * demo@local" {
		t.Errorf("bare %%kql: %q", textOf(b))
	}
	// Switch by alias.
	run(t, in, &recorder{}, "%kql myworkspace@loganalytics")
	if in.current.conn.Alias != "myworkspace" {
		t.Errorf("switch: current is %s", in.current.conn.Name())
	}
	// An error quoting the connection string never shows the secret.
	ee := execErr(t, in, "%kql loganalytics://workspace='W2';appkey='SUPERSECRETKEY';bogus='x'")
	if strings.Contains(ee.Value+strings.Join(ee.Traceback, ""), "SUPERSECRETKEY") {
		t.Errorf("secret in error: %v", ee)
	}
	ee = execErr(t, in, "%kql -conn nosuch print 1")
	if !strings.Contains(ee.Value, `no connection named "nosuch"`) || !strings.Contains(ee.Value, "myworkspace@loganalytics") {
		t.Errorf("unknown alias: %v", ee.Value)
	}
}

func TestEnvConnection(t *testing.T) {
	env := map[string]string{"KQL_CONNECTION_STR": "loganalytics://workspace='W';appkey='$LA_KEY';alias='fromenv'", "LA_KEY": "ENVSECRET"}
	in, err := New(Config{Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if in.current == nil || in.current.conn.Name() != "fromenv@loganalytics" || in.current.conn.AppKey.Reveal() != "ENVSECRET" {
		t.Fatalf("KQL_CONNECTION_STR not applied: %+v", in.current)
	}
	b := run(t, in, &recorder{}, "%kql --list")
	if strings.Contains(textOf(b), "ENVSECRET") {
		t.Errorf("--list leaks: %s", textOf(b))
	}
	// Only whole values are references; a secret containing '$' stays as written.
	for raw, want := range map[string]string{
		"loganalytics://workspace='W';appkey='${LA_KEY}'":   "ENVSECRET",
		"loganalytics://workspace=W;appkey=$LA_KEY;alias=a": "ENVSECRET",
		"loganalytics://workspace='W';appkey='a$LA_KEY'":    "a$LA_KEY",
		"loganalytics://workspace='W';appkey='$NOT_SET'":    "$NOT_SET",
	} {
		c, err := connstrParse(in.expandEnv(raw))
		if err != nil || c.AppKey.Reveal() != want {
			t.Errorf("%s: appkey %q (%v), want %q", raw, c.AppKey.Reveal(), err, want)
		}
	}
	// A bad one is reported at the first cell, and the demo answers meanwhile.
	bad, _ := New(Config{Getenv: func(k string) string {
		if k == "KQLMAGIC_CONNECTION_STR" {
			return "loganalytics://appkey='LEAKME'"
		}
		return ""
	}})
	out := &recorder{}
	run(t, bad, out, "print 1")
	if !strings.Contains(out.all(), "KQLMAGIC_CONNECTION_STR") || strings.Contains(out.all(), "LEAKME") {
		t.Errorf("bad env connection: %s", out.all())
	}
}

func TestHelpAndCommands(t *testing.T) {
	in := newTestInterpreter(t)
	for code, want := range map[string]string{
		"%kql --help":             "Help topics",
		"%kql --help options":     "-display_limit, -dl",
		"%kql --help connections": "loganalytics://code;workspace",
		"%kql --help summarize":   "summarize (operator)",
		"%kql --version":          "kqlkernel test",
	} {
		b := run(t, in, &recorder{}, code)
		if !strings.Contains(textOf(b), want) {
			t.Errorf("%s: %q lacks %q", code, textOf(b), want)
		}
	}
	ee := execErr(t, in, "%kql --help nosuchtopic")
	if !strings.Contains(ee.Value, "topics: options") {
		t.Errorf("bad topic: %v", ee.Value)
	}
	ee = execErr(t, in, "%kql -bogus print 1")
	if ee.Name != "UsageError" || !strings.Contains(ee.Value, "valid options are") {
		t.Errorf("unknown option: %v", ee)
	}
}

func TestSaveAs(t *testing.T) {
	in := newTestInterpreter(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "out.csv")
	jsonPath := filepath.Join(dir, "out.json")
	run(t, in, &recorder{}, "%kql -save_as "+csvPath+" datatable(a:string, b:long) [\"x,y\", 1, \"z\", long(null)]")
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "a,b\n\"x,y\",1\nz,\n" {
		t.Errorf("csv = %q", data)
	}
	run(t, in, &recorder{}, "%kql -save_as "+jsonPath+" print n = 9007199254740993")
	data, err = os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tables []struct {
			Rows [][]json.Number `json:"rows"`
		} `json:"tables"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil || doc.Tables[0].Rows[0][0] != "9007199254740993" {
		t.Errorf("json = %s (%v)", data, err)
	}
}

func TestClearAndMultipleQueries(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	b := run(t, in, out, "%kql print a = 1\n%clear\n%kql print b = 2")
	if !strings.HasPrefix(textOf(b), "b\n") {
		t.Errorf("last result: %q", textOf(b))
	}
	kinds := []string{}
	for _, e := range out.events {
		kinds = append(kinds, e.kind)
	}
	// status(a), result(a) shown as display_data, clear, status(b)
	if strings.Join(kinds, ",") != "display,display,clear,display" {
		t.Errorf("events: %v\n%s", kinds, out.all())
	}
}

func TestInterrupt(t *testing.T) {
	in := newTestInterpreter(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := in.Execute(ctx, kernel.ExecuteRequest{Code: "range x from 1 to 100000000 step 1 | summarize count()"}, &recorder{})
	var ee *kernel.ExecError
	if !errors.As(err, &ee) || ee.Name != "KeyboardInterrupt" {
		t.Errorf("cancelled query: %v", err)
	}
}

func TestTimeoutIsNotAnInterrupt(t *testing.T) {
	in := newTestInterpreter(t)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := in.Execute(ctx, kernel.ExecuteRequest{Code: "range x from 1 to 100000000 step 1 | summarize count()"}, &recorder{})
	var ee *kernel.ExecError
	if !errors.As(err, &ee) || ee.Name != "TimeoutError" || !strings.Contains(ee.Value, "timeout") {
		t.Errorf("deadline: %v", err)
	}
}

func TestComplete(t *testing.T) {
	in := newTestInterpreter(t)
	tests := []struct {
		code   string
		cursor int // code points; -1 = end
		want   string
		start  int
	}{
		{"SecurityEv", -1, "SecurityEvent", 0},
		{"SecurityEvent | summ", -1, "summarize", 16},
		{"SecurityEvent | where Even", -1, "EventID", 22},
		{"SecurityEvent | summarize cou", -1, "count", 26},
		{"SecurityEvent | render time", -1, "timechart", 23},
		{"SecurityEvent | evaluate bag_un", -1, "bag_unpack", 25},
		{"%kql -disp", -1, "-display_limit", 5},
		{"%kql SecurityEvent | ta", -1, "take", 21},
		{"%%kql -dl 5\nSecurityEvent | pro", -1, "project", 28},
		{"let ü = 1;\nprint üx = 1 | ext", -1, "extend", 26},
		{"SecurityEv | take 1", 10, "SecurityEvent", 0},
		{"let T = SecurityEvent | where EventID == 4624;\nT | project Acc", -1, "Account", 59},
	}
	for _, tt := range tests {
		cur := tt.cursor
		if cur < 0 {
			cur = len([]rune(tt.code))
		}
		c := in.Complete(context.Background(), tt.code, cur)
		found := false
		for _, m := range c.Matches {
			if m == tt.want {
				found = true
			}
		}
		if !found || c.CursorStart != tt.start {
			t.Errorf("Complete(%q, %d) = %v from %d, want %q from %d", tt.code, cur, first(c.Matches, 8), c.CursorStart, tt.want, tt.start)
		}
	}
	for _, code := range []string{`print "Secu`, "print 1 // Secu", "print 'a' // 'x' Secu"} {
		if c := in.Complete(context.Background(), code, len([]rune(code))); len(c.Matches) != 0 {
			t.Errorf("Complete(%q) inside a string or comment = %v", code, first(c.Matches, 5))
		}
	}
	// A named result and a session parameter complete at statement start.
	run(t, in, &recorder{}, "let Threshold = 5;")
	run(t, in, &recorder{}, "%kql --as Suspicious print a = 1")
	c := in.Complete(context.Background(), "Susp", 4)
	if len(c.Matches) == 0 || c.Matches[0] != "Suspicious" {
		t.Errorf("named result completion: %v", c.Matches)
	}
	c = in.Complete(context.Background(), "print Thr", 9)
	if len(c.Matches) == 0 || c.Matches[0] != "Threshold" {
		t.Errorf("parameter completion: %v", c.Matches)
	}
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func TestInspect(t *testing.T) {
	in := newTestInterpreter(t)
	tests := []struct{ code, at, want string }{
		{"summarize", "summarize", "summarize (operator)"},
		{"T | summarize count() by x", "count", "count() -> long"},
		{"T | count", "count", "count (operator)"},
		{"SecurityEvent", "SecurityEvent", "SecurityEvent (table)"},
		{"SecurityEvent | where EventID == 1", "EventID", "EventID (column, int)"},
		{"print bin(1, 2)", "bin", "bin(value: datetime, roundTo: timespan) -> datetime"},
		{"T | evaluate bag_unpack(d)", "bag_unpack", "bag_unpack (evaluate plugin)"},
		{"let x = 1;", "let", "let (statement)"},
		{"%kql -dl 5 print 1", "dl", "rows shown per table"},
		{"print ünï = tolower('A')", "tolower", "tolower(value: scalar) -> string"},
	}
	for _, tt := range tests {
		// The cursor is inside the word, in code points.
		cur := len([]rune(tt.code[:strings.Index(tt.code, tt.at)])) + 1
		b, ok := in.Inspect(context.Background(), tt.code, cur, 0)
		if !ok || !strings.Contains(textOf(b), tt.want) {
			t.Errorf("Inspect(%q, %d) = %v %q, want %q", tt.code, cur, ok, textOf(b), tt.want)
		}
	}
	if _, ok := in.Inspect(context.Background(), "print 1", 7, 0); ok {
		t.Errorf("inspect of a number found something")
	}
}

// TestRunningStatusUpdatesInPlace: a query that outlasts StatusDelay shows a "Running"
// status with a display id, and the final "Done" line replaces it (update_display_data
// with the same id). A fast query gets one plain status display instead. No timing is
// asserted: whichever path a run takes, its messages must be consistent, and the size is
// raised until the slow path has been seen.
func TestRunningStatusUpdatesInPlace(t *testing.T) {
	in, err := New(Config{Getenv: func(string) string { return "" }, StatusDelay: 1})
	if err != nil {
		t.Fatal(err)
	}
	sawRunning := false
	for n := 10_000; n <= 100_000_000 && !sawRunning; n *= 10 {
		out := &recorder{}
		run(t, in, out, "range x from 1 to "+strconvItoa(n)+" step 1 | summarize dcount(x % 1000)")
		var id string
		for i, e := range out.events {
			switch {
			case e.kind == "display" && strings.HasPrefix(e.text, "Running ("):
				if e.b.DisplayID == "" {
					t.Fatalf("running status without a display id")
				}
				id = e.b.DisplayID
				sawRunning = true
			case e.kind == "update":
				if e.b.DisplayID != id || id == "" {
					t.Fatalf("update %d for display %q, running was %q", i, e.b.DisplayID, id)
				}
			}
		}
		last := out.events[len(out.events)-1]
		if !statusRE.MatchString(last.text) {
			t.Fatalf("last message is not the final status: %s", out.all())
		}
		if id != "" && (last.kind != "update" || last.b.DisplayID != id) {
			t.Fatalf("the final status does not replace the running one: %s", out.all())
		}
		if id == "" && (last.kind != "display" || len(out.events) != 1) {
			t.Fatalf("a fast query should show one status: %s", out.all())
		}
	}
	if !sawRunning {
		t.Errorf("never saw a running status")
	}
}

func strconvItoa(n int) string { return strconv.Itoa(n) }

func TestRequestPropertiesBecomeSetStatements(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	b := run(t, in, out, "%kql -sq +notruncation range x from 1 to 3 step 1 | count")
	if !strings.HasSuffix(textOf(b), "3") || !strings.Contains(out.all(), "set notruncation;") {
		t.Errorf("+notruncation: %q\n%s", textOf(b), out.all())
	}
	// Past the limit, as in Kusto: the first 2 rows and the truncation warning, no error.
	out = &recorder{}
	run(t, in, out, "%kql +truncationmaxrecords=2 range x from 1 to 5 step 1")
	if st := statusOf(t, out); !strings.Contains(st, ": 2 records") || !strings.Contains(st, "truncated") ||
		!strings.Contains(out.all(), "record count limit 2 (E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Errorf("+truncationmaxrecords=2 over 5 rows:\n%s", out.all())
	}
}

func TestChartAndSize(t *testing.T) {
	in := newTestInterpreter(t)
	q := "range x from 1 to 10 step 1 | extend y = x * x | render linechart"
	b := run(t, in, &recorder{}, q)
	png, ok := b.Data["image/png"].(string)
	if !ok || len(png) < 100 {
		t.Fatalf("no chart: %v", b.Data)
	}
	if _, html := b.Data["text/html"]; html {
		t.Errorf("a chart result should not carry the table's HTML (front ends prefer HTML over PNG)")
	}
	b = run(t, in, &recorder{}, "%kql -cw 300 -ch 200 "+q)
	md, _ := b.Metadata["image/png"].(map[string]any)
	if md == nil || fmt.Sprint(md["width"]) != "300" || fmt.Sprint(md["height"]) != "200" {
		t.Errorf("chart size metadata: %v", b.Metadata)
	}
}

func TestKqlmagicDisplayOptionsIgnored(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	b := run(t, in, out, "%kql -pw -tp pandas print x = 1")
	if !strings.HasSuffix(textOf(b), "1") {
		t.Errorf("result: %q", textOf(b))
	}
	if !strings.Contains(out.all(), "-popup_window, -table_package have no effect") {
		t.Errorf("no note about ignored options:\n%s", out.all())
	}
}

var connstrParse = connstr.Parse
