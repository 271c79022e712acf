package fn

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
)

// parseJSONValue is parse_json(): a string holding JSON becomes its value; text that is
// not JSON stays a string; dynamic values pass through.
func parseJSONValue(x any) any {
	s, ok := x.(string)
	if !ok {
		return normDyn(x)
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	v, err := table.ParseDynamic(s)
	if err != nil {
		return s
	}
	return v
}

func asArray(x any) ([]any, bool) {
	a, ok := x.([]any)
	return a, ok
}

func asBag(x any) (map[string]any, bool) {
	m, ok := x.(map[string]any)
	return m, ok
}

// dynKey is a hashable identity of a dynamic value for set operations.
func dynKey(x any) string {
	switch v := x.(type) {
	case string:
		return "s" + v
	case nil:
		return "n"
	}
	return "j" + DynamicJSON(x)
}

func dynEqual(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	a, b = normDyn(a), normDyn(b)
	if c, ok := compareValues(a, b); ok {
		_, as := a.(string)
		_, bs := b.(string)
		if as != bs {
			return false // "1" is not 1 inside arrays
		}
		return c == 0
	}
	return false
}

// typeOrder sorts dynamic values of different kinds: numbers, then strings, and so on.
func typeOrder(x any) int {
	switch x.(type) {
	case nil:
		return 9
	case bool:
		return 0
	case int64, float64, decimalT:
		return 1
	case table.DateTime:
		return 2
	case table.TimeSpan:
		return 3
	case string:
		return 4
	case table.GUID:
		return 5
	case []any:
		return 6
	case map[string]any:
		return 7
	}
	return 8
}

func lessDyn(a, b any) bool {
	ta, tb := typeOrder(a), typeOrder(b)
	if ta != tb {
		return ta < tb
	}
	c, ok := compareValues(a, b)
	if !ok {
		return DynamicJSON(a) < DynamicJSON(b)
	}
	return c < 0
}

func registerDynamic(r *registry) {
	r.fn("parse_json", fixed("parse_json", 1, 1, table.TypeDynamic, func(a []any) any { return parseJSONValue(a[0]) }),
		"todynamic", "parsejson", "toobject")
	r.fn("dynamic_to_json", fixed("dynamic_to_json", 1, 1, table.TypeString, func(a []any) any {
		return DynamicJSON(normDyn(a[0]))
	}))
	pack := func(args []Arg) (table.Type, Impl, error) {
		if len(args)%2 != 0 {
			return 0, nil, fmt.Errorf("bag_pack(): expects key/value pairs")
		}
		return table.TypeDynamic, rows(table.TypeDynamic, func(a []any) any {
			m := make(map[string]any, len(a)/2)
			for i := 0; i+1 < len(a); i += 2 {
				m[ToStringValue(a[i])] = normDyn(a[i+1])
			}
			return m
		}), nil
	}
	r.fn("bag_pack", pack, "pack", "pack_dictionary")
	r.fn("pack_array", fixed("pack_array", 1, 1024, table.TypeDynamic, func(a []any) any {
		out := make([]any, len(a))
		for i, x := range a {
			out[i] = normDyn(x)
		}
		return out
	}))
	r.fn("array_length", fixed("array_length", 1, 1, table.TypeLong, func(a []any) any {
		if arr, ok := asArray(a[0]); ok {
			return int64(len(arr))
		}
		return nil
	}))
	r.fn("get_array_length", fixed("get_array_length", 1, 1, table.TypeLong, func(a []any) any {
		if arr, ok := asArray(a[0]); ok {
			return int64(len(arr))
		}
		return nil
	}))
	r.fn("bag_keys", fixed("bag_keys", 1, 1, table.TypeDynamic, func(a []any) any {
		m, ok := asBag(a[0])
		if !ok {
			return nil
		}
		out := []any{}
		for _, k := range table.SortedKeys(m) {
			out = append(out, k)
		}
		return out
	}))
	r.fn("bag_has_key", fixed("bag_has_key", 2, 2, table.TypeBool, func(a []any) any {
		m, ok := asBag(a[0])
		if !ok {
			return false
		}
		_, has := lookupPath(m, ToStringValue(a[1]))
		return has
	}))
	r.fn("bag_merge", fixed("bag_merge", 2, 64, table.TypeDynamic, func(a []any) any {
		out := map[string]any{}
		for _, x := range a {
			m, ok := asBag(x)
			if !ok {
				continue
			}
			for k, v := range m {
				if _, exists := out[k]; !exists {
					out[k] = v
				}
			}
		}
		return out
	}))
	r.fn("bag_remove_keys", fixed("bag_remove_keys", 2, 2, table.TypeDynamic, func(a []any) any {
		m, ok := asBag(a[0])
		if !ok {
			return nil
		}
		keys, _ := asArray(a[1])
		out := deepCopy(m).(map[string]any)
		for _, k := range keys {
			removePath(out, ToStringValue(k))
		}
		return out
	}))
	r.fn("bag_set_key", fixed("bag_set_key", 3, 3, table.TypeDynamic, func(a []any) any {
		m, ok := asBag(a[0])
		if !ok {
			return nil
		}
		out := deepCopy(m).(map[string]any)
		setPath(out, ToStringValue(a[1]), normDyn(a[2]))
		return out
	}))
	setOp := func(name string, op string) {
		r.fn(name, fixed(name, 2, 64, table.TypeDynamic, func(a []any) any {
			arrs := make([][]any, len(a))
			for i, x := range a {
				arr, ok := asArray(x)
				if !ok {
					return nil
				}
				arrs[i] = arr
			}
			out := []any{}
			seen := map[string]bool{}
			switch op {
			case "union":
				for _, arr := range arrs {
					for _, e := range arr {
						k := dynKey(e)
						if !seen[k] {
							seen[k] = true
							out = append(out, e)
						}
					}
				}
			case "intersect":
				for _, e := range arrs[0] {
					k := dynKey(e)
					if seen[k] {
						continue
					}
					inAll := true
					for _, other := range arrs[1:] {
						found := false
						for _, o := range other {
							if dynKey(o) == k {
								found = true
								break
							}
						}
						if !found {
							inAll = false
							break
						}
					}
					if inAll {
						seen[k] = true
						out = append(out, e)
					}
				}
			case "difference":
				excl := map[string]bool{}
				for _, other := range arrs[1:] {
					for _, o := range other {
						excl[dynKey(o)] = true
					}
				}
				for _, e := range arrs[0] {
					k := dynKey(e)
					if !excl[k] && !seen[k] {
						seen[k] = true
						out = append(out, e)
					}
				}
			}
			return out
		}))
	}
	setOp("set_union", "union")
	setOp("set_intersect", "intersect")
	setOp("set_difference", "difference")
	r.fn("set_has_element", fixed("set_has_element", 2, 2, table.TypeBool, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		for _, e := range arr {
			if dynEqual(e, a[1]) {
				return true
			}
		}
		return false
	}))
	r.fn("array_index_of", fixed("array_index_of", 2, 5, table.TypeLong, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		start, length, occ := int64(0), int64(-1), int64(1)
		if len(a) > 2 && a[2] != nil {
			start, _ = toLongV(normDyn(a[2]))
		}
		if len(a) > 3 && a[3] != nil {
			length, _ = toLongV(normDyn(a[3]))
		}
		if len(a) > 4 && a[4] != nil {
			occ, _ = toLongV(normDyn(a[4]))
		}
		if start < 0 {
			start += int64(len(arr))
			if start < 0 {
				start = 0
			}
		}
		end := int64(len(arr))
		if length >= 0 && start+length < end {
			end = start + length
		}
		for i := start; i < end; i++ {
			if dynEqual(arr[i], a[1]) {
				occ--
				if occ == 0 {
					return i
				}
			}
		}
		return int64(-1)
	}))
	r.fn("array_concat", fixed("array_concat", 1, 64, table.TypeDynamic, func(a []any) any {
		out := []any{}
		for _, x := range a {
			arr, ok := asArray(x)
			if !ok {
				return nil
			}
			out = append(out, arr...)
		}
		return out
	}))
	r.fn("array_slice", fixed("array_slice", 3, 3, table.TypeDynamic, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		n := int64(len(arr))
		s, ok1 := toLongV(normDyn(a[1]))
		e, ok2 := toLongV(normDyn(a[2]))
		if !ok1 || !ok2 {
			return nil
		}
		if s < 0 {
			s += n
		}
		if e < 0 {
			e += n
		}
		if s < 0 {
			s = 0
		}
		if e >= n {
			e = n - 1
		}
		if s > e || s >= n {
			return []any{}
		}
		return append([]any{}, arr[s:e+1]...)
	}))
	r.fn("array_reverse", fixed("array_reverse", 1, 1, table.TypeDynamic, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			out[len(arr)-1-i] = e
		}
		return out
	}))
	rotate := func(name string, shift bool, right bool) {
		r.fn(name, fixed(name, 2, 3, table.TypeDynamic, func(a []any) any {
			arr, ok := asArray(a[0])
			if !ok {
				return nil
			}
			k, ok := toLongV(normDyn(a[1]))
			if !ok {
				return nil
			}
			n := int64(len(arr))
			out := make([]any, n)
			if n == 0 {
				return out
			}
			if right {
				k = -k
			}
			for i := int64(0); i < n; i++ {
				j := i + k
				if shift {
					if j >= 0 && j < n {
						out[i] = arr[j]
					} else if len(a) > 2 {
						out[i] = normDyn(a[2])
					}
					continue
				}
				j = ((j % n) + n) % n
				out[i] = arr[j]
			}
			return out
		}))
	}
	rotate("array_shift_left", true, false)
	rotate("array_shift_right", true, true)
	rotate("array_rotate_left", false, false)
	rotate("array_rotate_right", false, true)
	sortFn := func(name string, desc bool) {
		r.fn(name, fixed(name, 1, 64, table.TypeDynamic, func(a []any) any {
			arr, ok := asArray(a[0])
			if !ok {
				return nil
			}
			nullsLast := true
			extra := a[1:]
			if len(extra) > 0 {
				if b, isBool := extra[len(extra)-1].(bool); isBool {
					nullsLast = b
					extra = extra[:len(extra)-1]
				}
			}
			var more [][]any
			for _, e := range extra {
				if m, ok := asArray(e); ok {
					more = append(more, m)
				}
			}
			idx := make([]int, len(arr))
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(x, y int) bool {
				p, q := arr[idx[x]], arr[idx[y]]
				if p == nil || q == nil {
					if p == nil && q == nil {
						return false
					}
					return (p == nil) != nullsLast
				}
				if desc {
					return lessDyn(q, p)
				}
				return lessDyn(p, q)
			})
			out := make([]any, len(arr))
			for i, j := range idx {
				out[i] = arr[j]
			}
			if len(more) == 0 {
				return out
			}
			// Several arrays: each is reordered like the first; the result is an array of
			// the sorted arrays (the engine spreads it over columns).
			res := []any{out}
			for _, m := range more {
				if len(m) != len(arr) {
					res = append(res, nil)
					continue
				}
				o := make([]any, len(m))
				for i, j := range idx {
					o[i] = m[j]
				}
				res = append(res, o)
			}
			return res
		}))
	}
	sortFn("array_sort_asc", false)
	sortFn("array_sort_desc", true)
	r.fn("strcat_array", fixed("strcat_array", 2, 2, table.TypeString, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return ""
		}
		parts := make([]string, len(arr))
		for i, e := range arr {
			parts[i] = ToStringValue(e)
		}
		return strings.Join(parts, ToStringValue(a[1]))
	}), "array_strcat")
	r.fn("zip", fixed("zip", 2, 64, table.TypeDynamic, func(a []any) any {
		arrs := make([][]any, len(a))
		n := 0
		for i, x := range a {
			arr, ok := asArray(x)
			if !ok {
				return nil
			}
			arrs[i] = arr
			n = max(n, len(arr))
		}
		out := make([]any, n)
		for i := range out {
			row := make([]any, len(arrs))
			for j, arr := range arrs {
				if i < len(arr) {
					row[j] = arr[i]
				}
			}
			out[i] = row
		}
		return out
	}))
	r.fn("array_sum", fixed("array_sum", 1, 1, table.TypeReal, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		var s float64
		for _, e := range arr {
			f, ok := numReal(normDyn(e))
			if !ok {
				return nil
			}
			s += f
		}
		return s
	}))
	r.fn("array_iff", fixed("array_iff", 3, 3, table.TypeDynamic, func(a []any) any {
		c, ok1 := asArray(a[0])
		if !ok1 {
			return nil
		}
		pick := func(x any, i int) any {
			if arr, ok := asArray(x); ok {
				if i < len(arr) {
					return arr[i]
				}
				return nil
			}
			return normDyn(x)
		}
		out := make([]any, len(c))
		for i, cv := range c {
			b, ok := toBoolV(normDyn(cv))
			switch {
			case !ok:
				out[i] = nil
			case b:
				out[i] = pick(a[1], i)
			default:
				out[i] = pick(a[2], i)
			}
		}
		return out
	}), "array_iif")
	r.fn("array_split", fixed("array_split", 2, 2, table.TypeDynamic, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return nil
		}
		var idx []int64
		if ia, ok := asArray(a[1]); ok {
			for _, x := range ia {
				v, _ := toLongV(normDyn(x))
				idx = append(idx, v)
			}
		} else if v, ok := toLongV(normDyn(a[1])); ok {
			idx = []int64{v}
		}
		out := []any{}
		prev := int64(0)
		n := int64(len(arr))
		for _, k := range idx {
			if k < 0 {
				k += n
			}
			k = min(max(k, prev), n)
			out = append(out, append([]any{}, arr[prev:k]...))
			prev = k
		}
		out = append(out, append([]any{}, arr[prev:]...))
		return out
	}))
	r.fn("jaccard_index", fixed("jaccard_index", 2, 2, table.TypeReal, func(a []any) any {
		x, ok1 := asArray(a[0])
		y, ok2 := asArray(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		sx, sy := map[string]bool{}, map[string]bool{}
		for _, e := range x {
			sx[dynKey(e)] = true
		}
		for _, e := range y {
			sy[dynKey(e)] = true
		}
		inter := 0
		for k := range sx {
			if sy[k] {
				inter++
			}
		}
		union := len(sx) + len(sy) - inter
		if union == 0 {
			return nil
		}
		return float64(inter) / float64(union)
	}))
	r.fn("treepath", fixed("treepath", 1, 1, table.TypeDynamic, func(a []any) any {
		out := []any{}
		var walk func(x any, p string)
		walk = func(x any, p string) {
			switch v := x.(type) {
			case map[string]any:
				for _, k := range table.SortedKeys(v) {
					kp := p + "['" + k + "']"
					out = append(out, kp)
					walk(v[k], kp)
				}
			case []any:
				if len(v) > 0 {
					kp := p + "[0]"
					out = append(out, kp)
					walk(v[0], kp)
				}
			}
		}
		walk(a[0], "$")
		return out
	}))
	r.fn("gettype", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("gettype", args, 1, 1); err != nil {
			return 0, nil, err
		}
		static := args[0].Type
		return table.TypeString, rows(table.TypeString, func(a []any) any {
			if static != table.TypeDynamic {
				if a[0] == nil && static != table.TypeString {
					return static.String()
				}
				return static.String()
			}
			// Inside dynamic, integers that fit 32 bits report "int" (gettype(parse_json('1'))).
			if i, ok := a[0].(int64); ok && i >= math.MinInt32 && i <= math.MaxInt32 {
				return "int"
			}
			return getType(a[0])
		}), nil
	})
	r.fn("extract_json", bindExtractJSON, "extractjson")
}

func getType(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int32:
		return "int"
	case int64:
		return "long"
	case float64:
		return "real"
	case decimalT:
		return "decimal"
	case string:
		return "string"
	case table.DateTime:
		return "datetime"
	case table.TimeSpan:
		return "timespan"
	case table.GUID:
		return "guid"
	case []any:
		return "array"
	case map[string]any:
		return "dictionary"
	}
	return "object"
}

func deepCopy(x any) any {
	switch v := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = deepCopy(e)
		}
		return a
	}
	return x
}

// splitPath splits "a.b" or "$.a.b" / "['a']['b']" bag paths into keys.
func splitPath(p string) []string {
	p = strings.TrimPrefix(strings.TrimPrefix(p, "$"), ".")
	var keys []string
	for len(p) > 0 {
		switch {
		case strings.HasPrefix(p, "['") || strings.HasPrefix(p, "[\""):
			q := p[1]
			end := strings.IndexByte(p[2:], q)
			if end < 0 {
				return append(keys, p)
			}
			keys = append(keys, p[2:2+end])
			p = strings.TrimPrefix(p[2+end+1:], "]")
		case p[0] == '.':
			p = p[1:]
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return append(keys, p[1:])
			}
			keys = append(keys, p[1:end])
			p = p[end+1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			keys = append(keys, p[:end])
			p = p[end:]
		}
	}
	return keys
}

func lookupPath(m map[string]any, p string) (any, bool) {
	if v, ok := m[p]; ok {
		return v, true
	}
	var cur any = m
	for _, k := range splitPath(p) {
		b, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = b[k]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

func removePath(m map[string]any, p string) {
	if _, ok := m[p]; ok {
		delete(m, p)
		return
	}
	keys := splitPath(p)
	cur := m
	for i, k := range keys {
		if i == len(keys)-1 {
			delete(cur, k)
			return
		}
		next, ok := cur[k].(map[string]any)
		if !ok {
			return
		}
		cur = next
	}
}

func setPath(m map[string]any, p string, v any) {
	keys := splitPath(p)
	if len(keys) == 0 {
		return
	}
	cur := m
	for _, k := range keys[:len(keys)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	cur[keys[len(keys)-1]] = v
}
