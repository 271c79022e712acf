package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kqlkernel/kqlkernel/kql/check"
)

// runCheck parses KQL without running it: files (or stdin), or JSON lines with
// --jsonl (`{"id","query"}` in, `{"id","ok","diagnostics"}` out). Without --jsonl it
// prints every error with its line and a caret and exits 1 when any query has errors.
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
	bad := false
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		var r io.Reader = os.Stdin
		name := "<stdin>"
		if f != "-" {
			fh, err := os.Open(f)
			if err != nil {
				return fmt.Errorf("opening the query file: %w", err)
			}
			defer fh.Close()
			r, name = fh, f
		}
		if *jsonl {
			if err := check.JSONL(ctx, name, r, os.Stdout); err != nil {
				return err
			}
			continue
		}
		src, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		ok, err := check.Text(os.Stderr, name, string(src))
		if err != nil {
			return err
		}
		bad = bad || !ok
	}
	if bad {
		return exitCode(1)
	}
	return nil
}
