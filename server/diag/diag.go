// Package diag locates a query's error the way both served APIs (Log Analytics and Azure
// Data Explorer) report it: the syntax error inside an error, its line, position and
// token, and the services' parse-error text.
package diag

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

// WithHint appends a hint in parentheses, when there is one.
func WithHint(msg, hint string) string {
	if hint != "" {
		return msg + " (" + hint + ")"
	}
	return msg
}

// Place is where byte offset off of query falls, as the services count: a 1-based line, a
// 0-based position on it, and the token there (n bytes long; 0: up to the next separator).
func Place(query string, off, n int) (line, pos int, tok string) {
	line, col := syntax.Position(query, off)
	return line, col - 1, Token(query, off, n)
}

// ParseMessage is the services' SYN0002 message.
func ParseMessage(tok string, line, pos int, msg string) string {
	return fmt.Sprintf("Query could not be parsed at '%s' on line [%d,%d]: %s", tok, line, pos, msg)
}

// SyntaxError is the (first) parse error in err, if any.
func SyntaxError(err error) (*syntax.Error, bool) {
	var list syntax.ErrorList
	var se *syntax.Error
	if errors.As(err, &list) && len(list) > 0 {
		se = list[0]
	}
	if se != nil || errors.As(err, &se) {
		return se, true
	}
	return nil, false
}

// Token is the query text the error points at (at most one line, 40 bytes).
func Token(query string, off, n int) string {
	if off < 0 || off > len(query) {
		return ""
	}
	if n <= 0 {
		n = len(query) - off
		if i := strings.IndexAny(query[off:], " \t\r\n|"); i >= 0 {
			n = max(i, 1)
		}
	}
	end := min(len(query), off+n, off+40)
	tok := query[off:end]
	if i := strings.IndexAny(tok, "\r\n"); i >= 0 {
		tok = tok[:i]
	}
	return strings.ToValidUTF8(tok, "")
}
