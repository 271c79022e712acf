package syntax

import "sync"

// Parse parses a KQL script (statements separated by ';') and returns its AST and the
// syntax errors found. The AST is returned even when there are errors: broken parts are
// *BadExpr / *BadOp nodes, so completion can still use it.
func Parse(src string) (*Script, ErrorList) {
	p := newParser(src)
	if b, ok := tokenBufs.Get().(*[]Token); ok {
		p.buf = (*b)[:0]
	}
	s := p.parseScript()
	// The AST holds no tokens (only substrings of src), so the window can be reused.
	// Not cleared: the pool drops its items at garbage collection, which bounds how
	// long old sources stay referenced, and clearing cost more than parsing.
	if cap(p.buf) <= maxPooledTokens {
		b := p.buf[:0]
		tokenBufs.Put(&b)
	}
	return s, p.errs
}

// tokenBufs recycles token windows between parses: they are half of what a parse
// allocates. It holds no state a caller can observe.
var tokenBufs = sync.Pool{New: func() any {
	b := make([]Token, 0, 512)
	return &b
}}

const maxPooledTokens = 1 << 14
