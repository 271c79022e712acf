package fn

import "testing"

// FuzzParsers feeds arbitrary text to the parsers of outside input (datetime, timespan,
// guid, WKT, XML, JSON paths, URLs, command lines, punycode): none may panic.
func FuzzParsers(f *testing.F) {
	for _, s := range []string{"2014-05-25T08:20:03.123456Z", "1.02:03:04.5", "10m", "POLYGON ((0 0, 2 0, 2 2, 0 0))",
		"<a x='1'>t<b/></a>", "$.a[0]['b']", "https://u:p@h:1/p?q=1#f", `a "b c" d\"e`, "xn--Ge-mia", "0123456789ab-cdef-0123-456789abcdef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ParseDateTime(s)
		ParseTimeSpan(s)
		ParseGUID(s)
		parseWKT(s)
		parseXML(s)
		jsonPath(map[string]any{"a": []any{int64(1)}}, s)
		parseURL(s)
		parseCommandLineWindows(s)
		punyDecode(s)
		punyEncode(s)
		parsePath(s)
		parseIPv4(s)
		parseIPv6(s)
		h3Parse(s)
		cellFromToken(s)
		geohashBox(s)
		replaceStrings(s, []any{"a", s}, []any{s, "b"})
		formatDateTime(0, s)
		formatTimeSpan(-1, s)
	})
}
