package fn

import (
	"fmt"
	"math"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
)

func intClass(t table.Type) bool {
	return t == table.TypeInt || t == table.TypeLong
}

// comparable reports whether Kusto allows comparing l and r.
func comparableTypes(l, r table.Type) bool {
	if l == table.TypeDynamic || r == table.TypeDynamic {
		return true
	}
	switch {
	case l.Numeric() && r.Numeric():
		return true
	case l == r:
		return true
	case l == table.TypeString || r == table.TypeString:
		// datetime == "2020", guid == "..." are accepted and convert the string.
		return true
	case l == table.TypeBool && r.Numeric(), r == table.TypeBool && l.Numeric():
		return true
	}
	return false
}

func bindCompare(op string) binder {
	if op == "<>" {
		op = "!="
	}
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) != 2 {
			return 0, nil, fmt.Errorf("operator %s expects 2 operands", op)
		}
		l, r := args[0].Type, args[1].Type
		if !comparableTypes(l, r) {
			return 0, nil, fmt.Errorf("the operator '%s' is not defined for the operand types %s and %s", op, l, r)
		}
		ord := opOrder(op)
		switch {
		case intClass(l) && intClass(r), l == r && (l == table.TypeDateTime || l == table.TypeTimeSpan):
			return table.TypeBool, cmpInts(op, ord), nil
		case (l == table.TypeReal || intClass(l)) && (r == table.TypeReal || intClass(r)):
			return table.TypeBool, cmpReals(op, ord), nil
		case l == table.TypeString && r == table.TypeString:
			return table.TypeBool, cmpStrings(op, ord), nil
		case l == table.TypeGUID && r == table.TypeGUID:
			return table.TypeBool, cmpStrings(op, ord), nil
		}
		return table.TypeBool, cmpGeneric(op, ord, l, r), nil
	}
}

// opOrder maps an ordering operator to the set of compare results that make it true:
// bit 0 for less, bit 1 equal, bit 2 greater.
func opOrder(op string) uint8 {
	switch op {
	case "==":
		return 2
	case "!=":
		return 5
	case "<":
		return 1
	case "<=":
		return 3
	case ">":
		return 4
	case ">=":
		return 6
	}
	return 0
}

func cmpBit(c int) uint8 {
	switch {
	case c < 0:
		return 1
	case c == 0:
		return 2
	}
	return 4
}

// applyNulls sets Kusto's null results: ==/!= with one null give false/true, both null
// give null; ordering with any null gives null.
func applyNulls(op string, out *table.Vector, a, b *table.Vector, n int) {
	an := a.Type == table.TypeDynamic || (a.Nulls != nil && a.Nulls.Count() > 0)
	bn := b.Type == table.TypeDynamic || (b.Nulls != nil && b.Nulls.Count() > 0)
	if !an && !bn {
		return
	}
	for i := 0; i < n; i++ {
		x, y := nullAt(a, i), nullAt(b, i)
		if !x && !y {
			continue
		}
		switch {
		case x && y:
			out.Bools[i] = false
			out.SetNull(i)
		case op == "==":
			out.Bools[i] = false
		case op == "!=":
			out.Bools[i] = true
		default:
			out.Bools[i] = false
			out.SetNull(i)
		}
	}
}

func cmpInts(op string, ord uint8) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a, b := args[0], args[1]
		sa, sb := stride(a), stride(b)
		x, y := a.Ints, b.Ints
		o := make([]bool, n)
		compareInto(op, o, x, y, sa, sb)
		out := &table.Vector{Type: table.TypeBool, Bools: o}
		applyNulls(op, out, a, b, n)
		return out, nil
	}
}

// compareInto sets o[i] to x[i] op y[i]; a stride of 0 repeats a constant's one value.
// Generic so ints and reals share one loop per operator (each is compiled for its type).
func compareInto[T int64 | float64](op string, o []bool, x, y []T, sa, sb int) {
	switch op {
	case "==":
		for i := range o {
			o[i] = x[i*sa] == y[i*sb]
		}
	case "!=":
		for i := range o {
			o[i] = x[i*sa] != y[i*sb]
		}
	case "<":
		for i := range o {
			o[i] = x[i*sa] < y[i*sb]
		}
	case "<=":
		for i := range o {
			o[i] = x[i*sa] <= y[i*sb]
		}
	case ">":
		for i := range o {
			o[i] = x[i*sa] > y[i*sb]
		}
	case ">=":
		for i := range o {
			o[i] = x[i*sa] >= y[i*sb]
		}
	}
}

func cmpReals(op string, ord uint8) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a, b := args[0], args[1]
		sa, sb := stride(a), stride(b)
		x, y := realsOf(a, n), realsOf(b, n)
		o := make([]bool, n)
		compareInto(op, o, x, y, sa, sb)
		out := &table.Vector{Type: table.TypeBool, Bools: o}
		applyNulls(op, out, a, b, n)
		return out, nil
	}
}

func cmpStrings(op string, ord uint8) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a, b := args[0], args[1]
		o := make([]bool, n)
		switch {
		case op == "==" && b.Const:
			c := b.Strs[0]
			for i, s := range a.Strs[:min(n, len(a.Strs))] {
				o[i] = s == c
			}
			if a.Const {
				o[0] = a.Strs[0] == c
			}
		case op == "!=" && b.Const:
			c := b.Strs[0]
			for i, s := range a.Strs[:min(n, len(a.Strs))] {
				o[i] = s != c
			}
			if a.Const {
				o[0] = a.Strs[0] != c
			}
		default:
			sa, sb := stride(a), stride(b)
			for i := range o {
				o[i] = ord&cmpBit(strings.Compare(a.Strs[i*sa], b.Strs[i*sb])) != 0
			}
		}
		out := &table.Vector{Type: table.TypeBool, Bools: o}
		applyNulls(op, out, a, b, n)
		return out, nil
	}
}

func cmpGeneric(op string, ord uint8, l, r table.Type) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a, b := args[0], args[1]
		out := newOut(table.TypeBool, n)
		for i := 0; i < n; i++ {
			x, y := a.At(i), b.At(i)
			if x == nil || y == nil {
				continue // applyNulls below
			}
			c, ok := compareValues(x, y)
			if !ok {
				// Incomparable values are unequal; ordering is null.
				switch op {
				case "==":
				case "!=":
					out.Bools[i] = true
				default:
					out.SetNull(i)
				}
				continue
			}
			out.Bools[i] = ord&cmpBit(c) != 0
		}
		applyNulls(op, out, a, b, n)
		return out, nil
	}
}

// compareValues orders two non-null values as Kusto does across types: numbers by value,
// strings ordinally, datetime/timespan by ticks (strings convert), guids as text, dynamic
// arrays and bags by their JSON text.
func compareValues(x, y any) (int, bool) {
	x, y = normDyn(x), normDyn(y)
	switch xv := x.(type) {
	case int64:
		switch yv := y.(type) {
		case int64:
			return cmp3(xv, yv), true
		case float64:
			return cmpF(float64(xv), yv), true
		case decimalT:
			return decFromInt(xv).Cmp(yv), true
		case bool:
			return cmp3(xv, b2i(yv)), true
		case string:
			if f, ok := parseReal(yv); ok {
				return cmpF(float64(xv), f), true
			}
		}
	case float64:
		switch yv := y.(type) {
		case int64:
			return cmpF(xv, float64(yv)), true
		case float64:
			return cmpF(xv, yv), true
		case decimalT:
			f, _ := yv.Float64()
			return cmpF(xv, f), true
		case string:
			if f, ok := parseReal(yv); ok {
				return cmpF(xv, f), true
			}
		}
	case decimalT:
		if yd, ok := toDecV(y); ok {
			if _, isStr := y.(string); !isStr || true {
				return xv.Cmp(yd), true
			}
		}
	case bool:
		switch yv := y.(type) {
		case bool:
			return cmp3(b2i(xv), b2i(yv)), true
		case int64:
			return cmp3(b2i(xv), yv), true
		case string:
			if b, ok := toBoolV(yv); ok {
				return cmp3(b2i(xv), b2i(b)), true
			}
		}
	case string:
		switch yv := y.(type) {
		case string:
			return strings.Compare(xv, yv), true
		case table.GUID:
			return strings.Compare(strings.ToLower(xv), string(yv)), true
		case []any, map[string]any:
			return strings.Compare(xv, DynamicJSON(yv)), true
		}
		if c, ok := compareValues(y, x); ok {
			return -c, true
		}
	case table.DateTime:
		switch yv := y.(type) {
		case table.DateTime:
			return cmp3(xv, yv), true
		case string:
			if d, ok := ParseDateTime(yv); ok {
				return cmp3(xv, d), true
			}
		}
	case table.TimeSpan:
		switch yv := y.(type) {
		case table.TimeSpan:
			return cmp3(xv, yv), true
		case string:
			if d, ok := ParseTimeSpan(yv); ok {
				return cmp3(xv, d), true
			}
		}
	case table.GUID:
		switch yv := y.(type) {
		case table.GUID:
			return strings.Compare(string(xv), string(yv)), true
		case string:
			return strings.Compare(string(xv), strings.ToLower(yv)), true
		}
	case []any, map[string]any:
		switch yv := y.(type) {
		case []any, map[string]any:
			return strings.Compare(DynamicJSON(xv), DynamicJSON(yv)), true
		case string:
			return strings.Compare(DynamicJSON(xv), yv), true
		}
	}
	return 0, false
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func cmp3[T int64 | table.DateTime | table.TimeSpan](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	// NaN: order it first, as .NET does.
	if math.IsNaN(a) && math.IsNaN(b) {
		return 0
	}
	if math.IsNaN(a) {
		return -1
	}
	return 1
}

// ---- logical ----

func bindLogic(op string) binder {
	and := op == "and"
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) != 2 {
			return 0, nil, fmt.Errorf("operator %s expects 2 operands", op)
		}
		for i, a := range args {
			if a.Type != table.TypeBool && a.Type != table.TypeDynamic {
				return 0, nil, fmt.Errorf("operator %s: operand %d must be bool, got %s", op, i+1, a.Type)
			}
		}
		return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a, b := asBools(args[0]), asBools(args[1])
			sa, sb := stride(a), stride(b)
			o := make([]bool, n)
			x, y := a.Bools, b.Bools
			if and {
				for i := range o {
					o[i] = x[i*sa] && y[i*sb]
				}
			} else {
				for i := range o {
					o[i] = x[i*sa] || y[i*sb]
				}
			}
			out := &table.Vector{Type: table.TypeBool, Bools: o}
			an := a.Nulls != nil && a.Nulls.Count() > 0
			bn := b.Nulls != nil && b.Nulls.Count() > 0
			if an || bn {
				for i := 0; i < n; i++ {
					xn, yn := nullAt(a, i), nullAt(b, i)
					if !xn && !yn {
						continue
					}
					xv, yv := x[i*sa] && !xn, y[i*sb] && !yn
					// Three-valued logic: false and null = false; true or null = true.
					if and {
						if (!xn && !xv) || (!yn && !yv) {
							o[i] = false
							continue
						}
					} else if (!xn && xv) || (!yn && yv) {
						o[i] = true
						continue
					}
					o[i] = false
					out.SetNull(i)
				}
			}
			return out, nil
		}, nil
	}
}

// asBools returns v as a bool vector (converting dynamic values; others pass through).
func asBools(v *table.Vector) *table.Vector {
	if v.Type == table.TypeBool {
		return v
	}
	out := newOut(table.TypeBool, v.Len())
	for i := range out.Bools {
		b, ok := toBoolV(v.At(i))
		if !ok {
			out.SetNull(i)
			continue
		}
		out.Bools[i] = b
	}
	out.Const = v.Const
	return out
}
