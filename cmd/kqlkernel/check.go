package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

// checkDiag is one diagnostic of `check --jsonl`; line and col are 1-based, col in
// Unicode code points, offset in bytes.
type checkDiag struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Offset  int    `json:"offset"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

type checkResult struct {
	ID          json.RawMessage `json:"id"`
	OK          bool            `json:"ok"`
	Diagnostics []checkDiag     `json:"diagnostics"`
}

// runCheck parses KQL without running it: files (or stdin), or JSON lines with
// --jsonl. Without --jsonl it prints every error with its line and a caret and exits 1
// when any query has errors.
func runCheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	jsonl := fs.Bool("jsonl", false, `read {"id","query"} JSON lines, write {"id","ok","diagnostics"} lines`)
	fs.SetOutput(os.Stderr)
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	if *jsonl {
		for _, f := range files {
			if err := checkJSONL(ctx, f, os.Stdout); err != nil {
				return err
			}
		}
		return nil
	}
	bad := false
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		src, err := readSource(f)
		if err != nil {
			return err
		}
		_, errs := syntax.Parse(src)
		for _, e := range errs {
			bad = true
			name := f
			if f == "-" {
				name = "<stdin>"
			}
			fmt.Fprintln(os.Stderr, name+":"+syntax.FormatError(src, e))
		}
	}
	if bad {
		return exitCode(1)
	}
	return nil
}

func readSource(name string) (string, error) {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return "", fmt.Errorf("reading the query: %w", err)
	}
	return string(b), nil
}

func checkJSONL(ctx context.Context, name string, out io.Writer) error {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("opening the query file: %w", err)
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	w := bufio.NewWriter(out)
	defer w.Flush()
	enc := json.NewEncoder(w)
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
		_, errs := syntax.Parse(*in.Query)
		res := checkResult{ID: in.ID, OK: len(errs) == 0, Diagnostics: []checkDiag{}}
		for _, e := range errs {
			l, c := syntax.Position(*in.Query, e.Offset)
			res.Diagnostics = append(res.Diagnostics, checkDiag{Line: l, Col: c, Offset: e.Offset, Message: e.Msg, Hint: e.Hint})
		}
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("writing the result: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: reading JSON lines: %w", name, err)
	}
	return nil
}
