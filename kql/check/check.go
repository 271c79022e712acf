// Package check runs the KQL parser over queries and reports diagnostics in the
// shapes `kqlkernel check` prints: caret text for humans, JSON lines for tools.
package check

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

// Diag is one diagnostic; Line and Col are 1-based, Col in Unicode code points,
// Offset in bytes.
type Diag struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Offset  int    `json:"offset"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// Result is the verdict on one query.
type Result struct {
	ID          json.RawMessage `json:"id"`
	OK          bool            `json:"ok"`
	Diagnostics []Diag          `json:"diagnostics"`
}

// Query parses one query and returns its diagnostics (never nil).
func Query(src string) []Diag {
	_, errs := syntax.Parse(src)
	ds := make([]Diag, 0, len(errs))
	for _, e := range errs {
		l, c := syntax.Position(src, e.Offset)
		ds = append(ds, Diag{Line: l, Col: c, Offset: e.Offset, Message: e.Msg, Hint: e.Hint})
	}
	return ds
}

// Text parses src and writes every error with its line, caret and hint, each
// prefixed with name. It reports whether the query was free of errors.
func Text(w io.Writer, name, src string) (bool, error) {
	_, errs := syntax.Parse(src)
	for _, e := range errs {
		if _, err := fmt.Fprintln(w, name+":"+syntax.FormatError(src, e)); err != nil {
			return false, fmt.Errorf("writing diagnostics: %w", err)
		}
	}
	return len(errs) == 0, nil
}

// JSONL reads {"id","query"} lines from r and writes one Result line per query to w.
func JSONL(ctx context.Context, name string, r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		if err := ctx.Err(); err != nil {
			return err
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var in struct {
			ID    json.RawMessage `json:"id"`
			Query *string         `json:"query"`
		}
		if err := json.Unmarshal([]byte(line), &in); err != nil || in.Query == nil {
			if err == nil {
				err = errors.New(`missing "query"`)
			}
			return fmt.Errorf("%s line %d: expected {\"id\":..., \"query\":\"...\"}: %w", name, lineNo, err)
		}
		if in.ID == nil {
			in.ID = json.RawMessage("null")
		}
		ds := Query(*in.Query)
		if err := enc.Encode(Result{ID: in.ID, OK: len(ds) == 0, Diagnostics: ds}); err != nil {
			return fmt.Errorf("writing the result: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: reading JSON lines: %w", name, err)
	}
	return nil
}
