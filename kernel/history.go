package kernel

import (
	"context"
	"sync"
)

// historySession is the session number of this kernel's cells. IPython numbers sessions in
// its database; we keep only the current one, which is also session 0 ("current").
const historySession = 1

type historyEntry struct {
	line   int
	input  string
	output *string
}

// history keeps this session's stored cells in memory, in execution order.
type history struct {
	mu      sync.Mutex
	entries []historyEntry
}

func newHistory() *history { return &history{entries: []historyEntry{}} }

func (h *history) add(line int, input string, output *string) {
	h.mu.Lock()
	h.entries = append(h.entries, historyEntry{line, input, output})
	h.mu.Unlock()
}

// historyQuery is the content of history_request.
type historyQuery struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// query returns the entries selected by q with IPython's HistoryManager semantics:
// tail = the last n; range = lines start <= line < stop of one session (0 or negative
// counts back from the current session); search = glob over the input, optionally the
// latest of each distinct input, optionally the last n.
func (h *history) query(q historyQuery) []historyEntry {
	h.mu.Lock()
	all := append([]historyEntry(nil), h.entries...)
	h.mu.Unlock()
	out := []historyEntry{}
	last := func(es []historyEntry, n *int) []historyEntry {
		if n != nil && *n >= 0 && *n < len(es) {
			return es[len(es)-*n:]
		}
		return es
	}
	switch q.HistAccessType {
	case "tail":
		n := 10 // IPython's default
		if q.N != nil {
			n = *q.N
		}
		out = append(out, last(all, &n)...)
	case "range":
		if q.Session != 0 && q.Session != historySession {
			return out
		}
		for _, e := range all {
			if e.line >= q.Start && (q.Stop == nil || e.line < *q.Stop) {
				out = append(out, e)
			}
		}
	case "search":
		var matched []historyEntry
		for _, e := range all {
			if globMatch(q.Pattern, e.input) {
				matched = append(matched, e)
			}
		}
		if q.Unique {
			// Keep the latest occurrence of each input, in order of those occurrences.
			latest := map[string]int{}
			for i, e := range matched {
				latest[e.input] = i
			}
			var u []historyEntry
			for i, e := range matched {
				if latest[e.input] == i {
					u = append(u, e)
				}
			}
			matched = u
		}
		out = append(out, last(matched, q.N)...)
	}
	return out
}

func (k *Kernel) historyRequest(_ context.Context, c *channel, m *Message) {
	var q historyQuery
	if !k.decodeContent(c, m, &q) {
		return
	}
	rows := []any{}
	for _, e := range k.history.query(q) {
		if q.Output {
			var out any
			if e.output != nil {
				out = *e.output
			}
			rows = append(rows, []any{historySession, e.line, []any{e.input, out}})
		} else {
			rows = append(rows, []any{historySession, e.line, e.input})
		}
	}
	k.reply(c, m, "history_reply", nil, map[string]any{"status": "ok", "history": rows})
}

// globMatch reports whether s matches pattern with SQLite GLOB rules (what IPython's
// history search uses): * any run, ? one character, [abc] [a-z] [^abc] a class; case
// sensitive, over the whole string.
func globMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	// Iterative matcher with one backtrack point for the last '*'.
	pi, ti := 0, 0
	starP, starT := -1, 0
	for ti < len(t) {
		if pi < len(p) {
			switch p[pi] {
			case '*':
				starP, starT = pi, ti
				pi++
				continue
			case '?':
				pi++
				ti++
				continue
			case '[':
				if ok, next, valid := matchClass(p, pi, t[ti]); valid {
					if ok {
						pi = next
						ti++
						continue
					}
				} else if t[ti] == '[' { // an unterminated class matches itself
					pi++
					ti++
					continue
				}
			default:
				if p[pi] == t[ti] {
					pi++
					ti++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starT++
		pi, ti = starP+1, starT
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchClass matches r against the class starting at p[i] == '['. valid is false if the
// class has no closing bracket.
func matchClass(p []rune, i int, r rune) (ok bool, next int, valid bool) {
	j := i + 1
	negate := j < len(p) && p[j] == '^'
	if negate {
		j++
	}
	first := true
	for ; j < len(p); j++ {
		if p[j] == ']' && !first {
			return ok != negate, j + 1, true
		}
		first = false
		if j+2 < len(p) && p[j+1] == '-' && p[j+2] != ']' {
			if p[j] <= r && r <= p[j+2] {
				ok = true
			}
			j += 2
			continue
		}
		if p[j] == r {
			ok = true
		}
	}
	return false, 0, false
}
