// Semantics notes (see /work/notes/fn-api.md for the calling contract):
//
//   - Operators and functions follow what the real Kusto engine returns in
//     ../shared/kql/conformance.json where it differs from Kusto.Language (date parts are
//     long, ceiling() of an integer is real).
//   - Regular expressions use Go's regexp, which implements RE2, the dialect Kusto
//     documents. replace_regex rewrites \1 to ${1}; trim() wraps the pattern as
//     ^(?:p)+ and (?:p)+$.
//   - has/hasprefix/hassuffix are term matches: an occurrence counts when it does not
//     extend a run of ASCII letters and digits on a side where the needle itself is
//     alphanumeric. Case folding is ASCII-fast and falls back to Unicode lowering for
//     non-ASCII needles.
//   - Geo functions run on S2 (github.com/golang/geo) on a sphere of radius 6,371,010 m,
//     which reproduces Kusto's lengths; H3 covers only cell level and parent (index bits).
//   - Hot operators (comparisons, arithmetic, string predicates, bin, startofday,
//     tolower/toupper, strcat, tostring(long)) run typed loops with a few allocations per
//     batch; the long tail goes through a generic per-row path over boxed values.

package fn
