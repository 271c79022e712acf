package syntax

// Parse parses a KQL script (statements separated by ';') and returns its AST and the
// syntax errors found. The AST is returned even when there are errors: broken parts are
// *BadExpr / *BadOp nodes, so completion can still use it.
func Parse(src string) (*Script, ErrorList) {
	p := newParser(src)
	s := p.parseScript()
	return s, p.errs
}
