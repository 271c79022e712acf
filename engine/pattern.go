package engine

import (
	"errors"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

// Pattern statements: `declare pattern P = (args)[path] { (values).[values] = { query };
// ... };` and invocations `P("a")`, `P("a").b`, `P("a").["b"]`. The parser keeps the rules
// as source text; they are read here and each rule's query is parsed when invoked.

type patternRule struct {
	args, path []string
	query      string
	offset     int // byte offset of the query text in the script
}

type patternDef struct {
	name  string
	rules []patternRule
}

func (q *query) declarePattern(sc *scope, st *syntax.DeclarePatternStmt) error {
	def := &patternDef{name: st.Name.Name}
	if st.Body.Stop > st.Body.Start && st.Body.Stop <= len(q.src) {
		rules, err := parsePatternRules(q.src, st.Body.Start, st.Body.Stop)
		if err != nil {
			return semErr(st, "pattern %s: %v", st.Name.Name, err)
		}
		def.rules = rules
	}
	sc.names[st.Name.Name] = &symbol{pattern: def}
	return nil
}

// parsePatternRules reads the rules between src[start] == '{' and the matching '}'.
func parsePatternRules(src string, start, stop int) ([]patternRule, error) {
	i := start
	if i < stop && src[i] == '{' {
		i++
	}
	skip := func() {
		for i < stop {
			switch {
			case src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r' || src[i] == ';':
				i++
			case strings.HasPrefix(src[i:], "//"):
				for i < stop && src[i] != '\n' {
					i++
				}
			default:
				return
			}
		}
	}
	values := func(open, close byte) ([]string, error) {
		if i >= stop || src[i] != open {
			return nil, errors.New("expected " + string(open))
		}
		i++
		var out []string
		for {
			skip()
			if i >= stop {
				return nil, errors.New("unterminated value list")
			}
			if src[i] == close {
				i++
				return out, nil
			}
			if src[i] == ',' {
				i++
				continue
			}
			if src[i] == '@' {
				i++
			}
			if src[i] == '"' || src[i] == '\'' {
				quote := src[i]
				j := i + 1
				var b strings.Builder
				for j < stop && src[j] != quote {
					if src[j] == '\\' && j+1 < stop {
						j++
					}
					b.WriteByte(src[j])
					j++
				}
				out = append(out, b.String())
				i = j + 1
				continue
			}
			j := i
			for j < stop && src[j] != ',' && src[j] != close && src[j] != ' ' {
				j++
			}
			out = append(out, src[i:j])
			i = j
		}
	}
	var rules []patternRule
	for {
		skip()
		if i >= stop || src[i] == '}' {
			return rules, nil
		}
		var r patternRule
		var err error
		if r.args, err = values('(', ')'); err != nil {
			return nil, err
		}
		skip()
		if i < stop && src[i] == '.' {
			i++
			skip()
			if r.path, err = values('[', ']'); err != nil {
				return nil, err
			}
			skip()
		}
		if i >= stop || src[i] != '=' {
			return nil, errors.New("expected '=' in a rule")
		}
		i++
		skip()
		if i >= stop || src[i] != '{' {
			return nil, errors.New("expected '{' before a rule's query")
		}
		depth, j := 0, i
		var quote byte
		for ; j < stop; j++ {
			c := src[j]
			switch {
			case quote != 0:
				if c == '\\' {
					j++
				} else if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '{':
				depth++
			case c == '}':
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if j >= stop {
			return nil, errors.New("unterminated rule query")
		}
		r.query, r.offset = src[i+1:j], i+1
		i = j + 1
		rules = append(rules, r)
	}
}

// patternCall recognises an invocation of a declared pattern.
func patternCall(sc *scope, e syntax.Expr) (*patternDef, *syntax.CallExpr, string, bool) {
	path := ""
	hasPath := false
	switch x := e.(type) {
	case *syntax.DotExpr:
		path, hasPath = x.Name.Name, true
		e = x.X
	case *syntax.IndexExpr:
		if lit, ok := x.Index.(*syntax.Literal); ok {
			if s, ok := lit.Value.(string); ok {
				path, hasPath = s, true
				e = x.X
			}
		}
	}
	call, ok := e.(*syntax.CallExpr)
	if !ok {
		return nil, nil, "", false
	}
	sym := sc.lookup(call.Fun.Name)
	if sym == nil || sym.pattern == nil {
		return nil, nil, "", false
	}
	if !hasPath {
		path = "\\x00"
	}
	return sym.pattern, call, path, true
}

func (q *query) bindPatternCall(sc *scope, def *patternDef, call *syntax.CallExpr, path string) (node, error) {
	var args []string
	for _, a := range call.Args {
		x, err := q.bindScalar(sc, &rowCtx{}, a)
		if err != nil {
			return nil, err
		}
		c, ok := x.(*constExpr)
		if !ok {
			return nil, semErr(a, "pattern arguments must be constants")
		}
		args = append(args, strings.TrimSpace(formatConst(c.value())))
	}
	for _, r := range def.rules {
		if !matchValues(r.args, args) {
			continue
		}
		if path == "\\x00" {
			if len(r.path) != 0 {
				continue
			}
		} else if len(r.path) != 1 || (r.path[0] != path && r.path[0] != "*") {
			continue
		}
		script, errs := syntax.Parse(r.query)
		if len(errs) > 0 {
			return nil, &Error{Code: "syntax", Offset: r.offset + errs[0].Offset, Msg: "pattern " + def.name + ": " + errs[0].Msg}
		}
		var last syntax.Expr
		inner := sc.child()
		for _, st := range script.Stmts {
			switch st := st.(type) {
			case *syntax.LetStmt:
				if err := q.bindLet(inner, st.Name.Name, st.Value); err != nil {
					return nil, shiftErr(err, r.offset)
				}
			case *syntax.ExprStmt:
				last = st.X
			}
		}
		if last == nil {
			return nil, semErr(call, "pattern %s: the rule has no query", def.name)
		}
		n, err := q.bindTab(inner, last)
		if err != nil {
			return nil, shiftErr(err, r.offset)
		}
		return n, nil
	}
	return nil, semErr(call, "pattern %s has no rule for these arguments", def.name)
}

func matchValues(rule, args []string) bool {
	if len(rule) != len(args) {
		return false
	}
	for i := range rule {
		if rule[i] != "*" && rule[i] != args[i] {
			return false
		}
	}
	return true
}

func formatConst(x any) string {
	if s, ok := x.(string); ok {
		return s
	}
	return strings.TrimSpace(strings.Trim(fmtAny(x), `"`))
}

// shiftErr moves a positioned error from a rule's query text into the script.
func shiftErr(err error, by int) error {
	var qe *Error
	if errors.As(err, &qe) {
		qe.Offset += by
	}
	return err
}
