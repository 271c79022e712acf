package engine

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// lazyNode runs once and takes its schema from the result: for operators whose output
// columns depend on the data (bag_unpack, pivot). The rest of the pipeline is bound
// against the real schema when it runs.
type lazyNode struct {
	q    *query
	f    func(q *query) (*table.Table, error)
	once sync.Once
	t    *table.Table
	err  error
}

func (n *lazyNode) get() (*table.Table, error) {
	n.once.Do(func() { n.t, n.err = n.f(n.q) })
	return n.t, n.err
}

func (n *lazyNode) schema() table.Schema {
	t, err := n.get()
	if err != nil {
		return table.Schema{}
	}
	return t.Schema()
}

func (n *lazyNode) run(q *query) (*table.Table, error) { return n.get() }

func (q *query) bindEvaluate(sc *scope, in node, op *syntax.EvaluateOp, rest []syntax.Operator) (node, error) {
	if op.Plugin == nil {
		return nil, semErr(op, "evaluate needs a plugin call")
	}
	name := strings.ToLower(op.Plugin.Fun.Name)
	switch name {
	case "bag_unpack":
		if in == nil {
			return nil, semErr(op, "bag_unpack needs an input")
		}
		return q.bindBagUnpack(sc, in, op)
	case "geo_polygon_lookup", "geo_line_lookup":
		if in == nil {
			return nil, semErr(op, "%s needs an input", name)
		}
		return q.bindGeoLookup(sc, in, op, name == "geo_line_lookup")
	case "narrow":
		if in == nil {
			return nil, semErr(op, "narrow needs an input")
		}
		sch := table.Schema{{Name: "Row", Type: table.TypeLong}, {Name: "Column", Type: table.TypeString}, {Name: "Value", Type: table.TypeString}}
		return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
			t, err := q.materialize(in)
			if err != nil {
				return nil, err
			}
			out := table.New("", sch)
			for r := 0; r < t.Rows(); r++ {
				for _, c := range t.Columns {
					if err := out.AppendRow(int64(r), c.Name, convertValue(c.Data.At(r), table.TypeString)); err != nil {
						return nil, err
					}
				}
			}
			return out, nil
		}}, nil
	case "session_count":
		if in == nil {
			return nil, semErr(op, "%s needs an input", name)
		}
		return q.bindSessionCount(sc, in, op)
	case "active_users_count":
		if in == nil {
			return nil, semErr(op, "%s needs an input", name)
		}
		return q.bindActiveUsersCount(sc, in, op)
	case "rows_near", "sliding_window_counts", "rolling_percentile":
		if in == nil {
			return nil, semErr(op, "%s needs an input", name)
		}
		switch name {
		case "rows_near":
			return q.bindRowsNear(sc, in, op)
		case "sliding_window_counts":
			return q.bindSlidingWindowCounts(sc, in, op)
		}
		return q.bindRollingPercentile(sc, in, op)
	case "dcount_intersect":
		if in == nil {
			return nil, semErr(op, "dcount_intersect needs an input")
		}
		return q.bindDcountIntersect(sc, in, op)
	case "ipv4_lookup":
		if in == nil {
			return nil, semErr(op, "ipv4_lookup needs an input")
		}
		return q.bindIPv4Lookup(sc, in, op)
	case "basket", "autocluster", "diffpatterns":
		if in == nil {
			return nil, semErr(op, "%s needs an input", name)
		}
		switch name {
		case "basket":
			return q.bindBasket(sc, in, op)
		case "autocluster":
			return q.bindAutocluster(sc, in, op)
		}
		return q.bindDiffpatterns(sc, in, op)
	case "pivot":
		if in == nil {
			return nil, semErr(op, "pivot needs an input")
		}
		return q.bindPivot(sc, in, op)
	}
	return nil, unsupported(op.Plugin, fmt.Sprintf("plugin '%s'", name))
}

func (q *query) bindBagUnpack(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	args := op.Plugin.Args
	if len(args) < 1 {
		return nil, semErr(op.Plugin, "bag_unpack(column [, prefix])")
	}
	insch := in.schema()
	col, ok := args[0].(*syntax.Ident)
	if !ok {
		return nil, semErr(args[0], "bag_unpack: the first argument must be a column")
	}
	ci := findCol(insch, col.Name)
	if ci < 0 {
		return nil, q.unknownName(col, &rowCtx{sch: insch}, sc)
	}
	prefix := ""
	if len(args) > 1 {
		x, err := q.bindScalar(sc, &rowCtx{}, args[1])
		if err != nil {
			return nil, err
		}
		if c, ok := x.(*constExpr); ok {
			prefix, _ = c.value().(string)
		}
	}
	return &lazyNode{q: q, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		rows := t.Rows()
		data := t.Columns[ci].Data
		keyTypes := map[string]table.Type{}
		for r := 0; r < rows; r++ {
			m, ok := data.At(r).(map[string]any)
			if !ok {
				continue
			}
			for k, v := range m {
				vt := dynType(v)
				if old, seen := keyTypes[k]; seen {
					keyTypes[k] = unifyDyn(old, vt)
				} else {
					keyTypes[k] = vt
				}
			}
		}
		keys := make([]string, 0, len(keyTypes))
		for k := range keyTypes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := &table.Table{}
		nm := newNamer()
		for i, c := range t.Columns {
			if i != ci {
				out.Columns = append(out.Columns, c)
				nm.used[c.Name] = true
			}
		}
		for _, k := range keys {
			typ := keyTypes[k]
			if typ == table.TypeInvalid {
				typ = table.TypeDynamic
			}
			v := table.NewVector(typ, rows)
			for r := 0; r < rows; r++ {
				m, _ := data.At(r).(map[string]any)
				x := m[k]
				if typ != table.TypeDynamic {
					x = convertValue(x, typ)
				}
				_ = v.Append(x)
			}
			out.Columns = append(out.Columns, table.Column{Name: nm.unique(prefix + k), Type: typ, Data: v})
		}
		return out, nil
	}}, nil
}

// dynType is the scalar type a dynamic value unpacks to (TypeInvalid for null).
func dynType(v any) table.Type {
	switch v.(type) {
	case nil:
		return table.TypeInvalid
	case string:
		return table.TypeString
	case int64:
		return table.TypeLong
	case float64:
		return table.TypeReal
	case bool:
		return table.TypeBool
	case table.DateTime:
		return table.TypeDateTime
	case table.TimeSpan:
		return table.TypeTimeSpan
	}
	return table.TypeDynamic
}

func unifyDyn(a, b table.Type) table.Type {
	switch {
	case a == b || b == table.TypeInvalid:
		return a
	case a == table.TypeInvalid:
		return b
	case (a == table.TypeLong && b == table.TypeReal) || (a == table.TypeReal && b == table.TypeLong):
		return table.TypeReal
	}
	return table.TypeDynamic
}

// bindPivot is `evaluate pivot(col [, agg(x)] [, key, ...])`: one output column per
// distinct value of col, holding agg over the rows of each key group.
func (q *query) bindPivot(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	args := op.Plugin.Args
	insch := in.schema()
	if len(args) < 1 {
		return nil, semErr(op.Plugin, "pivot(column [, aggregation] [, key, ...])")
	}
	pc, ok := args[0].(*syntax.Ident)
	if !ok || findCol(insch, pc.Name) < 0 {
		return nil, semErr(args[0], "pivot: the first argument must be a column")
	}
	var agg syntax.Expr = &syntax.CallExpr{Span: op.Plugin.Span, Fun: &syntax.Ident{Span: op.Plugin.Span, Name: "count"}}
	var keyNames []string
	used := map[string]bool{pc.Name: true}
	if len(args) > 1 {
		agg = args[1]
		syntax.Inspect(agg, func(n syntax.Node) bool {
			if id, ok := n.(*syntax.Ident); ok {
				used[id.Name] = true
			}
			return true
		})
	}
	for _, a := range args[min(2, len(args)):] {
		id, ok := a.(*syntax.Ident)
		if !ok {
			return nil, semErr(a, "pivot: keys must be columns")
		}
		keyNames = append(keyNames, id.Name)
	}
	if len(args) <= 2 {
		for _, c := range insch {
			if !used[c.Name] {
				keyNames = append(keyNames, c.Name)
			}
		}
	}
	var by []*syntax.Column
	for _, k := range keyNames {
		by = append(by, &syntax.Column{Span: op.Span, X: &syntax.Ident{Span: op.Span, Name: k}})
	}
	pivBy := append(append([]*syntax.Column{}, by...), &syntax.Column{Span: op.Span, X: &syntax.Ident{Span: op.Span, Name: pc.Name}})
	sn, err := q.bindSummarize(sc, in, []*syntax.Column{{Span: op.Span, X: agg}}, pivBy, op)
	if err != nil {
		return nil, err
	}
	nk := len(keyNames)
	return &lazyNode{q: q, f: func(q *query) (*table.Table, error) {
		st, err := sn.run(q)
		if err != nil {
			return nil, err
		}
		aggType := st.Columns[nk+1].Type
		var pivVals []string
		seenVal := map[string]bool{}
		type group struct {
			keys []any
			vals map[string]any
		}
		var groups []*group
		byKey := map[string]*group{}
		var buf []byte
		for r := 0; r < st.Rows(); r++ {
			pv := table.Format(st.Columns[nk].Data.At(r))
			if !seenVal[pv] {
				seenVal[pv] = true
				pivVals = append(pivVals, pv)
			}
			buf = buf[:0]
			keys := make([]any, nk)
			for k := 0; k < nk; k++ {
				keys[k] = st.Columns[k].Data.At(r)
				buf = appendKey(buf, keys[k])
			}
			g := byKey[string(buf)]
			if g == nil {
				g = &group{keys: keys, vals: map[string]any{}}
				byKey[string(buf)] = g
				groups = append(groups, g)
			}
			g.vals[pv] = st.Columns[nk+1].Data.At(r)
		}
		sort.Strings(pivVals)
		var sch table.Schema
		sch = append(sch, st.Schema()[:nk]...)
		nm := newNamer()
		for _, c := range sch {
			nm.used[c.Name] = true
		}
		for _, v := range pivVals {
			sch = append(sch, table.ColumnSchema{Name: nm.unique(v), Type: aggType})
		}
		out := table.New("", sch)
		for _, g := range groups {
			row := append([]any{}, g.keys...)
			for _, v := range pivVals {
				x, ok := g.vals[v]
				if !ok && (aggType == table.TypeLong) {
					x = int64(0)
				}
				row = append(row, x)
			}
			if err := out.AppendRow(row...); err != nil {
				return nil, err
			}
		}
		return out, nil
	}}, nil
}
