package engine

import (
	"fmt"
	"strings"

	"github.com/kqlkernel/kqlkernel/engine/fn"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// bindGeoLookup is `evaluate geo_polygon_lookup(T, polygonCol, lon, lat [, radius]
// [, return_unmatched] [, return_lookup_key])` and geo_line_lookup (radius required):
// each row joined with the lookup rows whose shape holds the point (or lies within
// radius meters). The geometry comes from engine/fn's geo functions.
func (q *query) bindGeoLookup(sc *scope, in node, op *syntax.EvaluateOp, line bool) (node, error) {
	name := strings.ToLower(op.Plugin.Fun.Name)
	var pos []syntax.Expr
	named := map[string]syntax.Expr{}
	for _, a := range op.Plugin.Args {
		if na, ok := a.(*syntax.NamedArg); ok {
			named[strings.ToLower(na.Name.Name)] = na.Value
			continue
		}
		pos = append(pos, a)
	}
	if len(pos) < 4 || (line && len(pos) < 5 && named["radius"] == nil) {
		return nil, semErr(op.Plugin, "%s(LookupTable, ShapeColumn, Longitude, Latitude%s)", name, map[bool]string{true: ", radius", false: " [, radius]"}[line])
	}
	lookup, err := q.bindTab(sc, pos[0])
	if err != nil {
		return nil, err
	}
	insch, lsch := in.schema(), lookup.schema()
	keyID, ok := pos[1].(*syntax.Ident)
	if !ok || findCol(lsch, keyID.Name) < 0 {
		return nil, semErr(pos[1], "%s: the second argument must be a column of the lookup table", name)
	}
	keyIdx := findCol(lsch, keyID.Name)
	rc := &rowCtx{sch: insch}
	lon, err := q.bindScalar(sc, rc, pos[2])
	if err != nil {
		return nil, err
	}
	lat, err := q.bindScalar(sc, rc, pos[3])
	if err != nil {
		return nil, err
	}
	constOf := func(e syntax.Expr) (any, error) {
		if e == nil {
			return nil, nil
		}
		x, err := q.bindScalar(sc, &rowCtx{}, e)
		if err != nil {
			return nil, err
		}
		c, ok := x.(*constExpr)
		if !ok {
			return nil, semErr(e, "%s: options must be constants", name)
		}
		return c.value(), nil
	}
	radiusE := named["radius"]
	if len(pos) > 4 {
		radiusE = pos[4]
	}
	radius, err := constOf(radiusE)
	if err != nil {
		return nil, err
	}
	um, err := constOf(named["return_unmatched"])
	if err != nil {
		return nil, err
	}
	rk, err := constOf(named["return_lookup_key"])
	if err != nil {
		return nil, err
	}
	unmatched, _ := um.(bool)
	withKey, _ := rk.(bool)
	// The predicate: inside the polygon, or within radius meters of the shape.
	var f *fn.Func
	fname := "geo_point_in_polygon"
	if line {
		fname = "geo_distance_point_to_line"
	} else if radius != nil {
		fname = "geo_distance_point_to_polygon"
	}
	f, ok = q.funcs.Lookup(fname)
	if !ok {
		return nil, unsupported(op.Plugin, fmt.Sprintf("%s (needs %s)", name, fname))
	}
	typ, impl, err := f.Bind([]fn.Arg{{Type: lon.typ()}, {Type: lat.typ()}, {Type: table.TypeDynamic}})
	if err != nil {
		return nil, semErr(op.Plugin, "%v", err)
	}
	rad, _ := toFloat(radius)
	var lcols []int
	sch := append(table.Schema{}, insch...)
	nm := newNamer()
	for _, c := range insch {
		nm.used[c.Name] = true
	}
	for i, c := range lsch {
		if i == keyIdx && !withKey {
			continue
		}
		lcols = append(lcols, i)
		sch = append(sch, table.ColumnSchema{Name: nm.unique(c.Name), Type: c.Type})
	}
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		it, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		lt, err := q.materialize(lookup)
		if err != nil {
			return nil, err
		}
		b := tableBatch(it)
		ec := q.newEval()
		lonV, err := lon.eval(ec, b)
		if err != nil {
			return nil, err
		}
		latV, err := lat.eval(ec, b)
		if err != nil {
			return nil, err
		}
		matches := make([][]int, b.n)
		for r := 0; r < lt.Rows(); r++ {
			if err := q.ctx.Err(); err != nil {
				return nil, err
			}
			shape := table.ConstVector(table.TypeDynamic, lt.Columns[keyIdx].Data.At(r))
			v, err := impl(ec.fctx, []*table.Vector{lonV, latV, shape}, b.n)
			if err != nil {
				return nil, err
			}
			for i := 0; i < b.n; i++ {
				x := at(v, i)
				hit := false
				switch typ {
				case table.TypeBool:
					hit, _ = x.(bool)
				default:
					if d, ok := toFloat(x); ok {
						hit = d <= rad
					}
				}
				if hit {
					matches[i] = append(matches[i], r)
				}
			}
		}
		var li, ri []int
		for i, m := range matches {
			for _, r := range m {
				li, ri = append(li, i), append(ri, r)
			}
			if len(m) == 0 && unmatched {
				li, ri = append(li, i), append(ri, -1)
			}
		}
		out := &table.Table{}
		for c, col := range it.Columns {
			out.Columns = append(out.Columns, table.Column{Name: sch[c].Name, Type: col.Type, Data: takeNullable(col.Data, li)})
		}
		for k, c := range lcols {
			col := lt.Columns[c]
			out.Columns = append(out.Columns, table.Column{Name: sch[len(it.Columns)+k].Name, Type: col.Type, Data: takeNullable(col.Data, ri)})
		}
		return out, nil
	}}, nil
}
