package engine

import (
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

type mvItem struct {
	e      expr
	outIdx int
	t      table.Type
}

type mvExpandStep struct {
	inSch       table.Schema
	sch         table.Schema
	items       []mvItem
	bagArray    bool
	indexCol    bool
	limit       int
	passthrough []int // output column -> input column (-1 for expanded/new)
}

func (s *mvExpandStep) outSchema() table.Schema { return s.sch }

func (q *query) bindMvExpand(sc *scope, in node, op *syntax.MvExpandOp) (node, error) {
	st, err := q.mvExpandStep(sc, in.schema(), op.Options, op.Items, op.Limit)
	if err != nil {
		return nil, err
	}
	return addStep(in, st), nil
}

func (q *query) mvExpandStep(sc *scope, insch table.Schema, opts []*syntax.Option, items []*syntax.MvItem, limit syntax.Expr) (*mvExpandStep, error) {
	s := &mvExpandStep{inSch: insch, limit: -1}
	s.sch = append(table.Schema{}, insch...)
	for i := range insch {
		s.passthrough = append(s.passthrough, i)
	}
	indexName := ""
	for _, o := range opts {
		v := ""
		switch x := o.Value.(type) {
		case *syntax.Ident:
			v = x.Name
		case *syntax.Literal:
			if str, ok := x.Value.(string); ok {
				v = str
			}
		}
		switch strings.ToLower(o.Name) {
		case "bagexpansion", "kind":
			s.bagArray = strings.EqualFold(v, "array")
		case "with_itemindex":
			indexName = v
		}
	}
	rc := &rowCtx{sch: insch}
	for _, it := range items {
		x, err := q.bindScalar(sc, rc, it.Col.X)
		if err != nil {
			return nil, err
		}
		t := table.TypeDynamic
		if it.ToType != nil && len(it.ToType.Types) == 1 {
			if tt, ok := table.ParseType(string(it.ToType.Types[0].Scalar)); ok {
				t = tt
			}
		}
		name := ""
		if len(it.Col.Names) > 0 {
			name = it.Col.Names[0].Name
		} else {
			name = exprName(it.Col.X)
		}
		idx := findCol(s.sch, name)
		if idx >= 0 {
			s.sch[idx].Type = t
			s.passthrough[idx] = -1
		} else {
			if name == "" {
				name = "Column1"
			}
			idx = len(s.sch)
			s.sch = append(s.sch, table.ColumnSchema{Name: name, Type: t})
			s.passthrough = append(s.passthrough, -1)
		}
		s.items = append(s.items, mvItem{e: x, outIdx: idx, t: t})
	}
	if indexName != "" {
		s.indexCol = true
		nm := newNamer()
		for _, c := range s.sch {
			nm.used[c.Name] = true
		}
		s.sch = append(s.sch, table.ColumnSchema{Name: nm.unique(indexName), Type: table.TypeLong})
		s.passthrough = append(s.passthrough, -1)
	}
	if limit != nil {
		n, err := q.constInt(sc, limit)
		if err != nil {
			return nil, err
		}
		s.limit = n
	}
	return s, nil
}

func (s *mvExpandStep) expandValue(x any) []any {
	switch v := x.(type) {
	case []any:
		return v
	case map[string]any:
		out := make([]any, 0, len(v))
		for _, k := range table.SortedKeys(v) {
			if s.bagArray {
				out = append(out, []any{k, v[k]})
			} else {
				out = append(out, map[string]any{k: v[k]})
			}
		}
		return out
	case nil:
		return nil
	}
	return []any{x}
}

func (s *mvExpandStep) apply(ec *evalCtx, b *batch) (*batch, error) {
	vals := make([]*table.Vector, len(s.items))
	for i, it := range s.items {
		v, err := it.e.eval(ec, b)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	var rows []int
	outVals := make([][]any, len(s.items))
	var idxs []int64
	for r := 0; r < b.n; r++ {
		lists := make([][]any, len(s.items))
		m := 0
		for i := range s.items {
			lists[i] = s.expandValue(at(vals[i], r))
			m = max(m, len(lists[i]))
		}
		if s.limit >= 0 && m > s.limit {
			m = s.limit
		}
		if m == 0 {
			// Kusto keeps a row whose array is empty or null, with a null value.
			rows = append(rows, r)
			for i := range s.items {
				outVals[i] = append(outVals[i], nil)
			}
			idxs = append(idxs, -1)
			continue
		}
		for k := 0; k < m; k++ {
			rows = append(rows, r)
			for i := range s.items {
				var x any
				if k < len(lists[i]) {
					x = lists[i][k]
				}
				outVals[i] = append(outVals[i], x)
			}
			idxs = append(idxs, int64(k))
		}
	}
	out := &batch{cols: make([]*table.Vector, len(s.sch)), n: len(rows)}
	for c, src := range s.passthrough {
		if src >= 0 {
			if b.cols[src].Const {
				out.cols[c] = b.cols[src]
			} else {
				out.cols[c] = b.cols[src].Take(rows)
			}
		}
	}
	for i, it := range s.items {
		v := table.NewVector(it.t, len(rows))
		for _, x := range outVals[i] {
			if it.t != table.TypeDynamic {
				x = convertValue(dynToScalar(x, it.t), it.t)
			}
			_ = v.Append(x)
		}
		out.cols[it.outIdx] = v
	}
	if s.indexCol {
		v := table.NewVector(table.TypeLong, len(rows))
		for _, k := range idxs {
			if k < 0 {
				_ = v.Append(nil)
			} else {
				_ = v.Append(k)
			}
		}
		out.cols[len(s.sch)-1] = v
	}
	return out, nil
}

// dynToScalar converts a dynamic element to a scalar of type t (strings parse).
func dynToScalar(x any, t table.Type) any {
	switch t {
	case table.TypeString:
		if x == nil {
			return ""
		}
		if s, ok := x.(string); ok {
			return s
		}
		return table.DynamicJSON(x)
	case table.TypeLong, table.TypeInt, table.TypeReal:
		return x
	}
	return x
}
