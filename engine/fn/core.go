package fn

import (
	"fmt"
	"sort"
	"sync"

	"github.com/kqlkernel/kqlkernel/table"
)

// registry holds every function and operator; it is built once and only read afterwards.
type registry struct {
	funcs map[string]*Func
	ops   map[string]*Func
}

var theRegistry = sync.OnceValue(buildRegistry)

func buildRegistry() *registry {
	r := &registry{funcs: map[string]*Func{}, ops: map[string]*Func{}}
	registerOperators(r)
	registerConversion(r)
	registerString(r)
	registerTime(r)
	registerMath(r)
	registerDynamic(r)
	registerMisc(r)
	registerIP(r)
	registerSeries(r)
	registerSeries2(r)
	registerFFT(r)
	registerExtra(r)
	registerMore(r)
	registerGeo(r)
	registerGeo2(r)
	registerGeo3(r)
	return r
}

// Lookup returns the scalar function named name (KQL spelling, lower case), deprecated
// aliases included.
func Lookup(name string) (*Func, bool) {
	f, ok := theRegistry().funcs[name]
	return f, ok
}

// Operator returns the operator spelled op as KQL writes it ("+", "==", "has", "!in~",
// "between", "matches regex", ...). See /work/notes/fn-api.md for the argument conventions.
func Operator(op string) (*Func, bool) {
	f, ok := theRegistry().ops[op]
	return f, ok
}

// Names returns the sorted names of all scalar functions.
func Names() []string {
	r := theRegistry()
	out := make([]string, 0, len(r.funcs))
	for k := range r.funcs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type binder func(args []Arg) (table.Type, Impl, error)

// fn registers a function under its name and aliases; the Impl it binds is wrapped so
// that all-constant arguments give a constant result.
func (r *registry) fn(name string, b binder, aliases ...string) {
	f := &Func{Name: name, Bind: wrapBind(b, false)}
	r.funcs[name] = f
	for _, a := range aliases {
		r.funcs[a] = &Func{Name: a, Bind: f.Bind}
	}
}

func (r *registry) volatile(name string, b binder) {
	r.funcs[name] = &Func{Name: name, Bind: wrapBind(b, true), Volatile: true}
}

// tuple registers a function that yields several columns (see Func.Columns).
func (r *registry) tuple(name string, b binder, cols func(args []Arg) ([]string, []table.Type)) {
	r.funcs[name] = &Func{Name: name, Bind: wrapBind(b, false), Columns: cols}
}

func (r *registry) op(name string, b binder) {
	r.ops[name] = &Func{Name: name, Bind: wrapBind(b, false)}
}

func wrapBind(b binder, volatile bool) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		t, impl, err := b(args)
		if err != nil || volatile {
			return t, impl, err
		}
		return t, fold(impl), nil
	}
}

// fold evaluates once and marks the result Const when every argument is a constant.
func fold(impl Impl) Impl {
	return func(ctx *Context, args []*table.Vector, n int) (*table.Vector, error) {
		for _, a := range args {
			if !a.Const {
				return impl(ctx, args, n)
			}
		}
		out, err := impl(ctx, args, 1)
		if err != nil {
			return nil, err
		}
		if out.Len() == 1 {
			out.Const = true
		}
		return out, nil
	}
}

// ---- argument checking ----

func argc(name string, args []Arg, min, max int) error {
	if len(args) < min || (max >= 0 && len(args) > max) {
		switch {
		case max < 0:
			return fmt.Errorf("%s(): expects at least %d argument(s), got %d", name, min, len(args))
		case min == max:
			return fmt.Errorf("%s(): expects %d argument(s), got %d", name, min, len(args))
		default:
			return fmt.Errorf("%s(): expects %d to %d arguments, got %d", name, min, max, len(args))
		}
	}
	return nil
}

func typeErr(name string, i int, want string, got table.Type) error {
	return fmt.Errorf("%s(): argument %d must be %s, got %s", name, i+1, want, got)
}

func isNumish(t table.Type) bool { return t.Numeric() || t == table.TypeDynamic }

// ---- vector helpers ----

func ix(v *table.Vector, i int) int {
	if v.Const {
		return 0
	}
	return i
}

func nullAt(v *table.Vector, i int) bool {
	if v.Const {
		i = 0
	}
	if v.Type == table.TypeDynamic {
		return v.Dyns[i] == nil
	}
	return v.Nulls != nil && v.Nulls.Get(i)
}

// newOut returns a vector of type t with n zero values (payload indexed directly).
func newOut(t table.Type, n int) *table.Vector {
	v := &table.Vector{Type: t}
	switch t {
	case table.TypeBool:
		v.Bools = make([]bool, n)
	case table.TypeInt, table.TypeLong, table.TypeDateTime, table.TypeTimeSpan:
		v.Ints = make([]int64, n)
	case table.TypeReal:
		v.Reals = make([]float64, n)
	case table.TypeDecimal:
		v.Decs = make([]decimalT, n)
	case table.TypeString, table.TypeGUID:
		v.Strs = make([]string, n)
	case table.TypeDynamic:
		v.Dyns = make([]any, n)
	}
	return v
}

// set stores a Go value (as At returns it, or int/int64/float64 for numbers) at row i;
// nil or a value of the wrong kind stores null.
func set(v *table.Vector, i int, x any) {
	if x == nil {
		v.SetNull(i)
		return
	}
	switch v.Type {
	case table.TypeBool:
		if b, ok := x.(bool); ok {
			v.Bools[i] = b
			return
		}
	case table.TypeInt, table.TypeLong:
		switch t := x.(type) {
		case int64:
			v.Ints[i] = t
			return
		case int32:
			v.Ints[i] = int64(t)
			return
		case int:
			v.Ints[i] = int64(t)
			return
		}
	case table.TypeDateTime:
		if t, ok := x.(table.DateTime); ok {
			v.Ints[i] = int64(t)
			return
		}
	case table.TypeTimeSpan:
		if t, ok := x.(table.TimeSpan); ok {
			v.Ints[i] = int64(t)
			return
		}
	case table.TypeReal:
		if f, ok := x.(float64); ok {
			v.Reals[i] = f
			return
		}
	case table.TypeDecimal:
		if d, ok := x.(decimalT); ok {
			v.Decs[i] = d
			return
		}
	case table.TypeString:
		if s, ok := x.(string); ok {
			v.Strs[i] = s
		}
		return
	case table.TypeGUID:
		switch g := x.(type) {
		case table.GUID:
			v.Strs[i] = string(g)
			return
		case string:
			v.Strs[i] = g
			return
		}
	case table.TypeDynamic:
		v.Dyns[i] = normDyn(x)
		return
	}
	v.SetNull(i)
}

// rowFn is the generic, per-row form of a function over values as At returns them. It
// is for the long tail; hot functions have typed loops.
type rowFn func(vals []any) any

func rows(rt table.Type, f rowFn) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		out := newOut(rt, n)
		vals := make([]any, len(args))
		for i := 0; i < n; i++ {
			for j, a := range args {
				vals[j] = a.At(i)
			}
			set(out, i, f(vals))
		}
		return out, nil
	}
}

// rowsNull is rows, with null for any null argument (the common case).
func rowsNull(rt table.Type, f rowFn) Impl {
	return rows(rt, func(vals []any) any {
		for _, v := range vals {
			if v == nil {
				return nil
			}
		}
		return f(vals)
	})
}

// fixed binds a function with a fixed result type and a per-row body, checking the
// argument count.
func fixed(name string, min, max int, rt table.Type, f rowFn) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, min, max); err != nil {
			return 0, nil, err
		}
		return rt, rows(rt, f), nil
	}
}

// fixedNull is fixed with null propagation.
func fixedNull(name string, min, max int, rt table.Type, f rowFn) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, min, max); err != nil {
			return 0, nil, err
		}
		return rt, rowsNull(rt, f), nil
	}
}

// constString returns a Const string argument's value.
func constString(a Arg) (string, bool) {
	if !a.Const {
		return "", false
	}
	switch v := a.Value.(type) {
	case string:
		return v, true
	case nil:
		return "", true
	}
	return "", false
}
