package engine

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/table"
)

// parseIPv4Prefix parses "a.b.c.d" or "a.b.c.d/n" into a masked address and length.
func parseIPv4Prefix(s string) (uint32, int, bool) {
	s = strings.TrimSpace(s)
	bits := 32
	if i := strings.IndexByte(s, '/'); i >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return 0, 0, false
		}
		bits = p.Bits()
		s = s[:i]
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, 0, false
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	return v & mask32(bits), bits, true
}

func mask32(bits int) uint32 {
	if bits <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - bits)
}

// bindIPv4Lookup is `evaluate ipv4_lookup(LookupTable, SourceKey, LookupKey
// [, return_unmatched])`: each row joined with the lookup row whose network (CIDR)
// holds its address; the most specific network wins.
func (q *query) bindIPv4Lookup(sc *scope, in node, op *syntax.EvaluateOp) (node, error) {
	args := op.Plugin.Args
	if len(args) < 3 {
		return nil, semErr(op.Plugin, "ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupKey [, return_unmatched])")
	}
	lookup, err := q.bindTab(sc, args[0])
	if err != nil {
		return nil, err
	}
	insch, lsch := in.schema(), lookup.schema()
	src, err := q.bindScalar(sc, &rowCtx{sch: insch}, args[1])
	if err != nil {
		return nil, err
	}
	key, err := q.bindScalar(sc, &rowCtx{sch: lsch}, args[2])
	if err != nil {
		return nil, err
	}
	unmatched := false
	for _, a := range args[3:] {
		v := a
		if na, ok := a.(*syntax.NamedArg); ok {
			v = na.Value
		}
		x, err := q.bindScalar(sc, &rowCtx{}, v)
		if err != nil {
			return nil, err
		}
		if c, ok := x.(*constExpr); ok {
			unmatched, _ = c.value().(bool)
		}
	}
	sch := append(table.Schema{}, insch...)
	nm := newNamer()
	for _, c := range insch {
		nm.used[c.Name] = true
	}
	for _, c := range lsch {
		sch = append(sch, table.ColumnSchema{Name: nm.unique(c.Name), Type: c.Type})
	}
	return &funcNode{sch: sch, f: func(q *query) (*table.Table, error) {
		lt, err := q.materialize(lookup)
		if err != nil {
			return nil, err
		}
		kv, err := key.eval(q.newEval(), tableBatch(lt))
		if err != nil {
			return nil, err
		}
		byLen := map[int]map[uint32]int{}
		for r := 0; r < lt.Rows(); r++ {
			s, _ := at(kv, r).(string)
			v, bits, ok := parseIPv4Prefix(s)
			if !ok {
				continue
			}
			if byLen[bits] == nil {
				byLen[bits] = map[uint32]int{}
			}
			if _, dup := byLen[bits][v]; !dup {
				byLen[bits][v] = r
			}
		}
		var lens []int
		for l := range byLen {
			lens = append(lens, l)
		}
		sort.Sort(sort.Reverse(sort.IntSlice(lens)))
		it, err := q.materialize(in)
		if err != nil {
			return nil, err
		}
		sv, err := src.eval(q.newEval(), tableBatch(it))
		if err != nil {
			return nil, err
		}
		var li, ri []int
		for r := 0; r < it.Rows(); r++ {
			if r%batchSize == 0 && q.ctx.Err() != nil {
				return nil, q.ctx.Err()
			}
			s, _ := at(sv, r).(string)
			match := -1
			if ip, _, ok := parseIPv4Prefix(s); ok {
				for _, l := range lens {
					if m, found := byLen[l][ip&mask32(l)]; found {
						match = m
						break
					}
				}
			}
			if match >= 0 || unmatched {
				li, ri = append(li, r), append(ri, match)
			}
		}
		out := &table.Table{}
		for c, col := range it.Columns {
			out.Columns = append(out.Columns, table.Column{Name: sch[c].Name, Type: col.Type, Data: takeNullable(col.Data, li)})
		}
		for c, col := range lt.Columns {
			out.Columns = append(out.Columns, table.Column{Name: sch[len(it.Columns)+c].Name, Type: col.Type, Data: takeNullable(col.Data, ri)})
		}
		return out, nil
	}}, nil
}
