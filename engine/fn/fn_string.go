package fn

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/kqlkernel/kqlkernel/table"
)

// bindStr1 binds a string -> string function with a typed loop.
func bindStr1(name string, f func(string) string) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 1, 1); err != nil {
			return 0, nil, err
		}
		return table.TypeString, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			hs := strsOf(args[0])
			s := stride(args[0])
			out := make([]string, n)
			for i := range out {
				out[i] = f(hs[i*s])
			}
			return &table.Vector{Type: table.TypeString, Strs: out}, nil
		}, nil
	}
}

// strLong binds a string -> long function.
func bindStrLong(name string, f func(string) int64) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 1, 1); err != nil {
			return 0, nil, err
		}
		return table.TypeLong, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			hs := strsOf(args[0])
			s := stride(args[0])
			out := make([]int64, n)
			for i := range out {
				out[i] = f(hs[i*s])
			}
			return &table.Vector{Type: table.TypeLong, Ints: out}, nil
		}, nil
	}
}

// runeLen is strlen(): Kusto counts Unicode code points.
func runeLen(s string) int64 {
	if isASCII(s) {
		return int64(len(s))
	}
	return int64(utf8.RuneCountInString(s))
}

func substringRunes(s string, start, length int64, hasLen bool) string {
	if start < 0 {
		// A negative start counts from the end (substring("123456", -2, 2) is "56").
		start += int64(utf8.RuneCountInString(s))
		if start < 0 {
			start = 0
		}
	}
	if isASCII(s) {
		if start >= int64(len(s)) {
			return ""
		}
		end := int64(len(s))
		if hasLen {
			if length < 0 {
				return ""
			}
			if start+length < end {
				end = start + length
			}
		}
		return s[start:end]
	}
	rs := []rune(s)
	if start >= int64(len(rs)) {
		return ""
	}
	end := int64(len(rs))
	if hasLen {
		if length < 0 {
			return ""
		}
		if start+length < end {
			end = start + length
		}
	}
	return string(rs[start:end])
}

// runeIndex converts a byte offset to a character offset.
func runeIndex(s string, byteOff int) int64 {
	if byteOff < 0 {
		return int64(byteOff)
	}
	return int64(utf8.RuneCountInString(s[:byteOff]))
}

func regexArg(name string, a Arg) (*regexp.Regexp, error) {
	p, ok := constString(a)
	if !ok {
		return nil, nil
	}
	re, err := compileRegex(p)
	if err != nil {
		return nil, fmt.Errorf("%s(): %w", name, err)
	}
	return re, nil
}

// reFor returns the bound constant regex or compiles the row's pattern.
func reFor(fixed *regexp.Regexp, cache regexCache, p any) *regexp.Regexp {
	if fixed != nil {
		return fixed
	}
	r, err := cache.get(ToStringValue(p))
	if err != nil {
		return nil
	}
	return r
}

// rewriteToGo converts Kusto's \1 backreferences in a replace_regex rewrite to Go's ${1}.
func rewriteToGo(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			b.WriteString("${")
			b.WriteByte(s[i+1])
			b.WriteString("}")
			i++
			continue
		}
		if c == '$' {
			b.WriteString("$$")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func registerString(r *registry) {
	caseMap := func(name string, tab *[256]byte, slow func(string) string) binder {
		return func(args []Arg) (table.Type, Impl, error) {
			if err := argc(name, args, 1, 1); err != nil {
				return 0, nil, err
			}
			return table.TypeString, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
				return &table.Vector{Type: table.TypeString, Strs: mapStrings(strsOf(args[0]), n, stride(args[0]), tab, slow)}, nil
			}, nil
		}
	}
	r.fn("tolower", caseMap("tolower", &lowerTab, strings.ToLower))
	r.fn("toupper", caseMap("toupper", &upperTab, strings.ToUpper))
	r.fn("reverse", bindStr1("reverse", func(s string) string {
		rs := []rune(s)
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		return string(rs)
	}))
	r.fn("strlen", bindStrLong("strlen", runeLen))
	r.fn("string_size", bindStrLong("string_size", func(s string) int64 { return int64(len(s)) }))
	r.fn("regex_quote", bindStr1("regex_quote", regexp.QuoteMeta))
	r.fn("strcat", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("strcat", args, 1, 64); err != nil {
			return 0, nil, err
		}
		return table.TypeString, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			cols := make([][]string, len(args))
			ss := make([]int, len(args))
			for j, a := range args {
				cols[j], ss[j] = strsOf(a), stride(a)
			}
			// One buffer for the batch; the strings are slices of it.
			total := 0
			for j := range cols {
				if ss[j] == 0 {
					total += len(cols[j][0]) * n
					continue
				}
				for _, x := range cols[j][:n] {
					total += len(x)
				}
			}
			buf := make([]byte, 0, total)
			out := make([]string, n)
			for i := range out {
				start := len(buf)
				for j := range cols {
					buf = append(buf, cols[j][i*ss[j]]...)
				}
				out[i] = unsafe.String(unsafe.SliceData(buf[start:]), len(buf)-start)
			}
			return &table.Vector{Type: table.TypeString, Strs: out}, nil
		}, nil
	})
	r.fn("strcat_delim", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("strcat_delim", args, 2, 65); err != nil {
			return 0, nil, err
		}
		return table.TypeString, rows(table.TypeString, func(a []any) any {
			parts := make([]string, len(a)-1)
			for i, x := range a[1:] {
				parts[i] = ToStringValue(x)
			}
			return strings.Join(parts, ToStringValue(a[0]))
		}), nil
	})
	r.fn("substring", withFast(fixed("substring", 2, 3, table.TypeString, func(a []any) any {
		if a[1] == nil {
			return ""
		}
		start, _ := toLongV(normDyn(a[1]))
		var l int64
		hasLen := len(a) > 2 && a[2] != nil
		if hasLen {
			l, _ = toLongV(normDyn(a[2]))
		}
		return substringRunes(ToStringValue(a[0]), start, l, hasLen)
	}), fastSubstring))
	r.fn("strcmp", fixed("strcmp", 2, 2, table.TypeLong, func(a []any) any {
		return int64(strings.Compare(ToStringValue(a[0]), ToStringValue(a[1])))
	}))
	r.fn("strrep", fixed("strrep", 2, 3, table.TypeString, func(a []any) any {
		k, ok := toLongV(normDyn(a[1]))
		if !ok || k <= 0 {
			return ""
		}
		if k > 1024 {
			k = 1024
		}
		d := ""
		if len(a) > 2 {
			d = ToStringValue(a[2])
		}
		s := ToStringValue(a[0])
		parts := make([]string, k)
		for i := range parts {
			parts[i] = s
		}
		return strings.Join(parts, d)
	}))
	r.fn("indexof", withFast(fixed("indexof", 2, 5, table.TypeLong, func(a []any) any {
		for _, x := range a {
			if x == nil {
				return nil
			}
		}
		s, m := ToStringValue(a[0]), ToStringValue(a[1])
		rs := []rune(s)
		var start, length, occ int64 = 0, -1, 1
		if len(a) > 2 {
			start, _ = toLongV(normDyn(a[2]))
		}
		if len(a) > 3 {
			length, _ = toLongV(normDyn(a[3]))
		}
		if len(a) > 4 {
			occ, _ = toLongV(normDyn(a[4]))
		}
		if start < 0 {
			start += int64(len(rs))
			if start < 0 {
				start = 0
			}
		}
		if start > int64(len(rs)) || length < -1 || occ <= 0 {
			return nil
		}
		// Each further occurrence is searched in a window of the same length that starts
		// one character after the previous match (Kusto's documented results).
		m16 := []rune(m)
		pos := start
		for k := int64(0); k < occ; k++ {
			end := int64(len(rs))
			if length >= 0 && pos+length < end {
				end = pos + length
			}
			found := int64(-1)
			for i := pos; i+int64(len(m16)) <= end; i++ {
				if runesHasPrefix(rs[i:], m16) {
					found = i
					break
				}
			}
			if found < 0 {
				return int64(-1)
			}
			if k == occ-1 {
				return found
			}
			pos = found + 1
		}
		return int64(-1)
	}), fastIndexOf))
	r.fn("indexof_regex", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("indexof_regex", args, 2, 5); err != nil {
			return 0, nil, err
		}
		re, err := regexArg("indexof_regex", args[1])
		if err != nil {
			return 0, nil, err
		}
		cache := regexCache{}
		return table.TypeLong, rowsNull(table.TypeLong, func(a []any) any {
			s := ToStringValue(a[0])
			rx := reFor(re, cache, a[1])
			if rx == nil {
				return nil
			}
			var start, length, occ int64 = 0, -1, 1
			if len(a) > 2 {
				start, _ = toLongV(normDyn(a[2]))
			}
			if len(a) > 3 {
				length, _ = toLongV(normDyn(a[3]))
			}
			if len(a) > 4 {
				occ, _ = toLongV(normDyn(a[4]))
			}
			rs := []rune(s)
			if start < 0 || start > int64(len(rs)) || length < -1 || occ <= 0 {
				return nil
			}
			end := int64(len(rs))
			if length >= 0 && start+length < end {
				end = start + length
			}
			sub := string(rs[start:end])
			locs := rx.FindAllStringIndex(sub, int(occ))
			if int64(len(locs)) < occ {
				return int64(-1)
			}
			loc := locs[occ-1]
			return start + runeIndex(sub, loc[0])
		}), nil
	})
	r.fn("countof", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("countof", args, 2, 3); err != nil {
			return 0, nil, err
		}
		isRegex := false
		if len(args) == 3 {
			k, _ := constString(args[2])
			isRegex = k == "regex"
		}
		cache := regexCache{}
		return table.TypeLong, rows(table.TypeLong, func(a []any) any {
			s, m := ToStringValue(a[0]), ToStringValue(a[1])
			if isRegex {
				re, err := cache.get(m)
				if err != nil {
					return nil
				}
				return int64(len(re.FindAllStringIndex(s, -1)))
			}
			if m == "" {
				return int64(0)
			}
			// Kusto counts overlapping occurrences in the plain kind.
			var c int64
			for i := 0; ; {
				j := strings.Index(s[i:], m)
				if j < 0 {
					break
				}
				c++
				_, sz := utf8.DecodeRuneInString(s[i+j:])
				i += j + sz
			}
			return c
		}), nil
	})
	r.fn("split", fixedNull("split", 2, 3, table.TypeDynamic, func(a []any) any {
		s, d := ToStringValue(a[0]), ToStringValue(a[1])
		var parts []string
		if d == "" {
			parts = []string{s}
		} else {
			parts = strings.Split(s, d)
		}
		if len(a) > 2 {
			k, ok := toLongV(normDyn(a[2]))
			if !ok || k < 0 || k >= int64(len(parts)) {
				return []any{}
			}
			return []any{parts[k]}
		}
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out
	}))
	r.fn("extract", fastExtract(func(args []Arg) (table.Type, Impl, error) {
		if err := argc("extract", args, 3, 4); err != nil {
			return 0, nil, err
		}
		re, err := regexArg("extract", args[0])
		if err != nil {
			return 0, nil, err
		}
		rt := table.TypeString
		if len(args) == 4 {
			rt = typeArg(args[3])
			if rt == 0 {
				return 0, nil, fmt.Errorf("extract(): argument 4 must be typeof(<type>)")
			}
		}
		cache := regexCache{}
		return rt, rows(rt, func(a []any) any {
			rx := reFor(re, cache, a[0])
			g, ok := toLongV(normDyn(a[1]))
			if rx == nil || !ok || a[2] == nil {
				return emptyOf(rt)
			}
			m := rx.FindStringSubmatch(ToStringValue(a[2]))
			if m == nil || g < 0 || g >= int64(len(m)) {
				return emptyOf(rt)
			}
			if rt == table.TypeString {
				return m[g]
			}
			return convertExplicit(rt, m[g])
		}), nil
	}))
	extractAll := func(args []Arg) (table.Type, Impl, error) {
		if err := argc("extract_all", args, 2, 3); err != nil {
			return 0, nil, err
		}
		re, err := regexArg("extract_all", args[0])
		if err != nil {
			return 0, nil, err
		}
		cache := regexCache{}
		return table.TypeDynamic, rows(table.TypeDynamic, func(a []any) any {
			rx := reFor(re, cache, a[0])
			src := a[len(a)-1]
			if rx == nil || src == nil {
				return nil
			}
			var groups []int64
			if len(a) == 3 {
				arr, _ := a[1].([]any)
				for _, g := range arr {
					if name, isName := g.(string); isName {
						groups = append(groups, int64(rx.SubexpIndex(name)))
						continue
					}
					if v, ok := toLongV(normDyn(g)); ok {
						groups = append(groups, v)
					}
				}
			}
			ms := rx.FindAllStringSubmatch(ToStringValue(src), -1)
			if len(ms) == 0 {
				return nil
			}
			out := make([]any, 0, len(ms))
			for _, m := range ms {
				switch {
				case groups != nil:
					row := make([]any, len(groups))
					for i, g := range groups {
						if g >= 0 && g < int64(len(m)) {
							row[i] = m[g]
						}
					}
					out = append(out, row)
				case len(m) == 1:
					out = append(out, m[0])
				case len(m) == 2:
					out = append(out, m[1])
				default:
					row := make([]any, len(m)-1)
					for i := range row {
						row[i] = m[i+1]
					}
					out = append(out, row)
				}
			}
			return out
		}), nil
	}
	r.fn("extract_all", extractAll, "extractall")
	r.fn("replace_string", withFast(fixed("replace_string", 3, 3, table.TypeString, func(a []any) any {
		s, old := ToStringValue(a[0]), ToStringValue(a[1])
		if old == "" {
			return s
		}
		return strings.ReplaceAll(s, old, ToStringValue(a[2]))
	}), fastReplaceString))
	r.fn("replace_strings", fixed("replace_strings", 3, 3, table.TypeString, func(a []any) any {
		return replaceStrings(ToStringValue(a[0]), a[1], a[2])
	}))
	replaceRegex := func(name string, srcIdx, reIdx, rwIdx int) binder {
		return func(args []Arg) (table.Type, Impl, error) {
			if err := argc(name, args, 3, 3); err != nil {
				return 0, nil, err
			}
			re, err := regexArg(name, args[reIdx])
			if err != nil {
				return 0, nil, err
			}
			cache := regexCache{}
			return table.TypeString, rows(table.TypeString, func(a []any) any {
				rx := reFor(re, cache, a[reIdx])
				s := ToStringValue(a[srcIdx])
				if rx == nil {
					return s
				}
				return rx.ReplaceAllString(s, rewriteToGo(ToStringValue(a[rwIdx])))
			}), nil
		}
	}
	r.fn("replace_regex", replaceRegex("replace_regex", 0, 1, 2))
	r.fn("replace", replaceRegex("replace", 2, 0, 1))
	trim := func(name string, lead, trail bool) binder {
		return func(args []Arg) (table.Type, Impl, error) {
			if err := argc(name, args, 2, 2); err != nil {
				return 0, nil, err
			}
			build := func(p string) (*regexp.Regexp, *regexp.Regexp, error) {
				var l, t *regexp.Regexp
				var err error
				if lead {
					if l, err = regexp.Compile("^(?:" + p + ")+"); err != nil {
						return nil, nil, fmt.Errorf("%s(): invalid regular expression %q: %w", name, p, err)
					}
				}
				if trail {
					if t, err = regexp.Compile("(?:" + p + ")+$"); err != nil {
						return nil, nil, fmt.Errorf("%s(): invalid regular expression %q: %w", name, p, err)
					}
				}
				return l, t, nil
			}
			var cl, ct *regexp.Regexp
			isConst := false
			if p, ok := constString(args[0]); ok {
				var err error
				if cl, ct, err = build(p); err != nil {
					return 0, nil, err
				}
				isConst = true
			}
			return table.TypeString, rows(table.TypeString, func(a []any) any {
				l, t := cl, ct
				if !isConst {
					var err error
					if l, t, err = build(ToStringValue(a[0])); err != nil {
						return ToStringValue(a[1])
					}
				}
				s := ToStringValue(a[1])
				if l != nil {
					if loc := l.FindStringIndex(s); loc != nil {
						s = s[loc[1]:]
					}
				}
				if t != nil {
					if loc := t.FindStringIndex(s); loc != nil {
						s = s[:loc[0]]
					}
				}
				return s
			}), nil
		}
	}
	r.fn("trim", trim("trim", true, true))
	r.fn("trim_start", trim("trim_start", true, false))
	r.fn("trim_end", trim("trim_end", false, true))
	r.fn("translate", fixed("translate", 3, 3, table.TypeString, func(a []any) any {
		from, to, s := []rune(ToStringValue(a[0])), []rune(ToStringValue(a[1])), ToStringValue(a[2])
		m := map[rune]int{}
		for i, c := range from {
			if _, ok := m[c]; !ok {
				m[c] = i
			}
		}
		var b strings.Builder
		for _, c := range s {
			i, ok := m[c]
			switch {
			case !ok:
				b.WriteRune(c)
			case len(to) == 0:
			case i < len(to):
				b.WriteRune(to[i])
			default:
				b.WriteRune(to[len(to)-1])
			}
		}
		return b.String()
	}))
	r.fn("tohex", fixedNull("tohex", 1, 2, table.TypeString, func(a []any) any {
		var s string
		switch v := normDyn(a[0]).(type) {
		case int64:
			if _, isInt := a[0].(int32); isInt {
				s = strconv.FormatUint(uint64(uint32(v)), 16)
			} else {
				s = strconv.FormatUint(uint64(v), 16)
			}
		default:
			i, ok := toLongV(v)
			if !ok {
				return ""
			}
			s = strconv.FormatUint(uint64(i), 16)
		}
		if len(a) > 1 {
			if w, ok := toLongV(normDyn(a[1])); ok && w > int64(len(s)) {
				s = strings.Repeat("0", int(min(w, 1024))-len(s)) + s
			}
		}
		return s
	}))
	r.fn("has_any_index", fixed("has_any_index", 2, 2, table.TypeLong, func(a []any) any {
		arr, _ := a[1].([]any)
		s := ToStringValue(a[0])
		for i, e := range arr {
			m := newMatcher(ToStringValue(e), false)
			if m.has(s, true, true) {
				return int64(i)
			}
		}
		return int64(-1)
	}))
	r.fn("unicode_codepoints_from_string", fixedNull("unicode_codepoints_from_string", 1, 1, table.TypeDynamic, func(a []any) any {
		out := []any{}
		for _, c := range ToStringValue(a[0]) {
			out = append(out, int64(c))
		}
		return out
	}), "to_utf8")
	r.fn("unicode_codepoints_to_string", fixed("unicode_codepoints_to_string", 1, 64, table.TypeString, func(a []any) any {
		var b strings.Builder
		var add func(x any)
		add = func(x any) {
			if arr, ok := x.([]any); ok {
				for _, e := range arr {
					add(e)
				}
				return
			}
			if v, ok := toLongV(normDyn(x)); ok {
				b.WriteRune(rune(v))
			}
		}
		for _, x := range a {
			add(x)
		}
		return b.String()
	}), "make_string")
}

// typeArg reads a typeof(T) argument: the engine passes it as a Const string holding
// the type name.
func typeArg(a Arg) table.Type {
	if s, ok := constString(a); ok {
		t, _ := table.ParseType(strings.TrimSuffix(strings.TrimPrefix(s, "typeof("), ")"))
		return t
	}
	return 0
}

func emptyOf(t table.Type) any {
	if t == table.TypeString {
		return ""
	}
	return nil
}

// replaceStrings applies the lookups in order on the original text: an occurrence that
// overlaps a span an earlier lookup already replaced is left alone (Kusto's rule). A
// non-string rewrite disables its lookup.
func replaceStrings(s string, lookups, rewrites any) string {
	lk, _ := lookups.([]any)
	rw, _ := rewrites.([]any)
	type span struct {
		from, to int
		with     string
	}
	var spans []span
	overlaps := func(f, t int) bool {
		for _, sp := range spans {
			if f < sp.to && sp.from < t {
				return true
			}
		}
		return false
	}
	for i, l := range lk {
		ls, ok := l.(string)
		if !ok || ls == "" || i >= len(rw) {
			continue
		}
		with, ok := rw[i].(string)
		if !ok {
			with = ls // a non-string rewrite keeps the text but still claims the span
		}
		for from := 0; from <= len(s)-len(ls); {
			j := strings.Index(s[from:], ls)
			if j < 0 {
				break
			}
			f := from + j
			if !overlaps(f, f+len(ls)) {
				spans = append(spans, span{f, f + len(ls), with})
				from = f + len(ls)
			} else {
				from = f + 1
			}
		}
	}
	if len(spans) == 0 {
		return s
	}
	sort.Slice(spans, func(x, y int) bool { return spans[x].from < spans[y].from })
	var b strings.Builder
	prev := 0
	for _, sp := range spans {
		b.WriteString(s[prev:sp.from])
		b.WriteString(sp.with)
		prev = sp.to
	}
	b.WriteString(s[prev:])
	return b.String()
}

func runesHasPrefix(s, p []rune) bool {
	if len(p) > len(s) {
		return false
	}
	for i := range p {
		if s[i] != p[i] {
			return false
		}
	}
	return true
}
