package engine

import (
	"fmt"
	"sort"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// Sketches. tdigest() and hll() are exact here (small data is the local engine's
// domain): a tdigest is the dynamic value ["tdigest", "<type>", [[value, weight], ...]]
// sorted by value, an hll is ["hll", ["<key>", ...]] of distinct value keys. The
// functions that read them (percentile_tdigest, rank_tdigest, merge_tdigest,
// dcount_hll, hll_merge) and the dcount_intersect plugin live here too, since they
// depend on this representation.

type centroid struct {
	v any
	w float64
}

func digestOf(x any) ([]centroid, table.Type, bool) {
	arr, ok := x.([]any)
	if !ok || len(arr) != 3 || arr[0] != "tdigest" {
		return nil, 0, false
	}
	tn, _ := arr[1].(string)
	t, ok := table.ParseType(tn)
	if !ok {
		t = table.TypeReal
	}
	cs, _ := arr[2].([]any)
	out := make([]centroid, 0, len(cs))
	for _, c := range cs {
		p, ok := c.([]any)
		if !ok || len(p) != 2 {
			continue
		}
		w, _ := toFloat(p[1])
		out = append(out, centroid{fromDyn(p[0], t), w})
	}
	return out, t, true
}

// fromDyn turns a dynamic number back into a value of type t.
func fromDyn(x any, t table.Type) any {
	switch t {
	case table.TypeDateTime:
		if f, ok := toFloat(x); ok {
			return table.DateTime(int64(f))
		}
	case table.TypeTimeSpan:
		if f, ok := toFloat(x); ok {
			return table.TimeSpan(int64(f))
		}
	}
	return x
}

func makeDigest(cs []centroid, t table.Type) any {
	sort.SliceStable(cs, func(i, j int) bool { return compareValues(cs[i].v, cs[j].v) < 0 })
	var merged []centroid
	for _, c := range cs {
		if n := len(merged); n > 0 && compareValues(merged[n-1].v, c.v) == 0 {
			merged[n-1].w += c.w
			continue
		}
		merged = append(merged, c)
	}
	arr := make([]any, len(merged))
	for i, c := range merged {
		var v any = toDynamic(c.v)
		switch x := c.v.(type) {
		case table.DateTime:
			v = int64(x)
		case table.TimeSpan:
			v = int64(x)
		}
		w := any(c.w)
		if c.w == float64(int64(c.w)) {
			w = int64(c.w)
		}
		arr[i] = []any{v, w}
	}
	return []any{"tdigest", t.String(), arr}
}

func digestPercentile(cs []centroid, p float64) any {
	if len(cs) == 0 {
		return nil
	}
	total := 0.0
	for _, c := range cs {
		total += c.w
	}
	target := p / 100 * total
	cum := 0.0
	for _, c := range cs {
		cum += c.w
		if cum >= target {
			return c.v
		}
	}
	return cs[len(cs)-1].v
}

// tdigestState collects weighted values per group (tdigest) or merges digests
// (tdigest_merge / merge_tdigest).
type tdigestState struct {
	isMerge bool
	t       table.Type
	cs      [][]centroid
}

func (s *tdigestState) update(gids []int32, args []*table.Vector, n int) {
	s.cs = growTo(s.cs, maxGid(gids, n))
	for i := 0; i < n; i++ {
		x := at(args[0], i)
		if x == nil {
			continue
		}
		g := gids[i]
		if s.isMerge {
			cs, t, ok := digestOf(x)
			if ok {
				s.t = t
				s.cs[g] = append(s.cs[g], cs...)
			}
			continue
		}
		w := 1.0
		if len(args) > 1 {
			if f, ok := toFloat(at(args[1], i)); ok {
				w = f
			}
		}
		if v, ok := x.(int32); ok {
			x = int64(v)
		}
		s.cs[g] = append(s.cs[g], centroid{x, w})
	}
}

func (s *tdigestState) merge2(o *tdigestState, remap []int32) {
	for g, cs := range o.cs {
		t := int(remap[g])
		s.cs = growTo(s.cs, t+1)
		s.cs[t] = append(s.cs[t], cs...)
	}
	if o.t != table.TypeInvalid {
		s.t = o.t
	}
}

func (s *tdigestState) merge(o aggState, remap []int32) { s.merge2(o.(*tdigestState), remap) }

func (s *tdigestState) result(ng int) []*table.Vector {
	s.cs = growTo(s.cs, ng)
	out := table.NewVector(table.TypeDynamic, ng)
	for g := 0; g < ng; g++ {
		if len(s.cs[g]) == 0 {
			out.Dyns = append(out.Dyns, nil)
			continue
		}
		out.Dyns = append(out.Dyns, makeDigest(s.cs[g], s.t))
	}
	return []*table.Vector{out}
}

func hllOf(x any) ([]string, bool) {
	arr, ok := x.([]any)
	if !ok || len(arr) != 2 || arr[0] != "hll" {
		return nil, false
	}
	ks, _ := arr[1].([]any)
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		if s, ok := k.(string); ok {
			out = append(out, s)
		}
	}
	return out, true
}

func makeHLL(keys map[string]struct{}) any {
	ks := make([]string, 0, len(keys))
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	arr := make([]any, len(ks))
	for i, k := range ks {
		arr[i] = k
	}
	return []any{"hll", arr}
}

// hllState is hll(x) (distinct keys), hll_if, and hll_merge (union of sketches).
type hllState struct {
	isMerge, cond bool
	sets          []map[string]struct{}
}

func (s *hllState) update(gids []int32, args []*table.Vector, n int) {
	s.sets = growTo(s.sets, maxGid(gids, n))
	var buf []byte
	for i := 0; i < n; i++ {
		if s.cond && !truthy(args[len(args)-1], i) {
			continue
		}
		x := at(args[0], i)
		if x == nil {
			continue
		}
		g := gids[i]
		if s.sets[g] == nil {
			s.sets[g] = map[string]struct{}{}
		}
		if s.isMerge {
			ks, _ := hllOf(x)
			for _, k := range ks {
				s.sets[g][k] = struct{}{}
			}
			continue
		}
		buf = appendKey(buf[:0], toDynamic(x))
		s.sets[g][fmt.Sprintf("%x", buf)] = struct{}{}
	}
}

func (s *hllState) merge(o aggState, remap []int32) {
	s.sets = mergeSets(s.sets, o.(*hllState).sets, remap)
}

func (s *hllState) result(ng int) []*table.Vector {
	s.sets = growTo(s.sets, ng)
	out := table.NewVector(table.TypeDynamic, ng)
	for g := 0; g < ng; g++ {
		m := s.sets[g]
		if m == nil {
			m = map[string]struct{}{}
		}
		out.Dyns = append(out.Dyns, makeHLL(m))
	}
	return []*table.Vector{out}
}

// bindSketchFunc binds the scalar functions over sketches; ok is false for other names.
func (q *query) bindSketchFunc(sc *scope, rc *rowCtx, e *syntax.CallExpr, name string) (expr, bool, error) {
	switch name {
	case "percentile_tdigest", "percentiles_array_tdigest", "rank_tdigest", "merge_tdigest", "tdigest_merge", "dcount_hll", "hll_merge":
	default:
		return nil, false, nil
	}
	var args []expr
	outType := table.TypeDynamic
	for _, a := range e.Args {
		if te, ok := a.(*syntax.TypeofExpr); ok && len(te.Types) == 1 {
			if t, ok := table.ParseType(string(te.Types[0].Scalar)); ok {
				outType = t
			}
			continue
		}
		x, err := q.bindScalar(sc, rc, a)
		if err != nil {
			return nil, true, err
		}
		args = append(args, x)
	}
	if len(args) == 0 {
		return nil, true, semErr(e, "%s() needs arguments", name)
	}
	eval := func(ec *evalCtx, b *batch) ([]*table.Vector, error) {
		vs := make([]*table.Vector, len(args))
		for i, a := range args {
			v, err := a.eval(ec, b)
			if err != nil {
				return nil, err
			}
			vs[i] = v
		}
		return vs, nil
	}
	perRow := func(t table.Type, f func(vals []any) any) expr {
		return &funcExpr{t: t, deps: args, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
			vs, err := eval(ec, b)
			if err != nil {
				return nil, err
			}
			out := table.NewVector(t, b.n)
			vals := make([]any, len(vs))
			for i := 0; i < b.n; i++ {
				for k, v := range vs {
					vals[k] = at(v, i)
				}
				x := f(vals)
				if t != table.TypeDynamic {
					x = convertValue(x, t)
				} else {
					x = toDynamic(x)
				}
				_ = out.Append(x)
			}
			return out, nil
		}}
	}
	switch name {
	case "percentile_tdigest":
		if len(args) < 2 {
			return nil, true, semErr(e, "percentile_tdigest(digest, percentile [, typeof(t)])")
		}
		return perRow(outType, func(v []any) any {
			cs, _, ok := digestOf(v[0])
			p, okp := toFloat(v[1])
			if !ok || !okp {
				return nil
			}
			return digestPercentile(cs, p)
		}), true, nil
	case "percentiles_array_tdigest":
		return perRow(table.TypeDynamic, func(v []any) any {
			cs, _, ok := digestOf(v[0])
			if !ok {
				return nil
			}
			var out []any
			for _, x := range v[1:] {
				ps := []any{x}
				if arr, isArr := x.([]any); isArr {
					ps = arr
				}
				for _, p := range ps {
					if f, ok := toFloat(p); ok {
						out = append(out, toDynamic(digestPercentile(cs, f)))
					}
				}
			}
			return out
		}), true, nil
	case "rank_tdigest":
		if len(args) < 2 {
			return nil, true, semErr(e, "rank_tdigest(digest, value)")
		}
		return perRow(table.TypeReal, func(v []any) any {
			cs, _, ok := digestOf(v[0])
			if !ok || v[1] == nil {
				return nil
			}
			r := 0.0
			for _, c := range cs {
				if compareValues(c.v, v[1]) <= 0 {
					r += c.w
				}
			}
			return r
		}), true, nil
	case "merge_tdigest", "tdigest_merge":
		return perRow(table.TypeDynamic, func(v []any) any {
			var all []centroid
			t := table.TypeReal
			for _, x := range v {
				cs, tt, ok := digestOf(x)
				if ok {
					all, t = append(all, cs...), tt
				}
			}
			return makeDigest(all, t)
		}), true, nil
	case "dcount_hll":
		return perRow(table.TypeLong, func(v []any) any {
			ks, ok := hllOf(v[0])
			if !ok {
				return nil
			}
			return int64(len(ks))
		}), true, nil
	case "hll_merge":
		return perRow(table.TypeDynamic, func(v []any) any {
			m := map[string]struct{}{}
			for _, x := range v {
				ks, _ := hllOf(x)
				for _, k := range ks {
					m[k] = struct{}{}
				}
			}
			return makeHLL(m)
		}), true, nil
	}
	return nil, false, nil
}

// bindDcountIntersect is `evaluate dcount_intersect(hll1, hll2, ...)`: columns s0, s1,
// ... with the distinct counts of the running intersections.
func (q *query) bindDcountIntersect(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	var args []expr
	for _, a := range op.Plugin.Args {
		x, err := q.bindScalar(sc, &rowCtx{sch: insch}, a)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	sch := append(table.Schema{}, insch...)
	for i := range args {
		sch = append(sch, table.ColumnSchema{Name: fmt.Sprintf("s%d", i), Type: table.TypeLong})
	}
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		b := tableBatch(t)
		ec := q.newEval()
		vs := make([]*table.Vector, len(args))
		for i, a := range args {
			if vs[i], err = a.eval(ec, b); err != nil {
				return nil, err
			}
		}
		out := &table.Table{Columns: append([]table.Column{}, t.Columns...)}
		cols := make([]*table.Vector, len(args))
		for i := range cols {
			cols[i] = table.NewVector(table.TypeLong, b.n)
		}
		for r := 0; r < b.n; r++ {
			var cur map[string]struct{}
			for i, v := range vs {
				ks, _ := hllOf(at(v, r))
				next := map[string]struct{}{}
				for _, k := range ks {
					if cur == nil {
						next[k] = struct{}{}
					} else if _, ok := cur[k]; ok {
						next[k] = struct{}{}
					}
				}
				cur = next
				cols[i].Ints = append(cols[i].Ints, int64(len(cur)))
			}
		}
		for i, c := range cols {
			out.Columns = append(out.Columns, table.Column{Name: sch[len(insch)+i].Name, Type: table.TypeLong, Data: c})
		}
		return out, nil
	}}, nil
}

// schemaNode is buildschema()'s view of dynamic values: the keys seen in bags (arrays
// appear as the key "`indexer`") and the scalar type names seen.
type schemaNode struct {
	keys    map[string]*schemaNode
	order   []string
	scalars map[string]bool
}

func (n *schemaNode) add(x any) {
	switch v := x.(type) {
	case nil:
	case map[string]any:
		for _, k := range table.SortedKeys(v) {
			n.child(k).add(v[k])
		}
	case []any:
		c := n.child("`indexer`")
		for _, e := range v {
			c.add(e)
		}
	default:
		if n.scalars == nil {
			n.scalars = map[string]bool{}
		}
		n.scalars[dynTypeName(v)] = true
	}
}

func (n *schemaNode) child(k string) *schemaNode {
	if n.keys == nil {
		n.keys = map[string]*schemaNode{}
	}
	c := n.keys[k]
	if c == nil {
		c = &schemaNode{}
		n.keys[k] = c
		n.order = append(n.order, k)
	}
	return c
}

func (n *schemaNode) merge(o *schemaNode) {
	for _, k := range o.order {
		n.child(k).merge(o.keys[k])
	}
	for s := range o.scalars {
		if n.scalars == nil {
			n.scalars = map[string]bool{}
		}
		n.scalars[s] = true
	}
}

func (n *schemaNode) value() any {
	var out []any
	if n.keys != nil {
		m := map[string]any{}
		for _, k := range n.order {
			m[k] = n.keys[k].value()
		}
		out = append(out, m)
	}
	var names []string
	for s := range n.scalars {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		out = append(out, s)
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

func dynTypeName(v any) string {
	switch v.(type) {
	case int64, int32:
		return "long"
	case float64:
		return "double"
	case bool:
		return "bool"
	case table.DateTime:
		return "datetime"
	case table.TimeSpan:
		return "timespan"
	case table.GUID:
		return "guid"
	}
	return "string"
}

type schemaState struct {
	nodes []*schemaNode
}

func (s *schemaState) update(gids []int32, args []*table.Vector, n int) {
	s.nodes = growTo(s.nodes, maxGid(gids, n))
	for i := 0; i < n; i++ {
		g := gids[i]
		if s.nodes[g] == nil {
			s.nodes[g] = &schemaNode{}
		}
		s.nodes[g].add(at(args[0], i))
	}
}

func (s *schemaState) merge(o aggState, remap []int32) {
	for g, nd := range o.(*schemaState).nodes {
		t := int(remap[g])
		s.nodes = growTo(s.nodes, t+1)
		if nd == nil {
			continue
		}
		if s.nodes[t] == nil {
			s.nodes[t] = &schemaNode{}
		}
		s.nodes[t].merge(nd)
	}
}

func (s *schemaState) result(ng int) []*table.Vector {
	s.nodes = growTo(s.nodes, ng)
	out := table.NewVector(table.TypeDynamic, ng)
	for g := 0; g < ng; g++ {
		var v any
		if s.nodes[g] != nil {
			v = s.nodes[g].value()
		}
		out.Dyns = append(out.Dyns, v)
	}
	return []*table.Vector{out}
}
