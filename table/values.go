package table

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DateTime is a point in time in 100-ns ticks since 0001-01-01T00:00:00Z, as Kusto (and
// .NET) count it: it spans Kusto's whole range and subtracts to a TimeSpan directly.
type DateTime int64

// TimeSpan is a duration in 100-ns ticks.
type TimeSpan int64

// GUID is a guid in its canonical lowercase 8-4-4-4-12 form.
type GUID string

// Tick units.
const (
	Tick        TimeSpan = 1
	Microsecond          = 10 * Tick
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
	Day                  = 24 * Hour
)

// unixEpochTicks is 1970-01-01T00:00:00Z in ticks.
const unixEpochTicks DateTime = 621355968000000000

// MinDateTime and MaxDateTime bound Kusto's datetime range.
const (
	MinDateTime DateTime = 0
	MaxDateTime DateTime = 3155378975999999999 // 9999-12-31T23:59:59.9999999Z
)

// FromTime converts a time.Time to ticks (UTC).
func FromTime(t time.Time) DateTime {
	sec := t.Unix()
	return unixEpochTicks + DateTime(sec)*DateTime(Second) + DateTime(t.Nanosecond()/100)
}

// Time converts ticks to a UTC time.Time.
func (d DateTime) Time() time.Time {
	rel := int64(d - unixEpochTicks)
	sec := rel / int64(Second)
	rem := rel % int64(Second)
	if rem < 0 {
		rem += int64(Second)
		sec--
	}
	return time.Unix(sec, rem*100).UTC()
}

// String formats ISO 8601 UTC with a Z, the fraction only when non-zero ("2017-01-30T00:00:00Z",
// "2015-12-31T23:59:59.9Z"), as Kusto's REST API does.
func (d DateTime) String() string {
	t := d.Time()
	var b strings.Builder
	b.Grow(28)
	b.WriteString(t.Format("2006-01-02T15:04:05"))
	if frac := int64(d) % int64(Second); frac != 0 {
		if frac < 0 {
			frac += int64(Second)
		}
		s := strings.TrimRight(fmt.Sprintf("%07d", frac), "0")
		b.WriteByte('.')
		b.WriteString(s)
	}
	b.WriteByte('Z')
	return b.String()
}

// Duration converts to a time.Duration (saturating).
func (s TimeSpan) Duration() time.Duration {
	if s > TimeSpan(math.MaxInt64/100) {
		return time.Duration(math.MaxInt64)
	}
	if s < TimeSpan(math.MinInt64/100) {
		return time.Duration(math.MinInt64)
	}
	return time.Duration(s) * 100
}

// FromDuration converts a time.Duration to ticks (truncating below 100 ns).
func FromDuration(d time.Duration) TimeSpan { return TimeSpan(d / 100) }

// String formats Kusto's `[-][d.]hh:mm:ss[.fffffff]`: "14.00:00:00", "-12:00:00",
// "00:00:01.5000000".
func (s TimeSpan) String() string {
	var b strings.Builder
	v := int64(s)
	neg := v < 0
	u := uint64(v)
	if neg {
		b.WriteByte('-')
		u = uint64(-v) // MinInt64 wraps to itself, and as uint64 it is right
	}
	ticks := u % uint64(Second)
	secs := u / uint64(Second)
	days := secs / 86400
	secs %= 86400
	if days > 0 {
		b.WriteString(strconv.FormatUint(days, 10))
		b.WriteByte('.')
	}
	fmt.Fprintf(&b, "%02d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	if ticks != 0 {
		fmt.Fprintf(&b, ".%07d", ticks)
	}
	return b.String()
}

// FormatReal formats a real as Kusto's JSON does: shortest round-trip form, with NaN and
// infinities spelled "NaN", "Infinity", "-Infinity".
func FormatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
