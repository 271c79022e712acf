package fn

import (
	"fmt"
	"math"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

// numRank orders the numeric types for promotion: int < long < real < decimal.
func numRank(t table.Type) int {
	switch t {
	case table.TypeInt:
		return 1
	case table.TypeLong:
		return 2
	case table.TypeReal:
		return 3
	case table.TypeDecimal:
		return 4
	}
	return 0
}

func promote(a, b table.Type) table.Type {
	if numRank(a) >= numRank(b) {
		if a == table.TypeInt {
			return table.TypeLong
		}
		return a
	}
	return promote(b, a)
}

// arithType is the result type of `l op r` as Kusto.Language types it, or an error.
func arithType(op string, l, r table.Type) (table.Type, error) {
	bad := fmt.Errorf("the operator '%s' is not defined for the operand types %s and %s", op, l, r)
	D, T, Y := table.TypeDateTime, table.TypeTimeSpan, table.TypeDynamic
	if l == Y && r == Y {
		return Y, nil
	}
	if l == Y {
		l = r
		if l == table.TypeInt {
			l = table.TypeLong
		}
	}
	if r == Y {
		r = l
	}
	switch {
	case l.Numeric() && r.Numeric():
		return promote(l, r), nil
	case l == D && r == D:
		if op == "-" {
			return T, nil
		}
	case l == D && r == T:
		if op == "+" || op == "-" {
			return D, nil
		}
	case l == T && r == D:
		if op == "+" {
			return D, nil
		}
	case l == T && r == T:
		switch op {
		case "+", "-", "%":
			return T, nil
		case "/":
			return table.TypeReal, nil
		}
	case l == T && r.Numeric():
		if op == "*" || op == "/" || op == "%" {
			return T, nil
		}
	case l.Numeric() && r == T:
		if op == "*" {
			return T, nil
		}
	}
	return 0, bad
}

func bindArith(op string) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) == 1 && (op == "-" || op == "+") {
			return bindUnary(op, args[0])
		}
		if len(args) != 2 {
			return 0, nil, fmt.Errorf("operator %s expects 2 operands", op)
		}
		lt, rt := args[0].Type, args[1].Type
		res, err := arithType(op, lt, rt)
		if err != nil {
			return 0, nil, err
		}
		o := op[0]
		if lt == table.TypeDynamic || rt == table.TypeDynamic {
			return res, rows(res, func(v []any) any { return convertTo(res, dynArith(o, v[0], v[1])) }), nil
		}
		switch {
		case res == table.TypeDecimal:
			return res, decArith(o), nil
		case res == table.TypeReal && (lt == table.TypeTimeSpan || lt == table.TypeReal || rt == table.TypeReal || lt == table.TypeDecimal || rt == table.TypeDecimal):
			return res, realArith(o, res), nil
		case res == table.TypeTimeSpan && (lt == table.TypeReal || rt == table.TypeReal || lt == table.TypeDecimal || rt == table.TypeDecimal):
			return res, realArith(o, res), nil
		default:
			return res, intArith(o, res), nil
		}
	}
}

func bindUnary(op string, a Arg) (table.Type, Impl, error) {
	t := a.Type
	if !t.Numeric() && t != table.TypeTimeSpan && t != table.TypeDynamic && t != table.TypeDateTime {
		return 0, nil, fmt.Errorf("the unary operator '%s' is not defined for type %s", op, t)
	}
	if op == "+" {
		return t, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) { return args[0], nil }, nil
	}
	return t, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a := args[0]
		out := newOut(t, n)
		switch t {
		case table.TypeInt, table.TypeLong, table.TypeTimeSpan, table.TypeDateTime:
			for i := 0; i < n; i++ {
				out.Ints[i] = -a.Ints[ix(a, i)]
			}
		case table.TypeReal:
			for i := 0; i < n; i++ {
				out.Reals[i] = -a.Reals[ix(a, i)]
			}
		case table.TypeDecimal:
			for i := 0; i < n; i++ {
				out.Decs[i] = a.Decs[ix(a, i)].Neg()
			}
		case table.TypeDynamic:
			for i := 0; i < n; i++ {
				out.Dyns[i] = dynArith('-', int64(0), a.Dyns[ix(a, i)])
			}
			return out, nil
		}
		copyNulls(out, n, a)
		return out, nil
	}, nil
}

// copyNulls marks out's row null wherever any of the inputs is null.
func copyNulls(out *table.Vector, n int, ins ...*table.Vector) {
	for _, in := range ins {
		if in.Type == table.TypeDynamic {
			for i := 0; i < n; i++ {
				if in.Dyns[ix(in, i)] == nil {
					out.SetNull(i)
				}
			}
			continue
		}
		if in.Nulls == nil || in.Nulls.Count() == 0 {
			continue
		}
		if in.Const {
			for i := 0; i < n; i++ {
				out.SetNull(i)
			}
			continue
		}
		for i := 0; i < n; i++ {
			if in.Nulls.Get(i) {
				out.SetNull(i)
			}
		}
	}
}

func stride(v *table.Vector) int {
	if v.Const {
		return 0
	}
	return 1
}

func intArith(op byte, res table.Type) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a, b := args[0], args[1]
		sa, sb := stride(a), stride(b)
		x, y := a.Ints, b.Ints
		out := newOut(res, n)
		o := out.Ints
		switch op {
		case '+':
			for i := 0; i < n; i++ {
				o[i] = x[i*sa] + y[i*sb]
			}
		case '-':
			for i := 0; i < n; i++ {
				o[i] = x[i*sa] - y[i*sb]
			}
		case '*':
			for i := 0; i < n; i++ {
				o[i] = x[i*sa] * y[i*sb]
			}
		case '/', '%':
			for i := 0; i < n; i++ {
				d := y[i*sb]
				if d == 0 {
					out.SetNull(i)
					continue
				}
				if op == '/' {
					if d == -1 {
						o[i] = -x[i*sa]
					} else {
						o[i] = x[i*sa] / d
					}
				} else if d == -1 {
					o[i] = 0
				} else {
					o[i] = x[i*sa] % d
				}
			}
		}
		copyNulls(out, n, a, b)
		return out, nil
	}
}

// realsOf returns the vector's values as float64s (a new slice unless it is real).
func realsOf(v *table.Vector, n int) []float64 {
	if v.Type == table.TypeReal {
		return v.Reals
	}
	m := v.Len()
	out := make([]float64, m)
	switch v.Type {
	case table.TypeInt, table.TypeLong, table.TypeDateTime, table.TypeTimeSpan:
		for i, x := range v.Ints {
			out[i] = float64(x)
		}
	case table.TypeDecimal:
		for i, x := range v.Decs {
			out[i], _ = x.Float64()
		}
	case table.TypeBool:
		for i, x := range v.Bools {
			if x {
				out[i] = 1
			}
		}
	}
	return out
}

func realArith(op byte, res table.Type) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a, b := args[0], args[1]
		sa, sb := stride(a), stride(b)
		x, y := realsOf(a, n), realsOf(b, n)
		o := make([]float64, n)
		switch op {
		case '+':
			for i := 0; i < n; i++ {
				o[i] = x[i*sa] + y[i*sb]
			}
		case '-':
			for i := 0; i < n; i++ {
				o[i] = x[i*sa] - y[i*sb]
			}
		case '*':
			for i := 0; i < n; i++ {
				o[i] = x[i*sa] * y[i*sb]
			}
		case '/':
			for i := 0; i < n; i++ {
				o[i] = x[i*sa] / y[i*sb]
			}
		case '%':
			for i := 0; i < n; i++ {
				o[i] = math.Mod(x[i*sa], y[i*sb])
			}
		}
		var out *table.Vector
		if res == table.TypeReal {
			out = &table.Vector{Type: res, Reals: o}
		} else {
			out = newOut(res, n)
			for i, f := range o {
				if math.IsNaN(f) || math.IsInf(f, 0) {
					out.SetNull(i)
					continue
				}
				out.Ints[i] = int64(math.Round(f))
			}
		}
		copyNulls(out, n, a, b)
		return out, nil
	}
}

func decArith(op byte) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		a, b := args[0], args[1]
		out := newOut(table.TypeDecimal, n)
		for i := 0; i < n; i++ {
			if nullAt(a, i) || nullAt(b, i) {
				out.SetNull(i)
				continue
			}
			x, ok1 := toDecV(a.At(i))
			y, ok2 := toDecV(b.At(i))
			if !ok1 || !ok2 {
				out.SetNull(i)
				continue
			}
			switch op {
			case '+':
				out.Decs[i] = x.Add(y)
			case '-':
				out.Decs[i] = x.Sub(y)
			case '*':
				out.Decs[i] = x.Mul(y)
			case '/':
				if y.IsZero() {
					out.SetNull(i)
					continue
				}
				out.Decs[i] = x.DivRound(y, 28)
			case '%':
				if y.IsZero() {
					out.SetNull(i)
					continue
				}
				out.Decs[i] = x.Mod(y)
			}
		}
		return out, nil
	}
}

// dynArith applies op to two values of any kind (the dynamic path): integers stay
// integers, datetime/timespan follow their rules, anything else goes through real.
func dynArith(op byte, x, y any) any {
	if x == nil || y == nil {
		return nil
	}
	x, y = unwrapDyn(x), unwrapDyn(y)
	switch xv := x.(type) {
	case table.DateTime:
		switch yv := y.(type) {
		case table.DateTime:
			if op == '-' {
				return table.TimeSpan(xv - yv)
			}
		case table.TimeSpan:
			if op == '+' {
				return xv + table.DateTime(yv)
			}
			if op == '-' {
				return xv - table.DateTime(yv)
			}
		}
		return nil
	case table.TimeSpan:
		switch yv := y.(type) {
		case table.TimeSpan:
			switch op {
			case '+':
				return xv + yv
			case '-':
				return xv - yv
			case '/':
				if yv == 0 {
					return nil
				}
				return float64(xv) / float64(yv)
			case '%':
				if yv == 0 {
					return nil
				}
				return xv % yv
			}
			return nil
		case table.DateTime:
			if op == '+' {
				return yv + table.DateTime(xv)
			}
			return nil
		}
		f, ok := toRealV(y)
		if !ok {
			return nil
		}
		switch op {
		case '*':
			return table.TimeSpan(math.Round(float64(xv) * f))
		case '/':
			if f == 0 {
				return nil
			}
			return table.TimeSpan(math.Round(float64(xv) / f))
		}
		return nil
	}
	if ts, ok := y.(table.TimeSpan); ok && op == '*' {
		f, ok := toRealV(x)
		if !ok {
			return nil
		}
		return table.TimeSpan(math.Round(float64(ts) * f))
	}
	xd, xIsDec := x.(decimalT)
	yd, yIsDec := y.(decimalT)
	if xIsDec || yIsDec {
		if !xIsDec {
			var ok bool
			if xd, ok = toDecV(x); !ok {
				return nil
			}
		}
		if !yIsDec {
			var ok bool
			if yd, ok = toDecV(y); !ok {
				return nil
			}
		}
		switch op {
		case '+':
			return xd.Add(yd)
		case '-':
			return xd.Sub(yd)
		case '*':
			return xd.Mul(yd)
		case '/':
			if yd.IsZero() {
				return nil
			}
			return xd.DivRound(yd, 28)
		case '%':
			if yd.IsZero() {
				return nil
			}
			return xd.Mod(yd)
		}
	}
	xi, xInt := asInt(x)
	yi, yInt := asInt(y)
	if xInt && yInt {
		switch op {
		case '+':
			return xi + yi
		case '-':
			return xi - yi
		case '*':
			return xi * yi
		case '/':
			if yi == 0 {
				return nil
			}
			if yi == -1 {
				return -xi
			}
			return xi / yi
		case '%':
			if yi == 0 {
				return nil
			}
			if yi == -1 {
				return int64(0)
			}
			return xi % yi
		}
	}
	xf, ok1 := numReal(x)
	yf, ok2 := numReal(y)
	if !ok1 || !ok2 {
		return nil
	}
	switch op {
	case '+':
		return xf + yf
	case '-':
		return xf - yf
	case '*':
		return xf * yf
	case '/':
		return xf / yf
	case '%':
		return math.Mod(xf, yf)
	}
	return nil
}

// unwrapDyn turns dynamic strings that hold nothing else into themselves; numbers stay.
func unwrapDyn(x any) any { return normDyn(x) }

func asInt(x any) (int64, bool) {
	switch v := x.(type) {
	case int64:
		return v, true
	case int32:
		return int64(v), true
	case int:
		return int64(v), true
	}
	return 0, false
}

// numReal converts numbers (not strings) to float64.
func numReal(x any) (float64, bool) {
	switch v := x.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case int32:
		return float64(v), true
	case int:
		return float64(v), true
	case decimalT:
		f, _ := v.Float64()
		return f, true
	}
	return 0, false
}

// convertTo converts a value to the Go form of type t (nil when it does not convert),
// the implicit conversion Kusto applies when a dynamic meets a typed operand.
func convertTo(t table.Type, x any) any {
	if x == nil {
		return nil
	}
	switch t {
	case table.TypeDynamic:
		return normDyn(x)
	case table.TypeBool:
		if b, ok := toBoolV(x); ok {
			return b
		}
	case table.TypeInt:
		if i, ok := toLongV(x); ok {
			return int64(int32(i))
		}
	case table.TypeLong:
		if i, ok := toLongV(x); ok {
			return i
		}
	case table.TypeReal:
		if f, ok := toRealV(x); ok {
			return f
		}
	case table.TypeDecimal:
		if d, ok := toDecV(x); ok {
			return d
		}
	case table.TypeString:
		return ToStringValue(x)
	case table.TypeDateTime:
		if d, ok := toDateTimeV(x); ok {
			return d
		}
	case table.TypeTimeSpan:
		if d, ok := toTimeSpanV(x); ok {
			return d
		}
	case table.TypeGUID:
		if g, ok := toGUIDV(x); ok {
			return g
		}
	}
	return nil
}

var _ = decimal.Zero
