package workspace

import (
	"strconv"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// dateLayouts are the timestamp forms real exports use, tried in order. All are read as UTC
// unless they carry a zone.
var dateLayouts = []string{
	time.RFC3339Nano,                // 2019-05-01T06:00:00Z, 2020-09-22T08:37:48.541Z
	"2006-01-02T15:04:05.999999999", // ISO without a zone
	"2006-01-02 15:04:05Z07:00",     // pandas: 2020-09-04 15:43:22.283000+00:00
	"2006-01-02 15:04:05",           // msticpy: 2019-01-15 05:15:02.980
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"1/2/2006, 3:04:05 PM", // Log Analytics portal: 4/28/2021, 2:08:45.221 PM
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04", // Excel-style: 7/8/2019 16:08
	"1/2/2006, 15:04:05",
	"2006-01-02",
	"2006/01/02 15:04:05",
	time.RFC1123Z,
	time.RFC1123,
}

// parseDate reads a timestamp in any of dateLayouts. hint is the index of the layout that
// worked last time (the same column usually keeps one format); it is updated.
func parseDate(s string, hint *int) (table.DateTime, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 8 || len(s) > 40 {
		return 0, false
	}
	c := s[0]
	digit := c >= '0' && c <= '9'
	if !digit && !(c >= 'A' && c <= 'Z') {
		return 0, false
	}
	if digit && !strings.ContainsAny(s, "-/") {
		return 0, false
	}
	try := func(i int) (table.DateTime, bool) {
		t, err := time.Parse(dateLayouts[i], s)
		if err != nil {
			return 0, false
		}
		t = t.UTC()
		if t.Year() < 1 || t.Year() > 9999 {
			return 0, false
		}
		return table.FromTime(t), true
	}
	if hint != nil && *hint >= 0 && *hint < len(dateLayouts) {
		if d, ok := try(*hint); ok {
			return d, true
		}
	}
	for i := range dateLayouts {
		if d, ok := try(i); ok {
			if hint != nil {
				*hint = i
			}
			return d, true
		}
	}
	return 0, false
}

// isInteger reports whether s is a decimal integer that survives a round trip (so "007" and
// "+5" stay strings, as do hex ids like "0x1610").
func isInteger(s string) (int64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	if strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

// isReal reports whether s is a decimal number ("443.0", "0.2247", "1e-5"; not "NaN" or hex).
func isReal(s string) (float64, bool) {
	if s == "" || len(s) > 40 {
		return 0, false
	}
	c := s[0]
	if !(c >= '0' && c <= '9') && c != '-' && c != '.' {
		return 0, false
	}
	if strings.ContainsAny(s, "xXpP_") {
		return 0, false
	}
	// A leading zero before more digits ("007.5") is an identifier, not a number.
	if u := strings.TrimPrefix(s, "-"); len(u) > 1 && u[0] == '0' && u[1] >= '0' && u[1] <= '9' {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

func isBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// inferColumn chooses a type for a column of text values ("" is null): the narrowest of
// bool, long, real, datetime that every non-empty value fits, else string.
func inferColumn(values []string) table.Type {
	couldBool, couldLong, couldReal, couldDate := true, true, true, true
	any := false
	hint := -1
	for _, v := range values {
		if v == "" {
			continue
		}
		any = true
		if couldBool {
			_, couldBool = isBool(v)
		}
		if couldLong {
			_, couldLong = isInteger(v)
		}
		if couldReal && !couldLong {
			_, couldReal = isReal(v)
		}
		if couldDate {
			_, couldDate = parseDate(v, &hint)
		}
		if !couldBool && !couldLong && !couldReal && !couldDate {
			return table.TypeString
		}
	}
	switch {
	case !any:
		return table.TypeString
	case couldBool:
		return table.TypeBool
	case couldLong:
		return table.TypeLong
	case couldReal:
		return table.TypeReal
	case couldDate:
		return table.TypeDateTime
	}
	return table.TypeString
}

// textVector converts text values to a vector of type t ("" is null; strings keep "").
// Values that do not convert become null.
func textVector(values []string, t table.Type) *table.Vector {
	v := table.NewVector(t, len(values))
	hint := -1
	in := interner{}
	for _, s := range values {
		var x any
		switch t {
		case table.TypeString:
			x = in.s(s)
		case table.TypeBool:
			if b, ok := isBool(s); ok {
				x = b
			}
		case table.TypeLong, table.TypeInt:
			if n, ok := isInteger(s); ok {
				x = n
			}
		case table.TypeReal:
			if f, ok := isReal(s); ok {
				x = f
			} else if f, ok := parseSpecialReal(s); ok {
				x = f
			}
		case table.TypeDateTime:
			if d, ok := parseDate(s, &hint); ok {
				x = d
			}
		case table.TypeTimeSpan:
			if d, ok := parseTimeSpan(s); ok {
				x = d
			}
		case table.TypeGUID:
			if s != "" {
				x = table.GUID(strings.ToLower(s))
			}
		case table.TypeDynamic:
			if s != "" {
				if d, err := table.ParseDynamic(s); err == nil {
					x = d
				} else {
					x = s
				}
			}
		}
		_ = v.Append(x) // x always has the vector's Go type or is nil
	}
	return v
}

func parseSpecialReal(s string) (float64, bool) {
	switch s {
	case "NaN", "Infinity", "-Infinity", "+Infinity":
		f, err := strconv.ParseFloat(strings.Replace(s, "inity", "", 1), 64)
		return f, err == nil
	}
	return 0, false
}

// parseTimeSpan reads Kusto's [-][d.]hh:mm:ss[.fffffff].
func parseTimeSpan(s string) (table.TimeSpan, bool) {
	if s == "" || len(s) > 40 {
		return 0, false
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var days int64
	if i := strings.IndexByte(s, '.'); i >= 0 && i < strings.IndexByte(s+":", ':') {
		d, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil || d > 10675199 {
			return 0, false
		}
		days, s = d, s[i+1:]
	}
	var frac int64
	if i := strings.IndexByte(s, '.'); i >= 0 {
		f := s[i+1:]
		if len(f) == 0 || len(f) > 7 {
			return 0, false
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n < 0 {
			return 0, false
		}
		for range 7 - len(f) {
			n *= 10
		}
		frac, s = n, s[:i]
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, false
	}
	var hms [3]int64
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 || n > 59 || (i == 0 && n > 23) || len(p) > 2 {
			return 0, false
		}
		hms[i] = n
	}
	ticks := table.TimeSpan(days)*table.Day + table.TimeSpan(hms[0])*table.Hour + table.TimeSpan(hms[1])*table.Minute + table.TimeSpan(hms[2])*table.Second + table.TimeSpan(frac)
	if neg {
		ticks = -ticks
	}
	return ticks, true
}
