package syntax

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// diagCases are broken queries; testdata/diagnostics.golden holds what FormatErrors
// prints for each (regenerate with go test -run TestDiagnosticsGolden -update).
var diagCases = []struct{ name, src string }{
	{"unknown operator", "SecurityEvent\n| summerize count() by EventID"},
	{"unclosed paren", "T\n| where (a > 1 and b < 2\n| take 10"},
	{"unclosed call", "print strcat('a', 'b'"},
	{"missing expression", "T | where"},
	{"trailing comma", "T | project a, b,"},
	{"pipe after semicolon", "T | summarize count();\n| extend x = 1"},
	{"let without semicolon", "let x = 1\nT | take x"},
	{"keyword as name", "T | extend kind = 1"},
	{"unterminated string", "T | where s == 'abc"},
	{"bad character", "T | where a == 1 # comment"},
	{"render without a kind", "T | render"},
	{"render property typo", "T | render timechart with (titel='x')"},
	{"empty statement", "T;;"},
	{"chained comparison", "T | where a == b == c"},
	{"dynamic key without quotes", "print dynamic({a: 1})"},
	{"in without list", "T | where x in y"},
	{"several errors", "T | where a == | extend b = ( | project c,"},
	{"unicode columns", "T | where ['Größe'] > 1 and Straße == 'x' |"},
	{"tabs", "T\n|\twhere\t(x"},
	{"invalid utf8", "print \xff"},
}

func TestDiagnosticsGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range diagCases {
		_, errs := Parse(c.src)
		if len(errs) == 0 {
			t.Errorf("%s: no error for %q", c.name, c.src)
			continue
		}
		b.WriteString("=== " + c.name + "\n" + FormatErrors(c.src, errs) + "\n\n")
	}
	path := filepath.Join("testdata", "diagnostics.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("diagnostics differ from %s (rerun with -update after checking):\n%s", path, got)
	}
}

func TestPositions(t *testing.T) {
	src := "ab\ncé€d\n\nx"
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {6, 2, 3}, {9, 2, 4}, {10, 2, 5}, {11, 3, 1}, {12, 4, 1}, {99, 4, 2},
	}
	for _, tc := range tests {
		l, c := Position(src, tc.off)
		if l != tc.line || c != tc.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
		if tc.off <= len(src) {
			if got := Offset(src, l, c); got != tc.off {
				t.Errorf("Offset(%d:%d) = %d, want %d", l, c, got, tc.off)
			}
		}
	}
	if got := CodePointOffset(src, 9); got != 6 {
		t.Errorf("CodePointOffset = %d, want 6", got)
	}
	if got := ByteOffset(src, 6); got != 9 {
		t.Errorf("ByteOffset = %d, want 9", got)
	}
}

func TestCaretUnderCodePoint(t *testing.T) {
	src := "print 'é' | wher x"
	_, errs := Parse(src)
	if len(errs) == 0 {
		t.Fatal("no error")
	}
	out := FormatError(src, errs[0])
	lines := strings.Split(out, "\n")
	if len(lines) < 3 {
		t.Fatalf("short output %q", out)
	}
	caret := strings.Index(lines[2], "^")
	if want := len([]rune("print 'é' | ")); caret != want {
		t.Errorf("caret at column %d, want %d:\n%s", caret, want, out)
	}
	if errs[0].Hint != "did you mean 'where'?" {
		t.Errorf("hint %q", errs[0].Hint)
	}
}
