package engine

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kqlkernel/kqlkernel/engine/fn"
	"github.com/kqlkernel/kqlkernel/table"
)

// batchSize is the number of rows an operator handles at a time: big enough to amortise
// per-batch costs, small enough that a cancel is noticed within milliseconds.
const batchSize = 1 << 15

// batch is a slice of rows as column vectors (each of n values, or Const).
type batch struct {
	cols []*table.Vector
	n    int
}

// step is a streaming operator: batch in, batch out, no state across batches.
type step interface {
	apply(ec *evalCtx, b *batch) (*batch, error)
	outSchema() table.Schema
}

// pruner is a step that can skip columns nobody downstream reads.
type pruner interface {
	// needs returns which input columns the step reads to produce the output columns
	// needOut (nil means all); nil result means all input columns.
	needs(needOut []bool) []bool
	// applyNeed is apply producing only the columns in need (nil = all); the others are
	// nil in the output batch.
	applyNeed(ec *evalCtx, b *batch, need []bool) (*batch, error)
}

// node is a plan node producing a table.
type node interface {
	schema() table.Schema
	run(q *query) (*table.Table, error)
}

// evalCtx is the per-worker state of expression evaluation.
type evalCtx struct {
	q    *query
	fctx *fn.Context
	rows []int // scratch selection vector
}

// rowBuf returns the worker's scratch row list, emptied, with room for n rows. Its
// contents are only valid until the next call (gathers copy them).
func (ec *evalCtx) rowBuf(n int) []int {
	if cap(ec.rows) < n {
		ec.rows = make([]int, 0, n)
	}
	return ec.rows[:0]
}

// isNeeded reports whether column i is in need (nil means every column).
func isNeeded(need []bool, i int) bool {
	return need == nil || (i < len(need) && need[i])
}

// query is the state of one Run.
type query struct {
	ctx     context.Context
	db      Database
	src     string
	opts    Options
	fctx    fn.Context
	workers int
	noTrunc bool
	// partial is the first result-limit cut (the rows kept are returned with it).
	partial  *Error
	render   *table.RenderSpec
	funcs    funcRegistry
	maxRows  int
	maxBytes int64
}

func newQuery(ctx context.Context, db Database, src string, opts Options) *query {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	w := opts.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	q := &query{ctx: ctx, db: db, src: src, opts: opts, workers: w, funcs: defaultFuncs{}}
	q.fctx.Now = table.FromTime(now.UTC())
	q.maxRows, q.maxBytes = opts.MaxRows, opts.MaxBytes
	if q.maxRows == 0 {
		q.maxRows = DefaultMaxRows
	}
	if q.maxBytes == 0 {
		q.maxBytes = DefaultMaxBytes
	}
	return q
}

func (q *query) newEval() *evalCtx {
	c := q.fctx
	return &evalCtx{q: q, fctx: &c}
}

// errStop ends a scan early without an error (take has enough rows).
var errStop = errors.New("stop")

// tableBatches returns the number of batches of a table with rows rows.
func numBatches(rows int) int { return (rows + batchSize - 1) / batchSize }

func sliceBatch(t *table.Table, i int, need []bool) *batch {
	rows := t.Rows()
	from := i * batchSize
	to := min(from+batchSize, rows)
	b := &batch{cols: make([]*table.Vector, len(t.Columns)), n: to - from}
	for c, col := range t.Columns {
		if !isNeeded(need, c) {
			continue
		}
		if from == 0 && to == rows {
			b.cols[c] = col.Data
		} else {
			b.cols[c] = col.Data.Slice(from, to)
		}
	}
	return b
}

// stream runs n's rows through sink in batches. A chain node is not materialized: its
// steps run per batch on the workers. sink gets the worker number and the batch's index
// (batches may arrive out of order when several workers run); it must be safe for
// concurrent use across workers. workers caps the parallelism (0 = the query's).
func (q *query) stream(n node, workers int, sink func(w, idx int, b *batch) error) error {
	return q.streamNeed(n, workers, nil, sink)
}

// streamNeed is stream for a sink that reads only the output columns in need (nil = all).
func (q *query) streamNeed(n node, workers int, need []bool, sink func(w, idx int, b *batch) error) error {
	var steps []step
	src := n
	if c, ok := n.(*chainNode); ok {
		steps, src = c.steps, c.in
	}
	if g, ok := src.(batchSource); ok {
		return q.streamBatches(g.numBatches(), g.schema(), g.genBatch, steps, workers, need, sink)
	}
	t, err := src.run(q)
	if err != nil {
		return err
	}
	return q.streamTable(t, steps, workers, need, sink)
}

// batchSource is a node that generates its rows batch by batch (range), so that a
// streaming consumer never holds the whole column.
type batchSource interface {
	node
	numBatches() int
	// genBatch makes batch i; columns not in need (nil = all) may be left nil.
	genBatch(i int, need []bool) *batch
	// overflow is the error for a materialization beyond maxGeneratedRows.
	overflow() error
}

// maxGeneratedRows bounds how many generated rows one materialization holds (256 MB of
// one 8-byte column): streaming consumers (where, summarize, count, take) have no bound.
const maxGeneratedRows = 1 << 25

// stepNeeds computes, from the sink's needs, what each step must produce and what the
// scan must provide.
func stepNeeds(steps []step, need []bool) (outNeeds [][]bool, scanNeed []bool) {
	outNeeds = make([][]bool, len(steps))
	cur := need
	for k := len(steps) - 1; k >= 0; k-- {
		outNeeds[k] = cur
		if p, ok := steps[k].(pruner); ok {
			cur = p.needs(cur)
		} else {
			cur = nil
		}
	}
	return outNeeds, cur
}

func applySteps(ec *evalCtx, steps []step, outNeeds [][]bool, b *batch) (*batch, error) {
	var err error
	for k, s := range steps {
		if p, ok := s.(pruner); ok {
			b, err = p.applyNeed(ec, b, outNeeds[k])
		} else {
			b, err = s.apply(ec, b)
		}
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (q *query) streamTable(t *table.Table, steps []step, workers int, need []bool, sink func(w, idx int, b *batch) error) error {
	get := func(i int, need []bool) *batch { return sliceBatch(t, i, need) }
	return q.streamBatches(numBatches(t.Rows()), t.Schema(), get, steps, workers, need, sink)
}

// streamBatches runs nb batches made by get through steps into sink on the workers.
func (q *query) streamBatches(nb int, sch table.Schema, get func(i int, need []bool) *batch, steps []step, workers int, need []bool, sink func(w, idx int, b *batch) error) error {
	outNeeds, scanNeed := stepNeeds(steps, need)
	if workers <= 0 || workers > q.workers {
		workers = q.workers
	}
	if workers > nb {
		workers = nb
	}
	if nb == 0 {
		// Still run the steps once so that operators see an empty batch with the right
		// schema (and a no-key summarize yields its one row).
		b := &batch{cols: make([]*table.Vector, len(sch))}
		for c, col := range sch {
			b.cols[c] = table.NewVector(col.Type, 0)
		}
		out, err := applySteps(q.newEval(), steps, outNeeds, b)
		if err != nil {
			return err
		}
		// The sink sees the empty batch too (summarize, count).
		return sink(0, 0, out)
	}
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var stop atomic.Bool
	work := func(w int) {
		ec := q.newEval()
		for !stop.Load() {
			i := int(next.Add(1) - 1)
			if i >= nb {
				return
			}
			if err := q.ctx.Err(); err != nil {
				once.Do(func() { firstErr = err })
				stop.Store(true)
				return
			}
			b, err := applySteps(ec, steps, outNeeds, get(i, scanNeed))
			if err == nil {
				err = sink(w, i, b)
			}
			if err != nil {
				once.Do(func() { firstErr = err })
				stop.Store(true)
				return
			}
		}
	}
	if workers <= 1 {
		work(0)
	} else {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				work(w)
			}(w)
		}
		wg.Wait()
	}
	if firstErr == errStop {
		return nil
	}
	return firstErr
}

// materialize runs n and returns its rows as a table, in order.
func (q *query) materialize(n node) (*table.Table, error) { return q.materializeLimit(n, -1) }

// errTooManyRows stops a result that already exceeds the row limit.
var errTooManyRows = errors.New("too many rows")

// materializeLimit is materialize that stops as soon as a chain has produced more than
// limit rows (limit < 0: no limit). It then returns the first limit rows, in order,
// together with errTooManyRows, holding no more than about limit rows plus one batch
// per worker: batches known to lie past the limit are dropped as they arrive.
func (q *query) materializeLimit(n node, limit int) (*table.Table, error) {
	c, ok := n.(*chainNode)
	if !ok {
		if _, gen := n.(batchSource); !gen {
			t, err := n.run(q)
			if err == nil && limit >= 0 && t.Rows() > limit {
				return sliceRows(t, limit), errTooManyRows
			}
			return t, err
		}
		c = &chainNode{in: n}
	}
	// A generated source (range) can be far larger than memory: hold at most
	// maxGeneratedRows of it.
	_, gen := c.in.(batchSource)
	var mu sync.Mutex
	parts := map[int]*batch{}
	held := 0            // rows in parts
	next, prefix := 0, 0 // parts[0..next) all arrived and hold prefix rows
	dropFrom := -1       // batches at or past this index lie past the limit
	err := q.stream(n, 0, func(w, idx int, b *batch) error {
		mu.Lock()
		defer mu.Unlock()
		if dropFrom >= 0 && idx >= dropFrom {
			return nil
		}
		parts[idx] = b
		held += b.n
		for p, ok := parts[next]; ok; p, ok = parts[next] {
			prefix += p.n
			next++
			if limit >= 0 && prefix > limit {
				return errTooManyRows
			}
		}
		if limit >= 0 && held > limit {
			// Missing batches only add rows before the later ones, so a batch whose
			// held predecessors already pass the limit can never be in the result.
			idxs := make([]int, 0, len(parts))
			for i := range parts {
				idxs = append(idxs, i)
			}
			slices.Sort(idxs)
			sum := 0
			for _, i := range idxs {
				if sum > limit {
					held -= parts[i].n
					delete(parts, i)
					if dropFrom < 0 || i < dropFrom {
						dropFrom = i
					}
					continue
				}
				sum += parts[i].n
			}
		}
		if gen && held > maxGeneratedRows {
			return c.in.(batchSource).overflow()
		}
		return nil
	})
	if errors.Is(err, errTooManyRows) {
		for i := range parts {
			if i >= next {
				delete(parts, i)
			}
		}
		return sliceRows(batchesToTable(c.schema(), parts), limit), errTooManyRows
	}
	if err != nil {
		return nil, err
	}
	return batchesToTable(c.schema(), parts), nil
}

// sliceRows returns the first n rows of t (sharing storage).
func sliceRows(t *table.Table, n int) *table.Table {
	out := &table.Table{Name: t.Name, Columns: make([]table.Column, len(t.Columns))}
	for i, c := range t.Columns {
		out.Columns[i] = table.Column{Name: c.Name, Type: c.Type, Data: c.Data.Slice(0, min(n, c.Data.Len()))}
	}
	return out
}

func batchesToTable(sch table.Schema, parts map[int]*batch) *table.Table {
	idxs := make([]int, 0, len(parts))
	for i := range parts {
		idxs = append(idxs, i)
	}
	sortInts(idxs)
	t := &table.Table{Columns: make([]table.Column, len(sch))}
	for c, cs := range sch {
		vs := make([]*table.Vector, 0, len(idxs))
		lens := make([]int, 0, len(idxs))
		for _, i := range idxs {
			b := parts[i]
			if b.n == 0 {
				continue
			}
			vs = append(vs, b.cols[c])
			lens = append(lens, b.n)
		}
		var data *table.Vector
		if len(vs) == 1 {
			data = vs[0].Expand(lens[0])
		} else {
			data = table.Concat(cs.Type, vs, lens)
		}
		t.Columns[c] = table.Column{Name: cs.Name, Type: cs.Type, Data: data}
	}
	return t
}

// batchToTable turns one batch into a table with the given schema.
func batchToTable(sch table.Schema, b *batch) *table.Table {
	return batchesToTable(sch, map[int]*batch{0: b})
}

// tableBatch returns the whole table as one batch.
func tableBatch(t *table.Table) *batch {
	b := &batch{cols: make([]*table.Vector, len(t.Columns)), n: t.Rows()}
	for i, c := range t.Columns {
		b.cols[i] = c.Data
	}
	return b
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// chainNode is a source followed by streaming steps; it is only materialized when a
// breaker or the result needs it.
type chainNode struct {
	in    node
	steps []step
}

func (c *chainNode) schema() table.Schema {
	if len(c.steps) == 0 {
		return c.in.schema()
	}
	return c.steps[len(c.steps)-1].outSchema()
}

func (c *chainNode) run(q *query) (*table.Table, error) { return q.materialize(c) }

// addStep appends a streaming step to in, extending an existing chain.
func addStep(in node, s step) node {
	if c, ok := in.(*chainNode); ok {
		steps := append(append([]step(nil), c.steps...), s)
		return &chainNode{in: c.in, steps: steps}
	}
	return &chainNode{in: in, steps: []step{s}}
}

// tableNode is a fixed table (a database table, datatable, a materialized let).
type tableNode struct {
	t *table.Table
}

func (n *tableNode) schema() table.Schema               { return n.t.Schema() }
func (n *tableNode) run(q *query) (*table.Table, error) { return n.t, nil }

// cachedNode runs its input once per query (let-bound tables, materialize()).
type cachedNode struct {
	in   node
	name string // set by `as`
	once sync.Once
	t    *table.Table
	err  error
}

func (n *cachedNode) schema() table.Schema { return n.in.schema() }
func (n *cachedNode) run(q *query) (*table.Table, error) {
	n.once.Do(func() { n.t, n.err = q.materialize(n.in) })
	return n.t, n.err
}

// funcNode runs an arbitrary function (used by operators that need the whole input).
type funcNode struct {
	sch table.Schema
	f   func(q *query) (*table.Table, error)
}

func (n *funcNode) schema() table.Schema               { return n.sch }
func (n *funcNode) run(q *query) (*table.Table, error) { return n.f(q) }
