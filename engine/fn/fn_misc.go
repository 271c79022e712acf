package fn

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kqlkernel/kqlkernel/table"
)

func randImpl(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
	out := newOut(table.TypeReal, n)
	for i := 0; i < n; i++ {
		if len(args) == 1 {
			m, ok := toLongV(args[0].At(i))
			if !ok || m <= 0 {
				out.SetNull(i)
				continue
			}
			out.Reals[i] = float64(rand.Int64N(m))
			continue
		}
		out.Reals[i] = rand.Float64()
	}
	return out, nil
}

// ---- xxhash64 (Kusto's hash()) ----

const (
	xxP1 uint64 = 11400714785074694791
	xxP2 uint64 = 14029467366897019727
	xxP3 uint64 = 1609587929392839161
	xxP4 uint64 = 9650029242287828579
	xxP5 uint64 = 2870177450012600261
)

func xxRound(acc, in uint64) uint64 {
	acc += in * xxP2
	acc = bits.RotateLeft64(acc, 31)
	return acc * xxP1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*xxP1 + xxP4
}

func xxhash64(b []byte) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		p1 := xxP1 // runtime arithmetic: the constant sum overflows
		v1, v2, v3, v4 := p1+xxP2, xxP2, uint64(0), -p1
		for len(b) >= 32 {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxMerge(h, v1)
		h = xxMerge(h, v2)
		h = xxMerge(h, v3)
		h = xxMerge(h, v4)
	} else {
		h = xxP5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		k := xxRound(0, binary.LittleEndian.Uint64(b))
		h ^= k
		h = bits.RotateLeft64(h, 27)*xxP1 + xxP4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * xxP1
		h = bits.RotateLeft64(h, 23)*xxP2 + xxP3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * xxP5
		h = bits.RotateLeft64(h, 11) * xxP1
	}
	h ^= h >> 33
	h *= xxP2
	h ^= h >> 29
	h *= xxP3
	h ^= h >> 32
	return h
}

// hashBytes is the byte form Kusto hashes: UTF-8 for strings, little-endian ticks or
// integers for fixed-size values.
func hashBytes(x any) []byte {
	var b [8]byte
	switch v := normDyn(x).(type) {
	case string:
		return []byte(v)
	case int64:
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		return b[:]
	case table.DateTime:
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		return b[:]
	case table.TimeSpan:
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		return b[:]
	case float64:
		binary.LittleEndian.PutUint64(b[:], mathFloat64bits(v))
		return b[:]
	case bool:
		if v {
			return []byte{1}
		}
		return []byte{0}
	case table.GUID:
		u, err := uuid.Parse(string(v))
		if err == nil {
			return guidBytesDotNet(u)
		}
	}
	return []byte(ToStringValue(x))
}

// guidBytesDotNet is Guid.ToByteArray(): the first three groups little-endian.
func guidBytesDotNet(u uuid.UUID) []byte {
	b := make([]byte, 16)
	copy(b, u[:])
	b[0], b[1], b[2], b[3] = u[3], u[2], u[1], u[0]
	b[4], b[5] = u[5], u[4]
	b[6], b[7] = u[7], u[6]
	return b
}

// hashText is the text form hash_md5/sha1/sha256 digest (Kusto hashes the value's string
// form; datetimes as their ISO text).
func hashText(x any) []byte {
	switch v := normDyn(x).(type) {
	case table.DateTime:
		return []byte(dateTime7(v))
	case string:
		return []byte(v)
	}
	return []byte(ToStringValue(x))
}

func dotNetURLEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-_.!*()", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteString(fmt.Sprintf("%%%02x", c))
		}
	}
	return b.String()
}

func parseURL(s string) any {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return map[string]any{}
	}
	pw, _ := u.User.Password()
	q := map[string]any{}
	for k, vs := range u.Query() {
		if len(vs) > 0 {
			q[k] = vs[len(vs)-1]
		}
	}
	return map[string]any{
		"Scheme":           u.Scheme,
		"Host":             u.Hostname(),
		"Port":             u.Port(),
		"Path":             u.EscapedPath(),
		"Username":         u.User.Username(),
		"Password":         pw,
		"Query Parameters": q,
		"Fragment":         u.Fragment,
	}
}

func parseCommandLineWindows(s string) []any {
	out := []any{}
	var cur strings.Builder
	inQ, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			j := i
			for j < len(s) && s[j] == '\\' {
				j++
			}
			nb := j - i
			if j < len(s) && s[j] == '"' {
				cur.WriteString(strings.Repeat("\\", nb/2))
				if nb%2 == 1 {
					cur.WriteByte('"')
					i = j
				} else {
					i = j - 1
				}
			} else {
				cur.WriteString(strings.Repeat("\\", nb))
				i = j - 1
			}
			have = true
		case c == '"':
			inQ = !inQ
			have = true
		case (c == ' ' || c == '\t') && !inQ:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

func registerMisc(r *registry) {
	hashFn := func(name string) {
		r.fn(name, fixedNull(name, 1, 2, table.TypeLong, func(a []any) any {
			h := int64(xxhash64(hashBytes(a[0])))
			if len(a) > 1 {
				m, ok := toLongV(normDyn(a[1]))
				if !ok || m <= 0 {
					return nil
				}
				u := uint64(h) % uint64(m)
				return int64(u)
			}
			return h
		}))
	}
	hashFn("hash")
	hashFn("hash_xxhash64")
	r.fn("hash_many", fixed("hash_many", 1, 64, table.TypeLong, func(a []any) any {
		var b []byte
		for _, x := range a {
			b = append(b, hashBytes(x)...)
		}
		return int64(xxhash64(b))
	}))
	r.fn("hash_md5", fixedNull("hash_md5", 1, 1, table.TypeString, func(a []any) any {
		s := md5.Sum(hashText(a[0]))
		return hex.EncodeToString(s[:])
	}))
	r.fn("hash_sha1", fixedNull("hash_sha1", 1, 1, table.TypeString, func(a []any) any {
		s := sha1.Sum(hashText(a[0]))
		return hex.EncodeToString(s[:])
	}))
	r.fn("hash_sha256", fixedNull("hash_sha256", 1, 1, table.TypeString, func(a []any) any {
		s := sha256.Sum256(hashText(a[0]))
		return hex.EncodeToString(s[:])
	}))
	r.fn("base64_encode_tostring", fixed("base64_encode_tostring", 1, 1, table.TypeString, func(a []any) any {
		return base64.StdEncoding.EncodeToString([]byte(ToStringValue(a[0])))
	}), "base64_encodestring")
	decode := func(s string) ([]byte, bool) {
		s = strings.TrimSpace(s)
		if b, err := base64.StdEncoding.DecodeString(s); err == nil {
			return b, true
		}
		if b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err == nil {
			return b, true
		}
		return nil, false
	}
	r.fn("base64_decode_tostring", fixed("base64_decode_tostring", 1, 1, table.TypeString, func(a []any) any {
		b, ok := decode(ToStringValue(a[0]))
		if !ok || !utf8.Valid(b) {
			return "" // Kusto gives an empty result for text that is not UTF-8
		}
		return string(b)
	}), "base64_decodestring")
	r.fn("base64_decode_toarray", fixed("base64_decode_toarray", 1, 1, table.TypeDynamic, func(a []any) any {
		b, ok := decode(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		out := make([]any, len(b))
		for i, c := range b {
			out[i] = int64(c)
		}
		return out
	}))
	r.fn("base64_encode_fromarray", fixed("base64_encode_fromarray", 1, 1, table.TypeString, func(a []any) any {
		arr, ok := asArray(a[0])
		if !ok {
			return ""
		}
		b := make([]byte, len(arr))
		for i, e := range arr {
			v, _ := toLongV(normDyn(e))
			b[i] = byte(v)
		}
		return base64.StdEncoding.EncodeToString(b)
	}))
	r.fn("base64_encode_fromguid", fixedNull("base64_encode_fromguid", 1, 1, table.TypeString, func(a []any) any {
		g, ok := toGUIDV(a[0])
		if !ok {
			return ""
		}
		u, err := uuid.Parse(string(g))
		if err != nil {
			return ""
		}
		return base64.StdEncoding.EncodeToString(guidBytesDotNet(u))
	}))
	r.fn("base64_decode_toguid", fixed("base64_decode_toguid", 1, 1, table.TypeGUID, func(a []any) any {
		b, ok := decode(ToStringValue(a[0]))
		if !ok || len(b) != 16 {
			return nil
		}
		var u uuid.UUID
		copy(u[:], b)
		u[0], u[1], u[2], u[3] = b[3], b[2], b[1], b[0]
		u[4], u[5] = b[5], b[4]
		u[6], u[7] = b[7], b[6]
		return table.GUID(u.String())
	}))
	r.fn("url_encode", fixed("url_encode", 1, 1, table.TypeString, func(a []any) any {
		return dotNetURLEncode(ToStringValue(a[0]))
	}))
	r.fn("url_encode_component", fixed("url_encode_component", 1, 1, table.TypeString, func(a []any) any {
		// The component form spells a space %20, not +.
		return strings.ReplaceAll(dotNetURLEncode(ToStringValue(a[0])), "+", "%20")
	}))
	r.fn("url_decode", fixed("url_decode", 1, 1, table.TypeString, func(a []any) any {
		s := ToStringValue(a[0])
		d, err := url.QueryUnescape(s)
		if err != nil {
			d2, err2 := url.PathUnescape(s)
			if err2 != nil {
				return s
			}
			return d2
		}
		return d
	}))
	r.fn("parse_url", fixed("parse_url", 1, 1, table.TypeDynamic, func(a []any) any { return parseURL(ToStringValue(a[0])) }))
	r.fn("parse_urlquery", fixed("parse_urlquery", 1, 1, table.TypeDynamic, func(a []any) any {
		s := strings.TrimPrefix(ToStringValue(a[0]), "?")
		q := map[string]any{}
		vals, _ := url.ParseQuery(s)
		for k, vs := range vals {
			if len(vs) > 0 {
				q[k] = vs[len(vs)-1]
			}
		}
		return map[string]any{"Query Parameters": q}
	}))
	r.fn("parse_command_line", fixed("parse_command_line", 2, 2, table.TypeDynamic, func(a []any) any {
		return parseCommandLineWindows(ToStringValue(a[0]))
	}))
	r.fn("parse_path", fixed("parse_path", 1, 1, table.TypeDynamic, func(a []any) any { return parsePath(ToStringValue(a[0])) }))
	r.volatile("new_guid", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("new_guid", args, 0, 0); err != nil {
			return 0, nil, err
		}
		return table.TypeGUID, func(_ *Context, _ []*table.Vector, n int) (*table.Vector, error) {
			out := newOut(table.TypeGUID, n)
			for i := range out.Strs {
				out.Strs[i] = uuid.NewString()
			}
			return out, nil
		}, nil
	})
	r.fn("parse_version", fixedNull("parse_version", 1, 1, table.TypeDecimal, func(a []any) any {
		parts := strings.Split(strings.TrimSpace(ToStringValue(a[0])), ".")
		if len(parts) == 0 || len(parts) > 4 {
			return nil
		}
		var b strings.Builder
		for i := 0; i < 4; i++ {
			p := "0"
			if i < len(parts) {
				p = parts[i]
				if _, err := strconv.ParseUint(p, 10, 64); err != nil || len(p) > 8 {
					return nil
				}
			}
			if i == 0 {
				b.WriteString(p)
			} else {
				fmt.Fprintf(&b, "%08s", p)
			}
		}
		d, ok := toDecV(b.String())
		if !ok {
			return nil
		}
		return d
	}))
	// The engine evaluates d.key and d[index] through these pseudo operators.
	r.op("[]", bindIndex)
	r.op(".", bindIndex)
}

// parsePath splits a file path the way Kusto's parse_path does: scheme, drive root,
// directory, file name, extension and alternate data stream, with either slash.
func parsePath(s string) map[string]any {
	scheme := ""
	rest := s
	if i := strings.Index(s, "://"); i > 0 {
		scheme, rest = s[:i], s[i+3:]
	}
	root := ""
	body := strings.TrimPrefix(rest, `\\?\`)
	if len(body) >= 2 && body[1] == ':' && (body[0]|0x20 >= 'a' && body[0]|0x20 <= 'z') {
		root = body[:2]
	}
	dir, file := "", rest
	if i := strings.LastIndexAny(rest, `/\`); i >= 0 {
		dir, file = rest[:i], rest[i+1:]
	}
	ads := ""
	if i := strings.IndexByte(file, ':'); i >= 0 {
		file, ads = file[:i], file[i+1:]
	}
	ext := ""
	if i := strings.LastIndexByte(file, '.'); i >= 0 {
		ext = file[i+1:]
	}
	dirName := dir
	if i := strings.LastIndexAny(dir, `/\`); i >= 0 {
		dirName = dir[i+1:]
	}
	return map[string]any{"Scheme": scheme, "RootPath": root, "DirectoryPath": dir, "DirectoryName": dirName,
		"Filename": file, "Extension": ext, "AlternateDataStreamName": ads}
}

// bindIndex is dynamic member/element access: d["key"], d.key, d[0], d[-1].
func bindIndex(args []Arg) (table.Type, Impl, error) {
	if len(args) != 2 {
		return 0, nil, fmt.Errorf("indexing expects a value and an index")
	}
	return table.TypeDynamic, rows(table.TypeDynamic, func(a []any) any { return indexDyn(a[0], a[1]) }), nil
}

func indexDyn(x, k any) any {
	switch v := x.(type) {
	case map[string]any:
		return v[ToStringValue(k)]
	case []any:
		i, ok := toLongV(normDyn(k))
		if !ok {
			return nil
		}
		if i < 0 {
			i += int64(len(v))
		}
		if i < 0 || i >= int64(len(v)) {
			return nil
		}
		return v[i]
	case string:
		// A JSON text inside dynamic is not parsed implicitly.
		return nil
	}
	return nil
}

func mathFloat64bits(f float64) uint64 { return math.Float64bits(f) }
