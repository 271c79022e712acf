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

// slab hands out nodes from chunks: a parse makes thousands of small nodes, and one
// allocation per chunk of them is much cheaper. Nodes of one parse live and die together.
type slab[T any] struct{ buf []T }

func (s *slab[T]) new(v T) *T {
	if len(s.buf) == cap(s.buf) {
		// chunks grow 4, 8, ... 64 so small queries waste little
		s.buf = make([]T, 0, min(max(2*cap(s.buf), 4), 64))
	}
	s.buf = append(s.buf, v)
	return &s.buf[len(s.buf)-1]
}

// nodeSlabs holds the slabs of the most frequent nodes.
type nodeSlabs struct {
	idents   slab[Ident]
	literals slab[Literal]
	columns  slab[Column]
	calls    slab[CallExpr]
	binaries slab[BinaryExpr]
}

func (p *parser) newIdent(v Ident) *Ident                { return p.slabs.idents.new(v) }
func (p *parser) newLiteral(v Literal) *Literal          { return p.slabs.literals.new(v) }
func (p *parser) newColumn(v Column) *Column             { return p.slabs.columns.new(v) }
func (p *parser) newCallExpr(v CallExpr) *CallExpr       { return p.slabs.calls.new(v) }
func (p *parser) newBinaryExpr(v BinaryExpr) *BinaryExpr { return p.slabs.binaries.new(v) }
