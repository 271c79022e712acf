package fn

import (
	"math"
	"math/bits"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

// bindMath1 binds a real -> real function (ints and decimals convert).
func bindMath1(name string, f func(float64) float64) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 1, 1); err != nil {
			return 0, nil, err
		}
		if !isNumish(args[0].Type) {
			return 0, nil, typeErr(name, 0, "a number", args[0].Type)
		}
		return table.TypeReal, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := convertVec(args[0], table.TypeReal)
			out := newOut(table.TypeReal, n)
			s := stride(a)
			for i := 0; i < n; i++ {
				out.Reals[i] = f(a.Reals[i*s])
			}
			copyNulls(out, n, a)
			return out, nil
		}, nil
	}
}

func bindMath2(name string, f func(a, b float64) float64) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 2, 2); err != nil {
			return 0, nil, err
		}
		return table.TypeReal, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := convertVec(args[0], table.TypeReal)
			b := convertVec(args[1], table.TypeReal)
			out := newOut(table.TypeReal, n)
			sa, sb := stride(a), stride(b)
			for i := 0; i < n; i++ {
				out.Reals[i] = f(a.Reals[i*sa], b.Reals[i*sb])
			}
			copyNulls(out, n, a, b)
			return out, nil
		}, nil
	}
}

func roundHalfAway(x float64, digits int64) float64 {
	if digits == 0 {
		return math.Round(x)
	}
	p := math.Pow(10, float64(digits))
	r := math.Round(x*p) / p
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return x
	}
	return r
}

func bindRound(args []Arg) (table.Type, Impl, error) {
	if err := argc("round", args, 1, 2); err != nil {
		return 0, nil, err
	}
	t := args[0].Type
	if t == table.TypeDynamic {
		t = table.TypeReal
	}
	if !t.Numeric() {
		return 0, nil, typeErr("round", 0, "a number", t)
	}
	return t, rowsNull(t, func(a []any) any {
		var digits int64
		if len(a) > 1 {
			d, ok := toLongV(normDyn(a[1]))
			if !ok {
				return nil
			}
			digits = d
		}
		switch v := normDyn(a[0]).(type) {
		case int64:
			if digits >= 0 {
				return v
			}
			p := int64(math.Pow(10, float64(-digits)))
			return int64(roundHalfAway(float64(v)/float64(p), 0)) * p
		case decimalT:
			return v.Round(int32(digits))
		}
		f, ok := toRealV(normDyn(a[0]))
		if !ok {
			return nil
		}
		return roundHalfAway(f, digits)
	}), nil
}

// bindKeepType binds abs/ceiling/floor-like functions that keep integer and decimal
// types (abs of int widens to long, as Kusto.Language types it).
func bindKeepType(name string, fi func(int64) int64, fr func(float64) float64, fd func(decimalT) decimalT, widenInt bool) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 1, 1); err != nil {
			return 0, nil, err
		}
		t := args[0].Type
		switch {
		case t == table.TypeDynamic:
			t = table.TypeReal
		case t == table.TypeInt && widenInt:
			t = table.TypeLong
		case t == table.TypeTimeSpan && name == "abs":
		case !t.Numeric():
			return 0, nil, typeErr(name, 0, "a number", t)
		}
		return t, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := convertVec(args[0], t)
			out := newOut(t, n)
			s := stride(a)
			switch t {
			case table.TypeInt, table.TypeLong, table.TypeTimeSpan:
				for i := 0; i < n; i++ {
					out.Ints[i] = fi(a.Ints[i*s])
				}
			case table.TypeReal:
				for i := 0; i < n; i++ {
					out.Reals[i] = fr(a.Reals[i*s])
				}
			case table.TypeDecimal:
				for i := 0; i < n; i++ {
					out.Decs[i] = fd(a.Decs[i*s])
				}
			}
			copyNulls(out, n, a)
			return out, nil
		}, nil
	}
}

func bindBinary(name string, f func(a, b int64) int64, unary bool) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if unary {
			if err := argc(name, args, 1, 1); err != nil {
				return 0, nil, err
			}
		} else if err := argc(name, args, 2, 2); err != nil {
			return 0, nil, err
		}
		return table.TypeLong, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := convertVec(args[0], table.TypeLong)
			b := a
			if !unary {
				b = convertVec(args[1], table.TypeLong)
			}
			out := newOut(table.TypeLong, n)
			sa, sb := stride(a), stride(b)
			for i := 0; i < n; i++ {
				out.Ints[i] = f(a.Ints[i*sa], b.Ints[i*sb])
			}
			copyNulls(out, n, a, b)
			return out, nil
		}, nil
	}
}

func bindRealPred(name string, f func(float64) bool) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 1, 1); err != nil {
			return 0, nil, err
		}
		return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := convertVec(args[0], table.TypeReal)
			out := newOut(table.TypeBool, n)
			s := stride(a)
			for i := 0; i < n; i++ {
				out.Bools[i] = f(a.Reals[i*s])
			}
			copyNulls(out, n, a)
			return out, nil
		}, nil
	}
}

func absInt(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func registerMath(r *registry) {
	r.fn("round", bindRound)
	r.fn("abs", bindKeepType("abs", absInt, math.Abs, decimal.Decimal.Abs, true))
	r.fn("ceiling", func(args []Arg) (table.Type, Impl, error) {
		// The engine returns real for ceiling() of integers (ceiling(0) is 0.0).
		if len(args) == 1 && args[0].Type == table.TypeDecimal {
			return bindKeepType("ceiling", func(x int64) int64 { return x }, math.Ceil, decimal.Decimal.Ceil, false)(args)
		}
		return bindMath1("ceiling", math.Ceil)(args)
	})
	r.fn("sign", bindMath1("sign", func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return x
	}))
	for name, f := range map[string]func(float64) float64{
		"sqrt": math.Sqrt, "exp": math.Exp, "exp2": math.Exp2, "exp10": func(x float64) float64 { return math.Pow(10, x) },
		"log": math.Log, "log2": math.Log2, "log10": math.Log10, "cos": math.Cos, "sin": math.Sin, "tan": math.Tan,
		"acos": math.Acos, "asin": math.Asin, "atan": math.Atan, "cot": func(x float64) float64 { return 1 / math.Tan(x) },
		"degrees": func(x float64) float64 { return x * 180 / math.Pi }, "radians": func(x float64) float64 { return x * math.Pi / 180 },
		"gamma": math.Gamma, "loggamma": func(x float64) float64 { v, _ := math.Lgamma(x); return v },
		"erf": math.Erf, "erfc": math.Erfc,
	} {
		r.fn(name, bindMath1(name, f))
	}
	r.fn("pow", bindMath2("pow", math.Pow))
	r.fn("atan2", bindMath2("atan2", math.Atan2))
	r.fn("pi", fixed("pi", 0, 0, table.TypeReal, func([]any) any { return math.Pi }))
	r.fn("isnan", bindRealPred("isnan", math.IsNaN))
	r.fn("isinf", bindRealPred("isinf", func(x float64) bool { return math.IsInf(x, 0) }))
	r.fn("isfinite", bindRealPred("isfinite", func(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }))
	r.fn("binary_and", bindBinary("binary_and", func(a, b int64) int64 { return a & b }, false))
	r.fn("binary_or", bindBinary("binary_or", func(a, b int64) int64 { return a | b }, false))
	r.fn("binary_xor", bindBinary("binary_xor", func(a, b int64) int64 { return a ^ b }, false))
	r.fn("binary_not", bindBinary("binary_not", func(a, _ int64) int64 { return ^a }, true))
	r.fn("binary_shift_left", bindBinary("binary_shift_left", func(a, b int64) int64 {
		if b < 0 || b > 63 {
			return 0
		}
		return a << uint(b)
	}, false))
	r.fn("binary_shift_right", bindBinary("binary_shift_right", func(a, b int64) int64 {
		if b < 0 || b > 63 {
			return 0
		}
		return a >> uint(b)
	}, false))
	r.fn("bitset_count_ones", bindBinary("bitset_count_ones", func(a, _ int64) int64 { return int64(bits.OnesCount64(uint64(a))) }, true))
	r.volatile("rand", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("rand", args, 0, 1); err != nil {
			return 0, nil, err
		}
		return table.TypeReal, randImpl, nil
	})
}
