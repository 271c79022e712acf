package engine

import (
	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

func (q *query) bindMvApply(sc *scope, in node, op *syntax.MvApplyOp) (node, error) {
	return nil, unsupported(op, "mv-apply")
}

func (q *query) bindTopNested(sc *scope, in node, op *syntax.TopNestedOp) (node, error) {
	return nil, unsupported(op, "top-nested")
}
