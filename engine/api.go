// Package engine is the embedded KQL executor: a binder that resolves names and types
// against a Database, a planner that fuses streaming operators (where, extend, project,
// ...) into chains run over batches of column vectors on all cores, and pipeline
// breakers (summarize, sort, join, ...) that materialize tables.
//
// Scalar functions and operators live in engine/fn; aggregates, tabular operators and
// the special functions that need the engine (toscalar, materialize, row_number, ...)
// live here.
package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// Database is what the engine reads tables from (the workspace package implements it).
// Tables are read-only and may be shared between concurrent queries.
type Database interface {
	Table(name string) (*table.Table, bool)
	TableNames() []string
}

// Options tune one query run. The zero value is fine.
type Options struct {
	// Now fixes now() for the whole query; zero means time.Now().
	Now time.Time
	// Workers is the number of goroutines scanning batches; zero means GOMAXPROCS.
	Workers int
	// MaxRows and MaxBytes are the result limits (Kusto's defaults are 500,000 rows and
	// 64 MB); zero means the default, negative means no limit. `set notruncation;` in the
	// query lifts them too.
	MaxRows  int
	MaxBytes int64
	// Params are extra scalar names visible to the query, as if declared with `let`
	// (the magic layer's let parameters). Values as table.Vector.At returns them.
	Params map[string]any
	// maxPatterns overrides the pattern plugins' bound (tests); zero = maxPatterns.
	maxPatterns int
}

// Default result limits (Kusto's query result set limits).
const (
	DefaultMaxRows  = 500_000
	DefaultMaxBytes = 64 << 20
)

// Result is a query's output: one table per result (usually one; `fork` and several
// query statements give more) and the render spec of a trailing `render` operator.
type Result struct {
	Tables []*table.Table
	Render *table.RenderSpec
}

// Error is a query error at a position of the query text: a syntax error, a semantic
// error found by the binder ("unknown column"), or a runtime error (limits, cancel).
type Error struct {
	Code   string // "syntax", "semantic", "E_QUERY_RESULT_SET_TOO_LARGE", "canceled", "runtime"
	Offset int    // byte offset into Query
	Len    int
	Msg    string
	Hint   string // e.g. "did you mean 'EventID'?"; may be empty
	Query  string // the query text, for line:col and the caret
	Err    error  // the underlying error, if any (context.Canceled ...)
}

// Error returns "line:col: message[; hint]".
func (e *Error) Error() string {
	line, col := syntax.Position(e.Query, e.Offset)
	s := fmt.Sprintf("%d:%d: %s", line, col, e.Msg)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// Unwrap returns the underlying error (context.Canceled for an interrupted query).
func (e *Error) Unwrap() error { return e.Err }

// Format renders the error with the query line and a caret, as the kernel and CLI show it.
func (e *Error) Format() string {
	return syntax.FormatError(e.Query, &syntax.Error{Offset: e.Offset, Len: e.Len, Msg: e.Msg, Hint: e.Hint})
}

// Line returns the 1-based line and code-point column of the error.
func (e *Error) Line() (line, col int) { return syntax.Position(e.Query, e.Offset) }

// Run parses, binds and executes a query against db. Errors are *Error (use errors.As)
// except for programming errors. A result past the limits (Options.MaxRows/MaxBytes,
// without `set notruncation;`) is cut as Kusto cuts it: Run returns both a non-nil Result
// holding the first rows within the limits and an *Error with Code
// "E_QUERY_RESULT_SET_TOO_LARGE". Every other error comes with a nil Result.
func Run(ctx context.Context, db Database, query string, opts Options) (res *Result, err error) {
	script, perrs := syntax.Parse(query)
	if len(perrs) > 0 {
		p := perrs[0]
		return nil, &Error{Code: "syntax", Offset: p.Offset, Len: p.Len, Msg: p.Msg, Hint: p.Hint, Query: query}
	}
	defer func() {
		// A bug in an operator must not take the kernel down: report it as an error.
		if r := recover(); r != nil {
			res = nil
			err = &Error{Code: "runtime", Msg: fmt.Sprintf("internal error: %v", r), Query: query}
		}
	}()
	q := newQuery(ctx, db, query, opts)
	res, err = q.runScript(script)
	if err != nil {
		var qe *Error
		if errors.As(err, &qe) {
			qe.Query = query
			return nil, qe
		}
		code, msg := "runtime", err.Error()
		switch {
		case errors.Is(err, context.Canceled):
			code, msg = "canceled", "query canceled"
		case errors.Is(err, context.DeadlineExceeded):
			code, msg = "canceled", "query timed out"
		}
		return nil, &Error{Code: code, Msg: msg, Query: query, Err: err}
	}
	if q.partial != nil {
		// A cut result: the first rows within the limits and the error that says so.
		q.partial.Query = query
		return res, q.partial
	}
	return res, nil
}

// errAt builds a positioned error for a node.
func errAt(n syntax.Node, code, format string, args ...any) *Error {
	e := &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Offset, e.Len = n.Pos(), n.End()-n.Pos()
	}
	return e
}

// semErr is a semantic (binder) error at n.
func semErr(n syntax.Node, format string, args ...any) *Error {
	return errAt(n, "semantic", format, args...)
}

// unsupported is a semantic error for a feature the engine does not implement yet.
func unsupported(n syntax.Node, what string) *Error {
	e := errAt(n, "unsupported", "%s is not supported by the local engine yet", what)
	return e
}
