package engine

import (
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// bindFind is `find [withsource=C] [in (T, ...)] where pred [project-smart | project c, ...
// [, pack_all()]]`. Without project (project-smart) the result has the source column, the
// columns every input has, the other columns the predicate names, and pack_: a bag of
// each row's remaining non-empty columns (only when some input has such columns). A
// column with different types in different inputs is dynamic. A column the predicate
// names that an input lacks is null there; inputs where the predicate does not bind are
// skipped, as search skips them.
func (q *query) bindFind(sc *scope, op *syntax.FindOp) (node, error) {
	srcName := "source_"
	for _, o := range op.Options {
		if o.Name == "withsource" || o.Name == "with_source" {
			if id, ok := o.Value.(*syntax.Ident); ok {
				srcName = id.Name
			}
		}
	}
	inputs, names, err := q.searchSources(sc, op.Tables, op)
	if err != nil {
		return nil, err
	}
	if len(inputs) == 0 {
		return nil, semErr(op, "find: no input tables")
	}
	// Column types over all inputs.
	types := map[string]table.Type{}
	count := map[string]int{}
	for _, n := range inputs {
		for _, c := range n.schema() {
			if t, ok := types[c.Name]; ok && t != c.Type {
				types[c.Name] = table.TypeDynamic
			} else if !ok {
				types[c.Name] = c.Type
			}
			count[c.Name]++
		}
	}
	var predCols []string
	seen := map[string]bool{}
	syntax.Inspect(op.Pred, func(n syntax.Node) bool {
		if id, ok := n.(*syntax.Ident); ok {
			if _, isCol := types[id.Name]; isCol && !seen[id.Name] {
				seen[id.Name] = true
				predCols = append(predCols, id.Name)
			}
		}
		return true
	})
	var outCols []string
	pack := false
	inOut := map[string]bool{}
	add := func(name string) {
		if !inOut[name] {
			inOut[name] = true
			outCols = append(outCols, name)
		}
	}
	if len(op.Project) > 0 && !op.Smart {
		for _, c := range op.Project {
			switch x := c.X.(type) {
			case *syntax.Ident:
				if _, ok := types[x.Name]; !ok {
					return nil, semErr(x, "find: no input has a column '%s'", x.Name)
				}
				add(x.Name)
			case *syntax.CallExpr:
				if strings.EqualFold(x.Fun.Name, "pack_all") {
					pack = true
					continue
				}
				return nil, semErr(x, "find: project takes column names and pack_all()")
			default:
				return nil, semErr(c, "find: project takes column names and pack_all()")
			}
		}
	} else {
		for _, c := range inputs[0].schema() {
			if count[c.Name] == len(inputs) {
				add(c.Name)
			}
		}
		for _, c := range predCols {
			add(c)
		}
		for _, n := range inputs {
			for _, c := range n.schema() {
				if !inOut[c.Name] {
					pack = true
				}
			}
		}
	}
	sch := table.Schema{{Name: srcName, Type: table.TypeString}}
	for _, c := range outCols {
		sch = append(sch, table.ColumnSchema{Name: c, Type: types[c]})
	}
	if pack {
		sch = append(sch, table.ColumnSchema{Name: "pack_", Type: table.TypeDynamic})
	}
	var parts []node
	var firstErr error
	for i, n := range inputs {
		part, err := q.findPart(sc, n, names[i], op.Pred, predCols, types, sch, outCols, pack)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return nil, firstErr
	}
	return unionNode(parts, make([]string, len(parts)), "outer", ""), nil
}

// findPart filters one input and shapes it to the find result's schema.
func (q *query) findPart(sc *scope, in node, name string, pred syntax.Expr, predCols []string, types map[string]table.Type, sch table.Schema, outCols []string, pack bool) (node, error) {
	insch := in.schema()
	var missing table.Schema
	for _, c := range predCols {
		if schemaIndex(insch, c) < 0 {
			missing = append(missing, table.ColumnSchema{Name: c, Type: types[c]})
		}
	}
	src := in
	if len(missing) > 0 {
		ext := append(append(table.Schema{}, insch...), missing...)
		src = &funcNode{sch: ext, f: func(q *query) (*table.Table, error) {
			t, err := q.materialize(in)
			if err != nil {
				return nil, err
			}
			out := &table.Table{Name: t.Name, Columns: append([]table.Column(nil), t.Columns...)}
			n := t.Rows()
			for _, m := range missing {
				out.Columns = append(out.Columns, table.Column{Name: m.Name, Type: m.Type, Data: table.Concat(m.Type, []*table.Vector{nil}, []int{n})})
			}
			return out, nil
		}}
	}
	p, err := q.searchPred(sc, src.schema(), pred)
	if err != nil {
		return nil, err
	}
	filtered := addStep(src, &filterStep{pred: p, sch: src.schema()})
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		t, err := q.materialize(filtered)
		if err != nil {
			return nil, err
		}
		n := t.Rows()
		out := &table.Table{Columns: make([]table.Column, 0, len(sch))}
		out.Columns = append(out.Columns, table.Column{Name: sch[0].Name, Type: table.TypeString, Data: table.Concat(table.TypeString, []*table.Vector{table.ConstVector(table.TypeString, name)}, []int{n})})
		for k, c := range outCols {
			typ := sch[k+1].Type
			j := schemaIndex(insch, c)
			var v *table.Vector
			switch {
			case j < 0:
				v = table.Concat(typ, []*table.Vector{nil}, []int{n})
			case t.Columns[j].Type == typ:
				v = t.Columns[j].Data
			default:
				v = table.NewVector(typ, 0)
				for r := 0; r < n; r++ {
					if err := v.Append(convertValue(t.Columns[j].Data.At(r), typ)); err != nil {
						return nil, err
					}
				}
			}
			out.Columns = append(out.Columns, table.Column{Name: c, Type: typ, Data: v})
		}
		if pack {
			inOut := map[string]bool{}
			for _, c := range outCols {
				inOut[c] = true
			}
			v := table.NewVector(table.TypeDynamic, 0)
			for r := 0; r < n; r++ {
				bag := map[string]any{}
				for j, c := range insch {
					if inOut[c.Name] {
						continue
					}
					x := t.Columns[j].Data.At(r)
					if x == nil || x == "" {
						continue
					}
					bag[c.Name] = convertValue(x, table.TypeDynamic)
				}
				if err := v.Append(bag); err != nil {
					return nil, err
				}
			}
			out.Columns = append(out.Columns, table.Column{Name: "pack_", Type: table.TypeDynamic, Data: v})
		}
		return out, nil
	}}, nil
}

func schemaIndex(sch table.Schema, name string) int {
	for i, c := range sch {
		if c.Name == name {
			return i
		}
	}
	return -1
}
