package fn

import "unsafe"

// mapStrings applies an ASCII byte mapping (tolower/toupper) to every string with one
// allocation for the batch: results are slices of a single buffer. Strings that the
// mapping leaves unchanged are shared with the input; non-ASCII strings take the Unicode
// path (slow) one by one.
func mapStrings(in []string, n, stride int, tab *[256]byte, slow func(string) string) []string {
	out := make([]string, n)
	total := 0
	for i := 0; i < n; i++ {
		total += len(in[i*stride])
	}
	if stride == 0 && n > 0 {
		total = len(in[0])
	}
	buf := make([]byte, 0, total)
	for i := 0; i < n; i++ {
		if stride == 0 && i > 0 {
			out[i] = out[0]
			continue
		}
		s := in[i*stride]
		changed, ascii := false, true
		for j := 0; j < len(s); j++ {
			c := s[j]
			if c >= 0x80 {
				ascii = false
				break
			}
			if tab[c] != c {
				changed = true
			}
		}
		switch {
		case !ascii:
			out[i] = slow(s)
		case !changed:
			out[i] = s
		default:
			start := len(buf)
			buf = buf[:start+len(s)]
			dst := buf[start:]
			for j := 0; j < len(s); j++ {
				dst[j] = tab[s[j]]
			}
			out[i] = unsafe.String(unsafe.SliceData(dst), len(s))
		}
	}
	return out
}

var upperTab = func() (t [256]byte) {
	for i := range t {
		c := byte(i)
		if c >= 'a' && c <= 'z' {
			c -= 32
		}
		t[i] = c
	}
	return
}()
