package kusto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-kusto-go/azkustodata"
	kerrors "github.com/Azure/azure-kusto-go/azkustodata/errors"
	"github.com/Azure/azure-kusto-go/azkustodata/kql"
	"github.com/Azure/azure-kusto-go/azkustodata/query"
	v2 "github.com/Azure/azure-kusto-go/azkustodata/query/v2"
	"github.com/Azure/azure-kusto-go/azkustodata/value"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/table"
)

// Query runs one query. A partial result returns the rows read with Response.Partial set
// to the service's *Error; a failed query returns an *Error with the service's code,
// message and position.
func (b *Backend) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	if len(req.Workspaces) > 0 {
		return nil, errors.New("kusto: +workspaces is a Log Analytics option; in ADX name other databases in the query (database('Other').Table or cluster('c').database('d').Table)")
	}
	if !req.Start.IsZero() || !req.End.IsZero() {
		return nil, errors.New("kusto: a timespan is a Log Analytics option; in ADX filter with `| where Timestamp between (start .. end)`")
	}
	opts := []azkustodata.QueryOption{azkustodata.Application("kqlkernel")}
	if req.Timeout > 0 {
		opts = append(opts, azkustodata.ServerTimeout(req.Timeout))
		// The service stops at its timeout; the guard covers a server that never answers.
		if _, has := ctx.Deadline(); !has {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, req.Timeout+30*time.Second)
			defer cancel()
		}
	}
	// Kusto's own clients' convention: user text is the statement, unescaped (AddUnsafe).
	stmt := kql.New("").AddUnsafe(req.Query)
	if isCommand(req.Query) {
		return b.command(ctx, stmt, req.Query, opts)
	}
	ds, err := b.client.IterativeQuery(ctx, b.cfg.Database, stmt, opts...)
	if err != nil {
		return nil, b.convertError(ctx, err, req.Query)
	}
	defer ds.Close()

	resp := &backend.Response{Tables: []*table.Table{}}
	var problems []*Error
	seen := map[string]bool{}
	addProblem := func(err error) {
		for _, e := range b.streamErrors(ctx, err, req.Query) {
			if k := e.Error(); !seen[k] {
				seen[k] = true
				problems = append(problems, e)
			}
		}
	}
	var visualization []byte
	for tr := range ds.Tables() {
		if tr.Err() != nil {
			addProblem(tr.Err())
			continue
		}
		it := tr.Table()
		switch it.Kind() {
		case v2.QueryPropertiesKind:
			t, err := it.ToTable()
			if err != nil {
				addProblem(err)
				continue
			}
			if v := visualizationOf(t); v != nil && visualization == nil {
				visualization = v
			}
		case v2.QueryCompletionInformationKind:
			if _, err := it.ToTable(); err != nil {
				addProblem(err)
			}
		default:
			t, err := readTable(it, addProblem)
			if err != nil {
				return nil, fmt.Errorf("kusto: %w", err)
			}
			resp.Tables = append(resp.Tables, t)
		}
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("kusto: query cancelled: %w", ctx.Err())
	}
	// The render is the query's own: kept whatever IncludeRender says, as backend/local does.
	resp.Render = parseVisualization(visualization)
	if len(problems) > 0 {
		first := problems[0]
		first.Details = append(first.Details, problems[1:]...)
		if len(resp.Tables) == 0 {
			return nil, first
		}
		resp.Partial = first
	}
	return resp, nil
}

// readTable reads one primary result: every row up to an error, which goes to problem.
func readTable(it query.IterativeTable, problem func(error)) (*table.Table, error) {
	cols := it.Columns()
	schema := make(table.Schema, len(cols))
	for i, c := range cols {
		typ, ok := table.ParseType(string(c.Type()))
		if !ok {
			typ = table.TypeDynamic
		}
		schema[i] = table.ColumnSchema{Name: c.Name(), Type: typ}
	}
	name := it.Name()
	if name == "" {
		name = "PrimaryResult"
	}
	t := table.New(name, schema)
	row := make([]any, len(cols))
	for rr := range it.Rows() {
		if rr.Err() != nil {
			problem(rr.Err())
			continue
		}
		vals := rr.Row().Values()
		for i := range row {
			row[i] = nil
			if i < len(vals) {
				x, err := convert(vals[i], schema[i].Type)
				if err != nil {
					return nil, fmt.Errorf("column %s, row %d: %w", schema[i].Name, rr.Row().Index(), err)
				}
				row[i] = x
			}
		}
		if err := t.AppendRow(row...); err != nil {
			return nil, fmt.Errorf("row %d: %w", rr.Row().Index(), err)
		}
	}
	return t, nil
}

// convert turns an azkustodata value into what table.Vector stores for typ.
func convert(v value.Kusto, typ table.Type) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case *value.Bool:
		if p := x.Ptr(); p != nil {
			return *p, nil
		}
	case *value.Int:
		if p := x.Ptr(); p != nil {
			return int64(*p), nil
		}
	case *value.Long:
		if p := x.Ptr(); p != nil {
			return *p, nil
		}
	case *value.Real:
		if p := x.Ptr(); p != nil {
			return *p, nil
		}
	case *value.Decimal:
		if p := x.Ptr(); p != nil {
			return *p, nil
		}
	case *value.String:
		return x.Value, nil
	case *value.DateTime:
		if p := x.Ptr(); p != nil {
			return table.FromTime(*p), nil
		}
	case *value.Timespan:
		if p := x.Ptr(); p != nil {
			return table.FromDuration(*p), nil
		}
	case *value.GUID:
		if p := x.Ptr(); p != nil {
			return table.GUID(p.String()), nil
		}
	case *value.Dynamic:
		if x.Value == nil {
			return nil, nil
		}
		return dynamicValue(x.Value), nil
	default:
		return nil, fmt.Errorf("unexpected %T in a %s column", v, typ)
	}
	return nil, nil
}

// dynamicValue parses a dynamic cell. azkustodata hands over the JSON of objects, arrays
// and numbers, but the bare text of a string: text that is not JSON stays a string.
func dynamicValue(b []byte) any {
	if x, err := table.ParseDynamic(string(b)); err == nil {
		return x
	}
	return string(b)
}

// visualizationOf finds the "Visualization" row of the QueryProperties table.
func visualizationOf(t query.Table) []byte {
	for _, r := range t.Rows() {
		k, err := r.ValueByName("Key")
		if err != nil || k.String() != "Visualization" {
			continue
		}
		v, err := r.ValueByName("Value")
		if err != nil {
			continue
		}
		if d, ok := v.(*value.Dynamic); ok && d.Value != nil {
			return d.Value
		}
		if s := v.String(); s != "" {
			return []byte(s)
		}
	}
	return nil
}

// parseVisualization reads the service's Visualization object (PascalCase, comma-joined
// column lists, "NaN" for unset bounds); nil when there is no render.
func parseVisualization(b []byte) *table.RenderSpec {
	if len(b) == 0 {
		return nil
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		// Some proxies wrap the object in a JSON string.
		var s string
		if json.Unmarshal(b, &s) != nil || json.Unmarshal([]byte(s), &m) != nil {
			return nil
		}
	}
	str := func(k string) string {
		if s, ok := m[k].(string); ok {
			return s
		}
		return ""
	}
	list := func(k string) []string {
		s := str(k)
		if s == "" {
			return nil
		}
		var out []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	num := func(k string) *float64 {
		var f float64
		switch v := m[k].(type) {
		case json.Number:
			f, _ = v.Float64()
		case float64:
			f = v
		case string:
			var err error
			if f, err = strconv.ParseFloat(v, 64); err != nil {
				return nil
			}
		default:
			return nil
		}
		if math.IsNaN(f) {
			return nil
		}
		return &f
	}
	bound := func(k string) any {
		switch v := m[k].(type) {
		case json.Number:
			if i, err := v.Int64(); err == nil {
				return float64(i)
			}
			f, _ := v.Float64()
			return f
		case string:
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return table.FromTime(t)
			}
			if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) {
				return f
			}
		}
		return nil
	}
	r := &table.RenderSpec{
		Visualization: str("Visualization"), Title: str("Title"), XColumn: str("XColumn"),
		YColumns: list("YColumns"), Series: list("Series"), XTitle: str("XTitle"), YTitle: str("YTitle"),
		XAxis: str("XAxis"), YAxis: str("YAxis"), Legend: str("Legend"), YSplit: str("YSplit"), Kind: str("Kind"),
		AnomalyColumns: list("AnomalyColumns"), YMin: num("Ymin"), YMax: num("Ymax"), XMin: bound("Xmin"), XMax: bound("Xmax"),
	}
	if a, ok := m["Accumulate"].(bool); ok {
		r.Accumulate = a
	}
	if r.Visualization == "" {
		return nil
	}
	return r
}

// convertError turns what IterativeQuery or Mgmt returned into an *Error (the service
// spoke) or a wrapped transport error, without secrets.
func (b *Backend) convertError(ctx context.Context, err error, q string) error {
	if ctx.Err() != nil {
		return fmt.Errorf("kusto: query cancelled: %w", ctx.Err())
	}
	var he *kerrors.HttpError
	if errors.As(err, &he) {
		var body []byte
		if m := he.UnmarshalREST(); m != nil {
			body, _ = json.Marshal(m)
		} else {
			// Not JSON: the service's plain-text answer follows the first ":\n".
			msg := he.KustoError.Err.Error()
			if i := strings.Index(msg, ":\n"); i >= 0 {
				msg = msg[i+2:]
			}
			body = []byte(msg)
		}
		return errorFromBody(he.StatusCode, body, q)
	}
	if errs := oneAPIErrors(err, q); len(errs) > 0 {
		first := errs[0]
		first.Details = errs[1:]
		return first
	}
	return fmt.Errorf("kusto: %s: %w", redactURL(b.cluster), scrub(err, b.cfg))
}

// streamErrors converts an error found inside the result stream.
func (b *Backend) streamErrors(ctx context.Context, err error, q string) []*Error {
	if errs := oneAPIErrors(err, q); len(errs) > 0 {
		return errs
	}
	if ctx.Err() != nil {
		return []*Error{{Code: "Cancelled", Message: ctx.Err().Error(), Offset: -1}}
	}
	return []*Error{{Code: "ClientError", Message: scrub(err, b.cfg).Error(), Offset: -1}}
}

// oneAPIErrors collects the service's errors from a result stream's error (one, or a
// CombinedError of several).
func oneAPIErrors(err error, q string) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		var ce *kerrors.CombinedError
		if errors.As(err, &ce) && ce != nil {
			for _, e := range ce.Errors {
				walk(e)
			}
			return
		}
		var oe *v2.OneApiError
		if errors.As(err, &oe) && oe != nil {
			m := oe.ErrorMessage
			o := &oneAPIError{Code: m.Code, Message: m.Message, Type: m.Type, AtMessage: m.Description, Permanent: m.IsPermanent}
			o.Context.ActivityID = m.Context.ActivityId
			e := newError(200, o, q)
			if e.InnerMessage == "" {
				e.InnerMessage = m.Description
			}
			out = append(out, e)
		}
	}
	walk(err)
	return out
}

// isCommand reports whether text is a control command (`.show tables`), which the service
// answers only on its v1 management endpoint.
func isCommand(text string) bool {
	for {
		text = strings.TrimLeft(text, " \t\r\n")
		if !strings.HasPrefix(text, "//") {
			break
		}
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return false
		}
		text = text[i+1:]
	}
	return strings.HasPrefix(text, ".")
}

// command runs a control command through the management endpoint.
func (b *Backend) command(ctx context.Context, stmt azkustodata.Statement, text string, opts []azkustodata.QueryOption) (*backend.Response, error) {
	ds, err := b.client.Mgmt(ctx, b.cfg.Database, stmt, opts...)
	if err != nil {
		return nil, b.convertError(ctx, err, text)
	}
	resp := &backend.Response{Tables: []*table.Table{}}
	for i, qt := range ds.Tables() {
		cols := qt.Columns()
		schema := make(table.Schema, len(cols))
		for j, c := range cols {
			typ, ok := table.ParseType(string(c.Type()))
			if !ok {
				typ = table.TypeDynamic
			}
			schema[j] = table.ColumnSchema{Name: c.Name(), Type: typ}
		}
		name := "PrimaryResult"
		if i > 0 {
			name = fmt.Sprintf("Table_%d", i)
		}
		t := table.New(name, schema)
		row := make([]any, len(cols))
		for _, r := range qt.Rows() {
			vals := r.Values()
			for j := range row {
				row[j] = nil
				if j < len(vals) {
					x, err := convert(vals[j], schema[j].Type)
					if err != nil {
						return nil, fmt.Errorf("kusto: column %s: %w", schema[j].Name, err)
					}
					row[j] = x
				}
			}
			if err := t.AppendRow(row...); err != nil {
				return nil, fmt.Errorf("kusto: %w", err)
			}
		}
		resp.Tables = append(resp.Tables, t)
	}
	return resp, nil
}
