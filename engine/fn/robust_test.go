package fn

import (
	"math"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// TestNoPanics binds every function and operator to many argument shapes (types, counts,
// constants, nulls) and runs the ones that bind over three rows: none may panic.
func TestNoPanics(t *testing.T) {
	samples := map[table.Type][]any{
		table.TypeString:   {"a,b", "", "1.5"},
		table.TypeLong:     {int64(3), nil, int64(-1)},
		table.TypeInt:      {int32(2), nil, int32(0)},
		table.TypeReal:     {2.5, nil, math.Inf(-1)},
		table.TypeBool:     {true, nil, false},
		table.TypeDateTime: {dt("2020-02-29T10:00:00"), nil, table.DateTime(0)},
		table.TypeTimeSpan: {table.Hour, nil, -table.Day},
		table.TypeDynamic:  {[]any{int64(1), "x", nil}, nil, map[string]any{"a": []any{1.5}}},
		table.TypeGUID:     {table.GUID("01234567-89ab-cdef-0123-456789abcdef"), nil, table.GUID("00000000-0000-0000-0000-000000000000")},
	}
	types := []table.Type{table.TypeString, table.TypeLong, table.TypeReal, table.TypeBool, table.TypeDateTime, table.TypeTimeSpan, table.TypeDynamic, table.TypeInt, table.TypeGUID}
	mkVec := func(typ table.Type, isConst bool) *table.Vector {
		v := table.NewVector(typ, 3)
		for _, x := range samples[typ] {
			_ = v.Append(x)
		}
		if isConst {
			c := v.Slice(0, 1)
			c.Const = true
			return c
		}
		return v
	}
	var shapes [][]table.Type
	for n := 0; n <= 4; n++ {
		for _, ty := range types {
			s := make([]table.Type, n)
			for i := range s {
				s[i] = ty
			}
			shapes = append(shapes, s)
		}
		if n >= 2 {
			for k := range types {
				s := make([]table.Type, n)
				for i := range s {
					s[i] = types[(k+i)%len(types)]
				}
				shapes = append(shapes, s)
			}
		}
	}
	run := func(name string, f *Func) {
		for _, shape := range shapes {
			for _, constMask := range []int{0, -1, 1} {
				args := make([]Arg, len(shape))
				vecs := make([]*table.Vector, len(shape))
				for i, ty := range shape {
					isConst := constMask == -1 || (constMask == 1 && i > 0)
					vecs[i] = mkVec(ty, isConst)
					args[i] = Arg{Type: ty, Const: isConst}
					if isConst {
						args[i].Value = vecs[i].At(0)
					}
				}
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("%s%v const=%d panicked: %v", name, shape, constMask, p)
						}
					}()
					_, impl, err := f.Bind(args)
					if err != nil {
						return
					}
					out, err := impl(&Context{Now: dt("2026-01-01")}, vecs, 3)
					if err == nil && out != nil && !out.Const && out.Len() != 3 && out.Type != table.TypeString {
						t.Errorf("%s%v: %d rows, want 3", name, shape, out.Len())
					}
				}()
			}
		}
	}
	for _, name := range Names() {
		f, _ := Lookup(name)
		start := time.Now()
		run(name, f)
		if d := time.Since(start); d > time.Second {
			t.Logf("%s took %v", name, d)
		}
	}
	for op := range theRegistry().ops {
		f, _ := Operator(op)
		run(op, f)
	}
}
