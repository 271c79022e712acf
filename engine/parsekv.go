package engine

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// parseKVStep is `parse-kv X as (k:type, ...) with (pair_delimiter=..., kv_delimiter=...,
// quote=..., regex=...)`: the listed keys become columns (first occurrence wins; absent
// keys give null, or an empty string).
type parseKVStep struct {
	src     expr
	keys    []string
	types   []table.Type
	outIdx  []int
	sch     table.Schema
	nIn     int
	pairDel string
	kvDel   string
	quotes  string
	re      *regexp.Regexp
}

func (s *parseKVStep) outSchema() table.Schema { return s.sch }

func (q *query) bindParseKV(sc *scope, in node, op *syntax.ParseKvOp) (node, error) {
	insch := in.schema()
	src, err := q.bindScalar(sc, &rowCtx{sch: insch}, op.X)
	if err != nil {
		return nil, err
	}
	s := &parseKVStep{src: src, nIn: len(insch)}
	s.sch = append(table.Schema{}, insch...)
	for _, c := range op.Columns {
		t := table.TypeString
		if c.Type != "" {
			tt, ok := table.ParseType(string(c.Type))
			if !ok {
				return nil, semErr(c, "unknown type '%s'", c.Type)
			}
			t = tt
		}
		idx := findCol(s.sch, c.Name.Name)
		if idx < 0 {
			idx = len(s.sch)
			s.sch = append(s.sch, table.ColumnSchema{Name: c.Name.Name, Type: t})
		} else {
			s.sch[idx].Type = t
		}
		s.keys, s.types, s.outIdx = append(s.keys, c.Name.Name), append(s.types, t), append(s.outIdx, idx)
	}
	for _, o := range op.Options {
		x, err := q.bindScalar(sc, &rowCtx{}, o.Value)
		if err != nil {
			return nil, err
		}
		c, ok := x.(*constExpr)
		if !ok {
			return nil, semErr(o, "parse-kv: option values must be constants")
		}
		v := fmt.Sprint(c.value())
		switch strings.ToLower(o.Name) {
		case "pair_delimiter":
			s.pairDel = v
		case "kv_delimiter":
			s.kvDel = v
		case "quote":
			s.quotes += v
		case "regex":
			rx, err := regexp.Compile(v)
			if err != nil {
				return nil, semErr(o, "parse-kv: bad regex: %v", err)
			}
			s.re = rx
		}
	}
	return addStep(in, s), nil
}

func (s *parseKVStep) unquote(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && strings.ContainsRune(s.quotes, rune(v[0])) && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// pairs extracts key/value pairs from one text.
func (s *parseKVStep) pairs(text string) map[string]string {
	out := map[string]string{}
	add := func(k, v string) {
		k = s.unquote(k)
		if _, seen := out[k]; !seen {
			out[k] = s.unquote(v)
		}
	}
	switch {
	case s.re != nil:
		for _, m := range s.re.FindAllStringSubmatch(text, -1) {
			if len(m) >= 3 {
				add(m[1], m[2])
			}
		}
	case s.pairDel != "" && s.kvDel != "":
		for _, p := range splitQuoted(text, s.pairDel, s.quotes) {
			if i := strings.Index(p, s.kvDel); i >= 0 {
				add(p[:i], p[i+len(s.kvDel):])
			}
		}
	default:
		// Any non-alphanumeric character separates: a listed key is followed by its value.
		toks := strings.FieldsFunc(text, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' && r != '-'
		})
		for i := 0; i+1 < len(toks); i++ {
			for _, k := range s.keys {
				if toks[i] == k {
					add(toks[i], toks[i+1])
				}
			}
		}
	}
	return out
}

// splitQuoted splits on sep outside quotes.
func splitQuoted(text, sep, quotes string) []string {
	if quotes == "" {
		return strings.Split(text, sep)
	}
	var parts []string
	var open rune
	start := 0
	for i, r := range text {
		switch {
		case open != 0:
			if r == open {
				open = 0
			}
		case strings.ContainsRune(quotes, r):
			open = r
		case strings.HasPrefix(text[i:], sep):
			parts = append(parts, text[start:i])
			start = i + len(sep)
		}
	}
	return append(parts, text[start:])
}

func (s *parseKVStep) apply(ec *evalCtx, b *batch) (*batch, error) {
	src, err := s.src.eval(ec, b)
	if err != nil {
		return nil, err
	}
	vals := make([]*table.Vector, len(s.keys))
	for i, t := range s.types {
		vals[i] = table.NewVector(t, b.n)
	}
	for r := 0; r < b.n; r++ {
		text, _ := at(src, r).(string)
		kv := s.pairs(text)
		for i, k := range s.keys {
			v, ok := kv[k]
			var x any
			if ok {
				x = convertText(v, s.types[i])
			}
			_ = vals[i].Append(x)
		}
	}
	out := &batch{cols: make([]*table.Vector, len(s.sch)), n: b.n}
	copy(out.cols, b.cols[:s.nIn])
	for i, idx := range s.outIdx {
		out.cols[idx] = vals[i]
	}
	return out, nil
}
