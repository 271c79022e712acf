package syntax

import (
	"fmt"
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of expressions and sub-queries, so hostile input (a
// megabyte of '(') gets an error instead of exhausting the stack.
const maxDepth = 400

// maxErrors stops the parse after this many diagnostics: later ones are noise.
const maxErrors = 50

type parser struct {
	src string
	// Tokens are lexed on demand into a window: buf[k] is token number base+k. The
	// parser never looks back more than one token, so memory stays small on huge input.
	lx       lexer
	buf      []Token
	base     int
	i        int  // number of the current token
	stopped  bool // too many errors or too deep: every token is now EOF
	eof      Token
	errs     ErrorList
	depth    int
	tooDeep  bool
	lastErr  int  // offset of the last error, to drop duplicates at one place
	inSearch bool // search/find predicates allow `Col:"value"`
	// stmtStart is set just before parsing a statement's (or let value's) expression:
	// only there may a query start with an operator on an implicit input.
	stmtStart bool
	argStart  int // token index where the current call argument starts (`*` is allowed there)
	// renderProps is set while reading render properties (names are checked).
	renderProps bool
	slabs       nodeSlabs
}

func newParser(src string) *parser {
	return &parser{src: src, lx: lexer{src: src}, lastErr: -1, argStart: -1,
		eof: Token{Kind: EOF, Pos: len(src), End: len(src)}}
}

// ---------------------------------------------------------------------------------------
// token helpers

// at returns token number j (the EOF token for any j past the end).
func (p *parser) at(j int) *Token {
	if p.stopped {
		return &p.eof
	}
	for p.base+len(p.buf) <= j {
		if n := len(p.buf); n > 0 && p.buf[n-1].Kind == EOF {
			return &p.buf[n-1]
		}
		p.buf = append(p.buf, p.lx.next())
	}
	return &p.buf[j-p.base]
}

// tok is the current token; the common case (already lexed) stays inlinable.
func (p *parser) tok() *Token {
	if k := p.i - p.base; k < len(p.buf) && !p.stopped {
		return &p.buf[k]
	}
	return p.at(p.i)
}

func (p *parser) peek(n int) *Token {
	if k := p.i + n - p.base; k < len(p.buf) && !p.stopped {
		return &p.buf[k]
	}
	return p.at(p.i + n)
}

func (p *parser) next() {
	if p.tok().Kind == EOF {
		return
	}
	p.i++
	if k := p.i - p.base; k > 1<<16 {
		// drop consumed tokens but the previous one; copy into a new array so
		// *Token pointers callers still hold stay valid
		nb := make([]Token, len(p.buf)-(k-1), cap(p.buf))
		copy(nb, p.buf[k-1:])
		p.buf = nb
		p.base += k - 1
	}
}

// stop makes the rest of the input read as EOF (after too many errors, or too deep).
func (p *parser) stop() {
	if !p.stopped {
		p.eof.Pos = p.prevEnd()
		p.eof.End = p.eof.Pos
		p.stopped = true
	}
}

func (p *parser) atEOF() bool { return p.tok().Kind == EOF }

// is reports whether the current token is the punctuation or keyword text.
func (p *parser) is(text string) bool {
	t := p.tok()
	return (t.Kind == PUNCT || t.Kind == IDENT) && t.Text == text
}

func (p *parser) isAt(n int, text string) bool {
	t := p.peek(n)
	return (t.Kind == PUNCT || t.Kind == IDENT) && t.Text == text
}

func (p *parser) got(text string) bool {
	if p.is(text) {
		p.next()
		return true
	}
	return false
}

// prevEnd is the end offset of the previous token.
func (p *parser) prevEnd() int {
	if p.stopped {
		return p.eof.Pos
	}
	if p.i == 0 {
		return 0
	}
	return p.at(p.i - 1).End
}

func describe(t *Token) string {
	switch t.Kind {
	case EOF:
		return "end of query"
	case IDENT:
		return "'" + clip(t.Text) + "'"
	case STRING:
		return "string " + clip(t.Text)
	case INT, REAL, TIMESPAN:
		return "number " + clip(t.Text)
	case BAD:
		return "'" + clip(t.Text) + "'"
	}
	return "'" + t.Text + "'"
}

func (p *parser) errorAt(off, n int, msg, hint string) {
	if off == p.lastErr || len(p.errs) >= maxErrors {
		return
	}
	p.lastErr = off
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	hint = strings.ToValidUTF8(hint, "\uFFFD")
	p.errs = append(p.errs, &Error{Offset: off, Len: n, Msg: msg, Hint: hint})
	if len(p.errs) >= maxErrors {
		// stop: jump to the end so every loop terminates quickly
		p.stop()
	}
}

// errExpected reports "expected X, found Y" at the current token.
func (p *parser) errExpected(what string) {
	t := p.tok()
	if t.Kind == EOF {
		// point just after the last token, not at trailing blank lines
		p.errorAt(p.prevEnd(), 0, "expected "+what+", found end of query", "")
		return
	}
	if t.Kind == BAD {
		p.errorAt(t.Pos, t.End-t.Pos, t.Err, "")
		return
	}
	p.errorAt(t.Pos, t.End-t.Pos, "expected "+what+", found "+describe(t), "")
}

// expect consumes the punctuation or keyword text or reports an error; it returns
// the token's offset or -1.
func (p *parser) expect(text string) int {
	if p.is(text) {
		pos := p.tok().Pos
		p.next()
		return pos
	}
	p.errExpected("'" + text + "'")
	return -1
}

// expectClose consumes the closer of an opener at openPos, with a message naming the
// opener's position.
func (p *parser) expectClose(closer string, openPos int, opener string) int {
	if p.is(closer) {
		pos := p.tok().Pos
		p.next()
		return pos
	}
	t := p.tok()
	if t.Kind == BAD {
		p.errorAt(t.Pos, t.End-t.Pos, t.Err, "")
		return -1
	}
	l, c := Position(p.src, openPos)
	at := t.Pos
	if t.Kind == EOF {
		at = p.prevEnd()
	}
	p.errorAt(at, t.End-t.Pos, fmt.Sprintf("expected '%s' to close '%s' at %d:%d, found %s", closer, opener, l, c, describe(t)), "")
	return -1
}

// enter counts nesting; it returns false (after reporting once) when too deep.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		if !p.tooDeep {
			p.tooDeep = true
			t := p.tok()
			p.errorAt(t.Pos, 0, fmt.Sprintf("query nested too deeply (more than %d levels)", maxDepth), "")
		}
		p.stop()
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// skipTo skips tokens until one of the stop texts at nesting level 0 (or an unmatched
// closer, or the end).
func (p *parser) skipTo(stops ...string) {
	level := 0
	for !p.atEOF() {
		t := p.tok()
		if t.Kind == PUNCT {
			if level == 0 {
				for _, s := range stops {
					if t.Text == s {
						return
					}
				}
			}
			switch t.Text {
			case "(", "[", "{":
				level++
			case ")", "]", "}":
				if level == 0 {
					return
				}
				level--
			}
		}
		p.next()
	}
}

// ---------------------------------------------------------------------------------------
// statements

func (p *parser) parseScript() *Script {
	s := &Script{Span: Span{0, len(p.src)}, Stmts: []Stmt{}}
	for {
		if p.is(";") {
			// empty statements are errors (`T;;`, `;T`); one ';' after the last is fine
			t := p.tok()
			p.errorAt(t.Pos, 1, "unexpected ';': empty statement", "remove the extra ';'")
			p.next()
			continue
		}
		if p.atEOF() {
			break
		}
		start := p.i
		if p.is("|") {
			t := p.tok()
			if len(s.Stmts) > 0 {
				p.errorAt(t.Pos, 1, "unexpected '|': the query ended at the ';' before it", "remove the ';' to continue the pipeline")
			} else {
				p.errorAt(t.Pos, 1, "unexpected '|' at the start of a query", "start with a table name, e.g. 'T | ...'")
			}
			p.next()
			p.skipTo(";")
			continue
		}
		st := p.parseStmt()
		if st != nil {
			s.Stmts = append(s.Stmts, st)
		}
		if p.atEOF() {
			break
		}
		if p.is(";") {
			p.next()
			continue
		}
		{
			t := p.tok()
			if t.Kind == BAD {
				p.errorAt(t.Pos, t.End-t.Pos, t.Err, "")
			} else if t.Kind == PUNCT && (t.Text == ")" || t.Text == "]" || t.Text == "}") {
				p.errorAt(t.Pos, 1, "unexpected "+describe(t)+": no matching opener", "")
			} else if _, isStmt := s.Stmts[len(s.Stmts)-1].(*LetStmt); isStmt {
				p.errorAt(t.Pos, t.End-t.Pos, "expected ';' after the let statement, found "+describe(t), "end each let statement with ';'")
			} else {
				p.errorAt(t.Pos, t.End-t.Pos, "expected '|' or ';', found "+describe(t), "")
			}
			p.skipTo(";")
			if p.i == start {
				p.next()
			}
			if !p.is(";") && !p.atEOF() {
				// an unmatched closer: step over it and go on
				p.next()
			}
		}
	}
	return s
}

func (p *parser) parseStmt() Stmt {
	t := p.tok()
	if t.Kind == PUNCT && t.Text == "." && p.peek(1).Kind == IDENT && p.i == 0 {
		// a control command (`.show tables`) at the start of the script: its own
		// grammar, kept as text
		st := &CommandStmt{Span: Span{t.Pos, len(p.src)}, Text: p.src[t.Pos:]}
		p.stop()
		return st
	}
	if t.Kind == IDENT {
		switch t.Text {
		case "let":
			if n := p.peek(1); n.Kind == EOF || n.Kind == PUNCT && n.Text == ";" {
				break // `let` alone is a name to the official parser
			}
			return p.parseLet()
		case "set":
			if p.peek(1).Kind == IDENT {
				return p.parseSet()
			}
		case "declare":
			if p.isAt(1, "query_parameters") {
				return p.parseDeclareParams()
			}
			if p.isAt(1, "pattern") {
				return p.parseDeclarePattern()
			}
		case "alias":
			if p.isAt(1, "database") {
				return p.parseAlias()
			}
		case "restrict":
			if p.isAt(1, "access") {
				return p.parseRestrict()
			}
		}
	}
	p.stmtStart = true
	x := p.parseQueryExpr()
	return &ExprStmt{Span: Span{x.Pos(), x.End()}, X: x}
}

func (p *parser) parseLet() *LetStmt {
	start := p.tok().Pos
	p.next()
	if t := p.tok(); t.Kind == IDENT && t.is(wReserved|wReservedEx) {
		p.errKeywordName(t)
	}
	name := p.parseName("a name after 'let'")
	st := &LetStmt{Name: name}
	if p.expect("=") < 0 {
		p.skipTo(";")
		st.Value = &BadExpr{span(p, p.prevEnd())}
		st.Span = span(p, start)
		return st
	}
	st.Value = p.parseLetValue()
	st.Span = span(p, start)
	return st
}

// parseLetValue parses the right side of let: a lambda, a view, or an expression.
func (p *parser) parseLetValue() Expr {
	if p.is("view") && p.isAt(1, "(") {
		start := p.tok().Pos
		p.next()
		f := p.parseFunc(start)
		f.View = true
		return f
	}
	if p.is("(") && p.looksLikeLambda() {
		return p.parseFunc(p.tok().Pos)
	}
	p.stmtStart = true
	return p.parseQueryExpr()
}

// looksLikeLambda reports whether '(' starts a parameter list: `()` or `(name:`
// followed eventually by `) {`.
func (p *parser) looksLikeLambda() bool {
	if p.isAt(1, ")") {
		return p.isAt(2, "{")
	}
	if (p.peek(1).Kind == IDENT && p.isAt(2, ":")) ||
		(p.bracketLen(1) > 0 && p.isAt(1+p.bracketLen(1), ":")) {
		return true
	}
	return false
}

func (p *parser) parseFunc(start int) *FuncExpr {
	f := &FuncExpr{}
	f.Params = p.parseParamList()
	f.Body = p.parseBlock()
	f.Span = span(p, start)
	return f
}

// parseParamList parses `(name:type [= default], ...)`.
func (p *parser) parseParamList() []*Param {
	params := []*Param{}
	open := p.tok().Pos
	if p.expect("(") < 0 {
		return params
	}
	for !p.is(")") && !p.atEOF() {
		params = append(params, p.parseParam())
		if !p.got(",") {
			break
		}
	}
	p.expectClose(")", open, "(")
	return params
}

func (p *parser) parseParam() *Param {
	start := p.tok().Pos
	if t := p.tok(); t.Kind == IDENT && t.is(wReserved|wNotDecl) {
		p.errKeywordName(t)
	}
	pr := &Param{Name: p.parseName("a parameter name")}
	if p.expect(":") >= 0 {
		pr.Type = p.parseTypeRef()
	}
	if p.got("=") {
		pr.Default = p.parseExpr()
	}
	pr.Span = span(p, start)
	return pr
}

// parseTypeRef parses a scalar type name or a tabular schema `(a:long, ...)`/`(*)`.
func (p *parser) parseTypeRef() *TypeRef {
	start := p.tok().Pos
	tr := &TypeRef{}
	if p.is("(") {
		tr.Tabular = true
		tr.Columns, tr.Star = p.parseSchema()
	} else if p.tok().Kind == IDENT {
		t := p.tok()
		ct, ok := CanonicalType(t.Text)
		if !ok {
			p.errorAt(t.Pos, t.End-t.Pos, "unknown type "+describe(t), typeHint(t.Text))
		}
		tr.Scalar = ct
		p.next()
	} else {
		p.errExpected("a type")
	}
	tr.Span = span(p, start)
	return tr
}

// parseSchema parses `(name:type, ...)`, also `(*)` and a trailing `*`.
func (p *parser) parseSchema() ([]*ColumnDef, bool) {
	cols := []*ColumnDef{}
	star := false
	open := p.tok().Pos
	if p.expect("(") < 0 {
		return cols, false
	}
	for !p.is(")") && !p.atEOF() {
		if p.got("*") {
			star = true
		} else {
			cols = append(cols, p.parseColumnDef())
		}
		if !p.got(",") {
			break
		}
	}
	p.expectClose(")", open, "(")
	return cols, star
}

func (p *parser) parseColumnDef() *ColumnDef {
	start := p.tok().Pos
	if t := p.tok(); t.Kind == IDENT && t.is(wReserved|wNotDecl) {
		p.errKeywordName(t)
	}
	cd := &ColumnDef{Name: p.parseName("a column name")}
	if p.expect(":") >= 0 {
		t := p.tok()
		if t.Kind == IDENT {
			ct, ok := CanonicalType(t.Text)
			if !ok {
				p.errorAt(t.Pos, t.End-t.Pos, "unknown type "+describe(t), typeHint(t.Text))
			}
			cd.Type = ct
			p.next()
		} else {
			p.errExpected("a type")
		}
	}
	cd.Span = span(p, start)
	return cd
}

// parseBlock parses `{ stmts; result }`.
func (p *parser) parseBlock() *Block {
	start := p.tok().Pos
	b := &Block{Stmts: []Stmt{}}
	if p.expect("{") < 0 {
		b.Span = Span{start, start}
		return b
	}
	if !p.enter() {
		p.leave()
		b.Span = span(p, start)
		return b
	}
	for !p.is("}") && !p.atEOF() {
		if t := p.tok(); p.is(";") {
			p.errorAt(t.Pos, 1, "unexpected ';': empty statement", "remove the extra ';'")
			p.next()
			continue
		}
		st := p.parseStmt()
		if es, ok := st.(*ExprStmt); ok && !p.is(";") {
			b.Result = es.X
			break
		}
		if es, ok := st.(*ExprStmt); ok && b.Result == nil && p.is(";") {
			// `{ T | take 1; }`: a trailing ';' after the result
			if p.isAt(1, "}") {
				b.Result = es.X
				p.next()
				break
			}
		}
		b.Stmts = append(b.Stmts, st)
		if !p.got(";") {
			break
		}
	}
	p.leave()
	p.expectClose("}", start, "{")
	b.Span = span(p, start)
	return b
}

func (p *parser) parseSet() *SetStmt {
	start := p.tok().Pos
	p.next()
	st := &SetStmt{Name: p.parseDottedName()}
	if p.got("=") {
		st.Value = p.parseSetValue()
	}
	st.Span = span(p, start)
	return st
}

// parseSetValue reads a request-property value: a literal, or a bare word such as
// `set query_datascope = hotcache`.
func (p *parser) parseSetValue() Expr {
	t := p.tok()
	if t.Kind == IDENT && !p.isAt(1, "(") {
		start := t.Pos
		for !p.atEOF() && !p.is(";") {
			p.next()
		}
		return p.newIdent(Ident{Span: span(p, start), Name: p.src[start:p.prevEnd()]})
	}
	return p.parseExpr()
}

func (p *parser) parseDottedName() *Ident {
	t := p.tok()
	if t.Kind != IDENT {
		p.errExpected("a name")
		return p.newIdent(Ident{Span: Span{t.Pos, t.Pos}})
	}
	start := t.Pos
	p.next()
	for p.is(".") && p.peek(1).Kind == IDENT && p.tok().Pos == p.prevEnd() {
		p.next()
		p.next()
	}
	return p.newIdent(Ident{Span: span(p, start), Name: p.src[start:p.prevEnd()]})
}

func (p *parser) parseDeclareParams() *DeclareParamsStmt {
	start := p.tok().Pos
	p.next()
	p.next()
	st := &DeclareParamsStmt{Params: p.parseParamList()}
	st.Span = span(p, start)
	return st
}

func (p *parser) parseDeclarePattern() *DeclarePatternStmt {
	start := p.tok().Pos
	p.next()
	p.next()
	st := &DeclarePatternStmt{Name: p.parseName("a pattern name"), Params: []*Param{}, PathParams: []*Param{}}
	if p.got("=") {
		if p.is("(") {
			st.Params = p.parseParamList()
		}
		if p.is("[") {
			open := p.tok().Pos
			p.next()
			for !p.is("]") && !p.atEOF() {
				st.PathParams = append(st.PathParams, p.parseParam())
				if !p.got(",") {
					break
				}
			}
			p.expectClose("]", open, "[")
		}
		if p.is("{") {
			bstart := p.tok().Pos
			p.next()
			p.skipTo()
			p.expectClose("}", bstart, "{")
			st.Body = span(p, bstart)
		}
	}
	st.Span = span(p, start)
	return st
}

func (p *parser) parseAlias() *AliasStmt {
	start := p.tok().Pos
	p.next()
	p.next()
	st := &AliasStmt{Kind: "database", Name: p.parseName("an alias name")}
	if p.expect("=") >= 0 {
		st.Value = p.parseExpr()
	}
	st.Span = span(p, start)
	return st
}

func (p *parser) parseRestrict() *RestrictStmt {
	start := p.tok().Pos
	p.next()
	p.next()
	st := &RestrictStmt{Names: []Expr{}}
	if p.expect("to") >= 0 {
		open := p.tok().Pos
		if p.expect("(") >= 0 {
			for !p.is(")") && !p.atEOF() {
				st.Names = append(st.Names, p.parseNameOrPattern())
				if !p.got(",") {
					break
				}
			}
			p.expectClose(")", open, "(")
		}
	}
	st.Span = span(p, start)
	return st
}

// ---------------------------------------------------------------------------------------
// names

// parseName reads an identifier or a bracketed name `['a b']`.
func (p *parser) parseName(what string) *Ident {
	t := p.tok()
	switch {
	case t.Kind == IDENT && !strings.HasPrefix(t.Text, "!") && t.Text != "@":
		p.next()
		return p.newIdent(Ident{Span: Span{t.Pos, t.End}, Name: t.Text})
	case p.bracketLen(0) > 0:
		return p.parseBracketName()
	}
	p.errExpected(what)
	return p.newIdent(Ident{Span: Span{t.Pos, t.Pos}})
}

func (p *parser) parseBracketName() *Ident {
	start := p.tok().Pos
	p.next()
	name := p.stringLiteral().(*Literal).Value.(string)
	p.next()
	return p.newIdent(Ident{Span: span(p, start), Name: name, Bracketed: true})
}

// bracketLen returns the number of tokens of a bracketed name `['a' 'b']` at token
// offset at, or 0.
func (p *parser) bracketLen(at int) int {
	if !p.isAt(at, "[") || p.peek(at+1).Kind != STRING {
		return 0
	}
	j := at + 1
	for p.peek(j).Kind == STRING {
		j++
	}
	if !p.isAt(j, "]") {
		return 0
	}
	return j + 1 - at
}

// isNameStart reports whether the current token starts a name (identifier or `['x']`).
func (p *parser) isNameStart() bool {
	t := p.tok()
	if t.Kind == IDENT && !strings.HasPrefix(t.Text, "!") && t.Text != "@" {
		return true
	}
	return p.bracketLen(0) > 0
}

// nameLen returns how many tokens the name at the current position takes (0 if none).
func (p *parser) nameLen(at int) int {
	t := p.peek(at)
	if t.Kind == IDENT && !strings.HasPrefix(t.Text, "!") {
		return 1
	}
	return p.bracketLen(at)
}

// parseNameOrPattern reads a name that may contain '*' wildcards (`Event*`, `*Id`,
// `a*b`), as *Ident, *Wildcard or *StarExpr.
func (p *parser) parseNameOrPattern() Expr {
	t := p.tok()
	start := t.Pos
	if p.is("[") {
		return p.parseName("a column name")
	}
	if !(t.Kind == IDENT || p.is("*")) {
		p.errExpected("a column name")
		return &BadExpr{Span{t.Pos, t.Pos}}
	}
	end := t.End
	hasStar := p.is("*")
	p.next()
	for {
		n := p.tok()
		if n.Pos != end || !(n.Kind == IDENT || n.Kind == INT || (n.Kind == PUNCT && n.Text == "*")) {
			break
		}
		if n.Text == "*" {
			hasStar = true
		}
		end = n.End
		p.next()
	}
	text := p.src[start:end]
	if text == "*" {
		return &StarExpr{Span{start, end}}
	}
	if !hasStar && (reservedAlways[text] || reservedExceptDecl[text]) {
		p.errKeywordName(t)
	}
	if hasStar {
		return &Wildcard{Span: Span{start, end}, Pattern: text}
	}
	return p.newIdent(Ident{Span: Span{start, end}, Name: text})
}

// ---------------------------------------------------------------------------------------
// tabular expressions

// sourceOps are operators that can start a query without an input.
var sourceOps = map[string]bool{
	"print": true, "range": true, "datatable": true, "union": true, "find": true,
	"search": true, "externaldata": true, "external_data": true, "evaluate": true,
}

// isSourceOpStart reports whether the current token starts a source operator rather
// than naming a table or function.
func (p *parser) isSourceOpStart() bool {
	t := p.tok()
	if t.Kind != IDENT || !t.is(wSourceOp) {
		return false
	}
	n := p.peek(1)
	switch t.Text {
	case "range":
		// `range x from ...`, not the range() function
		return p.nameLen(1) > 0 && p.isAt(1+p.nameLen(1), "from")
	case "print":
		return !(n.Kind == PUNCT && (n.Text == "|" || n.Text == "." || n.Text == "=" || n.Text == "=="))
	case "datatable", "externaldata", "external_data":
		return n.Kind == PUNCT && n.Text == "(" || n.Kind == IDENT
	case "union", "find", "search", "evaluate":
		return !(n.Kind == PUNCT && (n.Text == "|" || n.Text == ")" || n.Text == ";" || n.Text == "," || n.Text == "." || n.Text == "==" || n.Text == "=")) && n.Kind != EOF
	}
	return false
}

// startOps are the pipe operators the official parser also accepts at the start of a
// query, on an implicit input (`where x > 1` alone is a valid query); the value says
// whether the keyword is reserved (always an operator) or may also name a table.
var startOps = map[string]bool{
	"where": true, "project": true, "project-away": true, "project-keep": true,
	"project-rename": true, "project-reorder": true, "project-smart": true, "mv-expand": true,
	"parse-where": true, "parse-kv": true, "make-series": true, "as": true, "invoke": true,
	"sample": true, "sample-distinct": true, "top-hitters": true, "top-nested": true,
	"count": false, "render": false, "mv-apply": false, "consume": false, "facet": false,
	"getschema": false, "partition": false, "reduce": false, "serialize": false,
}

// isStartOperator reports whether the query starts with an operator on an implicit
// input.
func (p *parser) isStartOperator() bool {
	t := p.tok()
	if t.Kind != IDENT {
		return false
	}
	name, n := p.operatorName()
	reserved, ok := startOps[name]
	if !ok {
		return false
	}
	if reserved || n > 1 {
		return true
	}
	next := p.peek(n)
	return next.Kind == IDENT || next.Kind == STRING
}

// parseQueryExpr parses a tabular or scalar expression: a source operator or an
// expression, followed by any number of `| operator`.
func (p *parser) parseQueryExpr() Expr {
	if !p.enter() {
		p.leave()
		return &BadExpr{Span{p.tok().Pos, p.tok().Pos}}
	}
	defer p.leave()
	start := p.tok().Pos
	var pipe *PipeExpr
	stmtStart := p.stmtStart
	p.stmtStart = false
	if p.isSourceOpStart() || stmtStart && p.isStartOperator() {
		pipe = &PipeExpr{Ops: []Operator{p.parseOperator(true)}}
	} else {
		x := p.parseExpr()
		if !p.is("|") {
			return x
		}
		pipe = &PipeExpr{Source: x, Ops: make([]Operator, 0, 4)}
	}
	p.parsePipeTail(pipe)
	pipe.Span = span(p, start)
	return pipe
}

// parsePipeTail parses `| op` repeatedly.
func (p *parser) parsePipeTail(pipe *PipeExpr) {
	for p.is("|") {
		p.next()
		pipe.Ops = append(pipe.Ops, p.parseOperator(false))
	}
}

// parseSubQuery parses the sub-query of fork/facet/partition/mv-apply: either
// operators on the implicit input (`where x > 1 | take 3`) or a full query expression.
func (p *parser) parseSubQuery() Expr {
	if !p.enter() {
		p.leave()
		return &BadExpr{Span{p.tok().Pos, p.tok().Pos}}
	}
	defer p.leave()
	start := p.tok().Pos
	if p.isOperatorStart() && !p.isSourceOpStart() {
		pipe := &PipeExpr{Ops: []Operator{p.parseOperator(false)}}
		p.parsePipeTail(pipe)
		pipe.Span = span(p, start)
		return pipe
	}
	return p.parseQueryExpr()
}

// isOperatorStart reports whether the current token is the name of a pipe operator
// (used to tell `(where x)` sub-queries from `(T | where x)`).
func (p *parser) isOperatorStart() bool {
	t := p.tok()
	if t.Kind != IDENT {
		return false
	}
	name, _ := p.operatorName()
	if _, ok := operators[name]; !ok {
		return false
	}
	n := p.peek(1)
	// `count` alone is an operator, `count()` a call; a name followed by '|' is a table.
	if n.Kind == PUNCT && (n.Text == "|" || n.Text == "." || n.Text == "==") && name == t.Text {
		return name == "count" || name == "getschema" || name == "consume" || name == "serialize"
	}
	return true
}

// operatorName reads a possibly hyphenated operator name at the current position
// (`mv-expand`, `project-away`, `top-nested`) and returns it with its token count.
func (p *parser) operatorName() (string, int) {
	t := p.tok()
	name := t.Text
	n := 1
	end := t.End
	for {
		d := p.peek(n)
		w := p.peek(n + 1)
		if d.Kind == PUNCT && d.Text == "-" && d.Pos == end && w.Kind == IDENT && w.Pos == d.End {
			cand := name + "-" + w.Text
			if _, ok := operators[cand]; ok || isOperatorPrefix(cand) {
				name = cand
				n += 2
				end = w.End
				continue
			}
		}
		break
	}
	return name, n
}

func isOperatorPrefix(s string) bool {
	for k := range operators {
		if strings.HasPrefix(k, s+"-") {
			return true
		}
	}
	return false
}

// parseOperator parses one tabular operator after '|' (or at the start of a query when
// first is true).
func (p *parser) parseOperator(first bool) Operator {
	if !p.enter() {
		p.leave()
		return &BadOp{Span: Span{p.tok().Pos, p.tok().Pos}}
	}
	defer p.leave()
	t := p.tok()
	start := t.Pos
	if t.Kind != IDENT {
		p.errExpected("an operator after '|'")
		p.skipTo("|", ";")
		return &BadOp{Span: span(p, start)}
	}
	name, n := p.operatorName()
	fn, ok := operators[name]
	if !ok {
		hint := ""
		if s := closest(name, operatorNames()); s != "" {
			hint = "did you mean '" + s + "'?"
		}
		p.errorAt(t.Pos, len(name), "unknown operator '"+clip(name)+"'", hint)
		for k := 0; k < n; k++ {
			p.next()
		}
		p.skipTo("|", ";")
		return &BadOp{Span: span(p, start), Name: name}
	}
	for k := 0; k < n; k++ {
		p.next()
	}
	op := fn(p, start, name)
	// after an operator: '|', ';', a closer or the end
	if nt := p.tok(); !(nt.Kind == EOF || nt.Kind == PUNCT && (nt.Text == "|" || nt.Text == ";" || nt.Text == ")" || nt.Text == "}" || nt.Text == "]")) {
		if nt.Kind == BAD {
			p.errorAt(nt.Pos, nt.End-nt.Pos, nt.Err, "")
		} else {
			p.errorAt(nt.Pos, nt.End-nt.Pos, "unexpected "+describe(nt)+" after the '"+name+"' operator", "expected '|', ';' or the end of the query")
		}
		p.skipTo("|", ";")
	}
	return op
}

// ---------------------------------------------------------------------------------------
// scalar expressions

func (p *parser) parseExpr() Expr {
	if !p.enter() {
		p.leave()
		return &BadExpr{Span{p.tok().Pos, p.tok().Pos}}
	}
	defer p.leave()
	x := p.parseBinary(1)
	// `a : b` (search's column:value) is an expression anywhere to the official parser
	// (the binder rejects most uses); it does not chain.
	if t := p.tok(); t.Kind == PUNCT && t.Text == ":" {
		p.next()
		x = p.binary(t.Text, t.Pos, x, p.parseOr())
	}
	return x
}

func (p *parser) binary(op string, opPos int, x, y Expr) Expr {
	return p.newBinaryExpr(BinaryExpr{Span: Span{x.Pos(), y.End()}, Op: op, OpPos: opPos, X: x, Y: y})
}

// Binary operators are parsed by precedence climbing (one loop instead of a function
// per level): 1 or, 2 and, 3 equality (== != <> in between has_any has_all), 4 string
// operators (has contains =~ !~ matches regex ...), 5 relational, 6 + -, 7 * / %.
// Levels 3-5 do not chain, as in the official parser: `a == b == c` and
// `a has b has c` are errors, `a has b == c` is fine.
func (p *parser) parseOr() Expr { return p.parseBinary(1) }

func (p *parser) parseAdd() Expr { return p.parseBinary(6) }

func (p *parser) binPrec(t *Token) int {
	switch t.Kind {
	case PUNCT:
		switch t.Text {
		case "*", "/", "%":
			return 7
		case "+", "-":
			return 6
		case "<", "<=", ">", ">=":
			return 5
		case "=~", "!~":
			return 4
		case "==", "!=", "<>":
			return 3
		}
	case IDENT:
		switch t.Text {
		case "or":
			return 1
		case "and":
			return 2
		case "in", "!in", "in~", "!in~", "between", "!between", "has_any", "has_all":
			return 3
		case "matches":
			if p.isAt(1, "regex") {
				return 4
			}
			return 0
		}
		if t.is(wStringOp) {
			return 4
		}
	}
	return 0
}

func (p *parser) parseBinary(minPrec int) Expr {
	x := p.parseUnary()
	var done [8]bool // levels 3-5 already used in this loop
	for {
		t := p.tok()
		prec := p.binPrec(t)
		if prec == 0 || prec < minPrec {
			return x
		}
		if prec >= 3 && prec <= 5 && done[prec] {
			p.errorAt(t.Pos, t.End-t.Pos, "comparisons do not chain: unexpected "+describe(t), "combine comparisons with 'and' / 'or'")
			return x
		}
		switch prec {
		case 3, 4:
			x = p.parseComparison(t, x, prec+1)
			done[prec] = true
		case 5:
			p.next()
			x = p.binary(t.Text, t.Pos, x, p.parseBinary(6))
			done[prec] = true
		default:
			p.next()
			x = p.binary(t.Text, t.Pos, x, p.parseBinary(prec+1))
		}
	}
}

// stringOps are the binary string operators (all at equality precedence).
var stringOps = func() map[string]bool {
	m := map[string]bool{"like": true, "notlike": true, "likecs": true, "notlikecs": true,
		"containscs": true, "notcontains": true, "notcontainscs": true, "notbetween": true,
		"has_any": true, "has_all": true, "has_any_cs": true}
	for _, b := range []string{"has", "hasprefix", "hassuffix", "contains", "startswith", "endswith"} {
		m[b] = true
		m["!"+b] = true
		m[b+"_cs"] = true
		m["!"+b+"_cs"] = true
	}
	delete(m, "notbetween")
	delete(m, "has_any_cs")
	return m
}()

// parseComparison parses the operator t (at the cursor) and the right side of a
// comparison or string operator whose left side is x.
func (p *parser) parseComparison(t *Token, x Expr, rhs int) Expr {
	pos := t.Pos
	switch {
	case t.Kind == PUNCT:
		p.next()
		return p.binary(t.Text, pos, x, p.parseBinary(rhs))
	case t.Text == "has_any" || t.Text == "has_all":
		p.next()
		return p.binary(t.Text, pos, x, p.parseListOperand())
	case t.Text == "matches":
		p.next()
		p.next()
		return p.binary("matches regex", pos, x, p.parseBinary(rhs))
	case t.Text == "in" || t.Text == "!in" || t.Text == "in~" || t.Text == "!in~":
		p.next()
		in := &InExpr{Op: t.Text, X: x}
		if l, ok := p.parseListOperand().(*ListExpr); ok {
			in.List = l.Elems
		} else {
			in.List = []Expr{}
		}
		in.Span = span(p, x.Pos())
		return in
	case t.Text == "between" || t.Text == "!between":
		p.next()
		b := &BetweenExpr{Not: t.Text == "!between", X: x}
		open := p.tok().Pos
		if p.expect("(") >= 0 {
			b.Lo = p.parseExpr()
			if p.expect("..") >= 0 {
				b.Hi = p.parseExpr()
			} else {
				b.Hi = &BadExpr{Span{p.tok().Pos, p.tok().Pos}}
			}
			p.expectClose(")", open, "(")
		} else {
			b.Lo = &BadExpr{Span{open, open}}
			b.Hi = b.Lo
		}
		b.Span = span(p, x.Pos())
		return b
	}
	// string operators: has, !contains_cs, ...
	p.next()
	return p.binary(t.Text, pos, x, p.parseBinary(rhs))
}

// parseListOperand parses the right side of in/has_any: `(a, b, ...)` (elements may be
// tabular, or one dynamic array) as a *ListExpr.
func (p *parser) parseListOperand() Expr {
	open := p.tok().Pos
	if p.expect("(") < 0 {
		return &ListExpr{Span: Span{open, open}, Elems: []Expr{}}
	}
	l := &ListExpr{Elems: []Expr{}}
	for {
		p.stmtStart = true
		l.Elems = append(l.Elems, p.parseQueryExpr())
		if !p.got(",") {
			break
		}
	}
	p.expectClose(")", open, "(")
	l.Span = span(p, open)
	return l
}

func (p *parser) parseUnary() Expr {
	t := p.tok()
	if t.Kind == PUNCT && (t.Text == "-" || t.Text == "+") {
		if !p.enter() {
			p.leave()
			return &BadExpr{Span{t.Pos, t.Pos}}
		}
		defer p.leave()
		p.next()
		if n := p.tok(); n.Kind == PUNCT && (n.Text == "-" || n.Text == "+") {
			// `- -1` is an error to the official parser; `-(-1)` is fine
			p.errExpected("an expression")
		}
		x := p.parseUnary()
		return &UnaryExpr{Span: Span{t.Pos, x.End()}, Op: t.Text, X: x}
	}
	return p.parsePostfix()
}

func (p *parser) parsePostfix() Expr {
	x := p.parsePrimary()
	for {
		switch {
		case p.is(".") && p.isAt(1, "["):
			// `d.[0]`, `d.["#text"]`: the official parser reads these as index access
			p.next()
			open := p.tok().Pos
			p.next()
			idx := p.parseExpr()
			p.expectClose("]", open, "[")
			x = &IndexExpr{Span: span(p, x.Pos()), X: x, Index: idx}
		case p.is("."):
			p.next()
			if p.bracketLen(0) > 0 {
				name := p.parseBracketName()
				x = &DotExpr{Span: Span{x.Pos(), name.End()}, X: x, Name: name}
				continue
			}
			t := p.tok()
			if t.Kind != IDENT {
				p.errExpected("a name after '.'")
				return x
			}
			if t.is(wReserved|wReservedEx) || strings.HasPrefix(t.Text, "!") {
				p.errKeywordName(t)
			}
			p.next()
			name := p.newIdent(Ident{Span: Span{t.Pos, t.End}, Name: t.Text})
			if p.is("(") {
				// method-style calls: database("x").table("T"), cluster(c).database(d)
				call := p.parseCall(name)
				call.Target = x
				call.Span = Span{x.Pos(), call.End()}
				x = call
				continue
			}
			x = &DotExpr{Span: Span{x.Pos(), t.End}, X: x, Name: name}
		case p.is("["):
			open := p.tok().Pos
			p.next()
			idx := p.parseExpr()
			p.expectClose("]", open, "[")
			x = &IndexExpr{Span: span(p, x.Pos()), X: x, Index: idx}
		default:
			return x
		}
	}
}

// reservedWords cannot start an expression at all (they end one).
var reservedWords = map[string]bool{"and": true, "or": true}

func (p *parser) parsePrimary() Expr {
	t := p.tok()
	switch t.Kind {
	case INT:
		p.next()
		return p.intLiteral(t)
	case REAL:
		p.next()
		v, err := strconv.ParseFloat(t.Text, 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			p.errorAt(t.Pos, t.End-t.Pos, "invalid real literal "+describe(t), "")
		}
		return p.newLiteral(Literal{Span: Span{t.Pos, t.End}, Type: TypeReal, Value: v, Raw: t.Text})
	case TIMESPAN:
		p.next()
		ticks, ok := parseTimespanUnits(t.Text)
		if !ok {
			p.errorAt(t.Pos, t.End-t.Pos, "invalid timespan literal "+describe(t), "")
		}
		return p.newLiteral(Literal{Span: Span{t.Pos, t.End}, Type: TypeTimespan, Value: ticks, Raw: t.Text})
	case STRING:
		return p.stringLiteral()
	case TYPED:
		return p.typedLiteral()
	case BAD:
		p.errorAt(t.Pos, t.End-t.Pos, t.Err, "")
		p.next()
		return &BadExpr{Span{t.Pos, t.End}}
	case PUNCT:
		switch t.Text {
		case "(":
			return p.parseParen()
		case "[":
			if p.bracketLen(0) > 0 {
				return p.parseBracketName()
			}
			// `[expr]` (one element) is an expression to the official parser
			open := t.Pos
			p.next()
			x := p.parseExpr()
			p.expectClose("]", open, "[")
			return &ListExpr{Span: span(p, open), Elems: []Expr{x}}
		case "*":
			// `*` is an argument (`arg_max(t, *)`, `count(*)`) or the left side of a
			// string operator (`where * has "x"`), nothing else
			n := p.peek(1)
			if n.Kind == IDENT && n.is(wStringOp) ||
				n.Kind == PUNCT && (n.Text == ")" || n.Text == ",") && p.argStart == p.i {
				p.next()
				return &StarExpr{Span{t.Pos, t.End}}
			}
		}
		p.errExpected("an expression")
		return &BadExpr{Span{t.Pos, t.Pos}}
	case IDENT:
		return p.parseIdentExpr()
	}
	p.errExpected("an expression")
	return &BadExpr{Span{t.Pos, t.Pos}}
}

func (p *parser) parseParen() Expr {
	open := p.tok().Pos
	p.next()
	if p.is(")") {
		p.errExpected("an expression")
		p.next()
		return &BadExpr{span(p, open)}
	}
	p.stmtStart = true // `(where x > 1)`: a sub-query on an implicit input
	x := p.parseQueryExpr()
	if p.is(",") {
		// a tuple is not an expression (only in/has_any lists and calls take them)
		l := &ListExpr{Elems: []Expr{x}}
		p.expectClose(")", open, "(")
		for p.got(",") {
			l.Elems = append(l.Elems, p.parseQueryExpr())
		}
		p.expectClose(")", open, "(")
		l.Span = span(p, open)
		return l
	}
	p.expectClose(")", open, "(")
	return &ParenExpr{Span: span(p, open), X: x}
}

func (p *parser) stringLiteral() Expr {
	t := p.tok()
	start := t.Pos
	var b strings.Builder
	n := 0
	val := ""
	for p.tok().Kind == STRING {
		s := p.tok()
		if s.Err != "" {
			p.errorAt(s.Pos, s.End-s.Pos, s.Err, "")
		}
		if n == 0 {
			val = s.Val
		} else {
			if n == 1 {
				b.WriteString(val)
			}
			b.WriteString(s.Val)
		}
		n++
		p.next()
	}
	if n > 1 {
		val = b.String()
	}
	end := p.prevEnd()
	return p.newLiteral(Literal{Span: Span{start, end}, Type: TypeString, Value: val, Raw: p.src[start:end]})
}

func (p *parser) intLiteral(t *Token) *Literal {
	lit := p.newLiteral(Literal{Span: Span{t.Pos, t.End}, Type: TypeLong, Raw: t.Text})
	var v int64
	var err error
	if strings.HasPrefix(t.Text, "0x") || strings.HasPrefix(t.Text, "0X") {
		var u uint64
		u, err = strconv.ParseUint(t.Text[2:], 16, 64)
		v = int64(u)
	} else {
		v, err = strconv.ParseInt(t.Text, 10, 64)
	}
	if err != nil {
		// too large for long: Kusto reads it as a real
		f, ferr := strconv.ParseFloat(t.Text, 64)
		if ferr != nil {
			p.errorAt(t.Pos, t.End-t.Pos, "invalid number "+describe(t), "")
		}
		lit.Type = TypeReal
		lit.Value = f
		return lit
	}
	lit.Value = v
	return lit
}

// parseIdentExpr parses a primary that starts with an identifier: a typed literal, a
// call, typeof(), a keyword literal, or a name.
func (p *parser) parseIdentExpr() Expr {
	t := p.tok()
	if p.isAt(1, "(") {
		if t.is(wLiteral) {
			return p.parseTypedLiteral()
		}
		if t.Text == "typeof" {
			return p.parseTypeof()
		}
		if t.is(wReserved|wReservedEx) && !keywordCalls[t.Text] {
			p.errKeywordName(t)
		}
		if t.is(wSourceOp) && (t.Text == "datatable" || t.Text == "externaldata" || t.Text == "external_data") {
			// `datatable(...)[...]` used as an expression
			start := t.Pos
			pipe := &PipeExpr{Ops: []Operator{p.parseOperator(true)}}
			pipe.Span = span(p, start)
			return pipe
		}
		name := p.newIdent(Ident{Span: Span{t.Pos, t.End}, Name: t.Text})
		if strings.HasPrefix(t.Text, "!") {
			p.errExpected("an expression")
			p.next()
			return &BadExpr{Span{t.Pos, t.End}}
		}
		p.next()
		return p.parseCall(name)
	}
	switch t.Text {
	case "true", "false", "True", "False", "TRUE", "FALSE":
		p.next()
		return p.newLiteral(Literal{Span: Span{t.Pos, t.End}, Type: TypeBool, Value: strings.EqualFold(t.Text, "true"), Raw: t.Text})
	}
	if reservedWords[t.Text] || strings.HasPrefix(t.Text, "!") {
		p.errExpected("an expression")
		return &BadExpr{Span{t.Pos, t.Pos}}
	}
	if t.is(wReserved | wReservedEx) {
		p.errKeywordName(t)
	}
	p.next()
	return p.newIdent(Ident{Span: Span{t.Pos, t.End}, Name: t.Text})
}

// checkKeywordName reports a keyword at the cursor used as a new name.
func (p *parser) checkKeywordName() {
	if t := p.tok(); t.Kind == IDENT && t.is(wReserved|wReservedEx) {
		p.errKeywordName(t)
	}
}

// keywordCalls are keywords that are also called like functions.
var keywordCalls = map[string]bool{"toscalar": true, "materialize": true, "totable": true,
	"datatable": true, "externaldata": true, "external_data": true, "bin_legacy": true}

// errKeywordName reports a keyword used as a plain name.
func (p *parser) errKeywordName(t *Token) {
	p.errorAt(t.Pos, t.End-t.Pos, "'"+t.Text+"' is a keyword and cannot be used as a name here", "write it as ['"+t.Text+"']")
}

// parseCall parses `(args)` after the function name (already consumed).
func (p *parser) parseCall(name *Ident) *CallExpr {
	call := p.newCallExpr(CallExpr{Fun: name, Args: []Expr{}, Rparen: -1})
	open := p.tok().Pos
	p.next()
	tabular := tabularArgFuncs[name.Name]
	for !p.is(")") && !p.atEOF() {
		call.Args = append(call.Args, p.parseArg(tabular))
		if !p.got(",") {
			break
		}
		if p.is(")") {
			p.errExpected("an argument")
		}
	}
	call.Rparen = p.expectClose(")", open, "(")
	call.Span = span(p, name.Pos())
	return call
}

// parseArg parses one call argument: `name = value` or an expression (which may be
// tabular, for materialize/toscalar/functions with tabular parameters).
func (p *parser) parseArg(tabular bool) Expr {
	if k := p.nameLen(0); k > 0 && p.isAt(k, "=") {
		if t := p.tok(); k == 1 && t.is(wReserved|wNotDecl) {
			p.errKeywordName(t)
		}
		name := p.parseName("")
		p.next()
		v := p.parseExpr()
		return &NamedArg{Span: Span{name.Pos(), v.End()}, Name: name, Value: v}
	}
	if p.is("(") && p.looksLikeLambda() {
		return p.parseFunc(p.tok().Pos)
	}
	p.argStart = p.i
	if tabular {
		return p.parseQueryExpr()
	}
	return p.parseExpr()
}

// tabularArgFuncs take a query (with pipes) as argument; other calls take scalar
// expressions (a tabular argument goes in parentheses: `f((T | take 1))`).
var tabularArgFuncs = map[string]bool{"toscalar": true, "materialize": true}

func (p *parser) parseTypeof() Expr {
	t := p.tok()
	p.next()
	open := p.tok().Pos
	p.next()
	te := &TypeofExpr{Types: []*TypeRef{}}
	for !p.is(")") && !p.atEOF() {
		st := p.tok().Pos
		if p.nameLen(0) > 0 && p.isAt(p.nameLen(0), ":") {
			cd := p.parseColumnDef()
			te.Types = append(te.Types, &TypeRef{Span: span(p, st), Tabular: true, Columns: []*ColumnDef{cd}})
		} else if p.got("*") {
			te.Types = append(te.Types, &TypeRef{Span: span(p, st), Tabular: true, Star: true})
		} else if t := p.tok(); t.Kind == IDENT {
			// any name: the official parser leaves unknown types to the binder
			ct, ok := CanonicalType(t.Text)
			if !ok {
				ct = Type(t.Text)
			}
			p.next()
			te.Types = append(te.Types, &TypeRef{Span: Span{t.Pos, t.End}, Scalar: ct})
		} else {
			te.Types = append(te.Types, p.parseTypeRef())
		}
		if !p.got(",") {
			break
		}
	}
	p.expectClose(")", open, "(")
	te.Span = span(p, t.Pos)
	return te
}

// ---------------------------------------------------------------------------------------
// columns, options, sort keys

// parseColumns parses a comma-separated list of `[name =] expr` / `(a, b) = expr`.
func (p *parser) parseColumns() []*Column {
	cols := []*Column{}
	for {
		cols = append(cols, p.parseColumn())
		if !p.got(",") {
			return cols
		}
	}
}

func (p *parser) parseColumn() *Column {
	start := p.tok().Pos
	c := p.newColumn(Column{})
	if k := p.nameLen(0); k > 0 && p.isAt(k, "=") {
		if t := p.tok(); k == 1 && t.is(wReserved|wNotDecl) {
			p.errKeywordName(t)
		}
		c.Names = []*Ident{p.parseName("")}
		p.next()
	} else if p.is("(") && p.isTupleAssign() {
		p.next()
		c.Names = []*Ident{}
		for !p.is(")") && !p.atEOF() {
			c.Names = append(c.Names, p.parseName("a column name"))
			if !p.got(",") {
				break
			}
		}
		p.expect(")")
		p.expect("=")
	}
	c.X = p.parseExpr()
	c.Span = span(p, start)
	return c
}

// isTupleAssign reports whether `(` starts `(a, b) =`.
func (p *parser) isTupleAssign() bool {
	j := 1
	for {
		k := p.nameLen(j)
		if k == 0 {
			return false
		}
		j += k
		if p.isAt(j, ",") {
			j++
			continue
		}
		return p.isAt(j, ")") && p.isAt(j+1, "=")
	}
}

// parseOptions reads `name=value` options whose names satisfy ok (hint.* always
// allowed when hints is true).
func (p *parser) parseOptions(names map[string]bool, hints bool) []*Option {
	opts := []*Option{}
	for {
		t := p.tok()
		if t.Kind != IDENT {
			return opts
		}
		// dotted option names: hint.strategy, hint.shufflekey
		j := 1
		name := t.Text
		for p.isAt(j, ".") && p.peek(j+1).Kind == IDENT {
			name += "." + p.peek(j+1).Text
			j += 2
		}
		if !p.isAt(j, "=") {
			return opts
		}
		lname := strings.ToLower(name)
		if !(names[lname] || hints && strings.HasPrefix(lname, "hint.")) {
			return opts
		}
		for k := 0; k <= j; k++ {
			p.next()
		}
		v := p.parseOptionValue()
		opts = append(opts, &Option{Span: span(p, t.Pos), Name: lname, Value: v})
	}
}

// parseOptionValue reads an option value: a literal, a bare word, or an expression.
func (p *parser) parseOptionValue() Expr {
	t := p.tok()
	if t.Kind == IDENT {
		p.next()
		if t.Text == "true" || t.Text == "false" {
			return p.newLiteral(Literal{Span: Span{t.Pos, t.End}, Type: TypeBool, Value: t.Text == "true", Raw: t.Text})
		}
		return p.newIdent(Ident{Span: Span{t.Pos, t.End}, Name: t.Text})
	}
	return p.parseUnary()
}

func (p *parser) parseSortKeys() []*SortKey {
	keys := []*SortKey{}
	for {
		keys = append(keys, p.parseSortKey())
		if !p.got(",") {
			return keys
		}
	}
}

func (p *parser) parseSortKey() *SortKey {
	start := p.tok().Pos
	k := &SortKey{X: p.parseExpr(), Desc: true}
	if p.got("asc") {
		k.Asc, k.Desc = true, false
	} else {
		p.got("desc")
	}
	if p.is("nulls") {
		p.next()
		if p.got("first") {
			k.NullsFirst = true
		} else if p.got("last") {
			k.NullsLast = true
		} else {
			p.errExpected("'first' or 'last' after 'nulls'")
		}
	}
	k.Span = span(p, start)
	return k
}

// closest returns the candidate nearest to s by edit distance, if close enough.
func closest(s string, cands []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range cands {
		d := editDistance(ls, strings.ToLower(c))
		if d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(s) > 6 {
		limit = 3
	}
	if bestD <= limit && bestD < len(s) {
		return best
	}
	return ""
}

// Closest returns the candidate nearest to s by edit distance, or "" when none is
// close: the "did you mean" of diagnostics (also used by the binder for names).
func Closest(s string, cands []string) string { return closest(s, cands) }

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
