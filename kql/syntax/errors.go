package syntax

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is one syntax diagnostic at a byte offset of the source.
type Error struct {
	Offset int    // byte offset where the problem is
	Len    int    // length in bytes of the offending text (0 = a point)
	Msg    string // e.g. "expected ')' to close '(' at 3:14"
	Hint   string // e.g. "did you mean 'summarize'?"; may be empty
}

// Error returns "offset N: message" without line information (use Position or
// FormatError with the source for line:col).
func (e *Error) Error() string {
	if e.Hint != "" {
		return fmt.Sprintf("offset %d: %s; %s", e.Offset, e.Msg, e.Hint)
	}
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}

// ErrorList is the list of diagnostics of one parse, in source order.
type ErrorList []*Error

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error returns the first error and a count of the rest.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Position resolves a byte offset of src to a 1-based line and a 1-based column counted
// in Unicode code points (invalid UTF-8 bytes count as one each). Offsets past the end
// resolve to the end.
func Position(src string, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	if offset < 0 {
		offset = 0
	}
	line = 1 + strings.Count(src[:offset], "\n")
	start := strings.LastIndexByte(src[:offset], '\n') + 1
	col = 1 + utf8.RuneCountInString(src[start:offset])
	return line, col
}

// Offset is the inverse of Position: it returns the byte offset of a 1-based line and
// code-point column, clamped to the line's end and the text's end.
func Offset(src string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(src) && src[off] != '\n'; c++ {
		_, n := utf8.DecodeRuneInString(src[off:])
		off += n
	}
	return off
}

// CodePointOffset converts a byte offset into a count of code points from the start of
// src (the unit of Jupyter cursor positions).
func CodePointOffset(src string, offset int) int {
	if offset > len(src) {
		offset = len(src)
	}
	if offset < 0 {
		return 0
	}
	return utf8.RuneCountInString(src[:offset])
}

// ByteOffset converts a code-point offset (Jupyter's cursor_pos) into a byte offset.
func ByteOffset(src string, cp int) int {
	off := 0
	for i := 0; i < cp && off < len(src); i++ {
		_, n := utf8.DecodeRuneInString(src[off:])
		off += n
	}
	return off
}

// maxShownLine bounds how much of a long line FormatError prints around the caret.
const maxShownLine = 160

// FormatError renders an error the way the kernel and the CLI show it:
//
//	3:14: expected ')' to close '(' at 3:2
//	| where (a > 1
//	              ^
//	hint: did you mean ...?
//
// Long lines are cut around the caret; tabs are kept so the caret lines up.
func FormatError(src string, e *Error) string {
	line, col := Position(src, e.Offset)
	var b strings.Builder
	fmt.Fprintf(&b, "%d:%d: %s\n", line, col, e.Msg)
	start := strings.LastIndexByte(src[:min(e.Offset, len(src))], '\n') + 1
	end := strings.IndexByte(src[start:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += start
	}
	text := strings.TrimRight(src[start:end], "\r")
	runes := []rune(strings.ToValidUTF8(text, "\uFFFD"))
	c := col - 1
	if c > len(runes) {
		c = len(runes)
	}
	lo := 0
	prefix := ""
	if len(runes) > maxShownLine {
		lo = max(0, c-maxShownLine/2)
		hi := min(len(runes), lo+maxShownLine)
		if lo > 0 {
			prefix = "..."
		}
		runes = runes[lo:hi]
	}
	b.WriteString(prefix + string(runes) + "\n")
	pad := prefix + string(runes[:min(c-lo, len(runes))])
	for _, r := range pad {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteString("^")
	if e.Hint != "" {
		b.WriteString("\nhint: " + e.Hint)
	}
	return b.String()
}

// FormatErrors renders every error of the list with FormatError, separated by blank
// lines.
func FormatErrors(src string, errs ErrorList) string {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = FormatError(src, e)
	}
	return strings.Join(parts, "\n\n")
}
