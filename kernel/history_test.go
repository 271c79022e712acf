package kernel

import "testing"

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"print*", "print 1", true},
		{"print*", "xprint 1", false},
		{"print x=*", "print x=6*7", true},
		{"print x=*", "print 1", false},
		{"*", "", true},
		{"", "", true},
		{"", "a", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"[abc]x", "bx", true},
		{"[^abc]x", "bx", false},
		{"[^abc]x", "dx", true},
		{"[a-c]*", "cat", true},
		{"[a-c]*", "dog", false},
		{"[]]", "]", true},
		{"[ab", "[ab", true},       // unterminated class: literal
		{"Print*", "print", false}, // case sensitive, like SQLite GLOB
		{"é?", "éa", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func FuzzGlobMatch(f *testing.F) {
	f.Add("a*b?[c-d]", "axxbzc")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		globMatch(pattern, s) // must not panic or hang
		if !globMatch("*", s) {
			t.Fatal("* must match everything")
		}
	})
}
