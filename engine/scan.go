package engine

import (
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// The scan operator: a row-by-row state machine over the (serialized) input, following
// the documented match logic. Each step's state holds, for the sequence in progress, the
// extended record that matched every step so far. Expressions see the current record's
// columns, the declared columns (the state's current values) and StepName.Column for
// the records in the state.

type scanStep struct {
	name    string
	output  string
	cond    expr
	assigns []expr
	targets []int // declared column index of each assignment
}

type scanState struct {
	active bool
	recs   [][]any // recs[j]: extended record (input + declared) that matched step j
	decl   []any
	id     int64
}

func (q *query) bindScan(sc *scope, in node, op *syntax.ScanOp) (node, error) {
	insch := in.schema()
	matchID := ""
	for _, o := range op.Options {
		if strings.EqualFold(o.Name, "with_match_id") {
			if id, ok := o.Value.(*syntax.Ident); ok {
				matchID = id.Name
			}
		}
	}
	var decl table.Schema
	var defaults []any
	for _, p := range op.Declare {
		t := table.TypeString
		if p.Type != nil && p.Type.Scalar != "" {
			tt, ok := table.ParseType(string(p.Type.Scalar))
			if !ok {
				return nil, semErr(p, "unknown type '%s'", p.Type.Scalar)
			}
			t = tt
		}
		var dv any
		if p.Default != nil {
			x, err := q.bindScalar(sc, &rowCtx{}, p.Default)
			if err != nil {
				return nil, err
			}
			c, ok := x.(*constExpr)
			if !ok {
				return nil, semErr(p.Default, "scan: declared defaults must be constants")
			}
			dv = convertValue(c.value(), t)
		}
		decl = append(decl, table.ColumnSchema{Name: p.Name.Name, Type: t})
		defaults = append(defaults, dv)
	}
	rec := append(append(table.Schema{}, insch...), decl...)
	env := append(table.Schema{}, rec...)
	for _, st := range op.Steps {
		for _, c := range rec {
			env = append(env, table.ColumnSchema{Name: st.Name.Name + "." + c.Name, Type: c.Type})
		}
	}
	rc := &rowCtx{sch: env}
	var steps []*scanStep
	for _, st := range op.Steps {
		s := &scanStep{name: st.Name.Name, output: strings.ToLower(st.Output)}
		if st.Cond == nil {
			return nil, semErr(st, "scan step needs a condition")
		}
		cond, err := q.bindScalar(sc, rc, st.Cond)
		if err != nil {
			return nil, err
		}
		s.cond = cond
		for _, a := range st.Assigns {
			if len(a.Names) != 1 {
				return nil, semErr(a, "scan: an assignment needs one declared column")
			}
			ti := findCol(decl, a.Names[0].Name)
			if ti < 0 {
				return nil, semErr(a.Names[0], "scan: '%s' is not a declared column", a.Names[0].Name)
			}
			x, err := q.bindScalar(sc, rc, a.X)
			if err != nil {
				return nil, err
			}
			s.assigns = append(s.assigns, x)
			s.targets = append(s.targets, ti)
		}
		steps = append(steps, s)
	}
	out := append(table.Schema{}, rec...)
	if matchID != "" {
		out = append(out, table.ColumnSchema{Name: matchID, Type: table.TypeLong})
	}
	nin, ndecl := len(insch), len(decl)
	return &funcNode{sch: out, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		res := table.New("", out)
		states := make([]scanState, len(steps))
		var nextID int64
		ec := q.newEval()
		// envBatch builds the one-row batch expressions see.
		envBatch := func(row []any, st *scanState) *batch {
			b := &batch{n: 1, cols: make([]*table.Vector, len(env))}
			for i := 0; i < nin; i++ {
				b.cols[i] = table.ConstVector(env[i].Type, row[i])
			}
			for i := 0; i < ndecl; i++ {
				var v any = defaults[i]
				if st != nil && st.active {
					v = st.decl[i]
				}
				b.cols[nin+i] = table.ConstVector(env[nin+i].Type, v)
			}
			k := nin + ndecl
			for j := range steps {
				for c := 0; c < nin+ndecl; c++ {
					var v any
					if c >= nin {
						v = defaults[c-nin]
					}
					if st != nil && st.active && j < len(st.recs) && st.recs[j] != nil {
						v = st.recs[j][c]
					}
					b.cols[k] = table.ConstVector(env[k].Type, v)
					k++
				}
			}
			return b
		}
		extend := func(s *scanStep, b *batch, row []any, base []any) ([]any, error) {
			ext := append([]any{}, row[:nin]...)
			d := append([]any{}, base...)
			for i, a := range s.assigns {
				v, err := a.eval(ec, b)
				if err != nil {
					return nil, err
				}
				d[s.targets[i]] = convertValue(v.At(0), decl[s.targets[i]].Type)
			}
			return append(ext, d...), nil
		}
		emit := func(s *scanStep, ext []any, id int64) error {
			if s.output == "none" {
				return nil
			}
			r := append([]any{}, ext...)
			if matchID != "" {
				r = append(r, id)
			}
			return res.AppendRow(r...)
		}
		rows := t.Rows()
		for r := 0; r < rows; r++ {
			if r%4096 == 0 && q.ctx.Err() != nil {
				return nil, q.ctx.Err()
			}
			row := make([]any, nin)
			for i := 0; i < nin; i++ {
				row[i] = t.Columns[i].Data.At(r)
			}
			for si := len(steps) - 1; si >= 0; si-- {
				s := steps[si]
				matched := false
				if si > 0 && states[si-1].active {
					prev := &states[si-1]
					b := envBatch(row, prev)
					c, err := s.cond.eval(ec, b)
					if err != nil {
						return nil, err
					}
					if truthy(c, 0) {
						ext, err := extend(s, b, row, prev.decl)
						if err != nil {
							return nil, err
						}
						recs := append(append([][]any{}, prev.recs[:si]...), ext)
						states[si] = scanState{active: true, recs: recs, decl: ext[nin:], id: prev.id}
						*prev = scanState{}
						if err := emit(s, ext, states[si].id); err != nil {
							return nil, err
						}
						matched = true
					}
				}
				if matched || !(states[si].active || si == 0) {
					continue
				}
				cur := &states[si]
				b := envBatch(row, cur)
				c, err := s.cond.eval(ec, b)
				if err != nil {
					return nil, err
				}
				if !truthy(c, 0) {
					continue
				}
				base := defaults
				if cur.active {
					base = cur.decl
				}
				ext, err := extend(s, b, row, base)
				if err != nil {
					return nil, err
				}
				id := cur.id
				if si == 0 && !cur.active {
					// A match of the first step with no sequence in progress starts one.
					id = nextID
					nextID++
				}
				recs := make([][]any, si+1)
				if cur.active {
					copy(recs, cur.recs)
				}
				recs[si] = ext
				*cur = scanState{active: true, recs: recs, decl: ext[nin:], id: id}
				if err := emit(s, ext, id); err != nil {
					return nil, err
				}
			}
		}
		return res, nil
	}}, nil
}
