package engine

import (
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// windowInfo records that an expression used a row-order function, so the operator runs
// over the whole (serialized) input at once.
type windowInfo struct {
	used bool
}

func (q *query) bindWindow(sc *scope, rc *rowCtx, e *syntax.CallExpr, name string) (expr, error) {
	if rc.window == nil {
		return nil, semErr(e, "%s() needs a serialized row set: use it in extend or serialize after sort/serialize", name)
	}
	rc.window.used = true
	var args []expr
	for _, a := range e.Args {
		x, err := q.bindScalar(sc, rc, a)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	evalArgs := func(ec *evalCtx, b *batch) ([]*table.Vector, error) {
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
	switch name {
	case "row_number":
		return &funcExpr{t: table.TypeLong, allCols: true, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
			vs, err := evalArgs(ec, b)
			if err != nil {
				return nil, err
			}
			start := int64(1)
			if len(vs) > 0 {
				if f, ok := toFloat(at(vs[0], 0)); ok {
					start = int64(f)
				}
			}
			out := table.NewVector(table.TypeLong, b.n)
			cur := start
			for i := 0; i < b.n; i++ {
				if len(vs) > 1 && truthy(vs[1], i) {
					cur = start
				}
				out.Ints = append(out.Ints, cur)
				cur++
			}
			return out, nil
		}}, nil
	case "prev", "next":
		if len(args) < 1 {
			return nil, semErr(e, "%s() needs a column", name)
		}
		t := args[0].typ()
		return &funcExpr{t: t, allCols: true, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
			vs, err := evalArgs(ec, b)
			if err != nil {
				return nil, err
			}
			off := 1
			if len(vs) > 1 {
				if f, ok := toFloat(at(vs[1], 0)); ok {
					off = int(f)
				}
			}
			if name == "next" {
				off = -off
			}
			out := table.NewVector(t, b.n)
			for i := 0; i < b.n; i++ {
				j := i - off
				if j < 0 || j >= b.n {
					var d any
					if len(vs) > 2 {
						d = convertValue(at(vs[2], i), t)
					}
					_ = out.Append(d)
					continue
				}
				_ = out.Append(at(vs[0], j))
			}
			return out, nil
		}}, nil
	case "row_cumsum":
		if len(args) < 1 {
			return nil, semErr(e, "row_cumsum() needs a value")
		}
		t := args[0].typ()
		if t == table.TypeInt {
			t = table.TypeLong
		}
		return &funcExpr{t: t, allCols: true, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
			vs, err := evalArgs(ec, b)
			if err != nil {
				return nil, err
			}
			out := table.NewVector(t, b.n)
			var si int64
			var sf float64
			for i := 0; i < b.n; i++ {
				if len(vs) > 1 && truthy(vs[1], i) {
					si, sf = 0, 0
				}
				x := at(vs[0], i)
				if f, ok := toFloat(x); ok {
					sf += f
					si += intOf(x)
					if _, isF := x.(float64); isF {
						si = int64(sf)
					}
				}
				switch t {
				case table.TypeReal:
					_ = out.Append(sf)
				case table.TypeTimeSpan:
					_ = out.Append(table.TimeSpan(si))
				default:
					_ = out.Append(si)
				}
			}
			return out, nil
		}}, nil
	case "row_window_session":
		if len(args) < 3 {
			return nil, semErr(e, "row_window_session(expr, maxFromFirst, maxBetweenNeighbors [, restart])")
		}
		t := args[0].typ()
		return &funcExpr{t: t, allCols: true, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
			vs, err := evalArgs(ec, b)
			if err != nil {
				return nil, err
			}
			out := table.NewVector(t, b.n)
			var start, prev float64
			var startV any
			have := false
			for i := 0; i < b.n; i++ {
				x := at(vs[0], i)
				f, ok := toFloat(x)
				if !ok {
					_ = out.Append(nil)
					continue
				}
				maxFirst, _ := toFloat(at(vs[1], i))
				maxNeighbor, _ := toFloat(at(vs[2], i))
				restart := len(vs) > 3 && truthy(vs[3], i)
				if !have || restart || f-start > maxFirst || f-prev > maxNeighbor {
					start, startV, have = f, x, true
				}
				prev = f
				_ = out.Append(startV)
			}
			return out, nil
		}}, nil
	case "row_rank_min", "row_rank_dense", "row_rank":
		if len(args) < 1 {
			return nil, semErr(e, "%s() needs a value", name)
		}
		return &funcExpr{t: table.TypeLong, allCols: true, f: func(ec *evalCtx, b *batch) (*table.Vector, error) {
			vs, err := evalArgs(ec, b)
			if err != nil {
				return nil, err
			}
			out := table.NewVector(table.TypeLong, b.n)
			var rank, dense int64
			start := 0
			for i := 0; i < b.n; i++ {
				restart := len(vs) > 1 && truthy(vs[1], i)
				if i == 0 || restart {
					rank, dense, start = 1, 1, i
				} else if compareValues(at(vs[0], i), at(vs[0], i-1)) != 0 {
					rank = int64(i-start) + 1
					dense++
				}
				if name == "row_rank_min" {
					out.Ints = append(out.Ints, rank)
				} else {
					out.Ints = append(out.Ints, dense)
				}
			}
			return out, nil
		}}, nil
	}
	return nil, unsupported(e, name+"()")
}
