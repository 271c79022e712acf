// Package svcerror holds what the Log Analytics and Azure Data Explorer backends do alike
// with a service's OneAPI error: its one-line text and where its line and position fall
// in the query that was sent.
package svcerror

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text reads "Code: Message: InnerCode: InnerMessage (line L, position P)"; the inner code
// and message are left out where they repeat the outer ones, the place where line is 0.
func Text(code, message, innerCode, innerMessage string, line, pos int) string {
	var b strings.Builder
	b.WriteString(code)
	if message != "" {
		b.WriteString(": " + message)
	}
	if innerMessage != "" && innerMessage != message {
		b.WriteString(": ")
		if innerCode != "" && innerCode != code {
			b.WriteString(innerCode + ": ")
		}
		b.WriteString(innerMessage)
	}
	if line > 0 {
		fmt.Fprintf(&b, " (line %d, position %d)", line, pos)
	}
	return b.String()
}

// maxBody is how many code points of a non-OneAPI error body are kept.
const maxBody = 300

// Shorten keeps the first 300 code points of msg, marking a cut with "...".
func Shorten(msg string) string {
	if utf8.RuneCountInString(msg) > maxBody {
		return string([]rune(msg)[:maxBody]) + "..."
	}
	return msg
}

// LineColOffset converts a 1-based line and a 0-based code-point column into a byte offset
// of text, clamped to the line's end; -1 when the line does not exist.
func LineColOffset(text string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	for c := 0; c < col && off < len(text) && text[off] != '\n'; c++ {
		_, n := utf8.DecodeRuneInString(text[off:])
		off += n
	}
	return off
}
