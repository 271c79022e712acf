package engine

import (
	"fmt"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

type joinNode struct {
	left, right node
	kind        string
	lk, rk      []int // key columns
	lookup      bool
	sch         table.Schema
	rightCols   []int // right columns in the output (after the left ones)
}

func (n *joinNode) schema() table.Schema { return n.sch }

func (q *query) bindJoin(sc *scope, left node, kind string, rightE syntax.Expr, on []syntax.Expr, at syntax.Node, lookup bool) (node, error) {
	right, err := q.bindTab(sc, rightE)
	if err != nil {
		return nil, err
	}
	kind = strings.ToLower(kind)
	if kind == "" {
		kind = "innerunique"
		if lookup {
			kind = "leftouter"
		}
	}
	switch kind {
	case "leftantisemi", "anti":
		kind = "leftanti"
	case "semi":
		kind = "leftsemi"
	case "rightantisemi":
		kind = "rightanti"
	}
	switch kind {
	case "innerunique", "inner", "leftouter", "rightouter", "fullouter", "leftanti", "rightanti", "leftsemi", "rightsemi":
	default:
		return nil, semErr(at, "unknown join kind '%s'", kind)
	}
	ls, rs := left.schema(), right.schema()
	n := &joinNode{left: left, right: right, kind: kind, lookup: lookup}
	var conds []syntax.Expr
	for _, c := range on {
		conds = append(conds, splitAnd(c)...)
	}
	sameName := map[int]bool{}
	for _, c := range conds {
		switch c := c.(type) {
		case *syntax.Ident:
			li, ri := findCol(ls, c.Name), findCol(rs, c.Name)
			if li < 0 || ri < 0 {
				side := ls
				if li >= 0 {
					side = rs
				}
				return nil, q.unknownName(c, &rowCtx{sch: side}, &scope{})
			}
			n.lk, n.rk = append(n.lk, li), append(n.rk, ri)
			sameName[ri] = true
		case *syntax.BinaryExpr:
			if c.Op != "==" {
				return nil, unsupported(c, "join conditions other than equality")
			}
			a, as, err := sideCol(c.X, ls, rs)
			if err != nil {
				return nil, err
			}
			b, bs, err := sideCol(c.Y, ls, rs)
			if err != nil {
				return nil, err
			}
			if as == bs {
				return nil, semErr(c, "a join condition compares $left with $right")
			}
			if as == "right" {
				a, b = b, a
			}
			n.lk, n.rk = append(n.lk, a), append(n.rk, b)
		default:
			return nil, semErr(c, "join: expected a column or $left.x == $right.y")
		}
	}
	if len(n.lk) == 0 {
		return nil, semErr(at, "join needs an 'on' clause")
	}
	switch kind {
	case "leftanti", "leftsemi":
		n.sch = ls
		return n, nil
	case "rightanti", "rightsemi":
		n.sch = rs
		return n, nil
	}
	nm := newNamer()
	n.sch = append(table.Schema{}, ls...)
	for _, c := range ls {
		nm.used[c.Name] = true
	}
	for i, c := range rs {
		if lookup && sameName[i] {
			continue
		}
		n.rightCols = append(n.rightCols, i)
		n.sch = append(n.sch, table.ColumnSchema{Name: nm.unique(c.Name), Type: c.Type})
	}
	return n, nil
}

func splitAnd(e syntax.Expr) []syntax.Expr {
	if b, ok := e.(*syntax.BinaryExpr); ok && strings.EqualFold(b.Op, "and") {
		return append(splitAnd(b.X), splitAnd(b.Y)...)
	}
	if p, ok := e.(*syntax.ParenExpr); ok {
		return splitAnd(p.X)
	}
	return []syntax.Expr{e}
}

func findCol(s table.Schema, name string) int {
	for i, c := range s {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func sideCol(e syntax.Expr, ls, rs table.Schema) (int, string, error) {
	d, ok := e.(*syntax.DotExpr)
	if !ok {
		return 0, "", semErr(e, "expected $left.column or $right.column")
	}
	id, ok := d.X.(*syntax.Ident)
	if !ok || (id.Name != "$left" && id.Name != "$right") {
		return 0, "", semErr(e, "expected $left.column or $right.column")
	}
	s, side := ls, "left"
	if id.Name == "$right" {
		s, side = rs, "right"
	}
	i := findCol(s, d.Name.Name)
	if i < 0 {
		return 0, "", semErr(d.Name, "unknown column '%s' on the %s side", d.Name.Name, side)
	}
	return i, side, nil
}

func (n *joinNode) run(q *query) (*table.Table, error) {
	lt, err := q.materialize(n.left)
	if err != nil {
		return nil, err
	}
	rt, err := q.materialize(n.right)
	if err != nil {
		return nil, err
	}
	lrows, rrows := lt.Rows(), rt.Rows()
	lkeys, lok, err := joinKeys(q, lt, n.lk)
	if err != nil {
		return nil, err
	}
	rkeys, rok, err := joinKeys(q, rt, n.rk)
	if err != nil {
		return nil, err
	}
	// Hash the right side: head maps a key to its first row, next chains the others
	// (in row order).
	head := make(map[string]int32, rrows)
	tail := make(map[string]int32, rrows)
	next := make([]int32, rrows)
	for i := 0; i < rrows; i++ {
		next[i] = -1
		if !rok[i] {
			continue
		}
		k := rkeys[i]
		if t, ok := tail[k]; ok {
			next[t] = int32(i)
		} else {
			head[k] = int32(i)
		}
		tail[k] = int32(i)
	}
	var li, ri []int
	rightMatched := make([]bool, rrows)
	seenLeft := map[string]bool{}
	var matches []int
	for i := 0; i < lrows; i++ {
		if i%batchSize == 0 && q.ctx.Err() != nil {
			return nil, q.ctx.Err()
		}
		ok := lok[i]
		matches = matches[:0]
		if ok {
			if h, found := head[lkeys[i]]; found {
				for r := h; r >= 0; r = next[r] {
					matches = append(matches, int(r))
				}
			}
		}
		var bufKey string
		if ok {
			bufKey = lkeys[i]
		}
		switch n.kind {
		case "innerunique":
			// One left row per key (the first; Kusto keeps an arbitrary one).
			if !ok || seenLeft[bufKey] {
				continue
			}
			seenLeft[bufKey] = true
			for _, r := range matches {
				li, ri = append(li, i), append(ri, r)
			}
		case "inner":
			for _, r := range matches {
				li, ri = append(li, i), append(ri, r)
			}
		case "leftouter", "fullouter":
			if len(matches) == 0 {
				li, ri = append(li, i), append(ri, -1)
			}
			for _, r := range matches {
				li, ri = append(li, i), append(ri, r)
				rightMatched[r] = true
			}
		case "rightouter":
			for _, r := range matches {
				li, ri = append(li, i), append(ri, r)
				rightMatched[r] = true
			}
		case "leftsemi":
			if len(matches) > 0 {
				li = append(li, i)
			}
		case "leftanti":
			if len(matches) == 0 {
				li = append(li, i)
			}
		case "rightsemi", "rightanti":
			for _, r := range matches {
				rightMatched[r] = true
			}
		}
	}
	switch n.kind {
	case "fullouter", "rightouter":
		for r := 0; r < rrows; r++ {
			if !rightMatched[r] {
				li, ri = append(li, -1), append(ri, r)
			}
		}
	case "leftsemi", "leftanti":
		return batchToTable(n.sch, takeBatch(tableBatch(lt), li)), nil
	case "rightsemi", "rightanti":
		want := n.kind == "rightsemi"
		for r := 0; r < rrows; r++ {
			if rightMatched[r] == want {
				ri = append(ri, r)
			}
		}
		return batchToTable(n.sch, takeBatch(tableBatch(rt), ri)), nil
	}
	out := &table.Table{}
	for c, col := range lt.Columns {
		out.Columns = append(out.Columns, table.Column{Name: n.sch[c].Name, Type: col.Type, Data: takeNullable(col.Data, li)})
	}
	for k, c := range n.rightCols {
		col := rt.Columns[c]
		out.Columns = append(out.Columns, table.Column{Name: n.sch[len(lt.Columns)+k].Name, Type: col.Type, Data: takeNullable(col.Data, ri)})
	}
	if n.lookup {
		// lookup keeps the left key columns; nothing to fill.
		_ = out
	}
	return out, nil
}

// takeNullable gathers rows; -1 gives null.
func takeNullable(v *table.Vector, rows []int) *table.Vector {
	idx := make([]int, len(rows))
	hasNull := false
	for i, r := range rows {
		if r < 0 {
			hasNull = true
			r = 0
		}
		idx[i] = r
	}
	if v.Len() == 0 && !v.Const {
		out := table.NewVector(v.Type, len(rows))
		for range rows {
			_ = out.Append(nil)
		}
		return out
	}
	out := v.Take(idx)
	if hasNull {
		for i, r := range rows {
			if r < 0 {
				switch out.Type {
				case table.TypeString:
					out.Strs[i] = ""
				case table.TypeDynamic:
					out.Dyns[i] = nil
				default:
					out.SetNull(i)
				}
			}
		}
	}
	return out
}

// ---------------------------------------------------------------------------------------
// union

func (q *query) bindUnion(sc *scope, in node, op *syntax.UnionOp) (node, error) {
	var inputs []node
	var names []string
	if in != nil {
		inputs = append(inputs, in)
		name := ""
		if c, ok := in.(*cachedNode); ok {
			name = c.name
		}
		names = append(names, name)
	}
	kind := "outer"
	withSource := ""
	fuzzy := false
	for _, o := range op.Options {
		v := ""
		switch x := o.Value.(type) {
		case *syntax.Ident:
			v = x.Name
		case *syntax.Literal:
			v = fmt.Sprint(x.Value)
		}
		switch strings.ToLower(o.Name) {
		case "kind":
			kind = strings.ToLower(v)
		case "withsource", "with_source":
			withSource = v
		case "isfuzzy":
			fuzzy = strings.EqualFold(v, "true")
		}
	}
	for _, t := range op.Tables {
		if w, ok := t.(*syntax.Wildcard); ok {
			for _, name := range sortedStrings(sc.allNames()) {
				sym := sc.lookup(name)
				if !wildMatch(w.Pattern, name) || sym == nil {
					continue
				}
				if sym.tab != nil {
					inputs = append(inputs, sym.tab)
					names = append(names, name)
				} else if sym.lambda != nil && len(sym.lambda.Params) == 0 {
					n, err := q.callTabLambda(sc, sym, nil, w)
					if err != nil {
						return nil, err
					}
					inputs = append(inputs, n)
					names = append(names, name)
				}
			}
			for _, name := range q.db.TableNames() {
				if wildMatch(w.Pattern, name) {
					tb, _ := q.db.Table(name)
					inputs = append(inputs, &tableNode{t: tb})
					names = append(names, name)
				}
			}
			continue
		}
		n, err := q.bindTab(sc, t)
		if err != nil {
			if fuzzy {
				continue // isfuzzy=true skips inputs that do not resolve
			}
			return nil, err
		}
		inputs = append(inputs, n)
		names = append(names, unionArgName(t))
	}
	for i := range names {
		if names[i] == "" {
			names[i] = fmt.Sprintf("union_arg%d", i)
		}
	}
	return unionNode(inputs, names, kind, withSource), nil
}

// unionNode concatenates inputs by column name; names are the withsource values.
func unionNode(inputs []node, names []string, kind, withSource string) node {
	// Output columns: by name in order of first appearance; a name with several types
	// becomes name_type for each.
	type colInfo struct {
		name  string
		types []table.Type
		count int
	}
	var order []string
	infos := map[string]*colInfo{}
	for _, n := range inputs {
		for _, c := range n.schema() {
			ci := infos[c.Name]
			if ci == nil {
				ci = &colInfo{name: c.Name}
				infos[c.Name] = ci
				order = append(order, c.Name)
			}
			ci.count++
			found := false
			for _, t := range ci.types {
				if t == c.Type {
					found = true
				}
			}
			if !found {
				ci.types = append(ci.types, c.Type)
			}
		}
	}
	type outCol struct {
		name string
		src  string
		t    table.Type
	}
	var outs []outCol
	plain := map[string]bool{}
	for _, name := range order {
		if len(infos[name].types) == 1 {
			plain[name] = true
		}
	}
	nm := newNamer()
	for n := range plain {
		nm.used[n] = true
	}
	for _, name := range order {
		ci := infos[name]
		if kind == "inner" && ci.count < len(inputs) {
			continue
		}
		if len(ci.types) == 1 {
			outs = append(outs, outCol{name, name, ci.types[0]})
			continue
		}
		for _, t := range ci.types {
			outs = append(outs, outCol{nm.unique(name + "_" + t.String()), name, t})
		}
	}
	var sch table.Schema
	if withSource != "" {
		sch = append(sch, table.ColumnSchema{Name: withSource, Type: table.TypeString})
	}
	for _, o := range outs {
		sch = append(sch, table.ColumnSchema{Name: o.name, Type: o.t})
	}
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		var tables []*table.Table
		for _, n := range inputs {
			t, err := q.materialize(n)
			if err != nil {
				return nil, err
			}
			tables = append(tables, t)
		}
		out := &table.Table{}
		lens := make([]int, len(tables))
		for i, t := range tables {
			lens[i] = t.Rows()
		}
		if withSource != "" {
			parts := make([]*table.Vector, len(tables))
			for i := range tables {
				parts[i] = table.ConstVector(table.TypeString, names[i])
			}
			out.Columns = append(out.Columns, table.Column{Name: withSource, Type: table.TypeString, Data: table.Concat(table.TypeString, parts, lens)})
		}
		for _, o := range outs {
			parts := make([]*table.Vector, len(tables))
			for i, t := range tables {
				j := t.Index(o.src)
				if j >= 0 && t.Columns[j].Type == o.t {
					parts[i] = t.Columns[j].Data
				}
			}
			out.Columns = append(out.Columns, table.Column{Name: o.name, Type: o.t, Data: table.Concat(o.t, parts, lens)})
		}
		return out, nil
	}}
}

// unionArgName is the withsource name of a union input: a table or let name, or the
// name given by a trailing `as`.
func unionArgName(e syntax.Expr) string {
	switch e := e.(type) {
	case *syntax.Ident:
		return e.Name
	case *syntax.ParenExpr:
		return unionArgName(e.X)
	case *syntax.PipeExpr:
		if len(e.Ops) > 0 {
			if as, ok := e.Ops[len(e.Ops)-1].(*syntax.AsOp); ok && as.Name != nil {
				return as.Name.Name
			}
		}
		if e.Source != nil && len(e.Ops) == 0 {
			return unionArgName(e.Source)
		}
	case *syntax.CallExpr:
		return e.Fun.Name
	}
	return ""
}

// joinKeys returns each row's join key as a string (a single string key column is used
// as is, other keys are encoded) and whether the row has one (null keys never match).
func joinKeys(q *query, t *table.Table, cols []int) ([]string, []bool, error) {
	rows := t.Rows()
	keys := make([]string, rows)
	ok := make([]bool, rows)
	if len(cols) == 1 && t.Columns[cols[0]].Type == table.TypeString {
		v := t.Columns[cols[0]].Data.Expand(rows)
		copy(keys, v.Strs)
		for i := range ok {
			ok[i] = true
		}
		return keys, ok, nil
	}
	var buf []byte
rowLoop:
	for i := 0; i < rows; i++ {
		if i%batchSize == 0 && q.ctx.Err() != nil {
			return nil, nil, q.ctx.Err()
		}
		buf = buf[:0]
		for _, c := range cols {
			x := at(t.Columns[c].Data, i)
			if x == nil {
				continue rowLoop
			}
			buf = appendKey(buf, x)
		}
		keys[i] = string(buf)
		ok[i] = true
	}
	return keys, ok, nil
}
