package syntax

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// typeAliases maps every spelling of a scalar type to its canonical name.
var typeAliases = map[string]Type{
	"bool": TypeBool, "boolean": TypeBool,
	"int": TypeInt, "int32": TypeInt,
	"long": TypeLong, "int64": TypeLong,
	"real": TypeReal, "double": TypeReal,
	"decimal":  TypeDecimal,
	"string":   TypeString,
	"datetime": TypeDatetime, "date": TypeDatetime,
	"timespan": TypeTimespan, "time": TypeTimespan,
	"guid": TypeGuid, "uuid": TypeGuid, "uniqueid": TypeGuid,
	"dynamic": TypeDynamic,
}

// CanonicalType returns the canonical name of a scalar type spelling (`int64` ->
// long, `double` -> real, `date` -> datetime, ...).
func CanonicalType(name string) (Type, bool) {
	t, ok := typeAliases[name]
	return t, ok
}

func typeHint(name string) string {
	cands := make([]string, 0, len(typeAliases))
	for k := range typeAliases {
		cands = append(cands, k)
	}
	if s := closest(name, cands); s != "" {
		return "did you mean '" + s + "'?"
	}
	return "types are bool, int, long, real, decimal, string, datetime, timespan, guid, dynamic"
}

// literalTypes are the names that, followed by '(', form a typed literal.
var literalTypes = func() map[string]Type {
	m := map[string]Type{}
	for k, v := range typeAliases {
		if v != TypeString {
			m[k] = v
		}
	}
	return m
}()

// parseTypedLiteral parses `type(value)`: datetime(...), timespan(...), guid(...),
// int(...), long(...), real(...), decimal(...), bool(...), dynamic(...). The official
// parser accepts any balanced text inside the parentheses (except for dynamic), so a
// value that does not decode is not a syntax error: Literal.Invalid says why and the
// binder reports it.
func (p *parser) parseTypedLiteral() Expr {
	t := p.tok()
	typ := literalTypes[t.Text]
	start := t.Pos
	p.next()
	lit := p.newLiteral(Literal{Type: typ})
	if typ == TypeDynamic {
		open := p.tok().Pos
		p.next()
		if p.is(")") {
			p.errExpected("a dynamic value")
		} else {
			v, ok := p.parseDynamicValue()
			if ok {
				lit.Value = v
				lit.Null = v == nil
			} else {
				p.skipDynamic()
			}
		}
		p.expectClose(")", open, "(")
		lit.Span = span(p, start)
		lit.Raw = p.src[start:p.prevEnd()]
		return lit
	}
	p.errExpected("a literal value")
	lit.Span = span(p, start)
	return lit
}

// typedLiteral decodes a TYPED token (`datetime(2024-01-01)`, `int(null)`).
func (p *parser) typedLiteral() Expr {
	t := p.tok()
	p.next()
	name := t.Text[:strings.IndexByte(t.Text, '(')]
	typ := literalTypes[name]
	lit := p.newLiteral(Literal{Span: Span{t.Pos, t.End}, Type: typ, Raw: t.Text})
	raw := t.Val
	text := strings.TrimSpace(raw)
	if text == "null" {
		lit.Null = true
		return lit
	}
	v, good := decodeLiteral(typ, text)
	if !good {
		lit.Invalid = "invalid " + string(typ) + " literal '" + clip(text) + "'; " + literalHint(typ)
		return lit
	}
	lit.Value = v
	return lit
}

// decodeLiteral decodes the text inside `type(...)`.
func decodeLiteral(typ Type, text string) (any, bool) {
	switch typ {
	case TypeDatetime:
		return ParseDatetime(text)
	case TypeTimespan:
		return ParseTimespan(text)
	case TypeGuid:
		return parseGuid(text)
	case TypeBool:
		switch strings.ToLower(text) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
		return nil, false
	case TypeReal:
		switch strings.ToLower(strings.ReplaceAll(text, " ", "")) {
		case "nan":
			return math.NaN(), true
		case "inf", "+inf":
			return math.Inf(1), true
		case "-inf":
			return math.Inf(-1), true
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(text, " ", ""), 64)
		return v, err == nil
	case TypeDecimal:
		t := strings.ReplaceAll(text, " ", "")
		if _, ok := new(big.Float).SetString(t); !ok {
			return nil, false
		}
		return t, true
	case TypeInt, TypeLong:
		t := strings.ReplaceAll(text, " ", "")
		neg := strings.HasPrefix(t, "-")
		t = strings.TrimLeft(t, "+-")
		var v int64
		if strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X") {
			u, err := strconv.ParseUint(t[2:], 16, 64)
			if err != nil {
				return nil, false
			}
			v = int64(u)
			if typ == TypeInt {
				v = int64(int32(uint32(u)))
			}
		} else {
			var err error
			v, err = strconv.ParseInt(t, 10, 64)
			if err != nil {
				return nil, false
			}
		}
		if neg {
			v = -v
		}
		return v, true
	}
	return nil, false
}

func literalHint(t Type) string {
	switch t {
	case TypeDatetime:
		return "e.g. datetime(2024-01-31), datetime(2024-01-31 13:45:00), datetime(2024-01-31T13:45:00Z); use todatetime() to convert a value"
	case TypeTimespan:
		return "e.g. timespan(1.02:03:04), timespan(30m), 1d; use totimespan() to convert a value"
	case TypeGuid:
		return "e.g. guid(74be27de-1e4e-49d9-b579-fe0b331d3642); use toguid() to convert a value"
	case TypeInt, TypeLong, TypeReal, TypeDecimal, TypeBool:
		return "a typed literal takes a constant or null; use to" + string(t) + "() to convert a value"
	}
	return ""
}

// skipDynamic skips the rest of a broken dynamic literal, up to its ')', so one
// mistake gives one error.
func (p *parser) skipDynamic() {
	level := 0
	for !p.atEOF() {
		t := p.tok()
		if t.Kind == PUNCT {
			switch t.Text {
			case "(", "[", "{":
				level++
			case "]", "}":
				if level > 0 {
					level--
				}
			case ")":
				if level == 0 {
					return
				}
				level--
			case "|", ";":
				if level == 0 {
					return
				}
			}
		}
		p.next()
	}
}

// parseDynamicValue parses the JSON-like content of dynamic(...).
func (p *parser) parseDynamicValue() (any, bool) {
	if !p.enter() {
		p.leave()
		return nil, false
	}
	defer p.leave()
	t := p.tok()
	switch {
	case p.is("["):
		p.next()
		arr := []any{}
		for !p.is("]") && !p.atEOF() {
			v, ok := p.parseDynamicValue()
			if !ok {
				return nil, false
			}
			arr = append(arr, v)
			if !p.got(",") {
				break
			}
			if p.is("]") {
				p.errExpected("a value after ','")
				return nil, false
			}
		}
		if p.expectClose("]", t.Pos, "[") < 0 {
			return nil, false
		}
		return arr, true
	case p.is("{"):
		p.next()
		obj := map[string]any{}
		for !p.is("}") && !p.atEOF() {
			k := p.tok()
			var key string
			if k.Kind != STRING {
				p.errExpected("a property name in quotes")
				return nil, false
			}
			key = k.Val
			if k.Err != "" {
				p.errorAt(k.Pos, k.End-k.Pos, k.Err, "")
			}
			p.next()
			if p.expect(":") < 0 {
				return nil, false
			}
			v, ok := p.parseDynamicValue()
			if !ok {
				return nil, false
			}
			obj[key] = v
			if !p.got(",") {
				break
			}
			if p.is("}") {
				p.errExpected("a property after ','")
				return nil, false
			}
		}
		if p.expectClose("}", t.Pos, "{") < 0 {
			return nil, false
		}
		return obj, true
	case t.Kind == STRING:
		lit := p.stringLiteral().(*Literal) // adjacent strings concatenate here too
		return lit.Value, true
	case t.Kind == IDENT && t.Text == "dynamic" && p.isAt(1, "("):
		if l, ok := p.parseTypedLiteral().(*Literal); ok {
			return l.Value, true
		}
	case t.Kind == TYPED:
		if l, ok := p.typedLiteral().(*Literal); ok {
			return l.Value, true
		}
	case t.Kind == IDENT && t.Text == "null":
		p.next()
		return nil, true
	case t.Kind == IDENT && (t.Text == "true" || t.Text == "false"):
		p.next()
		return t.Text == "true", true
	case t.Kind == INT || t.Kind == REAL || t.Kind == TIMESPAN || t.Kind == PUNCT && (t.Text == "-" || t.Text == "+"):
		if t.Kind == PUNCT {
			// one sign only
			if n := p.peek(1); n.Kind != INT && n.Kind != REAL && n.Kind != TIMESPAN {
				p.next()
				p.errExpected("a number after '" + t.Text + "'")
				return nil, false
			}
		}
		x := p.parseUnary()
		if l, ok := foldSign(x); ok {
			return l.Value, true
		}
		p.errorAt(t.Pos, 0, "expected a constant in dynamic literal", "")
		return nil, false
	}
	p.errExpected("a dynamic value (JSON-like constant)")
	return nil, false
}

// FoldSign returns the literal of a constant written with signs (`-5`, `+1.5`, `--1`
// is not valid KQL but is folded too), or the literal itself; ok is false for anything
// else. The parser keeps `-5` as UnaryExpr{-, Literal 5}, as written.
func FoldSign(x Expr) (*Literal, bool) { return foldSign(x) }

// foldSign turns `-5`/`+1.5` into a literal value.
func foldSign(x Expr) (*Literal, bool) {
	switch e := x.(type) {
	case *Literal:
		return e, true
	case *UnaryExpr:
		l, ok := foldSign(e.X)
		if !ok {
			return nil, false
		}
		if e.Op == "+" {
			return l, true
		}
		n := *l
		switch v := l.Value.(type) {
		case int64:
			n.Value = -v
		case float64:
			n.Value = -v
		default:
			return nil, false
		}
		return &n, true
	}
	return nil, false
}

// parseTimespanUnits decodes a literal like 1d, 1.5h, 30m, 100ms, 1tick into ticks.
func parseTimespanUnits(text string) (int64, bool) {
	i := 0
	for i < len(text) && (isDigit(text[i]) || text[i] == '.') {
		i++
	}
	mult, ok := timespanUnits[strings.ToLower(text[i:])]
	if !ok {
		return 0, false
	}
	num := text[:i]
	if !strings.Contains(num, ".") {
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return 0, false
		}
		if mult >= 1 {
			m := int64(mult)
			if n != 0 && (n*m)/m != n {
				return 0, false
			}
			return n * m, true
		}
		return int64(float64(n) * mult), true
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	return int64(math.Round(f * mult)), true
}

// ParseTimespan decodes the text of timespan(...): `[-][d.]hh:mm[:ss[.fffffff]]`, a
// number with a unit (`30m`, `1.5h`), or a plain number of days.
func ParseTimespan(text string) (int64, bool) {
	text = strings.TrimSpace(text)
	neg := false
	if strings.HasPrefix(text, "-") {
		neg = true
		text = strings.TrimSpace(text[1:])
	} else if strings.HasPrefix(text, "+") {
		text = strings.TrimSpace(text[1:])
	}
	var ticks int64
	var ok bool
	switch {
	case strings.Contains(text, ":"):
		ticks, ok = parseClockSpan(text)
	case text != "" && (isDigit(text[0]) || text[0] == '.'):
		j := 0
		for j < len(text) && (isDigit(text[j]) || text[j] == '.') {
			j++
		}
		if j == len(text) {
			f, err := strconv.ParseFloat(text, 64)
			if err != nil {
				return 0, false
			}
			ticks, ok = int64(math.Round(f*864e9)), true
		} else {
			ticks, ok = parseTimespanUnits(text)
		}
	}
	if neg {
		ticks = -ticks
	}
	return ticks, ok
}

// parseClockSpan decodes `[d.]hh:mm[:ss[.fffffff]]`.
func parseClockSpan(text string) (int64, bool) {
	parts := strings.Split(text, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var days int64
	hp := parts[0]
	if i := strings.IndexByte(hp, '.'); i >= 0 {
		d, err := strconv.ParseInt(hp[:i], 10, 64)
		if err != nil {
			return 0, false
		}
		days = d
		hp = hp[i+1:]
	}
	h, err1 := strconv.ParseInt(hp, 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || h > 23 && days != 0 || m > 59 || h < 0 || m < 0 {
		return 0, false
	}
	var secTicks int64
	if len(parts) == 3 {
		sp := parts[2]
		frac := ""
		if i := strings.IndexByte(sp, '.'); i >= 0 {
			frac = sp[i+1:]
			sp = sp[:i]
		}
		s, err := strconv.ParseInt(sp, 10, 64)
		if err != nil || s > 59 || s < 0 || len(frac) > 7 {
			return 0, false
		}
		secTicks = s * 1e7
		if frac != "" {
			f, err := strconv.ParseInt((frac + "0000000")[:7], 10, 64)
			if err != nil {
				return 0, false
			}
			secTicks += f
		}
	}
	return days*864e9 + h*36e9 + m*6e8 + secTicks, true
}

// datetimeLayouts are the formats datetime(...) accepts: ISO 8601 and its sortable
// variants, RFC 822 and RFC 850 (zones are handled by ParseDatetime), and US-style dates.
var datetimeLayouts = []string{
	"2006-01-02T15:04:05.9999999Z07:00",
	"2006-01-02T15:04:05.9999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02T15",
	"2006-01-02 15:04:05.9999999Z07:00",
	"2006-01-02 15:04:05.9999999",
	"2006-01-02 15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02 15",
	"2006-01-02Z07:00",
	"2006-01-02",
	"2006-01",
	"2006",
	"20060102",
	"20060102T150405",
	"20060102 150405",
	// RFC 822 (with or without the weekday, 2- or 4-digit years)
	"Mon, 2 Jan 06 15:04:05",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 2 Jan 06 15:04",
	"Mon, 2 Jan 2006 15:04",
	"2 Jan 06 15:04:05",
	"2 Jan 2006 15:04:05",
	"2 Jan 06 15:04",
	"2 Jan 2006 15:04",
	// RFC 850
	"Monday, 02-Jan-06 15:04:05",
	"Monday, 02-Jan-06 15:04",
	"Monday, 02-Jan-2006 15:04:05",
	"02-Jan-06 15:04:05",
	"02-Jan-06 15:04",
	// single-digit months and days, US style, and others the service reads
	"2006-1-2",
	"2006-1-2 15:04",
	"2006-1-2 15:04:05.9999999",
	"2006-1-2T15:04:05.9999999Z07:00",
	"2006-1-2T15:04:05.9999999",
	"1-2-2006",
	"1-2-2006 15:04",
	"1-2-2006 15:04:05.9999999",
	"1/2/2006",
	"1/2/2006 15:04",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04:05.9999999",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"2006/01/02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04:05.9999999",
	"2 January 2006",
	"January 2, 2006",
	"Jan 2, 2006",
}

// isoLayouts are tried first for text shaped like yyyy-mm-dd...
var isoLayouts = []string{"2006-01-02T15:04:05.9999999Z07:00", "2006-01-02 15:04:05.9999999", "2006-01-02", "2006-01-02T15:04:05.9999999"}

// zoneOffsets are the RFC 822 zone names, in seconds east of UTC.
var zoneOffsets = map[string]int{
	"Z": 0, "UT": 0, "UTC": 0, "GMT": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
}

// ParseDatetime decodes the text of datetime(...) to UTC: ISO 8601 (`Z`, `+hh:mm`),
// RFC 822/850 with zone names (GMT, EST, ...) or numeric zones (+0200), US-style dates.
func ParseDatetime(text string) (time.Time, bool) {
	t := strings.TrimSpace(text)
	// the service also reads datetime("2015-01-01"), datetime(2017 - 08 - 01) and
	// datetime(2025, 6, 14)
	if len(t) >= 2 && (t[0] == '"' || t[0] == '\'') && t[len(t)-1] == t[0] {
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	if v, ok := commaDate(t); ok {
		return v, true
	}
	if strings.Contains(t, " -") || strings.Contains(t, "- ") {
		t = spacedDashes.ReplaceAllString(t, "$1-$2")
	}
	if t == "" {
		return time.Time{}, false
	}
	offset := 0
	// a trailing zone word or numeric zone after a space (RFC 822 style)
	if i := strings.LastIndexByte(t, ' '); i > 0 {
		z := t[i+1:]
		if off, ok := zoneOffsets[strings.ToUpper(z)]; ok {
			offset, t = off, strings.TrimSpace(t[:i])
		} else if len(z) == 5 && (z[0] == '+' || z[0] == '-') && isAllDigits(z[1:]) {
			h, _ := strconv.Atoi(z[1:3])
			m, _ := strconv.Atoi(z[3:])
			offset = h*3600 + m*60
			if z[0] == '-' {
				offset = -offset
			}
			t = strings.TrimSpace(t[:i])
		}
	}
	if strings.HasSuffix(t, "z") {
		t = t[:len(t)-1] + "Z"
	}
	// the common ISO forms first, without trying every layout
	if len(t) >= 10 && t[4] == '-' && t[7] == '-' {
		for _, l := range isoLayouts {
			if v, err := time.Parse(l, t); err == nil {
				return v.UTC().Add(-time.Duration(offset) * time.Second), true
			}
		}
	}
	if v, ok := tryLayouts(t); ok {
		return v.Add(-time.Duration(offset) * time.Second), true
	}
	if strings.HasSuffix(t, "Z") {
		if v, ok := tryLayouts(t[:len(t)-1]); ok {
			return v.Add(-time.Duration(offset) * time.Second), true
		}
	}
	return time.Time{}, false
}

var spacedDashes = regexp.MustCompile(`(\d)\s*-\s*(\d)`)

// commaDate reads the `year, month, day[, hour, minute, second]` form.
func commaDate(t string) (time.Time, bool) {
	if !strings.Contains(t, ",") {
		return time.Time{}, false
	}
	parts := strings.Split(t, ",")
	if len(parts) < 3 || len(parts) > 6 {
		return time.Time{}, false
	}
	var n [6]int
	for i, f := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 0 {
			return time.Time{}, false
		}
		n[i] = v
	}
	if n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 || n[3] > 23 || n[4] > 59 || n[5] > 59 {
		return time.Time{}, false
	}
	return time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC), true
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func tryLayouts(t string) (time.Time, bool) {
	for _, l := range datetimeLayouts {
		if v, err := time.Parse(l, t); err == nil {
			return v.UTC(), true
		}
	}
	return time.Time{}, false
}

func parseGuid(text string) (string, bool) {
	s := strings.ToLower(text)
	if len(s) == 32 && isHex(s) {
		s = s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
	}
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return "", false
			}
		} else if hexVal(s[i]) < 0 {
			return "", false
		}
	}
	return s, true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if hexVal(s[i]) < 0 {
			return false
		}
	}
	return true
}
