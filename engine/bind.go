package engine

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/engine/fn"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

// funcRegistry finds scalar functions and operators (engine/fn in production).
type funcRegistry interface {
	Lookup(name string) (*fn.Func, bool)
	Operator(op string) (*fn.Func, bool)
}

type defaultFuncs struct{}

func (defaultFuncs) Lookup(name string) (*fn.Func, bool) { return fn.Lookup(name) }
func (defaultFuncs) Operator(op string) (*fn.Func, bool) { return fn.Operator(op) }

// symbol is what a name bound by let (or a lambda parameter) stands for.
type symbol struct {
	pattern  *patternDef
	scalar   expr
	tab      node
	lambda   *syntax.FuncExpr
	lamScope *scope
}

// scope is a level of let-bound names.
type scope struct {
	parent *scope
	names  map[string]*symbol
}

func (s *scope) child() *scope { return &scope{parent: s, names: map[string]*symbol{}} }

func (s *scope) lookup(name string) *symbol {
	for c := s; c != nil; c = c.parent {
		if sym, ok := c.names[name]; ok {
			return sym
		}
	}
	return nil
}

func (s *scope) allNames() []string {
	var out []string
	for c := s; c != nil; c = c.parent {
		for n := range c.names {
			out = append(out, n)
		}
	}
	return out
}

// rowCtx is the row an expression is bound against.
type rowCtx struct {
	sch  table.Schema
	aggs *aggCollector // non-nil inside summarize aggregates
	// window is set when row-order functions (row_number, prev, ...) are allowed.
	window *windowInfo
}

func (r *rowCtx) find(name string) int {
	if r == nil {
		return -1
	}
	for i, c := range r.sch {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// runScript binds and runs every statement.
func (q *query) runScript(s *syntax.Script) (*Result, error) {
	sc := &scope{names: map[string]*symbol{}}
	for k, v := range q.opts.Params {
		t := typeOfValue(v)
		sc.names[k] = &symbol{scalar: newConst(t, v)}
	}
	res := &Result{Tables: []*table.Table{}}
	for _, st := range s.Stmts {
		switch st := st.(type) {
		case *syntax.LetStmt:
			if err := q.bindLet(sc, st.Name.Name, st.Value); err != nil {
				return nil, err
			}
		case *syntax.SetStmt:
			q.applySet(st)
		case *syntax.DeclareParamsStmt:
			for _, p := range st.Params {
				if p.Default != nil {
					e, err := q.bindScalar(sc, &rowCtx{}, p.Default)
					if err != nil {
						return nil, err
					}
					sc.names[p.Name.Name] = &symbol{scalar: e}
				}
			}
		case *syntax.ExprStmt:
			n, err := q.bindTabOrScalar(sc, st.X)
			if err != nil {
				return nil, err
			}
			nodes, names := []node{n}, []string{""}
			if m, ok := n.(*multiNode); ok {
				nodes, names = m.nodes, m.names
			}
			limit := -1
			if !q.noTrunc && q.maxRows > 0 {
				limit = q.maxRows
			}
			for i, n := range nodes {
				t, err := q.materializeLimit(n, limit)
				if errors.Is(err, errTooManyRows) {
					// Kusto keeps the first rows and reports a partial error.
					if q.partial == nil {
						q.partial = q.tooManyRows(st, -1)
					}
					err = nil
				}
				if err != nil {
					return nil, err
				}
				// Result tables are named as Kusto names them; fork branches keep theirs.
				switch {
				case names[i] != "":
					t.Name = names[i]
				case len(res.Tables) == 0:
					t.Name = "PrimaryResult"
				default:
					t.Name = fmt.Sprintf("Table_%d", len(res.Tables))
				}
				t = q.checkLimits(st, t)
				res.Tables = append(res.Tables, t)
			}
		case *syntax.DeclarePatternStmt:
			if err := q.declarePattern(sc, st); err != nil {
				return nil, err
			}
		case *syntax.AliasStmt, *syntax.RestrictStmt:
			// No effect on a local run.
		default:
			return nil, unsupported(st, fmt.Sprintf("statement %T", st))
		}
	}
	res.Render = q.render
	return res, nil
}

func (q *query) applySet(st *syntax.SetStmt) {
	name := strings.ToLower(st.Name.Name)
	val := true
	var num int64 = -1
	if lit, ok := st.Value.(*syntax.Literal); ok {
		switch v := lit.Value.(type) {
		case bool:
			val = v
		case int64:
			num = v
		}
	} else if id, ok := st.Value.(*syntax.Ident); ok {
		val = strings.EqualFold(id.Name, "true")
	}
	switch name {
	case "notruncation":
		q.noTrunc = val
	case "truncationmaxrecords":
		if num >= 0 {
			q.maxRows = int(num)
		}
	case "truncationmaxsize":
		if num >= 0 {
			q.maxBytes = num
		}
	}
}

// checkLimits cuts t to the result limits; a cut records the partial error (the first
// one wins) and returns the first rows that fit.
func (q *query) checkLimits(st syntax.Node, t *table.Table) *table.Table {
	if q.noTrunc {
		return t
	}
	if q.maxRows > 0 && t.Rows() > q.maxRows {
		if q.partial == nil {
			q.partial = q.tooManyRows(st, t.Rows())
		}
		t = sliceRows(t, q.maxRows)
	}
	if q.maxBytes <= 0 {
		return t
	}
	size := tableBytes(t)
	if size <= q.maxBytes {
		return t
	}
	if q.partial == nil {
		q.partial = &Error{Code: "E_QUERY_RESULT_SET_TOO_LARGE", Offset: st.Pos(), Len: st.End() - st.Pos(),
			Msg:  fmt.Sprintf("query result set has exceeded the internal data size limit %d bytes (E_QUERY_RESULT_SET_TOO_LARGE)", q.maxBytes),
			Hint: "project fewer columns or rows, or prefix the query with `set notruncation;`"}
	}
	// Start from the average row size, then shrink until the rows fit.
	rows := t.Rows()
	n := int(float64(rows) * float64(q.maxBytes) / float64(size))
	cut := sliceRows(t, n)
	for n > 0 && tableBytes(cut) > q.maxBytes {
		n = n * 9 / 10
		cut = sliceRows(t, n)
	}
	return cut
}

func tableBytes(t *table.Table) int64 {
	var total int64
	for _, c := range t.Columns {
		total += c.Data.Bytes()
	}
	return total
}

// tooManyRows is Kusto's E_QUERY_RESULT_SET_TOO_LARGE for the row limit (rows < 0 when
// the query was stopped before counting them all).
func (q *query) tooManyRows(st syntax.Node, rows int) *Error {
	msg := fmt.Sprintf("query result set has exceeded the internal record count limit %d (E_QUERY_RESULT_SET_TOO_LARGE)", q.maxRows)
	if rows >= 0 {
		msg = fmt.Sprintf("query result set has exceeded the internal record count limit %d (E_QUERY_RESULT_SET_TOO_LARGE; result has %d records)", q.maxRows, rows)
	}
	return &Error{Code: "E_QUERY_RESULT_SET_TOO_LARGE", Offset: st.Pos(), Len: st.End() - st.Pos(), Msg: msg,
		Hint: "add `take`, `summarize` or a tighter `where`, or prefix the query with `set notruncation;`"}
}

func (q *query) bindLet(sc *scope, name string, v syntax.Expr) error {
	if fe, ok := v.(*syntax.FuncExpr); ok {
		sc.names[name] = &symbol{lambda: fe, lamScope: sc}
		return nil
	}
	if q.isTabular(sc, v) {
		n, err := q.bindTab(sc, v)
		if err != nil {
			return err
		}
		sc.names[name] = &symbol{tab: &cachedNode{in: n}}
		return nil
	}
	e, err := q.bindScalar(sc, &rowCtx{}, v)
	if err != nil {
		return err
	}
	sc.names[name] = &symbol{scalar: e}
	return nil
}

// isTabular guesses whether an expression is tabular without binding it.
func (q *query) isTabular(sc *scope, e syntax.Expr) bool {
	if _, _, _, ok := patternCall(sc, e); ok {
		return true
	}
	switch e := e.(type) {
	case *syntax.PipeExpr:
		return true
	case *syntax.ParenExpr:
		return q.isTabular(sc, e.X)
	case *syntax.Ident:
		if sym := sc.lookup(e.Name); sym != nil {
			return sym.tab != nil
		}
		_, ok := q.db.Table(e.Name)
		return ok
	case *syntax.CallExpr:
		switch strings.ToLower(e.Fun.Name) {
		case "materialize", "table", "view", "database", "cluster":
			return true
		}
		if sym := sc.lookup(e.Fun.Name); sym != nil && sym.lambda != nil {
			return q.lambdaIsTabular(sym)
		}
	case *syntax.DotExpr:
		if c, ok := e.X.(*syntax.CallExpr); ok && strings.EqualFold(c.Fun.Name, "database") {
			return true
		}
	}
	return false
}

// lambdaIsTabular reports whether a let-bound function returns a table, following the
// let statements of its body.
func (q *query) lambdaIsTabular(sym *symbol) bool {
	body := sym.lambda.Body
	if body == nil || body.Result == nil {
		return false
	}
	tmp := sym.lamScope.child()
	for _, p := range sym.lambda.Params {
		if p.Type != nil && p.Type.Tabular {
			tmp.names[p.Name.Name] = &symbol{tab: &tableNode{t: table.New("", nil)}}
		} else {
			tmp.names[p.Name.Name] = &symbol{scalar: newConst(table.TypeString, "")}
		}
	}
	for _, st := range body.Stmts {
		if l, ok := st.(*syntax.LetStmt); ok {
			if fe, isFn := l.Value.(*syntax.FuncExpr); isFn {
				tmp.names[l.Name.Name] = &symbol{lambda: fe, lamScope: tmp}
			} else if q.isTabular(tmp, l.Value) {
				tmp.names[l.Name.Name] = &symbol{tab: &tableNode{t: table.New("", nil)}}
			} else {
				tmp.names[l.Name.Name] = &symbol{scalar: newConst(table.TypeString, "")}
			}
		}
	}
	return q.isTabular(tmp, body.Result)
}

// bindTabOrScalar binds a query statement; a scalar expression becomes a one-row print.
func (q *query) bindTabOrScalar(sc *scope, e syntax.Expr) (node, error) {
	if q.isTabular(sc, e) {
		return q.bindTab(sc, e)
	}
	// A bare call of a tabular lambda is tabular too; bind as scalar otherwise.
	x, err := q.bindScalar(sc, &rowCtx{}, e)
	if err != nil {
		return nil, err
	}
	return printNode(table.Schema{{Name: "print_0", Type: x.typ()}}, []expr{x}), nil
}

// ---------------------------------------------------------------------------------------
// Tabular expressions

func (q *query) bindTab(sc *scope, e syntax.Expr) (node, error) {
	if def, call, path, ok := patternCall(sc, e); ok {
		return q.bindPatternCall(sc, def, call, path)
	}
	switch e := e.(type) {
	case *syntax.PipeExpr:
		return q.bindPipe(sc, e, nil)
	case *syntax.ParenExpr:
		return q.bindTab(sc, e.X)
	case *syntax.Ident:
		if sym := sc.lookup(e.Name); sym != nil {
			if sym.tab != nil {
				return sym.tab, nil
			}
			if sym.lambda != nil && len(sym.lambda.Params) == 0 {
				return q.callTabLambda(sc, sym, nil, e)
			}
			return nil, semErr(e, "'%s' is a scalar, not a table", e.Name)
		}
		if t, ok := q.db.Table(e.Name); ok {
			return &tableNode{t: t}, nil
		}
		return nil, q.unknownTable(e, e.Name)
	case *syntax.CallExpr:
		name := strings.ToLower(e.Fun.Name)
		switch name {
		case "materialize":
			if len(e.Args) != 1 {
				return nil, semErr(e, "materialize() takes one tabular argument")
			}
			n, err := q.bindTab(sc, e.Args[0])
			if err != nil {
				return nil, err
			}
			return &cachedNode{in: n}, nil
		case "table", "view":
			if len(e.Args) < 1 {
				return nil, semErr(e, "table() takes a table name")
			}
			x, err := q.bindScalar(sc, &rowCtx{}, e.Args[0])
			if err != nil {
				return nil, err
			}
			c, ok := x.(*constExpr)
			s, isStr := c.value().(string)
			if !ok || !isStr {
				return nil, semErr(e.Args[0], "table() needs a constant string")
			}
			if sym := sc.lookup(s); sym != nil && sym.tab != nil {
				return sym.tab, nil
			}
			if t, ok := q.db.Table(s); ok {
				return &tableNode{t: t}, nil
			}
			return nil, q.unknownTable(e.Args[0], s)
		}
		if sym := sc.lookup(e.Fun.Name); sym != nil && sym.lambda != nil {
			return q.callTabLambda(sc, sym, e.Args, e)
		}
		if _, ok := q.funcs.Lookup(strings.ToLower(e.Fun.Name)); ok {
			return nil, semErr(e, "'%s' returns a scalar, not a table", e.Fun.Name)
		}
		err := semErr(e.Fun, "unknown tabular function '%s'", e.Fun.Name)
		if strings.HasPrefix(e.Fun.Name, "_Im_") || strings.HasPrefix(e.Fun.Name, "_ASim_") || strings.HasPrefix(e.Fun.Name, "im") || strings.HasPrefix(e.Fun.Name, "ASim") {
			err.Hint = "ASIM parser functions are not part of the local workspace; query the source table instead"
		}
		return nil, err
	case *syntax.DotExpr:
		if c, ok := e.X.(*syntax.CallExpr); ok && strings.EqualFold(c.Fun.Name, "database") {
			return q.bindTab(sc, e.Name)
		}
	}
	return nil, semErr(e, "expected a tabular expression")
}

func (q *query) unknownTable(n syntax.Node, name string) *Error {
	err := semErr(n, "unknown table or variable '%s'", name)
	cands := append(q.db.TableNames(), []string{}...)
	if h := didYouMean(name, cands); h != "" {
		err.Hint = fmt.Sprintf("did you mean '%s'?", h)
	}
	return err
}

// callTabLambda invokes a let-bound function whose body is tabular.
func (q *query) callTabLambda(sc *scope, sym *symbol, args []syntax.Expr, at syntax.Node) (node, error) {
	inner, err := q.bindLambdaArgs(sc, &rowCtx{}, sym, args, at, nil)
	if err != nil {
		return nil, err
	}
	body := sym.lambda.Body
	for _, st := range body.Stmts {
		if l, ok := st.(*syntax.LetStmt); ok {
			if err := q.bindLet(inner, l.Name.Name, l.Value); err != nil {
				return nil, err
			}
		}
	}
	if body.Result == nil {
		return nil, semErr(at, "function body is empty")
	}
	return q.bindTab(inner, body.Result)
}

// bindLambdaArgs binds a lambda's parameters to the call's arguments in a new scope.
// input is the piped table for invoke (the first tabular parameter).
func (q *query) bindLambdaArgs(sc *scope, rc *rowCtx, sym *symbol, args []syntax.Expr, at syntax.Node, input node) (*scope, error) {
	inner := sym.lamScope.child()
	params := sym.lambda.Params
	ai := 0
	for _, p := range params {
		if p.Type != nil && p.Type.Tabular {
			if input != nil {
				inner.names[p.Name.Name] = &symbol{tab: input}
				input = nil
				continue
			}
			if ai < len(args) {
				n, err := q.bindTab(sc, args[ai])
				if err != nil {
					return nil, err
				}
				ai++
				inner.names[p.Name.Name] = &symbol{tab: n}
				continue
			}
			return nil, semErr(at, "missing tabular argument '%s'", p.Name.Name)
		}
		var arg syntax.Expr
		if ai < len(args) {
			arg = args[ai]
			ai++
			if na, ok := arg.(*syntax.NamedArg); ok {
				arg = na.Value
			}
		} else if p.Default != nil {
			arg = p.Default
		} else {
			return nil, semErr(at, "missing argument '%s'", p.Name.Name)
		}
		var x expr
		var err error
		if q.isTabular(sc, arg) {
			n, err2 := q.bindTab(sc, arg)
			if err2 != nil {
				return nil, err2
			}
			inner.names[p.Name.Name] = &symbol{tab: n}
			continue
		}
		x, err = q.bindScalar(sc, rc, arg)
		if err != nil {
			return nil, err
		}
		if p.Type != nil && p.Type.Scalar != "" {
			if t, ok := table.ParseType(string(p.Type.Scalar)); ok && t != x.typ() && t != table.TypeDynamic {
				if c, ok := x.(*constExpr); ok {
					x = newConst(t, convertValue(c.value(), t))
				}
			}
		}
		inner.names[p.Name.Name] = &symbol{scalar: x}
	}
	if ai < len(args) {
		return nil, semErr(args[ai], "too many arguments")
	}
	return inner, nil
}

// ---------------------------------------------------------------------------------------
// Scalar expressions

func (q *query) bindScalar(sc *scope, rc *rowCtx, e syntax.Expr) (expr, error) {
	switch e := e.(type) {
	case *syntax.Literal:
		t, v, err := literalValue(e)
		if err != nil {
			return nil, semErr(e, "%v", err)
		}
		return newConst(t, v), nil
	case *syntax.Ident:
		if i := rc.find(e.Name); i >= 0 {
			return &colExpr{idx: i, t: rc.sch[i].Type}, nil
		}
		if sym := sc.lookup(e.Name); sym != nil {
			if sym.scalar != nil {
				return sym.scalar, nil
			}
			if sym.tab != nil {
				return nil, semErr(e, "'%s' is a table, not a scalar", e.Name)
			}
			if sym.lambda != nil && len(sym.lambda.Params) == 0 {
				return q.callScalarLambda(sc, rc, sym, nil, e)
			}
		}
		switch e.Name {
		case "true", "false":
			return newConst(table.TypeBool, e.Name == "true"), nil
		}
		return nil, q.unknownName(e, rc, sc)
	case *syntax.ParenExpr:
		if q.isTabular(sc, e.X) {
			return q.toScalar(sc, e.X, e)
		}
		return q.bindScalar(sc, rc, e.X)
	case *syntax.BinaryExpr:
		x, err := q.bindScalar(sc, rc, e.X)
		if err != nil {
			return nil, err
		}
		var args []expr
		if l, ok := e.Y.(*syntax.ListExpr); ok {
			args = []expr{x}
			for _, el := range l.Elems {
				a, err := q.bindListElem(sc, rc, el)
				if err != nil {
					return nil, err
				}
				args = append(args, a)
			}
		} else {
			y, err := q.bindScalar(sc, rc, e.Y)
			if err != nil {
				return nil, err
			}
			args = []expr{x, y}
		}
		return q.callOperator(e.Op, args, e)
	case *syntax.UnaryExpr:
		x, err := q.bindScalar(sc, rc, e.X)
		if err != nil {
			return nil, err
		}
		if e.Op == "+" {
			return x, nil
		}
		return q.callOperator(e.Op, []expr{x}, e)
	case *syntax.InExpr:
		x, err := q.bindScalar(sc, rc, e.X)
		if err != nil {
			return nil, err
		}
		args := []expr{x}
		for _, el := range e.List {
			a, err := q.bindListElem(sc, rc, el)
			if err != nil {
				return nil, err
			}
			args = append(args, a)
		}
		return q.callOperator(e.Op, args, e)
	case *syntax.BetweenExpr:
		x, err := q.bindScalar(sc, rc, e.X)
		if err != nil {
			return nil, err
		}
		lo, err := q.bindScalar(sc, rc, e.Lo)
		if err != nil {
			return nil, err
		}
		hi, err := q.bindScalar(sc, rc, e.Hi)
		if err != nil {
			return nil, err
		}
		op := "between"
		if e.Not {
			op = "!between"
		}
		return q.callOperator(op, []expr{x, lo, hi}, e)
	case *syntax.CallExpr:
		return q.bindCall(sc, rc, e)
	case *syntax.DotExpr:
		if id, ok := e.X.(*syntax.Ident); ok {
			// scan's StepName.Column
			if i := rc.find(id.Name + "." + e.Name.Name); i >= 0 {
				return &colExpr{idx: i, t: rc.sch[i].Type}, nil
			}
		}
		x, err := q.bindScalar(sc, rc, e.X)
		if err != nil {
			return nil, err
		}
		return q.member(x, newConst(table.TypeString, e.Name.Name), e)
	case *syntax.IndexExpr:
		x, err := q.bindScalar(sc, rc, e.X)
		if err != nil {
			return nil, err
		}
		k, err := q.bindScalar(sc, rc, e.Index)
		if err != nil {
			return nil, err
		}
		return q.member(x, k, e)
	case *syntax.TypeofExpr:
		if len(e.Types) == 1 {
			return newConst(table.TypeString, string(e.Types[0].Scalar)), nil
		}
	case *syntax.PipeExpr:
		return q.toScalar(sc, e, e)
	case *syntax.BadExpr:
		return nil, semErr(e, "invalid expression")
	}
	return nil, unsupported(e, fmt.Sprintf("expression %T", e))
}

// bindListElem binds an element of an in/has_any list: a tabular operand becomes a
// constant dynamic array of its first column.
func (q *query) bindListElem(sc *scope, rc *rowCtx, el syntax.Expr) (expr, error) {
	if q.isTabular(sc, el) {
		n, err := q.bindTab(sc, el)
		if err != nil {
			return nil, err
		}
		t, err := q.materialize(n)
		if err != nil {
			return nil, err
		}
		arr := []any{}
		if len(t.Columns) > 0 {
			for i := 0; i < t.Rows(); i++ {
				arr = append(arr, toDynamic(t.Columns[0].Data.At(i)))
			}
		}
		return newConst(table.TypeDynamic, arr), nil
	}
	return q.bindScalar(sc, rc, el)
}

func (q *query) member(x, k expr, at syntax.Node) (expr, error) {
	if x.typ() != table.TypeDynamic {
		return nil, semErr(at, "member access needs a dynamic value, got %s", x.typ())
	}
	m := &memberExpr{x: x, key: k}
	if isConst(x) && isConst(k) {
		v, err := m.eval(q.newEval(), &batch{n: 1})
		if err == nil {
			return &constExpr{v: v}, nil
		}
	}
	return m, nil
}

// toScalar evaluates a tabular expression and returns its first cell as a constant.
func (q *query) toScalar(sc *scope, e syntax.Expr, at syntax.Node) (expr, error) {
	n, err := q.bindTab(sc, e)
	if err != nil {
		return nil, err
	}
	t, err := q.materialize(n)
	if err != nil {
		return nil, err
	}
	if len(t.Columns) == 0 {
		return nil, semErr(at, "toscalar(): the tabular expression has no columns")
	}
	typ := t.Columns[0].Type
	if t.Rows() == 0 {
		return newConst(typ, nil), nil
	}
	return newConst(typ, t.Columns[0].Data.At(0)), nil
}

func (q *query) callOperator(op string, args []expr, at syntax.Node) (expr, error) {
	f, ok := q.funcs.Operator(op)
	if !ok {
		return nil, unsupported(at, fmt.Sprintf("operator '%s'", op))
	}
	return q.bindFunc(f, op, args, at)
}

func (q *query) bindFunc(f *fn.Func, name string, args []expr, at syntax.Node) (expr, error) {
	fargs := make([]fn.Arg, len(args))
	allConst := true
	for i, a := range args {
		fargs[i].Type = a.typ()
		if c, ok := a.(*constExpr); ok {
			fargs[i].Const = true
			fargs[i].Value = c.value()
		} else {
			allConst = false
		}
	}
	t, impl, err := f.Bind(fargs)
	if err != nil {
		return nil, semErr(at, "%v", err)
	}
	ce := &callExpr{name: name, impl: impl, args: args, t: t}
	if at != nil {
		ce.pos = [2]int{at.Pos(), at.End() - at.Pos()}
	}
	if allConst && !f.Volatile {
		v, err := ce.eval(q.newEval(), &batch{n: 1})
		if err == nil && v.Len() >= 1 {
			v = v.Slice(0, 1)
			v.Const = true
			return &constExpr{v: v}, nil
		}
	}
	return ce, nil
}

func (q *query) unknownName(id *syntax.Ident, rc *rowCtx, sc *scope) *Error {
	err := semErr(id, "unknown column or variable '%s'", id.Name)
	var cands []string
	if rc != nil {
		for _, c := range rc.sch {
			cands = append(cands, c.Name)
		}
	}
	cands = append(cands, sc.allNames()...)
	if h := didYouMean(id.Name, cands); h != "" {
		err.Hint = fmt.Sprintf("did you mean '%s'?", h)
	}
	return err
}

// didYouMean returns the closest candidate (case-insensitive match first, then edit
// distance at most a third of the name), or "".
func didYouMean(name string, cands []string) string {
	best, bestD := "", 1<<30
	for _, c := range cands {
		if strings.EqualFold(c, name) {
			return c
		}
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(1, len(name)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// bindCall binds a function call: aggregates (in summarize), engine-level functions,
// let-bound lambdas, then engine/fn.
func (q *query) bindCall(sc *scope, rc *rowCtx, e *syntax.CallExpr) (expr, error) {
	name := e.Fun.Name
	lname := strings.ToLower(name)
	if sym := sc.lookup(name); sym != nil && sym.lambda != nil {
		return q.callScalarLambda(sc, rc, sym, e.Args, e)
	}
	if isAggregate(lname) && rc.aggs == nil && (lname == "merge_tdigest" || lname == "tdigest_merge" || lname == "hll_merge") {
		// Also scalar functions: merge sketches of one row.
		x, _, err := q.bindSketchFunc(sc, rc, e, lname)
		return x, err
	}
	if isAggregate(lname) {
		if rc.aggs == nil {
			return nil, semErr(e, "aggregate function %s() is only allowed in summarize, make-series or top-nested", name)
		}
		return rc.aggs.add(q, sc, e)
	}
	switch lname {
	case "toscalar":
		if len(e.Args) != 1 {
			return nil, semErr(e, "toscalar() takes one argument")
		}
		if !q.isTabular(sc, e.Args[0]) {
			// toscalar of a scalar is the scalar itself (evaluated once).
			return q.bindScalar(sc, &rowCtx{}, e.Args[0])
		}
		return q.toScalar(sc, e.Args[0], e)
	case "column_ifexists", "columnifexists":
		if len(e.Args) != 2 {
			return nil, semErr(e, "column_ifexists() takes a column name and a default")
		}
		nx, err := q.bindScalar(sc, rc, e.Args[0])
		if err != nil {
			return nil, err
		}
		c, ok := nx.(*constExpr)
		s, isStr := c.value().(string)
		if !ok || !isStr {
			return nil, semErr(e.Args[0], "column_ifexists(): the name must be a constant string")
		}
		if i := rc.find(s); i >= 0 {
			return &colExpr{idx: i, t: rc.sch[i].Type}, nil
		}
		return q.bindScalar(sc, rc, e.Args[1])
	case "pack_all":
		ignore := false
		if len(e.Args) == 1 {
			x, err := q.bindScalar(sc, rc, e.Args[0])
			if err != nil {
				return nil, err
			}
			if c, ok := x.(*constExpr); ok {
				ignore, _ = c.value().(bool)
			}
		}
		return q.packAll(rc, ignore), nil
	case "row_number", "prev", "next", "row_cumsum", "row_rank_min", "row_rank_dense", "row_rank", "row_window_session":
		return q.bindWindow(sc, rc, e, lname)
	case "materialize":
		return nil, semErr(e, "materialize() returns a table")
	case "column_names_of":
		if len(e.Args) != 1 {
			return nil, semErr(e, "column_names_of() takes one tabular argument")
		}
		n, err := q.bindTab(sc, e.Args[0])
		if err != nil {
			return nil, err
		}
		names := []any{}
		for _, c := range n.schema() {
			names = append(names, c.Name)
		}
		return newConst(table.TypeDynamic, names), nil
	case "bag_pack_columns":
		var names []string
		var cols []expr
		for _, a := range e.Args {
			x, err := q.bindScalar(sc, rc, a)
			if err != nil {
				return nil, err
			}
			names, cols = append(names, exprName(a)), append(cols, x)
		}
		return &funcExpr{t: table.TypeDynamic, deps: cols, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
			vs := make([]*table.Vector, len(cols))
			for i, c := range cols {
				v, err := c.eval(ec, b)
				if err != nil {
					return nil, err
				}
				vs[i] = v
			}
			out := table.NewVector(table.TypeDynamic, b.n)
			for r := 0; r < b.n; r++ {
				m := map[string]any{}
				for i, v := range vs {
					m[names[i]] = toDynamic(at(v, r))
				}
				out.Dyns = append(out.Dyns, m)
			}
			return out, nil
		}}, nil
	}
	// Sketch functions read the engine's own tdigest/hll values, so they come first.
	if x, handled, err := q.bindSketchFunc(sc, rc, e, lname); handled {
		return x, err
	}
	f, ok := q.funcs.Lookup(lname)
	if !ok {
		err := semErr(e.Fun, "unknown function '%s'", name)
		if h := didYouMean(lname, fn.Names()); h != "" {
			err.Hint = fmt.Sprintf("did you mean '%s'?", h)
		}
		return nil, err
	}
	args := make([]expr, 0, len(e.Args))
	for _, a := range e.Args {
		if na, ok := a.(*syntax.NamedArg); ok {
			a = na.Value
		}
		if _, ok := a.(*syntax.StarExpr); ok {
			continue
		}
		x, err := q.bindScalar(sc, rc, a)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	return q.bindFunc(f, lname, args, e)
}

func (q *query) callScalarLambda(sc *scope, rc *rowCtx, sym *symbol, args []syntax.Expr, at syntax.Node) (expr, error) {
	inner, err := q.bindLambdaArgs(sc, rc, sym, args, at, nil)
	if err != nil {
		return nil, err
	}
	body := sym.lambda.Body
	for _, st := range body.Stmts {
		if l, ok := st.(*syntax.LetStmt); ok {
			if err := q.bindLet(inner, l.Name.Name, l.Value); err != nil {
				return nil, err
			}
		}
	}
	if body.Result == nil {
		return nil, semErr(at, "function body is empty")
	}
	if q.isTabular(inner, body.Result) {
		return q.toScalar(inner, body.Result, at)
	}
	// The body sees the caller's row (Kusto lets functions reference columns in scope).
	return q.bindScalar(inner, rc, body.Result)
}

func (q *query) packAll(rc *rowCtx, ignoreEmpty bool) expr {
	sch := rc.sch
	return &funcExpr{t: table.TypeDynamic, allCols: true, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
		out := table.NewVector(table.TypeDynamic, b.n)
		for i := 0; i < b.n; i++ {
			m := map[string]any{}
			for c, cs := range sch {
				v := b.cols[c].At(i)
				if ignoreEmpty {
					if v == nil {
						continue
					}
					if s, ok := v.(string); ok && s == "" {
						continue
					}
				}
				m[cs.Name] = toDynamic(v)
			}
			out.Dyns = append(out.Dyns, m)
		}
		return out, nil
	}}
}

// ---------------------------------------------------------------------------------------
// Literals and values

func literalValue(l *syntax.Literal) (table.Type, any, error) {
	t, ok := table.ParseType(string(l.Type))
	if !ok {
		return 0, nil, fmt.Errorf("unknown literal type %q", l.Type)
	}
	if l.Invalid != "" {
		if v, ok := invalidLiteral(t, l.Raw); ok {
			return t, v, nil
		}
		// Kusto yields null for a literal it cannot decode.
		return t, nil, nil
	}
	if l.Null || l.Value == nil {
		return t, nil, nil
	}
	switch t {
	case table.TypeInt:
		if v, ok := l.Value.(int64); ok {
			return t, int32(v), nil
		}
	case table.TypeLong:
		if v, ok := l.Value.(int64); ok {
			return t, v, nil
		}
	case table.TypeReal:
		switch v := l.Value.(type) {
		case float64:
			return t, v, nil
		case int64:
			return t, float64(v), nil
		}
	case table.TypeBool:
		if v, ok := l.Value.(bool); ok {
			return t, v, nil
		}
	case table.TypeString:
		if v, ok := l.Value.(string); ok {
			return t, v, nil
		}
	case table.TypeDecimal:
		d, err := decimal.NewFromString(fmt.Sprint(l.Value))
		if err != nil {
			return t, nil, fmt.Errorf("bad decimal %q", l.Raw)
		}
		return t, d, nil
	case table.TypeDateTime:
		if v, ok := l.Value.(time.Time); ok {
			return t, table.FromTime(v), nil
		}
	case table.TypeTimeSpan:
		return t, table.TimeSpan(l.Ticks()), nil
	case table.TypeGUID:
		if v, ok := l.Value.(string); ok {
			return t, table.GUID(strings.ToLower(v)), nil
		}
	case table.TypeDynamic:
		return t, dynamicLiteral(l.Value), nil
	}
	return t, nil, fmt.Errorf("bad %s literal %s", t, l.Raw)
}

func dynamicLiteral(x any) any {
	switch v := x.(type) {
	case time.Time:
		return table.FromTime(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = dynamicLiteral(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = dynamicLiteral(e)
		}
		return out
	case int:
		return int64(v)
	}
	return x
}

func typeOfValue(v any) table.Type {
	switch v.(type) {
	case bool:
		return table.TypeBool
	case int32:
		return table.TypeInt
	case int, int64:
		return table.TypeLong
	case float64:
		return table.TypeReal
	case decimal.Decimal:
		return table.TypeDecimal
	case string:
		return table.TypeString
	case table.DateTime:
		return table.TypeDateTime
	case table.TimeSpan:
		return table.TypeTimeSpan
	case table.GUID:
		return table.TypeGUID
	}
	return table.TypeDynamic
}

// ---------------------------------------------------------------------------------------
// Result names (Kusto.Language's GetExpressionResultName)

func exprName(e syntax.Expr) string {
	switch e := e.(type) {
	case *syntax.ParenExpr:
		return exprName(e.X)
	case *syntax.Ident:
		return e.Name
	case *syntax.DotExpr:
		l := exprName(e.X)
		if l != "" {
			return l + "_" + e.Name.Name
		}
		return e.Name.Name
	case *syntax.IndexExpr:
		r := ""
		if lit, ok := e.Index.(*syntax.Literal); ok && !lit.Null {
			switch v := lit.Value.(type) {
			case string:
				r = v
			case int64:
				r = strconv.FormatInt(v, 10)
			}
		}
		l := exprName(e.X)
		if l != "" {
			return l + "_" + r
		}
		return r
	case *syntax.CallExpr:
		return callName(e, nil)
	}
	return ""
}

// callName names a function call's column; row (may be nil) resolves column_ifexists.
func callName(e *syntax.CallExpr, row table.Schema) string {
	lname := strings.ToLower(e.Fun.Name)
	class := "fn"
	if isAggregate(lname) {
		class = "agg"
	}
	switch lname {
	case "covariance", "covariancep", "covarianceif", "covariancepif":
		if len(e.Args) >= 2 {
			return lname + "_" + exprName(e.Args[0]) + "_" + exprName(e.Args[1])
		}
	case "percentiles_array", "percentilesw_array":
		if len(e.Args) >= 1 {
			return "percentiles_" + exprName(e.Args[0])
		}
	}
	rule, ok := nameRules[nameKey{class, lname}]
	if !ok {
		return ""
	}
	first := func() string {
		if len(e.Args) == 0 {
			return ""
		}
		return exprName(e.Args[0])
	}
	switch rule.kind {
	case nameNameAndFirstArgument:
		if len(e.Args) == 0 {
			return lname + "_"
		}
		return lname + "_" + first()
	case namePrefixAndFirstArgument:
		if len(e.Args) == 0 {
			return rule.prefix + "_"
		}
		return rule.prefix + "_" + first()
	case nameFirstArgument:
		return first()
	case namePrefixOnly:
		return rule.prefix
	case nameOnlyArgument:
		if len(e.Args) == 1 {
			return first()
		}
	case nameFirstArgumentValueIfColumn:
		if len(e.Args) > 0 {
			if lit, ok := e.Args[0].(*syntax.Literal); ok {
				if s, ok := lit.Value.(string); ok {
					for _, c := range row {
						if c.Name == s {
							return s
						}
					}
				}
			}
		}
	}
	return ""
}

// namer hands out unique column names within one output schema.
type namer struct {
	used map[string]bool
	next int
}

func newNamer() *namer { return &namer{used: map[string]bool{}} }

// unique returns name, or name1, name2 ... if taken.
func (n *namer) unique(name string) string {
	if !n.used[name] {
		n.used[name] = true
		return name
	}
	for i := 1; ; i++ {
		s := name + strconv.Itoa(i)
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}

// column returns the next free ColumnN name.
func (n *namer) column() string {
	for {
		n.next++
		s := "Column" + strconv.Itoa(n.next)
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}

// invalidLiteral decodes typed literals the parser could not: datetime(2025, 6, 14[, h,
// m, s]) (which Kusto accepts) and datetime text forms Go's parser misses.
func invalidLiteral(t table.Type, raw string) (any, bool) {
	open, end := strings.IndexByte(raw, '('), strings.LastIndexByte(raw, ')')
	if open < 0 || end < open {
		return nil, false
	}
	inner := strings.TrimSpace(raw[open+1 : end])
	if t != table.TypeDateTime {
		return nil, false
	}
	if strings.Contains(inner, ",") {
		parts := strings.Split(inner, ",")
		var nums []int
		for _, p := range parts {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil {
				return nil, false
			}
			nums = append(nums, n)
		}
		for len(nums) < 6 {
			nums = append(nums, 0)
		}
		if len(nums) > 7 {
			return nil, false
		}
		ns := 0
		if len(nums) == 7 {
			ns = nums[6] * 1e6
		}
		return table.FromTime(time.Date(nums[0], time.Month(nums[1]), nums[2], nums[3], nums[4], nums[5], ns, time.UTC)), true
	}
	inner = strings.Trim(inner, `"'`)
	if d, ok := fn.ParseDateTime(inner); ok {
		return d, true
	}
	if d, ok := fn.ParseDateTime(strings.ReplaceAll(inner, " ", "")); ok {
		return d, true
	}
	return nil, false
}

func fmtAny(x any) string { return fn.ToStringValue(x) }
