package diag

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

func TestPlace(t *testing.T) {
	q := "T\n| wher x > 1\n| take 5"
	cases := []struct {
		off, n    int
		line, pos int
		tok       string
	}{
		{0, 1, 1, 0, "T"},
		{4, 0, 2, 2, "wher"},         // to the next separator
		{4, 100, 2, 2, "wher x > 1"}, // never past the line
		{len(q), 0, 3, 8, ""},        // the end
		{-1, 0, 1, 0, ""},            // no offset: no token
	}
	for _, c := range cases {
		line, pos, tok := Place(q, c.off, c.n)
		if tok != c.tok || (c.off >= 0 && (line != c.line || pos != c.pos)) {
			t.Errorf("Place(%d,%d) = %d,%d,%q want %d,%d,%q", c.off, c.n, line, pos, tok, c.line, c.pos, c.tok)
		}
	}
}

func TestSyntaxError(t *testing.T) {
	first := &syntax.Error{Offset: 3, Msg: "first"}
	list := syntax.ErrorList{first, {Offset: 9, Msg: "second"}}
	for _, err := range []error{list, fmt.Errorf("parse: %w", list), fmt.Errorf("wrapped: %w", first)} {
		if se, ok := SyntaxError(err); !ok || se != first {
			t.Errorf("%v: got %v, %v", err, se, ok)
		}
	}
	if _, ok := SyntaxError(errors.New("unknown column")); ok {
		t.Error("a plain error is no syntax error")
	}
}
