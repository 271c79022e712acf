package fn

import (
	"encoding/json"
	"fmt"
	"github.com/kqlkernel/kqlkernel/internal/testshared"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

// This test runs the conformance cases that are a bare `print` of scalar expressions
// (optionally after scalar `let`s) through a minimal evaluator over this package, so
// function semantics are checked against the real engine's results without the rest of
// the engine. Names of output columns are the engine's business and are not checked.

type confCase struct {
	ID            string `json:"id"`
	KQL           string `json:"kql"`
	Deterministic bool   `json:"deterministic"`
	Expected      struct {
		Columns     []string `json:"columns"`
		ColumnTypes []string `json:"column_types"`
		Rows        [][]any  `json:"rows"`
	} `json:"expected"`
}

func findConformance(t *testing.T) string {
	return testshared.Path(t, "kql", "conformance.json")
}

type evalVal struct {
	arg Arg
	vec *table.Vector
}

type evaluator struct {
	vars map[string]evalVal
	ctx  *Context
}

var errUnsupported = fmt.Errorf("unsupported")

func constVec(t table.Type, v any) (*table.Vector, error) {
	vec := table.NewVector(t, 1)
	if err := vec.Append(v); err != nil {
		return nil, err
	}
	vec.Const = true
	return vec, nil
}

func litValue(l *syntax.Literal) (_ table.Type, _ any, err error) {
	err = errUnsupported
	t, ok := table.ParseType(string(l.Type))
	if !ok {
		return 0, nil, errUnsupported
	}
	if l.Null {
		return t, nil, nil
	}
	defer func() { _ = recover() }()
	switch t {
	case table.TypeInt:
		return t, int32(l.Value.(int64)), nil
	case table.TypeDecimal:
		d, err := decimal.NewFromString(l.Value.(string))
		return t, d, err
	case table.TypeDateTime:
		return t, table.FromTime(l.Value.(time.Time)), nil
	case table.TypeTimeSpan:
		return t, table.TimeSpan(l.Value.(int64)), nil
	case table.TypeGUID:
		return t, table.GUID(l.Value.(string)), nil
	case table.TypeDynamic:
		return t, dynFromLit(l.Value), nil
	}
	if l.Value == nil {
		return 0, nil, errUnsupported
	}
	return t, l.Value, nil
}

func dynFromLit(x any) any {
	switch v := x.(type) {
	case time.Time:
		return table.FromTime(v)
	case []any:
		for i := range v {
			v[i] = dynFromLit(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = dynFromLit(v[k])
		}
	}
	return x
}

func (e *evaluator) call(f *Func, args []evalVal) (evalVal, error) {
	as := make([]Arg, len(args))
	vs := make([]*table.Vector, len(args))
	for i, a := range args {
		as[i], vs[i] = a.arg, a.vec
	}
	t, impl, err := f.Bind(as)
	if err != nil {
		return evalVal{}, err
	}
	out, err := impl(e.ctx, vs, 1)
	if err != nil {
		return evalVal{}, err
	}
	v := out.At(0)
	return evalVal{Arg{Type: t, Const: true, Value: v}, out}, nil
}

func (e *evaluator) eval(x syntax.Expr) (evalVal, error) {
	switch n := x.(type) {
	case *syntax.Literal:
		t, v, err := litValue(n)
		if err != nil {
			return evalVal{}, err
		}
		vec, err := constVec(t, v)
		if err != nil {
			return evalVal{}, err
		}
		return evalVal{Arg{Type: t, Const: true, Value: v}, vec}, nil
	case *syntax.ParenExpr:
		return e.eval(n.X)
	case *syntax.Ident:
		if v, ok := e.vars[n.Name]; ok {
			return v, nil
		}
		return evalVal{}, errUnsupported
	case *syntax.TypeofExpr:
		if len(n.Types) != 1 || n.Types[0].Tabular {
			return evalVal{}, errUnsupported
		}
		s := string(n.Types[0].Scalar)
		vec, _ := constVec(table.TypeString, s)
		return evalVal{Arg{Type: table.TypeString, Const: true, Value: s}, vec}, nil
	case *syntax.BinaryExpr:
		f, ok := Operator(n.Op)
		if !ok {
			return evalVal{}, errUnsupported
		}
		var args []evalVal
		l, err := e.eval(n.X)
		if err != nil {
			return evalVal{}, err
		}
		args = append(args, l)
		if list, isList := n.Y.(*syntax.ListExpr); isList {
			for _, el := range list.Elems {
				v, err := e.eval(el)
				if err != nil {
					return evalVal{}, err
				}
				args = append(args, v)
			}
		} else {
			r, err := e.eval(n.Y)
			if err != nil {
				return evalVal{}, err
			}
			args = append(args, r)
		}
		return e.call(f, args)
	case *syntax.UnaryExpr:
		f, _ := Operator(n.Op)
		v, err := e.eval(n.X)
		if err != nil {
			return evalVal{}, err
		}
		return e.call(f, []evalVal{v})
	case *syntax.InExpr:
		f, _ := Operator(n.Op)
		args := []evalVal{}
		for _, el := range append([]syntax.Expr{n.X}, n.List...) {
			v, err := e.eval(el)
			if err != nil {
				return evalVal{}, err
			}
			args = append(args, v)
		}
		return e.call(f, args)
	case *syntax.BetweenExpr:
		op := "between"
		if n.Not {
			op = "!between"
		}
		f, _ := Operator(op)
		args := []evalVal{}
		for _, el := range []syntax.Expr{n.X, n.Lo, n.Hi} {
			v, err := e.eval(el)
			if err != nil {
				return evalVal{}, err
			}
			args = append(args, v)
		}
		return e.call(f, args)
	case *syntax.IndexExpr, *syntax.DotExpr:
		var base, idx syntax.Expr
		var key evalVal
		if ie, ok := n.(*syntax.IndexExpr); ok {
			base, idx = ie.X, ie.Index
			k, err := e.eval(idx)
			if err != nil {
				return evalVal{}, err
			}
			key = k
		} else {
			de := n.(*syntax.DotExpr)
			base = de.X
			vec, _ := constVec(table.TypeString, de.Name.Name)
			key = evalVal{Arg{Type: table.TypeString, Const: true, Value: de.Name.Name}, vec}
		}
		b, err := e.eval(base)
		if err != nil {
			return evalVal{}, err
		}
		f, _ := Operator("[]")
		return e.call(f, []evalVal{b, key})
	case *syntax.CallExpr:
		f, ok := Lookup(n.Fun.Name)
		if !ok {
			return evalVal{}, fmt.Errorf("%w: function %s", errUnsupported, n.Fun.Name)
		}
		var args []evalVal
		for _, a := range n.Args {
			v, err := e.eval(a)
			if err != nil {
				return evalVal{}, err
			}
			args = append(args, v)
		}
		return e.call(f, args)
	}
	return evalVal{}, fmt.Errorf("%w: %T", errUnsupported, x)
}

// printCase parses `let ...; print ...` and returns the column expressions.
func (e *evaluator) printCols(src string) ([]syntax.Expr, error) {
	script, errs := syntax.Parse(src)
	if len(errs) > 0 {
		return nil, errUnsupported
	}
	var cols []syntax.Expr
	for _, st := range script.Stmts {
		switch s := st.(type) {
		case *syntax.LetStmt:
			v, err := e.eval(s.Value)
			if err != nil {
				return nil, err
			}
			e.vars[s.Name.Name] = v
		case *syntax.ExprStmt:
			p, ok := s.X.(*syntax.PipeExpr)
			if !ok || p.Source != nil || len(p.Ops) != 1 {
				return nil, errUnsupported
			}
			po, ok := p.Ops[0].(*syntax.PrintOp)
			if !ok {
				return nil, errUnsupported
			}
			for _, c := range po.Cols {
				if len(c.Names) > 1 {
					return nil, errUnsupported
				}
				cols = append(cols, c.X)
			}
		default:
			return nil, errUnsupported
		}
	}
	return cols, nil
}

// jsonOf renders a result value the way the conformance file holds it.
func jsonOf(x any) any {
	switch v := x.(type) {
	case []any, map[string]any:
		var out any
		_ = json.Unmarshal([]byte(DynamicJSON(v)), &out)
		return out
	case int32:
		return float64(v)
	case int64:
		return float64(v)
	case bool, nil, string:
		return v
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return table.FormatReal(v)
		}
		return v
	}
	return table.JSONValue(x)
}

func sameJSON(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		return math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k := range x {
			if !sameJSON(x[k], y[k]) {
				return false
			}
		}
		return true
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// printFloor is the number of print cases that must pass (a ratchet: raise it).
const printFloor = 115

// geoFloor is the same ratchet for the geo_* print cases.
const geoFloor = 64

func TestConformancePrintCases(t *testing.T) {
	data, err := os.ReadFile(findConformance(t))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []confCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	var pass, fail, unsupported, geoPass, geoFail int
	var failures []string
	for _, c := range file.Cases {
		if !c.Deterministic || len(c.Expected.Rows) != 1 {
			continue
		}
		isGeo := strings.Contains(c.KQL, "geo_")
		e := &evaluator{vars: map[string]evalVal{}, ctx: &Context{Now: table.FromTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}}
		cols, err := e.printCols(c.KQL)
		if err != nil || len(cols) != len(c.Expected.ColumnTypes) {
			if err != nil && os.Getenv("FN_WHY") != "" {
				t.Logf("unsupported %s: %v", c.ID, err)
			}
			unsupported++
			continue
		}
		ok := true
		var why string
		for i, col := range cols {
			v, err := e.eval(col)
			if err != nil {
				if strings.Contains(err.Error(), "unsupported") {
					if os.Getenv("FN_WHY") != "" {
						t.Logf("unsupported %s: %v", c.ID, err)
					}
					unsupported++
					ok = false
					why = "skip"
					break
				}
				ok = false
				why = fmt.Sprintf("col %d: error %v", i, err)
				break
			}
			wantT, _ := table.ParseType(c.Expected.ColumnTypes[i])
			if v.arg.Type != wantT {
				ok = false
				why = fmt.Sprintf("col %d: type %s, want %s", i, v.arg.Type, wantT)
				break
			}
			got := jsonOf(v.vec.At(0))
			if !sameJSON(got, c.Expected.Rows[0][i]) {
				ok = false
				why = fmt.Sprintf("col %d: got %#v, want %#v", i, got, c.Expected.Rows[0][i])
				break
			}
		}
		switch {
		case why == "skip":
		case ok && isGeo:
			geoPass++
		case ok:
			pass++
		case isGeo:
			geoFail++
			failures = append(failures, c.ID+": "+why+"\n    "+strings.ReplaceAll(c.KQL, "\n", " "))
		default:
			fail++
			failures = append(failures, c.ID+": "+why+"\n    "+strings.ReplaceAll(c.KQL, "\n", " "))
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Log(f)
	}
	t.Logf("print cases: %d pass, %d wrong, %d unsupported; geo: %d pass, %d wrong", pass, fail, unsupported, geoPass, geoFail)
	if geoPass < geoFloor {
		t.Errorf("geo pass count %d fell below the floor %d", geoPass, geoFloor)
	}
	if pass < printFloor {
		t.Errorf("pass count %d fell below the floor %d", pass, printFloor)
	}
}
