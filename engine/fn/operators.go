package fn

func registerOperators(r *registry) {
	for _, op := range []string{"+", "-", "*", "/", "%"} {
		r.op(op, bindArith(op))
	}
	for _, op := range []string{"==", "!=", "<>", "<", "<=", ">", ">="} {
		r.op(op, bindCompare(op))
	}
	r.op("and", bindLogic("and"))
	r.op("or", bindLogic("or"))
	r.op("not", bindNot)
	r.op("=~", bindStrOp("=~", strOp{kind: "eq"}))
	r.op("!~", bindStrOp("!~", strOp{kind: "eq", neg: true}))
	for _, k := range []string{"has", "hasprefix", "hassuffix", "contains", "startswith", "endswith"} {
		r.op(k, bindStrOp(k, strOp{kind: k}))
		r.op("!"+k, bindStrOp("!"+k, strOp{kind: k, neg: true}))
		r.op(k+"_cs", bindStrOp(k+"_cs", strOp{kind: k, cs: true}))
		r.op("!"+k+"_cs", bindStrOp("!"+k+"_cs", strOp{kind: k, cs: true, neg: true}))
	}
	r.op("matches regex", bindRegexOp)
	for _, op := range []string{"in", "!in", "in~", "!in~"} {
		r.op(op, bindIn(op))
	}
	r.op("has_any", bindHasAny(false, "has_any"))
	r.op("has_all", bindHasAny(true, "has_all"))
	r.op("between", bindBetween(false))
	r.op("!between", bindBetween(true))
}
