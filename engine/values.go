package engine

import (
	"math"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

// compareValues orders two values of the same KQL type (as Vector.At returns them):
// -1, 0 or 1. nil sorts before everything. Mixed numeric types compare as numbers.
func compareValues(a, b any) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp3(x, y)
		case int32:
			return cmp3(x, int64(y))
		case float64:
			return cmpFloat(float64(x), y)
		}
	case int32:
		switch y := b.(type) {
		case int32:
			return cmp3(x, y)
		case int64:
			return cmp3(int64(x), y)
		case float64:
			return cmpFloat(float64(x), y)
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return cmpFloat(x, y)
		case int64:
			return cmpFloat(x, float64(y))
		case int32:
			return cmpFloat(x, float64(y))
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case table.DateTime:
		if y, ok := b.(table.DateTime); ok {
			return cmp3(x, y)
		}
	case table.TimeSpan:
		if y, ok := b.(table.TimeSpan); ok {
			return cmp3(x, y)
		}
	case table.GUID:
		if y, ok := b.(table.GUID); ok {
			return strings.Compare(string(x), string(y))
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case decimal.Decimal:
		if y, ok := b.(decimal.Decimal); ok {
			return x.Cmp(y)
		}
	}
	// Different kinds (dynamic values): order by kind, then by JSON text.
	ka, kb := kindRank(a), kindRank(b)
	if ka != kb {
		return cmp3(ka, kb)
	}
	return strings.Compare(table.DynamicJSON(a), table.DynamicJSON(b))
}

func kindRank(x any) int {
	switch x.(type) {
	case bool:
		return 1
	case int32, int64, float64, decimal.Decimal:
		return 2
	case table.DateTime:
		return 3
	case table.TimeSpan:
		return 4
	case string:
		return 5
	case table.GUID:
		return 6
	case []any:
		return 7
	case map[string]any:
		return 8
	}
	return 9
}

func cmp3[T int | int32 | int64 | table.DateTime | table.TimeSpan](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpFloat orders NaN before every number (nulls come first anyway).
func cmpFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return -1
	case bn:
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// keyString encodes a value as a hashable, type-tagged key.
func appendKey(buf []byte, x any) []byte {
	switch v := x.(type) {
	case nil:
		return append(buf, 0)
	case string:
		buf = append(buf, 's')
		buf = appendUvarint(buf, uint64(len(v)))
		return append(buf, v...)
	case int64:
		return appendU64(append(buf, 'l'), uint64(v))
	case int32:
		return appendU64(append(buf, 'l'), uint64(int64(v)))
	case float64:
		if v == 0 {
			v = 0 // -0 groups with 0
		}
		return appendU64(append(buf, 'r'), math.Float64bits(v))
	case bool:
		if v {
			return append(buf, 'T')
		}
		return append(buf, 'F')
	case table.DateTime:
		return appendU64(append(buf, 'd'), uint64(v))
	case table.TimeSpan:
		return appendU64(append(buf, 't'), uint64(v))
	case table.GUID:
		buf = append(buf, 'g')
		return append(append(buf, v...), 0)
	case decimal.Decimal:
		s := v.String()
		buf = append(buf, 'm')
		buf = appendUvarint(buf, uint64(len(s)))
		return append(buf, s...)
	}
	s := table.DynamicJSON(x)
	buf = append(buf, 'j')
	buf = appendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func appendU64(b []byte, u uint64) []byte {
	return append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24), byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
}

func appendUvarint(b []byte, u uint64) []byte {
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}

// at returns row i of v, honouring Const.
func at(v *table.Vector, i int) any {
	if v.Const {
		return v.At(0)
	}
	return v.At(i)
}

func truthy(v *table.Vector, i int) bool {
	if v.Const {
		i = 0
	}
	if v.Type != table.TypeBool {
		x := v.At(i)
		b, _ := x.(bool)
		return b
	}
	if v.Nulls != nil && v.Nulls.Get(i) {
		return false
	}
	return v.Bools[i]
}
