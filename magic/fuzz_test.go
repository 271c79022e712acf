package magic

import (
	"context"
	"testing"
	"unicode/utf8"
)

// FuzzCell feeds arbitrary cells to the magic parser, is_complete, completion and
// inspection (everything that reads a cell without running it): none may panic, and
// completion ranges must stay inside the cell, in code points.
func FuzzCell(f *testing.F) {
	for _, s := range []string{
		"print 1", "%kql --stdout print \"hello, world\"", "%%kql --as X\nT | take 1\n\n| count",
		"%kql loganalytics://workspace='W';appkey='K';alias='a' T", "let a = 1;\nlet b = 'x;y';",
		"%kql -dl 5 -!f -ts 1d T |", "%clear", "print ```\nx", "%kql x << T", "T | where a == @'c:\\'",
		"%kql -conn 'a@loganalytics' +workspaces=['a','b'] T", "print (1, [2, {3", "ü | süm",
	} {
		f.Add(s, 3)
	}
	in, err := New(Config{Getenv: func(string) string { return "" }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, code string, cursor int) {
		if !utf8.ValidString(code) {
			return
		}
		n := utf8.RuneCountInString(code)
		if cursor < 0 {
			cursor = -cursor
		}
		if n > 0 {
			cursor %= n + 1
		} else {
			cursor = 0
		}
		_, _ = splitCell(code)
		_, _ = in.IsComplete(code)
		_, _ = onlyLets(code)
		_ = splitStatements(code)
		c := in.Complete(context.Background(), code, cursor)
		if c.CursorStart < 0 || c.CursorEnd > n || c.CursorStart > c.CursorEnd {
			t.Fatalf("Complete(%q, %d): range %d..%d outside 0..%d", code, cursor, c.CursorStart, c.CursorEnd, n)
		}
		_, _ = in.Inspect(context.Background(), code, cursor, 0)
	})
}
