package engine

import (
	"errors"
	"fmt"
	"math"

	"github.com/kqlkernel/kqlkernel/engine/fn"
	"sort"
	"strings"
	"sync"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// bindPipe binds a pipeline. input is the implicit input of a sub-query (mv-apply,
// facet ...) or nil.
func (q *query) bindPipe(sc *scope, p *syntax.PipeExpr, input node) (node, error) {
	ops := p.Ops
	var cur node
	switch {
	case p.Source != nil:
		n, err := q.bindTab(sc, p.Source)
		if err != nil {
			return nil, err
		}
		cur = n
	case input != nil:
		cur = input
	default:
		if len(ops) == 0 {
			return nil, semErr(p, "empty query")
		}
		n, err := q.bindSource(sc, ops[0])
		if err != nil {
			return nil, err
		}
		cur, ops = n, ops[1:]
	}
	for i, op := range ops {
		if f, ok := op.(*syntax.ForkOp); ok {
			return q.bindFork(sc, cur, f, ops[i+1:])
		}
		if f, ok := op.(*syntax.FacetOp); ok {
			return q.bindFacet(sc, cur, f, ops[i+1:])
		}
		n, err := q.bindOp(sc, cur, op, ops[i+1:])
		if err != nil {
			return nil, err
		}
		if d, ok := n.(*deferredNode); ok {
			// The rest of the pipeline was bound by the deferred node at run time.
			return d, nil
		}
		cur = n
	}
	return cur, nil
}

// bindSource binds an operator that starts a pipeline.
func (q *query) bindSource(sc *scope, op syntax.Operator) (node, error) {
	switch op := op.(type) {
	case *syntax.PrintOp:
		return q.bindPrint(sc, op)
	case *syntax.RangeOp:
		return q.bindRange(sc, op)
	case *syntax.DatatableOp:
		return q.bindDatatable(sc, op)
	case *syntax.UnionOp:
		return q.bindUnion(sc, nil, op)
	case *syntax.EvaluateOp:
		return q.bindEvaluate(sc, nil, op, nil)
	case *syntax.SearchOp:
		return q.bindSearch(sc, nil, op)
	case *syntax.FindOp:
		return q.bindFind(sc, op)
	}
	return nil, unsupported(op, fmt.Sprintf("'%s' as a source", op.OpName()))
}

func (q *query) bindOp(sc *scope, in node, op syntax.Operator, rest []syntax.Operator) (node, error) {
	switch op := op.(type) {
	case *syntax.WhereOp:
		if j, ok := in.(*joinNode); ok && j.kind == "innerunique" {
			// Kusto filters the left side before an innerunique join picks its one row
			// per key when the predicate reads left columns only; so do we.
			if pred, err := q.bindScalar(sc, &rowCtx{sch: j.left.schema()}, op.Pred); err == nil && pred.typ() == table.TypeBool {
				nj := *j
				nj.left = addStep(j.left, &filterStep{pred: pred, sch: j.left.schema()})
				return &nj, nil
			}
		}
		rc := &rowCtx{sch: in.schema()}
		pred, err := q.bindScalar(sc, rc, op.Pred)
		if err != nil {
			return nil, err
		}
		if pred.typ() != table.TypeBool {
			return nil, semErr(op.Pred, "where: the predicate must be bool, got %s", pred.typ())
		}
		return addStep(in, &filterStep{pred: pred, sch: in.schema()}), nil
	case *syntax.ProjectOp:
		return q.bindProject(sc, in, op.Cols, false, false)
	case *syntax.ExtendOp:
		return q.bindProject(sc, in, op.Cols, true, false)
	case *syntax.SerializeOp:
		return q.bindProject(sc, in, op.Cols, true, true)
	case *syntax.ProjectAwayOp:
		sch := in.schema()
		drop := map[int]bool{}
		for _, n := range op.Names {
			idx, err := matchNames(sch, n)
			if err != nil {
				return nil, err
			}
			for _, i := range idx {
				drop[i] = true
			}
		}
		var keep []int
		for i := range sch {
			if !drop[i] {
				keep = append(keep, i)
			}
		}
		return addStep(in, selectStep(sch, keep, nil)), nil
	case *syntax.ProjectKeepOp:
		sch := in.schema()
		want := map[int]bool{}
		for _, n := range op.Names {
			idx, err := matchNames(sch, n)
			if err != nil {
				return nil, err
			}
			for _, i := range idx {
				want[i] = true
			}
		}
		var keep []int
		for i := range sch {
			if want[i] {
				keep = append(keep, i)
			}
		}
		return addStep(in, selectStep(sch, keep, nil)), nil
	case *syntax.ProjectRenameOp:
		sch := in.schema()
		names := make([]string, len(sch))
		for i, c := range sch {
			names[i] = c.Name
		}
		for _, c := range op.Cols {
			id, ok := c.X.(*syntax.Ident)
			if !ok || len(c.Names) != 1 {
				return nil, semErr(c, "project-rename expects New = Old")
			}
			i := findCol(sch, id.Name)
			if i < 0 {
				return nil, q.unknownName(id, &rowCtx{sch: sch}, sc)
			}
			names[i] = c.Names[0].Name
		}
		keep := make([]int, len(sch))
		for i := range keep {
			keep[i] = i
		}
		return addStep(in, selectStep(sch, keep, names)), nil
	case *syntax.ProjectReorderOp:
		sch := in.schema()
		used := map[int]bool{}
		var order []int
		for _, it := range op.Items {
			idx, err := matchNames(sch, it.Name)
			if err != nil {
				return nil, err
			}
			if it.Order == "asc" || it.Order == "granny-asc" {
				sort.SliceStable(idx, func(a, b int) bool { return sch[idx[a]].Name < sch[idx[b]].Name })
			} else if it.Order == "desc" || it.Order == "granny-desc" {
				sort.SliceStable(idx, func(a, b int) bool { return sch[idx[a]].Name > sch[idx[b]].Name })
			}
			for _, i := range idx {
				if !used[i] {
					used[i] = true
					order = append(order, i)
				}
			}
		}
		for i := range sch {
			if !used[i] {
				order = append(order, i)
			}
		}
		return addStep(in, selectStep(sch, order, nil)), nil
	case *syntax.SummarizeOp:
		return q.bindSummarize(sc, in, op.Aggs, op.By, op)
	case *syntax.CountOp:
		return q.countNode(in), nil
	case *syntax.DistinctOp:
		var by []*syntax.Column
		star := len(op.Cols) == 1
		if star {
			_, star = op.Cols[0].X.(*syntax.StarExpr)
		}
		if star || len(op.Cols) == 0 {
			for _, c := range in.schema() {
				by = append(by, &syntax.Column{X: &syntax.Ident{Name: c.Name, Span: op.Span}, Span: op.Span})
			}
		} else {
			by = op.Cols
		}
		return q.bindSummarize(sc, in, nil, by, op)
	case *syntax.TakeOp:
		n, err := q.constInt(sc, op.Count)
		if err != nil {
			return nil, err
		}
		return &takeNode{in: in, n: n}, nil
	case *syntax.SortOp:
		return q.bindSort(sc, in, op.By, -1)
	case *syntax.TopOp:
		n, err := q.constInt(sc, op.Count)
		if err != nil {
			return nil, err
		}
		return q.bindSort(sc, in, op.By, n)
	case *syntax.JoinOp:
		if op.Where != nil {
			return nil, unsupported(op.Where, "join ... where (time-window join conditions); use join ... on, then | where")
		}
		return q.bindJoin(sc, in, op.Kind, op.Right, op.On, op, false)
	case *syntax.LookupOp:
		return q.bindJoin(sc, in, op.Kind, op.Right, op.On, op, true)
	case *syntax.UnionOp:
		return q.bindUnion(sc, in, op)
	case *syntax.RenderOp:
		spec := renderSpec(op)
		return &funcNode{sch: in.schema(), f: func(q *query) (*table.Table, error) {
			t, err := q.materialize(in)
			if err == nil {
				q.render = spec
			}
			return t, err
		}}, nil
	case *syntax.AsOp:
		c := &cachedNode{in: in}
		if op.Name != nil {
			c.name = op.Name.Name
			sc.names[op.Name.Name] = &symbol{tab: c}
		}
		return c, nil
	case *syntax.GetSchemaOp:
		return getSchemaNode(in.schema()), nil
	case *syntax.MvExpandOp:
		return q.bindMvExpand(sc, in, op)
	case *syntax.InvokeOp:
		call, ok := op.Call.(*syntax.CallExpr)
		if !ok {
			return nil, semErr(op, "invoke expects a function call")
		}
		sym := sc.lookup(call.Fun.Name)
		if sym == nil || sym.lambda == nil {
			return nil, semErr(call.Fun, "unknown function '%s'", call.Fun.Name)
		}
		inner, err := q.bindLambdaArgs(sc, &rowCtx{}, sym, call.Args, call, in)
		if err != nil {
			return nil, err
		}
		for _, st := range sym.lambda.Body.Stmts {
			if l, ok := st.(*syntax.LetStmt); ok {
				if err := q.bindLet(inner, l.Name.Name, l.Value); err != nil {
					return nil, err
				}
			}
		}
		return q.bindTab(inner, sym.lambda.Body.Result)
	case *syntax.PrintOp, *syntax.RangeOp, *syntax.DatatableOp:
		return nil, semErr(op, "'%s' must start a query", op.OpName())
	case *syntax.ParseOp:
		return q.bindParse(sc, in, op)
	case *syntax.ParseKvOp:
		return q.bindParseKV(sc, in, op)
	case *syntax.MakeSeriesOp:
		return q.bindMakeSeries(sc, in, op)
	case *syntax.EvaluateOp:
		return q.bindEvaluate(sc, in, op, rest)
	case *syntax.MvApplyOp:
		return q.bindMvApply(sc, in, op)
	case *syntax.TopNestedOp:
		return q.bindTopNested(sc, in, op)
	case *syntax.ScanOp:
		return q.bindScan(sc, in, op)
	case *syntax.SearchOp:
		return q.bindSearch(sc, in, op)
	case *syntax.PartitionOp:
		return q.bindPartition(sc, in, op)
	case *syntax.SampleDistinctOp:
		n, err := q.constInt(sc, op.Count)
		if err != nil {
			return nil, err
		}
		d, err := q.bindSummarize(sc, in, nil, []*syntax.Column{{Span: op.Span, X: op.Of}}, op)
		if err != nil {
			return nil, err
		}
		return &takeNode{in: d, n: n}, nil
	case *syntax.TopHittersOp:
		return q.bindTopHitters(sc, in, op)
	case *syntax.ConsumeOp:
		return &funcNode{sch: table.Schema{}, f: func(q *query) (*table.Table, error) {
			if err := q.stream(in, 0, func(int, int, *batch) error { return nil }); err != nil {
				return nil, err
			}
			return &table.Table{}, nil
		}}, nil
	case *syntax.AssertSchemaOp:
		if op.Schema != nil && op.Schema.Tabular {
			insch := in.schema()
			for _, c := range op.Schema.Columns {
				i := findCol(insch, c.Name.Name)
				t, _ := table.ParseType(string(c.Type))
				if i < 0 || (c.Type != "" && insch[i].Type != t) {
					return nil, semErr(c, "assert-schema: the input has no column %s:%s", c.Name.Name, c.Type)
				}
			}
			if !op.Schema.Star && len(op.Schema.Columns) != len(insch) {
				return nil, semErr(op, "assert-schema: the input has %d columns, the schema %d", len(insch), len(op.Schema.Columns))
			}
		}
		return in, nil
	case *syntax.SampleOp:
		n, err := q.constInt(sc, op.Count)
		if err != nil {
			return nil, err
		}
		return &takeNode{in: in, n: n}, nil
	case *syntax.BadOp:
		return nil, semErr(op, "unknown operator '%s'", op.Name)
	}
	return nil, unsupported(op, fmt.Sprintf("operator '%s'", op.OpName()))
}

func (q *query) constInt(sc *scope, e syntax.Expr) (int, error) {
	x, err := q.bindScalar(sc, &rowCtx{}, e)
	if err != nil {
		return 0, err
	}
	c, ok := x.(*constExpr)
	if !ok {
		return 0, semErr(e, "expected a constant number")
	}
	switch v := c.value().(type) {
	case int64:
		return int(v), nil
	case int32:
		return int(v), nil
	case float64:
		return int(v), nil
	}
	return 0, semErr(e, "expected a constant number, got %s", c.typ())
}

// matchNames resolves an *Ident or *Wildcard against a schema.
func matchNames(sch table.Schema, n syntax.Expr) ([]int, error) {
	switch n := n.(type) {
	case *syntax.Ident:
		for i, c := range sch {
			if c.Name == n.Name {
				return []int{i}, nil
			}
		}
		err := semErr(n, "unknown column '%s'", n.Name)
		var cands []string
		for _, c := range sch {
			cands = append(cands, c.Name)
		}
		if h := didYouMean(n.Name, cands); h != "" {
			err.Hint = fmt.Sprintf("did you mean '%s'?", h)
		}
		return nil, err
	case *syntax.Wildcard:
		var out []int
		for i, c := range sch {
			if wildMatch(n.Pattern, c.Name) {
				out = append(out, i)
			}
		}
		return out, nil
	case *syntax.StarExpr:
		out := make([]int, len(sch))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	return nil, semErr(n, "expected a column name")
}

func wildMatch(pat, s string) bool {
	parts := strings.Split(pat, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i := 1; i < len(parts); i++ {
		p := parts[i]
		if i == len(parts)-1 {
			return strings.HasSuffix(s, p)
		}
		j := strings.Index(s, p)
		if j < 0 {
			return false
		}
		s = s[j+len(p):]
	}
	return true
}

// ---------------------------------------------------------------------------------------
// Streaming steps

type filterStep struct {
	pred expr
	sch  table.Schema
}

func (s *filterStep) outSchema() table.Schema { return s.sch }

func (s *filterStep) apply(ec *evalCtx, b *batch) (*batch, error) { return s.applyNeed(ec, b, nil) }

func (s *filterStep) needs(needOut []bool) []bool {
	if needOut == nil {
		return nil
	}
	in := append([]bool{}, needOut...)
	if !exprRefsGrow(s.pred, &in) {
		return nil
	}
	return in
}

func (s *filterStep) applyNeed(ec *evalCtx, b *batch, need []bool) (*batch, error) {
	if rows, ok := fastFilter(ec, s.pred, b); ok {
		if len(rows) == b.n {
			return b, nil
		}
		return takeBatchNeed(b, rows, need), nil
	}
	p, err := s.pred.eval(ec, b)
	if err != nil {
		return nil, err
	}
	if p.Const {
		if truthy(p, 0) {
			return b, nil
		}
		return takeBatchNeed(b, nil, need), nil
	}
	rows := ec.rowBuf(b.n)
	if p.Type == table.TypeBool && p.Nulls == nil {
		for i, v := range p.Bools[:b.n] {
			if v {
				rows = append(rows, i)
			}
		}
	} else {
		for i := 0; i < b.n; i++ {
			if truthy(p, i) {
				rows = append(rows, i)
			}
		}
	}
	if len(rows) == b.n {
		return b, nil
	}
	return takeBatchNeed(b, rows, need), nil
}

// takeBatch gathers rows of every column (Const columns stay Const).
func takeBatch(b *batch, rows []int) *batch { return takeBatchNeed(b, rows, nil) }

// takeBatchNeed gathers rows of the needed columns (nil = all).
func takeBatchNeed(b *batch, rows []int, need []bool) *batch {
	out := &batch{cols: make([]*table.Vector, len(b.cols)), n: len(rows)}
	if rows == nil {
		rows = []int{}
	}
	for i, c := range b.cols {
		if c == nil || !isNeeded(need, i) {
			continue
		}
		if c.Const {
			out.cols[i] = c
		} else {
			out.cols[i] = c.Take(rows)
		}
	}
	return out
}

type projectStep struct {
	exprs []expr
	sch   table.Schema
}

func (s *projectStep) outSchema() table.Schema { return s.sch }

func (s *projectStep) apply(ec *evalCtx, b *batch) (*batch, error) { return s.applyNeed(ec, b, nil) }

func (s *projectStep) needs(needOut []bool) []bool {
	var in []bool
	for i, e := range s.exprs {
		if !isNeeded(needOut, i) {
			continue
		}
		if in == nil {
			in = make([]bool, 0)
		}
		if !exprRefsGrow(e, &in) {
			return nil
		}
	}
	if in == nil {
		in = []bool{}
	}
	return in
}

func (s *projectStep) applyNeed(ec *evalCtx, b *batch, need []bool) (*batch, error) {
	out := &batch{cols: make([]*table.Vector, len(s.exprs)), n: b.n}
	for i, e := range s.exprs {
		if !isNeeded(need, i) {
			continue
		}
		v, err := e.eval(ec, b)
		if err != nil {
			return nil, err
		}
		if v.Type != s.sch[i].Type {
			v = convertVector(v, s.sch[i].Type, b.n)
		}
		out.cols[i] = v
	}
	return out, nil
}

// selectStep picks (and optionally renames) input columns.
func selectStep(sch table.Schema, idx []int, names []string) *projectStep {
	s := &projectStep{}
	for _, i := range idx {
		name := sch[i].Name
		if names != nil {
			name = names[i]
		}
		s.exprs = append(s.exprs, &colExpr{idx: i, t: sch[i].Type})
		s.sch = append(s.sch, table.ColumnSchema{Name: name, Type: sch[i].Type})
	}
	return s
}

// bindProject binds project (extend=false) or extend/serialize (extend=true).
func (q *query) bindProject(sc *scope, in node, cols []*syntax.Column, extend, serialize bool) (node, error) {
	sch := in.schema()
	win := &windowInfo{}
	rc := &rowCtx{sch: sch, window: win}
	step := &projectStep{}
	nm := newNamer()
	if extend {
		for i, c := range sch {
			step.exprs = append(step.exprs, &colExpr{idx: i, t: c.Type})
			step.sch = append(step.sch, c)
			nm.used[c.Name] = true
		}
	}
	for _, c := range cols {
		if _, ok := c.X.(*syntax.StarExpr); ok {
			continue
		}
		if xs, names, ok, err := q.bindTuple(sc, rc, c); ok || err != nil {
			if err != nil {
				return nil, err
			}
			for k, x := range xs {
				name := names[k]
				if extend {
					if i := findCol(step.sch, name); i >= 0 {
						step.exprs[i] = x
						step.sch[i] = table.ColumnSchema{Name: name, Type: x.typ()}
						continue
					}
				}
				name = nm.unique(name)
				step.exprs = append(step.exprs, x)
				step.sch = append(step.sch, table.ColumnSchema{Name: name, Type: x.typ()})
			}
			continue
		}
		x, err := q.bindScalar(sc, rc, c.X)
		if err != nil {
			return nil, err
		}
		if len(c.Names) > 1 {
			return nil, unsupported(c, "assigning several names to one expression")
		}
		name := ""
		explicit := len(c.Names) == 1
		if explicit {
			name = c.Names[0].Name
		} else {
			name = exprNameRow(c.X, sch)
		}
		if extend && name != "" {
			if i := findCol(step.sch, name); i >= 0 {
				// extend replaces a column of the same name in place.
				step.exprs[i] = x
				step.sch[i] = table.ColumnSchema{Name: name, Type: x.typ()}
				continue
			}
		}
		if !extend && name != "" && findCol(step.sch, name) >= 0 {
			if explicit || isPlainColumn(c.X) {
				return nil, semErr(c, "a column named '%s' is already in the projection", name)
			}
			name = nm.unique(name)
		} else if name == "" {
			name = nm.column()
		} else {
			name = nm.unique(name)
		}
		step.exprs = append(step.exprs, x)
		step.sch = append(step.sch, table.ColumnSchema{Name: name, Type: x.typ()})
	}
	if win.used {
		// Row-order functions need the whole input in one batch.
		return &wholeNode{in: in, step: step}, nil
	}
	return addStep(in, step), nil
}

func isPlainColumn(e syntax.Expr) bool {
	_, ok := e.(*syntax.Ident)
	return ok
}

func exprNameRow(e syntax.Expr, row table.Schema) string {
	if c, ok := e.(*syntax.CallExpr); ok {
		return callName(c, row)
	}
	return exprName(e)
}

// wholeNode runs a step over the whole input as one batch (window functions).
type wholeNode struct {
	in   node
	step step
}

func (n *wholeNode) schema() table.Schema { return n.step.outSchema() }
func (n *wholeNode) run(q *query) (*table.Table, error) {
	t, err := q.materialize(n.in)
	if err != nil {
		return nil, err
	}
	b, err := n.step.apply(q.newEval(), tableBatch(t))
	if err != nil {
		return nil, err
	}
	return batchToTable(n.schema(), b), nil
}

// deferredNode binds the rest of a pipeline once its input ran (operators whose output
// schema depends on the data: bag_unpack, pivot).
type deferredNode struct {
	sch table.Schema
	f   func(q *query) (*table.Table, error)
}

func (n *deferredNode) schema() table.Schema               { return n.sch }
func (n *deferredNode) run(q *query) (*table.Table, error) { return n.f(q) }

// ---------------------------------------------------------------------------------------
// take, sort, top

type takeNode struct {
	in node
	n  int
}

func (n *takeNode) schema() table.Schema { return n.in.schema() }
func (n *takeNode) run(q *query) (*table.Table, error) {
	var parts = map[int]*batch{}
	got := 0
	err := q.stream(n.in, 1, func(w, idx int, b *batch) error {
		if got >= n.n {
			return errStop
		}
		if got+b.n > n.n {
			rows := make([]int, n.n-got)
			for i := range rows {
				rows[i] = i
			}
			b = takeBatch(b, rows)
		}
		parts[idx] = b
		got += b.n
		if got >= n.n {
			return errStop
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return batchesToTable(n.schema(), parts), nil
}

type sortKey struct {
	e          expr
	desc       bool
	nullsFirst bool
}

type sortNode struct {
	in    node
	keys  []sortKey
	limit int
}

func (q *query) bindSort(sc *scope, in node, by []*syntax.SortKey, limit int) (node, error) {
	rc := &rowCtx{sch: in.schema()}
	n := &sortNode{in: in, limit: limit}
	for _, k := range by {
		x, err := q.bindScalar(sc, rc, k.X)
		if err != nil {
			return nil, err
		}
		desc := !k.Asc
		nf := !desc
		if k.NullsFirst {
			nf = true
		} else if k.NullsLast {
			nf = false
		}
		n.keys = append(n.keys, sortKey{e: x, desc: desc, nullsFirst: nf})
	}
	return n, nil
}

func (n *sortNode) schema() table.Schema { return n.in.schema() }
func (n *sortNode) run(q *query) (*table.Table, error) {
	t, err := q.materialize(n.in)
	if err != nil {
		return nil, err
	}
	rows := t.Rows()
	b := tableBatch(t)
	ec := q.newEval()
	keys := make([]*table.Vector, len(n.keys))
	for i, k := range n.keys {
		if keys[i], err = k.e.eval(ec, b); err != nil {
			return nil, err
		}
	}
	less := rowLess(n.keys, keys)
	// Comparisons check the context now and then so that an interrupt stops a long
	// sort; the abort unwinds through sort with a panic caught right here.
	var calls int
	checked := func(a, b int) bool {
		calls++
		if calls&0xffff == 0 && q.ctx.Err() != nil {
			panic(sortAborted{})
		}
		return less(a, b)
	}
	perm, err := sortRows(rows, n.limit, checked)
	if err != nil {
		if err2 := q.ctx.Err(); err2 != nil {
			return nil, err2
		}
		return nil, err
	}
	return batchToTable(n.schema(), takeBatch(b, perm)), nil
}

type sortAborted struct{}

// sortRows returns the row order (the first limit rows when limit >= 0). A small limit
// over many rows keeps a bounded heap instead of sorting everything.
func sortRows(rows, limit int, less func(a, b int) bool) (perm []int, err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(sortAborted); ok {
				perm, err = nil, errors.New("sort aborted")
				return
			}
			panic(r)
		}
	}()
	if limit >= 0 && limit*8 < rows {
		// Max-heap of the best limit rows seen (the worst of them on top); ties keep
		// the earlier row, as a stable sort would.
		h := make([]int, 0, limit+1)
		worse := func(a, b int) bool { // a sorts after b
			if less(b, a) {
				return true
			}
			if less(a, b) {
				return false
			}
			return a > b
		}
		up := func(i int) {
			for i > 0 {
				p := (i - 1) / 2
				if !worse(h[i], h[p]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
		}
		down := func(i int) {
			for {
				l, r, m := 2*i+1, 2*i+2, i
				if l < len(h) && worse(h[l], h[m]) {
					m = l
				}
				if r < len(h) && worse(h[r], h[m]) {
					m = r
				}
				if m == i {
					return
				}
				h[i], h[m] = h[m], h[i]
				i = m
			}
		}
		for r := 0; r < rows; r++ {
			if len(h) < limit {
				h = append(h, r)
				up(len(h) - 1)
				continue
			}
			if limit > 0 && worse(h[0], r) {
				h[0] = r
				down(0)
			}
		}
		sort.SliceStable(h, func(a, b int) bool { return less(h[a], h[b]) || !less(h[b], h[a]) && h[a] < h[b] })
		return h, nil
	}
	perm = make([]int, rows)
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool { return less(perm[a], perm[b]) })
	if limit >= 0 && limit < len(perm) {
		perm = perm[:limit]
	}
	return perm, nil
}

// rowLess builds a row comparator for sort keys, with typed fast paths.
func rowLess(keys []sortKey, vals []*table.Vector) func(a, b int) bool {
	type keyCmp struct {
		null func(i int) bool
		cmp  func(a, b int) int
		desc bool
		nf   bool
	}
	cmps := make([]keyCmp, len(keys))
	for i, k := range keys {
		v := vals[i]
		kc := keyCmp{desc: k.desc, nf: k.nullsFirst}
		switch {
		case v.Const:
			kc.null = func(int) bool { return false }
			kc.cmp = func(int, int) int { return 0 }
		case v.Type == table.TypeInt || v.Type == table.TypeLong || v.Type == table.TypeDateTime || v.Type == table.TypeTimeSpan:
			ints, nulls := v.Ints, v.Nulls
			kc.null = func(i int) bool { return nulls != nil && nulls.Get(i) }
			kc.cmp = func(a, b int) int { return cmp3(ints[a], ints[b]) }
		case v.Type == table.TypeReal:
			fs, nulls := v.Reals, v.Nulls
			kc.null = func(i int) bool { return nulls != nil && nulls.Get(i) }
			kc.cmp = func(a, b int) int { return cmpFloat(fs[a], fs[b]) }
		case v.Type == table.TypeString || v.Type == table.TypeGUID:
			strs := v.Strs
			kc.null = func(int) bool { return false }
			kc.cmp = func(a, b int) int { return strings.Compare(strs[a], strs[b]) }
		default:
			kc.null = func(i int) bool { return v.IsNull(i) }
			kc.cmp = func(a, b int) int { return compareValues(v.At(a), v.At(b)) }
		}
		cmps[i] = kc
	}
	return func(a, b int) bool {
		for _, k := range cmps {
			na, nb := k.null(a), k.null(b)
			if na || nb {
				if na && nb {
					continue
				}
				return na == k.nf
			}
			c := k.cmp(a, b)
			if c == 0 {
				continue
			}
			if k.desc {
				return c > 0
			}
			return c < 0
		}
		return false
	}
}

// ---------------------------------------------------------------------------------------
// Sources

func printNode(sch table.Schema, exprs []expr) node {
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		b := &batch{n: 1}
		out := &table.Table{}
		ec := q.newEval()
		for i, e := range exprs {
			v, err := e.eval(ec, b)
			if err != nil {
				return nil, err
			}
			v = v.Expand(1)
			if v.Len() > 1 {
				v = v.Slice(0, 1)
			}
			out.Columns = append(out.Columns, table.Column{Name: sch[i].Name, Type: sch[i].Type, Data: convertVector(v, sch[i].Type, 1)})
		}
		return out, nil
	}}
}

func (q *query) bindPrint(sc *scope, op *syntax.PrintOp) (node, error) {
	var sch table.Schema
	var exprs []expr
	nm := newNamer()
	for i, c := range op.Cols {
		if xs, names, ok, err := q.bindTuple(sc, &rowCtx{}, c); ok || err != nil {
			if err != nil {
				return nil, err
			}
			for k, x := range xs {
				sch = append(sch, table.ColumnSchema{Name: nm.unique(names[k]), Type: x.typ()})
				exprs = append(exprs, x)
			}
			continue
		}
		x, err := q.bindScalar(sc, &rowCtx{}, c.X)
		if err != nil {
			return nil, err
		}
		name := ""
		if len(c.Names) > 0 {
			name = c.Names[0].Name
		} else {
			name = fmt.Sprintf("print_%d", i)
		}
		name = nm.unique(name)
		sch = append(sch, table.ColumnSchema{Name: name, Type: x.typ()})
		exprs = append(exprs, x)
	}
	return printNode(sch, exprs), nil
}

func (q *query) bindRange(sc *scope, op *syntax.RangeOp) (node, error) {
	rc := &rowCtx{}
	from, err := q.bindScalar(sc, rc, op.From)
	if err != nil {
		return nil, err
	}
	to, err := q.bindScalar(sc, rc, op.To)
	if err != nil {
		return nil, err
	}
	stp, err := q.bindScalar(sc, rc, op.Step)
	if err != nil {
		return nil, err
	}
	fc, ok1 := from.(*constExpr)
	tc, ok2 := to.(*constExpr)
	sc3, ok3 := stp.(*constExpr)
	if !ok1 || !ok2 || !ok3 {
		return nil, semErr(op, "range: from, to and step must be constants")
	}
	t := from.typ()
	if t == table.TypeInt {
		t = table.TypeLong
	}
	sch := table.Schema{{Name: op.Name.Name, Type: t}}
	n := &rangeNode{op: op, sch: sch, t: t}
	f, tv, s := fc.value(), tc.value(), sc3.value()
	if f == nil || tv == nil || s == nil {
		return n, nil
	}
	if t == table.TypeReal {
		n.real = true
		n.fa, _ = toFloat(f)
		b, _ := toFloat(tv)
		n.fst, _ = toFloat(s)
		if n.fst == 0 {
			return nil, semErr(op.Step, "range: step must not be zero")
		}
		if (n.fst > 0 && n.fa <= b) || (n.fst < 0 && n.fa >= b) {
			// The rows are a + i*step while within b; fix rounding at the end.
			c := math.Floor((b-n.fa)/n.fst) + 1
			if c > math.MaxInt64/2 || math.IsNaN(c) {
				return nil, semErr(op, "range: too many rows")
			}
			n.n = int64(c)
			for n.n > 0 && !n.within(n.fa+float64(n.n-1)*n.fst, b) {
				n.n--
			}
			for n.within(n.fa+float64(n.n)*n.fst, b) {
				n.n++
			}
		}
		return n, nil
	}
	// A real bound or step of a long range (`to 1e12`) counts as its integer part.
	rangeInt := func(x any) int64 {
		if fx, ok := x.(float64); ok {
			return int64(max(min(fx, math.MaxInt64/2), math.MinInt64/2))
		}
		return intOf(x)
	}
	n.ia, n.ist = rangeInt(f), rangeInt(s)
	b := rangeInt(tv)
	if n.ist == 0 {
		return nil, semErr(op.Step, "range: step must not be zero")
	}
	// Count in unsigned arithmetic: b - a may not fit an int64.
	switch {
	case n.ist > 0 && b >= n.ia:
		n.n = int64(min((uint64(b)-uint64(n.ia))/uint64(n.ist), math.MaxInt64/2-1)) + 1
	case n.ist < 0 && b <= n.ia:
		n.n = int64(min((uint64(n.ia)-uint64(b))/(uint64(-(n.ist+1))+1), math.MaxInt64/2-1)) + 1
	}
	return n, nil
}

func (n *rangeNode) within(x, b float64) bool {
	return (n.fst > 0 && x <= b) || (n.fst < 0 && x >= b)
}

// rangeNode is `range x from a to b step s`. It generates its rows a batch at a time, so a
// streaming pipeline (range | where | summarize) holds one batch per worker and stops at
// an interrupt; only a materialization holds every row, up to maxGeneratedRows.
type rangeNode struct {
	op      *syntax.RangeOp
	sch     table.Schema
	t       table.Type
	n       int64 // rows
	real    bool
	ia, ist int64
	fa, fst float64
}

func (n *rangeNode) schema() table.Schema { return n.sch }

func (n *rangeNode) numBatches() int { return int((n.n + batchSize - 1) / batchSize) }

func (n *rangeNode) genBatch(i int, need []bool) *batch {
	from := int64(i) * batchSize
	cnt := int(min(n.n-from, batchSize))
	b := &batch{cols: make([]*table.Vector, 1), n: cnt}
	if !isNeeded(need, 0) {
		return b
	}
	v := table.NewVector(n.t, cnt)
	if n.real {
		v.Reals = v.Reals[:cnt]
		for k := range v.Reals {
			v.Reals[k] = n.fa + float64(from+int64(k))*n.fst
		}
	} else {
		v.Ints = v.Ints[:cnt]
		x := n.ia + from*n.ist
		for k := range v.Ints {
			v.Ints[k] = x
			x += n.ist
		}
	}
	b.cols[0] = v
	return b
}

func (n *rangeNode) overflow() error {
	e := semErr(n.op, "range: more than %d rows to hold in memory", maxGeneratedRows)
	e.Code = "runtime"
	e.Hint = "filter, summarize or take the range in the same pipeline, before operators that need every row (sort, join, serialize)"
	return e
}

func (n *rangeNode) run(q *query) (*table.Table, error) { return q.materialize(n) }

func (q *query) bindDatatable(sc *scope, op *syntax.DatatableOp) (node, error) {
	var sch table.Schema
	for _, c := range op.Schema {
		t, ok := table.ParseType(string(c.Type))
		if !ok {
			return nil, semErr(c, "unknown type '%s'", c.Type)
		}
		sch = append(sch, table.ColumnSchema{Name: c.Name.Name, Type: t})
	}
	if len(sch) == 0 {
		return nil, semErr(op, "datatable needs at least one column")
	}
	if len(op.Values)%len(sch) != 0 {
		return nil, semErr(op, "datatable: %d values do not fill rows of %d columns", len(op.Values), len(sch))
	}
	t := table.New("", sch)
	for i, ve := range op.Values {
		x, err := q.bindScalar(sc, &rowCtx{}, ve)
		if err != nil {
			return nil, err
		}
		c, ok := x.(*constExpr)
		if !ok {
			return nil, semErr(ve, "datatable values must be constants")
		}
		col := i % len(sch)
		v := c.value()
		ct := sch[col].Type
		if v != nil && c.typ() != ct {
			cv := convertValue(v, ct)
			if cv == nil {
				return nil, semErr(ve, "datatable: value of type %s in a %s column", c.typ(), ct)
			}
			v = cv
		}
		if err := t.Columns[col].Data.Append(v); err != nil {
			return nil, semErr(ve, "datatable: %v", err)
		}
	}
	return &tableNode{t: t}, nil
}

func getSchemaNode(in table.Schema) node {
	sch := table.Schema{{Name: "ColumnName", Type: table.TypeString}, {Name: "ColumnOrdinal", Type: table.TypeInt},
		{Name: "DataType", Type: table.TypeString}, {Name: "ColumnType", Type: table.TypeString}}
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t := table.New("", sch)
		for i, c := range in {
			_ = t.AppendRow(c.Name, int32(i), dotNetFullName(c.Type), c.Type.String())
		}
		return t, nil
	}}
}

func dotNetFullName(t table.Type) string {
	switch t {
	case table.TypeBool:
		return "System.Boolean"
	case table.TypeDecimal:
		return "System.Data.SqlTypes.SqlDecimal"
	}
	return "System." + t.DotNetName()
}

func renderSpec(op *syntax.RenderOp) *table.RenderSpec {
	s := &table.RenderSpec{Visualization: op.Kind}
	for _, p := range op.Props {
		name := strings.ToLower(p.Name)
		str := ""
		var list []string
		switch v := p.Value.(type) {
		case *syntax.Literal:
			str = fmt.Sprint(v.Value)
		case *syntax.Ident:
			str = v.Name
		case *syntax.ListExpr:
			for _, e := range v.Elems {
				if id, ok := e.(*syntax.Ident); ok {
					list = append(list, id.Name)
				}
			}
		case *syntax.ParenExpr:
			if id, ok := v.X.(*syntax.Ident); ok {
				list = []string{id.Name}
			}
		}
		if list == nil && str != "" {
			list = []string{str}
		}
		switch name {
		case "title":
			s.Title = str
		case "xcolumn":
			s.XColumn = str
		case "ycolumns":
			s.YColumns = list
		case "series":
			s.Series = list
		case "xtitle":
			s.XTitle = str
		case "ytitle":
			s.YTitle = str
		case "xaxis":
			s.XAxis = str
		case "yaxis":
			s.YAxis = str
		case "legend":
			s.Legend = str
		case "ysplit":
			s.YSplit = str
		case "kind":
			s.Kind = str
		case "accumulate":
			s.Accumulate = str == "true"
		case "anomalycolumns":
			s.AnomalyColumns = list
		}
	}
	return s
}

// countNode is `count`: one row, one long column named Count.
func (q *query) countNode(in node) node {
	sch := table.Schema{{Name: "Count", Type: table.TypeLong}}
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		var mu sync.Mutex
		var total int64
		err := q.streamNeed(in, 0, []bool{}, func(w, idx int, b *batch) error {
			mu.Lock()
			total += int64(b.n)
			mu.Unlock()
			return nil
		})
		if err != nil {
			return nil, err
		}
		t := table.New("", sch)
		_ = t.AppendRow(total)
		return t, nil
	}}
}

// bindTuple binds a call of a function that yields several columns (series_stats ...):
// one expression per column, named "<function>_<argument>_<suffix>" or by the column's
// names `(a, b) = f(...)`.
func (q *query) bindTuple(sc *scope, rc *rowCtx, c *syntax.Column) ([]expr, []string, bool, error) {
	call, ok := c.X.(*syntax.CallExpr)
	if !ok || sc.lookup(call.Fun.Name) != nil {
		return nil, nil, false, nil
	}
	lname := strings.ToLower(call.Fun.Name)
	f, ok := q.funcs.Lookup(lname)
	if !ok || f.Columns == nil {
		return nil, nil, false, nil
	}
	var args []expr
	var fargs []fn.Arg
	for _, a := range call.Args {
		if na, ok := a.(*syntax.NamedArg); ok {
			a = na.Value
		}
		x, err := q.bindScalar(sc, rc, a)
		if err != nil {
			return nil, nil, true, err
		}
		args = append(args, x)
		fa := fn.Arg{Type: x.typ()}
		if ce, ok := x.(*constExpr); ok {
			fa.Const, fa.Value = true, ce.value()
		}
		fargs = append(fargs, fa)
	}
	suffixes, types := f.Columns(fargs)
	whole, err := q.bindFunc(f, lname, args, call)
	if err != nil {
		return nil, nil, true, err
	}
	base := lname + "_"
	if len(call.Args) > 0 {
		base += exprName(call.Args[0]) + "_"
	}
	var xs []expr
	var names []string
	for k := range suffixes {
		k := k
		t := types[k]
		name := base + suffixes[k]
		if k < len(c.Names) {
			name = c.Names[k].Name
		}
		names = append(names, name)
		xs = append(xs, &funcExpr{t: t, deps: []expr{whole}, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
			v, err := whole.eval(ec, b)
			if err != nil {
				return nil, err
			}
			n := b.n
			if v.Const {
				n = 1
			}
			out := table.NewVector(t, n)
			for i := 0; i < n; i++ {
				var x any
				if row, ok := v.At(i).([]any); ok && k < len(row) {
					x = row[k]
				}
				if t != table.TypeDynamic {
					x = convertValue(x, t)
				}
				_ = out.Append(x)
			}
			out.Const = v.Const
			return out, nil
		}})
	}
	return xs, names, true, nil
}

// fastFilter evaluates `column <cmp> constant` on integer-backed columns (int, long,
// datetime, timespan) straight into a selection vector, without building a bool vector.
// ok is false when the predicate has another shape.
func fastFilter(ec *evalCtx, pred expr, b *batch) ([]int, bool) {
	c, ok := pred.(*callExpr)
	if !ok || len(c.args) != 2 {
		return nil, false
	}
	switch c.name {
	case "==", "!=", "<", "<=", ">", ">=":
	default:
		return nil, false
	}
	col, ok1 := c.args[0].(*colExpr)
	k, ok2 := c.args[1].(*constExpr)
	if !ok1 || !ok2 {
		return nil, false
	}
	intBacked := func(t table.Type) bool {
		return t == table.TypeInt || t == table.TypeLong || t == table.TypeDateTime || t == table.TypeTimeSpan
	}
	ct, kt := col.t, k.typ()
	same := ct == kt || ((ct == table.TypeInt || ct == table.TypeLong) && (kt == table.TypeInt || kt == table.TypeLong))
	if !intBacked(ct) || !same {
		return nil, false
	}
	v := b.cols[col.idx]
	if v == nil || v.Const || k.value() == nil {
		return nil, false
	}
	kv := intOf(k.value())
	rows := ec.rowBuf(b.n)
	ints := v.Ints[:b.n]
	nulls := v.Nulls
	switch c.name {
	case "==":
		for i, x := range ints {
			if x == kv {
				rows = append(rows, i)
			}
		}
	case "!=":
		for i, x := range ints {
			if x != kv {
				rows = append(rows, i)
			}
		}
	case "<":
		for i, x := range ints {
			if x < kv {
				rows = append(rows, i)
			}
		}
	case "<=":
		for i, x := range ints {
			if x <= kv {
				rows = append(rows, i)
			}
		}
	case ">":
		for i, x := range ints {
			if x > kv {
				rows = append(rows, i)
			}
		}
	case ">=":
		for i, x := range ints {
			if x >= kv {
				rows = append(rows, i)
			}
		}
	}
	if nulls != nil {
		// Null compares to nothing.
		j := 0
		for _, r := range rows {
			if !nulls.Get(r) {
				rows[j] = r
				j++
			}
		}
		rows = rows[:j]
	}
	ec.rows = rows
	return rows, true
}

// subPipe returns the pipeline of a sub-query written `( ... )` or `{ ... }`.
func subPipe(e syntax.Expr) (*syntax.PipeExpr, bool) {
	switch e := e.(type) {
	case *syntax.ParenExpr:
		return subPipe(e.X)
	case *syntax.PipeExpr:
		return e, true
	}
	return nil, false
}

// bindPartition runs the sub-query once per distinct value of the partition column and
// unions the results.
func (q *query) bindPartition(sc *scope, in node, op *syntax.PartitionOp) (node, error) {
	insch := in.schema()
	sub, ok := subPipe(op.Sub)
	if !ok {
		return nil, semErr(op, "partition needs a sub-query")
	}
	key, err := q.bindScalar(sc, &rowCtx{sch: insch}, op.By)
	if err != nil {
		return nil, err
	}
	// Bind once on an empty input to learn the output schema (and report errors early).
	probe, err := q.bindPipe(sc, sub, &tableNode{t: table.New("", insch)})
	if err != nil {
		return nil, err
	}
	sch := probe.schema()
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		b := tableBatch(t)
		kv, err := key.eval(q.newEval(), b)
		if err != nil {
			return nil, err
		}
		var order []string
		groups := map[string][]int{}
		var buf []byte
		for i := 0; i < b.n; i++ {
			buf = appendKey(buf[:0], at(kv, i))
			if _, ok := groups[string(buf)]; !ok {
				order = append(order, string(buf))
			}
			groups[string(buf)] = append(groups[string(buf)], i)
		}
		var parts []*table.Table
		for _, k := range order {
			if err := q.ctx.Err(); err != nil {
				return nil, err
			}
			part := batchToTable(insch, takeBatch(b, groups[k]))
			n, err := q.bindPipe(sc, sub, &tableNode{t: part})
			if err != nil {
				return nil, err
			}
			pt, err := q.materialize(n)
			if err != nil {
				return nil, err
			}
			parts = append(parts, pt)
		}
		out := &table.Table{}
		lens := make([]int, len(parts))
		for i, p := range parts {
			lens[i] = p.Rows()
		}
		for c, cs := range sch {
			vs := make([]*table.Vector, len(parts))
			for i, p := range parts {
				if c < len(p.Columns) && p.Columns[c].Type == cs.Type {
					vs[i] = p.Columns[c].Data
				}
			}
			out.Columns = append(out.Columns, table.Column{Name: cs.Name, Type: cs.Type, Data: table.Concat(cs.Type, vs, lens)})
		}
		return out, nil
	}}, nil
}

// multiNode is several results from one query statement (fork, facet). As a node it is
// its first result; runScript returns all of them.
type multiNode struct {
	nodes []node
	names []string
}

func (m *multiNode) schema() table.Schema               { return m.nodes[0].schema() }
func (m *multiNode) run(q *query) (*table.Table, error) { return q.materialize(m.nodes[0]) }

// bindRest applies the operators after a fork or facet to one branch.
func (q *query) bindRest(sc *scope, n node, rest []syntax.Operator) (node, error) {
	for _, op := range rest {
		var err error
		if n, err = q.bindOp(sc, n, op, nil); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (q *query) bindFork(sc *scope, in node, op *syntax.ForkOp, rest []syntax.Operator) (node, error) {
	shared := &cachedNode{in: in}
	m := &multiNode{}
	for i, br := range op.Branches {
		sub, ok := subPipe(br.Sub)
		if !ok {
			return nil, semErr(br, "fork needs sub-queries in parentheses")
		}
		n, err := q.bindPipe(sc, sub, shared)
		if err != nil {
			return nil, err
		}
		if n, err = q.bindRest(sc, n, rest); err != nil {
			return nil, err
		}
		name := fmt.Sprintf("GenericResult%d", i)
		if br.Name != nil {
			name = br.Name.Name
		}
		m.nodes, m.names = append(m.nodes, n), append(m.names, name)
	}
	if len(m.nodes) == 0 {
		return nil, semErr(op, "fork needs at least one sub-query")
	}
	return m, nil
}

// bindFacet is `facet by c1, c2 [with (sub)]`: a count per value of each column, plus
// the sub-query's result.
func (q *query) bindFacet(sc *scope, in node, op *syntax.FacetOp, rest []syntax.Operator) (node, error) {
	shared := &cachedNode{in: in}
	m := &multiNode{}
	for _, b := range op.By {
		id, ok := b.(*syntax.Ident)
		if !ok {
			return nil, semErr(b, "facet by expects column names")
		}
		n, err := q.bindSummarize(sc, shared, []*syntax.Column{{Span: op.Span, Names: []*syntax.Ident{{Span: op.Span, Name: "count_" + id.Name}}, X: &syntax.CallExpr{Span: op.Span, Fun: &syntax.Ident{Span: op.Span, Name: "count"}}}}, []*syntax.Column{{Span: op.Span, X: id}}, op)
		if err != nil {
			return nil, err
		}
		m.nodes, m.names = append(m.nodes, n), append(m.names, id.Name)
	}
	if op.With != nil {
		sub, ok := subPipe(op.With)
		if !ok {
			return nil, semErr(op.With, "facet with needs a sub-query")
		}
		n, err := q.bindPipe(sc, sub, shared)
		if err != nil {
			return nil, err
		}
		if n, err = q.bindRest(sc, n, rest); err != nil {
			return nil, err
		}
		m.nodes, m.names = append(m.nodes, n), append(m.names, "")
	}
	if len(m.nodes) == 0 {
		return nil, semErr(op, "facet needs columns")
	}
	return m, nil
}

// bindTopHitters is `top-hitters N of X [by Y]`: the N values of X with the highest count
// (or sum of Y), exact here.
func (q *query) bindTopHitters(sc *scope, in node, op *syntax.TopHittersOp) (node, error) {
	n, err := q.constInt(sc, op.Count)
	if err != nil {
		return nil, err
	}
	var agg syntax.Expr = &syntax.CallExpr{Span: op.Span, Fun: &syntax.Ident{Span: op.Span, Name: "count"}}
	name := "approximate_count_" + exprName(op.Of)
	if op.By != nil {
		agg = &syntax.CallExpr{Span: op.Span, Fun: &syntax.Ident{Span: op.Span, Name: "sum"}, Args: []syntax.Expr{op.By}}
		name = "approximate_sum_" + exprName(op.By)
	}
	s, err := q.bindSummarize(sc, in, []*syntax.Column{{Span: op.Span, Names: []*syntax.Ident{{Span: op.Span, Name: name}}, X: agg}}, []*syntax.Column{{Span: op.Span, X: op.Of}}, op)
	if err != nil {
		return nil, err
	}
	keys := []*syntax.SortKey{{Span: op.Span, X: &syntax.Ident{Span: op.Span, Name: name}, Desc: true}}
	return q.bindSort(sc, s, keys, n)
}
