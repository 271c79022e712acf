package server

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// parseInterval reads an ISO 8601 time interval as the query API's `timespan` takes it:
// "start/end", "start/duration", "duration/end", or a bare "duration" ending now ("PT1H",
// "P7D", "PT3600.0S" as Python's client writes it).
func parseInterval(s string, now time.Time) (start, end time.Time, err error) {
	s = strings.TrimSpace(s)
	a, b, two := strings.Cut(s, "/")
	if !two {
		if strings.HasPrefix(strings.ToUpper(a), "P") {
			d, err := parseISODuration(a)
			if err != nil {
				return start, end, err
			}
			return d.addTo(now, -1), now, nil
		}
		t, err := parseInstant(a)
		if err != nil {
			return start, end, err
		}
		return t, now, nil
	}
	aDur := strings.HasPrefix(strings.ToUpper(a), "P")
	bDur := strings.HasPrefix(strings.ToUpper(b), "P")
	switch {
	case aDur && bDur:
		return start, end, errors.New("start and end can't both be durations")
	case aDur:
		d, err := parseISODuration(a)
		if err != nil {
			return start, end, err
		}
		if end, err = parseInstant(b); err != nil {
			return start, end, err
		}
		start = d.addTo(end, -1)
	case bDur:
		if start, err = parseInstant(a); err != nil {
			return start, end, err
		}
		d, err := parseISODuration(b)
		if err != nil {
			return start, end, err
		}
		end = d.addTo(start, 1)
	default:
		if start, err = parseInstant(a); err != nil {
			return start, end, err
		}
		if end, err = parseInstant(b); err != nil {
			return start, end, err
		}
	}
	if end.Before(start) {
		return start, end, errors.New("the end is before the start")
	}
	return start, end, nil
}

// parseInstant reads an ISO 8601 date or date-time; without a zone it is UTC.
func parseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time such as 2024-01-31T00:00:00Z", s)
}

// isoDuration is a parsed ISO 8601 duration: calendar parts and an exact clock part.
type isoDuration struct {
	years, months, days int
	clock               time.Duration
}

func (d isoDuration) addTo(t time.Time, sign int) time.Time {
	return t.AddDate(sign*d.years, sign*d.months, sign*d.days).Add(time.Duration(sign) * d.clock)
}

// parseISODuration reads PnYnMnWnDTnHnMnS; the clock parts may have fractions.
func parseISODuration(s string) (isoDuration, error) {
	var d isoDuration
	orig := s
	bad := func(why string) (isoDuration, error) {
		return isoDuration{}, fmt.Errorf("%q is not an ISO 8601 duration such as PT1H or P7D: %s", orig, why)
	}
	s = strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return bad("too short")
	}
	s = s[1:]
	inTime := false
	seen := false
	var clock float64
	for s != "" {
		if s[0] == 'T' {
			if inTime {
				return bad("two T's")
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			i++
		}
		if i == 0 || i == len(s) {
			return bad("a number must be followed by a unit")
		}
		num, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", "."), 64)
		if err != nil || num > 1e9 {
			return bad("bad number")
		}
		unit := s[i]
		s = s[i+1:]
		seen = true
		whole := func() (int, error) {
			if num != math.Trunc(num) {
				return 0, errors.New("fraction")
			}
			return int(num), nil
		}
		switch {
		case !inTime && unit == 'Y':
			n, err := whole()
			if err != nil {
				return bad("years must be whole")
			}
			d.years += n
		case !inTime && unit == 'M':
			n, err := whole()
			if err != nil {
				return bad("months must be whole")
			}
			d.months += n
		case !inTime && unit == 'W':
			clock += num * 7 * 86400
		case !inTime && unit == 'D':
			clock += num * 86400
		case inTime && unit == 'H':
			clock += num * 3600
		case inTime && unit == 'M':
			clock += num * 60
		case inTime && unit == 'S':
			clock += num
		default:
			return bad(fmt.Sprintf("unknown unit %q", unit))
		}
	}
	if !seen {
		return bad("no value")
	}
	if clock > 1e11 {
		return bad("too long")
	}
	d.clock = time.Duration(math.Round(clock * 1e9))
	return d, nil
}
