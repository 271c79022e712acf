package loganalytics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/kqlkernel/kqlkernel/table"
)

// decodeRows reads a table's "rows" array straight into typed column vectors. data has
// already been validated as JSON by json.Unmarshal, so the scanner below only has to find
// value boundaries; it never builds an []any per row (a 10k x 229 result used to cost
// hundreds of MB that way).
func decodeRows(name string, schema table.Schema, data []byte) (*table.Table, error) {
	t := table.New(name, schema)
	s := rowScanner{b: data}
	s.ws()
	if s.i >= len(s.b) || bytes.HasPrefix(s.b[s.i:], []byte("null")) {
		return t, nil
	}
	if s.b[s.i] != '[' {
		return nil, fmt.Errorf("table %s: rows is not an array", name)
	}
	n := s.count()
	vecs := make([]*table.Vector, len(schema))
	for i, c := range schema {
		vecs[i] = table.NewVector(c.Type, n)
		t.Columns[i].Data = vecs[i]
	}
	s.i++ // [
	s.ws()
	if s.b[s.i] == ']' {
		return t, nil
	}
	for ri := 0; ; ri++ {
		s.ws()
		values := 0
		switch s.b[s.i] {
		case 'n': // a null row has no values
			s.i += len("null")
		case '[':
			s.i++
			s.ws()
			if s.b[s.i] == ']' {
				s.i++
				break
			}
			for {
				raw := s.value()
				if values < len(vecs) {
					if err := appendCell(vecs[values], raw); err != nil {
						return nil, fmt.Errorf("table %s row %d column %s: %w", name, ri, schema[values].Name, err)
					}
				}
				values++
				s.ws()
				c := s.b[s.i]
				s.i++
				if c == ']' {
					break
				}
			}
		default:
			return nil, fmt.Errorf("table %s row %d is not an array", name, ri)
		}
		if values != len(vecs) {
			return nil, fmt.Errorf("table %s row %d has %d values for %d columns", name, ri, values, len(vecs))
		}
		s.ws()
		c := s.b[s.i]
		s.i++
		if c == ']' {
			return t, nil
		}
	}
}

// appendCell converts one raw JSON value and appends it to v. The common cases (strings,
// numbers, datetimes, guids) are appended directly; everything else goes through
// convert, exactly as values decoded into interface{} did.
func appendCell(v *table.Vector, raw []byte) error {
	switch c := raw[0]; {
	case c == 'n':
		return v.Append(nil)
	case c == '"':
		if str, ok := unquote(raw); ok {
			switch v.Type {
			case table.TypeString:
				v.Strs = append(v.Strs, str)
				return nil
			case table.TypeDateTime:
				if str == "" {
					return v.Append(nil)
				}
				d, err := parseDateTime(str)
				if err != nil {
					return err
				}
				v.Ints = append(v.Ints, int64(d))
				return nil
			case table.TypeGUID:
				if str == "" {
					return v.Append(nil)
				}
				v.Strs = append(v.Strs, strings.ToLower(str))
				return nil
			}
		}
	case c == '-' || (c >= '0' && c <= '9'):
		switch v.Type {
		case table.TypeLong, table.TypeInt:
			i, err := parseInteger(string(raw))
			if err != nil {
				return fmt.Errorf("%s %q: %w", v.Type, raw, err)
			}
			if v.Type == table.TypeInt && (i < math.MinInt32 || i > math.MaxInt32) {
				return fmt.Errorf("int %d out of range", i)
			}
			v.Ints = append(v.Ints, i)
			return nil
		case table.TypeReal:
			f, err := strconv.ParseFloat(string(raw), 64)
			if err != nil {
				return fmt.Errorf("real %q", raw)
			}
			v.Reals = append(v.Reals, f)
			return nil
		}
	}
	x, err := rawValue(raw)
	if err != nil {
		return err
	}
	val, err := convert(v.Type, x)
	if err != nil {
		return err
	}
	return v.Append(val)
}

// rawValue is what a UseNumber decode into interface{} makes of raw.
func rawValue(raw []byte) (any, error) {
	switch c := raw[0]; {
	case c == 'n':
		return nil, nil
	case c == 't':
		return true, nil
	case c == 'f':
		return false, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return json.Number(raw), nil
	case c == '"':
		if str, ok := unquote(raw); ok {
			return str, nil
		}
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return nil, err
		}
		return str, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	return x, nil
}

// rowScanner walks JSON that is known to be valid.
type rowScanner struct {
	b []byte
	i int
}

func (s *rowScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value returns the next value's bytes and moves past it.
func (s *rowScanner) value() []byte {
	s.ws()
	start := s.i
	switch c := s.b[s.i]; c {
	case '"':
		s.i = stringEnd(s.b, s.i)
	case '{', '[':
		depth := 0
		for {
			switch s.b[s.i] {
			case '"':
				s.i = stringEnd(s.b, s.i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			s.i++
			if depth == 0 {
				break
			}
		}
	default: // number, true, false, null
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', ']', '}', ' ', '\t', '\n', '\r':
				return s.b[start:s.i]
			}
			s.i++
		}
	}
	return s.b[start:s.i]
}

// count returns how many elements the array at s.i has, without moving s.
func (s rowScanner) count() int {
	s.i++ // [
	s.ws()
	if s.b[s.i] == ']' {
		return 0
	}
	n := 0
	for {
		s.value()
		n++
		s.ws()
		c := s.b[s.i]
		s.i++
		if c == ']' {
			return n
		}
	}
}

// stringEnd returns the index just past the string that starts at b[i] ('"').
func stringEnd(b []byte, i int) int {
	for i++; ; i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
}

// unquote decodes a JSON string literal (quotes included) as encoding/json does. ok is
// false for text that is not valid UTF-8, which the caller leaves to encoding/json (it
// replaces bad bytes with U+FFFD).
func unquote(raw []byte) (string, bool) {
	inner := raw[1 : len(raw)-1]
	if !utf8.Valid(inner) {
		return "", false
	}
	esc := bytes.IndexByte(inner, '\\')
	if esc < 0 {
		return string(inner), true
	}
	var b strings.Builder
	b.Grow(len(inner))
	b.Write(inner[:esc])
	for i := esc; i < len(inner); i++ {
		if inner[i] != '\\' {
			// Copy the run up to the next escape in one go.
			j := bytes.IndexByte(inner[i:], '\\')
			if j < 0 {
				b.Write(inner[i:])
				break
			}
			b.Write(inner[i : i+j])
			i += j
		}
		i++
		switch inner[i] {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r := hex4(inner[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 < len(inner) && inner[i+1] == '\\' && inner[i+2] == 'u' {
					r2 = hex4(inner[i+3 : i+7])
				}
				if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
					r = d
					i += 6
				} else {
					r = unicode.ReplacementChar
				}
			}
			b.WriteRune(r)
		default: // " \ /
			b.WriteByte(inner[i])
		}
	}
	return b.String(), true
}

// hex4 reads four hex digits (valid JSON guarantees them).
func hex4(h []byte) rune {
	var r rune
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
