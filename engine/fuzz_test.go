package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

// fuzzDB is a small table with every type and some nulls.
func fuzzDB() testDB {
	t := table.New("T", table.Schema{
		{Name: "a", Type: table.TypeLong}, {Name: "b", Type: table.TypeReal}, {Name: "s", Type: table.TypeString},
		{Name: "d", Type: table.TypeDateTime}, {Name: "ts", Type: table.TypeTimeSpan}, {Name: "f", Type: table.TypeBool},
		{Name: "dyn", Type: table.TypeDynamic}, {Name: "i", Type: table.TypeInt},
	})
	base := table.DateTime(638000000000000000)
	words := []string{"alpha beta", "", "Gamma-delta", "powershell.exe -nop", "x=1, y=2"}
	for r := 0; r < 23; r++ {
		var a, b, d, ts, f, i any = int64(r % 7), float64(r) / 3, base + table.DateTime(int64(r)*int64(table.Hour)), table.TimeSpan(int64(r) * int64(table.Minute)), r%2 == 0, int32(r % 4)
		if r%5 == 0 {
			a, b, d = nil, nil, nil
		}
		if r%6 == 0 {
			ts, f, i = nil, nil, nil
		}
		var dyn any = []any{int64(r), "k" + fmt.Sprint(r%3)}
		if r%4 == 0 {
			dyn = map[string]any{"k": int64(r), "n": "v"}
		}
		if r%7 == 0 {
			dyn = nil
		}
		if err := t.AppendRow(a, b, words[r%len(words)], d, ts, f, dyn, i); err != nil {
			panic(err)
		}
	}
	return testDB{"T": t}
}

// queryGen builds random well-typed queries over fuzzDB's T from a stream of choices.
type queryGen struct {
	pick func(n int) int
}

func (g *queryGen) of(xs ...string) string { return xs[g.pick(len(xs))] }

func (g *queryGen) longExpr() string {
	return g.of("a", "a + 1", "a * 2 - i", "strlen(s)", "toint(b)", "tolong(b)", "array_length(dyn)", "i", "countof(s, 'a')", "iff(f, a, 0)", "case(a > 3, 1, a < 1, 2, 3)", "coalesce(a, 0)", "datetime_part('hour', d)", "hourofday(d)", "tolong(ts / 1m)")
}

func (g *queryGen) realExpr() string {
	return g.of("b", "b * 2.5", "todouble(a) / 3", "round(b, 1)", "sqrt(abs(b))", "log(b + 1)", "pow(b, 2)")
}

func (g *queryGen) strExpr() string {
	return g.of("s", "tolower(s)", "strcat(s, '-', a)", "substring(s, 1, 3)", "tostring(dyn)", "trim(' ', s)", "replace_string(s, 'a', 'b')", "extract('([a-z]+)', 1, s)", "tostring(a)", "format_datetime(d, 'yyyy-MM-dd')")
}

func (g *queryGen) pred() string {
	switch g.pick(3) {
	case 0:
		return g.longExpr() + g.of(" > ", " < ", " == ", " != ", " >= ") + fmt.Sprint(g.pick(8))
	case 1:
		return g.strExpr() + g.of(" has 'alpha'", " contains 'a'", " startswith 'p'", " == ''", " !has 'beta'", " in ('alpha beta', 'x')", " matches regex '[0-9]'", " =~ 'GAMMA-DELTA'")
	}
	return g.of("isnull(a)", "isnotempty(s)", "f", "not(f)", "d > datetime(2022-09-01)", "ts between (1m .. 10m)", "b > 2.0 and a < 5", "isnotnull(dyn) or f")
}

func (g *queryGen) agg() string {
	return g.of("count()", "sum(a)", "avg(b)", "min(d)", "max(s)", "dcount(s)", "countif(f)", "make_list(a)", "make_set(s)", "arg_max(a, *)", "arg_min(b, s)", "take_any(s)", "percentile(a, 50)", "stdev(b)", "variance(a)", "sumif(a, f)", "make_bag(dyn)", "maxif(b, f)")
}

func (g *queryGen) op() string {
	switch g.pick(24) {
	case 17:
		return "extend " + g.of("strlen(s)", "tostring(a)", "dyn.k", "dyn[0]", "a * 2", "abs(a)", "bin(d, 1d)", "tolower(s)", "todouble(i)")
	case 18:
		return "project " + g.of("a, b", "s, x = a + 1", "a, tostring(b)", "strlen(s), a", "dyn.k, d")
	case 19:
		return "summarize " + g.of("sum(a * 2)", "count(), avg(b) by tostring(f)", "make_list_if(s, f), max(d) by i", "percentiles(a, 25, 75)", "dcountif(s, f) by bin(ts, 5m)", "arg_min(d, a, s)", "min(a), max(a) by f, i")
	case 20:
		return "mv-apply dyn on (" + g.of("summarize n = count()", "take 1", "where isnotnull(dyn)") + ")"
	case 21:
		return "top-nested 2 of " + g.of("s", "i") + " by " + g.of("count()", "sum(a)") + g.of("", ", top-nested 1 of f by max(b)")
	case 22:
		return "project-rename " + g.of("z1 = a", "z2 = s")
	case 23:
		return "parse-kv s as (x:string, y:long) with (pair_delimiter=',', kv_delimiter='=')"
	case 0, 1:
		return "where " + g.pred()
	case 2:
		return "extend x" + fmt.Sprint(g.pick(3)) + " = " + g.of(g.longExpr(), g.realExpr(), g.strExpr())
	case 3:
		return "summarize " + g.agg() + ", " + g.agg() + g.of("", " by s", " by bin(d, 1h)", " by a, f", " by i")
	case 4:
		return "sort by " + g.of("a", "b", "s", "d") + g.of("", " asc", " desc nulls first")
	case 5:
		return "take " + fmt.Sprint(g.pick(30))
	case 6:
		return "top " + fmt.Sprint(g.pick(10)) + " by " + g.of("a", "b desc", "s asc")
	case 7:
		return "mv-expand " + g.of("dyn", "dyn to typeof(long)", "with_itemindex=ix dyn")
	case 8:
		return "join kind=" + g.of("inner", "innerunique", "leftouter", "rightouter", "fullouter", "leftanti", "rightsemi") + " (T | project a, z = s) on a"
	case 9:
		return "union (T | where a > 3)"
	case 10:
		return "distinct " + g.of("s", "a, f", "*")
	case 11:
		return "serialize rn = row_number(), p = prev(a)"
	case 12:
		return "project-away " + g.of("b", "s", "d*")
	case 13:
		return "lookup (T | summarize n = count() by a) on a"
	case 14:
		return "parse s with w1 ' ' w2"
	case 15:
		return "make-series c = count() default = 0 on d step 1h"
	}
	return "count"
}

func (g *queryGen) query() string {
	var b strings.Builder
	b.WriteString("T")
	for k := g.pick(5) + 1; k > 0; k-- {
		b.WriteString(" | " + g.op())
	}
	return b.String()
}

// checkNoPanic runs q and fails when the engine panicked (Run reports that as an
// internal error); semantic errors are fine, the generator is not perfect.
func checkNoPanic(t *testing.T, db testDB, q string) {
	_, err := Run(context.Background(), db, q, Options{Workers: 2})
	var qe *Error
	if errors.As(err, &qe) && qe.Code == "runtime" && strings.HasPrefix(qe.Msg, "internal error") {
		t.Fatalf("%s\n%s", q, qe.Msg)
	}
}

func TestRandomQueries(t *testing.T) {
	db := fuzzDB()
	r := rand.New(rand.NewPCG(7, 11))
	g := &queryGen{pick: func(n int) int { return r.IntN(n) }}
	for i := 0; i < 1500; i++ {
		checkNoPanic(t, db, g.query())
	}
}

func FuzzEngine(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3})
	f.Add([]byte{3, 3, 9, 2, 4, 7, 1})
	f.Add([]byte{8, 8, 1, 11, 14, 15, 2, 5})
	db := fuzzDB()
	f.Fuzz(func(t *testing.T, data []byte) {
		pos := 0
		g := &queryGen{pick: func(n int) int {
			if pos >= len(data) {
				return 0
			}
			pos++
			return int(data[pos-1]) % n
		}}
		checkNoPanic(t, db, g.query())
	})
}
