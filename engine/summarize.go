package engine

import (
	"sync"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

type summarizeNode struct {
	in     node
	keys   []expr
	keySch table.Schema
	aggs   []*aggDef
	inter  table.Schema // keys, then every aggregate's outputs
	final  []expr       // over inter
	sch    table.Schema
}

func (n *summarizeNode) schema() table.Schema { return n.sch }

func (q *query) bindSummarize(sc *scope, in node, aggs, by []*syntax.Column, at syntax.Node) (node, error) {
	insch := in.schema()
	rc := &rowCtx{sch: insch}
	n := &summarizeNode{in: in}
	nm := newNamer()
	coll := &aggCollector{in: insch}
	for _, c := range by {
		x, err := q.bindScalar(sc, rc, c.X)
		if err != nil {
			return nil, err
		}
		if x.typ() == table.TypeDynamic {
			return nil, semErr(c, "summarize: a key of type dynamic is not allowed; convert it with tostring()")
		}
		name := ""
		if len(c.Names) > 0 {
			name = c.Names[0].Name
		} else {
			name = exprNameRow(c.X, insch)
		}
		if name == "" {
			name = nm.column()
		} else {
			name = nm.unique(name)
		}
		if ce, ok := x.(*colExpr); ok && insch[ce.idx].Name == name {
			coll.keys = append(coll.keys, ce.idx)
		}
		n.keys = append(n.keys, x)
		n.keySch = append(n.keySch, table.ColumnSchema{Name: name, Type: x.typ()})
	}
	coll.nkeys = len(n.keys)
	n.sch = append(table.Schema{}, n.keySch...)
	for i := range n.keySch {
		n.final = append(n.final, &colExpr{idx: i, t: n.keySch[i].Type})
	}
	arc := &rowCtx{sch: n.keySch, aggs: coll}
	for _, c := range aggs {
		before := len(coll.defs)
		x, err := q.bindScalar(sc, arc, c.X)
		if err != nil {
			return nil, err
		}
		// A direct call of a multi-column aggregate expands to its columns.
		if call, ok := c.X.(*syntax.CallExpr); ok && len(coll.defs) == before+1 && len(coll.defs[before].outTypes) > 1 ||
			ok && len(coll.defs) == before+1 && coll.defs[before].outNames != nil {
			def := coll.defs[before]
			base := coll.outIdx[before]
			_ = call
			for k, t := range def.outTypes {
				name := def.outNames[k]
				if k < len(c.Names) {
					name = c.Names[k].Name
				}
				if name == "" && len(def.outTypes) == 1 {
					name = exprNameRow(c.X, insch)
				}
				if name == "" {
					name = nm.column()
				} else {
					name = nm.unique(name)
				}
				n.final = append(n.final, &colExpr{idx: base + k, t: t})
				n.sch = append(n.sch, table.ColumnSchema{Name: name, Type: t})
			}
			continue
		}
		name := ""
		if len(c.Names) > 0 {
			name = c.Names[0].Name
		} else {
			name = exprNameRow(c.X, insch)
		}
		if name == "" {
			name = nm.column()
		} else {
			name = nm.unique(name)
		}
		n.final = append(n.final, x)
		n.sch = append(n.sch, table.ColumnSchema{Name: name, Type: x.typ()})
	}
	n.aggs = coll.defs
	n.inter = append(table.Schema{}, n.keySch...)
	for _, d := range coll.defs {
		for _, t := range d.outTypes {
			n.inter = append(n.inter, table.ColumnSchema{Name: "", Type: t})
		}
	}
	return n, nil
}

// grouper maps key tuples to dense group ids and remembers each group's key values.
type grouper struct {
	types []table.Type
	mode  int // 0 generic, 1 one integer-backed key, 2 one string key, 3 no keys, 4 up to 4 int/string keys
	// mode 4: strings are dictionary-coded per key column, and the codes and integers
	// form a fixed-size key with no pointers to chase.
	dicts  []map[string]int64
	fmap   map[fixedKey]int32
	idicts []map[int64]int64
	// mode 1: keys within [denseBase, denseBase+len(dense)) map through dense (gid+1).
	dense     []int32
	denseBase int64
	pmap      map[uint64]int32
	imap      map[int64]int32
	nullGid   int32
	smap      map[string]int32
	keyVecs   []*table.Vector
	n         int
	buf       []byte
}

func newGrouper(types []table.Type) *grouper {
	g := &grouper{types: types, nullGid: -1}
	for _, t := range types {
		g.keyVecs = append(g.keyVecs, table.NewVector(t, 0))
	}
	switch {
	case len(types) == 0:
		g.mode = 3
	case len(types) == 1 && (types[0] == table.TypeLong || types[0] == table.TypeInt || types[0] == table.TypeDateTime || types[0] == table.TypeTimeSpan):
		g.mode = 1
		g.imap = map[int64]int32{}
	case len(types) == 1 && types[0] == table.TypeString:
		g.mode = 2
		g.smap = map[string]int32{}
	case len(types) == 2 && allFixed(types):
		// Two keys: both dictionary-coded and packed into one word, which keeps the
		// group map small enough to stay in cache.
		g.mode = 5
		g.pmap = map[uint64]int32{}
		g.dicts = make([]map[string]int64, 2)
		g.idicts = make([]map[int64]int64, 2)
		for i, t := range types {
			if t == table.TypeString {
				g.dicts[i] = map[string]int64{}
			} else {
				g.idicts[i] = map[int64]int64{}
			}
		}
	case len(types) <= 4 && allFixed(types):
		g.mode = 4
		g.fmap = map[fixedKey]int32{}
		g.dicts = make([]map[string]int64, len(types))
		for i, t := range types {
			if t == table.TypeString {
				g.dicts[i] = map[string]int64{}
			}
		}
	default:
		g.smap = map[string]int32{}
	}
	return g
}

func (g *grouper) newGroup(keys []*table.Vector, i int) int32 {
	for k, v := range keys {
		_ = g.keyVecs[k].Append(at(v, i))
	}
	g.n++
	return int32(g.n - 1)
}

// assign computes group ids for the rows of a batch.
func (g *grouper) assign(keys []*table.Vector, n int, gids []int32) {
	switch g.mode {
	case 3:
		if g.n == 0 {
			g.n = 1
		}
		for i := 0; i < n; i++ {
			gids[i] = 0
		}
	case 1:
		v := keys[0]
		if g.dense == nil && !v.Const && n > 0 {
			g.initDense(v.Ints[:n])
		}
		for i := 0; i < n; i++ {
			j := i
			if v.Const {
				j = 0
			}
			if v.Nulls != nil && v.Nulls.Get(j) {
				if g.nullGid < 0 {
					g.nullGid = g.newGroup(keys, i)
				}
				gids[i] = g.nullGid
				continue
			}
			x := v.Ints[j]
			if d := uint64(x - g.denseBase); d < uint64(len(g.dense)) {
				// Small key ranges (event ids, codes) index an array instead of hashing.
				id := g.dense[d] - 1
				if id < 0 {
					id = g.newGroup(keys, i)
					g.dense[d] = id + 1
				}
				gids[i] = id
				continue
			}
			id, ok := g.imap[x]
			if !ok {
				id = g.newGroup(keys, i)
				g.imap[x] = id
			}
			gids[i] = id
		}
	case 2:
		v := keys[0]
		for i := 0; i < n; i++ {
			j := i
			if v.Const {
				j = 0
			}
			s := v.Strs[j]
			id, ok := g.smap[s]
			if !ok {
				id = g.newGroup(keys, i)
				g.smap[s] = id
			}
			gids[i] = id
		}
	case 4:
		g.assignFixed(keys, n, gids)
	case 5:
		g.assignPacked(keys, n, gids)
	default:
		for i := 0; i < n; i++ {
			g.buf = g.buf[:0]
			for _, v := range keys {
				g.buf = appendKey(g.buf, at(v, i))
			}
			id, ok := g.smap[string(g.buf)]
			if !ok {
				id = g.newGroup(keys, i)
				g.smap[string(g.buf)] = id
			}
			gids[i] = id
		}
	}
}

// lookupOrAdd finds the group of another grouper's group o (for merging).
func (g *grouper) lookupOrAdd(o *grouper, og int) int32 {
	keys := make([]*table.Vector, len(o.keyVecs))
	for k, v := range o.keyVecs {
		keys[k] = v.Slice(og, og+1)
	}
	gid := make([]int32, 1)
	g.assign(keys, 1, gid)
	return gid[0]
}

type sumWorker struct {
	g      *grouper
	states []aggState
	gids   []int32
}

func (n *summarizeNode) newWorker() *sumWorker {
	types := make([]table.Type, len(n.keySch))
	for i, c := range n.keySch {
		types[i] = c.Type
	}
	w := &sumWorker{g: newGrouper(types)}
	for _, d := range n.aggs {
		w.states = append(w.states, d.newState())
	}
	return w
}

func (n *summarizeNode) run(q *query) (*table.Table, error) {
	workers := make([]*sumWorker, q.workers)
	var mu sync.Mutex
	// Only the columns that keys and aggregate arguments read are scanned.
	need := []bool{}
	for _, k := range n.keys {
		if need != nil && !exprRefsGrow(k, &need) {
			need = nil
		}
	}
	for _, d := range n.aggs {
		for _, a := range d.args {
			if need != nil && !exprRefsGrow(a, &need) {
				need = nil
			}
		}
	}
	err := q.streamNeed(n.in, 0, need, func(wi, idx int, b *batch) error {
		w := workers[wi]
		if w == nil {
			w = n.newWorker()
			mu.Lock()
			workers[wi] = w
			mu.Unlock()
		}
		ec := q.newEval()
		keys := make([]*table.Vector, len(n.keys))
		for i, k := range n.keys {
			v, err := k.eval(ec, b)
			if err != nil {
				return err
			}
			keys[i] = v
		}
		if cap(w.gids) < b.n {
			w.gids = make([]int32, b.n)
		}
		gids := w.gids[:b.n]
		w.g.assign(keys, b.n, gids)
		for ai, d := range n.aggs {
			args := make([]*table.Vector, len(d.args))
			for i, a := range d.args {
				v, err := a.eval(ec, b)
				if err != nil {
					return err
				}
				args[i] = v
			}
			w.states[ai].update(gids, args, b.n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var master *sumWorker
	for _, w := range workers {
		if w == nil {
			continue
		}
		if master == nil {
			master = w
			continue
		}
		if err := q.ctx.Err(); err != nil {
			return nil, err
		}
		remap := make([]int32, w.g.n)
		for g := 0; g < w.g.n; g++ {
			if g%4096 == 4095 && q.ctx.Err() != nil {
				return nil, q.ctx.Err()
			}
			remap[g] = master.g.lookupOrAdd(w.g, g)
		}
		for ai := range n.aggs {
			master.states[ai].merge(w.states[ai], remap)
		}
	}
	if master == nil {
		master = n.newWorker()
		if len(n.keys) == 0 {
			master.g.n = 1
		}
	}
	ng := master.g.n
	inter := &batch{n: ng}
	for k := range n.keys {
		inter.cols = append(inter.cols, master.g.keyVecs[k])
	}
	for ai, d := range n.aggs {
		outs := master.states[ai].result(ng)
		for k, v := range outs {
			inter.cols = append(inter.cols, fixType(v, d.outTypes[k], ng))
		}
	}
	p := &projectStep{exprs: n.final, sch: n.sch}
	out, err := p.apply(q.newEval(), inter)
	if err != nil {
		return nil, err
	}
	return batchToTable(n.sch, out), nil
}

// fixType converts an aggregate's untyped output (a dynamic vector of raw values) to t.
func fixType(v *table.Vector, t table.Type, n int) *table.Vector {
	if v.Type == t {
		return v
	}
	out := table.NewVector(t, n)
	for i := 0; i < n; i++ {
		x := v.At(i)
		if t != table.TypeDynamic {
			x = convertValue(x, t)
		}
		if err := out.Append(x); err != nil {
			continue
		}
	}
	return out
}

type fixedKey struct {
	k     [4]int64
	nulls uint8
}

func allFixed(types []table.Type) bool {
	for _, t := range types {
		switch t {
		case table.TypeInt, table.TypeLong, table.TypeDateTime, table.TypeTimeSpan, table.TypeString:
		default:
			return false
		}
	}
	return true
}

func (g *grouper) assignFixed(keys []*table.Vector, n int, gids []int32) {
	var k fixedKey
	for i := 0; i < n; i++ {
		k = fixedKey{}
		for c, v := range keys {
			j := i
			if v.Const {
				j = 0
			}
			if d := g.dicts[c]; d != nil {
				s := v.Strs[j]
				code, ok := d[s]
				if !ok {
					code = int64(len(d))
					d[s] = code
				}
				k.k[c] = code
				continue
			}
			if v.Nulls != nil && v.Nulls.Get(j) {
				k.nulls |= 1 << c
				continue
			}
			k.k[c] = v.Ints[j]
		}
		id, ok := g.fmap[k]
		if !ok {
			id = g.newGroup(keys, i)
			g.fmap[k] = id
		}
		gids[i] = id
	}
}

// code returns the dictionary code of key column c at row j (nulls get code 0, values
// count from 1).
func (g *grouper) code(c int, v *table.Vector, j int) uint64 {
	if v.Const {
		j = 0
	}
	if d := g.dicts[c]; d != nil {
		s := v.Strs[j]
		code, ok := d[s]
		if !ok {
			code = int64(len(d)) + 1
			d[s] = code
		}
		return uint64(code)
	}
	if v.Nulls != nil && v.Nulls.Get(j) {
		return 0
	}
	d := g.idicts[c]
	x := v.Ints[j]
	code, ok := d[x]
	if !ok {
		code = int64(len(d)) + 1
		d[x] = code
	}
	return uint64(code)
}

func (g *grouper) assignPacked(keys []*table.Vector, n int, gids []int32) {
	a, b := keys[0], keys[1]
	for i := 0; i < n; i++ {
		k := g.code(0, a, i) | g.code(1, b, i)<<32
		id, ok := g.pmap[k]
		if !ok {
			id = g.newGroup(keys, i)
			g.pmap[k] = id
		}
		gids[i] = id
	}
}

// initDense sets up the array lookup when the first batch's keys span a small range.
func (g *grouper) initDense(xs []int64) {
	lo, hi := xs[0], xs[0]
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	span := hi - lo + 1
	if span <= 0 || span > 1<<16 {
		g.dense = []int32{} // non-nil: decided, no array
		return
	}
	// Leave room on both sides for keys the first batch did not show.
	size := min(int64(1<<16), span*4)
	g.denseBase = lo - (size-span)/2
	g.dense = make([]int32, size)
}
