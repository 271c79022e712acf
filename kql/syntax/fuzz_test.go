package syntax

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input parses without panicking, every node's span lies inside the
// source with Pos <= End, child spans inside their parent's, and every error has an
// offset inside the source that the caret renderer can show.
func FuzzParse(f *testing.F) {
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared")); err == nil {
		for _, q := range loadSentinel(f) {
			f.Add(q.Query)
		}
		for _, c := range loadConformance(f) {
			f.Add(c.KQL)
		}
	}
	for _, s := range []string{"", "(", "print 'a", "T | where x in (1", "let f = (a:long) { a }; f(1)",
		"print dynamic({\"a\": [1, datetime(2020-01-01)]})", "\xff", "datatable(a:long)[1,2]", "```x```",
		"T | join kind=inner (U) on $left.a == $right.b | render timechart with (title='x')"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		script, errs := Parse(src)
		if script == nil {
			t.Fatal("nil script")
		}
		Inspect(script, func(n Node) bool {
			if n.Pos() < 0 || n.End() > len(src) || n.Pos() > n.End() {
				t.Fatalf("%T span [%d,%d) outside [0,%d)", n, n.Pos(), n.End(), len(src))
			}
			return true
		})
		for _, e := range errs {
			if e.Offset < 0 || e.Offset > len(src) {
				t.Fatalf("error offset %d outside [0,%d]: %s", e.Offset, len(src), e.Msg)
			}
			if e.Msg == "" {
				t.Fatal("empty error message")
			}
			out := FormatError(src, e)
			if !utf8.ValidString(out) {
				t.Fatalf("FormatError produced invalid UTF-8: %q", out)
			}
		}
		if len(errs) > maxErrors {
			t.Fatalf("%d errors, cap is %d", len(errs), maxErrors)
		}
	})
}
