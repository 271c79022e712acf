package fn

import (
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
)

// bindExtractJSON is extract_json(path, text[, typeof(T)]) for the JSONPath subset Kusto
// supports: $, .name, ['name'], [index].
func bindExtractJSON(args []Arg) (table.Type, Impl, error) {
	if err := argc("extract_json", args, 2, 3); err != nil {
		return 0, nil, err
	}
	rt := table.TypeString
	if len(args) == 3 {
		rt = typeArg(args[2])
		if rt == 0 {
			return 0, nil, fmt.Errorf("extract_json(): argument 3 must be typeof(<type>)")
		}
	}
	return rt, rows(rt, func(a []any) any {
		var doc any = a[1]
		if s, ok := a[1].(string); ok {
			v, err := table.ParseDynamic(s)
			if err != nil {
				return emptyOf(rt)
			}
			doc = v
		}
		v, ok := jsonPath(doc, ToStringValue(a[0]))
		if !ok || v == nil {
			return emptyOf(rt)
		}
		if rt == table.TypeString {
			return ToStringValue(v)
		}
		if rt == table.TypeDynamic {
			return v
		}
		return convertExplicit(rt, v)
	}), nil
}

func jsonPath(doc any, p string) (any, bool) {
	p = strings.TrimSpace(p)
	if !strings.HasPrefix(p, "$") {
		return nil, false
	}
	p = p[1:]
	cur := doc
	for len(p) > 0 {
		switch {
		case p[0] == '.':
			p = p[1:]
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			cur, ok = m[p[:end]]
			if !ok {
				return nil, false
			}
			p = p[end:]
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return nil, false
			}
			key := strings.TrimSpace(p[1:end])
			p = p[end+1:]
			if len(key) >= 2 && (key[0] == '\'' || key[0] == '"') {
				m, ok := cur.(map[string]any)
				if !ok {
					return nil, false
				}
				cur, ok = m[key[1:len(key)-1]]
				if !ok {
					return nil, false
				}
				continue
			}
			i, err := strconv.Atoi(key)
			arr, ok := cur.([]any)
			if err != nil || !ok {
				return nil, false
			}
			if i < 0 {
				i += len(arr)
			}
			if i < 0 || i >= len(arr) {
				return nil, false
			}
			cur = arr[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// parseIPv4 parses "a.b.c.d" or "a.b.c.d/n" into the address and prefix length.
func parseIPv4(s string) (uint32, int, bool) {
	s = strings.TrimSpace(s)
	prefix := 32
	if i := strings.IndexByte(s, '/'); i >= 0 {
		p, err := strconv.Atoi(s[i+1:])
		if err != nil || p < 0 || p > 32 {
			return 0, 0, false
		}
		prefix = p
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, 0, false
	}
	var v uint32
	for _, p := range parts {
		if p == "" || len(p) > 3 {
			return 0, 0, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n > 255 {
			return 0, 0, false
		}
		v = v<<8 | uint32(n)
	}
	return v, prefix, true
}

func maskOf(prefix int) uint32 {
	if prefix <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - prefix)
}

func ipStr(v uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", v>>24, v>>16&255, v>>8&255, v&255)
}

// ipv4Terms finds IPv4 addresses in text that stand as whole terms (not glued to
// letters, digits or dots).
func ipv4InText(text string, match func(ip uint32, raw string) bool) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < '0' || c > '9' || (i > 0 && (isAlnum(text[i-1]) || text[i-1] == '.')) {
			continue
		}
		j := i
		for j < len(text) && (text[j] >= '0' && text[j] <= '9' || text[j] == '.') {
			j++
		}
		raw := text[i:j]
		if j < len(text) && isAlnum(text[j]) {
			i = j
			continue
		}
		if v, _, ok := parseIPv4(raw); ok && !strings.Contains(raw, "/") {
			if match(v, raw) {
				return true
			}
		}
		i = j
	}
	return false
}

func registerIP(r *registry) {
	r.fn("parse_ipv4", fixedNull("parse_ipv4", 1, 1, table.TypeLong, func(a []any) any {
		v, p, ok := parseIPv4(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		return int64(v & maskOf(p))
	}))
	r.fn("parse_ipv4_mask", fixedNull("parse_ipv4_mask", 2, 2, table.TypeLong, func(a []any) any {
		v, p, ok := parseIPv4(ToStringValue(a[0]))
		m, ok2 := toLongV(normDyn(a[1]))
		if !ok || !ok2 || m < 0 || m > 32 {
			return nil
		}
		return int64(v & maskOf(min(p, int(m))))
	}))
	r.fn("ipv4_is_private", fixedNull("ipv4_is_private", 1, 1, table.TypeBool, func(a []any) any {
		v, _, ok := parseIPv4(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		return v>>24 == 10 || v>>20 == 172<<4|1 || v>>16 == 192<<8|168
	}))
	cmp := func(a []any) (int, bool) {
		x, px, ok1 := parseIPv4(ToStringValue(a[0]))
		y, py, ok2 := parseIPv4(ToStringValue(a[1]))
		if !ok1 || !ok2 {
			return 0, false
		}
		p := min(px, py)
		if len(a) > 2 {
			m, ok := toLongV(normDyn(a[2]))
			if !ok || m < 0 || m > 32 {
				return 0, false
			}
			p = min(p, int(m))
		}
		x, y = x&maskOf(p), y&maskOf(p)
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	r.ipCompare("ipv4", cmp)
	r.fn("ipv4_is_in_range", fixedNull("ipv4_is_in_range", 2, 2, table.TypeBool, func(a []any) any {
		x, _, ok1 := parseIPv4(ToStringValue(a[0]))
		y, p, ok2 := parseIPv4(ToStringValue(a[1]))
		if !ok1 || !ok2 {
			return nil
		}
		return x&maskOf(p) == y&maskOf(p)
	}))
	r.fn("ipv4_is_in_any_range", fixed("ipv4_is_in_any_range", 2, 64, table.TypeBool, func(a []any) any {
		x, _, ok := parseIPv4(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		var ranges []any
		for _, e := range a[1:] {
			ranges = flatten(ranges, e)
		}
		for _, rg := range ranges {
			y, p, ok := parseIPv4(ToStringValue(rg))
			if ok && x&maskOf(p) == y&maskOf(p) {
				return true
			}
		}
		return false
	}))
	r.fn("format_ipv4", fixedNull("format_ipv4", 1, 2, table.TypeString, func(a []any) any {
		var v uint32
		p := 32
		switch x := normDyn(a[0]).(type) {
		case int64:
			v = uint32(x)
		default:
			var ok bool
			v, p, ok = parseIPv4(ToStringValue(x))
			if !ok {
				return ""
			}
		}
		if len(a) > 1 {
			m, ok := toLongV(normDyn(a[1]))
			if !ok || m < 0 || m > 32 {
				return ""
			}
			p = min(p, int(m))
		}
		return ipStr(v & maskOf(p))
	}))
	r.fn("format_ipv4_mask", fixedNull("format_ipv4_mask", 1, 2, table.TypeString, func(a []any) any {
		var v uint32
		p := 32
		switch x := normDyn(a[0]).(type) {
		case int64:
			v = uint32(x)
		default:
			var ok bool
			v, p, ok = parseIPv4(ToStringValue(x))
			if !ok {
				return ""
			}
		}
		if len(a) > 1 {
			m, ok := toLongV(normDyn(a[1]))
			if !ok || m < 0 || m > 32 {
				return ""
			}
			p = min(p, int(m))
		}
		return ipStr(v&maskOf(p)) + "/" + strconv.Itoa(p)
	}))
	r.fn("has_ipv4", fixedNull("has_ipv4", 2, 2, table.TypeBool, func(a []any) any {
		want, _, ok := parseIPv4(ToStringValue(a[1]))
		if !ok {
			return false
		}
		return ipv4InText(ToStringValue(a[0]), func(ip uint32, _ string) bool { return ip == want })
	}))
	hasPrefix := func(name string) {
		r.fn(name, fixed(name, 2, 64, table.TypeBool, func(a []any) any {
			var prefixes []any
			for _, e := range a[1:] {
				prefixes = flatten(prefixes, e)
			}
			text := ToStringValue(a[0])
			return ipv4InText(text, func(_ uint32, raw string) bool {
				for _, p := range prefixes {
					ps := ToStringValue(p)
					parts := strings.Split(strings.TrimSuffix(ps, "."), ".")
					if len(parts) == 4 && !strings.HasSuffix(ps, ".") {
						if raw == ps {
							return true
						}
						continue
					}
					if !strings.HasSuffix(ps, ".") {
						continue // a prefix must end at an octet boundary
					}
					if strings.HasPrefix(raw, ps) {
						return true
					}
				}
				return false
			})
		}))
	}
	hasPrefix("has_ipv4_prefix")
	hasPrefix("has_any_ipv4_prefix")
	r.fn("has_any_ipv4", fixed("has_any_ipv4", 2, 64, table.TypeBool, func(a []any) any {
		var ips []any
		for _, e := range a[1:] {
			ips = flatten(ips, e)
		}
		want := map[uint32]bool{}
		for _, ip := range ips {
			if v, _, ok := parseIPv4(ToStringValue(ip)); ok {
				want[v] = true
			}
		}
		return ipv4InText(ToStringValue(a[0]), func(ip uint32, _ string) bool { return want[ip] })
	}))
	r.fn("ipv4_netmask_suffix", fixedNull("ipv4_netmask_suffix", 1, 1, table.TypeLong, func(a []any) any {
		_, p, ok := parseIPv4(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		return int64(p)
	}))
	r.fn("ipv4_range_to_cidr_list", fixedNull("ipv4_range_to_cidr_list", 2, 2, table.TypeDynamic, func(a []any) any {
		s, _, ok1 := parseIPv4(ToStringValue(a[0]))
		e, _, ok2 := parseIPv4(ToStringValue(a[1]))
		if !ok1 || !ok2 || s > e {
			return nil
		}
		out := []any{}
		cur := uint64(s)
		for cur <= uint64(e) {
			size := 32
			for size > 0 {
				blk := uint64(1) << (32 - (size - 1))
				if cur%blk != 0 || cur+blk-1 > uint64(e) {
					break
				}
				size--
			}
			out = append(out, ipStr(uint32(cur))+"/"+strconv.Itoa(size))
			cur += uint64(1) << (32 - size)
		}
		return out
	}))
	// IPv6 basics: addresses compare as 128-bit values, IPv4 maps into ::ffff:0:0/96.
	r.fn("parse_ipv6", fixedNull("parse_ipv6", 1, 1, table.TypeString, func(a []any) any {
		addr, p, ok := parseIPv6(ToStringValue(a[0]))
		if !ok {
			return ""
		}
		return fullIPv6(maskIPv6(addr, p))
	}))
	r.fn("parse_ipv6_mask", fixedNull("parse_ipv6_mask", 2, 2, table.TypeString, func(a []any) any {
		addr, p, ok := parseIPv6(ToStringValue(a[0]))
		m, ok2 := toLongV(normDyn(a[1]))
		if !ok || !ok2 || m < 0 || m > 128 {
			return ""
		}
		return fullIPv6(maskIPv6(addr, min(p, int(m))))
	}))
	v6cmp := func(a []any) (int, bool) {
		x, px, ok1 := parseIPv6Ex(ToStringValue(a[0]), false)
		y, py, ok2 := parseIPv6Ex(ToStringValue(a[1]), false)
		if !ok1 || !ok2 {
			return 0, false
		}
		p := min(px, py)
		if len(a) > 2 {
			m, ok := toLongV(normDyn(a[2]))
			if !ok || m < 0 || m > 128 {
				return 0, false
			}
			p = min(p, int(m))
		}
		return maskIPv6(x, p).Compare(maskIPv6(y, p)), true
	}
	r.ipCompare("ipv6", v6cmp)
	r.fn("ipv6_is_in_range", fixedNull("ipv6_is_in_range", 2, 2, table.TypeBool, func(a []any) any {
		x, _, ok1 := parseIPv6(ToStringValue(a[0]))
		y, p, ok2 := parseIPv6(ToStringValue(a[1]))
		if !ok1 || !ok2 {
			return nil
		}
		return maskIPv6(x, p) == maskIPv6(y, p)
	}))
	r.fn("ipv6_is_in_any_range", fixed("ipv6_is_in_any_range", 2, 64, table.TypeBool, func(a []any) any {
		x, _, ok := parseIPv6(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		var ranges []any
		for _, e := range a[1:] {
			ranges = flatten(ranges, e)
		}
		for _, rg := range ranges {
			y, p, ok := parseIPv6(ToStringValue(rg))
			if ok && maskIPv6(x, p) == maskIPv6(y, p) {
				return true
			}
		}
		return false
	}))
}

func parseIPv6(s string) (netip.Addr, int, bool) { return parseIPv6Ex(s, true) }

// parseIPv6Ex parses an IPv6 (or IPv4) address with an optional prefix. An IPv4 prefix
// counts in the low 32 bits; dottedTail extends that to the ::a.b.c.d form (parse_ipv6
// does, ipv6_compare does not: conformance shows both).
func parseIPv6Ex(s string, dottedTail bool) (netip.Addr, int, bool) {
	s = strings.TrimSpace(s)
	p := -1
	if i := strings.IndexByte(s, '/'); i >= 0 {
		n, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return netip.Addr{}, 0, false
		}
		p = n
		s = s[:i]
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, 0, false
	}
	if p >= 0 && (a.Is4() || (dottedTail && strings.Contains(s, "."))) {
		p += 96 // the prefix of an IPv4 (or ::a.b.c.d) address counts in its IPv4 bits
	}
	if a.Is4() {
		a = netip.AddrFrom16(a.As16())
	}
	if p < 0 || p > 128 {
		p = 128
	}
	return a, p, true
}

func maskIPv6(a netip.Addr, p int) netip.Addr {
	pf, err := a.Prefix(p)
	if err != nil {
		return a
	}
	return pf.Addr()
}

func fullIPv6(a netip.Addr) string {
	b := a.As16()
	parts := make([]string, 8)
	for i := range parts {
		parts[i] = fmt.Sprintf("%04x", binary.BigEndian.Uint16(b[2*i:]))
	}
	return strings.Join(parts, ":")
}

var _ = math.MaxInt32

// ipCompare registers FAMILY_compare (-1, 0, 1) and FAMILY_is_match (equal) over one
// comparison of two addresses with an optional prefix length; null when either is invalid.
func (r *registry) ipCompare(family string, compare func(a []any) (int, bool)) {
	r.fn(family+"_compare", fixedNull(family+"_compare", 2, 3, table.TypeLong, func(a []any) any {
		if c, ok := compare(a); ok {
			return int64(c)
		}
		return nil
	}))
	r.fn(family+"_is_match", fixedNull(family+"_is_match", 2, 3, table.TypeBool, func(a []any) any {
		if c, ok := compare(a); ok {
			return c == 0
		}
		return nil
	}))
}
