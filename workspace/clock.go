package workspace

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// Days is how far back the demo workspace's data goes.
const Days = 14

const hours = Days * 24

// rhythm is how a source's volume follows the working day and week.
type rhythm int

const (
	flat     rhythm = iota // agents, heartbeats, counters
	machine                // mostly automatic, some people
	business               // people: sign-ins, mail, browsing
)

// hourWeights gives each of the window's hours a relative volume. Hour 0 starts 14 days
// before now. Working hours are 08:00-18:00 UTC on weekdays.
func hourWeights(start time.Time, r rhythm, rng *rand.Rand) []float64 {
	w := make([]float64, hours)
	for k := range w {
		t := start.Add(time.Duration(k) * time.Hour)
		h := float64(t.Hour()) + 0.5
		// A smooth day curve: low at night, high from 9 to 17.
		day := 0.5 - 0.5*math.Cos((h-3)/24*2*math.Pi)
		day = math.Pow(day, 1.5)
		weekend := t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
		var x float64
		switch r {
		case flat:
			x = 1
		case machine:
			x = 0.55 + 0.45*day
			if weekend {
				x = 0.55 + 0.12*day
			}
		case business:
			x = 0.06 + day
			if weekend {
				x = 0.06 + 0.15*day
			}
		}
		noise := 1 + 0.08*(rng.Float64()*2-1)
		w[k] = x * noise
	}
	return w
}

// spread divides n rows among the hours in proportion to the weights, exactly.
func spread(n int, w []float64) []int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	out := make([]int, len(w))
	cum, prev := 0.0, 0
	for k, x := range w {
		cum += x
		upto := int(math.Round(float64(n) * cum / total))
		if k == len(w)-1 {
			upto = n
		}
		out[k] = upto - prev
		prev = upto
	}
	return out
}

// newRand returns a generator for one purpose (a table, a story), so tables come out the same
// whatever order they are built in.
func newRand(seed uint64, purpose string, part uint64) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	// Both PCG words come from splitmix64: streams that differ only in the increment start
	// out correlated.
	x := seed ^ h.Sum64() ^ splitmix(part)
	return rand.New(rand.NewPCG(splitmix(x), splitmix(x+0x9e3779b97f4a7c15)))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// timeIn returns a random instant inside hour k of the window.
func (w *world) timeIn(rng *rand.Rand, k int) table.DateTime {
	return w.start + table.DateTime(int64(k)*int64(table.Hour)+rng.Int64N(int64(table.Hour)))
}

// ago is now minus d, as a DateTime.
func (w *world) ago(d time.Duration) table.DateTime {
	return w.now - table.DateTime(table.FromDuration(d))
}

// hourOf is the index of the hour that t falls in (clamped to the window).
func (w *world) hourOf(t table.DateTime) int {
	k := int((t - w.start) / table.DateTime(table.Hour))
	return max(0, min(hours-1, k))
}

// pick returns one of xs chosen by weights (which need not sum to 1).
type weighted[T any] struct {
	items []T
	cum   []float64
}

func newWeighted[T any](items []T, weights []float64) *weighted[T] {
	w := &weighted[T]{items: items, cum: make([]float64, len(weights))}
	s := 0.0
	for i, x := range weights {
		s += x
		w.cum[i] = s
	}
	return w
}

func (w *weighted[T]) pick(rng *rand.Rand) T {
	x := rng.Float64() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return w.items[lo]
}

func one[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }
