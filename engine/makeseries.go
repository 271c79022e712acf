package engine

import (
	"math"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

const seriesBinCol = "__kql_series_bin"

// bindMakeSeries runs make-series as a summarize by (keys, bin index) over the rows in
// [from, to), then folds each key's bins into arrays filled with the defaults.
func (q *query) bindMakeSeries(sc *scope, in node, op *syntax.MakeSeriesOp) (node, error) {
	insch := in.schema()
	rc := &rowCtx{sch: insch}
	axis, err := q.bindScalar(sc, rc, op.On)
	if err != nil {
		return nil, err
	}
	fromE, toE, stepE := op.From, op.To, op.Step
	if op.Range != nil {
		if len(op.Range.Args) != 3 {
			return nil, semErr(op.Range, "range() takes start, stop and step")
		}
		fromE, toE, stepE = op.Range.Args[0], op.Range.Args[1], op.Range.Args[2]
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
			return nil, semErr(e, "make-series: from, to and step must be constants")
		}
		return c.value(), nil
	}
	fromV, err := constOf(fromE)
	if err != nil {
		return nil, err
	}
	toV, err := constOf(toE)
	if err != nil {
		return nil, err
	}
	stepV, err := constOf(stepE)
	if err != nil {
		return nil, err
	}
	if stepV == nil {
		return nil, semErr(op, "make-series needs a step")
	}
	step, _ := toFloat(stepV)
	if step <= 0 {
		return nil, semErr(stepE, "make-series: step must be positive")
	}
	nonempty := false
	for _, o := range op.Options {
		if strings.EqualFold(o.Name, "kind") {
			if id, ok := o.Value.(*syntax.Ident); ok && strings.EqualFold(id.Name, "nonempty") {
				nonempty = true
			}
		}
	}
	// The input with a bin-index column, filtered to [from, to) at run time.
	binSch := append(append(table.Schema{}, insch...), table.ColumnSchema{Name: seriesBinCol, Type: table.TypeLong})
	var from, to float64
	var nbins int
	binned := &funcNode{sch: binSch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		b := tableBatch(t)
		av, err := axis.eval(q.newEval(), b)
		if err != nil {
			return nil, err
		}
		vals := make([]float64, b.n)
		ok := make([]bool, b.n)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < b.n; i++ {
			vals[i], ok[i] = toFloat(at(av, i))
			if ok[i] {
				lo, hi = math.Min(lo, vals[i]), math.Max(hi, vals[i])
			}
		}
		from, to = lo, hi
		if fromV != nil {
			from, _ = toFloat(fromV)
		} else if !math.IsInf(lo, 1) {
			from = math.Floor(lo/step) * step
		}
		if toV != nil {
			to, _ = toFloat(toV)
		} else if !math.IsInf(hi, -1) {
			to = math.Floor(hi/step)*step + step
		}
		nbins = 0
		if !math.IsInf(from, 0) && !math.IsInf(to, 0) && to > from {
			nbins = int(math.Ceil((to - from) / step))
		}
		var rows []int
		bins := table.NewVector(table.TypeLong, b.n)
		for i := 0; i < b.n; i++ {
			if !ok[i] || vals[i] < from || vals[i] >= to {
				continue
			}
			rows = append(rows, i)
			bins.Ints = append(bins.Ints, int64(math.Floor((vals[i]-from)/step)))
		}
		nb := takeBatch(b, rows)
		nb.cols = append(nb.cols, bins)
		return batchToTable(binSch, nb), nil
	}}
	by := append([]*syntax.Column{}, op.By...)
	by = append(by, &syntax.Column{Span: op.Span, X: &syntax.Ident{Span: op.Span, Name: seriesBinCol}})
	var aggs []*syntax.Column
	var defaults []any
	for _, a := range op.Aggs {
		aggs = append(aggs, a.Col)
		d, err := constOf(a.Default)
		if err != nil {
			return nil, err
		}
		defaults = append(defaults, d)
	}
	sn, err := q.bindSummarize(sc, binned, aggs, by, op)
	if err != nil {
		return nil, err
	}
	ssch := sn.schema()
	nkeys := len(op.By)
	axisName := exprName(op.On)
	if axisName == "" {
		axisName = "Column1"
	}
	var sch table.Schema
	sch = append(sch, ssch[:nkeys]...)
	for _, c := range ssch[nkeys+1:] {
		sch = append(sch, table.ColumnSchema{Name: c.Name, Type: table.TypeDynamic})
	}
	sch = append(sch, table.ColumnSchema{Name: axisName, Type: table.TypeDynamic})
	naggs := len(ssch) - nkeys - 1
	axisType := axis.typ()
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		st, err := sn.run(q)
		if err != nil {
			return nil, err
		}
		out := table.New("", sch)
		type series struct {
			keys []any
			vals [][]any
		}
		var order []*series
		byKey := map[string]*series{}
		newSeries := func(keys []any) *series {
			s := &series{keys: keys, vals: make([][]any, naggs)}
			for a := range s.vals {
				s.vals[a] = make([]any, nbins)
				d := defaults[a]
				if d == nil {
					d = int64(0)
				}
				for i := range s.vals[a] {
					s.vals[a][i] = toDynamic(d)
				}
			}
			return s
		}
		var buf []byte
		for r := 0; r < st.Rows(); r++ {
			buf = buf[:0]
			keys := make([]any, nkeys)
			for k := 0; k < nkeys; k++ {
				keys[k] = st.Columns[k].Data.At(r)
				buf = appendKey(buf, keys[k])
			}
			s := byKey[string(buf)]
			if s == nil {
				s = newSeries(keys)
				byKey[string(buf)] = s
				order = append(order, s)
			}
			bin, _ := st.Columns[nkeys].Data.At(r).(int64)
			if int(bin) >= nbins || bin < 0 {
				continue
			}
			for a := 0; a < naggs; a++ {
				s.vals[a][bin] = toDynamic(st.Columns[nkeys+1+a].Data.At(r))
			}
		}
		if len(order) == 0 && nonempty && nkeys == 0 {
			order = append(order, newSeries(nil))
		}
		axisVals := make([]any, nbins)
		for i := range axisVals {
			x := from + float64(i)*step
			switch axisType {
			case table.TypeDateTime:
				axisVals[i] = table.DateTime(int64(math.Round(x)))
			case table.TypeTimeSpan:
				axisVals[i] = table.TimeSpan(int64(math.Round(x)))
			case table.TypeReal:
				axisVals[i] = x
			default:
				axisVals[i] = int64(math.Round(x))
			}
		}
		for _, s := range order {
			row := append([]any{}, s.keys...)
			for a := 0; a < naggs; a++ {
				row = append(row, s.vals[a])
			}
			row = append(row, append([]any{}, axisVals...))
			if err := out.AppendRow(row...); err != nil {
				return nil, err
			}
		}
		return out, nil
	}}, nil
}
