package magic

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/kernel"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/render"
	"github.com/kqlkernel/kqlkernel/table"
)

// prepared is a query ready to send: the session's parameters and inlined named
// results before the user's text.
type prepared struct {
	text   string // what the backend gets
	prefix int    // bytes before the user's query
	user   string // the user's query after {name} substitution
	// cell and at place the user's query in the cell, so errors show the cell's own line
	// and column; at is -1 when the query is not verbatim in the cell.
	cell string
	at   int
}

// prepare substitutes {name}, prepends session parameters and, for services, named
// results as datatables.
func (in *Interpreter) prepare(ctx context.Context, c *connection, query string, props []string) (prepared, error) {
	user, err := in.substitute(ctx, query)
	if err != nil {
		return prepared{}, err
	}
	var b strings.Builder
	for _, p := range props {
		b.WriteString(p + ";\n")
	}
	_, isLocal := c.be.(*local.Backend)
	if !isLocal {
		used := user
		for _, p := range in.params {
			used += "\n" + p.text
		}
		for _, name := range in.sortedResultNames() {
			if !mentions(used, name) || in.paramNamed(name) {
				continue
			}
			dt, err := inlineDatatable(name, in.results[name])
			if err != nil {
				return prepared{}, err
			}
			b.WriteString(dt)
			b.WriteString(";\n")
		}
	}
	for _, p := range in.params {
		b.WriteString(p.text)
		b.WriteString(";\n")
	}
	prefix := b.Len()
	b.WriteString(user)
	p := prepared{text: b.String(), prefix: prefix, user: user, cell: in.cell, at: -1}
	if i := strings.Index(in.cell, user); i >= 0 && user != "" && strings.LastIndex(in.cell, user) == i {
		p.at = i
	}
	return p, nil
}

func (in *Interpreter) paramNamed(name string) bool {
	for _, p := range in.params {
		if p.name == name {
			return true
		}
	}
	return false
}

// runQuery runs a query on c and returns the result bundle; side outputs (status, saved
// files) go to out.
func (in *Interpreter) runQuery(ctx context.Context, c *connection, query string, opts Options, out kernel.Output) (*kernel.Bundle, error) {
	p, err := in.prepare(ctx, c, query, opts.Properties)
	if err != nil {
		return nil, in.usage("%v", err)
	}
	req := backend.Request{Query: p.text, Timeout: opts.Timeout, Workspaces: opts.Workspaces, IncludeRender: true}
	if opts.Timespan != "" {
		start, end, err := parseTimespan(opts.Timespan, in.cfg.Now())
		if err != nil {
			return nil, in.usage("%v", err)
		}
		req.Start, req.End = start, end
	}
	if opts.ShowQuery {
		out.Display(kernel.Bundle{Data: map[string]any{"text/plain": in.scrub(p.text)}, Metadata: map[string]any{}})
	}

	started := time.Now()
	st := in.startStatus(out, opts.Feedback, started)
	resp, err := in.send(ctx, c, req)
	elapsed := time.Since(started)
	statusID := st.stop()

	if err != nil {
		if statusID != "" {
			// Replace the running line with the outcome, so nothing keeps ticking.
			b := toKernel(render.StatusLine(render.Status{Failed: true, Elapsed: elapsed}))
			b.DisplayID = statusID
			out.Update(b)
		}
		return nil, in.queryError(err, p)
	}
	if len(resp.Tables) == 0 {
		resp.Tables = []*table.Table{}
	}

	var records int64
	for _, t := range resp.Tables {
		records += int64(t.Rows())
	}
	// A service that cuts a result at its limits (500,000 rows or 64 MB without `set
	// notruncation`) returns the rows it kept with a partial error saying so. That is
	// truncation, not the display limit (-display_limit: "showing N of M rows").
	truncated := resp.Partial != nil && isTruncation(resp.Partial)
	if opts.Feedback {
		s := render.Status{Elapsed: elapsed, Records: records, Truncated: truncated, Partial: resp.Partial != nil && !truncated}
		b := toKernel(render.StatusLine(s))
		in.noteConnection(&b, c)
		if statusID != "" {
			b.DisplayID = statusID
			out.Update(b)
		} else {
			out.Display(b)
		}
	}
	if resp.Partial != nil {
		title := "Partial result"
		if truncated {
			title = "Truncated result"
		}
		out.Display(toKernel(render.Error(title, in.describeError(resp.Partial, p))))
	}

	if opts.As != "" {
		if len(resp.Tables) == 0 {
			return nil, in.usage("--as %s: %v", opts.As, errNoRows)
		}
		t := resp.Tables[0]
		kept := &table.Table{Name: opts.As, Columns: t.Columns}
		in.results[opts.As] = kept
	}
	if opts.SaveAs != "" {
		if err := saveResult(opts.SaveAs, resp.Tables); err != nil {
			return nil, in.usage("-save_as: %v", err)
		}
		if opts.Feedback {
			out.Display(*textBundle(fmt.Sprintf("Saved %d records to %s", records, opts.SaveAs)))
		}
	}

	topts := render.TableOptions{MaxRows: opts.DisplayLimit}
	if opts.Stdout {
		text := render.Tables(resp.Tables, topts).Text()
		out.Stream("stdout", text+"\n")
		return nil, nil
	}
	if render.IsChart(resp.Render) && len(resp.Tables) > 0 {
		chart, err := render.Chart(resp.Tables[0], resp.Render, render.ChartOptions{Width: opts.ChartWidth, Height: opts.ChartHeight, DPI: float64(opts.ChartDPI)})
		if err == nil {
			b := toKernel(chart)
			return &b, nil
		}
		out.Display(toKernel(render.Warning(err.Error() + "; showing the table instead")))
	}
	b := toKernel(render.Tables(resp.Tables, topts))
	return &b, nil
}

// isTruncation reports whether a partial result's error is a result set limit:
// E_QUERY_RESULT_SET_TOO_LARGE from the engine, or from Log Analytics and Azure Data
// Explorer, which send its HRESULT 0x80DA0003 (as the signed "-2133196797" in Log
// Analytics' innererror code) and the name in the message.
func isTruncation(err error) bool {
	var ee *engine.Error
	if errors.As(err, &ee) && ee.Code == "E_QUERY_RESULT_SET_TOO_LARGE" {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "E_QUERY_RESULT_SET_TOO_LARGE") || strings.Contains(s, "-2133196797") ||
		strings.Contains(strings.ToUpper(s), "80DA0003")
}

// noteConnection adds where the query ran to the status line; with no connection it
// says the demo workspace answered.
func (in *Interpreter) noteConnection(b *kernel.Bundle, c *connection) {
	note := " * " + c.conn.Name()
	if in.current == nil && c == in.demo {
		note += " (no connection: the query ran on the local demo workspace; connect with %kql loganalytics://workspace='ID';appkey='KEY')"
	}
	if s, ok := b.Data["text/plain"].(string); ok {
		b.Data["text/plain"] = s + "\n" + note
	}
	if s, ok := b.Data["text/html"].(string); ok {
		// the classes keep Notebook 6's MathJax off the note, as render does for its HTML
		b.Data["text/html"] = s + `<div class="tex2jax_ignore mathjax_ignore" style="font-size:12px;opacity:.6;margin:2px 0">` + htmlEscape(note) + `</div>`
	}
}

func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
	return r.Replace(s)
}

// send runs the request on the connection's backend; named results are passed to the
// local engine as tables.
func (in *Interpreter) send(ctx context.Context, c *connection, req backend.Request) (*backend.Response, error) {
	if lb, ok := c.be.(*local.Backend); ok {
		return lb.QueryWith(ctx, req, in.results)
	}
	return c.be.Query(ctx, req)
}

// status shows "Running (00:03.215)..." for long queries, updated in place.
type status struct {
	stopOnce sync.Once
	done     chan struct{}
	finished chan struct{}
	id       string
	shown    bool
}

func (in *Interpreter) startStatus(out kernel.Output, feedback bool, started time.Time) *status {
	st := &status{done: make(chan struct{}), finished: make(chan struct{}), id: fmt.Sprintf("kql-status-%d", started.UnixNano())}
	if !feedback {
		close(st.finished)
		return st
	}
	go func() {
		defer close(st.finished)
		timer := time.NewTimer(in.cfg.StatusDelay)
		defer timer.Stop()
		select {
		case <-st.done:
			return
		case <-timer.C:
		}
		running := func() kernel.Bundle {
			b := toKernel(render.StatusLine(render.Status{Running: true, Elapsed: time.Since(started)}))
			b.DisplayID = st.id
			return b
		}
		out.Display(running())
		st.shown = true
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-st.done:
				return
			case <-tick.C:
				out.Update(running())
			}
		}
	}()
	return st
}

// stop ends the ticker and returns the display id to update, or "" if nothing was shown.
func (st *status) stop() string {
	st.stopOnce.Do(func() { close(st.done) })
	<-st.finished
	if st.shown {
		return st.id
	}
	return ""
}

// queryError turns a backend error into the cell's error, with the query line and a caret
// when the error has a position, and without secrets.
func (in *Interpreter) queryError(err error, p prepared) error {
	if errors.Is(err, context.DeadlineExceeded) {
		msg := in.scrub(err.Error())
		if !strings.Contains(msg, "timeout") {
			msg = "the query ran longer than its timeout (-timeout N to allow more): " + msg
		}
		return &kernel.ExecError{Name: "TimeoutError", Value: firstLine(msg), Traceback: strings.Split(msg, "\n")}
	}
	if errors.Is(err, context.Canceled) {
		return &kernel.ExecError{Name: "KeyboardInterrupt", Value: "the query was interrupted", Traceback: []string{"KeyboardInterrupt: the query was interrupted"}}
	}
	var ee *engine.Error
	if errors.As(err, &ee) {
		name := map[string]string{"syntax": "SyntaxError", "semantic": "SemanticError", "unsupported": "SemanticError", "canceled": "KeyboardInterrupt"}[ee.Code]
		if name == "" {
			name = "QueryError"
		}
		text := in.positioned(ee.Offset, ee.Len, ee.Msg, ee.Hint, p)
		return &kernel.ExecError{Name: name, Value: in.scrub(firstLine(text)), Traceback: strings.Split(in.scrub(text), "\n")}
	}
	var se backend.ServiceError
	if errors.As(err, &se) {
		text := in.describeError(err, p)
		return &kernel.ExecError{Name: "ServiceError", Value: in.scrub(firstLine(text)), Traceback: strings.Split(in.scrub(text), "\n")}
	}
	msg := in.scrub(err.Error())
	return &kernel.ExecError{Name: "QueryError", Value: firstLine(msg), Traceback: strings.Split(msg, "\n")}
}

// describeError formats a service error with the query line and a caret when the service
// gave a position.
func (in *Interpreter) describeError(err error, p prepared) string {
	var se backend.ServiceError
	if !errors.As(err, &se) {
		return in.scrub(err.Error())
	}
	e := se.Parts()
	head := e.Code
	if e.Message != "" {
		head += ": " + e.Message
	}
	msg := e.InnerMessage
	if e.InnerCode != "" && e.InnerCode != e.Code {
		msg = e.InnerCode + ": " + msg
	}
	if e.Offset >= 0 && msg != "" {
		return in.scrub(head + "\n" + in.positioned(e.Offset, 0, msg, "", p))
	}
	return in.scrub(se.Error())
}

// positioned renders msg at a byte offset of the text sent, mapped back onto the user's
// query (the session parameters and inlined results come first).
func (in *Interpreter) positioned(offset, length int, msg, hint string, p prepared) string {
	src := p.user
	if offset < p.prefix {
		// The problem is in a session parameter or an inlined result.
		src = p.text[:p.prefix]
		msg += " (in the session parameters prepended to the query; %kql --params lists them)"
	} else {
		offset -= p.prefix
		if p.at >= 0 {
			// Point into the cell itself: its line numbers, the %kql prefix on the line.
			src, offset = p.cell, offset+p.at
		}
	}
	return syntax.FormatError(src, &syntax.Error{Offset: offset, Len: length, Msg: msg, Hint: hint})
}

// saveResult writes the result to a .csv or .json file.
func saveResult(path string, tables []*table.Table) error {
	var data []byte
	switch saveFormat(path) {
	case "json":
		b, err := table.EncodeJSON(tables)
		if err != nil {
			return err
		}
		data = b
	case "csv":
		if len(tables) == 0 {
			return errNoRows
		}
		var sb strings.Builder
		if err := WriteCSV(&sb, tables[0]); err != nil {
			return err
		}
		data = []byte(sb.String())
	default:
		return fmt.Errorf("%s: the file name must end in .csv or .json", path)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// WriteCSV writes a header of column names and one line per row (values as Kusto
// formats them, null as empty).
func WriteCSV(w io.Writer, t *table.Table) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(t.Columns))
	for r := 0; r < t.Rows(); r++ {
		for i, c := range t.Columns {
			row[i] = table.Format(c.Data.At(r))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// inlineDatatable writes a named result as `let Name = datatable(...)[...]`, bounded in
// rows and bytes so a service request stays reasonable.
func inlineDatatable(name string, t *table.Table) (string, error) {
	n := t.Rows()
	if n > MaxInlineRows {
		return "", fmt.Errorf("the named result %s has %d rows; at most %d can be sent to a service as an inline datatable. Reduce it first (e.g. %%kql --as %s with | summarize or | take), or query it on the local engine with -conn demo", name, n, MaxInlineRows, name)
	}
	var b strings.Builder
	b.WriteString("let " + name + " = datatable(")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteName(c.Name) + ":" + c.Type.String())
	}
	b.WriteString(") [")
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		for i, c := range t.Columns {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(literal(c.Type, c.Data.At(r)))
		}
		if b.Len() > MaxInlineBytes {
			return "", fmt.Errorf("the named result %s is larger than %d KB as an inline datatable (at row %d of %d); reduce it first (project fewer columns, summarize or take), or query it on the local engine with -conn demo", name, MaxInlineBytes>>10, r+1, n)
		}
	}
	b.WriteString("]")
	return b.String(), nil
}

// quoteName brackets a column name that is not a plain identifier.
func quoteName(s string) string {
	if validName(s) && !isKeyword(s) {
		return s
	}
	return "['" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "']"
}

func isKeyword(s string) bool {
	switch s {
	case "let", "where", "project", "by", "on", "and", "or", "not", "in", "has", "true", "false", "null", "with", "of", "to", "from", "step", "kind", "as", "set", "declare", "contains", "between", "datatable", "print", "range", "union", "join", "summarize", "extend", "take", "limit", "sort", "order", "top", "count", "distinct", "render", "evaluate", "parse", "search", "find", "asc", "desc", "nulls", "first", "last", "typeof", "dynamic", "bool", "int", "long", "real", "double", "decimal", "string", "datetime", "timespan", "guid", "time", "date":
		return true
	}
	return false
}

// literal writes one value as a KQL literal of type t.
func literal(t table.Type, v any) string {
	if v == nil {
		if t == table.TypeString {
			return `""`
		}
		return t.String() + "(null)"
	}
	switch t {
	case table.TypeString:
		return strconv.Quote(fmt.Sprint(v))
	case table.TypeBool:
		return strconv.FormatBool(v.(bool))
	case table.TypeInt, table.TypeLong:
		return table.Format(v)
	case table.TypeReal:
		f := v.(float64)
		s := table.FormatReal(f)
		switch s {
		case "NaN":
			return "real(nan)"
		case "Infinity":
			return "real(+inf)"
		case "-Infinity":
			return "real(-inf)"
		}
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s
	case table.TypeDecimal:
		return "decimal(" + table.Format(v) + ")"
	case table.TypeDateTime:
		return "datetime(" + table.Format(v) + ")"
	case table.TypeTimeSpan:
		return "timespan(" + table.Format(v) + ")"
	case table.TypeGUID:
		return "guid(" + table.Format(v) + ")"
	case table.TypeDynamic:
		return "dynamic(" + table.DynamicJSON(v) + ")"
	}
	return strconv.Quote(table.Format(v))
}

// substitute replaces {name} with the value of session parameter name (evaluated on the
// local engine), the way the seed notebook formats its parameterized query.
func (in *Interpreter) substitute(ctx context.Context, query string) (string, error) {
	if !strings.Contains(query, "{") || len(in.params) == 0 {
		return query, nil
	}
	var b strings.Builder
	i := 0
	for i < len(query) {
		j := strings.IndexByte(query[i:], '{')
		if j < 0 {
			b.WriteString(query[i:])
			break
		}
		j += i
		b.WriteString(query[i:j])
		k := strings.IndexByte(query[j:], '}')
		if k < 0 {
			b.WriteString(query[j:])
			break
		}
		name := strings.TrimSpace(query[j+1 : j+k])
		if validName(name) && in.paramNamed(name) {
			v, err := in.paramValue(ctx, name)
			if err != nil {
				return "", err
			}
			b.WriteString(v)
			i = j + k + 1
			continue
		}
		b.WriteByte('{')
		i = j + 1
	}
	return b.String(), nil
}

// paramValue evaluates a scalar session parameter and formats it as text.
func (in *Interpreter) paramValue(ctx context.Context, name string) (string, error) {
	demo, err := in.demoConn()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range in.params {
		b.WriteString(p.text + ";\n")
	}
	b.WriteString("print __value = " + name)
	lb, ok := demo.be.(*local.Backend)
	if !ok {
		return "", fmt.Errorf("{%s}: no local engine to evaluate it", name)
	}
	resp, err := lb.QueryWith(ctx, backend.Request{Query: b.String()}, in.results)
	if err != nil {
		return "", fmt.Errorf("{%s}: the parameter is not a scalar value that can be substituted: %w", name, err)
	}
	if len(resp.Tables) == 0 || resp.Tables[0].Rows() != 1 || len(resp.Tables[0].Columns) != 1 {
		return "", fmt.Errorf("{%s}: the parameter is not a scalar value", name)
	}
	return table.Format(resp.Tables[0].Columns[0].Data.At(0)), nil
}
