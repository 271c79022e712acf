package fn

import (
	"math"
	"sort"

	"github.com/kqlkernel/kqlkernel/table"
)

func fixedCols(names []string, types []table.Type) func([]Arg) ([]string, []table.Type) {
	return func([]Arg) ([]string, []table.Type) { return names, types }
}

func dynTypes(n int) []table.Type {
	t := make([]table.Type, n)
	for i := range t {
		t[i] = table.TypeDynamic
	}
	return t
}

// lineFit is least squares of y over x = 1..n.
func lineFit(y []float64) (slope, icept, rsq, variance, rvariance float64, fit []float64) {
	n := float64(len(y))
	var sx, sy, sxx, sxy float64
	for i, v := range y {
		x := float64(i + 1)
		sx += x
		sy += v
		sxx += x * x
		sxy += x * v
	}
	slope = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	icept = (sy - slope*sx) / n
	fit = make([]float64, len(y))
	mean := sy / n
	var ssTot, ssRes float64
	for i, v := range y {
		fit[i] = slope*float64(i+1) + icept
		ssTot += (v - mean) * (v - mean)
		ssRes += (v - fit[i]) * (v - fit[i])
	}
	if ssTot == 0 {
		rsq = 1
	} else {
		rsq = 1 - ssRes/ssTot
	}
	if n > 1 {
		variance = ssTot / (n - 1)
		rvariance = ssRes / (n - 1)
	}
	return
}

func fillLinear(x []float64, edges bool, hasConst bool, c float64) []any {
	n := len(x)
	out := make([]float64, n)
	copy(out, x)
	first, last := -1, -1
	for i, v := range x {
		if !math.IsNaN(v) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		// Nothing to interpolate from: the constant (0 by default) everywhere.
		res := make([]any, n)
		for i := range res {
			res[i] = c
		}
		return res
	}
	prev := first
	for i := first + 1; i <= last; i++ {
		if math.IsNaN(x[i]) {
			continue
		}
		for k := prev + 1; k < i; k++ {
			out[k] = x[prev] + (x[i]-x[prev])*float64(k-prev)/float64(i-prev)
		}
		prev = i
	}
	for i := 0; i < first; i++ {
		switch {
		case edges:
			out[i] = x[first]
		case hasConst:
			out[i] = c
		}
	}
	for i := last + 1; i < n; i++ {
		switch {
		case edges:
			out[i] = x[last]
		case hasConst:
			out[i] = c
		}
	}
	return seriesToDyn(out)
}

// decompose splits a series into baseline, seasonal, trend and residual with a simple
// seasonal-mean model (period detected from the data, falling back to none).
func decompose(y []float64, period int, linefit bool) (baseline, seasonal, trend, resid []float64) {
	n := len(y)
	trend = make([]float64, n)
	if linefit && n > 1 {
		_, _, _, _, _, trend = lineFit(y)
	} else {
		m := 0.0
		for _, v := range y {
			m += v
		}
		m /= float64(n)
		for i := range trend {
			trend[i] = m
		}
	}
	seasonal = make([]float64, n)
	if period > 1 && period < n {
		sums := make([]float64, period)
		cnt := make([]float64, period)
		for i, v := range y {
			sums[i%period] += v - trend[i]
			cnt[i%period]++
		}
		for i := range seasonal {
			seasonal[i] = sums[i%period] / cnt[i%period]
		}
	}
	baseline = make([]float64, n)
	resid = make([]float64, n)
	for i := range y {
		baseline[i] = trend[i] + seasonal[i]
		resid[i] = y[i] - baseline[i]
	}
	return
}

// outlierScores are Tukey-fence scores of the residuals: 0 inside [Q1, Q3], k beyond.
func outlierScores(x []float64) []float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	q := func(p float64) float64 {
		if len(s) == 0 {
			return 0
		}
		pos := p * float64(len(s)-1)
		lo := int(pos)
		if lo+1 >= len(s) {
			return s[lo]
		}
		return s[lo] + (s[lo+1]-s[lo])*(pos-float64(lo))
	}
	q1, q3 := q(0.1), q(0.9)
	iqr := q3 - q1
	out := make([]float64, len(x))
	for i, v := range x {
		switch {
		case iqr == 0:
		case v > q3:
			out[i] = (v - q3) / iqr
		case v < q1:
			out[i] = (v - q1) / iqr
		}
	}
	return out
}

func registerSeries2(r *registry) {
	r.fn("range", fixedNull("range", 2, 3, table.TypeDynamic, func(a []any) any {
		const maxLen = 1 << 20
		switch start := normDyn(a[0]).(type) {
		case table.DateTime:
			stop, ok := toDateTimeV(normDyn(a[1]))
			step := table.TimeSpan(table.Hour)
			if len(a) > 2 {
				step, ok = toTimeSpanV(normDyn(a[2]))
			}
			if !ok || step == 0 {
				return nil
			}
			out := []any{}
			for d := start; (step > 0 && d <= stop) || (step < 0 && d >= stop); d += table.DateTime(step) {
				out = append(out, d)
				if len(out) > maxLen {
					break
				}
			}
			return out
		case table.TimeSpan:
			stop, ok := toTimeSpanV(normDyn(a[1]))
			step := table.TimeSpan(table.Hour)
			if len(a) > 2 {
				step, ok = toTimeSpanV(normDyn(a[2]))
			}
			if !ok || step == 0 {
				return nil
			}
			out := []any{}
			for d := start; (step > 0 && d <= stop) || (step < 0 && d >= stop); d += step {
				out = append(out, d)
				if len(out) > maxLen {
					break
				}
			}
			return out
		}
		si, sInt := normDyn(a[0]).(int64)
		ei, eInt := normDyn(a[1]).(int64)
		var st any = int64(1)
		if len(a) > 2 {
			st = normDyn(a[2])
		}
		pi, pInt := st.(int64)
		out := []any{}
		if sInt && eInt && pInt {
			if pi == 0 {
				return nil
			}
			for v := si; (pi > 0 && v <= ei) || (pi < 0 && v >= ei); v += pi {
				out = append(out, v)
				if len(out) > maxLen {
					break
				}
			}
			return out
		}
		s, ok1 := numReal(normDyn(a[0]))
		e, ok2 := numReal(normDyn(a[1]))
		p, ok3 := numReal(st)
		if !ok1 || !ok2 || !ok3 || p == 0 {
			return nil
		}
		for i := 0; ; i++ {
			v := s + float64(i)*p
			if (p > 0 && v > e) || (p < 0 && v < e) || len(out) > maxLen {
				break
			}
			out = append(out, v)
		}
		return out
	}))
	r.tuple("series_stats", fixed("series_stats", 1, 2, table.TypeDynamic, func(a []any) any {
		x, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		st := seriesStats(x)
		return []any{st["min"], st["min_idx"], st["max"], st["max_idx"], st["avg"], st["stdev"], st["variance"]}
	}), fixedCols([]string{"min", "min_idx", "max", "max_idx", "avg", "stdev", "variance"},
		[]table.Type{table.TypeReal, table.TypeLong, table.TypeReal, table.TypeLong, table.TypeReal, table.TypeReal, table.TypeReal}))
	r.tuple("series_fit_line", fixed("series_fit_line", 1, 1, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok || len(y) == 0 {
			return nil
		}
		slope, icept, rsq, v, rv, fit := lineFit(y)
		return []any{rsq, slope, v, rv, icept, seriesToDyn(fit)}
	}), fixedCols([]string{"rsquare", "slope", "variance", "rvariance", "interception", "line_fit"},
		[]table.Type{table.TypeReal, table.TypeReal, table.TypeReal, table.TypeReal, table.TypeReal, table.TypeDynamic}))
	r.fn("series_fit_line_dynamic", fixed("series_fit_line_dynamic", 1, 1, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok || len(y) == 0 {
			return nil
		}
		slope, icept, rsq, v, rv, fit := lineFit(y)
		return map[string]any{"rsquare": rsq, "slope": slope, "variance": v, "rvariance": rv, "interception": icept, "line_fit": seriesToDyn(fit)}
	}))
	fit2 := func(y []float64) (rsq float64, split int64, v, rv float64, fit []float64) {
		n := len(y)
		best := math.Inf(1)
		fit = make([]float64, n)
		mean := 0.0
		for _, x := range y {
			mean += x
		}
		mean /= float64(n)
		for k := 2; k <= n-2; k++ {
			_, _, _, _, _, f1 := lineFit(y[:k])
			s2, i2, _, _, _, _ := lineFit(y[k:])
			ss := 0.0
			cand := make([]float64, n)
			for i := 0; i < k; i++ {
				cand[i] = f1[i]
			}
			for i := k; i < n; i++ {
				cand[i] = s2*float64(i-k+1) + i2
			}
			for i := range y {
				ss += (y[i] - cand[i]) * (y[i] - cand[i])
			}
			if ss < best {
				best, split, fit = ss, int64(k-1), cand
			}
		}
		var ssTot float64
		for _, x := range y {
			ssTot += (x - mean) * (x - mean)
		}
		if ssTot > 0 {
			rsq = 1 - best/ssTot
		}
		if n > 1 {
			v, rv = ssTot/float64(n-1), best/float64(n-1)
		}
		return
	}
	r.tuple("series_fit_2lines", fixed("series_fit_2lines", 1, 1, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok || len(y) < 4 {
			return nil
		}
		rsq, split, v, rv, fit := fit2(y)
		return []any{rsq, split, v, rv, seriesToDyn(fit)}
	}), fixedCols([]string{"rsquare", "split_idx", "variance", "rvariance", "line_fit"},
		[]table.Type{table.TypeReal, table.TypeLong, table.TypeReal, table.TypeReal, table.TypeDynamic}))
	r.fn("series_fit_2lines_dynamic", fixed("series_fit_2lines_dynamic", 1, 1, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok || len(y) < 4 {
			return nil
		}
		rsq, split, v, rv, fit := fit2(y)
		return map[string]any{"rsquare": rsq, "split_idx": split, "variance": v, "rvariance": rv, "line_fit": seriesToDyn(fit)}
	}))
	r.fn("series_fill_linear", fixed("series_fill_linear", 1, 4, table.TypeDynamic, func(a []any) any {
		x, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		edges := true
		if len(a) > 2 {
			if b, ok := a[2].(bool); ok {
				edges = b
			}
		}
		var c float64
		hasConst := false
		if len(a) > 3 {
			c, hasConst = numReal(normDyn(a[3]))
		}
		res := fillLinear(x, edges, hasConst, c)
		// An array of integers stays integers (interpolated values truncate).
		if arr, _ := asArray(a[0]); allInts(arr) {
			for i, v := range res {
				if f, ok := v.(float64); ok {
					res[i] = int64(f)
				}
			}
		}
		return res
	}))
	periodArg := func(a []any, i int) int {
		if len(a) > i {
			if p, ok := toLongV(normDyn(a[i])); ok && p > 0 {
				return int(p)
			}
		}
		return 0
	}
	isLinefit := func(a []any, i int) bool {
		return len(a) > i && ToStringValue(a[i]) == "linefit"
	}
	r.tuple("series_decompose", fixed("series_decompose", 1, 5, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		b, s, t, res := decompose(y, periodArg(a, 1), isLinefit(a, 2))
		return []any{seriesToDyn(b), seriesToDyn(s), seriesToDyn(t), seriesToDyn(res)}
	}), fixedCols([]string{"baseline", "seasonal", "trend", "residual"}, dynTypes(4)))
	r.tuple("series_decompose_anomalies", fixed("series_decompose_anomalies", 1, 7, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		thr := 1.5
		if len(a) > 1 {
			if f, ok := numReal(normDyn(a[1])); ok {
				thr = f
			}
		}
		b, _, _, res := decompose(y, periodArg(a, 2), isLinefit(a, 3))
		score := outlierScores(res)
		flag := make([]any, len(y))
		for i, s := range score {
			switch {
			case s > thr:
				flag[i] = int64(1)
			case s < -thr:
				flag[i] = int64(-1)
			default:
				flag[i] = int64(0)
			}
		}
		return []any{flag, seriesToDyn(score), seriesToDyn(b)}
	}), fixedCols([]string{"ad_flag", "ad_score", "baseline"}, dynTypes(3)))
	r.fn("series_decompose_forecast", fixed("series_decompose_forecast", 2, 5, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		k, _ := toLongV(normDyn(a[1]))
		n := len(y) - int(k)
		if n < 2 {
			return nil
		}
		b, _, _, _ := decompose(y[:n], periodArg(a, 2), true)
		slope, icept, _, _, _, _ := lineFit(y[:n])
		out := append([]float64(nil), b...)
		for i := n; i < len(y); i++ {
			out = append(out, slope*float64(i+1)+icept)
		}
		return seriesToDyn(out)
	}))
	r.fn("series_outliers", fixed("series_outliers", 1, 6, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		return seriesToDyn(outlierScores(y))
	}))
	r.tuple("series_fit_poly", fixed("series_fit_poly", 1, 3, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		x := make([]float64, len(y))
		for i := range x {
			x[i] = float64(i + 1)
		}
		if len(a) > 1 {
			if xs, ok := seriesOf(a[1]); ok && len(xs) == len(y) {
				x = xs
			}
		}
		deg := 1
		if len(a) > 2 {
			if d, ok := toLongV(normDyn(a[2])); ok && d > 0 {
				deg = int(d)
			}
		}
		coef := polyFit(x, y, deg)
		fit := make([]float64, len(y))
		for i, xv := range x {
			p := 1.0
			for _, c := range coef {
				fit[i] += c * p
				p *= xv
			}
		}
		mean, ssTot, ssRes := 0.0, 0.0, 0.0
		for _, v := range y {
			mean += v
		}
		mean /= float64(len(y))
		for i, v := range y {
			ssTot += (v - mean) * (v - mean)
			ssRes += (v - fit[i]) * (v - fit[i])
		}
		rsq := 1.0
		if ssTot > 0 {
			rsq = 1 - ssRes/ssTot
		}
		return []any{rsq, seriesToDyn(coef), seriesToDyn(fit)}
	}), fixedCols([]string{"rsquare", "coefficients", "poly_fit"}, []table.Type{table.TypeReal, table.TypeDynamic, table.TypeDynamic}))
	r.tuple("series_periods_validate", fixed("series_periods_validate", 2, 64, table.TypeDynamic, func(a []any) any {
		y, ok := seriesOf(a[0])
		if !ok {
			return nil
		}
		var periods, scores []any
		for _, p := range a[1:] {
			f, ok := numReal(normDyn(p))
			if !ok {
				continue
			}
			periods = append(periods, f)
			scores = append(scores, periodScore(y, f))
		}
		return []any{periods, scores}
	}), fixedCols([]string{"periods", "scores"}, dynTypes(2)))
}

// periodScore is the autocorrelation of y at lag p (clamped at 0).
func periodScore(y []float64, p float64) float64 {
	lag := int(math.Round(p))
	n := len(y)
	if lag <= 0 || lag >= n {
		return 0
	}
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	var num, den float64
	for i := range y {
		den += (y[i] - mean) * (y[i] - mean)
		if i+lag < n {
			num += (y[i] - mean) * (y[i+lag] - mean)
		}
	}
	if den == 0 {
		return 0
	}
	return math.Max(0, num/den)
}

// polyFit solves the least-squares normal equations for coefficients c0..cdeg.
func polyFit(x, y []float64, deg int) []float64 {
	m := deg + 1
	a := make([][]float64, m)
	for i := range a {
		a[i] = make([]float64, m+1)
	}
	for k := range x {
		pw := make([]float64, 2*m)
		pw[0] = 1
		for j := 1; j < 2*m; j++ {
			pw[j] = pw[j-1] * x[k]
		}
		for i := 0; i < m; i++ {
			for j := 0; j < m; j++ {
				a[i][j] += pw[i+j]
			}
			a[i][m] += pw[i] * y[k]
		}
	}
	for col := 0; col < m; col++ {
		piv := col
		for r := col + 1; r < m; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		a[col], a[piv] = a[piv], a[col]
		if a[col][col] == 0 {
			continue
		}
		for r := 0; r < m; r++ {
			if r == col {
				continue
			}
			f := a[r][col] / a[col][col]
			for c := col; c <= m; c++ {
				a[r][c] -= f * a[col][c]
			}
		}
	}
	out := make([]float64, m)
	for i := range out {
		if a[i][i] != 0 {
			out[i] = a[i][m] / a[i][i]
		}
	}
	return out
}

func allInts(arr []any) bool {
	seen := false
	for _, e := range arr {
		switch e.(type) {
		case nil:
		case int64:
			seen = true
		default:
			return false
		}
	}
	return seen
}

// dft transforms (re, im) with the discrete Fourier transform; inverse divides by n.
// Radix-2 FFT when n is a power of two, the direct sum otherwise.
func dft(re, im []float64, inverse bool) ([]float64, []float64) {
	n := len(re)
	c := make([]complex128, n)
	for i := range c {
		c[i] = complex(re[i], im[i])
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	var out []complex128
	if n > 0 && n&(n-1) == 0 {
		out = fftRadix2(c, sign)
	} else {
		out = make([]complex128, n)
		for k := 0; k < n; k++ {
			var s complex128
			for t := 0; t < n; t++ {
				ang := sign * 2 * math.Pi * float64(k*t%n) / float64(n)
				s += c[t] * complex(math.Cos(ang), math.Sin(ang))
			}
			out[k] = s
		}
	}
	rr, ii := make([]float64, n), make([]float64, n)
	for i, v := range out {
		if inverse {
			v /= complex(float64(n), 0)
		}
		rr[i], ii[i] = real(v), imag(v)
	}
	return rr, ii
}

func fftRadix2(a []complex128, sign float64) []complex128 {
	n := len(a)
	if n == 1 {
		return []complex128{a[0]}
	}
	even := make([]complex128, n/2)
	odd := make([]complex128, n/2)
	for i := 0; i < n/2; i++ {
		even[i], odd[i] = a[2*i], a[2*i+1]
	}
	e, o := fftRadix2(even, sign), fftRadix2(odd, sign)
	out := make([]complex128, n)
	for k := 0; k < n/2; k++ {
		ang := sign * 2 * math.Pi * float64(k) / float64(n)
		t := complex(math.Cos(ang), math.Sin(ang)) * o[k]
		out[k], out[k+n/2] = e[k]+t, e[k]-t
	}
	return out
}

func registerFFT(r *registry) {
	for _, inverse := range []bool{false, true} {
		name := "series_fft"
		if inverse {
			name = "series_ifft"
		}
		r.tuple(name, fixed(name, 1, 2, table.TypeDynamic, func(a []any) any {
			re, ok := seriesOf(a[0])
			if !ok || len(re) > 1<<16 {
				return nil
			}
			im := make([]float64, len(re))
			if len(a) > 1 && a[1] != nil {
				x, ok := seriesOf(a[1])
				if !ok || len(x) != len(re) {
					return nil
				}
				im = x
			}
			for i := range re {
				if math.IsNaN(re[i]) {
					re[i] = 0
				}
				if math.IsNaN(im[i]) {
					im[i] = 0
				}
			}
			rr, ii := dft(re, im, inverse)
			return []any{seriesToDyn(rr), seriesToDyn(ii)}
		}), fixedCols([]string{"real", "imaginary"}, dynTypes(2)))
	}
}
