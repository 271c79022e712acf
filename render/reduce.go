package render

import "math"

// reduce keeps, for each of `buckets` equal slices of [lo, hi] on the x axis, the first,
// smallest, largest and last point (in x order), so a line drawn through what is kept
// covers the same pixels as one through every point. A null (NaN y) ends a run: the
// bucket is flushed and a NaN is kept, so the line still breaks there. xs must be sorted.
// Series no longer than 4*buckets come back as they are.
func reduce(xs, ys []float64, lo, hi float64, buckets int) (rx, ry []float64) {
	if len(xs) <= 4*buckets || buckets < 1 || !(hi > lo) {
		return xs, ys
	}
	rx = make([]float64, 0, 4*buckets+16)
	ry = make([]float64, 0, 4*buckets+16)
	scale := float64(buckets) / (hi - lo)
	cur := -1 // current bucket
	var first, minI, maxI, last int
	n := 0 // points in the current bucket
	flush := func() {
		if n == 0 {
			return
		}
		// emit first, min, max, last in x order without repeats
		idx := [4]int{first, minI, maxI, last}
		if idx[1] > idx[2] {
			idx[1], idx[2] = idx[2], idx[1]
		}
		prev := -1
		for _, i := range idx {
			if i != prev {
				rx = append(rx, xs[i])
				ry = append(ry, ys[i])
				prev = i
			}
		}
		n = 0
	}
	for i, x := range xs {
		y := ys[i]
		if math.IsNaN(y) {
			flush()
			if len(ry) > 0 && !math.IsNaN(ry[len(ry)-1]) {
				rx = append(rx, x)
				ry = append(ry, y)
			}
			cur = -1
			continue
		}
		b := int((x - lo) * scale)
		if b != cur || n == 0 {
			flush()
			cur = b
			first, minI, maxI, last = i, i, i, i
			n = 1
			continue
		}
		if y < ys[minI] {
			minI = i
		}
		if y > ys[maxI] {
			maxI = i
		}
		last = i
		n++
	}
	flush()
	return rx, ry
}

// reduceMean averages y per bucket (at the bucket's mean x): for stacked areas, where
// layers must share their x values and min/max spikes would not stack.
func reduceMean(xs, ys []float64, lo, hi float64, buckets int) (rx, ry []float64) {
	if len(xs) <= 2*buckets || buckets < 1 || !(hi > lo) {
		return xs, ys
	}
	sumX := make([]float64, buckets+1)
	sumY := make([]float64, buckets+1)
	cnt := make([]int, buckets+1)
	scale := float64(buckets) / (hi - lo)
	for i, x := range xs {
		b := int((x - lo) * scale)
		if b < 0 || b > buckets || math.IsNaN(ys[i]) {
			continue
		}
		sumX[b] += x
		sumY[b] += ys[i]
		cnt[b]++
	}
	for b := range cnt {
		if cnt[b] > 0 {
			rx = append(rx, sumX[b]/float64(cnt[b]))
			ry = append(ry, sumY[b]/float64(cnt[b]))
		}
	}
	return rx, ry
}
