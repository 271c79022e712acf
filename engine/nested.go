package engine

import (
	"sort"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// varNode is a placeholder input whose table is set before each run (sub-queries run
// once per row or group).
type varNode struct {
	sch table.Schema
	t   *table.Table
}

func (n *varNode) schema() table.Schema { return n.sch }
func (n *varNode) run(q *query) (*table.Table, error) {
	if n.t == nil {
		return table.New("", n.sch), nil
	}
	return n.t, nil
}

// bindMvApply expands each row's arrays into a small table, runs the sub-query on it
// and joins the result back to the row's other columns.
func (q *query) bindMvApply(sc *scope, in node, op *syntax.MvApplyOp) (node, error) {
	insch := in.schema()
	st, err := q.mvExpandStep(sc, insch, op.Options, op.Items, op.Limit)
	if err != nil {
		return nil, err
	}
	sub, ok := subPipe(op.Sub)
	if !ok {
		return nil, semErr(op, "mv-apply needs a sub-query")
	}
	expanded := map[int]bool{}
	for _, it := range st.items {
		if it.outIdx < len(insch) {
			expanded[it.outIdx] = true
		}
	}
	subIn := &varNode{sch: st.sch}
	subNode, err := q.bindPipe(sc, sub, subIn)
	if err != nil {
		return nil, err
	}
	subSch := subNode.schema()
	var keep []int // input columns carried from the row
	var sch table.Schema
	for i, c := range insch {
		if !expanded[i] {
			keep = append(keep, i)
			sch = append(sch, c)
		}
	}
	var subCols []int
	for i, c := range subSch {
		if findCol(sch, c.Name) < 0 {
			subCols = append(subCols, i)
			sch = append(sch, c)
		}
	}
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		out := table.New("", sch)
		whole := tableBatch(t)
		ec := q.newEval()
		for r := 0; r < whole.n; r++ {
			if r%1024 == 0 && q.ctx.Err() != nil {
				return nil, q.ctx.Err()
			}
			one := takeBatch(whole, []int{r})
			eb, err := st.apply(ec, one)
			if err != nil {
				return nil, err
			}
			subIn.t = batchToTable(st.sch, eb)
			// Re-bind per row: cached nodes inside the sub-query must not keep the
			// previous row's result.
			n, err := q.bindPipe(sc, sub, subIn)
			if err != nil {
				return nil, err
			}
			rt, err := q.materialize(n)
			if err != nil {
				return nil, err
			}
			for k := 0; k < rt.Rows(); k++ {
				row := make([]any, 0, len(sch))
				for _, i := range keep {
					row = append(row, t.Columns[i].Data.At(r))
				}
				for _, i := range subCols {
					row = append(row, rt.Columns[i].Data.At(k))
				}
				if err := out.AppendRow(row...); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}}, nil
}

type nestedLevel struct {
	others    expr           // `with others = V`, nil when absent
	othersAgg *summarizeNode // the aggregate over all rows (no keys), for others
	count     int            // -1 = all
	of        expr
	agg       *summarizeNode
	in        *varNode
	desc      bool
	ofName    string
	aggName   string
}

// bindTopNested is top-nested: per level, the top N values of an expression by an
// aggregate, within each group of the level above.
func (q *query) bindTopNested(sc *scope, in node, op *syntax.TopNestedOp) (node, error) {
	insch := in.schema()
	var levels []*nestedLevel
	var sch table.Schema
	nm := newNamer()
	for _, l := range op.Levels {
		lv := &nestedLevel{count: -1, in: &varNode{sch: insch}}
		if l.Count != nil {
			n, err := q.constInt(sc, l.Count)
			if err != nil {
				return nil, err
			}
			lv.count = n
		}
		if l.Others != nil {
			ov, err := q.bindScalar(sc, &rowCtx{}, l.Others)
			if err != nil {
				return nil, err
			}
			lv.others = ov
		}
		of, err := q.bindScalar(sc, &rowCtx{sch: insch}, l.Of.X)
		if err != nil {
			return nil, err
		}
		lv.of = of
		lv.ofName = exprName(l.Of.X)
		if len(l.Of.Names) > 0 {
			lv.ofName = l.Of.Names[0].Name
		}
		if lv.ofName == "" {
			lv.ofName = nm.column()
		}
		lv.ofName = nm.unique(lv.ofName)
		lv.aggName = "aggregated_" + lv.ofName
		if len(l.ByName) > 0 {
			lv.aggName = l.ByName[0].Name
		}
		lv.aggName = nm.unique(lv.aggName)
		lv.desc = l.By == nil || !l.By.Asc
		if l.By == nil {
			return nil, semErr(l, "top-nested needs `by aggregate`")
		}
		sn, err := q.bindSummarize(sc, lv.in, []*syntax.Column{{Span: l.Span, X: l.By.X}}, []*syntax.Column{{Span: l.Span, X: l.Of.X}}, l)
		if err != nil {
			return nil, err
		}
		lv.agg = sn.(*summarizeNode)
		if lv.others != nil {
			on, err := q.bindSummarize(sc, lv.in, []*syntax.Column{{Span: l.Span, X: l.By.X}}, nil, l)
			if err != nil {
				return nil, err
			}
			lv.othersAgg = on.(*summarizeNode)
		}
		sch = append(sch, table.ColumnSchema{Name: lv.ofName, Type: of.typ()}, table.ColumnSchema{Name: lv.aggName, Type: lv.agg.sch[1].Type})
		levels = append(levels, lv)
	}
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		out := table.New("", sch)
		var rec func(level int, sub *table.Table, prefix []any) error
		rec = func(level int, sub *table.Table, prefix []any) error {
			if err := q.ctx.Err(); err != nil {
				return err
			}
			lv := levels[level]
			lv.in.t = sub
			st, err := lv.agg.run(q)
			if err != nil {
				return err
			}
			idx := make([]int, st.Rows())
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(a, b int) bool {
				c := compareValues(st.Columns[1].Data.At(idx[a]), st.Columns[1].Data.At(idx[b]))
				if lv.desc {
					return c > 0
				}
				return c < 0
			})
			if lv.count >= 0 && lv.count < len(idx) {
				idx = idx[:lv.count]
			}
			var groups map[string][]int
			if level+1 < len(levels) || lv.others != nil {
				b := tableBatch(sub)
				ov, err := lv.of.eval(q.newEval(), b)
				if err != nil {
					return err
				}
				groups = map[string][]int{}
				var buf []byte
				for i := 0; i < b.n; i++ {
					buf = appendKey(buf[:0], at(ov, i))
					groups[string(buf)] = append(groups[string(buf)], i)
				}
			}
			for _, g := range idx {
				key := st.Columns[0].Data.At(g)
				row := append(append([]any{}, prefix...), key, st.Columns[1].Data.At(g))
				if level+1 == len(levels) {
					if err := out.AppendRow(row...); err != nil {
						return err
					}
					continue
				}
				rows := groups[string(appendKey(nil, key))]
				part := batchToTable(insch, takeBatch(tableBatch(sub), rows))
				if err := rec(level+1, part, row); err != nil {
					return err
				}
			}
			if lv.others != nil && len(idx) < st.Rows() {
				// One more row: the others value with the aggregate of every row not in
				// the top groups; deeper levels are empty for it.
				chosen := map[string]bool{}
				for _, g := range idx {
					chosen[string(appendKey(nil, st.Columns[0].Data.At(g)))] = true
				}
				var rest []int
				for k, rows := range groups {
					if !chosen[k] {
						rest = append(rest, rows...)
					}
				}
				sort.Ints(rest)
				lv.in.t = batchToTable(insch, takeBatch(tableBatch(sub), rest))
				ot, err := lv.othersAgg.run(q)
				if err != nil {
					return err
				}
				ov, err := lv.others.eval(q.newEval(), &batch{n: 1})
				if err != nil {
					return err
				}
				row := append(append([]any{}, prefix...), convertValue(ov.At(0), lv.of.typ()), ot.Columns[0].Data.At(0))
				for len(row) < len(sch) {
					row = append(row, nil)
				}
				if err := out.AppendRow(row...); err != nil {
					return err
				}
			}
			return nil
		}
		if err := rec(0, t, nil); err != nil {
			return nil, err
		}
		return out, nil
	}}, nil
}
