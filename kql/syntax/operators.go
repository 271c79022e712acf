package syntax

import (
	"sort"
	"strings"
)

type opParser func(p *parser, start int, name string) Operator

// operators maps each operator keyword (and its alternative spellings) to its parser.
// Filled once in init (a literal would form an initialisation cycle) and never changed.
var operators map[string]opParser

func init() {
	operators = map[string]opParser{
		"where": parseWhere, "filter": parseWhere,
		"project": parseProject, "project-away": parseProjectAway, "project-keep": parseProjectKeep,
		"project-rename": parseProjectRename, "project-reorder": parseProjectReorder,
		"project-smart": parseProject,
		"extend":        parseExtend, "summarize": parseSummarize, "count": parseCount,
		"take": parseTake, "limit": parseTake, "top": parseTop, "order": parseSort, "sort": parseSort,
		"distinct": parseDistinct, "join": parseJoin, "lookup": parseLookup, "union": parseUnion,
		"render": parseRender, "mv-expand": parseMvExpand, "mvexpand": parseMvExpand,
		"mv-apply": parseMvApply, "mvapply": parseMvApply,
		"parse": parseParse, "parse-where": parseParse, "parse-kv": parseParseKv,
		"evaluate": parseEvaluate, "make-series": parseMakeSeries, "datatable": parseDatatable,
		"externaldata": parseExternalData, "external_data": parseExternalData,
		"print": parsePrint, "range": parseRange, "as": parseAs, "consume": parseConsume,
		"facet": parseFacet, "find": parseFind, "fork": parseFork, "getschema": parseGetSchema,
		"invoke": parseInvoke, "partition": parsePartition, "reduce": parseReduce,
		"sample": parseSample, "sample-distinct": parseSampleDistinct, "scan": parseScan,
		"search": parseSearch, "serialize": parseSerialize, "top-hitters": parseTopHitters,
		"top-nested": parseTopNested, "assert-schema": parseAssertSchema,
		"make-graph": parseGeneric, "graph-match": parseGeneric,
		"graph-to-table": parseGeneric, "graph-shortest-paths": parseGeneric,
		"graph-mark-components": parseGeneric, "macro-expand": parseGeneric,
	}
}

// OperatorNames returns every operator keyword the parser knows, sorted.
func OperatorNames() []string { return operatorNames() }

func operatorNames() []string {
	names := make([]string, 0, len(operators))
	for k := range operators {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func span(p *parser, start int) Span { return Span{start, max(start, p.prevEnd())} }

func parseWhere(p *parser, start int, name string) Operator {
	op := &WhereOp{Keyword: name}
	// the official parser reads `where kind=x pred` with an option first
	op.Options = p.parseOptions(map[string]bool{"kind": true}, false)
	op.Pred = p.parseExpr()
	// `where a = 1`: accepted by the official parser when the left side is a name or
	// parenthesised (the binder says to use ==)
	id, isName := op.Pred.(*Ident)
	isName = isName && !notDeclNames[id.Name]
	_, isParen := op.Pred.(*ParenExpr)
	if t := p.tok(); t.Kind == PUNCT && t.Text == "=" && (isName || isParen) {
		p.next()
		op.Pred = p.binary("=", t.Pos, op.Pred, p.parseExpr())
	}
	op.Span = span(p, start)
	return op
}

func parseProject(p *parser, start int, name string) Operator {
	op := &ProjectOp{}
	if name == "project-smart" || !p.endOfOperator() {
		op.Cols = p.parseColumns()
	} else {
		op.Cols = []*Column{}
	}
	op.Span = span(p, start)
	return op
}

// endOfOperator reports whether the operator's arguments have ended.
func (p *parser) endOfOperator() bool {
	t := p.tok()
	return t.Kind == EOF || t.Kind == PUNCT && (t.Text == "|" || t.Text == ";" || t.Text == ")" || t.Text == "}")
}

func (p *parser) parseNamePatterns() []Expr {
	names := []Expr{}
	for {
		names = append(names, p.parseNameOrPattern())
		if !p.got(",") {
			return names
		}
	}
}

func parseProjectAway(p *parser, start int, name string) Operator {
	op := &ProjectAwayOp{Names: []Expr{}}
	if !p.endOfOperator() {
		op.Names = p.parseNamePatterns()
	}
	op.Span = span(p, start)
	return op
}

func parseProjectKeep(p *parser, start int, name string) Operator {
	op := &ProjectKeepOp{Names: []Expr{}}
	if !p.endOfOperator() {
		op.Names = p.parseNamePatterns()
	}
	op.Span = span(p, start)
	return op
}

func parseProjectRename(p *parser, start int, name string) Operator {
	op := &ProjectRenameOp{Cols: []*Column{}}
	for {
		cs := p.tok().Pos
		n := p.parseName("a new column name")
		c := p.newColumn(Column{Names: []*Ident{n}})
		if p.endOfOperator() || p.is(",") {
			// `project-rename a` without `= old`: the official parser lets it pass
			c.X = &BadExpr{Span{p.tok().Pos, p.tok().Pos}}
		} else if p.expect("=") >= 0 {
			c.X = p.parseName("the column to rename")
		} else {
			c.X = &BadExpr{Span{p.tok().Pos, p.tok().Pos}}
			p.skipTo("|", ";", ",")
		}
		c.Span = span(p, cs)
		op.Cols = append(op.Cols, c)
		if !p.got(",") {
			break
		}
	}
	op.Span = span(p, start)
	return op
}

func parseProjectReorder(p *parser, start int, name string) Operator {
	op := &ProjectReorderOp{Items: []*ReorderItem{}}
	for {
		is := p.tok().Pos
		it := &ReorderItem{Name: p.parseNameOrPattern()}
		switch {
		case p.is("asc") || p.is("desc"):
			it.Order = p.tok().Text
			p.next()
		case p.is("granny-asc") || p.is("granny-desc"):
			it.Order = p.tok().Text
			p.next()
		}
		it.Span = span(p, is)
		op.Items = append(op.Items, it)
		if !p.got(",") {
			break
		}
	}
	op.Span = span(p, start)
	return op
}

func parseExtend(p *parser, start int, name string) Operator {
	op := &ExtendOp{Cols: p.parseColumns()}
	op.Span = span(p, start)
	return op
}

func parseSummarize(p *parser, start int, name string) Operator {
	op := &SummarizeOp{Hints: p.parseOptions(nil, true), Aggs: []*Column{}, By: []*Column{}}
	if !p.is("by") && !p.endOfOperator() {
		op.Aggs = p.parseColumns()
	}
	if p.got("by") {
		op.By = p.parseColumns()
	}
	op.Span = span(p, start)
	return op
}

func parseCount(p *parser, start int, name string) Operator {
	op := &CountOp{}
	op.Span = span(p, start)
	return op
}

func parseTake(p *parser, start int, name string) Operator {
	op := &TakeOp{Keyword: name, Hints: p.parseOptions(nil, true)}
	op.Count = p.parseExpr()
	op.Span = span(p, start)
	return op
}

func parseTop(p *parser, start int, name string) Operator {
	op := &TopOp{Hints: p.parseOptions(nil, true)}
	op.Count = p.parseExpr()
	if p.expect("by") >= 0 {
		op.By = p.parseSortKeys()
	} else {
		op.By = []*SortKey{}
	}
	op.Span = span(p, start)
	return op
}

func parseSort(p *parser, start int, name string) Operator {
	op := &SortOp{Keyword: name, Hints: p.parseOptions(nil, true)}
	if p.expect("by") >= 0 {
		op.By = p.parseSortKeys()
	} else {
		op.By = []*SortKey{}
	}
	op.Span = span(p, start)
	return op
}

func parseDistinct(p *parser, start int, name string) Operator {
	op := &DistinctOp{Hints: p.parseOptions(nil, true)}
	if t := p.tok(); p.is("*") {
		p.next()
		op.Cols = []*Column{{Span: Span{t.Pos, t.End}, X: &StarExpr{Span{t.Pos, t.End}}}}
		op.Span = span(p, start)
		return op
	}
	op.Cols = p.parseColumns()
	op.Span = span(p, start)
	return op
}

var joinOptions = map[string]bool{"kind": true, "withsource": true}

// parseRightTable parses the right side of join/lookup: `(query)` or a name/call.
func (p *parser) parseRightTable() Expr {
	if p.is("(") {
		open := p.tok().Pos
		p.next()
		p.stmtStart = true
		x := p.parseQueryExpr()
		p.expectClose(")", open, "(")
		return &ParenExpr{Span: span(p, open), X: x}
	}
	return p.parsePostfix()
}

// parseJoinRight parses the right side of join/lookup: `(query)`, a name, or (the
// official parser is that lenient) any expression.
func (p *parser) parseJoinRight() Expr {
	if p.is("(") {
		p.stmtStart = true
	}
	return p.parseExpr()
}

func (p *parser) parseJoinConditions() []Expr {
	conds := []Expr{}
	for {
		conds = append(conds, p.parseExpr())
		if !p.got(",") {
			return conds
		}
	}
}

// kindOf returns the join/lookup kind option; a keyword there (`kind=in`) is an error.
func (p *parser) kindOf(opts []*Option) string {
	for _, o := range opts {
		if o.Name == "kind" {
			if id, ok := o.Value.(*Ident); ok {
				if reservedAlways[id.Name] || reservedExceptDecl[id.Name] {
					p.errorAt(id.Pos(), id.End()-id.Pos(), "invalid join kind '"+id.Name+"'",
						"kinds are inner, innerunique, leftouter, rightouter, fullouter, leftanti, rightanti, leftsemi, rightsemi")
				}
				return id.Name
			}
		}
	}
	return ""
}

func parseJoin(p *parser, start int, name string) Operator {
	op := &JoinOp{Options: p.parseOptions(joinOptions, true)}
	op.Kind = p.kindOf(op.Options)
	op.Right = p.parseJoinRight()
	if p.got("on") {
		op.On = p.parseJoinConditions()
	} else {
		op.On = []Expr{}
	}
	op.Span = span(p, start)
	return op
}

func parseLookup(p *parser, start int, name string) Operator {
	op := &LookupOp{Options: p.parseOptions(map[string]bool{"kind": true}, true)}
	op.Kind = p.kindOf(op.Options)
	op.Right = p.parseJoinRight()
	if p.expect("on") >= 0 {
		op.On = p.parseJoinConditions()
	} else {
		op.On = []Expr{}
	}
	op.Span = span(p, start)
	return op
}

var unionOptions = map[string]bool{"kind": true, "withsource": true, "with_source": true, "isfuzzy": true}

func parseUnion(p *parser, start int, name string) Operator {
	op := &UnionOp{Options: p.parseOptions(unionOptions, true), Tables: []Expr{}}
	for {
		op.Tables = append(op.Tables, p.parseUnionTable())
		if !p.got(",") {
			break
		}
	}
	op.Span = span(p, start)
	return op
}

// parseUnionTable reads one union operand: `(query)`, a name pattern, or a call.
func (p *parser) parseUnionTable() Expr {
	if p.is("(") {
		return p.parseRightTable()
	}
	t := p.tok()
	if p.is("*") || t.Kind == IDENT && p.peek(1).Pos == t.End && p.isAt(1, "*") {
		return p.parseNameOrPattern()
	}
	if t.Kind != IDENT && !p.is("[") || t.Text == "true" || t.Text == "false" {
		p.errExpected("a table name or '(' query ')'")
		p.skipTo(",", "|", ";")
		return &BadExpr{span(p, t.Pos)}
	}
	return p.parsePostfix()
}

var renderKinds = []string{"anomalychart", "areachart", "barchart", "card", "columnchart", "graph",
	"ladderchart", "linechart", "piechart", "pivotchart", "plotly", "scatterchart", "stackedareachart",
	"table", "timechart", "timepivot", "treemap", "list", "map", "3Dchart", "timeline"}

// RenderKinds returns the chart kinds the render operator accepts.
func RenderKinds() []string { return append([]string(nil), renderKinds...) }

func parseRender(p *parser, start int, name string) Operator {
	op := &RenderOp{Props: []*Option{}}
	t := p.tok()
	if t.Kind == IDENT {
		op.Kind = t.Text
		known := false
		for _, k := range renderKinds {
			if k == t.Text {
				known = true
			}
		}
		// an unknown kind is not a syntax error to the official parser (the binder
		// reports it) unless it is a keyword; RenderKinds() lists the known ones
		if !known && (t.is(wReserved|wReservedEx) || softKeywords[t.Text]) {
			hint := ""
			if s := closest(t.Text, renderKinds); s != "" {
				hint = "did you mean '" + s + "'?"
			}
			p.errorAt(t.Pos, t.End-t.Pos, "expected a chart kind, found the keyword "+describe(t), hint)
		}
		p.next()
	} else {
		p.errExpected("a chart kind (timechart, barchart, ...)")
	}
	p.renderProps = true
	if p.is("with") && p.isAt(1, "(") {
		p.next()
		open := p.tok().Pos
		p.next()
		for !p.is(")") && !p.atEOF() {
			op.Props = append(op.Props, p.parseRenderProp())
			if !p.got(",") {
				break
			}
		}
		p.expectClose(")", open, "(")
	} else {
		// legacy: `render timechart kind=stacked title="x"`
		for p.tok().Kind == IDENT && p.isAt(1, "=") {
			op.Props = append(op.Props, p.parseRenderProp())
		}
	}
	p.renderProps = false
	op.Span = span(p, start)
	return op
}

// parseRenderProp reads `name = value`; list-valued properties (ycolumns, series)
// take comma-separated names up to the next `name =`.
func (p *parser) parseRenderProp() *Option {
	t := p.tok()
	nameTok := t
	if t.Kind != IDENT {
		p.errExpected("a render property name")
		p.skipTo(",", ")")
		return &Option{Span: Span{t.Pos, t.Pos}, Value: &BadExpr{Span{t.Pos, t.Pos}}}
	}
	p.next()
	p.expect("=")
	v := p.parseExpr()
	lname := strings.ToLower(nameTok.Text)
	if p.renderProps && !renderProps[lname] {
		hint := ""
		if s := closest(lname, renderPropNames); s != "" {
			hint = "did you mean '" + s + "'?"
		}
		p.errorAt(nameTok.Pos, nameTok.End-nameTok.Pos, "unknown render property '"+nameTok.Text+"'", hint)
	}
	if lname == "ycolumns" || lname == "series" || lname == "anomalycolumns" || lname == "xcolumn" {
		l := &ListExpr{Elems: []Expr{v}}
		for p.is(",") && !(p.peek(1).Kind == IDENT && p.isAt(2, "=")) && !p.isAt(1, ")") {
			p.next()
			l.Elems = append(l.Elems, p.parseExpr())
		}
		if len(l.Elems) > 1 {
			l.Span = span(p, v.Pos())
			v = l
		}
	}
	return &Option{Span: span(p, t.Pos), Name: lname, Value: v}
}

// renderPropNames are the properties `render ... with (...)` accepts.
var renderPropNames = []string{"accumulate", "anomalycolumns", "kind", "legend", "series", "title",
	"xaxis", "xcolumn", "xmax", "xmin", "xtitle", "yaxis", "ycolumns", "ymax", "ymin", "ysplit", "ytitle"}

var renderProps = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range renderPropNames {
		m[n] = true
	}
	return m
}()

var mvOptions = map[string]bool{"bagexpansion": true, "with_itemindex": true, "kind": true, "itemindex": true}

func (p *parser) parseMvItems() []*MvItem {
	items := []*MvItem{}
	for {
		is := p.tok().Pos
		it := &MvItem{Col: p.parseColumn()}
		if p.is("to") && p.isAt(1, "typeof") {
			p.next()
			if te, ok := p.parseTypeof().(*TypeofExpr); ok {
				it.ToType = te
			}
		}
		it.Span = span(p, is)
		items = append(items, it)
		if !p.got(",") {
			return items
		}
	}
}

func parseMvExpand(p *parser, start int, name string) Operator {
	op := &MvExpandOp{Options: p.parseOptions(mvOptions, true)}
	op.Items = p.parseMvItems()
	if p.got("limit") {
		op.Limit = p.parseExpr()
	}
	op.Span = span(p, start)
	return op
}

func parseMvApply(p *parser, start int, name string) Operator {
	op := &MvApplyOp{Options: p.parseOptions(mvOptions, true)}
	op.Items = p.parseMvItems()
	if p.got("limit") {
		op.Limit = p.parseExpr()
	}
	op.Options = append(op.Options, p.parseOptions(mvOptions, true)...)
	if p.expect("on") >= 0 {
		open := p.tok().Pos
		if p.expect("(") >= 0 {
			op.Sub = p.parseSubQuery()
			p.expectClose(")", open, "(")
		}
	}
	op.Span = span(p, start)
	return op
}

var parseOptionsNames = map[string]bool{"kind": true, "flags": true}

func parseParse(p *parser, start int, name string) Operator {
	op := &ParseOp{Keyword: name, Options: p.parseOptions(parseOptionsNames, false), Pattern: []*ParsePart{}}
	op.X = p.parseExpr()
	if p.expect("with") < 0 {
		op.Span = span(p, start)
		return op
	}
	for {
		t := p.tok()
		switch {
		case t.Kind == STRING:
			lit := p.stringLiteral().(*Literal)
			op.Pattern = append(op.Pattern, &ParsePart{Span: lit.Span, Literal: lit})
		case p.is("*"):
			p.next()
			op.Pattern = append(op.Pattern, &ParsePart{Span: Span{t.Pos, t.End}, Star: true})
		case p.isNameStart() && !(reservedAlways[t.Text] || notDeclNames[t.Text]):
			n := p.parseName("")
			part := &ParsePart{Name: n}
			if p.got(":") {
				tt := p.tok()
				if ct, ok := CanonicalType(tt.Text); ok && tt.Kind == IDENT {
					part.Type = ct
					p.next()
				} else {
					p.errExpected("a type")
				}
			}
			part.Span = span(p, t.Pos)
			op.Pattern = append(op.Pattern, part)
		default:
			op.Span = span(p, start)
			return op
		}
	}
}

func parseParseKv(p *parser, start int, name string) Operator {
	op := &ParseKvOp{Columns: []*ColumnDef{}, Options: []*Option{}}
	op.X = p.parseExpr()
	if p.expect("as") >= 0 {
		op.Columns, _ = p.parseSchema()
	}
	if p.got("with") {
		open := p.tok().Pos
		if p.expect("(") >= 0 {
			for !p.is(")") && !p.atEOF() {
				op.Options = append(op.Options, p.parseRenderProp())
				if !p.got(",") {
					break
				}
			}
			p.expectClose(")", open, "(")
		}
	}
	op.Span = span(p, start)
	return op
}

func parseEvaluate(p *parser, start int, name string) Operator {
	op := &EvaluateOp{Hints: p.parseOptions(nil, true)}
	t := p.tok()
	if t.Kind == IDENT && p.isAt(1, "(") {
		n := p.newIdent(Ident{Span: Span{t.Pos, t.End}, Name: t.Text})
		p.next()
		op.Plugin = p.parseCall(n)
	} else {
		p.errExpected("a plugin call, e.g. bag_unpack(col)")
	}
	if p.is(":") && p.isAt(1, "(") {
		p.next()
		op.Schema = p.parseTypeRef()
	}
	op.Span = span(p, start)
	return op
}

func parseMakeSeries(p *parser, start int, name string) Operator {
	op := &MakeSeriesOp{Options: p.parseOptions(map[string]bool{"kind": true}, true), Aggs: []*SeriesAgg{}, By: []*Column{}}
	for {
		as := p.tok().Pos
		a := &SeriesAgg{Col: p.parseColumn()}
		if p.is("default") && p.isAt(1, "=") {
			p.next()
			p.next()
			a.Default = p.parseExpr()
		}
		a.Span = span(p, as)
		op.Aggs = append(op.Aggs, a)
		if !p.got(",") {
			break
		}
	}
	if p.expect("on") >= 0 {
		op.On = p.parseAdd() // not parseExpr: `in range(...)` follows
	}
	if p.is("in") && p.isAt(1, "range") {
		p.next()
		t := p.tok()
		p.next()
		op.Range = p.parseCall(p.newIdent(Ident{Span: Span{t.Pos, t.End}, Name: t.Text}))
	} else {
		if p.got("from") {
			op.From = p.parseExpr()
		}
		if p.got("to") {
			op.To = p.parseExpr()
		}
		if p.expect("step") >= 0 {
			op.Step = p.parseExpr()
		}
	}
	if p.got("by") {
		op.By = p.parseColumns()
	}
	op.Span = span(p, start)
	return op
}

// parseConstant parses a datatable value: a literal, optionally signed.
func (p *parser) parseConstant() Expr {
	t := p.tok()
	switch {
	case t.Kind == STRING:
		return p.stringLiteral()
	case t.Kind == TYPED:
		return p.typedLiteral()
	case t.Kind == INT || t.Kind == REAL || t.Kind == TIMESPAN:
		return p.parsePrimary()
	case t.Kind == PUNCT && (t.Text == "-" || t.Text == "+"):
		n := p.peek(1)
		if n.Kind == INT || n.Kind == REAL || n.Kind == TIMESPAN {
			return p.parseUnary()
		}
	case t.Kind == IDENT && (t.Text == "true" || t.Text == "false"):
		return p.parsePrimary()
	case t.Kind == IDENT && t.Text == "dynamic" && p.isAt(1, "("):
		return p.parseTypedLiteral()
	}
	p.errExpected("a constant value (datatable values are literals)")
	p.skipTo(",", "]")
	return &BadExpr{span(p, t.Pos)}
}

// parseValueList parses `[v, v, ...]` (datatable rows, externaldata URLs).
func (p *parser) parseValueList() []Expr {
	vals := []Expr{}
	open := p.tok().Pos
	if p.expect("[") < 0 {
		return vals
	}
	for !p.is("]") && !p.atEOF() {
		vals = append(vals, p.parseExpr())
		if !p.got(",") {
			break
		}
	}
	p.expectClose("]", open, "[")
	return vals
}

func parseDatatable(p *parser, start int, name string) Operator {
	op := &DatatableOp{Options: p.parseOptions(nil, true), Values: []Expr{}}
	op.Schema, _ = p.parseSchema()
	open := p.tok().Pos
	if p.expect("[") >= 0 {
		p.got(",") // the official parser allows one leading ','
		for !p.is("]") && !p.atEOF() {
			op.Values = append(op.Values, p.parseConstant())
			if !p.got(",") {
				break
			}
		}
		p.expectClose("]", open, "[")
	}
	op.Span = span(p, start)
	return op
}

func parseExternalData(p *parser, start int, name string) Operator {
	op := &ExternalDataOp{Keyword: name, Options: p.parseOptions(map[string]bool{"kind": true}, true), With: []*Option{}}
	op.Schema, _ = p.parseSchema()
	op.URIs = p.parseValueList()
	if p.got("with") {
		open := p.tok().Pos
		if p.expect("(") >= 0 {
			for !p.is(")") && !p.atEOF() {
				op.With = append(op.With, p.parseRenderProp())
				if !p.got(",") {
					break
				}
			}
			p.expectClose(")", open, "(")
		}
	}
	op.Span = span(p, start)
	return op
}

func parsePrint(p *parser, start int, name string) Operator {
	op := &PrintOp{Cols: p.parseColumns()}
	op.Span = span(p, start)
	return op
}

func parseRange(p *parser, start int, name string) Operator {
	p.checkKeywordName()
	op := &RangeOp{Name: p.parseName("a column name")}
	if p.expect("from") >= 0 {
		op.From = p.parseExpr()
	}
	if p.expect("to") >= 0 {
		op.To = p.parseExpr()
	}
	if p.expect("step") >= 0 {
		op.Step = p.parseExpr()
	}
	op.Span = span(p, start)
	return op
}

func parseAs(p *parser, start int, name string) Operator {
	op := &AsOp{Options: p.parseOptions(nil, true)}
	p.checkKeywordName()
	op.Name = p.parseName("a name after 'as'")
	op.Span = span(p, start)
	return op
}

func parseConsume(p *parser, start int, name string) Operator {
	op := &ConsumeOp{Options: p.parseOptions(map[string]bool{"decodeblocks": true}, true)}
	op.Span = span(p, start)
	return op
}

func parseFacet(p *parser, start int, name string) Operator {
	op := &FacetOp{By: []Expr{}}
	if p.expect("by") >= 0 {
		op.By = p.parseNamePatterns()
	}
	if p.got("with") {
		if p.is("(") {
			open := p.tok().Pos
			p.next()
			op.With = p.parseSubQuery()
			p.expectClose(")", open, "(")
		} else {
			op.With = p.parseSubQuery()
		}
	}
	op.Span = span(p, start)
	return op
}

func (p *parser) parseInTables() []Expr {
	tables := []Expr{}
	open := p.tok().Pos
	if p.expect("(") < 0 {
		return tables
	}
	for !p.is(")") && !p.atEOF() {
		tables = append(tables, p.parseUnionTable())
		if !p.got(",") {
			break
		}
	}
	p.expectClose(")", open, "(")
	return tables
}

func parseFind(p *parser, start int, name string) Operator {
	op := &FindOp{Options: p.parseOptions(map[string]bool{"withsource": true, "with_source": true, "datascope": true}, true), Tables: []Expr{}}
	if p.got("in") {
		op.Tables = p.parseInTables()
	}
	p.got("where")
	save := p.inSearch
	p.inSearch = true
	op.Pred = p.parseExpr()
	p.inSearch = save
	if p.got("project-smart") {
		op.Smart = true
		op.Project = []*Column{}
	} else if p.got("project") {
		op.Project = p.parseColumns()
	}
	op.Span = span(p, start)
	return op
}

func parseFork(p *parser, start int, name string) Operator {
	op := &ForkOp{Branches: []*ForkBranch{}}
	for {
		bs := p.tok().Pos
		b := &ForkBranch{}
		if k := p.nameLen(0); k > 0 && p.isAt(k, "=") {
			b.Name = p.parseName("")
			p.next()
		}
		if !p.is("(") {
			break
		}
		open := p.tok().Pos
		p.next()
		b.Sub = p.parseSubQuery()
		p.expectClose(")", open, "(")
		b.Span = span(p, bs)
		op.Branches = append(op.Branches, b)
	}
	if len(op.Branches) == 0 {
		p.errExpected("'(' and a sub-query")
	}
	op.Span = span(p, start)
	return op
}

func parseGetSchema(p *parser, start int, name string) Operator {
	op := &GetSchemaOp{}
	op.Span = span(p, start)
	return op
}

func parseInvoke(p *parser, start int, name string) Operator {
	op := &InvokeOp{Call: p.parsePostfix()}
	if _, ok := op.Call.(*CallExpr); !ok {
		p.errExpected("'(' and the function's arguments")
	}
	op.Span = span(p, start)
	return op
}

func parsePartition(p *parser, start int, name string) Operator {
	op := &PartitionOp{Options: p.parseOptions(nil, true)}
	if p.expect("by") >= 0 {
		op.By = p.parseName("the partition column") // a name: `(` after it opens the sub-query
	}
	op.Options = append(op.Options, p.parseOptions(nil, true)...)
	switch {
	case p.is("("):
		open := p.tok().Pos
		p.next()
		op.Sub = p.parseSubQuery()
		p.expectClose(")", open, "(")
	case p.is("{"):
		open := p.tok().Pos
		p.next()
		op.Sub = p.parseSubQuery()
		p.expectClose("}", open, "{")
	default:
		p.errExpected("'(' and a sub-query")
	}
	op.Span = span(p, start)
	return op
}

func parseReduce(p *parser, start int, name string) Operator {
	op := &ReduceOp{Options: p.parseOptions(map[string]bool{"kind": true}, true), With: []*Option{}}
	if p.expect("by") >= 0 {
		op.By = p.parseExpr()
	}
	if p.got("with") {
		for p.tok().Kind == IDENT && p.isAt(1, "=") {
			op.With = append(op.With, p.parseRenderProp())
			if !p.got(",") {
				break
			}
		}
	}
	op.Span = span(p, start)
	return op
}

func parseSample(p *parser, start int, name string) Operator {
	op := &SampleOp{}
	p.parseOptions(nil, true)
	op.Count = p.parseExpr()
	op.Span = span(p, start)
	return op
}

func parseSampleDistinct(p *parser, start int, name string) Operator {
	op := &SampleDistinctOp{}
	p.parseOptions(nil, true)
	op.Count = p.parseExpr()
	if p.expect("of") >= 0 {
		op.Of = p.parseExpr()
	}
	op.Span = span(p, start)
	return op
}

func parseScan(p *parser, start int, name string) Operator {
	op := &ScanOp{Options: p.parseOptions(map[string]bool{"with_match_id": true}, true), Declare: []*Param{}, Steps: []*ScanStep{}}
	if p.got("declare") {
		op.Declare = p.parseParamList()
	}
	if p.expect("with") < 0 {
		op.Span = span(p, start)
		return op
	}
	open := p.tok().Pos
	if p.expect("(") < 0 {
		op.Span = span(p, start)
		return op
	}
	for p.is("step") {
		ss := p.tok().Pos
		p.next()
		st := &ScanStep{Name: p.parseName("a step name"), Assigns: []*Column{}}
		if p.is("output") && p.isAt(1, "=") {
			p.next()
			p.next()
			st.Output = p.tok().Text
			p.next()
		}
		p.expect(":")
		st.Cond = p.parseExpr()
		if p.got("=>") {
			st.Assigns = p.parseColumns()
		}
		st.Span = span(p, ss)
		op.Steps = append(op.Steps, st)
		if !p.got(";") {
			break
		}
	}
	p.expectClose(")", open, "(")
	op.Span = span(p, start)
	return op
}

func parseSearch(p *parser, start int, name string) Operator {
	op := &SearchOp{Options: p.parseOptions(map[string]bool{"kind": true}, true), Tables: []Expr{}}
	if p.got("in") {
		op.Tables = p.parseInTables()
	}
	save := p.inSearch
	p.inSearch = true
	op.Pred = p.parseExpr()
	p.inSearch = save
	op.Span = span(p, start)
	return op
}

func parseSerialize(p *parser, start int, name string) Operator {
	op := &SerializeOp{Cols: []*Column{}}
	if !p.endOfOperator() {
		op.Cols = p.parseColumns()
	}
	op.Span = span(p, start)
	return op
}

func parseTopHitters(p *parser, start int, name string) Operator {
	op := &TopHittersOp{}
	op.Count = p.parseExpr()
	if p.expect("of") >= 0 {
		op.Of = p.parseExpr()
	}
	if p.got("by") {
		op.By = p.parseExpr()
	}
	op.Span = span(p, start)
	return op
}

func parseTopNested(p *parser, start int, name string) Operator {
	op := &TopNestedOp{Levels: []*TopNestedLevel{}}
	for {
		ls := p.tok().Pos
		lv := &TopNestedLevel{}
		if !p.is("of") {
			lv.Count = p.parseExpr()
		}
		if p.expect("of") >= 0 {
			lv.Of = p.parseColumn()
		}
		if p.is("with") && p.isAt(1, "others") {
			p.next()
			p.next()
			p.expect("=")
			lv.Others = p.parseExpr()
		}
		if p.expect("by") >= 0 {
			if k := p.nameLen(0); k > 0 && p.isAt(k, "=") {
				lv.ByName = []*Ident{p.parseName("")}
				p.next()
			}
			lv.By = p.parseSortKey()
		}
		lv.Span = span(p, ls)
		op.Levels = append(op.Levels, lv)
		if !p.got(",") {
			break
		}
		p.got("top-nested")
	}
	op.Span = span(p, start)
	return op
}

func parseAssertSchema(p *parser, start int, name string) Operator {
	op := &AssertSchemaOp{Schema: p.parseTypeRef()}
	op.Span = span(p, start)
	return op
}

// parseGeneric skips the arguments of operators kept only by name.
func parseGeneric(p *parser, start int, name string) Operator {
	op := &GenericOp{Name: name, Args: []Expr{}}
	p.skipTo("|", ";")
	op.Span = span(p, start)
	return op
}
