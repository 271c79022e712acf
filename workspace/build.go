package workspace

import (
	"fmt"

	"github.com/kqlkernel/kqlkernel/table"
)

// builder fills a table of known size column by column. Generators ask for the columns they
// fill; the rest become Const vectors (one empty or null value standing for every row), so a
// 228-column SecurityEvent costs memory only for the columns its events use.
type builder struct {
	name   string
	schema table.Schema
	n      int
	idx    map[string]int
	cols   []*column
	err    error
	// lenient builders ignore columns the schema lacks (writes go to a scratch column).
	lenient     bool
	scratchCols map[table.Type]*column
	consts      map[int]any // columns with one value for every row
	// keep, when set, limits the columns that get storage: writes to others are dropped.
	keep map[string]bool
}

func (b *builder) scratch(t table.Type) *column {
	if b.scratchCols == nil {
		b.scratchCols = map[table.Type]*column{}
	}
	c := b.scratchCols[t]
	if c == nil {
		c = newColumn(t, b.n)
		b.scratchCols[t] = c
	}
	return c
}

// column is a column under construction: exactly one payload slice is used, by type.
// set records which rows were written, for types with nulls.
type column struct {
	typ   table.Type
	strs  []string
	ints  []int64
	reals []float64
	bools []bool
	dyns  []any
	set   []bool
	// discard drops writes: the column is left empty (a Const) to save memory.
	discard bool
}

func newBuilder(name string, schema table.Schema, n int) *builder {
	b := &builder{name: name, schema: schema, n: n, idx: make(map[string]int, len(schema)), cols: make([]*column, len(schema))}
	for i, c := range schema {
		b.idx[c.Name] = i
	}
	return b
}

func newColumn(t table.Type, n int) *column {
	c := &column{typ: t}
	switch t {
	case table.TypeString, table.TypeGUID:
		c.strs = make([]string, n)
	case table.TypeInt, table.TypeLong, table.TypeDateTime, table.TypeTimeSpan:
		c.ints = make([]int64, n)
	case table.TypeReal:
		c.reals = make([]float64, n)
	case table.TypeBool:
		c.bools = make([]bool, n)
	case table.TypeDynamic:
		c.dyns = make([]any, n)
	}
	if t != table.TypeString && t != table.TypeDynamic && t != table.TypeGUID {
		c.set = make([]bool, n)
	}
	return c
}

// col returns the column called name, which must exist with type t. A mismatch is a bug in a
// generator: it is recorded and reported by finish, and a scratch column is returned.
func (b *builder) col(name string, t table.Type) *column {
	i, ok := b.idx[name]
	if !ok && b.lenient {
		return b.scratch(t)
	}
	if !ok || b.schema[i].Type != t {
		if b.err == nil {
			b.err = fmt.Errorf("workspace: generator for %s uses column %s as %s, which the schema does not have", b.name, name, t)
		}
		return newColumn(t, b.n)
	}
	if b.keep != nil && !b.keep[name] {
		return &column{typ: t, discard: true}
	}
	if b.cols[i] == nil {
		b.cols[i] = newColumn(t, b.n)
	}
	return b.cols[i]
}

func (b *builder) str(name string) *column  { return b.col(name, table.TypeString) }
func (b *builder) i32(name string) *column  { return b.col(name, table.TypeInt) }
func (b *builder) i64(name string) *column  { return b.col(name, table.TypeLong) }
func (b *builder) real(name string) *column { return b.col(name, table.TypeReal) }
func (b *builder) dt(name string) *column   { return b.col(name, table.TypeDateTime) }
func (b *builder) dyn(name string) *column  { return b.col(name, table.TypeDynamic) }
func (b *builder) boolc(name string) *column {
	return b.col(name, table.TypeBool)
}
func (b *builder) guid(name string) *column { return b.col(name, table.TypeGUID) }

// S sets a string (or guid) value.
func (c *column) S(i int, s string) {
	if c.discard {
		return
	}
	c.strs[i] = s
}

// I sets an int, long, datetime or timespan value (ticks for the last two).
func (c *column) I(i int, v int64) {
	if c.discard {
		return
	}
	c.ints[i] = v
	c.set[i] = true
}

// T sets a datetime.
func (c *column) T(i int, v table.DateTime) { c.ints[i] = int64(v); c.set[i] = true }

// R sets a real.
func (c *column) R(i int, v float64) { c.reals[i] = v; c.set[i] = true }

// B sets a bool.
func (c *column) B(i int, v bool) { c.bools[i] = v; c.set[i] = true }

// D sets a dynamic value.
func (c *column) D(i int, v any) { c.dyns[i] = v }

// finish assembles the table. Untouched columns share storage per type.
func (b *builder) finish() (*table.Table, error) {
	if b.err != nil {
		return nil, b.err
	}
	t := &table.Table{Name: b.name, Columns: make([]table.Column, len(b.schema))}
	var allNull *table.Bitmap
	nullMask := func() *table.Bitmap {
		if allNull == nil {
			allNull = &table.Bitmap{}
			for i := 0; i < b.n; i++ {
				allNull.Set(i)
			}
		}
		return allNull
	}
	for i, cs := range b.schema {
		c := b.cols[i]
		var v *table.Vector
		if x, ok := b.consts[i]; ok {
			cv, err := constVector(cs.Type, x)
			if err != nil {
				return nil, fmt.Errorf("workspace: %s.%s: %w", b.name, cs.Name, err)
			}
			v = cv
		} else if c == nil {
			v = emptyVector(cs.Type)
		} else {
			v = c.vector(nullMask)
		}
		t.Columns[i] = table.Column{Name: cs.Name, Type: cs.Type, Data: v}
	}
	return t, nil
}

// emptyVector is a column no event fills: one Const value (empty string, or null) standing
// for every row, so unused columns cost nothing however long the table.
func emptyVector(t table.Type) *table.Vector {
	v := table.NewVector(t, 1)
	if t == table.TypeString {
		_ = v.Append("")
	} else {
		_ = v.Append(nil)
	}
	v.Const = true
	return v
}

// constVector is a column with the same value in every row.
func constVector(t table.Type, x any) (*table.Vector, error) {
	v := table.NewVector(t, 1)
	if err := v.Append(x); err != nil {
		return nil, err
	}
	v.Const = true
	return v, nil
}

// constant makes column name hold x in every row.
func (b *builder) constant(name string, t table.Type, x any) {
	i, ok := b.idx[name]
	if !ok || b.schema[i].Type != t {
		if !b.lenient && b.err == nil {
			b.err = fmt.Errorf("workspace: generator for %s uses column %s as %s, which the schema does not have", b.name, name, t)
		}
		return
	}
	if b.consts == nil {
		b.consts = map[int]any{}
	}
	b.consts[i] = x
}

func (c *column) vector(nullMask func() *table.Bitmap) *table.Vector {
	v := &table.Vector{Type: c.typ, Strs: c.strs, Ints: c.ints, Reals: c.reals, Bools: c.bools, Dyns: c.dyns}
	switch c.typ {
	case table.TypeGUID:
		var nulls *table.Bitmap
		for i, s := range c.strs {
			if s == "" {
				if nulls == nil {
					nulls = &table.Bitmap{}
				}
				nulls.Set(i)
			}
		}
		v.Nulls = nulls
	case table.TypeString, table.TypeDynamic:
	default:
		var nulls *table.Bitmap
		unset := 0
		for _, s := range c.set {
			if !s {
				unset++
			}
		}
		switch {
		case unset == 0:
		case unset == len(c.set):
			nulls = nullMask()
		default:
			nulls = &table.Bitmap{}
			for i, s := range c.set {
				if !s {
					nulls.Set(i)
				}
			}
		}
		v.Nulls = nulls
	}
	return v
}

// interner makes equal strings share one allocation.
type interner map[string]string

func (in interner) s(x string) string {
	if y, ok := in[x]; ok {
		return y
	}
	in[x] = x
	return x
}
