package magic

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var kqlSpan = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*(d|day|days|h|hr|hrs|hour|hours|m|min|minute|minutes|s|sec|second|seconds|ms|milli|millis|millisecond|milliseconds|microsecond|microseconds|tick|ticks)$`)

// parseKQLTimespan parses a KQL timespan literal such as 1d, 12h, 30m, 1.5h, 100ms, or
// Kusto's [d.]hh:mm:ss.
func parseKQLTimespan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if inner, ok := strings.CutPrefix(s, "timespan("); ok && strings.HasSuffix(inner, ")") {
		s = strings.TrimSuffix(inner, ")")
	}
	if m := kqlSpan.FindStringSubmatch(strings.ToLower(s)); m != nil {
		f, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return 0, err
		}
		unit := map[string]time.Duration{
			"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
			"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
			"m": time.Minute, "min": time.Minute, "minute": time.Minute, "minutes": time.Minute,
			"s": time.Second, "sec": time.Second, "second": time.Second, "seconds": time.Second,
			"ms": time.Millisecond, "milli": time.Millisecond, "millis": time.Millisecond,
			"millisecond": time.Millisecond, "milliseconds": time.Millisecond,
			"microsecond": time.Microsecond, "microseconds": time.Microsecond,
			"tick": 100, "ticks": 100,
		}[m[2]]
		return time.Duration(f * float64(unit)), nil
	}
	// [d.]hh:mm:ss[.fffffff]
	if strings.Count(s, ":") == 2 {
		days := 0
		rest := s
		if i := strings.IndexByte(s, '.'); i >= 0 && i < strings.IndexByte(s, ':') {
			d, err := strconv.Atoi(s[:i])
			if err != nil {
				return 0, fmt.Errorf("bad timespan %q", s)
			}
			days, rest = d, s[i+1:]
		}
		parts := strings.Split(rest, ":")
		h, err1 := strconv.Atoi(parts[0])
		m, err2 := strconv.Atoi(parts[1])
		sec, err3 := strconv.ParseFloat(parts[2], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return 0, fmt.Errorf("bad timespan %q", s)
		}
		return time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec*float64(time.Second)), nil
	}
	if d, err := parseISODuration(s); err == nil {
		return d, nil
	}
	return 0, fmt.Errorf("bad timespan %q: use 1d, 12h, 30m, P1D or PT6H", s)
}

var isoDur = regexp.MustCompile(`^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// parseISODuration parses an ISO 8601 duration (P1D, PT6H, P1DT12H, P2W).
func parseISODuration(s string) (time.Duration, error) {
	m := isoDur.FindStringSubmatch(strings.ToUpper(s))
	if m == nil || s == "P" || strings.HasSuffix(strings.ToUpper(s), "T") {
		return 0, errors.New("not an ISO 8601 duration")
	}
	atoi := func(x string) time.Duration {
		n, _ := strconv.Atoi(x)
		return time.Duration(n)
	}
	d := atoi(m[1])*7*24*time.Hour + atoi(m[2])*24*time.Hour + atoi(m[3])*time.Hour + atoi(m[4])*time.Minute
	if m[5] != "" {
		f, _ := strconv.ParseFloat(m[5], 64)
		d += time.Duration(f * float64(time.Second))
	}
	return d, nil
}

func parseInstant(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q: use ISO 8601, e.g. 2024-05-01T00:00:00Z", s)
}

// parseTimespan resolves a -timespan value to [start, end): a duration back from now, or
// an ISO 8601 interval START/END, START/DURATION or DURATION/END, as Log Analytics takes.
func parseTimespan(s string, now time.Time) (time.Time, time.Time, error) {
	s = strings.TrimSpace(s)
	if a, b, ok := strings.Cut(s, "/"); ok {
		var start, end time.Time
		var err error
		if d, derr := parseISODuration(a); derr == nil {
			if end, err = parseInstant(b); err != nil {
				return start, end, err
			}
			return end.Add(-d), end, nil
		}
		if start, err = parseInstant(a); err != nil {
			return start, end, err
		}
		if d, derr := parseISODuration(b); derr == nil {
			return start, start.Add(d), nil
		}
		if end, err = parseInstant(b); err != nil {
			return start, end, err
		}
		if !end.After(start) {
			return start, end, fmt.Errorf("timespan %q: the end is not after the start", s)
		}
		return start, end, nil
	}
	d, err := parseKQLTimespan(s)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("-timespan: %w", err)
	}
	if d <= 0 {
		return time.Time{}, time.Time{}, fmt.Errorf("-timespan %q: must be positive", s)
	}
	return now.Add(-d), now, nil
}
