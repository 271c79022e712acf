package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// pluginArgs binds plugin arguments: positional ones against the input row, named
// ones (name = value) kept apart.
func (q *query) pluginArgs(sc *scope, insch table.Schema, call *syntax.CallExpr) ([]expr, []syntax.Expr, error) {
	var xs []expr
	var raw []syntax.Expr
	for _, a := range call.Args {
		if _, ok := a.(*syntax.NamedArg); ok {
			continue
		}
		x, err := q.bindScalar(sc, &rowCtx{sch: insch}, a)
		if err != nil {
			return nil, nil, err
		}
		xs, raw = append(xs, x), append(raw, a)
	}
	return xs, raw, nil
}

// bindRowsNear is `evaluate rows_near(condition, before [, after])`: the rows within
// before/after rows of a row where condition holds, in input order.
func (q *query) bindRowsNear(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	xs, raw, err := q.pluginArgs(sc, insch, op.Plugin)
	if err != nil {
		return nil, err
	}
	if len(xs) < 2 {
		return nil, semErr(op.Plugin, "rows_near(condition, nBefore [, nAfter])")
	}
	before, err := q.constInt(sc, raw[1])
	if err != nil {
		return nil, err
	}
	after := before
	if len(raw) > 2 {
		if after, err = q.constInt(sc, raw[2]); err != nil {
			return nil, err
		}
	}
	return &funcNode{sch: insch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		b := tableBatch(t)
		c, err := xs[0].eval(q.newEval(), b)
		if err != nil {
			return nil, err
		}
		keep := make([]bool, b.n)
		for i := 0; i < b.n; i++ {
			if truthy(c, i) {
				for j := max(0, i-before); j <= min(b.n-1, i+after); j++ {
					keep[j] = true
				}
			}
		}
		var rows []int
		for i, k := range keep {
			if k {
				rows = append(rows, i)
			}
		}
		return batchToTable(insch, takeBatch(b, rows)), nil
	}}, nil
}

// constNumbers reads the plugin arguments at positions idx as constant numbers
// (datetimes and timespans as their ticks); msg is the error for one that is not.
func constNumbers(xs []expr, raw []syntax.Expr, idx []int, msg string) ([]float64, error) {
	out := make([]float64, len(idx))
	for i, k := range idx {
		c, ok := xs[k].(*constExpr)
		if !ok {
			return nil, semErr(raw[k], "%s", msg)
		}
		f, isNum := toFloat(c.value())
		if !isNum {
			return nil, semErr(raw[k], "%s", msg)
		}
		out[i] = f
	}
	return out, nil
}

// bindSlidingWindowCounts is `evaluate sliding_window_counts(Id, Time, Start, End,
// Lookback, Bin [, dims...])`: per bin from Start to End, the count and distinct count
// of ids in the lookback window ending with the bin.
func (q *query) bindSlidingWindowCounts(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	xs, raw, err := q.pluginArgs(sc, insch, op.Plugin)
	if err != nil {
		return nil, err
	}
	if len(xs) < 6 {
		return nil, semErr(op.Plugin, "sliding_window_counts(IdColumn, TimelineColumn, Start, End, LookbackWindow, Bin [, dim...])")
	}
	consts, err := constNumbers(xs, raw, []int{2, 3, 4, 5}, "sliding_window_counts: start, end, lookback and bin must be constants")
	if err != nil {
		return nil, err
	}
	start, end, lookback, bin := consts[0], consts[1], consts[2], consts[3]
	if bin <= 0 {
		return nil, semErr(raw[5], "sliding_window_counts: bin must be positive")
	}
	dims := xs[6:]
	timeName := exprName(raw[1])
	sch := table.Schema{{Name: timeName, Type: xs[1].typ()}}
	for i, d := range dims {
		sch = append(sch, table.ColumnSchema{Name: exprName(raw[6+i]), Type: d.typ()})
	}
	sch = append(sch, table.ColumnSchema{Name: "Count", Type: table.TypeLong}, table.ColumnSchema{Name: "Dcount", Type: table.TypeLong})
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		b := tableBatch(t)
		ec := q.newEval()
		vals := make([]*table.Vector, len(xs))
		for i, x := range xs {
			if vals[i], err = x.eval(ec, b); err != nil {
				return nil, err
			}
		}
		type group struct {
			dims []any
			ts   []float64
			ids  []string
		}
		var order []*group
		groups := map[string]*group{}
		var buf []byte
		for r := 0; r < b.n; r++ {
			ts, ok := toFloat(at(vals[1], r))
			if !ok {
				continue
			}
			buf = buf[:0]
			var dv []any
			for i := range dims {
				x := at(vals[6+i], r)
				dv = append(dv, x)
				buf = appendKey(buf, x)
			}
			g := groups[string(buf)]
			if g == nil {
				g = &group{dims: dv}
				groups[string(buf)] = g
				order = append(order, g)
			}
			g.ts = append(g.ts, ts)
			g.ids = append(g.ids, string(appendKey(nil, at(vals[0], r))))
		}
		out := table.New("", sch)
		for _, g := range order {
			for bs := start; bs <= end; bs += bin {
				lo, hi := bs+bin-lookback, bs+bin
				var count int64
				distinct := map[string]struct{}{}
				for i, ts := range g.ts {
					if ts >= lo && ts < hi {
						count++
						distinct[g.ids[i]] = struct{}{}
					}
				}
				row := []any{fromDyn(int64(bs), xs[1].typ())}
				row = append(row, g.dims...)
				row = append(row, count, int64(len(distinct)))
				if err := out.AppendRow(row...); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}}, nil
}

// bindRollingPercentile is `evaluate rolling_percentile(Value, Percentile, Index,
// BinSize, BinsCount [, dims...])`: per bin (and dims), the percentile of the values in
// the last BinsCount bins.
func (q *query) bindRollingPercentile(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	xs, raw, err := q.pluginArgs(sc, insch, op.Plugin)
	if err != nil {
		return nil, err
	}
	if len(xs) < 5 {
		return nil, semErr(op.Plugin, "rolling_percentile(ValueColumn, Percentile, IndexColumn, BinSize, BinsCount [, dim...])")
	}
	pc, ok1 := xs[1].(*constExpr)
	bc, ok2 := xs[3].(*constExpr)
	p, okp := toFloat(pc.value())
	binSize, okb := toFloat(bc.value())
	nbins, err := q.constInt(sc, raw[4])
	if !ok1 || !ok2 || !okp || !okb || err != nil || binSize <= 0 {
		return nil, semErr(op.Plugin, "rolling_percentile: percentile, bin size and bins count must be constants")
	}
	dims := xs[5:]
	idxType := xs[2].typ()
	sch := table.Schema{{Name: exprName(raw[2]), Type: idxType}}
	for i, d := range dims {
		sch = append(sch, table.ColumnSchema{Name: exprName(raw[5+i]), Type: d.typ()})
	}
	pl := fmt.Sprint(p)
	if l, ok := raw[1].(*syntax.Literal); ok {
		pl = l.Raw
	}
	vt := xs[0].typ()
	if vt == table.TypeInt {
		vt = table.TypeLong
	}
	sch = append(sch, table.ColumnSchema{Name: fmt.Sprintf("rolling_%d_percentile_%s_%s", nbins, exprName(raw[0]), strings.ReplaceAll(pl, ".", "_")), Type: vt})
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		b := tableBatch(t)
		ec := q.newEval()
		vals := make([]*table.Vector, len(xs))
		for i, x := range xs {
			if vals[i], err = x.eval(ec, b); err != nil {
				return nil, err
			}
		}
		type group struct {
			dims []any
			bins map[int64][]any
		}
		var order []*group
		groups := map[string]*group{}
		minBin, maxBin := int64(math.MaxInt64), int64(math.MinInt64)
		var buf []byte
		for r := 0; r < b.n; r++ {
			ix, ok := toFloat(at(vals[2], r))
			v := at(vals[0], r)
			if !ok || v == nil {
				continue
			}
			if x, isInt := v.(int32); isInt {
				v = int64(x)
			}
			bin := int64(math.Floor(ix / binSize))
			minBin, maxBin = min(minBin, bin), max(maxBin, bin)
			buf = buf[:0]
			var dv []any
			for i := range dims {
				x := at(vals[5+i], r)
				dv = append(dv, x)
				buf = appendKey(buf, x)
			}
			g := groups[string(buf)]
			if g == nil {
				g = &group{dims: dv, bins: map[int64][]any{}}
				groups[string(buf)] = g
				order = append(order, g)
			}
			g.bins[bin] = append(g.bins[bin], v)
		}
		out := table.New("", sch)
		for bin := minBin; bin <= maxBin && len(order) > 0; bin++ {
			for _, g := range order {
				var window []any
				for k := bin - int64(nbins) + 1; k <= bin; k++ {
					window = append(window, g.bins[k]...)
				}
				var pv any
				if len(window) > 0 {
					sort.SliceStable(window, func(i, j int) bool { return compareValues(window[i], window[j]) < 0 })
					r := int(math.Ceil(p/100*float64(len(window)))) - 1
					pv = window[max(0, min(r, len(window)-1))]
				}
				row := []any{fromDyn(int64(float64(bin)*binSize), idxType)}
				if idxType == table.TypeReal {
					row[0] = float64(bin) * binSize
				}
				row = append(row, g.dims...)
				row = append(row, convertValue(pv, vt))
				if err := out.AppendRow(row...); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}}, nil
}

// bindActiveUsersCount is `evaluate active_users_count(Id, Time, Start, End, Lookback,
// Period, ActivePeriodsCount, Bin [, dims...])`: per bin, the distinct ids seen in the bin
// at a time when they had appeared in at least ActivePeriodsCount distinct periods of
// the lookback window ending then. Bins with no active id are left out.
func (q *query) bindActiveUsersCount(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	xs, raw, err := q.pluginArgs(sc, insch, op.Plugin)
	if err != nil {
		return nil, err
	}
	if len(xs) < 8 {
		return nil, semErr(op.Plugin, "active_users_count(IdColumn, TimelineColumn, Start, End, LookbackWindow, Period, ActivePeriodsCount, Bin [, dim...])")
	}
	c, err := constNumbers(xs, raw, []int{2, 3, 4, 5, 6, 7}, "active_users_count: arguments 3 to 8 must be constants")
	if err != nil {
		return nil, err
	}
	start, end, lookback, period, activeN, bin := c[0], c[1], c[2], c[3], c[4], c[5]
	if bin <= 0 || period <= 0 {
		return nil, semErr(op.Plugin, "active_users_count: period and bin must be positive")
	}
	dims := xs[8:]
	sch := table.Schema{{Name: exprName(raw[1]), Type: xs[1].typ()}}
	for i, d := range dims {
		sch = append(sch, table.ColumnSchema{Name: exprName(raw[8+i]), Type: d.typ()})
	}
	sch = append(sch, table.ColumnSchema{Name: "dcount", Type: table.TypeLong})
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		b := tableBatch(t)
		ec := q.newEval()
		vals := make([]*table.Vector, len(xs))
		for i, x := range xs {
			if vals[i], err = x.eval(ec, b); err != nil {
				return nil, err
			}
		}
		type user struct{ ts []float64 }
		type group struct {
			dims  []any
			users map[string]*user
			order []string
		}
		var gorder []*group
		groups := map[string]*group{}
		var buf []byte
		for r := 0; r < b.n; r++ {
			ts, ok := toFloat(at(vals[1], r))
			if !ok {
				continue
			}
			buf = buf[:0]
			var dv []any
			for i := range dims {
				x := at(vals[8+i], r)
				dv = append(dv, x)
				buf = appendKey(buf, x)
			}
			g := groups[string(buf)]
			if g == nil {
				g = &group{dims: dv, users: map[string]*user{}}
				groups[string(buf)] = g
				gorder = append(gorder, g)
			}
			id := string(appendKey(nil, at(vals[0], r)))
			u := g.users[id]
			if u == nil {
				u = &user{}
				g.users[id] = u
				g.order = append(g.order, id)
			}
			u.ts = append(u.ts, ts)
		}
		out := table.New("", sch)
		for _, g := range gorder {
			for bs := start; bs <= end; bs += bin {
				var n int64
				for _, id := range g.order {
					u := g.users[id]
					active := false
					for _, t0 := range u.ts {
						if t0 < bs || t0 >= bs+bin || t0 > end+bin {
							continue
						}
						periods := map[int64]struct{}{}
						for _, t1 := range u.ts {
							if t1 > t0-lookback && t1 <= t0 {
								periods[int64(math.Floor(t1/period))] = struct{}{}
							}
						}
						if float64(len(periods)) >= activeN {
							active = true
							break
						}
					}
					if active {
						n++
					}
				}
				if n == 0 {
					continue
				}
				row := []any{fromDyn(int64(bs), xs[1].typ())}
				row = append(row, g.dims...)
				row = append(row, n)
				if err := out.AppendRow(row...); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}}, nil
}

// bindSessionCount is `evaluate session_count(Id, Time, Start, End, Bin, LookBack
// [, dims...])`: per bin, the sessions that start in it; an id's appearance starts a new
// session unless the id appeared less than LookBack before.
func (q *query) bindSessionCount(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	insch := in.schema()
	xs, raw, err := q.pluginArgs(sc, insch, op.Plugin)
	if err != nil {
		return nil, err
	}
	if len(xs) < 6 {
		return nil, semErr(op.Plugin, "session_count(IdColumn, TimelineColumn, Start, End, Bin, LookBackWindow [, dim...])")
	}
	c, err := constNumbers(xs, raw, []int{2, 3, 4, 5}, "session_count: start, end, bin and lookback must be constants")
	if err != nil {
		return nil, err
	}
	start, end, bin, lookback := c[0], c[1], c[2], c[3]
	if bin <= 0 {
		return nil, semErr(raw[4], "session_count: bin must be positive")
	}
	dims := xs[6:]
	tt := xs[1].typ()
	sch := table.Schema{{Name: exprName(raw[1]), Type: tt}}
	for i, d := range dims {
		sch = append(sch, table.ColumnSchema{Name: exprName(raw[6+i]), Type: d.typ()})
	}
	sch = append(sch, table.ColumnSchema{Name: "count_sessions", Type: table.TypeLong})
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		b := tableBatch(t)
		ec := q.newEval()
		vals := make([]*table.Vector, len(xs))
		for i, x := range xs {
			if vals[i], err = x.eval(ec, b); err != nil {
				return nil, err
			}
		}
		type row struct {
			t  float64
			id string
		}
		type group struct {
			dims []any
			rows []row
		}
		var gorder []*group
		groups := map[string]*group{}
		var buf []byte
		for r := 0; r < b.n; r++ {
			ts, ok := toFloat(at(vals[1], r))
			if !ok {
				continue
			}
			buf = buf[:0]
			var dv []any
			for i := range dims {
				x := at(vals[6+i], r)
				dv = append(dv, x)
				buf = appendKey(buf, x)
			}
			g := groups[string(buf)]
			if g == nil {
				g = &group{dims: dv}
				groups[string(buf)] = g
				gorder = append(gorder, g)
			}
			g.rows = append(g.rows, row{ts, string(appendKey(nil, at(vals[0], r)))})
		}
		out := table.New("", sch)
		first := math.Floor(start/bin) * bin
		for _, g := range gorder {
			sort.SliceStable(g.rows, func(i, j int) bool { return g.rows[i].t < g.rows[j].t })
			counts := map[int64]int64{}
			last := map[string]float64{}
			for _, r := range g.rows {
				p, seen := last[r.id]
				last[r.id] = r.t
				if seen && r.t-p < lookback {
					continue
				}
				if r.t < start || r.t > end {
					continue
				}
				counts[int64(math.Floor(r.t/bin))]++
			}
			for bs := first; bs < end; bs += bin {
				var label any = fromDyn(int64(bs), tt)
				if tt == table.TypeReal {
					label = bs
				}
				rw := append([]any{label}, g.dims...)
				rw = append(rw, counts[int64(math.Floor(bs/bin))])
				if err := out.AppendRow(rw...); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}}, nil
}
