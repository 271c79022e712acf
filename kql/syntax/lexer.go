package syntax

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind classifies a token.
type TokenKind uint8

// Token kinds.
const (
	EOF      TokenKind = iota
	IDENT              // a name or keyword (also `!has`-style operators and `in~`)
	INT                // 123, 0x1F
	REAL               // 1.5, 1e3
	STRING             // any string literal form; Val holds the decoded text
	TIMESPAN           // 1d, 30m, 1.5h, 100ms, 1tick
	PUNCT              // operators and punctuation: | ( ) [ ] { } , ; . = == ...
	BAD                // an invalid character or unterminated literal
	TYPED              // a typed literal `datetime(...)`, `int(...)`: Text is all of it, Val the inside
)

// Token is one lexical token. Text is the source text; Val the decoded string value
// of a STRING token.
type Token struct {
	Kind TokenKind
	Pos  int
	End  int
	Text string
	Val  string
	Err  string // for BAD, and for STRING with a bad escape

	flags wordFlag // what kind of keyword an IDENT is, looked up once when lexed
}

// wordFlag classifies identifiers, so the parser tests bits instead of maps.
type wordFlag uint16

const (
	wReserved   wordFlag = 1 << iota // never a plain name (reservedAlways)
	wReservedEx                      // a name only when declared (reservedExceptDecl)
	wNotDecl                         // usable as a name but not declared (notDeclNames)
	wStringOp                        // a binary string operator (has, !contains, ...)
	wLiteral                         // a typed-literal type name (datetime, int, ...)
	wSourceOp                        // an operator that can start a query (print, union, ...)
)

// wordFlags is filled once in init from the keyword tables and never changed.
var wordFlags map[string]wordFlag

func init() {
	wordFlags = map[string]wordFlag{}
	set := func(m map[string]bool, f wordFlag) {
		for k, v := range m {
			if v {
				wordFlags[k] |= f
			}
		}
	}
	set(reservedAlways, wReserved)
	set(reservedExceptDecl, wReservedEx)
	set(notDeclNames, wNotDecl)
	set(stringOps, wStringOp)
	set(sourceOps, wSourceOp)
	for k := range literalTypes {
		wordFlags[k] |= wLiteral
	}
}

// is reports whether an IDENT token has any of the flags.
func (t *Token) is(f wordFlag) bool { return t.flags&f != 0 }

// Lex splits src into tokens (without comments or whitespace), ending with an EOF
// token. It never fails: invalid input becomes BAD tokens.
func Lex(src string) []Token {
	lx := lexer{src: src}
	toks := make([]Token, 0, len(src)/4+2)
	for {
		t := lx.next()
		toks = append(toks, t)
		if t.Kind == EOF {
			return toks
		}
	}
}

type lexer struct {
	src string
	pos int
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || '0' <= c && c <= '9'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (lx *lexer) skipSpace() {
	src := lx.src
	for lx.pos < len(src) {
		c := src[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
		case c == '/' && lx.pos+1 < len(src) && src[lx.pos+1] == '/':
			i := strings.IndexByte(src[lx.pos:], '\n')
			if i < 0 {
				lx.pos = len(src)
			} else {
				lx.pos += i + 1
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(src[lx.pos:])
			// zero-width and other format characters (U+200B, BOM) are blanks too, as
			// for the official lexer
			if r != utf8.RuneError && (unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)) {
				lx.pos += n
				continue
			}
			return
		default:
			return
		}
	}
}

func (lx *lexer) next() Token {
	lx.skipSpace()
	src := lx.src
	start := lx.pos
	if start >= len(src) {
		return Token{Kind: EOF, Pos: start, End: start}
	}
	c := src[start]
	switch {
	case c == '\'' || c == '"':
		return lx.quoted(start, start, false)
	case c == '`' && strings.HasPrefix(src[start:], "```"):
		return lx.multiline(start, "```")
	case c == '~' && strings.HasPrefix(src[start:], "~~~"):
		return lx.multiline(start, "~~~")
	case c == '@' && start+1 < len(src) && (src[start+1] == '\'' || src[start+1] == '"'):
		return lx.quoted(start, start+1, true)
	case (c == 'h' || c == 'H') && start+1 < len(src) && (src[start+1] == '\'' || src[start+1] == '"'):
		return lx.quoted(start, start+1, false)
	case (c == 'h' || c == 'H') && start+2 < len(src) && src[start+1] == '@' && (src[start+2] == '\'' || src[start+2] == '"'):
		return lx.quoted(start, start+2, true)
	case isDigit(c):
		return lx.number(start)
	case c == '!' && start+1 < len(src) && isIdentStart(src[start+1]) && src[start+1] < utf8.RuneSelf:
		// `!has`, `!contains_cs`, `!in~`, `!between`: one negated-operator token.
		lx.pos = start + 1
		for lx.pos < len(src) && isIdentChar(src[lx.pos]) {
			lx.pos++
		}
		lx.tilde()
		return Token{Kind: IDENT, Pos: start, End: lx.pos, Text: src[start:lx.pos], flags: wordFlags[src[start:lx.pos]]}
	case isIdentStart(c):
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(src[start:])
			if r == utf8.RuneError && n <= 1 {
				lx.pos = start + 1
				return Token{Kind: BAD, Pos: start, End: lx.pos, Text: src[start:lx.pos], Err: "invalid UTF-8 byte"}
			}
			if !unicode.IsLetter(r) {
				lx.pos = start + n
				return Token{Kind: BAD, Pos: start, End: lx.pos, Text: src[start:lx.pos], Err: "unexpected character " + quoteRune(r)}
			}
		}
		lx.pos = start + 1
		for lx.pos < len(src) {
			b := src[lx.pos]
			if b < utf8.RuneSelf {
				if !isIdentChar(b) {
					break
				}
				lx.pos++
				continue
			}
			r, n := utf8.DecodeRuneInString(src[lx.pos:])
			if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
				break
			}
			lx.pos += n
		}
		if lx.pos-start == 2 && src[start:lx.pos] == "in" {
			lx.tilde()
		}
		if lx.pos < len(src) && (src[lx.pos] == '-' || src[lx.pos] == '.') {
			for _, c := range compoundKeywords[src[start:lx.pos]] {
				e := start + len(c)
				if strings.HasPrefix(src[start:], c) && (e == len(src) || !isIdentChar(src[e])) {
					lx.pos = e
					break
				}
			}
		}
		word := src[start:lx.pos]
		if lx.pos < len(src) && src[lx.pos] == '(' && word != "dynamic" && rawLiteralTypes[word] {
			// Like the official lexer: `datetime(...)` up to the first ')' is one token,
			// whatever is inside (it is decoded, or reported, by the parser).
			// the value ends at the first ')', which must be on the same line
			close := strings.IndexAny(src[lx.pos+1:], ")\n")
			if close < 0 || src[lx.pos+1+close] != ')' {
				end := len(src)
				if close >= 0 {
					end = lx.pos + 1 + close
				}
				lx.pos = end
				return Token{Kind: BAD, Pos: start, End: end, Text: src[start:end], Err: "missing ')' to close '" + word + "('"}
			}
			close++
			inner := src[lx.pos+1 : lx.pos+close]
			lx.pos += close + 1
			return Token{Kind: TYPED, Pos: start, End: lx.pos, Text: src[start:lx.pos], Val: inner}
		}
		return Token{Kind: IDENT, Pos: start, End: lx.pos, Text: word, flags: wordFlags[word]}
	}
	if c == '@' && (start+1 >= len(src) || !isIdentChar(src[start+1])) {
		// a lone '@' is an (empty) name to the official parser
		lx.pos = start + 1
		return Token{Kind: IDENT, Pos: start, End: lx.pos, Text: "@"}
	}
	if start+1 < len(src) {
		switch two := src[start : start+2]; two {
		case "==", "!=", "<>", "<=", ">=", "=~", "!~", "=>", "..":
			lx.pos = start + 2
			return Token{Kind: PUNCT, Pos: start, End: lx.pos, Text: two}
		}
	}
	switch c {
	case '|', '(', ')', '[', ']', '{', '}', ',', ';', '.', '=', '<', '>', '+', '-', '*', '/', '%', ':', '?', '!', '@', '~':
		lx.pos = start + 1
		return Token{Kind: PUNCT, Pos: start, End: lx.pos, Text: src[start:lx.pos]}
	}
	r, n := utf8.DecodeRuneInString(src[start:])
	lx.pos = start + n
	msg := "unexpected character " + quoteRune(r)
	if r == utf8.RuneError && n <= 1 {
		msg = "invalid UTF-8 byte"
	}
	return Token{Kind: BAD, Pos: start, End: lx.pos, Text: src[start:lx.pos], Err: msg}
}

func quoteRune(r rune) string {
	if r == '\'' {
		return `"'"`
	}
	return "'" + string(r) + "'"
}

// tilde extends `in`/`!in` to `in~`/`!in~`.
func (lx *lexer) tilde() {
	if lx.pos < len(lx.src) && lx.src[lx.pos] == '~' {
		lx.pos++
	}
}

// rawLiteralTypes are the type names whose literal form `type(...)` is lexed raw.
var rawLiteralTypes = map[string]bool{
	"bool": true, "boolean": true, "int": true, "int32": true, "long": true, "int64": true,
	"real": true, "double": true, "decimal": true, "datetime": true, "date": true,
	"timespan": true, "time": true, "guid": true, "uuid": true, "uniqueid": true,
}

// compoundKeywords are the keywords with '-' or '.' inside, by their first word. Like
// the official lexer, we read them as one token wherever they appear, so
// `make-series` is never a subtraction.
var compoundKeywords = func() map[string][]string {
	m := map[string][]string{}
	for _, k := range []string{"assert-schema", "commands-and-queries", "granny-asc", "granny-desc",
		"graph-match", "graph-shortest-paths", "graph-to-table", "graph-mark-components",
		"graph-where-nodes", "graph-where-edges", "graph-merge", "hint.concurrency", "hint.distribution",
		"hint.materialized", "hint.num_partitions", "hint.shufflekey", "hint.spread", "hint.remote",
		"hint.strategy", "hint.progressive_top", "macro-expand", "make-graph", "make-series",
		"materialized-view-combine", "materialized-views", "mv-apply", "mv-expand", "parse-where",
		"parse-kv", "partitioned-by", "project-away", "project-by-names", "project-keep",
		"project-rename", "project-reorder", "project-smart", "sample-distinct", "set-or-append",
		"set-or-replace", "top-hitters", "top-nested", "execute-and-cache"} {
		first := k[:strings.IndexAny(k, "-.")]
		m[first] = append(m[first], k)
	}
	// longest first, so graph-where-nodes wins over a shorter prefix
	for _, l := range m {
		sort.Slice(l, func(i, j int) bool { return len(l[i]) > len(l[j]) })
	}
	return m
}()

// timespanUnits are the suffixes of timespan literals with their length in ticks.
var timespanUnits = map[string]float64{
	"d": 864e9, "day": 864e9, "days": 864e9,
	"h": 36e9, "hr": 36e9, "hrs": 36e9, "hour": 36e9, "hours": 36e9,
	"m": 6e8, "min": 6e8, "minute": 6e8, "minutes": 6e8,
	"s": 1e7, "sec": 1e7, "second": 1e7, "seconds": 1e7,
	"ms": 1e4, "milli": 1e4, "millis": 1e4, "millisecond": 1e4, "milliseconds": 1e4,
	"microsecond": 10, "microseconds": 10,
	"tick": 1, "ticks": 1,
	"nanosecond": 0.01, "nanoseconds": 0.01,
}

func (lx *lexer) number(start int) Token {
	src := lx.src
	i := start
	kind := INT
	if src[i] == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X') {
		i += 2
		for i < len(src) && (isDigit(src[i]) || 'a' <= src[i]|0x20 && src[i]|0x20 <= 'f') {
			i++
		}
		lx.pos = i
		return Token{Kind: INT, Pos: start, End: i, Text: src[start:i]}
	}
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if i < len(src) && src[i] == '.' && i+1 < len(src) && isDigit(src[i+1]) {
		kind = REAL
		i++
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	} else if i < len(src) && src[i] == '.' && !(i+1 < len(src) && (src[i+1] == '.' || isIdentStart(src[i+1]))) {
		// `1.` is a real
		kind = REAL
		i++
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			kind = REAL
			i = j
		}
	}
	if i < len(src) && isIdentStart(src[i]) && src[i] < utf8.RuneSelf {
		j := i
		for j < len(src) && isIdentChar(src[j]) {
			j++
		}
		if _, ok := timespanUnits[strings.ToLower(src[i:j])]; ok {
			lx.pos = j
			return Token{Kind: TIMESPAN, Pos: start, End: j, Text: src[start:j]}
		}
		// a name that starts with digits (`5h_MovingAvg`): the official lexer reads it
		// as an identifier.
		lx.pos = j
		return Token{Kind: IDENT, Pos: start, End: j, Text: src[start:j], flags: wordFlags[src[start:j]]}
	}
	lx.pos = i
	return Token{Kind: kind, Pos: start, End: i, Text: src[start:i]}
}

// clip shortens s for a message, on a rune boundary, with invalid UTF-8 replaced.
func clip(s string) string {
	if len(s) > 40 {
		n := 40
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "..."
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// quoted lexes '..' or ".." starting with the quote at q; tokStart includes any
// prefix (@, h, h@). Verbatim strings double the quote to escape it; others use '\'.
func (lx *lexer) quoted(tokStart, q int, verbatim bool) Token {
	src := lx.src
	quote := src[q]
	i := q + 1
	var b strings.Builder
	simple := true // no escapes seen: the value is a substring
	segStart := i
	errMsg := ""
	for {
		if i >= len(src) || src[i] == '\n' || src[i] == '\r' {
			lx.pos = i
			return Token{Kind: BAD, Pos: tokStart, End: i, Text: src[tokStart:i],
				Err: "unterminated string literal"}
		}
		c := src[i]
		if c == quote {
			if verbatim && i+1 < len(src) && src[i+1] == quote {
				if simple {
					b.WriteString(src[segStart:i])
					simple = false
				}
				b.WriteByte(quote)
				i += 2
				continue
			}
			break
		}
		if c == '\\' && !verbatim {
			if simple {
				b.WriteString(src[segStart:i])
				simple = false
			}
			if i+1 >= len(src) {
				i++
				continue
			}
			e := src[i+1]
			i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '\'', '"':
				b.WriteByte(e)
			case '0', '1', '2', '3', '4', '5', '6', '7':
				// octal: up to three digits
				v := int(e - '0')
				for k := 0; k < 2 && i < len(src) && src[i] >= '0' && src[i] <= '7'; k++ {
					v = v*8 + int(src[i]-'0')
					i++
				}
				b.WriteRune(rune(v))
			case 'a':
				b.WriteByte('\a')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'v':
				b.WriteByte('\v')
			case 'u', 'x', 'U':
				n := map[byte]int{'u': 4, 'x': 2, 'U': 8}[e]
				if i+n <= len(src) {
					var r rune
					ok := true
					for _, h := range []byte(src[i : i+n]) {
						d := hexVal(h)
						if d < 0 {
							ok = false
							break
						}
						r = r*16 + rune(d)
					}
					if ok {
						b.WriteRune(r)
						i += n
						continue
					}
				}
				errMsg = "invalid escape sequence '\\" + string(e) + "'"
			default:
				errMsg = "invalid escape sequence '\\" + string(e) + "'"
			}
			continue
		}
		if !simple {
			b.WriteByte(c)
		}
		i++
	}
	val := ""
	if simple {
		val = src[segStart:i]
	} else {
		val = b.String()
	}
	lx.pos = i + 1
	return Token{Kind: STRING, Pos: tokStart, End: lx.pos, Text: src[tokStart:lx.pos], Val: val, Err: errMsg}
}

func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (lx *lexer) multiline(start int, fence string) Token {
	i := strings.Index(lx.src[start+3:], fence)
	if i < 0 {
		lx.pos = len(lx.src)
		return Token{Kind: BAD, Pos: start, End: lx.pos, Text: lx.src[start:], Err: "unterminated multi-line string (missing closing " + fence + ")"}
	}
	end := start + 3 + i + 3
	lx.pos = end
	return Token{Kind: STRING, Pos: start, End: end, Text: lx.src[start:end], Val: lx.src[start+3 : end-3]}
}
