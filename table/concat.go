package table

import "github.com/shopspring/decimal"

// Expand returns v with n stored values: a Const vector is repeated n times, any other
// vector is returned as is.
func (v *Vector) Expand(n int) *Vector {
	if !v.Const {
		return v
	}
	rows := make([]int, n)
	return v.Take(rows)
}

// ConstVector returns a Const vector of type t holding x (nil for null).
func ConstVector(t Type, x any) *Vector {
	v := NewVector(t, 1)
	if err := v.Append(x); err != nil {
		v = NewVector(t, 1)
		_ = v.Append(nil)
	}
	v.Const = true
	return v
}

// Concat joins vectors of type t end to end; lens gives each part's logical row count
// (needed for Const parts). A nil part stands for lens[i] nulls.
func Concat(t Type, parts []*Vector, lens []int) *Vector {
	total := 0
	for _, n := range lens {
		total += n
	}
	out := &Vector{Type: t}
	switch t {
	case TypeBool:
		out.Bools = make([]bool, 0, total)
	case TypeInt, TypeLong, TypeDateTime, TypeTimeSpan:
		out.Ints = make([]int64, 0, total)
	case TypeReal:
		out.Reals = make([]float64, 0, total)
	case TypeDecimal:
		out.Decs = make([]decimal.Decimal, 0, total)
	case TypeString, TypeGUID:
		out.Strs = make([]string, 0, total)
	case TypeDynamic:
		out.Dyns = make([]any, 0, total)
	}
	off := 0
	for i, p := range parts {
		n := lens[i]
		if p == nil {
			for j := 0; j < n; j++ {
				out.appendZero()
				out.setNull(off + j)
			}
			off += n
			continue
		}
		p = p.Expand(n)
		switch t {
		case TypeBool:
			out.Bools = append(out.Bools, p.Bools[:n]...)
		case TypeInt, TypeLong, TypeDateTime, TypeTimeSpan:
			out.Ints = append(out.Ints, p.Ints[:n]...)
		case TypeReal:
			out.Reals = append(out.Reals, p.Reals[:n]...)
		case TypeDecimal:
			out.Decs = append(out.Decs, p.Decs[:n]...)
		case TypeString, TypeGUID:
			out.Strs = append(out.Strs, p.Strs[:n]...)
		case TypeDynamic:
			out.Dyns = append(out.Dyns, p.Dyns[:n]...)
		}
		if p.Nulls != nil && t != TypeString && t != TypeDynamic {
			for j := 0; j < n; j++ {
				if p.Nulls.Get(j) {
					out.setNull(off + j)
				}
			}
		}
		off += n
	}
	return out
}

// Bytes estimates the memory a vector's payload takes (strings by length), for result
// size limits and benchmarks.
func (v *Vector) Bytes() int64 {
	var n int64
	switch v.Type {
	case TypeBool:
		n = int64(len(v.Bools))
	case TypeInt, TypeLong, TypeDateTime, TypeTimeSpan, TypeReal:
		n = int64(v.Len()) * 8
	case TypeDecimal:
		n = int64(len(v.Decs)) * 16
	case TypeString, TypeGUID:
		for _, s := range v.Strs {
			n += int64(len(s))
		}
	case TypeDynamic:
		for _, d := range v.Dyns {
			if d != nil {
				n += int64(len(DynamicJSON(d)))
			}
		}
	}
	return n
}
