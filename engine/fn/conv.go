package fn

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

type decimalT = decimal.Decimal

// normDyn converts a Go value to the canonical dynamic form (int64 for integers, nil for
// nulls, maps and arrays as they are).
func normDyn(x any) any {
	switch v := x.(type) {
	case int32:
		return int64(v)
	case int:
		return int64(v)
	case float32:
		return float64(v)
	}
	return x
}

// FormatRealDotNet formats a real as .NET's double.ToString() does (shortest round-trip,
// scientific notation "1E+20" when the exponent is >= 15 or < -4), which is Kusto's
// tostring(real).
func FormatRealDotNet(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, exps, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(exps)
	if exp >= 15 || exp < -4 {
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		e := strconv.Itoa(exp)
		if len(e) < 2 {
			e = "0" + e
		}
		return strings.ToUpper(mant) + "E" + sign + e
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// ToStringValue is Kusto's tostring() of one value as Vector.At returns it.
func ToStringValue(x any) string {
	switch v := x.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case float64:
		return FormatRealDotNet(v)
	case decimalT:
		return v.String()
	case table.DateTime:
		return v.String()
	case table.TimeSpan:
		return v.String()
	case table.GUID:
		return string(v)
	case []any, map[string]any:
		return DynamicJSON(v)
	}
	return table.Format(x)
}

// DynamicJSON renders a dynamic value as Kusto serialises it: compact JSON, doubles with
// a fraction ("10.0"), datetimes with seven fractional digits, keys in insertion order
// where known (sorted here: Go maps keep no order).
func DynamicJSON(x any) string {
	var b bytes.Buffer
	writeJSON(&b, x)
	return b.String()
}

func writeJSON(b *bytes.Buffer, x any) {
	switch v := x.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case int32:
		b.WriteString(strconv.FormatInt(int64(v), 10))
	case int:
		b.WriteString(strconv.Itoa(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			writeJSONString(b, FormatRealDotNet(v))
			return
		}
		s := FormatRealDotNet(v)
		if !strings.ContainsAny(s, ".E") {
			s += ".0"
		}
		b.WriteString(s)
	case decimalT:
		writeJSONString(b, v.String())
	case string:
		writeJSONString(b, v)
	case table.DateTime:
		writeJSONString(b, dateTime7(v))
	case table.TimeSpan:
		writeJSONString(b, v.String())
	case table.GUID:
		writeJSONString(b, string(v))
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range bagKeyOrder(v) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			writeJSON(b, v[k])
		}
		b.WriteByte('}')
	default:
		writeJSONString(b, table.Format(x))
	}
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	// json.Marshal escapes <, >, & for HTML; Kusto does not.
	enc = bytes.ReplaceAll(enc, []byte(`\u003c`), []byte("<"))
	enc = bytes.ReplaceAll(enc, []byte(`\u003e`), []byte(">"))
	enc = bytes.ReplaceAll(enc, []byte(`\u0026`), []byte("&"))
	b.Write(enc)
}

// dateTime7 is the ISO form with seven fractional digits, as datetimes inside dynamic
// values print.
func dateTime7(d table.DateTime) string {
	t := d.Time()
	frac := int64(d) % int64(table.Second)
	if frac < 0 {
		frac += int64(table.Second)
	}
	return t.Format("2006-01-02T15:04:05") + "." + pad7(frac) + "Z"
}

func pad7(v int64) string {
	s := strconv.FormatInt(v, 10)
	for len(s) < 7 {
		s = "0" + s
	}
	return s
}

// ---- scalar conversions (tolong, toreal, ...) on values as At returns them ----

func toLongV(x any) (int64, bool) {
	switch v := x.(type) {
	case int64:
		return v, true
	case int32:
		return int64(v), true
	case int:
		return int64(v), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, false
		}
		return int64(v), true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case decimalT:
		return v.IntPart(), true
	case string:
		return parseLong(v)
	case table.DateTime:
		return int64(v), true
	case table.TimeSpan:
		return int64(v), true
	}
	return 0, false
}

func parseLong(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		if i, err := strconv.ParseInt(s[2:], 16, 64); err == nil {
			return i, true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) && !strings.ContainsAny(s, "nN") {
		return int64(f), true
	}
	return 0, false
}

func toRealV(x any) (float64, bool) {
	switch v := x.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case int32:
		return float64(v), true
	case int:
		return float64(v), true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case decimalT:
		f, _ := v.Float64()
		return f, true
	case string:
		return parseReal(v)
	case table.DateTime:
		return float64(v), true
	case table.TimeSpan:
		return float64(v), true
	}
	return 0, false
}

func parseReal(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	switch s {
	case "NaN", "nan":
		return math.NaN(), true
	case "Infinity", "inf", "+Infinity", "+inf":
		return math.Inf(1), true
	case "-Infinity", "-inf":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func toDecV(x any) (decimalT, bool) {
	switch v := x.(type) {
	case decimalT:
		return v, true
	case int64:
		return decimal.NewFromInt(v), true
	case int32:
		return decimal.NewFromInt(int64(v)), true
	case int:
		return decimal.NewFromInt(int64(v)), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return decimalT{}, false
		}
		return decimal.NewFromFloat(v), true
	case bool:
		if v {
			return decimal.NewFromInt(1), true
		}
		return decimal.Zero, true
	case string:
		d, err := decimal.NewFromString(strings.TrimSpace(v))
		return d, err == nil
	}
	return decimalT{}, false
}

func toBoolV(x any) (bool, bool) {
	switch v := x.(type) {
	case bool:
		return v, true
	case int64:
		return v != 0, true
	case int32:
		return v != 0, true
	case int:
		return v != 0, true
	case float64:
		if math.IsNaN(v) {
			return false, false
		}
		return v != 0, true
	case decimalT:
		return !v.IsZero(), true
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	}
	return false, false
}

func toDateTimeV(x any) (table.DateTime, bool) {
	switch v := x.(type) {
	case table.DateTime:
		return v, true
	case string:
		return ParseDateTime(v)
	case int64:
		// tolong(datetime) round trip: ticks.
		return table.DateTime(v), v >= 0 && table.DateTime(v) <= table.MaxDateTime
	}
	return 0, false
}

func toTimeSpanV(x any) (table.TimeSpan, bool) {
	switch v := x.(type) {
	case table.TimeSpan:
		return v, true
	case string:
		return ParseTimeSpan(v)
	case int64:
		return table.TimeSpan(v), true
	case int32:
		return table.TimeSpan(v), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, false
		}
		return table.TimeSpan(v), true
	}
	return 0, false
}

func toGUIDV(x any) (table.GUID, bool) {
	switch v := x.(type) {
	case table.GUID:
		return v, true
	case string:
		return ParseGUID(v)
	}
	return "", false
}

// ParseGUID accepts the 32-hex-digit forms .NET's Guid.Parse does (with or without
// dashes, braces, parentheses) and returns the canonical lowercase form.
func ParseGUID(s string) (table.GUID, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && ((s[0] == '{' && s[len(s)-1] == '}') || (s[0] == '(' && s[len(s)-1] == ')')) {
		s = s[1 : len(s)-1]
	}
	// Kusto accepts 32 hex digits with dashes anywhere between them.
	hex := []byte(strings.ReplaceAll(s, "-", ""))
	if len(hex) != 32 || strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
		return "", false
	}
	for i, c := range hex {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			hex[i] = c + 32
		default:
			return "", false
		}
	}
	h := string(hex)
	return table.GUID(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]), true
}

var dateLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02 15:04Z",
	"2006-01-02",
	"2006-01-02Z",
	"2006-1-2",
	"2006-1-2 15:04:05.999999999",
	"2006-1-2 15:04",
	"2006/01/02 15:04:05.999999999",
	"2006/01/02",
	"01/02/2006 15:04:05.999999999",
	"01/02/2006",
	"1/2/2006 15:04:05.999999999",
	"1/2/2006 3:04:05 PM",
	"1/2/2006",
	"01-02-2006",
	"01-02-2006 15:04:05.999999999",
	// RFC 822 / 1123, with 2- or 4-digit years, optional seconds and zone.
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04 MST",
	"Mon, 2 Jan 2006 15:04",
	"Mon, 2 Jan 06 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05",
	"Mon, 2 Jan 06 15:04 MST",
	"Mon, 2 Jan 06 15:04",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04",
	"2 Jan 06 15:04:05 MST",
	"2 Jan 06 15:04:05",
	"2 Jan 06 15:04 MST",
	"2 Jan 06 15:04",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006",
	"Jan 2 2006",
	"Jan 2 2006 15:04:05",
	// RFC 850.
	"Monday, 02-Jan-06 15:04:05 MST",
	"Monday, 02-Jan-06 15:04:05",
	"Monday, 02-Jan-06 15:04 MST",
	"Monday, 02-Jan-06 15:04",
	"02-Jan-06 15:04:05 MST",
	"02-Jan-06 15:04:05",
	"02-Jan-06 15:04",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"20060102",
	"20060102T150405",
	"2006-01",
	"2006",
}

// zoneOffsets are the North American abbreviations RFC 822 allows (Go parses them
// without an offset).
var zoneOffsets = map[string]int{"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}

// parseISOFast handles "yyyy-MM-dd[Thh:mm[:ss[.f{1,7}]]][Z]" without allocating; other
// forms go through the layouts.
func parseISOFast(s string) (table.DateTime, bool) {
	n := len(s)
	if n < 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	num := func(i, w int) (int, bool) {
		v := 0
		for k := i; k < i+w; k++ {
			c := s[k]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1 {
		return 0, false
	}
	var h, mi, sec int
	var frac int64
	i := 10
	if i < n && (s[i] == 'T' || s[i] == ' ') {
		if n < i+6 || s[i+3] != ':' {
			return 0, false
		}
		var okh, okm bool
		h, okh = num(i+1, 2)
		mi, okm = num(i+4, 2)
		if !okh || !okm || h > 23 || mi > 59 {
			return 0, false
		}
		i += 6
		if i < n && s[i] == ':' {
			if n < i+3 {
				return 0, false
			}
			var oks bool
			sec, oks = num(i+1, 2)
			if !oks || sec > 59 {
				return 0, false
			}
			i += 3
			if i < n && s[i] == '.' {
				i++
				digits := 0
				for i < n && s[i] >= '0' && s[i] <= '9' {
					if digits < 7 {
						frac = frac*10 + int64(s[i]-'0')
					}
					digits++
					i++
				}
				if digits == 0 {
					return 0, false
				}
				for k := digits; k < 7; k++ {
					frac *= 10
				}
			}
		}
	}
	if i < n && s[i] == 'Z' {
		i++
	}
	if i != n {
		return 0, false
	}
	if d > daysIn(y, mo) {
		return 0, false
	}
	days := daysFromCivil(y, mo, d)
	ticks := days*int64(table.Day) + int64(h)*int64(table.Hour) + int64(mi)*int64(table.Minute) + int64(sec)*int64(table.Second) + frac
	return table.DateTime(ticks), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 0001-01-01 (proleptic Gregorian), as .NET ticks do.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
		m += 12
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*(m-3)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	// days since 0000-03-01, shifted to 0001-01-01.
	return int64(era)*146097 + int64(doe) - 306
}

// ParseDateTime parses the datetime forms Kusto accepts in datetime() and todatetime():
// ISO 8601 (with or without T, zone, fraction up to 7 digits), RFC 822/1123 and 850, US
// month/day/year. The result is UTC.
func ParseDateTime(s string) (table.DateTime, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if d, ok := parseISOFast(s); ok {
		return d, true
	}
	for _, l := range dateLayouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if strings.Contains(l, "MST") {
			name, off := t.Zone()
			if h, known := zoneOffsets[name]; known && off == 0 {
				t = t.Add(-time.Duration(h) * time.Hour)
			}
		}
		return table.FromTime(t.UTC()), true
	}
	return 0, false
}

// ParseTimeSpan parses Kusto timespan text: "[-][d.]hh:mm[:ss[.fffffff]]" and the literal
// forms "2d", "1.5h", "30m", "10s", "100ms", "5microsecond", "1tick".
func ParseTimeSpan(s string) (table.TimeSpan, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	neg := false
	body := s
	if body[0] == '-' {
		neg = true
		body = body[1:]
	} else if body[0] == '+' {
		body = body[1:]
	}
	var ticks int64
	if strings.Contains(body, ":") {
		var days int64
		hms := body
		if dot := strings.IndexByte(body, '.'); dot >= 0 && dot < strings.IndexByte(body, ':') {
			d, err := strconv.ParseInt(body[:dot], 10, 64)
			if err != nil {
				return 0, false
			}
			days = d
			hms = body[dot+1:]
		}
		parts := strings.Split(hms, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return 0, false
		}
		h, err1 := strconv.ParseInt(parts[0], 10, 64)
		m, err2 := strconv.ParseInt(parts[1], 10, 64)
		if err1 != nil || err2 != nil || m >= 60 || h >= 24 && days != 0 {
			return 0, false
		}
		var sec, frac int64
		if len(parts) == 3 {
			ss, fs, hasFrac := strings.Cut(parts[2], ".")
			v, err := strconv.ParseInt(ss, 10, 64)
			if err != nil || v >= 60 {
				return 0, false
			}
			sec = v
			if hasFrac {
				if len(fs) == 0 || len(fs) > 7 {
					if len(fs) > 7 {
						fs = fs[:7]
					} else {
						return 0, false
					}
				}
				f, err := strconv.ParseInt(fs, 10, 64)
				if err != nil {
					return 0, false
				}
				for k := len(fs); k < 7; k++ {
					f *= 10
				}
				frac = f
			}
		}
		ticks = days*int64(table.Day) + h*int64(table.Hour) + m*int64(table.Minute) + sec*int64(table.Second) + frac
	} else {
		i := 0
		for i < len(body) && (body[i] >= '0' && body[i] <= '9' || body[i] == '.') {
			i++
		}
		num, unit := body[:i], strings.ToLower(strings.TrimSpace(body[i:]))
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, false
		}
		var mul float64
		switch unit {
		case "d", "day", "days":
			mul = float64(table.Day)
		case "h", "hr", "hrs", "hour", "hours":
			mul = float64(table.Hour)
		case "m", "min", "minute", "minutes":
			mul = float64(table.Minute)
		case "s", "sec", "second", "seconds":
			mul = float64(table.Second)
		case "ms", "milli", "millis", "millisecond", "milliseconds":
			mul = float64(table.Millisecond)
		case "microsecond", "microseconds":
			mul = float64(table.Microsecond)
		case "tick", "ticks":
			mul = 1
		case "":
			// A bare number is days in Kusto's timespan parser.
			mul = float64(table.Day)
		default:
			return 0, false
		}
		ticks = int64(math.Round(f * mul))
	}
	if neg {
		ticks = -ticks
	}
	return table.TimeSpan(ticks), true
}

// bagKeyOrder is the key order for printing a bag. Go maps keep no insertion order, so
// keys are sorted, except that GeoJSON objects put "type" first as Kusto writes them
// ({"type":"Polygon","coordinates":...}).
func bagKeyOrder(m map[string]any) []string {
	keys := table.SortedKeys(m)
	if _, ok := m["type"]; !ok || len(keys) < 2 {
		return keys
	}
	_, c := m["coordinates"]
	_, g := m["geometries"]
	if !c && !g {
		return keys
	}
	out := make([]string, 0, len(keys))
	out = append(out, "type")
	for _, k := range keys {
		if k != "type" {
			out = append(out, k)
		}
	}
	return out
}
