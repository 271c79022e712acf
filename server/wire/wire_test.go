package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendString(t *testing.T) {
	cases := map[string]string{
		"plain": `"plain"`, `q"b\`: `"q\"b\\"`, "a\nb\tc\r": `"a\nb\tc\r"`, "\x00\x1f": `"\u0000\u001f"`,
		"<&>": `"<&>"`, "héllo ∑": `"héllo ∑"`, "\u2028": `"\u2028"`, "bad\xffutf8": `"bad\ufffdutf8"`,
	}
	for in, want := range cases {
		got := AppendString(nil, in)
		if string(got) != want {
			t.Errorf("%q: got %s want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// FuzzAppendString: every Go string becomes a JSON string that decodes to its valid-UTF-8 self.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b\\c", "\x00\x1f\u2028", "héllo", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := AppendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, b, err)
		}
		if back != strings.ToValidUTF8(s, "\ufffd") && utf8.ValidString(s) {
			t.Fatalf("%q -> %q", s, back)
		}
	})
}
