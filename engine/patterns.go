package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kqlkernel/kqlkernel/engine/fn"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// The pattern plugins (basket, autocluster, diffpatterns) mine frequent itemsets: an item
// is "column == value", a pattern a set of items over distinct columns, its count the
// weight of the rows that match it. The search is exact and deterministic (Kusto samples
// to find its initial values, so its results may differ near the threshold).

// maxPatterns bounds the itemsets a pattern search keeps, so a low threshold over many
// distinct values fails with an actionable error instead of exhausting memory.
const maxPatterns = 100_000

type patItem struct {
	dim int // index into the miner's dims
	val any
}

type pattern struct {
	items []int32 // item ids, in increasing dimension order
	w     [2]int64
}

// miner holds the encoded rows of one plugin call.
type miner struct {
	dims   []int // table columns that are dimensions
	items  []patItem
	byItem [][]int32 // rows holding each item, ascending
	weight []int64   // per row (all 1 without a weight column)
	side   []int8    // per row: 0 (set A / the only set), 1 (set B), -1 (ignored)
}

// patternDim reports whether values of type t can form items (dynamic values are not
// comparable as keys; decimals are kept out as well).
func patternDim(t table.Type) bool {
	return t != table.TypeDynamic && t != table.TypeDecimal
}

func newMiner(t *table.Table, dims []int, weight []int64, side []int8) *miner {
	m := &miner{dims: dims, weight: weight, side: side}
	for d, c := range dims {
		ids := map[any]int32{}
		v := t.Columns[c].Data
		for r := 0; r < t.Rows(); r++ {
			if side != nil && side[r] < 0 {
				continue
			}
			x := v.At(r)
			if x == nil || x == "" {
				continue // null and empty are the wildcard, not a value
			}
			id, ok := ids[x]
			if !ok {
				id = int32(len(m.items))
				ids[x] = id
				m.items = append(m.items, patItem{dim: d, val: x})
				m.byItem = append(m.byItem, nil)
			}
			m.byItem[id] = append(m.byItem[id], int32(r))
		}
	}
	return m
}

func (m *miner) sum(rows []int32) [2]int64 {
	var w [2]int64
	if m.side == nil && m.weight == nil {
		w[0] = int64(len(rows))
		return w
	}
	for _, r := range rows {
		s := 0
		if m.side != nil {
			s = int(m.side[r])
		}
		if m.weight != nil {
			w[s] += m.weight[r]
		} else {
			w[s]++
		}
	}
	return w
}

// rowsOf lists the rows a pattern matches.
func (m *miner) rowsOf(p *pattern) []int32 {
	rows := m.byItem[p.items[0]]
	for _, it := range p.items[1:] {
		rows = intersectRows(rows, m.byItem[it])
	}
	return rows
}

func intersectRows(a, b []int32) []int32 {
	out := make([]int32, 0, min(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// mine returns every pattern of at most maxDims items for which keep(weights) holds; keep
// must be anti-monotone (true for a pattern implies true for its subsets). It runs Eclat:
// depth first over items ordered by dimension, intersecting row lists.
func (m *miner) mine(q *query, maxDims int, keep func(w [2]int64) bool) ([]*pattern, error) {
	type ext struct {
		item int32
		rows []int32
		w    [2]int64
	}
	var first []ext
	for id := range m.items {
		w := m.sum(m.byItem[id])
		if keep(w) {
			first = append(first, ext{int32(id), m.byItem[id], w})
		}
	}
	sort.SliceStable(first, func(a, b int) bool {
		return m.items[first[a].item].dim < m.items[first[b].item].dim
	})
	limit := maxPatterns
	if q.opts.maxPatterns > 0 {
		limit = q.opts.maxPatterns
	}
	var out []*pattern
	var walk func(prefix []int32, exts []ext, depth int) error
	walk = func(prefix []int32, exts []ext, depth int) error {
		if err := q.ctx.Err(); err != nil {
			return err
		}
		for i, e := range exts {
			// Items that match every row of prefix+e join it without a branch of their own
			// (they are implied, not an extra dimension: EventID and Activity, say).
			var next []ext
			var implied []int32
			for _, f := range exts[i+1:] {
				if m.items[f.item].dim == m.items[e.item].dim {
					continue
				}
				rows := intersectRows(e.rows, f.rows)
				if len(rows) == len(e.rows) {
					implied = append(implied, f.item)
					continue
				}
				w := m.sum(rows)
				if len(rows) > 0 && keep(w) {
					next = append(next, ext{f.item, rows, w})
				}
			}
			items := append(append(append([]int32(nil), prefix...), e.item), implied...)
			sort.Slice(items, func(a, b int) bool { return m.items[items[a]].dim < m.items[items[b]].dim })
			out = append(out, &pattern{items: items, w: e.w}) // no row list: memory stays O(patterns)
			if len(out) > limit {
				return fmt.Errorf("more than %d frequent patterns: raise the threshold or lower MaxDimensions", limit)
			}
			if depth+1 >= maxDims {
				continue
			}
			if err := walk(items, next, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(nil, first, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// closed keeps the patterns no one-item-larger pattern matches with the same weights
// (the larger one says the same, more precisely). Patterns of maxDims items are kept.
func closed(ps []*pattern) []*pattern {
	key := func(items []int32) string {
		var sb strings.Builder
		for _, it := range items {
			fmt.Fprintf(&sb, "%d,", it)
		}
		return sb.String()
	}
	idx := make(map[string]int, len(ps))
	for i, p := range ps {
		idx[key(p.items)] = i
	}
	open := make([]bool, len(ps))
	sub := make([]int32, 0, 8)
	for _, p := range ps {
		if len(p.items) < 2 {
			continue
		}
		for drop := range p.items {
			sub = sub[:0]
			sub = append(sub, p.items[:drop]...)
			sub = append(sub, p.items[drop+1:]...)
			if j, ok := idx[key(sub)]; ok && ps[j].w == p.w {
				open[j] = true
			}
		}
	}
	var out []*pattern
	for i, p := range ps {
		if !open[i] {
			out = append(out, p)
		}
	}
	return out
}

// patternArgs are a plugin's arguments bound to constants or columns.
type patternArgs struct {
	vals  []any        // constant values (nil for a column or a null)
	types []table.Type // constant types
	cols  []int        // column index or -1
	raw   []syntax.Expr
}

func (a patternArgs) given(i int) bool {
	if i >= len(a.raw) {
		return false
	}
	s, ok := a.vals[i].(string)
	return !(ok && s == "~") || a.cols[i] >= 0
}

func (q *query) bindPatternArgs(sc *scope, insch table.Schema, call *syntax.CallExpr) (patternArgs, error) {
	xs, raw, err := q.pluginArgs(sc, insch, call)
	if err != nil {
		return patternArgs{}, err
	}
	a := patternArgs{vals: make([]any, len(xs)), types: make([]table.Type, len(xs)), cols: make([]int, len(xs)), raw: raw}
	for i, x := range xs {
		a.cols[i] = -1
		switch x := x.(type) {
		case *colExpr:
			a.cols[i] = x.idx
		case *constExpr:
			a.vals[i], a.types[i] = x.value(), x.typ()
		default:
			return patternArgs{}, semErr(raw[i], "%s: argument %d must be a constant or a column", call.Fun.Name, i+1)
		}
	}
	return a, nil
}

// column resolves argument i as a column: a column reference or its name as a string.
func (a patternArgs) column(insch table.Schema, i int, what string) (int, error) {
	if a.cols[i] >= 0 {
		return a.cols[i], nil
	}
	if s, ok := a.vals[i].(string); ok {
		for c, cs := range insch {
			if cs.Name == s {
				return c, nil
			}
		}
		return -1, semErr(a.raw[i], "%s: no column '%s'", what, s)
	}
	return -1, semErr(a.raw[i], "%s must be a column", what)
}

func (a patternArgs) number(i int, def float64, what string) (float64, error) {
	if !a.given(i) {
		return def, nil
	}
	f, ok := toFloat(a.vals[i])
	if !ok || a.vals[i] == nil {
		return 0, semErr(a.raw[i], "%s must be a number", what)
	}
	return f, nil
}

// wildcards maps a type to the value that stands for "any value" in a result column:
// null by default, the empty string for strings, or the CustomWildcard of that type.
func (a patternArgs) wildcards(from int) map[table.Type]any {
	w := map[table.Type]any{table.TypeString: ""}
	for i := from; i < len(a.raw); i++ {
		if a.given(i) && a.vals[i] != nil {
			w[a.types[i]] = a.vals[i]
		}
	}
	return w
}

// weights reads the weight column (nil when there is none).
func patternWeights(t *table.Table, c int) []int64 {
	if c < 0 {
		return nil
	}
	v := t.Columns[c].Data
	w := make([]int64, t.Rows())
	for r := range w {
		f, ok := toFloat(v.At(r))
		if ok && f > 0 {
			w[r] = int64(math.Round(f))
		}
	}
	return w
}

// patternRow appends a pattern's column values (wildcards elsewhere) to vals.
func patternRow(vals []any, insch table.Schema, m *miner, p *pattern, wild map[table.Type]any) []any {
	start := len(vals)
	for _, cs := range insch {
		vals = append(vals, wild[cs.Type])
	}
	for _, it := range p.items {
		item := m.items[it]
		vals[start+m.dims[item.dim]] = item.val
	}
	return vals
}

func patternDims(insch table.Schema, skip ...int) []int {
	var dims []int
outer:
	for c, cs := range insch {
		for _, s := range skip {
			if c == s {
				continue outer
			}
		}
		if patternDim(cs.Type) {
			dims = append(dims, c)
		}
	}
	return dims
}

func patternSchema(head table.Schema, insch table.Schema) table.Schema {
	return append(append(table.Schema{}, head...), insch...)
}

// bindBasket is `evaluate basket([Threshold, WeightColumn, MaxDimensions, CustomWildcard,
// ...])`: every closed pattern whose share of the (weighted) rows is at least Threshold.
func (q *query) bindBasket(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	a, err := q.bindPatternArgs(sc, insch, op.Plugin)
	if err != nil {
		return nil, err
	}
	thr, err := a.number(0, 0.05, "basket: Threshold")
	if err != nil {
		return nil, err
	}
	if thr <= 0 || thr > 1 {
		return nil, semErr(a.raw[0], "basket: Threshold must be in (0, 1], got %v", thr)
	}
	wc := -1
	if a.given(1) {
		if wc, err = a.column(insch, 1, "basket: WeightColumn"); err != nil {
			return nil, err
		}
	}
	md, err := a.number(2, 5, "basket: MaxDimensions")
	if err != nil {
		return nil, err
	}
	if md < 1 {
		return nil, semErr(a.raw[2], "basket: MaxDimensions must be at least 1")
	}
	wild := a.wildcards(3)
	sch := patternSchema(table.Schema{{Name: "SegmentId", Type: table.TypeLong}, {Name: "Count", Type: table.TypeLong}, {Name: "Percent", Type: table.TypeReal}}, insch)
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		w := patternWeights(t, wc)
		m := newMiner(t, patternDims(insch, wc), w, nil)
		total := m.sum(allRows(t.Rows()))[0]
		minW := thr * float64(total)
		ps, err := m.mine(q, int(md), func(w [2]int64) bool { return w[0] > 0 && float64(w[0]) >= minW })
		if err != nil {
			return nil, errAt(op.Plugin, "runtime", "basket: %v", err)
		}
		ps = closed(ps)
		sortPatterns(ps, func(p *pattern) float64 { return float64(p.w[0]) })
		out := table.New("", sch)
		for i, p := range ps {
			row := []any{int64(i), p.w[0], 100 * float64(p.w[0]) / float64(total)}
			if err := out.AppendRow(patternRow(row, insch, m, p, wild)...); err != nil {
				return nil, err
			}
		}
		return out, nil
	}}, nil
}

// sortPatterns orders by score descending, then fewer items first, then item ids.
func sortPatterns(ps []*pattern, score func(*pattern) float64) {
	sort.SliceStable(ps, func(a, b int) bool {
		sa, sb := score(ps[a]), score(ps[b])
		if sa != sb {
			return sa > sb
		}
		if len(ps[a].items) != len(ps[b].items) {
			return len(ps[a].items) < len(ps[b].items)
		}
		for k := range ps[a].items {
			if ps[a].items[k] != ps[b].items[k] {
				return ps[a].items[k] < ps[b].items[k]
			}
		}
		return false
	})
}

func allRows(n int) []int32 {
	r := make([]int32, n)
	for i := range r {
		r[i] = int32(i)
	}
	return r
}

// bindAutocluster is `evaluate autocluster([SizeWeight, WeightColumn, NumSeeds,
// CustomWildcard, ...])`: a few patterns that together describe most rows. Each candidate
// (a closed pattern covering at least 1/NumSeeds of the rows... or 5%, the lower) is
// scored, as documented, by the weighted geometric mean of its coverage (weight
// SizeWeight) and its share of fixed columns (1-SizeWeight); the best are taken greedily
// while each new one covers mostly rows the chosen ones do not.
func (q *query) bindAutocluster(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	a, err := q.bindPatternArgs(sc, insch, op.Plugin)
	if err != nil {
		return nil, err
	}
	sw, err := a.number(0, 0.5, "autocluster: SizeWeight")
	if err != nil {
		return nil, err
	}
	if sw <= 0 || sw >= 1 {
		return nil, semErr(a.raw[0], "autocluster: SizeWeight must be between 0 and 1 (exclusive), got %v", sw)
	}
	wc := -1
	if a.given(1) {
		if wc, err = a.column(insch, 1, "autocluster: WeightColumn"); err != nil {
			return nil, err
		}
	}
	seeds, err := a.number(2, 25, "autocluster: NumSeeds")
	if err != nil {
		return nil, err
	}
	if seeds < 1 {
		return nil, semErr(a.raw[2], "autocluster: NumSeeds must be at least 1")
	}
	wild := a.wildcards(3)
	sch := patternSchema(table.Schema{{Name: "SegmentId", Type: table.TypeLong}, {Name: "Count", Type: table.TypeLong}, {Name: "Percent", Type: table.TypeReal}}, insch)
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		w := patternWeights(t, wc)
		dims := patternDims(insch, wc)
		m := newMiner(t, dims, w, nil)
		total := m.sum(allRows(t.Rows()))[0]
		minW := math.Min(0.05, 1/seeds) * float64(total)
		ps, err := m.mine(q, 8, func(w [2]int64) bool { return w[0] > 0 && float64(w[0]) >= minW })
		if err != nil {
			return nil, errAt(op.Plugin, "runtime", "autocluster: %v", err)
		}
		ps = closed(ps)
		score := func(p *pattern) float64 {
			cov := float64(p.w[0]) / float64(total)
			spec := float64(len(p.items)) / float64(max(1, len(dims)))
			return math.Pow(cov, sw) * math.Pow(spec, 1-sw)
		}
		sortPatterns(ps, score)
		covered := make([]bool, t.Rows())
		var chosen []*pattern
		for _, p := range ps {
			if err := q.ctx.Err(); err != nil {
				return nil, err
			}
			rows := m.rowsOf(p)
			var fresh int64
			for _, r := range rows {
				if !covered[r] {
					if w != nil {
						fresh += w[r]
					} else {
						fresh++
					}
				}
			}
			if 2*fresh <= p.w[0] {
				continue
			}
			chosen = append(chosen, p)
			for _, r := range rows {
				covered[r] = true
			}
		}
		out := table.New("", sch)
		for i, p := range chosen {
			row := []any{int64(i), p.w[0], 100 * float64(p.w[0]) / float64(total)}
			if err := out.AppendRow(patternRow(row, insch, m, p, wild)...); err != nil {
				return nil, err
			}
		}
		return out, nil
	}}, nil
}

// bindDiffpatterns is `evaluate diffpatterns(SplitColumn, SplitValueA, SplitValueB
// [, WeightColumn, Threshold, MaxDimensions, CustomWildcard, ...])`: the closed patterns
// whose share of set A and of set B differ by at least Threshold, largest difference
// first.
func (q *query) bindDiffpatterns(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	a, err := q.bindPatternArgs(sc, insch, op.Plugin)
	if err != nil {
		return nil, err
	}
	if len(a.raw) < 3 {
		return nil, semErr(op.Plugin, "diffpatterns(SplitColumn, SplitValueA, SplitValueB [, WeightColumn, Threshold, MaxDimensions, CustomWildcard, ...])")
	}
	split, err := a.column(insch, 0, "diffpatterns: SplitColumn")
	if err != nil {
		return nil, err
	}
	var sv [2]string
	for k := 0; k < 2; k++ {
		if a.cols[k+1] >= 0 || a.vals[k+1] == nil {
			return nil, semErr(a.raw[k+1], "diffpatterns: the split values must be constants")
		}
		sv[k] = fn.ToStringValue(a.vals[k+1])
	}
	wc := -1
	if a.given(3) {
		if wc, err = a.column(insch, 3, "diffpatterns: WeightColumn"); err != nil {
			return nil, err
		}
	}
	thr, err := a.number(4, 0.05, "diffpatterns: Threshold")
	if err != nil {
		return nil, err
	}
	if thr <= 0 || thr > 1 {
		return nil, semErr(a.raw[4], "diffpatterns: Threshold must be in (0, 1], got %v", thr)
	}
	md, err := a.number(5, 5, "diffpatterns: MaxDimensions")
	if err != nil {
		return nil, err
	}
	if md < 1 {
		return nil, semErr(a.raw[5], "diffpatterns: MaxDimensions must be at least 1")
	}
	wild := a.wildcards(6)
	sch := patternSchema(table.Schema{
		{Name: "SegmentId", Type: table.TypeLong}, {Name: "CountA", Type: table.TypeLong}, {Name: "CountB", Type: table.TypeLong},
		{Name: "PercentA", Type: table.TypeReal}, {Name: "PercentB", Type: table.TypeReal}, {Name: "PercentDiffAB", Type: table.TypeReal},
	}, insch)
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		side := make([]int8, t.Rows())
		sv0 := t.Columns[split].Data
		for r := range side {
			side[r] = -1
			if x := sv0.At(r); x != nil {
				switch fn.ToStringValue(x) {
				case sv[0]:
					side[r] = 0
				case sv[1]:
					side[r] = 1
				}
			}
		}
		w := patternWeights(t, wc)
		m := newMiner(t, patternDims(insch, split, wc), w, side)
		var rows []int32
		for r, s := range side {
			if s >= 0 {
				rows = append(rows, int32(r))
			}
		}
		tot := m.sum(rows)
		pct := func(w [2]int64) (float64, float64) {
			var pa, pb float64
			if tot[0] > 0 {
				pa = 100 * float64(w[0]) / float64(tot[0])
			}
			if tot[1] > 0 {
				pb = 100 * float64(w[1]) / float64(tot[1])
			}
			return pa, pb
		}
		ps, err := m.mine(q, int(md), func(w [2]int64) bool {
			pa, pb := pct(w)
			return pa >= 100*thr || pb >= 100*thr
		})
		if err != nil {
			return nil, errAt(op.Plugin, "runtime", "diffpatterns: %v", err)
		}
		ps = closed(ps)
		diff := func(p *pattern) float64 {
			pa, pb := pct(p.w)
			return math.Abs(pa - pb)
		}
		var keep []*pattern
		for _, p := range ps {
			if diff(p) >= 100*thr {
				keep = append(keep, p)
			}
		}
		sortPatterns(keep, diff)
		out := table.New("", sch)
		for i, p := range keep {
			pa, pb := pct(p.w)
			row := []any{int64(i), p.w[0], p.w[1], pa, pb, math.Abs(pa - pb)}
			if err := out.AppendRow(patternRow(row, insch, m, p, wild)...); err != nil {
				return nil, err
			}
		}
		return out, nil
	}}, nil
}
