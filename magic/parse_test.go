package magic

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseHead(t *testing.T) {
	tests := []struct {
		in       string
		query    string
		conn     string
		command  string
		topic    string
		resultAs string
		opts     []string // canonical names of the options given
	}{
		{in: "SecurityEvent | take 1", query: "SecurityEvent | take 1"},
		{in: "--stdout print \"hello, world\"", query: `print "hello, world"`, opts: []string{"stdout"}},
		{in: "-dl 5 -!feedback T", query: "T", opts: []string{"display_limit", "feedback"}},
		{in: "--display-limit=5 --no-feedback T", query: "T", opts: []string{"display_limit", "feedback"}},
		{in: "loganalytics://workspace='W';appkey='K';alias='a' SecurityEvent | take 1", conn: "loganalytics://workspace='W';appkey='K';alias='a'", query: "SecurityEvent | take 1"},
		{in: "a@loganalytics -ts 1d T", conn: "a@loganalytics", query: "T", opts: []string{"timespan"}},
		{in: "--help", command: "help"},
		{in: "--help options", command: "help", topic: "options"},
		{in: "--list", command: "list"},
		{in: "x << T | count", resultAs: "x", query: "T | count"},
		{in: "--as Suspicious", opts: []string{"as"}},
		{in: "+workspaces=['a','b'] T", query: "T", opts: []string{"workspaces"}},
		{in: "-conn a T", query: "T", opts: []string{"conn"}},
		{in: "+notruncation +truncation_max_records=5 T", query: "T", opts: []string{"query_properties", "query_properties"}},
		{in: "-timeout 3m -sq T", query: "T", opts: []string{"timeout", "show_query"}},
		{in: "-pw -ptst list -c2lv T", query: "T", opts: []string{"popup_window", "prettytable_style", "columns_to_local_vars"}},
	}
	for _, tt := range tests {
		p, err := parseHead(tt.in)
		if err != nil {
			t.Errorf("parseHead(%q): %v", tt.in, err)
			continue
		}
		var names []string
		for _, s := range p.opts {
			names = append(names, s.def.name)
		}
		q := strings.TrimSpace(tt.in[p.rest:])
		if q != tt.query || p.conn != tt.conn || p.command != tt.command || p.topic != tt.topic || p.resultAs != tt.resultAs || !reflect.DeepEqual(names, tt.opts) {
			t.Errorf("parseHead(%q) = query %q conn %q cmd %q topic %q as %q opts %v", tt.in, q, p.conn, p.command, p.topic, p.resultAs, names)
		}
	}
}

func TestParseHeadErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"-bogus T", "unknown option -bogus; valid options are: -timespan (-ts)"},
		{"-dl", "-display_limit needs a value"},
		{"-dl five T", "expected a whole number"},
		{"-!dl 5 T", "cannot be negated"},
		{"-ts yesterday T", "bad timespan"},
		{"-save_as out.txt T", "must end in .csv or .json"},
		{"--as 1x T", "must be an identifier"},
		{"-feedback=maybe T", "expected true or false"},
		{"-timeout 0 T", "must be positive"},
		{"+colour=red T", "unknown request property +colour=red; known: +workspaces and +block_splitting_enabled"},
	}
	for _, tt := range tests {
		_, err := parseHead(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseHead(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestUnknownOptionListsValid(t *testing.T) {
	_, err := parseHead("-colour red T")
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"-timespan", "-timeout", "-display_limit", "-show_query", "-feedback", "-save_as", "-as", "-conn", "--help", "--list"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not list %s", err, name)
		}
	}
}

func TestSplitCell(t *testing.T) {
	tests := []struct {
		code    string
		queries []string
		kinds   []unitKind
	}{
		{"print 1", []string{"print 1"}, []unitKind{unitQuery}},
		{"%kql print 1\n%kql print 2", []string{"print 1", "print 2"}, []unitKind{unitQuery, unitQuery}},
		{"%%kql\nT\n| take 1\n\nT | count", []string{"T\n| take 1", "T | count"}, []unitKind{unitQuery, unitQuery}},
		{"%%kql -dl 3\nT\n\n| take 1", []string{"T\n\n| take 1"}, []unitKind{unitQuery}},
		{"%clear", []string{""}, []unitKind{unitClear}},
		{"%%kql\nlet a = 1;\n\nlet b = 2;\n\nprint a + b\n\nprint 3", []string{"let a = 1;\n\nlet b = 2;\n\nprint a + b", "print 3"}, []unitKind{unitQuery, unitQuery}},
		{"%%kql\nlet a = 1;\n", []string{"let a = 1;"}, []unitKind{unitQuery}},
		{"%kql print 1 \\\n | count", []string{"print 1 \n | count"}, []unitKind{unitQuery}},
		{"let a = 1;\n%kql print a", []string{"let a = 1;\n", "print a"}, []unitKind{unitQuery, unitQuery}},
		{"\n  \n", nil, nil},
		{"local://demo\nprint 1", []string{"print 1"}, []unitKind{unitQuery}},
	}
	for _, tt := range tests {
		units, err := splitCell(tt.code)
		if err != nil {
			t.Errorf("splitCell(%q): %v", tt.code, err)
			continue
		}
		var qs []string
		var ks []unitKind
		for _, u := range units {
			qs = append(qs, u.query)
			ks = append(ks, u.kind)
		}
		if !reflect.DeepEqual(qs, tt.queries) || !reflect.DeepEqual(ks, tt.kinds) {
			t.Errorf("splitCell(%q) = %q %v, want %q %v", tt.code, qs, ks, tt.queries, tt.kinds)
		}
	}
	for _, bad := range []string{"%%sql\nselect 1", "%timeit print 1"} {
		if _, err := splitCell(bad); err == nil {
			t.Errorf("splitCell(%q): no error", bad)
		}
	}
}

func TestOnlyLets(t *testing.T) {
	tests := []struct {
		src   string
		names []string
		ok    bool
	}{
		{"let a = 1;", []string{"a"}, true},
		{"let a = 1;\nlet b = a * 2; // note\n", []string{"a", "b"}, true},
		{"let f = (x:long) { x + 1; };", []string{"f"}, true},
		{"let s = 'a;b';", []string{"s"}, true},
		{"let a = 1; print a", nil, false},
		{"print 1", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		ps, ok := onlyLets(tt.src)
		var names []string
		for _, p := range ps {
			names = append(names, p.name)
		}
		if ok != tt.ok || !reflect.DeepEqual(names, tt.names) {
			t.Errorf("onlyLets(%q) = %v %v, want %v %v", tt.src, names, ok, tt.names, tt.ok)
		}
	}
}

func TestParseTimespan(t *testing.T) {
	now := time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in         string
		start, end time.Time
	}{
		{"1d", now.Add(-24 * time.Hour), now},
		{"90m", now.Add(-90 * time.Minute), now},
		{"P1D", now.Add(-24 * time.Hour), now},
		{"PT6H", now.Add(-6 * time.Hour), now},
		{"2024-05-01T00:00:00Z/2024-05-02T00:00:00Z", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)},
		{"2024-05-01/P2D", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC)},
		{"PT1H/2024-05-01T01:00:00Z", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 1, 1, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		s, e, err := parseTimespan(tt.in, now)
		if err != nil || !s.Equal(tt.start) || !e.Equal(tt.end) {
			t.Errorf("parseTimespan(%q) = %v %v %v", tt.in, s, e, err)
		}
	}
	for _, bad := range []string{"", "yesterday", "2024-05-02/2024-05-01", "P", "-1d"} {
		if _, _, err := parseTimespan(bad, now); err == nil {
			t.Errorf("parseTimespan(%q): no error", bad)
		}
	}
}

func TestScanAndIsComplete(t *testing.T) {
	in := &Interpreter{}
	tests := []struct{ code, want string }{
		{"print 1", "complete"},
		{"SecurityEvent | take 5", "complete"},
		{"SecurityEvent |", "incomplete"},
		{"print (1", "incomplete"},
		{"print ')' ", "complete"},
		{"print ')", "incomplete"},
		{"print )", "invalid"},
		{"print x = ```\nmulti", "incomplete"},
		{"%%kql", "incomplete"},
		{"%%kql\nprint 1", "complete"},
		{"%kql print 1", "complete"},
		{"%kql T |", "incomplete"},
		{"%kql print 1 \\", "incomplete"},
		{"T | where a == 1 and", "incomplete"},
		{"print 1 // a comment with (", "complete"},
		{"", "complete"},
		{"%bogus", "invalid"},
		{"print 1 1", "invalid"},
	}
	for _, tt := range tests {
		if got, _ := in.IsComplete(tt.code); got != tt.want {
			t.Errorf("IsComplete(%q) = %s, want %s", tt.code, got, tt.want)
		}
	}
}

func TestInlineDatatable(t *testing.T) {
	in := newTestInterpreter(t)
	out := &recorder{}
	run(t, in, out, "%%kql --as R\ndatatable(s:string, n:long, d:datetime, b:bool, r:real, ['a b']:dynamic)\n[\"x'\\\"y\", 9007199254740993, datetime(2024-05-01 10:00:00), true, 1.5, dynamic({\"k\":[1,2]}),\n \"\", long(null), datetime(null), bool(null), real(null), dynamic(null)]")
	text, err := inlineDatatable("R2", in.results["R"])
	if err != nil {
		t.Fatal(err)
	}
	// The inline form must run on the engine and give the same table back.
	out2 := &recorder{}
	b := run(t, in, out2, text+";\nR2 | extend n2 = n + 0 | project s, n2, d, b, r")
	got := b.Data["text/plain"].(string)
	for _, want := range []string{`x'"y`, "9007199254740993", "2024-05-01T10:00:00Z", "true", "1.5"} {
		if !strings.Contains(got, want) {
			t.Errorf("round trip lost %q:\n%s\nfrom\n%s", want, got, text)
		}
	}
}

func TestRedactHistory(t *testing.T) {
	in := newTestInterpreter(t)
	got := in.RedactHistory("%kql loganalytics://workspace='w';appkey='K123456';alias='a'\nprint 1")
	if strings.Contains(got, "K123456") || !strings.Contains(got, "appkey='***'") || !strings.Contains(got, "print 1") {
		t.Errorf("RedactHistory = %q", got)
	}
}
