package table

import (
	"fmt"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Vector is one column's values. Exactly one payload slice is used, chosen by Type:
//
//	TypeBool                                     Bools
//	TypeInt, TypeLong, TypeDateTime, TypeTimeSpan Ints (int is kept in int32 range;
//	                                             datetime/timespan are ticks)
//	TypeReal                                     Reals
//	TypeDecimal                                  Decs
//	TypeString, TypeGUID                         Strs (guid in canonical lowercase form)
//	TypeDynamic                                  Dyns (nil is null; see Dynamic values below)
//
// Nulls marks null rows (nil when there are none). String has no null in Kusto: an empty
// string stands in, and Nulls stays nil for string vectors.
//
// A Vector with Const set holds one value that stands for every row (Len is then 1 while
// the logical length is whatever the caller says): the engine uses it for literals.
//
// Dynamic values are: nil (null), bool, int64, float64, string, DateTime, TimeSpan, GUID,
// decimal.Decimal, []any and map[string]any.
type Vector struct {
	Type  Type
	Const bool
	Bools []bool
	Ints  []int64
	Reals []float64
	Decs  []decimal.Decimal
	Strs  []string
	Dyns  []any
	Nulls *Bitmap
}

// NewVector returns an empty vector of type t with room for n values.
func NewVector(t Type, n int) *Vector {
	v := &Vector{Type: t}
	switch t {
	case TypeBool:
		v.Bools = make([]bool, 0, n)
	case TypeInt, TypeLong, TypeDateTime, TypeTimeSpan:
		v.Ints = make([]int64, 0, n)
	case TypeReal:
		v.Reals = make([]float64, 0, n)
	case TypeDecimal:
		v.Decs = make([]decimal.Decimal, 0, n)
	case TypeString, TypeGUID:
		v.Strs = make([]string, 0, n)
	case TypeDynamic:
		v.Dyns = make([]any, 0, n)
	}
	return v
}

// Len is the number of stored values.
func (v *Vector) Len() int {
	switch v.Type {
	case TypeBool:
		return len(v.Bools)
	case TypeInt, TypeLong, TypeDateTime, TypeTimeSpan:
		return len(v.Ints)
	case TypeReal:
		return len(v.Reals)
	case TypeDecimal:
		return len(v.Decs)
	case TypeString, TypeGUID:
		return len(v.Strs)
	case TypeDynamic:
		return len(v.Dyns)
	}
	return 0
}

// row maps a logical row to a stored index (constants repeat index 0).
func (v *Vector) row(i int) int {
	if v.Const {
		return 0
	}
	return i
}

// IsNull reports whether row i is null.
func (v *Vector) IsNull(i int) bool {
	i = v.row(i)
	if v.Type == TypeDynamic {
		return v.Dyns[i] == nil
	}
	return v.Nulls != nil && v.Nulls.Get(i)
}

// At returns row i as a Go value: nil for null, else bool, int32 (int), int64 (long),
// float64, decimal.Decimal, string, DateTime, TimeSpan, GUID or a dynamic value.
func (v *Vector) At(i int) any {
	i = v.row(i)
	if v.Type != TypeDynamic && v.Nulls != nil && v.Nulls.Get(i) {
		return nil
	}
	switch v.Type {
	case TypeBool:
		return v.Bools[i]
	case TypeInt:
		return int32(v.Ints[i])
	case TypeLong:
		return v.Ints[i]
	case TypeDateTime:
		return DateTime(v.Ints[i])
	case TypeTimeSpan:
		return TimeSpan(v.Ints[i])
	case TypeReal:
		return v.Reals[i]
	case TypeDecimal:
		return v.Decs[i]
	case TypeString:
		return v.Strs[i]
	case TypeGUID:
		return GUID(v.Strs[i])
	case TypeDynamic:
		return v.Dyns[i]
	}
	return nil
}

// Append adds one value; nil appends null. The value must be of the Go type At returns
// for this vector's type (int and int64 are both accepted for int and long).
func (v *Vector) Append(x any) error {
	n := v.Len()
	if x == nil {
		v.appendZero()
		if v.Type != TypeString && v.Type != TypeDynamic {
			v.setNull(n)
		}
		return nil
	}
	ok := true
	switch v.Type {
	case TypeBool:
		b, isBool := x.(bool)
		ok = isBool
		v.Bools = append(v.Bools, b)
	case TypeInt, TypeLong:
		switch i := x.(type) {
		case int64:
			v.Ints = append(v.Ints, i)
		case int32:
			v.Ints = append(v.Ints, int64(i))
		case int:
			v.Ints = append(v.Ints, int64(i))
		default:
			ok = false
		}
	case TypeDateTime:
		d, isD := x.(DateTime)
		ok = isD
		v.Ints = append(v.Ints, int64(d))
	case TypeTimeSpan:
		d, isD := x.(TimeSpan)
		ok = isD
		v.Ints = append(v.Ints, int64(d))
	case TypeReal:
		f, isF := x.(float64)
		ok = isF
		v.Reals = append(v.Reals, f)
	case TypeDecimal:
		d, isD := x.(decimal.Decimal)
		ok = isD
		v.Decs = append(v.Decs, d)
	case TypeString:
		s, isS := x.(string)
		ok = isS
		v.Strs = append(v.Strs, s)
	case TypeGUID:
		switch g := x.(type) {
		case GUID:
			v.Strs = append(v.Strs, string(g))
		case string:
			v.Strs = append(v.Strs, g)
		default:
			ok = false
		}
	case TypeDynamic:
		v.Dyns = append(v.Dyns, x)
	default:
		ok = false
	}
	if !ok {
		if v.Len() == n {
			v.appendZero()
		}
		v.setNull(n)
		return fmt.Errorf("table: cannot store %T in a %s column", x, v.Type)
	}
	return nil
}

func (v *Vector) appendZero() {
	switch v.Type {
	case TypeBool:
		v.Bools = append(v.Bools, false)
	case TypeInt, TypeLong, TypeDateTime, TypeTimeSpan:
		v.Ints = append(v.Ints, 0)
	case TypeReal:
		v.Reals = append(v.Reals, 0)
	case TypeDecimal:
		v.Decs = append(v.Decs, decimal.Decimal{})
	case TypeString, TypeGUID:
		v.Strs = append(v.Strs, "")
	case TypeDynamic:
		v.Dyns = append(v.Dyns, nil)
	}
}

func (v *Vector) setNull(i int) {
	if v.Type == TypeString {
		return
	}
	if v.Nulls == nil {
		v.Nulls = &Bitmap{}
	}
	v.Nulls.Set(i)
}

// SetNull marks row i null (a no-op for strings, which have no null).
func (v *Vector) SetNull(i int) { v.setNull(i) }

// Take returns a new vector with the given rows, in order (a gather).
func (v *Vector) Take(rows []int) *Vector {
	out := &Vector{Type: v.Type}
	switch v.Type {
	case TypeBool:
		out.Bools = gather(v.Bools, rows, v.Const)
	case TypeInt, TypeLong, TypeDateTime, TypeTimeSpan:
		out.Ints = gather(v.Ints, rows, v.Const)
	case TypeReal:
		out.Reals = gather(v.Reals, rows, v.Const)
	case TypeDecimal:
		out.Decs = gather(v.Decs, rows, v.Const)
	case TypeString, TypeGUID:
		out.Strs = gather(v.Strs, rows, v.Const)
	case TypeDynamic:
		out.Dyns = gather(v.Dyns, rows, v.Const)
	}
	if v.Nulls != nil {
		for j, r := range rows {
			if v.Nulls.Get(v.row(r)) {
				out.setNull(j)
			}
		}
	}
	return out
}

func gather[T any](src []T, rows []int, isConst bool) []T {
	out := make([]T, len(rows))
	for j, r := range rows {
		if isConst {
			r = 0
		}
		out[j] = src[r]
	}
	return out
}

// Slice returns rows [from, to) sharing storage where possible.
func (v *Vector) Slice(from, to int) *Vector {
	if v.Const {
		c := *v
		return &c
	}
	out := &Vector{Type: v.Type}
	switch v.Type {
	case TypeBool:
		out.Bools = v.Bools[from:to:to]
	case TypeInt, TypeLong, TypeDateTime, TypeTimeSpan:
		out.Ints = v.Ints[from:to:to]
	case TypeReal:
		out.Reals = v.Reals[from:to:to]
	case TypeDecimal:
		out.Decs = v.Decs[from:to:to]
	case TypeString, TypeGUID:
		out.Strs = v.Strs[from:to:to]
	case TypeDynamic:
		out.Dyns = v.Dyns[from:to:to]
	}
	if v.Nulls != nil {
		for i := from; i < to; i++ {
			if v.Nulls.Get(i) {
				out.setNull(i - from)
			}
		}
	}
	return out
}

// Bitmap is a growable set of row indexes.
type Bitmap struct{ words []uint64 }

// Set adds i.
func (b *Bitmap) Set(i int) {
	w := i >> 6
	for len(b.words) <= w {
		b.words = append(b.words, 0)
	}
	b.words[w] |= 1 << (uint(i) & 63)
}

// Clear removes i.
func (b *Bitmap) Clear(i int) {
	if w := i >> 6; w < len(b.words) {
		b.words[w] &^= 1 << (uint(i) & 63)
	}
}

// Get reports whether i is set.
func (b *Bitmap) Get(i int) bool {
	w := i >> 6
	return w < len(b.words) && b.words[w]&(1<<(uint(i)&63)) != 0
}

// Count is the number of set indexes.
func (b *Bitmap) Count() int {
	n := 0
	for _, w := range b.words {
		n += bits.OnesCount64(w)
	}
	return n
}
