package engine

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kqlkernel/kqlkernel/engine/fn"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// parseStep is the parse / parse-where operator: a regex built from the pattern, one
// capture group per extracted column.
type parseStep struct {
	src     expr
	re      *regexp.Regexp
	cols    []table.ColumnSchema
	outIdx  []int // output column of each capture
	groups  []int // regex group of each capture
	sch     table.Schema
	nIn     int
	where   bool // parse-where drops rows that do not match
	relaxed bool
}

func (s *parseStep) outSchema() table.Schema { return s.sch }

// typeRegex is the text a typed capture matches in simple and relaxed modes.
func typeRegex(t table.Type, last bool) string {
	switch t {
	case table.TypeLong, table.TypeInt:
		return `(\-?\d+)`
	case table.TypeReal:
		return `(\-?\d+(?:\.\d*)?(?:[eE][\+\-]?\d+)?)`
	}
	if last {
		return `(.*)`
	}
	return `(.*?)`
}

func (q *query) bindParse(sc *scope, in node, op *syntax.ParseOp) (node, error) {
	insch := in.schema()
	src, err := q.bindScalar(sc, &rowCtx{sch: insch}, op.X)
	if err != nil {
		return nil, err
	}
	if src.typ() != table.TypeString {
		f, _ := q.funcs.Lookup("tostring")
		if f != nil {
			if src, err = q.bindFunc(f, "tostring", []expr{src}, op.X); err != nil {
				return nil, err
			}
		}
	}
	kind, flags := "simple", ""
	for _, o := range op.Options {
		v := ""
		switch x := o.Value.(type) {
		case *syntax.Ident:
			v = x.Name
		case *syntax.Literal:
			v = fmt.Sprint(x.Value)
		}
		switch strings.ToLower(o.Name) {
		case "kind":
			kind = strings.ToLower(v)
		case "flags":
			flags = v
		}
	}
	s := &parseStep{src: src, nIn: len(insch), where: op.Keyword == "parse-where", relaxed: kind == "relaxed"}
	s.sch = append(table.Schema{}, insch...)
	var re strings.Builder
	if flags != "" {
		re.WriteString("(?" + flags + ")")
	}
	if kind != "regex" {
		re.WriteString("(?s)")
	}
	group := 0
	lastIdx := len(op.Pattern) - 1
	for i, p := range op.Pattern {
		last := i == lastIdx
		switch {
		case p.Star:
			if last {
				re.WriteString(`.*`)
			} else {
				re.WriteString(`.*?`)
			}
		case p.Literal != nil:
			lit, _ := p.Literal.Value.(string)
			if kind == "regex" {
				re.WriteString("(?:" + lit + ")")
			} else {
				re.WriteString(regexp.QuoteMeta(lit))
			}
		case p.Name != nil:
			t := table.TypeString
			if p.Type != "" {
				tt, ok := table.ParseType(string(p.Type))
				if !ok {
					return nil, semErr(p, "unknown type '%s'", p.Type)
				}
				t = tt
			}
			group++
			var body string
			switch {
			case kind == "regex" && (t == table.TypeLong || t == table.TypeInt):
				body = `(\-?\d+)`
			case kind == "regex" && t == table.TypeReal:
				body = `(\-?\d+(?:\.\d*)?(?:[eE][\+\-]?\d+)?)`
			case kind == "regex":
				body = `(.*)`
			case kind == "relaxed" && (t == table.TypeLong || t == table.TypeInt || t == table.TypeReal):
				// Numbers take their digits when there are some, else any text
				// (which then fails to convert and gives null).
				tr := typeRegex(t, false)
				body = "(" + tr[1:len(tr)-1] + "|.*?)"
			case kind == "relaxed" && last:
				body = `(.*)`
			case kind == "relaxed":
				body = `(.*?)`
			default:
				body = typeRegex(t, last)
			}
			// Named groups, since regex literals may hold groups of their own.
			re.WriteString(fmt.Sprintf("(?P<kqlcap%d>%s)", group, body[1:len(body)-1]))
			name := p.Name.Name
			idx := findCol(s.sch, name)
			if idx < 0 {
				idx = len(s.sch)
				s.sch = append(s.sch, table.ColumnSchema{Name: name, Type: t})
			} else {
				s.sch[idx].Type = t
			}
			s.cols = append(s.cols, table.ColumnSchema{Name: name, Type: t})
			s.outIdx = append(s.outIdx, idx)
			s.groups = append(s.groups, group)
		}
	}
	rx, err := regexp.Compile(re.String())
	if err != nil {
		return nil, semErr(op, "parse: bad pattern: %v", err)
	}
	s.re = rx
	for i := range s.groups {
		s.groups[i] = rx.SubexpIndex(fmt.Sprintf("kqlcap%d", i+1))
	}
	return addStep(in, s), nil
}

// convertText converts captured text to a value of type t (nil when it does not parse).
func convertText(s string, t table.Type) any {
	switch t {
	case table.TypeString:
		return s
	case table.TypeLong:
		if v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return v
		}
	case table.TypeInt:
		if v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32); err == nil {
			return int32(v)
		}
	case table.TypeReal:
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return v
		}
	case table.TypeBool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1":
			return true
		case "false", "0":
			return false
		}
	case table.TypeDateTime:
		if v, ok := fn.ParseDateTime(strings.TrimSpace(s)); ok {
			return v
		}
	case table.TypeTimeSpan:
		if v, ok := fn.ParseTimeSpan(strings.TrimSpace(s)); ok {
			return v
		}
	case table.TypeGUID:
		if v, ok := fn.ParseGUID(strings.TrimSpace(s)); ok {
			return v
		}
	case table.TypeDynamic:
		if v, err := table.ParseDynamic(s); err == nil {
			return v
		}
		return s
	}
	return nil
}

func (s *parseStep) apply(ec *evalCtx, b *batch) (*batch, error) {
	src, err := s.src.eval(ec, b)
	if err != nil {
		return nil, err
	}
	vals := make([]*table.Vector, len(s.cols))
	for i, c := range s.cols {
		vals[i] = table.NewVector(c.Type, b.n)
	}
	var keep []int
	row := make([]any, len(s.cols))
	for r := 0; r < b.n; r++ {
		text, _ := at(src, r).(string)
		m := s.re.FindStringSubmatchIndex(text)
		ok := m != nil
		if ok {
			for i, c := range s.cols {
				g := s.groups[i]
				if m[2*g] < 0 {
					row[i] = nil
					continue
				}
				row[i] = convertText(text[m[2*g]:m[2*g+1]], c.Type)
				if row[i] == nil && !s.relaxed {
					ok = false
				}
			}
		}
		if !ok {
			if s.where {
				continue
			}
			for i := range row {
				row[i] = nil
			}
		}
		if s.where {
			keep = append(keep, r)
		}
		for i := range s.cols {
			_ = vals[i].Append(row[i])
		}
	}
	in := b
	if s.where {
		in = takeBatch(b, keep)
	}
	out := &batch{cols: make([]*table.Vector, len(s.sch)), n: in.n}
	copy(out.cols, in.cols[:s.nIn])
	for i, idx := range s.outIdx {
		out.cols[idx] = vals[i]
	}
	return out, nil
}
