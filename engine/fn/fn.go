// Package fn implements KQL's scalar functions and operators over column vectors.
// The engine's binder looks a function up by name, binds it to argument types (and to
// the values of constant arguments), and calls the returned Impl once per batch.
package fn

import "github.com/kqlkernel/kqlkernel/table"

// Context is the per-query state a function may read. Now is fixed for the whole query,
// as Kusto fixes now() per query.
type Context struct {
	Now table.DateTime
}

// Arg describes one argument at bind time.
type Arg struct {
	Type  table.Type
	Const bool // the argument is a constant: Value holds it (nil for a typed null)
	Value any  // as table.Vector.At returns it
}

// Impl evaluates a bound function for n rows. Each argument vector holds either n values
// or is a Const vector (one value for every row). The result holds n values (or is Const
// when every argument was).
type Impl func(ctx *Context, args []*table.Vector, n int) (*table.Vector, error)

// Func is a scalar function or operator.
type Func struct {
	Name string
	// Bind checks the arguments and returns the result type and implementation. Its error
	// is for the user ("tolower(): argument 1 must be a string, got long") and the engine
	// adds the position.
	Bind func(args []Arg) (table.Type, Impl, error)
	// Columns is set for functions that yield several columns (series_stats,
	// series_fit_line, series_decompose, ...). It returns the column suffixes Kusto appends
	// to "<function>_<argument column>_" (e.g. "min", "min_idx") and their types. The Impl
	// that Bind returns then yields a dynamic vector whose rows are []any with one element
	// per column (as At returns values: float64, int64, []any ...), which the engine spreads
	// over the columns (or over the names of `(a, b) = f(...)`).
	Columns func(args []Arg) (names []string, types []table.Type)
	// Volatile functions (rand, new_guid) give a different value per row and call: the
	// engine must not constant-fold them.
	Volatile bool
}
