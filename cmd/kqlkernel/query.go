package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/backend/kusto"
	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/magic"
	"github.com/kqlkernel/kqlkernel/render"
	"github.com/kqlkernel/kqlkernel/table"
)

// runQuery is `kqlkernel query [--workspace demo|DIR] [--connect CONNSTR]
// [--format table|json|csv] [QUERY|-]`.
func runQuery(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	ws := fs.String("workspace", "demo", "local workspace: demo or a directory of CSV/JSON files")
	connect := fs.String("connect", "", "connection string (loganalytics://... or local://...)")
	format := fs.String("format", "table", "output format: table, json or csv")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	switch *format {
	case "table", "json", "csv":
	default:
		return fmt.Errorf("--format %q: use table, json or csv", *format)
	}
	var query string
	switch rest := fs.Args(); {
	case len(rest) == 0 || len(rest) == 1 && rest[0] == "-":
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			return fmt.Errorf("reading the query from stdin: %w", err)
		}
		query = string(b)
	case len(rest) == 1:
		query = rest[0]
	default:
		return fmt.Errorf("give the query as one argument (quote it) or on stdin; got %d arguments", len(rest))
	}
	if strings.TrimSpace(query) == "" {
		return errors.New("the query is empty")
	}

	be, conn, err := openBackend(*ws, *connect)
	if err != nil {
		return err
	}
	resp, err := be.Query(ctx, backend.Request{Query: query, IncludeRender: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, conn.Scrub(describeQueryError(err)))
		return exitCode(1)
	}
	if err := writeTables(os.Stdout, resp.Tables, *format); err != nil {
		return err
	}
	if resp.Partial != nil {
		fmt.Fprintln(os.Stderr, "partial result: "+conn.Scrub(describeQueryError(resp.Partial)))
		return exitCode(1)
	}
	return nil
}

func openBackend(ws, connect string) (backend.Backend, connstr.Conn, error) {
	if connect == "" {
		b, err := local.Open(ws)
		return b, connstr.Conn{}, err
	}
	conn, err := connstr.Parse(os.ExpandEnv(connect))
	if err != nil {
		return nil, conn, err
	}
	switch conn.Scheme {
	case connstr.SchemeLocal:
		b, err := local.Open(conn.Workspace)
		return b, conn, err
	case connstr.SchemeKusto:
		b, err := kusto.New(conn, kusto.Options{})
		if err != nil {
			return nil, conn, errors.New(conn.Scrub(err.Error()))
		}
		return b, conn, nil
	default:
		b, err := loganalytics.New(conn, loganalytics.Options{})
		if err != nil {
			return nil, conn, errors.New(conn.Scrub(err.Error()))
		}
		return b, conn, nil
	}
}

// describeQueryError is `line:col: message` (then the query line and a caret) when the
// error has a position.
func describeQueryError(err error) string {
	var ee *engine.Error
	if errors.As(err, &ee) {
		return ee.Format()
	}
	var le *loganalytics.Error
	if errors.As(err, &le) && le.Line > 0 {
		msg := le.InnerMessage
		if msg == "" {
			msg = le.Message
		}
		return fmt.Sprintf("%d:%d: %s: %s", le.Line, le.Pos+1, le.Code, msg)
	}
	return err.Error()
}

func writeTables(w io.Writer, tables []*table.Table, format string) error {
	switch format {
	case "json":
		b, err := table.EncodeJSON(tables)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	case "csv":
		for i, t := range tables {
			if i > 0 {
				if _, err := io.WriteString(w, "\n"); err != nil {
					return err
				}
			}
			if err := magic.WriteCSV(w, t); err != nil {
				return err
			}
		}
		return nil
	}
	text := render.Tables(tables, render.TableOptions{MaxRows: -1}).Text()
	_, err := io.WriteString(w, text+"\n")
	return err
}
