// Package local implements backend.Backend over the embedded engine and a workspace (the
// generated demo workspace or a directory of CSV/JSON files).
package local

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/table"
	"github.com/kqlkernel/kqlkernel/workspace"
)

// Backend runs queries on the embedded engine over one workspace.
type Backend struct {
	ws   *workspace.Workspace
	name string
	now  func() time.Time
}

// New returns a backend over ws, named name for status lines (e.g. "demo").
func New(ws *workspace.Workspace, name string) *Backend {
	return &Backend{ws: ws, name: name, now: time.Now}
}

// Open opens "demo" (the generated workspace) or a directory (or file) of CSV/JSON data.
func Open(where string) (*Backend, error) {
	if where == "" || where == "demo" {
		ws, err := workspace.Demo(workspace.DemoOptions{})
		if err != nil {
			return nil, fmt.Errorf("demo workspace: %w", err)
		}
		return New(ws, "demo"), nil
	}
	ws, err := workspace.LoadDir(where)
	if err != nil {
		return nil, fmt.Errorf("local workspace %s: %w", where, err)
	}
	return New(ws, filepath.Base(filepath.Clean(where))), nil
}

// Describe names the workspace.
func (b *Backend) Describe() string { return b.name + "@local" }

// Query runs one query.
func (b *Backend) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	return b.QueryWith(ctx, req, nil)
}

// QueryWith runs one query with extra tables visible by name (the session's named
// results); they shadow workspace tables of the same name.
func (b *Backend) QueryWith(ctx context.Context, req backend.Request, extra map[string]*table.Table) (*backend.Response, error) {
	if len(req.Workspaces) > 0 {
		return nil, errors.New("multi-workspace queries (+workspaces) need a loganalytics connection; the local engine has one workspace")
	}
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	db := &overlay{base: b.ws, extra: extra, start: req.Start, end: req.End}
	res, err := engine.Run(ctx, db, req.Query, engine.Options{})
	var ee *engine.Error
	if res != nil && errors.As(err, &ee) && ee.Code == "E_QUERY_RESULT_SET_TOO_LARGE" {
		// Cut at the result limits: the first rows, and the engine's error as the
		// partial error, as Log Analytics answers.
		return &backend.Response{Tables: res.Tables, Render: res.Render, Partial: err}, nil
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && req.Timeout > 0 {
			return nil, fmt.Errorf("the query ran longer than the timeout (%s): %w", req.Timeout, err)
		}
		return nil, err
	}
	return &backend.Response{Tables: res.Tables, Render: res.Render}, nil
}

// Schema lists the workspace's tables and columns (no data is generated for it).
func (b *Backend) Schema(ctx context.Context) (*backend.Schema, error) {
	s := &backend.Schema{Tables: []backend.TableSchema{}, Functions: []backend.FunctionSchema{}}
	for _, t := range b.ws.Schema() {
		cols := make(table.Schema, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = table.ColumnSchema{Name: c.Name, Type: c.Type}
		}
		s.Tables = append(s.Tables, backend.TableSchema{Name: t.Name, Columns: cols, Description: t.Description})
	}
	return s, nil
}

// overlay is the database one query sees: named results over the workspace, and the
// request's timespan applied to TimeGenerated the way Log Analytics applies it.
type overlay struct {
	base       engine.Database
	extra      map[string]*table.Table
	start, end time.Time

	mu       sync.Mutex
	filtered map[string]*table.Table
}

func (o *overlay) Table(name string) (*table.Table, bool) {
	if t, ok := o.extra[name]; ok {
		return t, true
	}
	t, ok := o.base.Table(name)
	if !ok || (o.start.IsZero() && o.end.IsZero()) {
		return t, ok
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if f, ok := o.filtered[name]; ok {
		return f, true
	}
	f := filterTime(t, o.start, o.end)
	if o.filtered == nil {
		o.filtered = map[string]*table.Table{}
	}
	o.filtered[name] = f
	return f, true
}

func (o *overlay) TableNames() []string {
	names := o.base.TableNames()
	for n := range o.extra {
		if _, ok := o.base.Table(n); !ok {
			names = append(names, n)
		}
	}
	return names
}

// filterTime keeps the rows whose TimeGenerated is in [start, end); a table without a
// TimeGenerated datetime column is returned as is.
func filterTime(t *table.Table, start, end time.Time) *table.Table {
	i := t.Index("TimeGenerated")
	if i < 0 || t.Columns[i].Type != table.TypeDateTime {
		return t
	}
	var lo, hi table.DateTime = table.MinDateTime, table.MaxDateTime
	if !start.IsZero() {
		lo = table.FromTime(start)
	}
	if !end.IsZero() {
		hi = table.FromTime(end)
	}
	col := t.Columns[i].Data
	n := t.Rows()
	rows := make([]int, 0, n)
	for r := 0; r < n; r++ {
		v, ok := col.At(r).(table.DateTime)
		if ok && v >= lo && v < hi {
			rows = append(rows, r)
		}
	}
	out := &table.Table{Name: t.Name, Columns: make([]table.Column, len(t.Columns))}
	for c, col := range t.Columns {
		out.Columns[c] = table.Column{Name: col.Name, Type: col.Type, Data: col.Data.Take(rows)}
	}
	return out
}
