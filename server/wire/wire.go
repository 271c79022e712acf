// Package wire writes the JSON that both served APIs (Log Analytics and Azure Data
// Explorer) put on the wire alike, by hand rather than through encoding/json: strings
// without HTML escaping, and Kusto's v1 column lists.
package wire

import (
	"unicode/utf8"

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

// AppendV1Columns writes a v1 table's column objects, `{"ColumnName":..,"DataType":"Int64",
// "ColumnType":"long"},...`, without the enclosing brackets.
func AppendV1Columns(b []byte, cols []table.Column) []byte {
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
	return b
}
