package fn

import (
	"math"

	"github.com/kqlkernel/kqlkernel/table"
)

// seriesOf reads a dynamic array of numbers as float64s (nulls as NaN).
func seriesOf(x any) ([]float64, bool) {
	arr, ok := asArray(x)
	if !ok {
		return nil, false
	}
	out := make([]float64, len(arr))
	for i, e := range arr {
		f, ok := numReal(normDyn(e))
		if !ok {
			f = math.NaN()
		}
		out[i] = f
	}
	return out, true
}

func seriesToDyn(s []float64) []any {
	out := make([]any, len(s))
	for i, f := range s {
		if math.IsNaN(f) {
			out[i] = nil
			continue
		}
		out[i] = f
	}
	return out
}

func registerSeries(r *registry) {
	bin := func(name string, f func(a, b float64) float64) {
		r.fn(name, fixed(name, 2, 2, table.TypeDynamic, func(a []any) any {
			x, ok1 := seriesOf(a[0])
			y, ok2 := seriesOf(a[1])
			if !ok1 && !ok2 {
				return nil
			}
			// A scalar operand broadcasts.
			if !ok1 {
				v, _ := numReal(normDyn(a[0]))
				x = make([]float64, len(y))
				for i := range x {
					x[i] = v
				}
			}
			if !ok2 {
				v, _ := numReal(normDyn(a[1]))
				y = make([]float64, len(x))
				for i := range y {
					y[i] = v
				}
			}
			n := min(len(x), len(y))
			out := make([]float64, n)
			for i := range out {
				out[i] = f(x[i], y[i])
			}
			return seriesToDyn(out)
		}))
	}
	bin("series_add", func(a, b float64) float64 { return a + b })
	bin("series_subtract", func(a, b float64) float64 { return a - b })
	bin("series_multiply", func(a, b float64) float64 { return a * b })
	bin("series_divide", func(a, b float64) float64 { return a / b })
	bin("series_pow", math.Pow)
	cmpS := func(name string, f func(a, b float64) bool) {
		r.fn(name, fixed(name, 2, 2, table.TypeDynamic, func(a []any) any {
			x, ok1 := seriesOf(a[0])
			y, ok2 := seriesOf(a[1])
			if !ok1 {
				return nil
			}
			if !ok2 {
				v, _ := numReal(normDyn(a[1]))
				y = make([]float64, len(x))
				for i := range y {
					y[i] = v
				}
			}
			out := make([]any, min(len(x), len(y)))
			for i := range out {
				if math.IsNaN(x[i]) || math.IsNaN(y[i]) {
					continue
				}
				out[i] = f(x[i], y[i])
			}
			return out
		}))
	}
	cmpS("series_greater", func(a, b float64) bool { return a > b })
	cmpS("series_greater_equals", func(a, b float64) bool { return a >= b })
	cmpS("series_less", func(a, b float64) bool { return a < b })
	cmpS("series_less_equals", func(a, b float64) bool { return a <= b })
	cmpS("series_equals", func(a, b float64) bool { return a == b })
	cmpS("series_not_equals", func(a, b float64) bool { return a != b })
	un := func(name string, f func(float64) float64) {
		r.fn(name, fixed(name, 1, 1, table.TypeDynamic, func(a []any) any {
			x, ok := seriesOf(a[0])
			if !ok {
				return nil
			}
			out := make([]float64, len(x))
			for i, v := range x {
				out[i] = f(v)
			}
			return seriesToDyn(out)
		}))
	}
	un("series_abs", math.Abs)
	un("series_acos", math.Acos)
	un("series_asin", math.Asin)
	un("series_atan", math.Atan)
	un("series_cos", math.Cos)
	un("series_sin", math.Sin)
	un("series_tan", math.Tan)
	un("series_exp", math.Exp)
	un("series_log", math.Log)
	un("series_sign", func(v float64) float64 {
		switch {
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return v
	})
	un("series_floor", math.Floor)
	un("series_ceiling", math.Ceil)
	agg := func(name string, f func([]float64) float64) {
		r.fn(name, fixed(name, 1, 1, table.TypeReal, func(a []any) any {
			x, ok := seriesOf(a[0])
			if !ok {
				return nil
			}
			return f(x)
		}))
	}
	agg("series_sum", func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			if !math.IsNaN(v) {
				s += v
			}
		}
		return s
	})
	agg("series_product", func(x []float64) float64 {
		s := 1.0
		for _, v := range x {
			if !math.IsNaN(v) {
				s *= v
			}
		}
		return s
	})
	agg("series_magnitude", func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			if !math.IsNaN(v) {
				s += v * v
			}
		}
		return math.Sqrt(s)
	})
	r.fn("series_dot_product", fixed("series_dot_product", 2, 2, table.TypeReal, func(a []any) any {
		x, ok1 := seriesOf(a[0])
		y, ok2 := seriesOf(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		s := 0.0
		for i := 0; i < min(len(x), len(y)); i++ {
			if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
				s += x[i] * y[i]
			}
		}
		return s
	}))
	r.fn("series_cosine_similarity", fixed("series_cosine_similarity", 2, 4, table.TypeReal, func(a []any) any {
		x, ok1 := seriesOf(a[0])
		y, ok2 := seriesOf(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		var d, nx, ny float64
		for i := 0; i < min(len(x), len(y)); i++ {
			d += x[i] * y[i]
			nx += x[i] * x[i]
			ny += y[i] * y[i]
		}
		return d / math.Sqrt(nx*ny)
	}))
	r.fn("series_fill_forward", fixed("series_fill_forward", 1, 2, table.TypeDynamic, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		out := make([]any, len(arr))
		var last any
		for i, e := range arr {
			if e == nil {
				out[i] = last
				continue
			}
			last = e
			out[i] = e
		}
		return out
	}))
	r.fn("series_fill_backward", fixed("series_fill_backward", 1, 2, table.TypeDynamic, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		out := make([]any, len(arr))
		var next any
		for i := len(arr) - 1; i >= 0; i-- {
			if arr[i] == nil {
				out[i] = next
				continue
			}
			next = arr[i]
			out[i] = arr[i]
		}
		return out
	}))
	r.fn("series_fill_const", fixed("series_fill_const", 1, 3, table.TypeDynamic, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		var c any = int64(0)
		if len(a) > 1 {
			c = normDyn(a[1])
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			if e == nil {
				out[i] = c
			} else {
				out[i] = e
			}
		}
		return out
	}))
	r.fn("series_fir", fixed("series_fir", 2, 4, table.TypeDynamic, func(a []any) any {
		x, ok1 := seriesOf(a[0])
		flt, ok2 := seriesOf(a[1])
		if !ok1 || !ok2 || len(flt) == 0 {
			return nil
		}
		normalize, center := true, false
		if len(a) > 2 {
			if b, ok := a[2].(bool); ok {
				normalize = b
			}
		}
		if len(a) > 3 {
			if b, ok := a[3].(bool); ok {
				center = b
			}
		}
		if normalize {
			s := 0.0
			for _, v := range flt {
				s += v
			}
			if s != 0 {
				for i := range flt {
					flt[i] /= s
				}
			}
		}
		shift := 0
		if center {
			shift = (len(flt) - 1) / 2
		}
		out := make([]float64, len(x))
		for i := range x {
			s := 0.0
			for j, w := range flt {
				k := i - j + shift
				if k >= 0 && k < len(x) && !math.IsNaN(x[k]) {
					s += w * x[k]
				}
			}
			out[i] = s
		}
		return seriesToDyn(out)
	}))
	r.fn("series_iir", fixed("series_iir", 3, 3, table.TypeDynamic, func(a []any) any {
		x, ok1 := seriesOf(a[0])
		num, ok2 := seriesOf(a[1])
		den, ok3 := seriesOf(a[2])
		if !ok1 || !ok2 || !ok3 || len(den) == 0 || den[0] == 0 {
			return nil
		}
		a0 := den[0]
		y := make([]float64, len(x))
		for i := range x {
			s := 0.0
			for j, b := range num {
				if i-j >= 0 {
					s += b * x[i-j]
				}
			}
			for j := 1; j < len(den); j++ {
				if i-j >= 0 {
					s -= den[j] * y[i-j]
				}
			}
			y[i] = s / a0
		}
		return seriesToDyn(y)
	}))
	r.fn("series_stats_dynamic", fixed("series_stats_dynamic", 1, 2, table.TypeDynamic, func(a []any) any {
		x, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		return seriesStats(x)
	}))
}

func seriesStats(x []float64) map[string]any {
	mn, mx := math.Inf(1), math.Inf(-1)
	var mnI, mxI int64 = -1, -1
	var sum, sq float64
	n := 0
	for i, v := range x {
		if math.IsNaN(v) {
			continue
		}
		n++
		sum += v
		sq += v * v
		if v < mn {
			mn, mnI = v, int64(i)
		}
		if v > mx {
			mx, mxI = v, int64(i)
		}
	}
	avg := sum / float64(n)
	variance := (sq - sum*sum/float64(n)) / float64(n-1)
	return map[string]any{"min": mn, "min_idx": mnI, "max": mx, "max_idx": mxI, "avg": avg, "stdev": math.Sqrt(variance), "variance": variance}
}
