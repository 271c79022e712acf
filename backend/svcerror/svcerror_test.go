package svcerror

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	cases := []struct {
		code, msg, icode, imsg string
		line, pos              int
		want                   string
	}{
		{"BadArgumentError", "invalid", "SYN0002", "parse at 'x'", 1, 11, "BadArgumentError: invalid: SYN0002: parse at 'x' (line 1, position 11)"},
		{"E", "same", "E", "same", 0, 0, "E: same"}, // inner repeats outer
		{"E", "", "E", "inner", 0, 0, "E: inner"},   // inner code repeats outer
		{"HTTP502", "", "", "", 0, 0, "HTTP502"},    // nothing but a code
		{"E", "m", "", "i", 2, 0, "E: m: i (line 2, position 0)"},
	}
	for _, c := range cases {
		if got := Text(c.code, c.msg, c.icode, c.imsg, c.line, c.pos); got != c.want {
			t.Errorf("got %q want %q", got, c.want)
		}
	}
}

func TestShorten(t *testing.T) {
	if s := Shorten(strings.Repeat("é", 300)); s != strings.Repeat("é", 300) {
		t.Error("300 code points cut")
	}
	if s := Shorten(strings.Repeat("é", 301)); s != strings.Repeat("é", 300)+"..." {
		t.Errorf("301 code points: %q", s)
	}
}

func TestLineColOffset(t *testing.T) {
	q := "T\n| where é == 1\n"
	for _, c := range []struct{ line, col, want int }{
		{1, 0, 0}, {2, 0, 2}, {2, 8, 10}, {2, 9, 12}, {2, 10, 13}, {2, 99, 17}, {3, 0, 18}, {4, 0, -1},
	} {
		if got := LineColOffset(q, c.line, c.col); got != c.want {
			t.Errorf("line %d col %d: got %d want %d", c.line, c.col, got, c.want)
		}
	}
}
