package fn

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

func decFromInt(i int64) decimalT { return decimal.NewFromInt(i) }

// unify is the common type of iff/case/coalesce/max_of branches, as Kusto.Language
// types them: dynamic yields to the others, numerics promote (int with int stays int).
func unify(name string, ts []table.Type) (table.Type, error) {
	var res table.Type
	for _, t := range ts {
		if t == table.TypeDynamic {
			continue
		}
		switch {
		case res == 0:
			res = t
		case res == t:
		case res.Numeric() && t.Numeric():
			res = promote(res, t)
		default:
			return 0, fmt.Errorf("%s(): arguments must have the same type, got %s and %s", name, res, t)
		}
	}
	if res == 0 {
		return table.TypeDynamic, nil
	}
	return res, nil
}

// convertVec returns v as a vector of type t (v itself when it already is).
func convertVec(v *table.Vector, t table.Type) *table.Vector {
	if v.Type == t {
		return v
	}
	m := v.Len()
	out := newOut(t, m)
	out.Const = v.Const
	switch {
	case (v.Type == table.TypeInt || v.Type == table.TypeLong) && (t == table.TypeInt || t == table.TypeLong):
		copy(out.Ints, v.Ints)
		out.Nulls = v.Nulls
		return out
	case (v.Type == table.TypeInt || v.Type == table.TypeLong) && t == table.TypeReal:
		for i, x := range v.Ints {
			out.Reals[i] = float64(x)
		}
		out.Nulls = v.Nulls
		return out
	}
	for i := 0; i < m; i++ {
		set(out, i, convertTo(t, v.At(i)))
	}
	return out
}

// copyRow copies src's row j into out's row i (same type).
func copyRow(out *table.Vector, i int, src *table.Vector, j int) {
	j = ix(src, j)
	if src.Type != table.TypeDynamic && src.Nulls != nil && src.Nulls.Get(j) {
		out.SetNull(i)
		return
	}
	switch out.Type {
	case table.TypeBool:
		out.Bools[i] = src.Bools[j]
	case table.TypeInt, table.TypeLong, table.TypeDateTime, table.TypeTimeSpan:
		out.Ints[i] = src.Ints[j]
	case table.TypeReal:
		out.Reals[i] = src.Reals[j]
	case table.TypeDecimal:
		out.Decs[i] = src.Decs[j]
	case table.TypeString, table.TypeGUID:
		out.Strs[i] = src.Strs[j]
	case table.TypeDynamic:
		out.Dyns[i] = src.Dyns[j]
	}
}

func condTrue(c *table.Vector, i int) bool {
	j := ix(c, i)
	if c.Type == table.TypeBool {
		return c.Bools[j] && (c.Nulls == nil || !c.Nulls.Get(j))
	}
	b, ok := toBoolV(c.At(i))
	return ok && b
}

func bindIff(args []Arg) (table.Type, Impl, error) {
	if err := argc("iff", args, 3, 3); err != nil {
		return 0, nil, err
	}
	if args[0].Type != table.TypeBool && args[0].Type != table.TypeDynamic {
		return 0, nil, typeErr("iff", 0, "bool", args[0].Type)
	}
	rt, err := unify("iff", []table.Type{args[1].Type, args[2].Type})
	if err != nil {
		return 0, nil, err
	}
	return rt, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		c := args[0]
		a, b := convertVec(args[1], rt), convertVec(args[2], rt)
		out := newOut(rt, n)
		for i := 0; i < n; i++ {
			if condTrue(c, i) {
				copyRow(out, i, a, i)
			} else {
				copyRow(out, i, b, i)
			}
		}
		return out, nil
	}, nil
}

func bindCase(args []Arg) (table.Type, Impl, error) {
	if len(args) < 3 || len(args)%2 == 0 {
		return 0, nil, fmt.Errorf("case(): expects pairs of predicate and value, then an else value")
	}
	var ts []table.Type
	for i := 0; i+1 < len(args); i += 2 {
		if args[i].Type != table.TypeBool && args[i].Type != table.TypeDynamic {
			return 0, nil, typeErr("case", i, "bool", args[i].Type)
		}
		ts = append(ts, args[i+1].Type)
	}
	ts = append(ts, args[len(args)-1].Type)
	rt, err := unify("case", ts)
	if err != nil {
		return 0, nil, err
	}
	return rt, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		vals := make([]*table.Vector, len(args))
		for i := 1; i < len(args); i += 2 {
			vals[i] = convertVec(args[i], rt)
		}
		els := convertVec(args[len(args)-1], rt)
		out := newOut(rt, n)
		for i := 0; i < n; i++ {
			done := false
			for k := 0; k+1 < len(args); k += 2 {
				if condTrue(args[k], i) {
					copyRow(out, i, vals[k+1], i)
					done = true
					break
				}
			}
			if !done {
				copyRow(out, i, els, i)
			}
		}
		return out, nil
	}, nil
}

func bindCoalesce(args []Arg) (table.Type, Impl, error) {
	if err := argc("coalesce", args, 2, 64); err != nil {
		return 0, nil, err
	}
	ts := make([]table.Type, len(args))
	for i, a := range args {
		ts[i] = a.Type
	}
	rt, err := unify("coalesce", ts)
	if err != nil {
		return 0, nil, err
	}
	return rt, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		vs := make([]*table.Vector, len(args))
		for i, a := range args {
			vs[i] = convertVec(a, rt)
		}
		out := newOut(rt, n)
		for i := 0; i < n; i++ {
			picked := false
			for _, v := range vs {
				if nullAt(v, i) || (rt == table.TypeString && v.Strs[ix(v, i)] == "") {
					continue
				}
				copyRow(out, i, v, i)
				picked = true
				break
			}
			if !picked {
				out.SetNull(i)
			}
		}
		return out, nil
	}, nil
}

func bindMaxMinOf(isMax bool) binder {
	name := "min_of"
	if isMax {
		name = "max_of"
	}
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 1, 64); err != nil {
			return 0, nil, err
		}
		ts := make([]table.Type, len(args))
		for i, a := range args {
			ts[i] = a.Type
		}
		rt, err := unify(name, ts)
		if err != nil {
			return 0, nil, err
		}
		return rt, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			vs := make([]*table.Vector, len(args))
			for i, a := range args {
				vs[i] = convertVec(a, rt)
			}
			out := newOut(rt, n)
			for i := 0; i < n; i++ {
				var best any
				for _, v := range vs {
					x := v.At(i)
					if x == nil {
						continue
					}
					if best == nil {
						best = x
						continue
					}
					c, ok := compareValues(x, best)
					if ok && ((isMax && c > 0) || (!isMax && c < 0)) {
						best = x
					}
				}
				set(out, i, best)
			}
			return out, nil
		}, nil
	}
}

func bindNot(args []Arg) (table.Type, Impl, error) {
	if err := argc("not", args, 1, 1); err != nil {
		return 0, nil, err
	}
	if args[0].Type != table.TypeBool && args[0].Type != table.TypeDynamic {
		return 0, nil, typeErr("not", 0, "bool", args[0].Type)
	}
	return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a := asBools(args[0])
		out := newOut(table.TypeBool, n)
		s := stride(a)
		for i := 0; i < n; i++ {
			out.Bools[i] = !a.Bools[i*s]
		}
		copyNulls(out, n, a)
		for i := 0; i < n; i++ {
			if nullAt(a, i) {
				out.Bools[i] = false
			}
		}
		return out, nil
	}, nil
}

func bindIsNull(neg bool) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc("isnull", args, 1, 1); err != nil {
			return 0, nil, err
		}
		return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := args[0]
			out := make([]bool, n)
			if a.Type == table.TypeString {
				for i := range out {
					out[i] = neg
				}
			} else {
				for i := range out {
					out[i] = nullAt(a, i) != neg
				}
			}
			return &table.Vector{Type: table.TypeBool, Bools: out}, nil
		}, nil
	}
}

func isEmptyValue(x any) bool {
	switch v := x.(type) {
	case nil:
		return true
	case string:
		return v == ""
	}
	return false
}

func bindIsEmpty(neg bool) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc("isempty", args, 1, 1); err != nil {
			return 0, nil, err
		}
		return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := args[0]
			out := make([]bool, n)
			switch a.Type {
			case table.TypeString:
				s := stride(a)
				for i := range out {
					out[i] = (a.Strs[i*s] == "") != neg
				}
			default:
				for i := range out {
					out[i] = isEmptyValue(a.At(i)) != neg
				}
			}
			return &table.Vector{Type: table.TypeBool, Bools: out}, nil
		}, nil
	}
}

// ---- conversions ----

func bindToString(args []Arg) (table.Type, Impl, error) {
	if err := argc("tostring", args, 1, 1); err != nil {
		return 0, nil, err
	}
	return table.TypeString, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a := args[0]
		if a.Type == table.TypeString {
			return a, nil
		}
		out := newOut(table.TypeString, n)
		switch a.Type {
		case table.TypeLong, table.TypeInt:
			// Digits for the whole batch in one buffer, then strings sliced from it.
			s := stride(a)
			buf := make([]byte, 0, n*8)
			ends := make([]int, n)
			for i := 0; i < n; i++ {
				if !nullAt(a, i) {
					buf = strconv.AppendInt(buf, a.Ints[i*s], 10)
				}
				ends[i] = len(buf)
			}
			start := 0
			for i, e := range ends {
				if e > start {
					out.Strs[i] = unsafe.String(&buf[start], e-start)
				}
				start = e
			}
		default:
			for i := 0; i < n; i++ {
				out.Strs[i] = ToStringValue(a.At(i))
			}
		}
		return out, nil
	}, nil
}

// bindConv binds a to<type>() conversion.
func bindConv(name string, t table.Type) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 1, 1); err != nil {
			return 0, nil, err
		}
		st := args[0].Type
		return t, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := args[0]
			if a.Type == t {
				return a, nil
			}
			out := newOut(t, n)
			switch {
			case (st == table.TypeInt || st == table.TypeLong) && t == table.TypeReal:
				s := stride(a)
				for i := 0; i < n; i++ {
					out.Reals[i] = float64(a.Ints[i*s])
				}
				copyNulls(out, n, a)
				return out, nil
			case st == table.TypeReal && (t == table.TypeLong || t == table.TypeInt):
				s := stride(a)
				for i := 0; i < n; i++ {
					f := a.Reals[i*s]
					if math.IsNaN(f) || math.IsInf(f, 0) {
						out.SetNull(i)
						continue
					}
					v := int64(f)
					if t == table.TypeInt {
						v = int64(int32(v))
					}
					out.Ints[i] = v
				}
				copyNulls(out, n, a)
				return out, nil
			}
			for i := 0; i < n; i++ {
				x := a.At(i)
				if x == nil {
					out.SetNull(i)
					continue
				}
				set(out, i, convertExplicit(t, x))
			}
			return out, nil
		}, nil
	}
}

// convertExplicit is the to<type>() conversion of one value; nil when it fails.
func convertExplicit(t table.Type, x any) any {
	x = normDyn(x)
	switch t {
	case table.TypeInt:
		if s, ok := x.(string); ok {
			i, ok := parseLong(s)
			if !ok || i > math.MaxInt32 || i < math.MinInt32 {
				return nil
			}
			return i
		}
		if i, ok := toLongV(x); ok {
			return int64(int32(i))
		}
		return nil
	case table.TypeDateTime:
		switch v := x.(type) {
		case table.DateTime:
			return v
		case string:
			if d, ok := ParseDateTime(v); ok {
				return d
			}
		}
		return nil
	case table.TypeTimeSpan:
		switch v := x.(type) {
		case table.TimeSpan:
			return v
		case string:
			if d, ok := ParseTimeSpan(v); ok {
				return d
			}
		case int64:
			return table.TimeSpan(v)
		case float64:
			return table.TimeSpan(v)
		}
		return nil
	case table.TypeBool:
		if b, ok := toBoolV(x); ok {
			return b
		}
		return nil
	case table.TypeDecimal:
		if s, ok := x.(string); ok {
			d, err := decimal.NewFromString(strings.TrimSpace(s))
			if err != nil {
				return nil
			}
			return d
		}
	}
	return convertTo(t, x)
}

func registerConversion(r *registry) {
	r.fn("tostring", bindToString)
	r.fn("toint", withFast(bindConv("toint", table.TypeInt), fastConv(table.TypeInt)))
	r.fn("tolong", withFast(bindConv("tolong", table.TypeLong), fastConv(table.TypeLong)))
	r.fn("toreal", withFast(bindConv("toreal", table.TypeReal), fastConv(table.TypeReal)), "todouble")
	r.fn("tobool", bindConv("tobool", table.TypeBool), "toboolean")
	r.fn("todecimal", bindConv("todecimal", table.TypeDecimal))
	r.fn("toguid", bindConv("toguid", table.TypeGUID))
	r.fn("todatetime", withFast(bindConv("todatetime", table.TypeDateTime), fastConv(table.TypeDateTime)))
	r.fn("totimespan", bindConv("totimespan", table.TypeTimeSpan), "totime")
	r.fn("isnull", bindIsNull(false))
	r.fn("isnotnull", bindIsNull(true), "notnull")
	r.fn("isempty", bindIsEmpty(false))
	r.fn("isnotempty", bindIsEmpty(true), "notempty")
	r.fn("iff", bindIff, "iif")
	r.fn("case", bindCase)
	r.fn("coalesce", bindCoalesce)
	r.fn("max_of", bindMaxMinOf(true))
	r.fn("min_of", bindMaxMinOf(false))
	r.fn("not", bindNot)
}
