package fn

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/kqlkernel/kqlkernel/table"
)

// strsOf returns the rows of v as strings (v.Strs for strings and guids; converted with
// tostring() semantics otherwise). The result has v.Len() entries (1 for a Const).
func strsOf(v *table.Vector) []string {
	if v.Type == table.TypeString || v.Type == table.TypeGUID {
		return v.Strs
	}
	m := v.Len()
	out := make([]string, m)
	for i := 0; i < m; i++ {
		x := v.At(i)
		if x == nil {
			continue
		}
		out[i] = ToStringValue(x)
	}
	return out
}

var lowerTab = func() (t [256]byte) {
	for i := range t {
		c := byte(i)
		if c >= 'A' && c <= 'Z' {
			c += 32
		}
		t[i] = c
	}
	return
}()

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lowerStr lowers ASCII quickly and falls back to Unicode lowering.
func lowerStr(s string) string {
	if isASCII(s) {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= 'A' && c <= 'Z' {
				b := []byte(s)
				for j := i; j < len(b); j++ {
					b[j] = lowerTab[b[j]]
				}
				return string(b)
			}
		}
		return s
	}
	return strings.ToLower(s)
}

// matcher finds needle occurrences in s; fold makes it case-insensitive (needle already
// lowered). The search jumps between occurrences of an anchor byte of the needle (the
// rarest one by a text-frequency guess) with strings.IndexByte, which is vectorised.
type matcher struct {
	needle string
	fold   bool
	// unicode: the needle is not ASCII, so folding needs strings.ToLower on the haystack.
	unicode bool
	anchor  int  // index in needle of the anchor byte
	lo, up  byte // the anchor byte in lower and upper case (equal when not a letter)
}

// byteCommonness ranks bytes by how common they are in log text (higher is commoner).
func byteCommonness(c byte) int {
	const common = "etaoinsrhldcumfpgwybvkxjqz"
	switch {
	case c >= 'a' && c <= 'z':
		return 100 - strings.IndexByte(common, c)*3
	case c >= '0' && c <= '9':
		return 60
	case c == ' ' || c == '.' || c == '\\' || c == '/' || c == '-' || c == '_' || c == ':':
		return 110
	}
	return 20
}

func newMatcher(needle string, cs bool) matcher {
	m := matcher{needle: needle}
	if !cs {
		m = matcher{needle: lowerStr(needle), fold: true, unicode: !isASCII(needle)}
	}
	best := 1 << 30
	for i := 0; i < len(m.needle); i++ {
		c := lowerTab[m.needle[i]]
		if r := byteCommonness(c); r < best {
			best, m.anchor = r, i
		}
	}
	if len(m.needle) > 0 {
		m.lo = m.needle[m.anchor]
		m.up = m.lo
		if m.fold && m.lo >= 'a' && m.lo <= 'z' {
			m.up = m.lo - 32
		}
	}
	return m
}

// prep returns the haystack to search (lowered for Unicode folding).
func (m *matcher) prep(s string) string {
	if m.unicode {
		return strings.ToLower(s)
	}
	return s
}

func (m *matcher) index(s string, from int) int {
	n := m.needle
	if !m.fold || m.unicode {
		i := strings.Index(s[from:], n)
		if i < 0 {
			return -1
		}
		return from + i
	}
	if len(n) == 0 {
		return from
	}
	k := m.anchor
	tail := len(n) - k // bytes from the anchor to the needle's end
	for i := from + k; i+tail <= len(s); {
		j := indexEither(s[i:len(s)-tail+1], m.lo, m.up)
		if j < 0 {
			return -1
		}
		p := i + j - k
		if eqFoldASCII(s[p:p+len(n)], n) {
			return p
		}
		i += j + 1
	}
	return -1
}

func indexEither(s string, a, b byte) int {
	ia := strings.IndexByte(s, a)
	if a == b {
		return ia
	}
	if ia < 0 {
		return strings.IndexByte(s, b)
	}
	if ib := strings.IndexByte(s[:ia], b); ib >= 0 {
		return ib
	}
	return ia
}

// eqFoldASCII compares s to lowered t, ASCII case-insensitively.
func eqFoldASCII(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerTab[s[i]] != t[i] {
			return false
		}
	}
	return true
}

func (m *matcher) equal(s string) bool {
	if !m.fold {
		return s == m.needle
	}
	if m.unicode {
		return strings.ToLower(s) == m.needle
	}
	// An ASCII needle can only equal a string of its length (ignoring the Kelvin sign
	// and the like, which lower to ASCII letters).
	return len(s) == len(m.needle) && eqFoldASCII(s, m.needle)
}

func (m *matcher) contains(s string) bool { return m.index(m.prep(s), 0) >= 0 }

func (m *matcher) startsWith(s string) bool {
	s = m.prep(s)
	if len(s) < len(m.needle) {
		return false
	}
	if !m.fold || m.unicode {
		return strings.HasPrefix(s, m.needle)
	}
	return eqFoldASCII(s[:len(m.needle)], m.needle)
}

func (m *matcher) endsWith(s string) bool {
	s = m.prep(s)
	if len(s) < len(m.needle) {
		return false
	}
	if !m.fold || m.unicode {
		return strings.HasSuffix(s, m.needle)
	}
	return eqFoldASCII(s[len(s)-len(m.needle):], m.needle)
}

// has is term matching: an occurrence counts when it does not extend an alphanumeric
// run of the haystack on a side where the needle itself is alphanumeric. prefix/suffix
// require only the start/end boundary.
func (m *matcher) has(s string, needStart, needEnd bool) bool {
	n := m.needle
	if len(n) == 0 {
		return true
	}
	s = m.prep(s)
	startAl, endAl := isAlnum(n[0]), isAlnum(n[len(n)-1])
	for from := 0; from <= len(s)-len(n); {
		i := m.index(s, from)
		if i < 0 {
			return false
		}
		end := i + len(n)
		okStart := !needStart || !startAl || i == 0 || !isAlnum(s[i-1])
		okEnd := !needEnd || !endAl || end == len(s) || !isAlnum(s[end])
		if okStart && okEnd {
			return true
		}
		from = i + 1
	}
	return false
}

type strOp struct {
	kind string // eq, has, hasprefix, hassuffix, contains, startswith, endswith
	cs   bool
	neg  bool
}

func (o strOp) test(m *matcher, s string) bool {
	var r bool
	switch o.kind {
	case "eq":
		r = m.equal(s)
	case "has":
		r = m.has(s, true, true)
	case "hasprefix":
		r = m.has(s, true, false)
	case "hassuffix":
		r = m.has(s, false, true)
	case "contains":
		r = m.contains(s)
	case "startswith":
		r = m.startsWith(s)
	case "endswith":
		r = m.endsWith(s)
	}
	return r != o.neg
}

func bindStrOp(name string, o strOp) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) != 2 {
			return 0, nil, fmt.Errorf("operator %s expects 2 operands", name)
		}
		if args[0].Type == table.TypeDynamic && args[0].Const && args[0].Value == nil {
			// allowed: null dynamic compares as empty
		}
		var constM *matcher
		if s, ok := constString(args[1]); ok && args[1].Type == table.TypeString {
			m := newMatcher(s, o.cs)
			constM = &m
		}
		return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a, b := args[0], args[1]
			hs := strsOf(a)
			sa := stride(a)
			out := make([]bool, n)
			if constM != nil {
				m := constM
				if sa == 1 {
					switch {
					case o.kind == "has" && !o.neg:
						for i, s := range hs[:n] {
							out[i] = m.has(s, true, true)
						}
					case o.kind == "contains" && !o.neg:
						for i, s := range hs[:n] {
							out[i] = m.contains(s)
						}
					default:
						for i, s := range hs[:n] {
							out[i] = o.test(m, s)
						}
					}
				} else {
					r := o.test(m, hs[0])
					for i := range out {
						out[i] = r
					}
				}
			} else {
				ns := strsOf(b)
				sb := stride(b)
				for i := range out {
					m := newMatcher(ns[i*sb], o.cs)
					out[i] = o.test(&m, hs[i*sa])
				}
			}
			return &table.Vector{Type: table.TypeBool, Bools: out}, nil
		}, nil
	}
}

// ---- matches regex ----

func bindRegexOp(args []Arg) (table.Type, Impl, error) {
	if len(args) != 2 {
		return 0, nil, fmt.Errorf("matches regex expects 2 operands")
	}
	var re *regexp.Regexp
	if p, ok := constString(args[1]); ok {
		r, err := compileRegex(p)
		if err != nil {
			return 0, nil, err
		}
		re = r
	}
	return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
		hs := strsOf(args[0])
		sa := stride(args[0])
		out := make([]bool, n)
		if re != nil {
			for i := range out {
				out[i] = re.MatchString(hs[i*sa])
			}
		} else {
			cache := regexCache{}
			ps := strsOf(args[1])
			sb := stride(args[1])
			for i := range out {
				r, err := cache.get(ps[i*sb])
				if err != nil {
					return nil, err
				}
				out[i] = r.MatchString(hs[i*sa])
			}
		}
		return &table.Vector{Type: table.TypeBool, Bools: out}, nil
	}, nil
}

// compileRegex compiles a Kusto (RE2) regular expression with Go's regexp, which is RE2.
func compileRegex(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %w", p, err)
	}
	return re, nil
}

// regexCache compiles per-row patterns once per distinct value within a call.
type regexCache map[string]*regexp.Regexp

func (c regexCache) get(p string) (*regexp.Regexp, error) {
	if r, ok := c[p]; ok {
		return r, nil
	}
	r, err := compileRegex(p)
	if err != nil {
		return nil, err
	}
	c[p] = r
	return r, nil
}

// ---- in, !in, in~, !in~ ----

// flatten appends a list element's values, expanding dynamic arrays.
func flatten(dst []any, x any) []any {
	if arr, ok := x.([]any); ok {
		for _, e := range arr {
			dst = flatten(dst, e)
		}
		return dst
	}
	return append(dst, x)
}

func allConst(args []Arg) bool {
	for _, a := range args {
		if !a.Const {
			return false
		}
	}
	return true
}

func bindIn(op string) binder {
	neg := strings.HasPrefix(op, "!")
	fold := strings.HasSuffix(op, "~")
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) < 2 {
			return 0, nil, fmt.Errorf("operator %s expects a list", op)
		}
		xt := args[0].Type
		if allConst(args[1:]) {
			var elems []any
			for _, a := range args[1:] {
				elems = flatten(elems, a.Value)
			}
			pred := buildInSet(xt, elems, fold)
			return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
				return inEval(args[0], n, neg, pred), nil
			}, nil
		}
		return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			out := make([]bool, n)
			var elems []any
			for i := 0; i < n; i++ {
				elems = elems[:0]
				for _, a := range args[1:] {
					elems = flatten(elems, a.At(i))
				}
				x := args[0].At(i)
				hit := false
				if x != nil {
					for _, e := range elems {
						if inEqual(x, e, fold) {
							hit = true
							break
						}
					}
				}
				out[i] = hit != neg
			}
			return &table.Vector{Type: table.TypeBool, Bools: out}, nil
		}, nil
	}
}

func inEqual(x, e any, fold bool) bool {
	if e == nil {
		return false
	}
	if fold {
		return strings.EqualFold(ToStringValue(x), ToStringValue(e))
	}
	if xs, ok := x.(string); ok {
		if es, ok := e.(string); ok {
			return xs == es
		}
		return xs == ToStringValue(e)
	}
	c, ok := compareValues(x, e)
	return ok && c == 0
}

// inPred tests row i of a vector.
type inPred struct {
	strs  map[string]struct{}
	ints  map[int64]struct{}
	reals map[float64]struct{}
	other []any
	fold  bool
}

func buildInSet(xt table.Type, elems []any, fold bool) *inPred {
	p := &inPred{fold: fold}
	switch {
	case xt == table.TypeString || xt == table.TypeGUID || fold:
		p.strs = map[string]struct{}{}
		for _, e := range elems {
			if e == nil {
				continue
			}
			s := ToStringValue(e)
			if fold {
				s = lowerStr(s)
			} else if xt == table.TypeGUID {
				s = strings.ToLower(s)
			}
			p.strs[s] = struct{}{}
		}
	case xt == table.TypeInt || xt == table.TypeLong || xt == table.TypeDateTime || xt == table.TypeTimeSpan:
		p.ints = map[int64]struct{}{}
		for _, e := range elems {
			if e == nil {
				continue
			}
			v := convertTo(xt, e)
			switch t := v.(type) {
			case int64:
				if f, isF := e.(float64); isF && float64(t) != f {
					continue // 1.5 never equals an integer
				}
				p.ints[t] = struct{}{}
			case table.DateTime:
				p.ints[int64(t)] = struct{}{}
			case table.TimeSpan:
				p.ints[int64(t)] = struct{}{}
			}
		}
	case xt == table.TypeReal:
		p.reals = map[float64]struct{}{}
		for _, e := range elems {
			if f, ok := numReal(normDyn(e)); ok {
				p.reals[f] = struct{}{}
			}
		}
	default:
		p.other = elems
	}
	return p
}

func inEval(x *table.Vector, n int, neg bool, p *inPred) *table.Vector {
	out := make([]bool, n)
	sx := stride(x)
	switch {
	case p.strs != nil:
		hs := strsOf(x)
		for i := range out {
			s := hs[i*sx]
			if p.fold {
				s = lowerStr(s)
			}
			_, hit := p.strs[s]
			if x.Type != table.TypeString && nullAt(x, i) {
				hit = false
			}
			out[i] = hit != neg
		}
	case p.ints != nil:
		for i := range out {
			_, hit := p.ints[x.Ints[i*sx]]
			if hit && nullAt(x, i) {
				hit = false
			}
			out[i] = hit != neg
		}
	case p.reals != nil:
		for i := range out {
			_, hit := p.reals[x.Reals[i*sx]]
			if hit && nullAt(x, i) {
				hit = false
			}
			out[i] = hit != neg
		}
	default:
		for i := range out {
			v := x.At(i)
			hit := false
			if v != nil {
				for _, e := range p.other {
					if inEqual(v, e, false) {
						hit = true
						break
					}
				}
			}
			out[i] = hit != neg
		}
	}
	return &table.Vector{Type: table.TypeBool, Bools: out}
}

// ---- has_any, has_all ----

func bindHasAny(all bool, name string) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) < 2 {
			return 0, nil, fmt.Errorf("operator %s expects a list", name)
		}
		var constMs []matcher
		if allConst(args[1:]) {
			var elems []any
			for _, a := range args[1:] {
				elems = flatten(elems, a.Value)
			}
			for _, e := range elems {
				if e == nil {
					continue
				}
				constMs = append(constMs, newMatcher(ToStringValue(e), false))
			}
		}
		// For has_any, needles that are whole ASCII terms go into a set probed with each
		// term of the text: one pass per row whatever the list length (IOC lists).
		var terms map[string]struct{}
		maxTerm := 0
		if !all && len(constMs) >= 4 {
			rest := constMs[:0:0]
			for _, m := range constMs {
				if isTerm(m.needle) {
					if terms == nil {
						terms = map[string]struct{}{}
					}
					terms[m.needle] = struct{}{}
					maxTerm = max(maxTerm, len(m.needle))
					continue
				}
				rest = append(rest, m)
			}
			constMs = rest
		}
		return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			hs := strsOf(args[0])
			sa := stride(args[0])
			out := make([]bool, n)
			if terms != nil {
				var buf [128]byte
				for i := range out {
					if hasTermIn(hs[i*sa], terms, maxTerm, buf[:]) {
						out[i] = true
						continue
					}
					s := hs[i*sa]
					for k := range constMs {
						if constMs[k].has(s, true, true) {
							out[i] = true
							break
						}
					}
				}
				return &table.Vector{Type: table.TypeBool, Bools: out}, nil
			}
			ms := constMs
			var elems []any
			for i := range out {
				if constMs == nil {
					elems = elems[:0]
					for _, a := range args[1:] {
						elems = flatten(elems, a.At(i))
					}
					ms = ms[:0]
					for _, e := range elems {
						if e != nil {
							ms = append(ms, newMatcher(ToStringValue(e), false))
						}
					}
				}
				s := hs[i*sa]
				if all {
					r := true
					for k := range ms {
						if !ms[k].has(s, true, true) {
							r = false
							break
						}
					}
					out[i] = r
				} else {
					r := false
					for k := range ms {
						if ms[k].has(s, true, true) {
							r = true
							break
						}
					}
					out[i] = r
				}
			}
			return &table.Vector{Type: table.TypeBool, Bools: out}, nil
		}, nil
	}
}

// ---- between ----

func bindBetween(neg bool) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if len(args) != 3 {
			return 0, nil, fmt.Errorf("between expects a value and a range (lo .. hi)")
		}
		xt := args[0].Type
		if args[1].Const && args[2].Const && (intClass(xt) || xt == table.TypeDateTime || xt == table.TypeTimeSpan || xt == table.TypeReal) {
			lo, hi := args[1].Value, args[2].Value
			if xt == table.TypeDateTime {
				// datetime between (lo .. timespan) is lo .. lo+timespan.
				if ts, ok := hi.(table.TimeSpan); ok {
					if d, ok := lo.(table.DateTime); ok {
						hi = d + table.DateTime(ts)
					}
				}
			}
			lf, ok1 := numReal(normDyn(convertLoose(xt, lo)))
			hf, ok2 := numReal(normDyn(convertLoose(xt, hi)))
			return table.TypeBool, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
				x := args[0]
				out := newOut(table.TypeBool, n)
				if !ok1 || !ok2 {
					for i := 0; i < n; i++ {
						out.SetNull(i)
					}
					return out, nil
				}
				sx := stride(x)
				if xt == table.TypeReal {
					for i := 0; i < n; i++ {
						v := x.Reals[i*sx]
						out.Bools[i] = (v >= lf && v <= hf) != neg
					}
				} else {
					// Integer x in [lf, hf] is x in [ceil(lf), floor(hf)].
					li, hi := int64(math.Ceil(lf)), int64(math.Floor(hf))
					for i := 0; i < n; i++ {
						v := x.Ints[i*sx]
						out.Bools[i] = (v >= li && v <= hi) != neg
					}
				}
				if x.Nulls != nil {
					for i := 0; i < n; i++ {
						if nullAt(x, i) {
							out.Bools[i] = false
							out.SetNull(i)
						}
					}
				}
				return out, nil
			}, nil
		}
		return table.TypeBool, rows(table.TypeBool, func(v []any) any {
			x, lo, hi := v[0], v[1], v[2]
			if x == nil || lo == nil || hi == nil {
				return nil
			}
			if d, ok := lo.(table.DateTime); ok {
				if ts, ok := hi.(table.TimeSpan); ok {
					hi = d + table.DateTime(ts)
				}
			}
			c1, ok1 := compareValues(x, lo)
			c2, ok2 := compareValues(x, hi)
			if !ok1 || !ok2 {
				return nil
			}
			return (c1 >= 0 && c2 <= 0) != neg
		}), nil
	}
}

// convertLoose turns datetime/timespan into ticks so that numReal can read them.
func convertLoose(t table.Type, x any) any {
	switch v := x.(type) {
	case table.DateTime:
		return int64(v)
	case table.TimeSpan:
		return int64(v)
	case string:
		switch t {
		case table.TypeDateTime:
			if d, ok := ParseDateTime(v); ok {
				return int64(d)
			}
		case table.TypeTimeSpan:
			if d, ok := ParseTimeSpan(v); ok {
				return int64(d)
			}
		}
	}
	return x
}

// isTerm reports whether a (lowered) needle is a single run of ASCII letters and digits.
func isTerm(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// hasTermIn reports whether any maximal alphanumeric run of s, lowered, is in terms.
func hasTermIn(s string, terms map[string]struct{}, maxLen int, buf []byte) bool {
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		if j-i <= maxLen {
			b := buf[:j-i]
			for k := range b {
				b[k] = lowerTab[s[i+k]]
			}
			if _, ok := terms[string(b)]; ok {
				return true
			}
		}
		i = j
	}
	return false
}
