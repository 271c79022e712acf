package magic

import (
	"strings"
	"unicode/utf8"
)

// A light KQL scanner: enough to tell strings, comments and brackets apart for
// is_complete, statement splitting, let detection and completion context, and robust on
// any input (it never fails). The full parser (kql/syntax) judges validity.

type tokKind uint8

const (
	tIdent tokKind = iota
	tNumber
	tString
	tPunct
)

type tok struct {
	kind         tokKind
	pos, end     int // byte offsets
	text         string
	unterminated bool
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || '0' <= c && c <= '9'
}

// scan splits src into tokens, skipping spaces and // comments. Operator words such as
// project-away and mv-expand come out as one identifier.
func scan(src string) []tok {
	var out []tok
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				i = len(src)
			} else {
				i += j + 1
			}
		case strings.HasPrefix(src[i:], "```") || strings.HasPrefix(src[i:], "~~~"):
			fence := src[i : i+3]
			j := strings.Index(src[i+3:], fence)
			if j < 0 {
				out = append(out, tok{tString, i, len(src), src[i:], true})
				i = len(src)
			} else {
				out = append(out, tok{tString, i, i + 3 + j + 3, src[i : i+j+6], false})
				i += j + 6
			}
		case c == '\'' || c == '"':
			end, ok := scanQuoted(src, i, false)
			out = append(out, tok{tString, i, end, src[i:end], !ok})
			i = end
		case (c == '@' || c == 'h' || c == 'H') && i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '"'):
			end, ok := scanQuoted(src, i+1, c == '@')
			out = append(out, tok{tString, i, end, src[i:end], !ok})
			i = end
		case (c == 'h' || c == 'H') && i+2 < len(src) && src[i+1] == '@' && (src[i+2] == '\'' || src[i+2] == '"'):
			end, ok := scanQuoted(src, i+2, true)
			out = append(out, tok{tString, i, end, src[i:end], !ok})
			i = end
		case isIdentStart(c):
			j := i + 1
			for j < len(src) {
				if isIdentPart(src[j]) {
					j++
					continue
				}
				// Hyphenated operator names: project-away, mv-expand, make-series ...
				if src[j] == '-' && j+1 < len(src) && isIdentStart(src[j+1]) && hyphenated(src[i:j]) {
					j++
					continue
				}
				break
			}
			out = append(out, tok{tIdent, i, j, src[i:j], false})
			i = j
		case '0' <= c && c <= '9':
			j := i + 1
			for j < len(src) && (isIdentPart(src[j]) || src[j] == '.' && j+1 < len(src) && src[j+1] != '.') {
				j++
			}
			out = append(out, tok{tNumber, i, j, src[i:j], false})
			i = j
		default:
			_, n := utf8.DecodeRuneInString(src[i:])
			out = append(out, tok{tPunct, i, i + n, src[i : i+n], false})
			i += n
		}
	}
	return out
}

// hyphenated reports whether word can start a hyphenated operator name.
func hyphenated(word string) bool {
	switch word {
	case "project", "mv", "make", "parse", "top", "sample", "assert", "project-keep", "project-away", "project-rename", "project-reorder", "mv-apply", "mv-expand":
		return true
	}
	return false
}

// scanQuoted scans a quoted string starting at src[i] (the quote). Verbatim strings
// (@'...') have no escapes; a doubled quote stands for one. It returns the end offset and
// whether the string was closed on the same line (KQL strings don't span lines).
func scanQuoted(src string, i int, verbatim bool) (int, bool) {
	q := src[i]
	j := i + 1
	for j < len(src) {
		c := src[j]
		switch {
		case c == '\n':
			return j, false
		case c == '\\' && !verbatim:
			j += 2
			continue
		case c == q:
			if verbatim && j+1 < len(src) && src[j+1] == q {
				j += 2
				continue
			}
			return j + 1, true
		}
		j++
	}
	return len(src), false
}

// bracketState reports the innermost unclosed brackets and whether a closing bracket
// was unmatched.
func bracketState(toks []tok) (open []tok, unmatched *tok) {
	for idx := range toks {
		t := toks[idx]
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			open = append(open, t)
		case ")", "]", "}":
			want := map[string]string{")": "(", "]": "[", "}": "{"}[t.text]
			if len(open) == 0 || open[len(open)-1].text != want {
				if unmatched == nil {
					u := t
					unmatched = &u
				}
				continue
			}
			open = open[:len(open)-1]
		}
	}
	return open, unmatched
}

// splitStatements splits src at top-level ';' (outside strings, comments and brackets)
// and returns each statement's byte range (trailing empty statements dropped).
func splitStatements(src string) [][2]int {
	toks := scan(src)
	var out [][2]int
	depth := 0
	start := 0
	for _, t := range toks {
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth > 0 {
				depth--
			}
		case ";":
			if depth == 0 {
				out = append(out, [2]int{start, t.pos})
				start = t.end
			}
		}
	}
	out = append(out, [2]int{start, len(src)})
	// Drop statements that are empty or only comments.
	kept := out[:0]
	for _, r := range out {
		if len(scan(src[r[0]:r[1]])) > 0 {
			kept = append(kept, r)
		}
	}
	return kept
}

// letStatement returns the name bound by a statement `let Name = ...`, if it is one.
func letStatement(stmt string) (string, bool) {
	toks := scan(stmt)
	if len(toks) >= 3 && toks[0].kind == tIdent && toks[0].text == "let" && toks[1].kind == tIdent && toks[2].text == "=" {
		return toks[1].text, true
	}
	// let ['name with space'] = ...
	if len(toks) >= 5 && toks[0].text == "let" && toks[1].text == "[" && toks[2].kind == tString && toks[3].text == "]" && toks[4].text == "=" {
		return strings.Trim(toks[2].text, `'"@`), true
	}
	return "", false
}

// onlyLets reports whether src is one or more let statements and nothing else, and
// returns them (name, text without the trailing ';').
func onlyLets(src string) ([]param, bool) {
	stmts := splitStatements(src)
	if len(stmts) == 0 {
		return nil, false
	}
	var out []param
	for _, r := range stmts {
		text := strings.TrimSpace(src[r[0]:r[1]])
		name, ok := letStatement(text)
		if !ok {
			return nil, false
		}
		out = append(out, param{name: name, text: text})
	}
	return out, true
}

// mentions reports whether src uses name as an identifier (outside strings and comments).
func mentions(src, name string) bool {
	if !strings.Contains(src, name) {
		return false
	}
	for _, t := range scan(src) {
		if t.kind == tIdent && t.text == name {
			return true
		}
		if t.kind == tString && (t.text == "'"+name+"'" || t.text == `"`+name+`"`) {
			// ['Name'] bracketed identifiers
			return true
		}
	}
	return false
}
