package fn

import (
	"regexp"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
)

// Typed fast paths for common functions over a string column with constant other
// arguments: no boxing per row, and string results share the input's bytes where they
// can. Each falls back to the generic binder when its shape does not apply.

// strRowFn computes row i of out from one input string.
type strRowFn func(s string, out *table.Vector, i int)

func stringColumnImpl(rt table.Type, f strRowFn) Impl {
	return func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		in := strsOf(args[0])
		st := stride(args[0])
		out := newOut(rt, n)
		for i := 0; i < n; i++ {
			if args[0].Type != table.TypeString && nullAt(args[0], i) {
				out.SetNull(i)
				continue
			}
			f(in[i*st], out, i)
		}
		return out, nil
	}
}

func restConst(args []Arg) bool {
	for _, a := range args[1:] {
		if !a.Const {
			return false
		}
	}
	return true
}

// withFast binds through fast when it applies (first arg a string column, the rest
// constants), otherwise through the generic binder.
func withFast(generic binder, fast func(args []Arg) (table.Type, strRowFn, bool)) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) > 0 && args[0].Type == table.TypeString && restConst(args) {
			if rt, f, ok := fast(args); ok {
				return rt, stringColumnImpl(rt, f), nil
			}
		}
		return generic(args)
	}
}

func constLong(a Arg) (int64, bool) {
	if a.Value == nil {
		return 0, false
	}
	return toLongV(normDyn(a.Value))
}

func fastConv(t table.Type) func(args []Arg) (table.Type, strRowFn, bool) {
	return func(args []Arg) (table.Type, strRowFn, bool) {
		if len(args) != 1 {
			return 0, nil, false
		}
		switch t {
		case table.TypeLong, table.TypeInt:
			return t, func(s string, out *table.Vector, i int) {
				v, ok := parseLong(s)
				if ok && t == table.TypeInt && (v > 1<<31-1 || v < -1<<31) {
					ok = false
				}
				if !ok {
					out.SetNull(i)
					return
				}
				out.Ints[i] = v
			}, true
		case table.TypeReal:
			return t, func(s string, out *table.Vector, i int) {
				f, ok := parseReal(s)
				if !ok {
					out.SetNull(i)
					return
				}
				out.Reals[i] = f
			}, true
		case table.TypeDateTime:
			return t, func(s string, out *table.Vector, i int) {
				d, ok := ParseDateTime(s)
				if !ok {
					out.SetNull(i)
					return
				}
				out.Ints[i] = int64(d)
			}, true
		}
		return 0, nil, false
	}
}

func fastSubstring(args []Arg) (table.Type, strRowFn, bool) {
	if len(args) < 2 {
		return 0, nil, false
	}
	start, ok := constLong(args[1])
	if !ok {
		return 0, nil, false
	}
	var length int64
	hasLen := len(args) > 2 && args[2].Value != nil
	if hasLen {
		if length, ok = constLong(args[2]); !ok {
			return 0, nil, false
		}
	}
	return table.TypeString, func(s string, out *table.Vector, i int) {
		out.Strs[i] = substringRunes(s, start, length, hasLen)
	}, true
}

func fastReplaceString(args []Arg) (table.Type, strRowFn, bool) {
	if len(args) != 3 {
		return 0, nil, false
	}
	old, ok1 := constString(args[1])
	repl, ok2 := constString(args[2])
	if !ok1 || !ok2 || args[1].Type != table.TypeString || args[2].Type != table.TypeString {
		return 0, nil, false
	}
	return table.TypeString, func(s string, out *table.Vector, i int) {
		if old == "" {
			out.Strs[i] = s
			return
		}
		out.Strs[i] = strings.ReplaceAll(s, old, repl)
	}, true
}

func fastIndexOf(args []Arg) (table.Type, strRowFn, bool) {
	if len(args) != 2 || args[1].Type != table.TypeString {
		return 0, nil, false
	}
	m, ok := constString(args[1])
	if !ok {
		return 0, nil, false
	}
	return table.TypeLong, func(s string, out *table.Vector, i int) {
		j := strings.Index(s, m)
		if j > 0 && !isASCII(s[:j]) {
			out.Ints[i] = runeIndex(s, j)
			return
		}
		out.Ints[i] = int64(j)
	}, true
}

// fastExtract applies extract(const regex, const group, column) with a string result: the
// argument order differs (the column is last), so it has its own binder wrapper.
func fastExtract(generic binder) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) != 3 || args[2].Type != table.TypeString || !args[0].Const || !args[1].Const {
			return generic(args)
		}
		p, ok := constString(args[0])
		g, ok2 := constLong(args[1])
		if !ok || !ok2 {
			return generic(args)
		}
		re, err := compileRegex(p)
		if err != nil {
			return generic(args)
		}
		if g < 0 || int(g) > re.NumSubexp() {
			return generic(args)
		}
		gi := int(g)
		return table.TypeString, func(_ *Context, vecs []*table.Vector, n int) (*table.Vector, error) {
			in := strsOf(vecs[2])
			st := stride(vecs[2])
			out := newOut(table.TypeString, n)
			loc := make([]int, 2*(re.NumSubexp()+1))
			for i := 0; i < n; i++ {
				s := in[i*st]
				if m := submatchIndex(re, s, loc); m != nil && m[2*gi] >= 0 {
					out.Strs[i] = s[m[2*gi]:m[2*gi+1]]
				}
			}
			return out, nil
		}, nil
	}
}

// submatchIndex is FindStringSubmatchIndex (the slice it returns is fresh; loc is kept
// for a future allocation-free API).
func submatchIndex(re *regexp.Regexp, s string, _ []int) []int {
	return re.FindStringSubmatchIndex(s)
}
