package engine

import (
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// bindSearch is `search [in (T, ...)] pred` and `T | search pred`: the rows of every
// candidate table where pred holds, with a $table column. A bare string matches any
// string column that has it as a term; tables where pred does not bind are skipped.
func (q *query) bindSearch(sc *scope, in node, op *syntax.SearchOp) (node, error) {
	var inputs []node
	var names []string
	if in != nil {
		inputs, names = []node{in}, []string{""}
		if t, ok := in.(*tableNode); ok {
			names[0] = t.t.Name
		}
	} else {
		var err error
		if inputs, names, err = q.searchSources(sc, op.Tables, op); err != nil {
			return nil, err
		}
	}
	var kept []node
	var keptNames []string
	var firstErr error
	for i, n := range inputs {
		pred, err := q.searchPred(sc, n.schema(), op.Pred)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		kept = append(kept, addStep(n, &filterStep{pred: pred, sch: n.schema()}))
		keptNames = append(keptNames, names[i])
	}
	if len(kept) == 0 && firstErr != nil {
		return nil, firstErr
	}
	return unionNode(kept, keptNames, "outer", "$table"), nil
}

// searchSources are the inputs of search and find: the tables listed, or every table and
// tabular let in scope, with their withsource names.
func (q *query) searchSources(sc *scope, tables []syntax.Expr, at syntax.Node) ([]node, []string, error) {
	var inputs []node
	var names []string
	if len(tables) > 0 {
		for _, t := range tables {
			n, err := q.bindTab(sc, t)
			if err != nil {
				return nil, nil, err
			}
			inputs = append(inputs, n)
			names = append(names, unionArgName(t))
		}
		return inputs, names, nil
	}
	for _, name := range sortedStrings(sc.allNames()) {
		sym := sc.lookup(name)
		switch {
		case sym == nil:
		case sym.tab != nil:
			inputs, names = append(inputs, sym.tab), append(names, name)
		case sym.lambda != nil && len(sym.lambda.Params) == 0 && sym.lambda.Body != nil && sym.lambda.Body.Result != nil && q.isTabular(sym.lamScope, sym.lambda.Body.Result):
			n, err := q.callTabLambda(sc, sym, nil, at)
			if err != nil {
				return nil, nil, err
			}
			inputs, names = append(inputs, n), append(names, name)
		}
	}
	for _, name := range q.db.TableNames() {
		if sc.lookup(name) != nil {
			continue
		}
		t, _ := q.db.Table(name)
		inputs, names = append(inputs, &tableNode{t: t}), append(names, name)
	}
	return inputs, names, nil
}

func (q *query) searchPred(sc *scope, sch table.Schema, pred syntax.Expr) (expr, error) {
	rc := &rowCtx{sch: sch}
	if lit, ok := pred.(*syntax.Literal); ok {
		if s, isStr := lit.Value.(string); isStr {
			return q.anyColumn(sch, "has", s, pred)
		}
	}
	if b, ok := pred.(*syntax.BinaryExpr); ok {
		if _, star := b.X.(*syntax.StarExpr); star {
			if lit, ok := b.Y.(*syntax.Literal); ok {
				if s, isStr := lit.Value.(string); isStr {
					return q.anyColumn(sch, strings.ToLower(b.Op), s, pred)
				}
			}
		}
		if strings.EqualFold(b.Op, "and") || strings.EqualFold(b.Op, "or") {
			x, err := q.searchPred(sc, sch, b.X)
			if err != nil {
				return nil, err
			}
			y, err := q.searchPred(sc, sch, b.Y)
			if err != nil {
				return nil, err
			}
			return q.callOperator(strings.ToLower(b.Op), []expr{x, y}, b)
		}
	}
	x, err := q.bindScalar(sc, rc, pred)
	if err != nil {
		return nil, err
	}
	if x.typ() != table.TypeBool {
		return nil, semErr(pred, "search: the predicate must be bool")
	}
	return x, nil
}

// anyColumn ORs `col op text` over the string columns of sch.
func (q *query) anyColumn(sch table.Schema, op, text string, at syntax.Node) (expr, error) {
	var out expr = newConst(table.TypeBool, false)
	for i, c := range sch {
		if c.Type != table.TypeString {
			continue
		}
		e, err := q.callOperator(op, []expr{&colExpr{idx: i, t: c.Type}, newConst(table.TypeString, text)}, at)
		if err != nil {
			return nil, err
		}
		if out, err = q.callOperator("or", []expr{out, e}, at); err != nil {
			return nil, err
		}
	}
	return out, nil
}
