package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

// aggState holds one aggregate's state for every group of one worker.
type aggState interface {
	// update folds rows into their groups: gids[i] is row i's group.
	update(gids []int32, args []*table.Vector, n int)
	// merge folds another worker's state in: its group g becomes group remap[g].
	merge(o aggState, remap []int32)
	// result returns the output vectors for ng groups.
	result(ng int) []*table.Vector
}

// aggDef is a bound aggregate call.
type aggDef struct {
	name     string
	args     []expr
	outTypes []table.Type
	outNames []string // for multi-column aggregates (arg_max, take_any(*)); else nil
	newState func() aggState
}

var aggregateNames = map[string]bool{
	"count": true, "countif": true, "dcount": true, "dcountif": true, "count_distinct": true, "count_distinctif": true,
	"sum": true, "sumif": true, "avg": true, "avgif": true, "min": true, "max": true, "minif": true, "maxif": true,
	"arg_max": true, "arg_min": true, "make_set": true, "make_list": true, "make_bag": true, "make_set_if": true,
	"make_list_if": true, "make_bag_if": true, "make_list_with_nulls": true, "makelist": true, "makeset": true,
	"take_any": true, "take_anyif": true, "any": true, "anyif": true, "percentile": true, "percentiles": true,
	"percentiles_array": true, "stdev": true, "stdevif": true, "stdevp": true, "variance": true, "varianceif": true,
	"variancep": true, "variancepif": true, "binary_all_and": true, "binary_all_or": true, "binary_all_xor": true,
	"make_dictionary": true, "buildschema": true, "hll": true, "tdigest": true, "covariance": true, "covariancep": true,
	"cnt": true, "covarianceif": true, "covariancepif": true, "percentilew": true, "percentilesw": true,
	"percentilesw_array": true, "tdigest_merge": true, "merge_tdigest": true, "hll_if": true, "hll_merge": true,
}

func isAggregate(name string) bool { return aggregateNames[name] }

// aggCollector gathers the aggregates of a summarize while its columns are bound.
type aggCollector struct {
	in    table.Schema
	nkeys int
	keys  []int // input column index of plain key columns (for `*` expansion), -1 otherwise
	defs  []*aggDef
	// multi records the first output index of each aggregate.
	outIdx []int
	nout   int
}

func (c *aggCollector) add(q *query, sc *scope, e *syntax.CallExpr) (expr, error) {
	def, err := q.bindAggregate(sc, c, e)
	if err != nil {
		return nil, err
	}
	idx := c.nkeys + c.nout
	c.defs = append(c.defs, def)
	c.outIdx = append(c.outIdx, idx)
	c.nout += len(def.outTypes)
	return &colExpr{idx: idx, t: def.outTypes[0]}, nil
}

func (q *query) bindAggregate(sc *scope, c *aggCollector, e *syntax.CallExpr) (*aggDef, error) {
	name := strings.ToLower(e.Fun.Name)
	rc := &rowCtx{sch: c.in}
	var args []expr
	star := false
	for _, a := range e.Args {
		if _, ok := a.(*syntax.StarExpr); ok {
			star = true
			continue
		}
		x, err := q.bindScalar(sc, rc, a)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	need := func(lo, hi int) error {
		if len(args) < lo || len(args) > hi {
			return semErr(e, "%s(): wrong number of arguments", name)
		}
		return nil
	}
	boolArg := func(i int) error {
		if args[i].typ() != table.TypeBool {
			return semErr(e.Args[i], "%s(): the predicate must be bool, got %s", name, args[i].typ())
		}
		return nil
	}
	d := &aggDef{name: name, args: args}
	switch name {
	case "count", "cnt":
		if len(args) > 1 {
			return nil, need(0, 0)
		}
		d.args = nil
		d.outTypes = []table.Type{table.TypeLong}
		d.newState = func() aggState { return &countState{} }
	case "countif":
		if err := need(1, 1); err != nil {
			return nil, err
		}
		if err := boolArg(0); err != nil {
			return nil, err
		}
		d.outTypes = []table.Type{table.TypeLong}
		d.newState = func() aggState { return &countState{pred: true} }
	case "dcount", "dcountif", "count_distinct", "count_distinctif":
		if err := need(1, 3); err != nil {
			return nil, err
		}
		cond := strings.HasSuffix(name, "if")
		if cond {
			if len(args) < 2 {
				return nil, need(2, 3)
			}
			if err := boolArg(1); err != nil {
				return nil, err
			}
			d.args = args[:2]
		} else {
			d.args = args[:1]
		}
		d.outTypes = []table.Type{table.TypeLong}
		d.newState = func() aggState { return &dcountState{cond: cond} }
	case "sum", "sumif":
		cond := name == "sumif"
		if err := need(1+b2i(cond), 1+b2i(cond)); err != nil {
			return nil, err
		}
		t := args[0].typ()
		switch t {
		case table.TypeInt, table.TypeLong, table.TypeBool:
			t = table.TypeLong
		case table.TypeReal, table.TypeDecimal, table.TypeTimeSpan:
		case table.TypeDynamic:
			t = table.TypeReal
		default:
			return nil, semErr(e, "%s(): cannot sum %s", name, t)
		}
		d.outTypes = []table.Type{t}
		d.newState = func() aggState { return &sumState{t: t, cond: cond} }
	case "avg", "avgif":
		cond := name == "avgif"
		if err := need(1+b2i(cond), 1+b2i(cond)); err != nil {
			return nil, err
		}
		t := table.TypeReal
		switch args[0].typ() {
		case table.TypeTimeSpan, table.TypeDateTime, table.TypeDecimal:
			t = args[0].typ()
		}
		d.outTypes = []table.Type{t}
		d.newState = func() aggState { return &avgState{t: t, cond: cond} }
	case "min", "max", "minif", "maxif":
		cond := strings.HasSuffix(name, "if")
		if err := need(1+b2i(cond), 1+b2i(cond)); err != nil {
			return nil, err
		}
		t := args[0].typ()
		if t == table.TypeInt {
			t = table.TypeInt
		}
		d.outTypes = []table.Type{t}
		isMax := strings.HasPrefix(name, "max")
		d.newState = func() aggState { return &minMaxState{t: t, max: isMax, cond: cond} }
	case "stdev", "stdevif", "stdevp", "variance", "varianceif", "variancep", "variancepif":
		cond := strings.HasSuffix(name, "if")
		if err := need(1+b2i(cond), 1+b2i(cond)); err != nil {
			return nil, err
		}
		pop := strings.Contains(name, "p") && !strings.HasPrefix(name, "stdev") || name == "stdevp"
		pop = name == "stdevp" || name == "variancep" || name == "variancepif"
		std := strings.HasPrefix(name, "stdev")
		d.outTypes = []table.Type{table.TypeReal}
		d.newState = func() aggState { return &varState{cond: cond, pop: pop, std: std} }
	case "make_list", "makelist", "make_list_if", "make_list_with_nulls", "make_set", "makeset", "make_set_if":
		cond := strings.HasSuffix(name, "_if")
		if len(args) < 1+b2i(cond) || len(args) > 2+b2i(cond) {
			return nil, need(1, 1)
		}
		limit := int64(1048576)
		if li := 1 + b2i(cond); len(args) > li {
			if c, ok := args[li].(*constExpr); ok {
				if v, ok := c.value().(int64); ok {
					limit = v
				} else if v, ok := c.value().(int32); ok {
					limit = int64(v)
				}
			}
		}
		d.args = args[:1+b2i(cond)]
		set := strings.Contains(name, "set")
		nulls := name == "make_list_with_nulls"
		d.outTypes = []table.Type{table.TypeDynamic}
		d.newState = func() aggState { return &listState{cond: cond, set: set, nulls: nulls, limit: int(limit)} }
	case "make_bag", "make_bag_if", "make_dictionary":
		cond := name == "make_bag_if"
		if len(args) < 1+b2i(cond) {
			return nil, need(1, 1)
		}
		d.args = args[:1+b2i(cond)]
		d.outTypes = []table.Type{table.TypeDynamic}
		d.newState = func() aggState { return &bagState{cond: cond} }
	case "take_any", "any", "take_anyif", "anyif":
		cond := strings.HasSuffix(name, "if")
		if cond {
			if err := need(2, 2); err != nil {
				return nil, err
			}
			d.outTypes = []table.Type{args[0].typ()}
			d.newState = func() aggState { return &anyState{cond: true, n: 1} }
			break
		}
		if star {
			d.args = nil
			for i, col := range c.in {
				if c.isKeyCol(i) {
					continue
				}
				d.args = append(d.args, &colExpr{idx: i, t: col.Type})
				d.outTypes = append(d.outTypes, col.Type)
				d.outNames = append(d.outNames, col.Name)
			}
		} else {
			if len(args) == 0 {
				return nil, need(1, 1)
			}
			for i, a := range args {
				d.outTypes = append(d.outTypes, a.typ())
				d.outNames = append(d.outNames, exprName(e.Args[i]))
			}
		}
		k := len(d.args)
		d.newState = func() aggState { return &anyState{n: k} }
	case "arg_max", "arg_min":
		if len(args) < 1 {
			return nil, need(1, 1)
		}
		d.outTypes = []table.Type{args[0].typ()}
		d.outNames = []string{exprName(e.Args[0])}
		if star {
			d.args = args[:1]
			for i, col := range c.in {
				if c.isKeyCol(i) {
					continue
				}
				if ce, ok := args[0].(*colExpr); ok && ce.idx == i {
					continue
				}
				d.args = append(d.args, &colExpr{idx: i, t: col.Type})
				d.outTypes = append(d.outTypes, col.Type)
				d.outNames = append(d.outNames, col.Name)
			}
		} else {
			for i, a := range args[1:] {
				d.outTypes = append(d.outTypes, a.typ())
				d.outNames = append(d.outNames, exprName(e.Args[i+1]))
			}
		}
		isMax := name == "arg_max"
		k := len(d.args)
		d.newState = func() aggState { return &argState{max: isMax, n: k} }
	case "percentile", "percentiles", "percentiles_array":
		if len(args) < 2 {
			return nil, need(2, 2)
		}
		var ps []float64
		var names []string
		for i, a := range args[1:] {
			c, ok := a.(*constExpr)
			if !ok {
				return nil, semErr(e.Args[i+1], "%s(): the percentile must be a constant", name)
			}
			switch v := c.value().(type) {
			case int64:
				ps = append(ps, float64(v))
			case int32:
				ps = append(ps, float64(v))
			case float64:
				ps = append(ps, v)
			case []any:
				for _, x := range v {
					if f, ok := toFloat(x); ok {
						ps = append(ps, f)
					}
				}
			default:
				return nil, semErr(e.Args[i+1], "%s(): the percentile must be a number", name)
			}
			lit := ""
			if l, ok := e.Args[i+1].(*syntax.Literal); ok {
				lit = strings.ReplaceAll(l.Raw, ".", "_")
			}
			names = append(names, lit)
		}
		d.args = args[:1]
		d.percentiles(e, ps, names, name == "percentiles_array", false)
	case "buildschema":
		if err := need(1, 1); err != nil {
			return nil, err
		}
		d.outTypes = []table.Type{table.TypeDynamic}
		d.newState = func() aggState { return &schemaState{} }
	case "tdigest", "tdigest_merge", "merge_tdigest":
		merge := name != "tdigest"
		if len(args) < 1 || (merge && len(args) != 1) || len(args) > 2 {
			return nil, need(1, 2)
		}
		t := args[0].typ()
		if t == table.TypeInt {
			t = table.TypeLong
		}
		d.outTypes = []table.Type{table.TypeDynamic}
		d.newState = func() aggState { return &tdigestState{isMerge: merge, t: t} }
	case "hll", "hll_if", "hll_merge":
		cond := name == "hll_if"
		if len(args) < 1 {
			return nil, need(1, 2)
		}
		if cond && len(args) < 2 {
			return nil, need(2, 3)
		}
		if !cond {
			d.args = args[:1] // the accuracy argument does not matter for exact sets
		}
		merge := name == "hll_merge"
		d.outTypes = []table.Type{table.TypeDynamic}
		d.newState = func() aggState { return &hllState{isMerge: merge, cond: cond} }
	case "covariance", "covariancep", "covarianceif", "covariancepif":
		cond := strings.HasSuffix(name, "if")
		if err := need(2+b2i(cond), 2+b2i(cond)); err != nil {
			return nil, err
		}
		pop := strings.HasPrefix(name, "covariancep")
		d.outTypes = []table.Type{table.TypeReal}
		d.newState = func() aggState { return &covState{cond: cond, pop: pop} }
	case "binary_all_and", "binary_all_or", "binary_all_xor":
		if err := need(1, 1); err != nil {
			return nil, err
		}
		d.outTypes = []table.Type{table.TypeLong}
		kind := name[len("binary_all_"):]
		d.newState = func() aggState { return &bitState{kind: kind} }
	case "percentilew", "percentilesw", "percentilesw_array":
		if len(args) < 3 {
			return nil, need(3, 3)
		}
		var ps []float64
		var names []string
		for i, a := range args[2:] {
			c, ok := a.(*constExpr)
			if ok {
				if arr, isArr := c.value().([]any); isArr {
					for _, x := range arr {
						if f, isNum := toFloat(x); isNum {
							ps = append(ps, f)
							names = append(names, "")
						}
					}
					continue
				}
			}
			var f float64
			isNum := false
			if ok {
				f, isNum = toFloat(c.value())
			}
			if !ok || !isNum {
				return nil, semErr(e.Args[i+2], "%s(): the percentile must be a constant number", name)
			}
			ps = append(ps, f)
			lit := ""
			if l, ok := e.Args[i+2].(*syntax.Literal); ok {
				lit = strings.ReplaceAll(l.Raw, ".", "_")
			}
			names = append(names, lit)
		}
		d.args = args[:2]
		d.percentiles(e, ps, names, name == "percentilesw_array", true)
	default:
		return nil, unsupported(e, fmt.Sprintf("aggregate %s()", name))
	}
	if len(d.outNames) == 0 {
		d.outNames = nil
	}
	return d, nil
}

// percentiles sets the outputs of percentile(s)(w)(_array): one column per percentile named
// percentile_X_50 (Kusto's naming, from the literal), or one dynamic array.
func (d *aggDef) percentiles(e *syntax.CallExpr, ps []float64, names []string, arr, weighted bool) {
	t := d.args[0].typ()
	if t == table.TypeInt {
		t = table.TypeLong
	}
	if arr {
		d.outTypes = []table.Type{table.TypeDynamic}
	} else {
		base := "percentile_" + exprName(e.Args[0]) + "_"
		for i := range ps {
			d.outTypes = append(d.outTypes, t)
			d.outNames = append(d.outNames, base+names[i])
		}
	}
	d.newState = func() aggState { return &pctState{ps: ps, t: t, arr: arr, weighted: weighted} }
}

func (c *aggCollector) isKeyCol(i int) bool {
	for _, k := range c.keys {
		if k == i {
			return true
		}
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func toFloat(x any) (float64, bool) {
	switch v := x.(type) {
	case int64:
		return float64(v), true
	case int32:
		return float64(v), true
	case float64:
		return v, true
	case decimal.Decimal:
		f, _ := v.Float64()
		return f, true
	case table.TimeSpan:
		return float64(v), true
	case table.DateTime:
		return float64(v), true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func growTo[T any](s []T, n int) []T {
	for len(s) < n {
		var z T
		s = append(s, z)
	}
	return s
}

func maxGid(gids []int32, n int) int {
	m := int32(-1)
	for i := 0; i < n; i++ {
		if gids[i] > m {
			m = gids[i]
		}
	}
	return int(m) + 1
}

// ---------------------------------------------------------------------------------------

type countState struct {
	pred bool
	c    []int64
}

func (s *countState) update(gids []int32, args []*table.Vector, n int) {
	s.c = growTo(s.c, maxGid(gids, n))
	if !s.pred {
		for i := 0; i < n; i++ {
			s.c[gids[i]]++
		}
		return
	}
	p := args[0]
	for i := 0; i < n; i++ {
		if truthy(p, i) {
			s.c[gids[i]]++
		}
	}
}

func (s *countState) merge(o aggState, remap []int32) {
	os := o.(*countState)
	for g, v := range os.c {
		t := remap[g]
		s.c = growTo(s.c, int(t)+1)
		s.c[t] += v
	}
}

func (s *countState) result(ng int) []*table.Vector {
	s.c = growTo(s.c, ng)
	return []*table.Vector{{Type: table.TypeLong, Ints: s.c[:ng]}}
}

type dcountState struct {
	cond bool
	sets []map[string]struct{} // generic: type-tagged keys
	strs []map[string]struct{} // string columns: the strings themselves
	ints []map[int64]struct{}  // integer-backed columns
}

func (s *dcountState) update(gids []int32, args []*table.Vector, n int) {
	ng := maxGid(gids, n)
	v := args[0]
	switch {
	case v.Type == table.TypeString && !v.Const:
		s.strs = growTo(s.strs, ng)
		for i := 0; i < n; i++ {
			if s.cond && !truthy(args[1], i) {
				continue
			}
			x := v.Strs[i]
			if x == "" {
				continue
			}
			g := gids[i]
			if s.strs[g] == nil {
				s.strs[g] = map[string]struct{}{}
			}
			s.strs[g][x] = struct{}{}
		}
		return
	case (v.Type == table.TypeLong || v.Type == table.TypeInt || v.Type == table.TypeDateTime || v.Type == table.TypeTimeSpan) && !v.Const:
		s.ints = growTo(s.ints, ng)
		for i := 0; i < n; i++ {
			if s.cond && !truthy(args[1], i) {
				continue
			}
			if v.Nulls != nil && v.Nulls.Get(i) {
				continue
			}
			g := gids[i]
			if s.ints[g] == nil {
				s.ints[g] = map[int64]struct{}{}
			}
			s.ints[g][v.Ints[i]] = struct{}{}
		}
		return
	}
	s.sets = growTo(s.sets, ng)
	var buf []byte
	for i := 0; i < n; i++ {
		if s.cond && !truthy(args[1], i) {
			continue
		}
		x := at(v, i)
		if x == nil {
			continue
		}
		if str, ok := x.(string); ok && str == "" {
			continue
		}
		g := gids[i]
		if s.sets[g] == nil {
			s.sets[g] = map[string]struct{}{}
		}
		buf = appendKey(buf[:0], x)
		s.sets[g][string(buf)] = struct{}{}
	}
}

func mergeSets[K comparable](dst []map[K]struct{}, src []map[K]struct{}, remap []int32) []map[K]struct{} {
	for g, m := range src {
		t := remap[g]
		dst = growTo(dst, int(t)+1)
		if dst[t] == nil {
			dst[t] = m
			continue
		}
		for k := range m {
			dst[t][k] = struct{}{}
		}
	}
	return dst
}

func (s *dcountState) merge(o aggState, remap []int32) {
	os := o.(*dcountState)
	s.sets = mergeSets(s.sets, os.sets, remap)
	s.strs = mergeSets(s.strs, os.strs, remap)
	s.ints = mergeSets(s.ints, os.ints, remap)
}

func (s *dcountState) result(ng int) []*table.Vector {
	s.sets, s.strs, s.ints = growTo(s.sets, ng), growTo(s.strs, ng), growTo(s.ints, ng)
	out := make([]int64, ng)
	for g := 0; g < ng; g++ {
		out[g] = int64(len(s.sets[g]) + len(s.strs[g]) + len(s.ints[g]))
	}
	return []*table.Vector{{Type: table.TypeLong, Ints: out}}
}

type sumState struct {
	t    table.Type
	cond bool
	i    []int64
	f    []float64
	d    []decimal.Decimal
	seen []bool
}

func (s *sumState) update(gids []int32, args []*table.Vector, n int) {
	ng := maxGid(gids, n)
	s.seen = growTo(s.seen, ng)
	v := args[0]
	switch s.t {
	case table.TypeLong, table.TypeTimeSpan:
		s.i = growTo(s.i, ng)
		if v.Type == table.TypeBool || v.Type == table.TypeDynamic {
			for i := 0; i < n; i++ {
				if s.cond && !truthy(args[1], i) {
					continue
				}
				if f, ok := toFloat(at(v, i)); ok {
					s.i[gids[i]] += int64(f)
					s.seen[gids[i]] = true
				}
			}
			return
		}
		for i := 0; i < n; i++ {
			if s.cond && !truthy(args[1], i) {
				continue
			}
			j := i
			if v.Const {
				j = 0
			}
			if v.Nulls != nil && v.Nulls.Get(j) {
				continue
			}
			s.i[gids[i]] += v.Ints[j]
			s.seen[gids[i]] = true
		}
	case table.TypeReal:
		s.f = growTo(s.f, ng)
		for i := 0; i < n; i++ {
			if s.cond && !truthy(args[1], i) {
				continue
			}
			if f, ok := toFloat(at(v, i)); ok {
				s.f[gids[i]] += f
				s.seen[gids[i]] = true
			}
		}
	case table.TypeDecimal:
		s.d = growTo(s.d, ng)
		for i := 0; i < n; i++ {
			if s.cond && !truthy(args[1], i) {
				continue
			}
			if x, ok := at(v, i).(decimal.Decimal); ok {
				s.d[gids[i]] = s.d[gids[i]].Add(x)
				s.seen[gids[i]] = true
			}
		}
	}
}

func (s *sumState) merge(o aggState, remap []int32) {
	os := o.(*sumState)
	for g := range os.seen {
		t := int(remap[g])
		s.seen = growTo(s.seen, t+1)
		if !os.seen[g] {
			continue
		}
		s.seen[t] = true
		switch s.t {
		case table.TypeLong, table.TypeTimeSpan:
			s.i = growTo(s.i, t+1)
			s.i[t] += os.i[g]
		case table.TypeReal:
			s.f = growTo(s.f, t+1)
			s.f[t] += os.f[g]
		case table.TypeDecimal:
			s.d = growTo(s.d, t+1)
			s.d[t] = s.d[t].Add(os.d[g])
		}
	}
}

func (s *sumState) result(ng int) []*table.Vector {
	out := table.NewVector(s.t, ng)
	s.seen = growTo(s.seen, ng)
	for g := 0; g < ng; g++ {
		if !s.seen[g] {
			_ = out.Append(nil)
			continue
		}
		switch s.t {
		case table.TypeLong:
			_ = out.Append(s.i[g])
		case table.TypeTimeSpan:
			_ = out.Append(table.TimeSpan(s.i[g]))
		case table.TypeReal:
			_ = out.Append(s.f[g])
		case table.TypeDecimal:
			_ = out.Append(s.d[g])
		}
	}
	return []*table.Vector{out}
}

type avgState struct {
	t    table.Type
	cond bool
	sum  []float64
	dsum []decimal.Decimal
	n    []int64
}

func (s *avgState) update(gids []int32, args []*table.Vector, n int) {
	ng := maxGid(gids, n)
	s.sum = growTo(s.sum, ng)
	s.n = growTo(s.n, ng)
	if s.t == table.TypeDecimal {
		s.dsum = growTo(s.dsum, ng)
	}
	v := args[0]
	for i := 0; i < n; i++ {
		if s.cond && !truthy(args[1], i) {
			continue
		}
		x := at(v, i)
		if d, ok := x.(decimal.Decimal); ok && s.t == table.TypeDecimal {
			s.dsum[gids[i]] = s.dsum[gids[i]].Add(d)
			s.n[gids[i]]++
			continue
		}
		if f, ok := toFloat(x); ok {
			s.sum[gids[i]] += f
			s.n[gids[i]]++
		}
	}
}

func (s *avgState) merge(o aggState, remap []int32) {
	os := o.(*avgState)
	for g := range os.n {
		t := int(remap[g])
		s.sum = growTo(s.sum, t+1)
		s.n = growTo(s.n, t+1)
		s.sum[t] += os.sum[g]
		s.n[t] += os.n[g]
		if s.t == table.TypeDecimal {
			s.dsum = growTo(s.dsum, t+1)
			s.dsum[t] = s.dsum[t].Add(os.dsum[g])
		}
	}
}

func (s *avgState) result(ng int) []*table.Vector {
	s.sum = growTo(s.sum, ng)
	s.n = growTo(s.n, ng)
	out := table.NewVector(s.t, ng)
	for g := 0; g < ng; g++ {
		if s.n[g] == 0 {
			_ = out.Append(nil)
			continue
		}
		avg := s.sum[g] / float64(s.n[g])
		switch s.t {
		case table.TypeReal:
			_ = out.Append(avg)
		case table.TypeTimeSpan:
			_ = out.Append(table.TimeSpan(math.Round(avg)))
		case table.TypeDateTime:
			_ = out.Append(table.DateTime(math.Round(avg)))
		case table.TypeDecimal:
			s.dsum = growTo(s.dsum, ng)
			_ = out.Append(s.dsum[g].Div(decimal.NewFromInt(s.n[g])))
		}
	}
	return []*table.Vector{out}
}

type minMaxState struct {
	t    table.Type
	max  bool
	cond bool
	v    []any
	// fast path for integer-backed types
	iv   []int64
	seen []bool
}

func (s *minMaxState) intBacked() bool {
	switch s.t {
	case table.TypeInt, table.TypeLong, table.TypeDateTime, table.TypeTimeSpan:
		return true
	}
	return false
}

func (s *minMaxState) update(gids []int32, args []*table.Vector, n int) {
	ng := maxGid(gids, n)
	s.seen = growTo(s.seen, ng)
	v := args[0]
	if s.intBacked() && v.Type == s.t {
		s.iv = growTo(s.iv, ng)
		for i := 0; i < n; i++ {
			if s.cond && !truthy(args[1], i) {
				continue
			}
			j := i
			if v.Const {
				j = 0
			}
			if v.Nulls != nil && v.Nulls.Get(j) {
				continue
			}
			g := gids[i]
			x := v.Ints[j]
			if !s.seen[g] || (s.max && x > s.iv[g]) || (!s.max && x < s.iv[g]) {
				s.iv[g] = x
				s.seen[g] = true
			}
		}
		return
	}
	s.v = growTo(s.v, ng)
	for i := 0; i < n; i++ {
		if s.cond && !truthy(args[1], i) {
			continue
		}
		x := at(v, i)
		if x == nil {
			continue
		}
		if f, ok := x.(float64); ok && math.IsNaN(f) {
			continue
		}
		g := gids[i]
		if !s.seen[g] {
			s.v[g], s.seen[g] = x, true
			continue
		}
		c := compareValues(x, s.v[g])
		if (s.max && c > 0) || (!s.max && c < 0) {
			s.v[g] = x
		}
	}
}

func (s *minMaxState) get(g int) any {
	if g >= len(s.seen) || !s.seen[g] {
		return nil
	}
	if s.intBacked() && g < len(s.iv) && (g >= len(s.v) || s.v[g] == nil) {
		switch s.t {
		case table.TypeInt:
			return int32(s.iv[g])
		case table.TypeLong:
			return s.iv[g]
		case table.TypeDateTime:
			return table.DateTime(s.iv[g])
		case table.TypeTimeSpan:
			return table.TimeSpan(s.iv[g])
		}
	}
	return s.v[g]
}

func (s *minMaxState) merge(o aggState, remap []int32) {
	os := o.(*minMaxState)
	for g := range os.seen {
		x := os.get(g)
		if x == nil {
			continue
		}
		t := int(remap[g])
		s.seen = growTo(s.seen, t+1)
		s.v = growTo(s.v, t+1)
		cur := s.get(t)
		if cur == nil || (s.max && compareValues(x, cur) > 0) || (!s.max && compareValues(x, cur) < 0) {
			s.v[t] = x
			s.seen[t] = true
			if s.intBacked() {
				s.iv = growTo(s.iv, t+1)
				s.iv[t] = intOf(x)
			}
		}
	}
}

func intOf(x any) int64 {
	switch v := x.(type) {
	case int32:
		return int64(v)
	case int64:
		return v
	case table.DateTime:
		return int64(v)
	case table.TimeSpan:
		return int64(v)
	}
	return 0
}

func (s *minMaxState) result(ng int) []*table.Vector {
	out := table.NewVector(s.t, ng)
	for g := 0; g < ng; g++ {
		_ = out.Append(s.get(g))
	}
	return []*table.Vector{out}
}

type varState struct {
	cond, pop, std bool
	n              []float64
	mean, m2       []float64
}

func (s *varState) update(gids []int32, args []*table.Vector, n int) {
	ng := maxGid(gids, n)
	s.n, s.mean, s.m2 = growTo(s.n, ng), growTo(s.mean, ng), growTo(s.m2, ng)
	for i := 0; i < n; i++ {
		if s.cond && !truthy(args[1], i) {
			continue
		}
		f, ok := toFloat(at(args[0], i))
		if !ok {
			continue
		}
		g := gids[i]
		s.n[g]++
		d := f - s.mean[g]
		s.mean[g] += d / s.n[g]
		s.m2[g] += d * (f - s.mean[g])
	}
}

func (s *varState) merge(o aggState, remap []int32) {
	os := o.(*varState)
	for g := range os.n {
		t := int(remap[g])
		s.n, s.mean, s.m2 = growTo(s.n, t+1), growTo(s.mean, t+1), growTo(s.m2, t+1)
		na, nb := s.n[t], os.n[g]
		if nb == 0 {
			continue
		}
		nn := na + nb
		d := os.mean[g] - s.mean[t]
		s.mean[t] += d * nb / nn
		s.m2[t] += os.m2[g] + d*d*na*nb/nn
		s.n[t] = nn
	}
}

func (s *varState) result(ng int) []*table.Vector {
	s.n, s.m2 = growTo(s.n, ng), growTo(s.m2, ng)
	out := table.NewVector(table.TypeReal, ng)
	for g := 0; g < ng; g++ {
		var v float64
		switch {
		case s.n[g] == 0:
			_ = out.Append(nil)
			continue
		case s.pop:
			v = s.m2[g] / s.n[g]
		case s.n[g] < 2:
			v = 0
		default:
			v = s.m2[g] / (s.n[g] - 1)
		}
		if s.std {
			v = math.Sqrt(v)
		}
		_ = out.Append(v)
	}
	return []*table.Vector{out}
}

type listState struct {
	cond, set, nulls bool
	limit            int
	lists            [][]any
	seen             []map[string]struct{}
}

func (s *listState) update(gids []int32, args []*table.Vector, n int) {
	ng := maxGid(gids, n)
	s.lists = growTo(s.lists, ng)
	if s.set {
		s.seen = growTo(s.seen, ng)
	}
	var buf []byte
	for i := 0; i < n; i++ {
		if s.cond && !truthy(args[1], i) {
			continue
		}
		x := toDynamic(at(args[0], i))
		if x == nil && !s.nulls {
			continue
		}
		g := gids[i]
		if s.set {
			// make_set of arrays adds their elements (Kusto expands dynamic arrays).
			items := []any{x}
			if arr, ok := x.([]any); ok {
				items = arr
			}
			for _, it := range items {
				if len(s.lists[g]) >= s.limit {
					break
				}
				if s.seen[g] == nil {
					s.seen[g] = map[string]struct{}{}
				}
				buf = appendKey(buf[:0], it)
				if _, dup := s.seen[g][string(buf)]; dup {
					continue
				}
				s.seen[g][string(buf)] = struct{}{}
				s.lists[g] = append(s.lists[g], it)
			}
			continue
		}
		if len(s.lists[g]) < s.limit {
			s.lists[g] = append(s.lists[g], x)
		}
	}
}

func (s *listState) merge(o aggState, remap []int32) {
	os := o.(*listState)
	var buf []byte
	for g, l := range os.lists {
		t := int(remap[g])
		s.lists = growTo(s.lists, t+1)
		if s.set {
			s.seen = growTo(s.seen, t+1)
			if s.seen[t] == nil {
				s.seen[t] = map[string]struct{}{}
			}
			for _, it := range l {
				buf = appendKey(buf[:0], it)
				if _, dup := s.seen[t][string(buf)]; dup || len(s.lists[t]) >= s.limit {
					continue
				}
				s.seen[t][string(buf)] = struct{}{}
				s.lists[t] = append(s.lists[t], it)
			}
			continue
		}
		for _, it := range l {
			if len(s.lists[t]) < s.limit {
				s.lists[t] = append(s.lists[t], it)
			}
		}
	}
}

func (s *listState) result(ng int) []*table.Vector {
	s.lists = growTo(s.lists, ng)
	out := table.NewVector(table.TypeDynamic, ng)
	for g := 0; g < ng; g++ {
		l := s.lists[g]
		if l == nil {
			l = []any{}
		}
		out.Dyns = append(out.Dyns, l)
	}
	return []*table.Vector{out}
}

type bagState struct {
	cond bool
	bags []map[string]any
}

func (s *bagState) update(gids []int32, args []*table.Vector, n int) {
	s.bags = growTo(s.bags, maxGid(gids, n))
	for i := 0; i < n; i++ {
		if s.cond && !truthy(args[1], i) {
			continue
		}
		m, ok := at(args[0], i).(map[string]any)
		if !ok {
			continue
		}
		g := gids[i]
		if s.bags[g] == nil {
			s.bags[g] = map[string]any{}
		}
		for k, v := range m {
			if _, dup := s.bags[g][k]; !dup {
				s.bags[g][k] = v
			}
		}
	}
}

func (s *bagState) merge(o aggState, remap []int32) {
	for g, m := range o.(*bagState).bags {
		t := int(remap[g])
		s.bags = growTo(s.bags, t+1)
		if s.bags[t] == nil {
			s.bags[t] = map[string]any{}
		}
		for k, v := range m {
			if _, dup := s.bags[t][k]; !dup {
				s.bags[t][k] = v
			}
		}
	}
}

func (s *bagState) result(ng int) []*table.Vector {
	s.bags = growTo(s.bags, ng)
	out := table.NewVector(table.TypeDynamic, ng)
	for g := 0; g < ng; g++ {
		b := s.bags[g]
		if b == nil {
			b = map[string]any{}
		}
		out.Dyns = append(out.Dyns, b)
	}
	return []*table.Vector{out}
}

// anyState keeps the first row seen per group (take_any): n values.
type anyState struct {
	cond bool
	n    int
	vals [][]any
	seen []bool
}

func (s *anyState) update(gids []int32, args []*table.Vector, n int) {
	ng := maxGid(gids, n)
	s.vals, s.seen = growTo(s.vals, ng), growTo(s.seen, ng)
	for i := 0; i < n; i++ {
		g := gids[i]
		if s.seen[g] {
			continue
		}
		if s.cond {
			if !truthy(args[1], i) {
				continue
			}
			s.vals[g] = []any{at(args[0], i)}
			s.seen[g] = true
			continue
		}
		// take_any prefers a non-null value when there is a single argument.
		row := make([]any, s.n)
		for k := 0; k < s.n; k++ {
			row[k] = at(args[k], i)
		}
		if s.n == 1 && (row[0] == nil || row[0] == "") {
			if s.vals[g] == nil {
				s.vals[g] = row
			}
			continue
		}
		s.vals[g] = row
		s.seen[g] = true
	}
}

func (s *anyState) merge(o aggState, remap []int32) {
	os := o.(*anyState)
	for g := range os.vals {
		t := int(remap[g])
		s.vals, s.seen = growTo(s.vals, t+1), growTo(s.seen, t+1)
		if !s.seen[t] && (os.seen[g] || s.vals[t] == nil) {
			s.vals[t], s.seen[t] = os.vals[g], os.seen[g]
		}
	}
}

func (s *anyState) result(ng int) []*table.Vector {
	s.vals = growTo(s.vals, ng)
	k := s.n
	if s.cond {
		k = 1
	}
	outs := make([]*table.Vector, k)
	for c := 0; c < k; c++ {
		var t table.Type
		for g := 0; g < ng && t == table.TypeInvalid; g++ {
			if s.vals[g] != nil && s.vals[g][c] != nil {
				t = typeOfValue(s.vals[g][c])
			}
		}
		outs[c] = &table.Vector{} // typed later by the summarize node
		vals := make([]any, ng)
		for g := 0; g < ng; g++ {
			if s.vals[g] != nil {
				vals[g] = s.vals[g][c]
			}
		}
		outs[c] = anyVector(vals)
	}
	return outs
}

// anyVector holds untyped values until the caller converts them (see fixType).
func anyVector(vals []any) *table.Vector {
	return &table.Vector{Type: table.TypeDynamic, Dyns: vals}
}

// argState keeps, per group, the extreme value of args[0] and the other args of its row.
type argState struct {
	max  bool
	n    int
	best [][]any
}

func (s *argState) update(gids []int32, args []*table.Vector, n int) {
	s.best = growTo(s.best, maxGid(gids, n))
	for i := 0; i < n; i++ {
		x := at(args[0], i)
		g := gids[i]
		if x == nil {
			// A group whose values are all null still yields a row (its first).
			if s.best[g] == nil {
				row := make([]any, s.n)
				for k := 1; k < s.n; k++ {
					row[k] = at(args[k], i)
				}
				s.best[g] = row
			}
			continue
		}
		if b := s.best[g]; b != nil && b[0] != nil {
			c := compareValues(x, b[0])
			if (s.max && c <= 0) || (!s.max && c >= 0) {
				continue
			}
		}
		row := make([]any, s.n)
		row[0] = x
		for k := 1; k < s.n; k++ {
			row[k] = at(args[k], i)
		}
		s.best[g] = row
	}
}

func (s *argState) merge(o aggState, remap []int32) {
	for g, row := range o.(*argState).best {
		t := int(remap[g])
		s.best = growTo(s.best, t+1)
		if row == nil || (row[0] == nil && s.best[t] != nil) {
			continue
		}
		if b := s.best[t]; b != nil && b[0] != nil {
			c := compareValues(row[0], b[0])
			if (s.max && c <= 0) || (!s.max && c >= 0) {
				continue
			}
		}
		s.best[t] = row
	}
}

func (s *argState) result(ng int) []*table.Vector {
	s.best = growTo(s.best, ng)
	outs := make([]*table.Vector, s.n)
	for c := 0; c < s.n; c++ {
		vals := make([]any, ng)
		for g := 0; g < ng; g++ {
			if s.best[g] != nil {
				vals[g] = s.best[g][c]
			}
		}
		outs[c] = anyVector(vals)
	}
	return outs
}

type pctState struct {
	ps       []float64
	t        table.Type
	arr      bool
	weighted bool
	vals     [][]any
	weights  [][]float64
}

func (s *pctState) update(gids []int32, args []*table.Vector, n int) {
	s.vals = growTo(s.vals, maxGid(gids, n))
	if s.weighted {
		s.weights = growTo(s.weights, maxGid(gids, n))
	}
	for i := 0; i < n; i++ {
		x := at(args[0], i)
		if x == nil {
			continue
		}
		if v, ok := x.(int32); ok {
			x = int64(v)
		}
		if s.weighted {
			w, ok := toFloat(at(args[1], i))
			if !ok || w <= 0 {
				continue
			}
			s.weights[gids[i]] = append(s.weights[gids[i]], w)
		}
		s.vals[gids[i]] = append(s.vals[gids[i]], x)
	}
}

func (s *pctState) merge(o aggState, remap []int32) {
	os := o.(*pctState)
	for g, l := range os.vals {
		t := int(remap[g])
		s.vals = growTo(s.vals, t+1)
		s.vals[t] = append(s.vals[t], l...)
		if s.weighted {
			s.weights = growTo(s.weights, t+1)
			s.weights[t] = append(s.weights[t], os.weights[g]...)
		}
	}
}

func (s *pctState) result(ng int) []*table.Vector {
	s.vals = growTo(s.vals, ng)
	k := len(s.ps)
	if s.arr {
		k = 1
	}
	outs := make([][]any, k)
	for c := range outs {
		outs[c] = make([]any, ng)
	}
	if s.weighted {
		s.weights = growTo(s.weights, ng)
	}
	for g := 0; g < ng; g++ {
		l := s.vals[g]
		var ws []float64
		if s.weighted {
			ws = s.weights[g]
			idx := make([]int, len(l))
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(i, j int) bool { return compareValues(l[idx[i]], l[idx[j]]) < 0 })
			nl, nw := make([]any, len(l)), make([]float64, len(l))
			for i, k := range idx {
				nl[i], nw[i] = l[k], ws[k]
			}
			l, ws = nl, nw
		} else {
			sort.SliceStable(l, func(i, j int) bool { return compareValues(l[i], l[j]) < 0 })
		}
		var arr []any
		for pi, p := range s.ps {
			var v any
			if len(l) > 0 && ws != nil {
				// Weighted nearest rank: the first value whose cumulative weight
				// reaches p% of the total.
				total := 0.0
				for _, w := range ws {
					total += w
				}
				target := p / 100 * total
				cum := 0.0
				v = l[len(l)-1]
				for i, w := range ws {
					cum += w
					if cum >= target {
						v = l[i]
						break
					}
				}
			} else if len(l) > 0 {
				// Nearest rank, as Kusto's percentile returns an actual value of the set.
				r := int(math.Ceil(p/100*float64(len(l)))) - 1
				r = max(0, min(r, len(l)-1))
				v = l[r]
			}
			if s.arr {
				arr = append(arr, toDynamic(v))
			} else {
				outs[pi][g] = v
			}
		}
		if s.arr {
			if arr == nil {
				arr = []any{}
			}
			outs[0][g] = arr
		}
	}
	vs := make([]*table.Vector, k)
	for c := range outs {
		vs[c] = anyVector(outs[c])
	}
	return vs
}

type covState struct {
	cond, pop      bool
	n, mx, my, cxy []float64
}

func (s *covState) grow(ng int) {
	s.n, s.mx, s.my, s.cxy = growTo(s.n, ng), growTo(s.mx, ng), growTo(s.my, ng), growTo(s.cxy, ng)
}

func (s *covState) update(gids []int32, args []*table.Vector, n int) {
	s.grow(maxGid(gids, n))
	for i := 0; i < n; i++ {
		if s.cond && !truthy(args[2], i) {
			continue
		}
		x, ok1 := toFloat(at(args[0], i))
		y, ok2 := toFloat(at(args[1], i))
		if !ok1 || !ok2 {
			continue
		}
		g := gids[i]
		s.n[g]++
		dx := x - s.mx[g]
		s.mx[g] += dx / s.n[g]
		s.my[g] += (y - s.my[g]) / s.n[g]
		s.cxy[g] += dx * (y - s.my[g])
	}
}

func (s *covState) merge(o aggState, remap []int32) {
	os := o.(*covState)
	for g := range os.n {
		t := int(remap[g])
		s.grow(t + 1)
		na, nb := s.n[t], os.n[g]
		if nb == 0 {
			continue
		}
		nn := na + nb
		dx, dy := os.mx[g]-s.mx[t], os.my[g]-s.my[t]
		s.cxy[t] += os.cxy[g] + dx*dy*na*nb/nn
		s.mx[t] += dx * nb / nn
		s.my[t] += dy * nb / nn
		s.n[t] = nn
	}
}

func (s *covState) result(ng int) []*table.Vector {
	s.grow(ng)
	out := table.NewVector(table.TypeReal, ng)
	for g := 0; g < ng; g++ {
		switch {
		case s.n[g] == 0:
			_ = out.Append(nil)
		case s.pop:
			_ = out.Append(s.cxy[g] / s.n[g])
		case s.n[g] < 2:
			_ = out.Append(0.0)
		default:
			_ = out.Append(s.cxy[g] / (s.n[g] - 1))
		}
	}
	return []*table.Vector{out}
}

type bitState struct {
	kind string
	v    []int64
	seen []bool
}

func (s *bitState) update(gids []int32, args []*table.Vector, n int) {
	ng := maxGid(gids, n)
	s.v, s.seen = growTo(s.v, ng), growTo(s.seen, ng)
	for i := 0; i < n; i++ {
		f, ok := at(args[0], i).(int64)
		if !ok {
			if v, isInt := at(args[0], i).(int32); isInt {
				f, ok = int64(v), true
			}
		}
		if !ok {
			continue
		}
		s.fold(int(gids[i]), f)
	}
}

func (s *bitState) fold(g int, x int64) {
	if !s.seen[g] {
		s.v[g], s.seen[g] = x, true
		return
	}
	switch s.kind {
	case "and":
		s.v[g] &= x
	case "or":
		s.v[g] |= x
	default:
		s.v[g] ^= x
	}
}

func (s *bitState) merge(o aggState, remap []int32) {
	os := o.(*bitState)
	for g := range os.v {
		t := int(remap[g])
		s.v, s.seen = growTo(s.v, t+1), growTo(s.seen, t+1)
		if os.seen[g] {
			s.fold(t, os.v[g])
		}
	}
}

func (s *bitState) result(ng int) []*table.Vector {
	s.v, s.seen = growTo(s.v, ng), growTo(s.seen, ng)
	out := table.NewVector(table.TypeLong, ng)
	for g := 0; g < ng; g++ {
		if s.seen[g] {
			_ = out.Append(s.v[g])
		} else {
			_ = out.Append(nil)
		}
	}
	return []*table.Vector{out}
}
