package engine

import (
	"fmt"
	"strings"

	"github.com/kqlkernel/kqlkernel/engine/fn"
	"github.com/kqlkernel/kqlkernel/table"
)

// expr is a bound scalar expression evaluated over a batch.
type expr interface {
	typ() table.Type
	eval(ec *evalCtx, b *batch) (*table.Vector, error)
}

// colExpr reads an input column.
type colExpr struct {
	idx int
	t   table.Type
}

func (e *colExpr) typ() table.Type { return e.t }
func (e *colExpr) eval(ec *evalCtx, b *batch) (*table.Vector, error) {
	return b.cols[e.idx], nil
}

// constExpr is a constant (a Const vector).
type constExpr struct {
	v *table.Vector
}

func (e *constExpr) typ() table.Type                                   { return e.v.Type }
func (e *constExpr) eval(ec *evalCtx, b *batch) (*table.Vector, error) { return e.v, nil }

// value is the constant's value. It is nil-safe so that `c, ok := x.(*constExpr)` can be
// read before ok is checked: a non-constant argument then reads as no value.
func (e *constExpr) value() any {
	if e == nil {
		return nil
	}
	return e.v.At(0)
}

func newConst(t table.Type, x any) *constExpr { return &constExpr{v: table.ConstVector(t, x)} }

// callExpr calls a bound scalar function.
type callExpr struct {
	name string
	impl fn.Impl
	args []expr
	t    table.Type
	pos  [2]int // byte offset and length of the call in the query, for runtime errors
}

func (e *callExpr) typ() table.Type { return e.t }
func (e *callExpr) eval(ec *evalCtx, b *batch) (*table.Vector, error) {
	vs := make([]*table.Vector, len(e.args))
	for i, a := range e.args {
		v, err := a.eval(ec, b)
		if err != nil {
			return nil, err
		}
		vs[i] = v
	}
	out, err := e.impl(ec.fctx, vs, b.n)
	if err != nil {
		return nil, &Error{Code: "runtime", Offset: e.pos[0], Len: e.pos[1], Msg: fmt.Sprintf("%s(): %v", e.name, err), Err: err}
	}
	if out.Type != e.t && out.Type != table.TypeInvalid {
		// Functions may return a close type (int for long); keep the bound type.
		out = convertVector(out, e.t, b.n)
	}
	return out, nil
}

// funcExpr evaluates a Go closure over the batch (engine-level functions).
type funcExpr struct {
	t table.Type
	f func(ec *evalCtx, b *batch) (*table.Vector, error)
	// deps are the expressions the closure evaluates; allCols marks closures that read
	// every column (pack_all), which column pruning must respect.
	deps    []expr
	allCols bool
}

func (e *funcExpr) typ() table.Type                                   { return e.t }
func (e *funcExpr) eval(ec *evalCtx, b *batch) (*table.Vector, error) { return e.f(ec, b) }

// memberExpr is dynamic member access d.name / d["name"] / d[i].
type memberExpr struct {
	x   expr
	key expr // string or integer
}

func (e *memberExpr) typ() table.Type { return table.TypeDynamic }
func (e *memberExpr) eval(ec *evalCtx, b *batch) (*table.Vector, error) {
	xv, err := e.x.eval(ec, b)
	if err != nil {
		return nil, err
	}
	kv, err := e.key.eval(ec, b)
	if err != nil {
		return nil, err
	}
	n := b.n
	if xv.Const && kv.Const {
		n = 1
	}
	out := table.NewVector(table.TypeDynamic, n)
	for i := 0; i < n; i++ {
		out.Dyns = append(out.Dyns, index(xv.At(i), kv.At(i)))
	}
	out.Const = xv.Const && kv.Const
	return out, nil
}

// index looks up a dynamic value by key (string for bags, integer for arrays, negative
// from the end).
func index(x, k any) any {
	switch d := x.(type) {
	case map[string]any:
		if s, ok := k.(string); ok {
			return d[s]
		}
	case []any:
		var i int64
		switch v := k.(type) {
		case int64:
			i = v
		case int32:
			i = int64(v)
		default:
			return nil
		}
		if i < 0 {
			i += int64(len(d))
		}
		if i >= 0 && i < int64(len(d)) {
			return d[i]
		}
	case string:
		// A string holding JSON is parsed on access, as Kusto does for dynamic strings.
		if s, ok := k.(string); ok && strings.HasPrefix(strings.TrimSpace(d), "{") {
			if v, err := table.ParseDynamic(d); err == nil {
				return index(v, s)
			}
		}
	}
	return nil
}

// isConst reports whether e is constant (no column references).
func isConst(e expr) bool {
	_, ok := e.(*constExpr)
	return ok
}

// toDynamic converts a scalar value (as Vector.At returns it) to a dynamic value.
func toDynamic(x any) any {
	switch v := x.(type) {
	case int32:
		return int64(v)
	case table.GUID:
		return string(v)
	}
	return x
}

// convertVector converts a vector to type t (int<->long, anything->dynamic); used where
// Kusto widens silently (union of int and long columns, function results).
func convertVector(v *table.Vector, t table.Type, n int) *table.Vector {
	if v.Type == t {
		return v
	}
	cnt := n
	if v.Const {
		cnt = 1
	}
	out := table.NewVector(t, cnt)
	for i := 0; i < cnt; i++ {
		x := v.At(i)
		_ = out.Append(convertValue(x, t))
	}
	out.Const = v.Const
	return out
}

// convertValue converts one value to type t, or nil when it cannot.
func convertValue(x any, t table.Type) any {
	if x == nil {
		return nil
	}
	switch t {
	case table.TypeDynamic:
		return toDynamic(x)
	case table.TypeLong, table.TypeInt:
		switch v := x.(type) {
		case int32:
			return int64(v)
		case int64:
			return v
		case float64:
			return int64(v)
		case bool:
			if v {
				return int64(1)
			}
			return int64(0)
		}
	case table.TypeReal:
		switch v := x.(type) {
		case int32:
			return float64(v)
		case int64:
			return float64(v)
		case float64:
			return v
		}
	case table.TypeString:
		return fn.ToStringValue(x)
	case table.TypeDateTime:
		if v, ok := x.(table.DateTime); ok {
			return v
		}
	case table.TypeTimeSpan:
		if v, ok := x.(table.TimeSpan); ok {
			return v
		}
	case table.TypeGUID:
		if v, ok := x.(table.GUID); ok {
			return v
		}
	case table.TypeBool:
		if v, ok := x.(bool); ok {
			return v
		}
	}
	return nil
}

// exprRefsGrow marks the input columns e reads in *set, growing it as needed; it
// returns false when it cannot tell (then every column counts).
func exprRefsGrow(e expr, set *[]bool) bool {
	switch e := e.(type) {
	case *colExpr:
		for len(*set) <= e.idx {
			*set = append(*set, false)
		}
		(*set)[e.idx] = true
		return true
	case *constExpr:
		return true
	case *callExpr:
		for _, a := range e.args {
			if !exprRefsGrow(a, set) {
				return false
			}
		}
		return true
	case *memberExpr:
		return exprRefsGrow(e.x, set) && exprRefsGrow(e.key, set)
	case *funcExpr:
		if e.allCols {
			return false
		}
		for _, a := range e.deps {
			if !exprRefsGrow(a, set) {
				return false
			}
		}
		return true
	}
	return false
}
