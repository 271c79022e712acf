// Package wire writes the JSON that both served APIs (Log Analytics and Azure Data
// Explorer) put on the wire alike, by hand rather than through encoding/json: strings
// without HTML escaping, Kusto's v1 table heads and render properties.
package wire

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/kqlkernel/kqlkernel/table"
)

const hexDigits = "0123456789abcdef"

// AppendString writes s as a JSON string (invalid UTF-8 becomes U+FFFD; nothing is
// HTML-escaped: this is data, not markup).
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 are valid JSON but break JavaScript consumers.
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendV1Head starts table n of a v1 response: `{"TableName":"Table_n","Columns":[
// {"ColumnName":..,"DataType":"Int64","ColumnType":"long"},...],"Rows":[`. The rows and
// the closing `]}` are the caller's.
func AppendV1Head(b []byte, n int, cols []table.Column) []byte {
	b = append(b, `{"TableName":`...)
	b = AppendString(b, "Table_"+strconv.Itoa(n))
	b = append(b, `,"Columns":[`...)
	for j, c := range cols {
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"ColumnName":`...)
		b = AppendString(b, c.Name)
		b = append(b, `,"DataType":`...)
		b = AppendString(b, c.Type.DotNetName())
		b = append(b, `,"ColumnType":`...)
		b = AppendString(b, c.Type.String())
		b = append(b, '}')
	}
	return append(b, `],"Rows":[`...)
}

// AppendKey writes `,"key":`, the start of an object member after the first.
func AppendKey(b []byte, key string) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// AppendOptString writes s, or null when it is empty (an unset render property).
func AppendOptString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return AppendString(b, s)
}

// AppendBound writes a render axis bound: a real (as real writes it), a long, a datetime
// string, or null when unset.
func AppendBound(b []byte, v any, real func([]byte, float64) []byte) []byte {
	switch x := v.(type) {
	case float64:
		return real(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case table.DateTime:
		return AppendString(b, x.String())
	}
	return append(b, "null"...)
}

// AppendVisualization writes Kusto's PascalCase render properties (the v1
// @ExtendedProperties value and the v2 Visualization), from `{"Visualization":` to Ymax,
// without the closing brace; column lists comma-joined, unset strings null and unset y
// bounds "NaN". real writes the bounds as the API writes reals.
func AppendVisualization(b []byte, r *table.RenderSpec, real func([]byte, float64) []byte) []byte {
	b = append(b, `{"Visualization":`...)
	b = AppendOptString(b, r.Visualization)
	for _, p := range []struct{ key, v string }{
		{"Title", r.Title}, {"XColumn", r.XColumn}, {"Series", strings.Join(r.Series, ",")},
		{"YColumns", strings.Join(r.YColumns, ",")}, {"AnomalyColumns", strings.Join(r.AnomalyColumns, ",")},
		{"XTitle", r.XTitle}, {"YTitle", r.YTitle}, {"XAxis", r.XAxis}, {"YAxis", r.YAxis},
		{"Legend", r.Legend}, {"YSplit", r.YSplit},
	} {
		b = AppendOptString(AppendKey(b, p.key), p.v)
	}
	b = append(b, `,"Accumulate":`...)
	b = strconv.AppendBool(b, r.Accumulate)
	b = append(b, `,"IsQuerySorted":false`...)
	b = AppendOptString(AppendKey(b, "Kind"), r.Kind)
	for _, p := range []struct {
		key string
		v   *float64
	}{{"Ymin", r.YMin}, {"Ymax", r.YMax}} {
		b = AppendKey(b, p.key)
		if p.v == nil {
			b = append(b, `"NaN"`...)
		} else {
			b = real(b, *p.v)
		}
	}
	return b
}

// AppendScalar writes the cells both APIs write alike: null, bool, int and long exact,
// decimal, datetime, timespan and guid as strings. Reals, strings and dynamic values are
// each API's own; ok is false for them.
func AppendScalar(b []byte, x any) (_ []byte, ok bool) {
	switch v := x.(type) {
	case nil:
		return append(b, "null"...), true
	case bool:
		return strconv.AppendBool(b, v), true
	case int32:
		return strconv.AppendInt(b, int64(v), 10), true
	case int64:
		return strconv.AppendInt(b, v, 10), true
	case decimal.Decimal:
		return AppendString(b, v.String()), true
	case table.DateTime:
		return AppendString(b, v.String()), true
	case table.TimeSpan:
		return AppendString(b, v.String()), true
	case table.GUID:
		return AppendString(b, string(v)), true
	}
	return b, false
}

// NewID is a random (version 4) UUID, as the services' correlation and activity ids.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
