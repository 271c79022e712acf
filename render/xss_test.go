package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

// Known XSS payloads (OWASP cheat sheet style): tags, attribute breakouts, entities that
// must not be decoded twice, and a closing sequence for each element we emit.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`' onmouseover='alert(1)`,
	`</td></tr></table><svg onload=alert(1)>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`</pre><body onload=alert(1)>`,
	`</caption><style>*{display:none}</style>`,
	"<scr\x00ipt>alert(1)</script>",
	`<a href="javascript:alert(1)">x</a>`,
}

// allowedTag is every tag render emits, with only the attributes it emits, values
// double-quoted and free of markup. Anything a payload smuggles in fails it.
var allowedTag = regexp.MustCompile(`^</?(div|table|caption|thead|tbody|tr|th|td|span|pre)((\s+(style|title|colspan)="[^"<>]*"|` + noMath + `)*)>$`)

// markupError reports a tag render did not mean to emit. Escaped text cannot hold '<',
// '>' or '"', so any markup a payload smuggles in shows up as a tag that fails allowedTag.
func markupError(h string) error {
	for i := 0; i < len(h); {
		j := strings.IndexByte(h[i:], '<')
		if j < 0 {
			return nil
		}
		k := strings.IndexByte(h[i+j:], '>')
		if k < 0 {
			return fmt.Errorf("unterminated tag at %d: %q", i+j, h[i+j:])
		}
		if tag := h[i+j : i+j+k+1]; !allowedTag.MatchString(tag) {
			return fmt.Errorf("unexpected markup %q", tag)
		}
		i += j + k + 1
	}
	return nil
}

func checkMarkup(t *testing.T, what, h string) {
	t.Helper()
	if err := markupError(h); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestXSSEscaped(t *testing.T) {
	for _, p := range xssPayloads {
		dyn, err := table.ParseDynamic(`{"k":` + jsonString(p) + `}`)
		if err != nil {
			t.Fatal(err)
		}
		bag := map[string]any{p: p}
		tb := mustTable(t, p, table.Schema{{Name: p, Type: table.TypeString}, {Name: "d", Type: table.TypeDynamic}, {Name: "k", Type: table.TypeDynamic}, {Name: "g", Type: table.TypeGUID}},
			[]any{p, dyn, bag, table.GUID(p)},
			[]any{strings.Repeat(p, 50), []any{p}, nil, nil}, // long: shortened text plus full value in title
		)
		empty := table.New(p, table.Schema{{Name: p, Type: table.TypeLong}})
		for _, opts := range []TableOptions{{}, {MaxCellChars: 5, ShowNames: true}, {MaxRows: 1}} {
			checkMarkup(t, "tables", Tables([]*table.Table{tb, empty}, opts).HTML())
		}
		checkMarkup(t, "error", Error(p, p+"\n   ^").HTML())
		checkMarkup(t, "warning", Warning(p).HTML())
		checkMarkup(t, "status", StatusLine(Status{Warnings: []string{p}, Truncated: true}).HTML())
	}
}

// TestCheckMarkupCatches makes sure the checker itself can fail.
func TestCheckMarkupCatches(t *testing.T) {
	for _, bad := range []string{`<div><script>x</script></div>`, `<td title="a" onclick="x">`, `<img src=x>`, `<td title="x>`} {
		if markupError(bad) == nil {
			t.Errorf("markupError accepted %q", bad)
		}
	}
	if err := markupError(Tables(nil, TableOptions{}).HTML()); err != nil {
		t.Error(err)
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FuzzTablesEscape: whatever text reaches a value, a column name or a table name, the HTML
// holds only the markup render emits.
func FuzzTablesEscape(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p, p, p)
	}
	f.Add("a\"b", "<", "&amp;")
	f.Add("[\r\n  {\r\n    \"$id\": \"</td><script>alert(1)</script>\"\r\n  }\r\n]", "Entities", "SecurityAlert") // pretty JSON, shown compact
	f.Add("line 1\n<b>2</b>\n3\n4", "Trace", "T")                                                                 // more lines than shown
	f.Fuzz(func(t *testing.T, value, column, name string) {
		tb := table.New(name, table.Schema{{Name: column, Type: table.TypeString}, {Name: "d", Type: table.TypeDynamic}})
		if err := tb.AppendRow(value, map[string]any{column: value}); err != nil {
			t.Fatal(err)
		}
		for _, opts := range []TableOptions{{}, {MaxCellChars: 3, ShowNames: true}} {
			if err := markupError(Tables([]*table.Table{tb}, opts).HTML()); err != nil {
				t.Fatal(err)
			}
		}
		if err := markupError(Error(name, value).HTML()); err != nil {
			t.Fatal(err)
		}
	})
}
