package magic

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/engine/fn"
	"github.com/kqlkernel/kqlkernel/kernel"
	"github.com/kqlkernel/kqlkernel/kql/catalog"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// queryPart locates the KQL inside a cell for completion and inspection: it skips a
// %%kql first line, or the %kql head of the line the cursor is on. It returns the byte
// offset where KQL starts and whether the cursor is in a magic's option area.
func queryPart(code string, cur int) (start int, inHead bool) {
	lineStart := strings.LastIndexByte(code[:cur], '\n') + 1
	// %%kql on the first non-blank line: KQL starts on the next line.
	trimmed := strings.TrimLeft(code, " \t\r\n")
	if _, ok := cutMagic(trimmed, "%%"); ok {
		first := len(code) - len(trimmed)
		nl := strings.IndexByte(code[first:], '\n')
		if nl < 0 || first+nl >= cur {
			return cur, true
		}
		start = first + nl + 1
		return start, false
	}
	line := code[lineStart:]
	if rest, ok := cutMagic(line, "%"); ok {
		name, args := splitMagicName(rest)
		if name != "kql" {
			return cur, true
		}
		argsAt := lineStart + (len(line) - len(rest)) + len(name)
		head, err := parseHead(args)
		if err != nil {
			return cur, true
		}
		qs := argsAt + head.rest
		if cur < qs || (cur == qs && strings.TrimSpace(code[argsAt:cur]) != "" && !strings.HasSuffix(code[:cur], " ")) {
			return cur, true
		}
		return qs, false
	}
	// A plain cell: KQL from the start of the plain block containing the cursor.
	for start = lineStart; start > 0; {
		prev := strings.LastIndexByte(code[:start-1], '\n') + 1
		if _, ok := cutMagic(code[prev:start], "%"); ok {
			break
		}
		start = prev
	}
	return start, false
}

// Complete offers table names, columns, operators, functions, let names and options.
func (in *Interpreter) Complete(ctx context.Context, code string, cursor int) kernel.Completion {
	cur := syntax.ByteOffset(code, cursor)
	// The word being typed: identifier characters and '-' (mv-expand, -option).
	ws := cur
	for ws > 0 && (isIdentPart(code[ws-1]) || code[ws-1] == '-' || code[ws-1] == '!') {
		ws--
	}
	prefix := code[ws:cur]
	we := cur
	for we < len(code) && isIdentPart(code[we]) {
		we++
	}
	comp := kernel.Completion{Matches: []string{}, CursorStart: syntax.CodePointOffset(code, ws), CursorEnd: syntax.CodePointOffset(code, we), Metadata: map[string]any{}}

	qs, inHead := queryPart(code, cur)
	if inHead || strings.HasPrefix(prefix, "-") {
		if strings.HasPrefix(prefix, "-") || prefix == "" {
			comp.Matches = filterPrefix([][]string{optionWords()}, prefix)
			return comp
		}
		comp.Matches = filterPrefix([][]string{in.connectionNames()}, prefix)
		return comp
	}
	if strings.HasPrefix(prefix, "-") {
		prefix = strings.TrimLeft(prefix, "-")
		ws = cur - len(prefix)
		comp.CursorStart = syntax.CodePointOffset(code, ws)
	}
	if ws < qs {
		// The cursor is on the magic's own name (%kq|): offer the magics.
		if ws > 0 && code[ws-1] == '%' {
			comp.Matches = filterPrefix([][]string{{"kql", "clear"}}, prefix)
		}
		return comp
	}
	query := code[qs:ws]
	if inStringOrComment(code[qs:cur]) {
		return comp
	}
	comp.Matches = filterPrefix(in.candidates(ctx, query), prefix)
	return comp
}

// candidates lists what may come at the end of query, best group first: names the query
// and session defined, then columns, then the rest.
func (in *Interpreter) candidates(ctx context.Context, query string) [][]string {
	toks := scan(query)
	// Only the current statement matters.
	stmtStart := 0
	for i, t := range toks {
		if t.kind == tPunct && t.text == ";" {
			stmtStart = i + 1
		}
	}
	stmt := toks[stmtStart:]
	var prev tok
	if len(stmt) > 0 {
		prev = stmt[len(stmt)-1]
	}
	schema := in.schema(ctx)
	lets := in.letNames(query)
	switch {
	case len(stmt) == 0:
		return [][]string{append(lets, in.sortedResultNames()...), tableNames(schema),
			{"let", "print", "range", "datatable", "union", "search", "find", "set", "declare"}}
	case prev.kind == tPunct && prev.text == "|":
		return [][]string{syntax.OperatorNames()}
	case prev.kind == tIdent && prev.text == "render":
		return [][]string{syntax.RenderKinds()}
	case prev.kind == tIdent && prev.text == "evaluate":
		if cat, err := catalog.Default(); err == nil {
			return [][]string{cat.Names(catalog.Plugin, false)}
		}
	case prev.kind == tIdent && (prev.text == "union" || prev.text == "join" || prev.text == "lookup" || prev.text == "in"):
		return [][]string{append(lets, in.sortedResultNames()...), tableNames(schema)}
	}
	// Inside an operator: the columns of the source, functions, lets.
	out := []string{}
	src := ""
	if stmt[0].kind == tIdent {
		src = resolveSource(in.params, query, stmt[0].text)
	}
	for _, t := range schemaTables(schema) {
		if src == "" || t.Name == src {
			for _, c := range t.Columns {
				out = append(out, c.Name)
			}
		}
	}
	if t, ok := in.results[src]; ok {
		for _, c := range t.Columns {
			out = append(out, c.Name)
		}
	}
	// Columns the pipeline defined so far: `Name =` in extend, summarize, project.
	for i := 0; i+1 < len(stmt); i++ {
		if stmt[i].kind == tIdent && stmt[i+1].text == "=" && (i+2 >= len(stmt) || stmt[i+2].text != "=") {
			out = append(out, stmt[i].text)
		}
	}
	var funcs []string
	cat, catErr := catalog.Default()
	if inSummarize(stmt) {
		if catErr == nil {
			funcs = append(funcs, cat.Names(catalog.Aggregate, false)...)
		}
	}
	if catErr == nil {
		funcs = append(funcs, cat.Names(catalog.Scalar, false)...)
	} else {
		funcs = append(funcs, fn.Names()...)
	}
	funcs = append(funcs, "and", "or", "not", "by", "on", "has", "contains", "startswith", "endswith", "in", "between", "asc", "desc")
	return [][]string{lets, out, funcs, tableNames(schema)}
}

// inStringOrComment reports whether the end of text is inside a string literal or a //
// comment, where completion has nothing to offer.
func inStringOrComment(text string) bool {
	toks := scan(text)
	if len(toks) > 0 && toks[len(toks)-1].kind == tString && toks[len(toks)-1].unterminated {
		return true
	}
	line := text[strings.LastIndexByte(text, '\n')+1:]
	lt := scan(line)
	rest := line
	if len(lt) > 0 {
		rest = line[lt[len(lt)-1].end:]
	}
	return strings.Contains(rest, "//")
}

// resolveSource follows `let name = Source ...` (in the query or the session parameters)
// to the table a pipeline starts from, so `let T = SecurityEvent | ...; T | where E`
// completes SecurityEvent's columns.
func resolveSource(params []param, query, name string) string {
	text := query
	for _, p := range params {
		text = p.text + ";\n" + text
	}
	toks := scan(text)
	for range 8 {
		next := ""
		for i := 0; i+3 < len(toks); i++ {
			if toks[i].text == "let" && toks[i+1].text == name && toks[i+2].text == "=" && toks[i+3].kind == tIdent {
				next = toks[i+3].text
			}
		}
		if next == "" || next == name {
			return name
		}
		name = next
	}
	return name
}

func inSummarize(stmt []tok) bool {
	for i := len(stmt) - 1; i >= 0; i-- {
		if stmt[i].kind == tPunct && stmt[i].text == "|" {
			return i+1 < len(stmt) && (stmt[i+1].text == "summarize" || stmt[i+1].text == "make-series")
		}
	}
	return false
}

// letNames are the names bound by let in the text and the session parameters.
func (in *Interpreter) letNames(query string) []string {
	var out []string
	for _, p := range in.params {
		out = append(out, p.name)
	}
	toks := scan(query)
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == tIdent && toks[i].text == "let" && toks[i+1].kind == tIdent {
			out = append(out, toks[i+1].text)
		}
	}
	return out
}

// schema returns the active connection's schema, fetched once per connection. Completion
// must be quick, so a slow service gets a few seconds at most.
func (in *Interpreter) schema(ctx context.Context) *backend.Schema {
	c, err := in.active()
	if err != nil {
		return nil
	}
	if c.schema != nil {
		return c.schema
	}
	if !c.schemaFailed.IsZero() && time.Since(c.schemaFailed) < time.Minute {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := c.be.Schema(ctx)
	if err != nil || s == nil {
		c.schemaFailed = time.Now()
		return nil
	}
	c.schema = s
	return s
}

func schemaTables(s *backend.Schema) []backend.TableSchema {
	if s == nil {
		return nil
	}
	return s.Tables
}

func tableNames(s *backend.Schema) []string {
	var out []string
	for _, t := range schemaTables(s) {
		out = append(out, t.Name)
	}
	if s != nil {
		for _, f := range s.Functions {
			out = append(out, f.Name)
		}
	}
	return out
}

func (in *Interpreter) connectionNames() []string {
	var out []string
	for _, c := range in.conns {
		out = append(out, c.conn.Name())
	}
	return append(out, "loganalytics://", "kusto://", "local://demo")
}

func optionWords() []string {
	var out []string
	for _, d := range optionDefs {
		out = append(out, "-"+d.name, "--"+d.name)
		for _, s := range d.short {
			out = append(out, "-"+s)
		}
	}
	for _, c := range commandDefs {
		out = append(out, "--"+c.name)
	}
	return out
}

// filterPrefix keeps candidates starting with prefix (case-insensitively), deduplicated:
// group by group, those matching the case exactly first, each sorted.
func filterPrefix(groups [][]string, prefix string) []string {
	lp := strings.ToLower(prefix)
	seen := map[string]bool{}
	out := []string{}
	var fold []string
	for _, g := range groups {
		var exact []string
		for _, c := range g {
			if seen[c] || c == "" {
				continue
			}
			switch {
			case strings.HasPrefix(c, prefix):
				seen[c] = true
				exact = append(exact, c)
			case strings.HasPrefix(strings.ToLower(c), lp):
				seen[c] = true
				fold = append(fold, c)
			}
		}
		sort.Strings(exact)
		out = append(out, exact...)
	}
	sort.Strings(fold)
	return append(out, fold...)
}

// Inspect returns help for the word at the cursor: an operator, function, table, column,
// named result, session parameter or option.
func (in *Interpreter) Inspect(ctx context.Context, code string, cursor int, detail int) (kernel.Bundle, bool) {
	cur := syntax.ByteOffset(code, cursor)
	s, e := cur, cur
	for s > 0 && (isIdentPart(code[s-1]) || code[s-1] == '-') {
		s--
	}
	for e < len(code) && (isIdentPart(code[e]) || code[e] == '-') {
		e++
	}
	w := strings.Trim(code[s:e], "-")
	if w == "" {
		return kernel.Bundle{}, false
	}
	if strings.HasPrefix(code[s:e], "-") {
		if d, ok := findOption(w); ok {
			return docBundle(fmt.Sprintf("-%s (%s)\n%s", d.name, strings.Join(d.short, ", "), d.help)), true
		}
	}
	// A word followed by '(' is a function call: prefer the function's docs.
	rest := strings.TrimLeft(code[e:], " \t")
	text, ok := "", false
	if strings.HasPrefix(rest, "(") {
		text, ok = functionDoc(strings.ToLower(w))
	}
	if !ok {
		text, ok = in.describe(ctx, w)
	}
	if !ok {
		return kernel.Bundle{}, false
	}
	return docBundle(text), true
}

// functionDoc is the catalog's help for a scalar function, aggregate or plugin (aggregate
// first inside summarize is not known here; count is both, and both are shown).
func functionDoc(name string) (string, bool) {
	cat, err := catalog.Default()
	if err != nil {
		return "", false
	}
	var parts []string
	if f, ok := cat.Scalar(name); ok {
		parts = append(parts, name+" (function)\n\n"+f.Doc())
	}
	if f, ok := cat.Aggregate(name); ok {
		parts = append(parts, name+" (aggregation function)\n\n"+f.Doc())
	}
	if f, ok := cat.Plugin(name); ok {
		parts = append(parts, name+" (evaluate plugin)\n\n"+f.Doc())
	}
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, "\n\n"), true
}

func docBundle(s string) kernel.Bundle {
	return kernel.Bundle{Data: map[string]any{"text/plain": s}, Metadata: map[string]any{}}
}

// describe explains a name; used by Inspect and `%kql --help NAME`.
func (in *Interpreter) describe(ctx context.Context, w string) (string, bool) {
	lw := strings.ToLower(w)
	if cat, err := catalog.Default(); err == nil {
		if o, ok := cat.Operator(lw); ok {
			return fmt.Sprintf("%s (operator)\n\n%s\n\n%s", o.Name, o.Syntax, o.Description), true
		}
		if text, ok := functionDoc(lw); ok {
			return text, true
		}
	}
	if d, ok := keywordDocs[lw]; ok {
		return fmt.Sprintf("%s (statement)\n\n%s\n\n%s", lw, d.syntax, d.text), true
	}
	for _, p := range in.params {
		if p.name == w {
			return "session parameter\n\n" + in.scrub(p.text), true
		}
	}
	if t, ok := in.results[w]; ok {
		return fmt.Sprintf("%s (named result): %d rows\n\n%s", w, t.Rows(), columnList(t.Schema())), true
	}
	schema := in.schema(ctx)
	for _, t := range schemaTables(schema) {
		if t.Name == w {
			head := t.Name + " (table)"
			if t.Description != "" {
				head += ": " + t.Description
			}
			return head + "\n\n" + columnList(t.Columns), true
		}
	}
	var in2 []string
	var typ table.Type
	for _, t := range schemaTables(schema) {
		for _, c := range t.Columns {
			if c.Name == w {
				in2 = append(in2, t.Name)
				typ = c.Type
			}
		}
	}
	if len(in2) > 0 {
		more := ""
		if len(in2) > 12 {
			more = fmt.Sprintf(" and %d more", len(in2)-12)
			in2 = in2[:12]
		}
		return fmt.Sprintf("%s (column, %s)\n\nin %s%s", w, typ, strings.Join(in2, ", "), more), true
	}
	if _, ok := fn.Lookup(lw); ok {
		return lw + " (scalar function)", true
	}
	if slicesContains(syntax.OperatorNames(), lw) {
		return lw + " (tabular operator)", true
	}
	return "", false
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func columnList(s table.Schema) string {
	var b strings.Builder
	width := 0
	for _, c := range s {
		width = max(width, len(c.Name))
	}
	for _, c := range s {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, c.Name, c.Type)
	}
	return strings.TrimRight(b.String(), "\n")
}

// IsComplete reports whether a cell is ready to run: incomplete while a query ends with
// '|' (or another binary operator) or has an open bracket or string; invalid on a syntax
// error or an unmatched closing bracket.
func (in *Interpreter) IsComplete(code string) (string, string) {
	if strings.TrimSpace(code) == "" {
		return "complete", ""
	}
	if t := strings.TrimRight(code, " \t\r\n"); strings.HasSuffix(t, "\\") {
		// A %kql line continued with a backslash: find the line the chain starts on.
		lines := strings.Split(t, "\n")
		i := len(lines) - 1
		for i > 0 && strings.HasSuffix(strings.TrimRight(lines[i-1], " \t\r"), "\\") {
			i--
		}
		if _, ok := cutMagic(lines[i], "%"); ok {
			return "incomplete", ""
		}
	}
	units, err := splitCell(code)
	if err != nil {
		return "invalid", ""
	}
	trimmed := strings.TrimLeft(code, " \t\r\n")
	if _, ok := cutMagic(trimmed, "%%"); ok && !strings.Contains(strings.TrimRight(trimmed, " \t\r\n"), "\n") {
		return "incomplete", ""
	}
	for _, u := range units {
		if u.kind != unitQuery || u.head.command != "" {
			continue
		}
		q := u.query
		if strings.TrimSpace(q) == "" {
			continue
		}
		toks := scan(q)
		if len(toks) == 0 {
			continue // only comments
		}
		for _, t := range toks {
			if t.unterminated {
				return "incomplete", ""
			}
		}
		open, unmatched := bracketState(toks)
		if unmatched != nil {
			return "invalid", ""
		}
		if len(open) > 0 {
			return "incomplete", strings.Repeat("    ", len(open))
		}
		last := toks[len(toks)-1]
		if last.kind == tPunct && strings.Contains("|,=+-*/<>!~", last.text) ||
			last.kind == tIdent && (last.text == "and" || last.text == "or" || last.text == "by" || last.text == "let") {
			return "incomplete", ""
		}
		if _, errs := syntax.Parse(q); len(errs) > 0 {
			return "invalid", ""
		}
	}
	return "complete", ""
}
