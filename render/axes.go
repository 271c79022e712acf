package render

import (
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"

	"github.com/kqlkernel/kqlkernel/table"
)

// niceStep is a round step (1, 2, 2.5 or 5 times a power of ten) that cuts span into
// about n parts.
func niceStep(span float64, n int) float64 {
	if !(span > 0) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// niceRange widens [lo, hi] to multiples of a round step.
func niceRange(lo, hi float64, n int) (float64, float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, 1
	}
	if lo == hi {
		if lo == 0 {
			return 0, 1
		}
		d := math.Abs(lo) * 0.1
		lo, hi = lo-d, hi+d
	}
	step := niceStep(hi-lo, n)
	return math.Floor(lo/step+1e-9) * step, math.Ceil(hi/step-1e-9) * step
}

// numberTicker labels round values compactly (1.5K, 2M) as ADX does.
type numberTicker struct {
	n       int
	percent bool
}

func (t numberTicker) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: compact(lo)}}
	}
	n := t.n
	if n <= 0 {
		n = 5
	}
	step := niceStep(hi-lo, n)
	var ticks []plot.Tick
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		label := compact(v)
		if t.percent {
			label += "%"
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
		if len(ticks) > 100 {
			break
		}
	}
	return ticks
}

// logTicker puts labels at powers of ten (minor ticks between).
type logTicker struct{}

func (logTicker) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		p := math.Pow(10, e)
		for i := 1; i < 10; i++ {
			v := p * float64(i)
			if v < lo || v > hi {
				continue
			}
			tk := plot.Tick{Value: v}
			if i == 1 {
				tk.Label = compact(v)
			}
			ticks = append(ticks, tk)
		}
	}
	return ticks
}

// compact formats a tick value: 0.25, 15, 1.5K, 2.25M, 3B.
func compact(v float64) string {
	a := math.Abs(v)
	suffix := ""
	switch {
	case a >= 1e12:
		v, suffix = v/1e12, "T"
	case a >= 1e9:
		v, suffix = v/1e9, "B"
	case a >= 1e6:
		v, suffix = v/1e6, "M"
	case a >= 1e4:
		v, suffix = v/1e3, "K"
	}
	s := strconv.FormatFloat(v, 'g', 6, 64)
	if strings.ContainsAny(s, "e") {
		s = strconv.FormatFloat(v, 'g', 3, 64)
	}
	return s + suffix
}

// timeTicker puts UTC ticks on round times; the date is added under the time where it
// changes, and the year under the date.
type timeTicker struct{ n int }

var timeSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
	21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400}

func (t timeTicker) Ticks(lo, hi float64) []plot.Tick {
	n := t.n
	if n <= 0 {
		n = 6
	}
	span := hi - lo
	if !(span > 0) {
		return []plot.Tick{{Value: lo, Label: unixToTime(lo).Format("2006-01-02\n15:04:05")}}
	}
	var ticks []plot.Tick
	step := 0.0
	for _, s := range timeSteps {
		if span/s <= float64(n)*1.25 {
			step = s
			break
		}
	}
	if step == 0 {
		if span < 1 { // sub-second spans: plain seconds within the minute
			for _, tk := range (numberTicker{n: n}).Ticks(lo, hi) {
				tm := unixToTime(tk.Value)
				tk.Label = tm.Format("15:04:05.000")
				ticks = append(ticks, tk)
			}
			return ticks
		}
		return monthTicks(lo, hi, n)
	}
	var prev time.Time
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		tm := unixToTime(v)
		var label string
		switch {
		case step < 60:
			label = tm.Format("15:04:05")
		case step < 86400:
			label = tm.Format("15:04")
		default:
			label = tm.Format("Jan 2")
		}
		if step < 86400 && (prev.IsZero() || tm.YearDay() != prev.YearDay() || tm.Year() != prev.Year()) {
			label += "\n" + tm.Format("Jan 2")
		} else if step >= 86400 && (prev.IsZero() || tm.Year() != prev.Year()) {
			label += "\n" + tm.Format("2006")
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
		prev = tm
	}
	return ticks
}

// monthTicks: ticks on the first of every 1, 2, 3, 6 or 12*k months.
func monthTicks(lo, hi float64, n int) []plot.Tick {
	months := (hi - lo) / (30.44 * 86400)
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12, 24, 60, 120, 600, 1200} {
		step = s
		if months/float64(s) <= float64(n) {
			break
		}
	}
	start := unixToTime(lo)
	m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	var ticks []plot.Tick
	for guard := 0; guard < 200; guard++ {
		if mi := (m.Year()*12 + int(m.Month()) - 1); mi%step != 0 {
			m = m.AddDate(0, 1, 0)
			continue
		}
		v := float64(m.Unix())
		if v > hi {
			break
		}
		if v >= lo {
			label := m.Format("Jan 2006")
			if step >= 12 {
				label = m.Format("2006")
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
		m = m.AddDate(0, step, 0)
	}
	return ticks
}

// spanTicker labels seconds in Kusto's timespan format.
type spanTicker struct{ n int }

func (t spanTicker) Ticks(lo, hi float64) []plot.Tick {
	ticks := numberTicker{n: t.n}.Ticks(lo, hi)
	if hi-lo >= 60 {
		// round to whole time units
		step := 0.0
		for _, s := range timeSteps {
			if (hi-lo)/s <= 6 {
				step = s
				break
			}
		}
		if step > 0 {
			ticks = ticks[:0]
			for v := math.Ceil(lo/step) * step; v <= hi; v += step {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	for i := range ticks {
		ticks[i].Label = table.TimeSpan(math.Round(ticks[i].Value * 1e7)).String()
	}
	return ticks
}

// categoryTicker labels category indexes, skipping labels so at most max are shown.
type categoryTicker struct {
	labels []string
	max    int
	invert bool // horizontal bars: index 0 at the top
}

func (t categoryTicker) Ticks(lo, hi float64) []plot.Tick {
	n := len(t.labels)
	every := 1
	if t.max > 0 && n > t.max {
		every = (n + t.max - 1) / t.max
	}
	var ticks []plot.Tick
	for i := 0; i < n; i += every {
		v := float64(i)
		if t.invert {
			v = float64(n - 1 - i)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: shorten(t.labels[i], 24)})
	}
	return ticks
}

// unlabelled keeps a ticker's tick marks and drops its labels.
type unlabelled struct{ plot.Ticker }

func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	ticks := u.Ticker.Ticks(lo, hi)
	for i := range ticks {
		ticks[i].Label = ""
	}
	return ticks
}
