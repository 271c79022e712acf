package syntax

import (
	"math"
	"testing"
	"time"
)

func mustParse(t *testing.T, src string) *Script {
	t.Helper()
	s, errs := Parse(src)
	if len(errs) > 0 {
		t.Fatalf("%q: %s", src, FormatErrors(src, errs))
	}
	return s
}

// lastQuery returns the operators of the last statement's pipeline.
func lastPipe(t *testing.T, src string) *PipeExpr {
	t.Helper()
	s := mustParse(t, src)
	es, ok := s.Stmts[len(s.Stmts)-1].(*ExprStmt)
	if !ok {
		t.Fatalf("%q: last statement is %T", src, s.Stmts[len(s.Stmts)-1])
	}
	p, ok := es.X.(*PipeExpr)
	if !ok {
		t.Fatalf("%q: expression is %T", src, es.X)
	}
	return p
}

func printValue(t *testing.T, src string) *Literal {
	t.Helper()
	p := lastPipe(t, "print "+src)
	x := p.Ops[0].(*PrintOp).Cols[0].X
	if u, ok := x.(*UnaryExpr); ok {
		l, ok2 := foldSign(u)
		if !ok2 {
			t.Fatalf("%q: %T", src, x)
		}
		return l
	}
	l, ok := x.(*Literal)
	if !ok {
		t.Fatalf("%q: %T, want *Literal", src, x)
	}
	return l
}

func TestLiterals(t *testing.T) {
	day := int64(864e9)
	tests := []struct {
		src  string
		typ  Type
		want any
	}{
		{"123", TypeLong, int64(123)},
		{"0x1F", TypeLong, int64(31)},
		{"1.5", TypeReal, 1.5},
		{"1e3", TypeReal, 1000.0},
		{"true", TypeBool, true},
		{"int(7)", TypeInt, int64(7)},
		{"long(-7)", TypeLong, int64(-7)},
		{"real(2.5)", TypeReal, 2.5},
		{"decimal(1.50)", TypeDecimal, "1.50"},
		{"bool(false)", TypeBool, false},
		{`'a\'b\n'`, TypeString, "a'b\n"},
		{`"tab\there"`, TypeString, "tab\there"},
		{`@'c:\dir'`, TypeString, `c:\dir`},
		{`@"say ""hi"""`, TypeString, `say "hi"`},
		{`h'secret'`, TypeString, "secret"},
		{"'a' 'b' \"c\"", TypeString, "abc"},
		{"```line1\nline2```", TypeString, "line1\nline2"},
		{"1d", TypeTimespan, day},
		{"2h", TypeTimespan, int64(2 * 36e9)},
		{"30m", TypeTimespan, int64(30 * 6e8)},
		{"10s", TypeTimespan, int64(1e8)},
		{"100ms", TypeTimespan, int64(1e6)},
		{"1.5h", TypeTimespan, int64(54e9)},
		{"1tick", TypeTimespan, int64(1)},
		{"3microseconds", TypeTimespan, int64(30)},
		{"time(1.02:03:04)", TypeTimespan, day + 2*36e9 + 3*6e8 + 4e7},
		{"timespan(00:00:01.5)", TypeTimespan, int64(15e6)},
		{"-1d", TypeTimespan, -day},
		{"guid(74BE27DE-1E4E-49D9-B579-FE0B331D3642)", TypeGuid, "74be27de-1e4e-49d9-b579-fe0b331d3642"},
	}
	for _, tc := range tests {
		l := printValue(t, tc.src)
		if l.Type != tc.typ {
			t.Errorf("%s: type %s, want %s", tc.src, l.Type, tc.typ)
		}
		if l.Value != tc.want {
			t.Errorf("%s: value %#v, want %#v", tc.src, l.Value, tc.want)
		}
	}
}

func TestDatetimeLiterals(t *testing.T) {
	want := time.Date(2017, 1, 30, 13, 45, 10, 500_000_000, time.UTC)
	for _, src := range []string{
		"datetime(2017-01-30T13:45:10.5Z)", "datetime(2017-01-30 13:45:10.5)",
		"datetime(2017-01-30T13:45:10.5000000Z)", "datetime(2017-01-30T15:45:10.5+02:00)",
	} {
		l := printValue(t, src)
		if !l.Time().Equal(want) {
			t.Errorf("%s = %v, want %v", src, l.Time(), want)
		}
	}
	for src, want := range map[string]time.Time{
		"datetime(2014-05-25)":                       time.Date(2014, 5, 25, 0, 0, 0, 0, time.UTC),
		"datetime(Sat, 8 Nov 14 15:05:02 GMT)":       time.Date(2014, 11, 8, 15, 5, 2, 0, time.UTC),
		"datetime(Saturday, 08-Nov-14 15:05:02 GMT)": time.Date(2014, 11, 8, 15, 5, 2, 0, time.UTC),
		"datetime(2015-12-31 23:59:59.9)":            time.Date(2015, 12, 31, 23, 59, 59, 900_000_000, time.UTC),
	} {
		if got := printValue(t, src).Time(); !got.Equal(want) {
			t.Errorf("%s = %v, want %v", src, got, want)
		}
	}
	// every format of the datetime docs page
	nov8 := time.Date(2014, 11, 8, 15, 5, 2, 0, time.UTC)
	nov8m := time.Date(2014, 11, 8, 15, 5, 0, 0, time.UTC)
	for src, want := range map[string]time.Time{
		"2014-05-25T08:20:03.123456Z":      time.Date(2014, 5, 25, 8, 20, 3, 123456000, time.UTC),
		"2014-05-25T08:20:03.123456":       time.Date(2014, 5, 25, 8, 20, 3, 123456000, time.UTC),
		"2014-05-25T08:20":                 time.Date(2014, 5, 25, 8, 20, 0, 0, time.UTC),
		"2014-11-08 15:55:55.123456Z":      time.Date(2014, 11, 8, 15, 55, 55, 123456000, time.UTC),
		"2014-11-08 15:55:55":              time.Date(2014, 11, 8, 15, 55, 55, 0, time.UTC),
		"2014-11-08 15:55":                 time.Date(2014, 11, 8, 15, 55, 0, 0, time.UTC),
		"2014-11-08":                       time.Date(2014, 11, 8, 0, 0, 0, 0, time.UTC),
		"Sat, 8 Nov 14 15:05:02 GMT":       nov8,
		"Sat, 8 Nov 14 15:05:02":           nov8,
		"Sat, 8 Nov 14 15:05":              nov8m,
		"Sat, 8 Nov 14 15:05 GMT":          nov8m,
		"8 Nov 14 15:05:02 GMT":            nov8,
		"8 Nov 14 15:05:02":                nov8,
		"8 Nov 14 15:05":                   nov8m,
		"8 Nov 14 15:05 GMT":               nov8m,
		"Saturday, 08-Nov-14 15:05:02 GMT": nov8,
		"Saturday, 08-Nov-14 15:05:02":     nov8,
		"Saturday, 08-Nov-14 15:05 GMT":    nov8m,
		"Saturday, 08-Nov-14 15:05":        nov8m,
		"08-Nov-14 15:05:02 GMT":           nov8,
		"08-Nov-14 15:05:02":               nov8,
		"08-Nov-14 15:05 GMT":              nov8m,
		"08-Nov-14 15:05":                  nov8m,
		"2014-11-08T15:05:02":              nov8,
		"Sat, 8 Nov 14 10:05:02 EST":       nov8,
		"Sat, 8 Nov 14 17:05:02 +0200":     nov8,
		"2014-11-08 10:05:02 EST":          nov8,
		"2014-11-08T16:05:02+01:00":        nov8,
		// forms the service reads that the docs do not list (conformance cases)
		"2025, 6, 14":            time.Date(2025, 6, 14, 0, 0, 0, 0, time.UTC),
		"2017 - 08 - 01":         time.Date(2017, 8, 1, 0, 0, 0, 0, time.UTC),
		`"2015-01-01"`:           time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC),
		"1970-5-12":              time.Date(1970, 5, 12, 0, 0, 0, 0, time.UTC),
		"'2019-01-18T10:36:07Z'": time.Date(2019, 1, 18, 10, 36, 7, 0, time.UTC),
		"'12-02-2022'":           time.Date(2022, 12, 2, 0, 0, 0, 0, time.UTC),
	} {
		got, ok := ParseDatetime(src)
		if !ok || !got.Equal(want) {
			t.Errorf("ParseDatetime(%q) = %v, %v; want %v", src, got, ok, want)
		}
	}
	l := printValue(t, "datetime(2025-13-45)")
	if l.Invalid == "" || l.Value != nil {
		t.Errorf("datetime(2025-13-45): want Invalid set and no value, got %+v", l)
	}
}

func TestTypedNullsAndDynamic(t *testing.T) {
	for _, src := range []string{"int(null)", "datetime(null)", "dynamic(null)", "guid(null)", "real(null)", "timespan(null)"} {
		if l := printValue(t, src); !l.Null || l.Value != nil {
			t.Errorf("%s: %+v", src, l)
		}
	}
	l := printValue(t, `dynamic({"a": [1, 2.5, "x", true, null, datetime(2020-01-01)], "b": {"c": -1}})`)
	m, ok := l.Value.(map[string]any)
	if !ok {
		t.Fatalf("dynamic value %T", l.Value)
	}
	arr := m["a"].([]any)
	if arr[0] != int64(1) || arr[1] != 2.5 || arr[2] != "x" || arr[3] != true || arr[4] != nil {
		t.Errorf("array %#v", arr)
	}
	if m["b"].(map[string]any)["c"] != int64(-1) {
		t.Errorf("nested %#v", m["b"])
	}
	if v := printValue(t, "real(-inf)").Value.(float64); !math.IsInf(v, -1) {
		t.Errorf("real(-inf) = %v", v)
	}
}

func TestOperatorShapes(t *testing.T) {
	p := lastPipe(t, "T | join kind=leftouter hint.strategy=broadcast (U | where x > 1) on $left.a == $right.b, c")
	j := p.Ops[0].(*JoinOp)
	if j.Kind != "leftouter" || len(j.Options) != 2 || j.Options[1].Name != "hint.strategy" || len(j.On) != 2 {
		t.Errorf("join: %+v", j)
	}
	if b, ok := j.On[0].(*BinaryExpr); !ok || b.Op != "==" || b.X.(*DotExpr).X.(*Ident).Name != "$left" {
		t.Errorf("join condition %#v", j.On[0])
	}
	p = lastPipe(t, "T | summarize n = count(), dcount(u) by bin(ts, 1h), k")
	s := p.Ops[0].(*SummarizeOp)
	if len(s.Aggs) != 2 || s.Aggs[0].Names[0].Name != "n" || s.Aggs[1].Names != nil || len(s.By) != 2 {
		t.Errorf("summarize: %+v", s)
	}
	if c := s.By[0].X.(*CallExpr); c.Fun.Name != "bin" || c.Args[1].(*Literal).Ticks() != 36e9 {
		t.Errorf("by bin: %+v", c)
	}
	p = lastPipe(t, "T | render timechart with (title='t', ycolumns=a, b)")
	r := p.Ops[0].(*RenderOp)
	if r.Kind != "timechart" || len(r.Props) != 2 || r.Props[0].Value.(*Literal).Value != "t" {
		t.Errorf("render: %+v", r)
	}
	if l, ok := r.Props[1].Value.(*ListExpr); !ok || len(l.Elems) != 2 {
		t.Errorf("ycolumns %#v", r.Props[1].Value)
	}
	p = lastPipe(t, "union kind=outer withsource=Src T1, Event*, (T2 | take 1)")
	u := p.Ops[0].(*UnionOp)
	if p.Source != nil || len(u.Options) != 2 || len(u.Tables) != 3 {
		t.Errorf("union %+v", u)
	}
	if w, ok := u.Tables[1].(*Wildcard); !ok || w.Pattern != "Event*" {
		t.Errorf("wildcard %#v", u.Tables[1])
	}
	p = lastPipe(t, "T | mv-expand with_itemindex=i a to typeof(long) limit 5 | top 3 by x asc nulls last")
	mv := p.Ops[0].(*MvExpandOp)
	if mv.Items[0].ToType.Types[0].Scalar != TypeLong || mv.Limit == nil || mv.Options[0].Name != "with_itemindex" {
		t.Errorf("mv-expand %+v", mv)
	}
	if k := p.Ops[1].(*TopOp).By[0]; !k.Asc || k.Desc || !k.NullsLast {
		t.Errorf("top key %+v", k)
	}
	p = lastPipe(t, "T | parse kind=regex s with \"a\" x:long * y")
	ps := p.Ops[0].(*ParseOp)
	if len(ps.Pattern) != 4 || ps.Pattern[1].Type != TypeLong || !ps.Pattern[2].Star || ps.Pattern[3].Name.Name != "y" {
		t.Errorf("parse %+v", ps.Pattern)
	}
}

func TestStatements(t *testing.T) {
	s := mustParse(t, "set notruncation;\nlet n = 5;\nlet f = (x:long, y:string = 'a') { x + n };\nlet V = view () { T };\ndeclare query_parameters(p:long = 1);\nT | take n")
	if len(s.Stmts) != 6 {
		t.Fatalf("%d statements", len(s.Stmts))
	}
	if _, ok := s.Stmts[0].(*SetStmt); !ok {
		t.Errorf("stmt 0 %T", s.Stmts[0])
	}
	f := s.Stmts[2].(*LetStmt).Value.(*FuncExpr)
	if len(f.Params) != 2 || f.Params[1].Default == nil || f.Params[0].Type.Scalar != TypeLong || f.Body.Result == nil {
		t.Errorf("lambda %+v", f)
	}
	if v := s.Stmts[3].(*LetStmt).Value.(*FuncExpr); !v.View {
		t.Error("view not marked")
	}
	if d := s.Stmts[4].(*DeclareParamsStmt); len(d.Params) != 1 {
		t.Errorf("declare %+v", d)
	}
}

func TestPartialASTWithErrors(t *testing.T) {
	s, errs := Parse("T | where x > | summarize count() by y")
	if len(errs) == 0 {
		t.Fatal("want an error")
	}
	p := s.Stmts[0].(*ExprStmt).X.(*PipeExpr)
	if len(p.Ops) != 2 {
		t.Fatalf("want both operators in the partial AST, got %d", len(p.Ops))
	}
	if _, ok := p.Ops[1].(*SummarizeOp); !ok {
		t.Errorf("second op %T", p.Ops[1])
	}
	path := NodeAt(s, len("T | where x > | summ"))
	if _, ok := path[len(path)-1].(*SummarizeOp); !ok {
		t.Errorf("NodeAt innermost %T", path[len(path)-1])
	}
}
