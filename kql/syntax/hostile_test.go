package syntax

import (
	"strings"
	"testing"
)

// Hostile input gets a clear error, never a stack overflow or a hang.
func TestHostileInput(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string // substring of the first error; "" = must parse cleanly
	}{
		{"1MB of '('", strings.Repeat("(", 1<<20), "nested too deeply"},
		{"1MB of nested parens closed", "print " + strings.Repeat("(", 1<<19) + "1" + strings.Repeat(")", 1<<19), "nested too deeply"},
		{"deep unary minus", "print " + strings.Repeat("-(", 1<<18), "nested too deeply"},
		{"deep dynamic", "print dynamic(" + strings.Repeat("[", 1<<18) + ")", "nested too deeply"},
		{"deep sub-queries", strings.Repeat("T | where x in (", 1<<16), "nested too deeply"},
		{"10MB string literal", "print '" + strings.Repeat("a", 10<<20) + "'", ""},
		{"10MB unterminated string", "print '" + strings.Repeat("a", 10<<20), "unterminated string"},
		{"invalid UTF-8", "print \xff\xfe", "invalid UTF-8"},
		{"invalid UTF-8 in string is kept", "print '\xff'", ""},
		{"NUL bytes", "print \x00", "unexpected character"},
		{"long pipeline", "T" + strings.Repeat(" | where x > 1", 100000), ""},
		{"long expression", "print 1" + strings.Repeat(" + 1", 200000), ""},
		{"many statements", strings.Repeat("let x = 1;\n", 100000) + "print x", ""},
		{"10MB of garbage", strings.Repeat("|)(]}", 2<<20), "unexpected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Parse(tc.src)
			if tc.wantErr == "" {
				if len(errs) > 0 {
					t.Fatalf("unexpected error: %v", errs[0])
				}
				return
			}
			if len(errs) == 0 {
				t.Fatalf("no error, want %q", tc.wantErr)
			}
			if !strings.Contains(errs[0].Msg, tc.wantErr) {
				t.Fatalf("first error %q, want it to mention %q", errs[0].Msg, tc.wantErr)
			}
			if len(errs) > maxErrors {
				t.Fatalf("%d errors, more than the cap %d", len(errs), maxErrors)
			}
			// the caret renderer copes with huge lines
			if out := FormatError(tc.src, errs[0]); len(out) > 4*maxShownLine+200 {
				t.Fatalf("FormatError printed %d bytes for one error", len(out))
			}
		})
	}
}
