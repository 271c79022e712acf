package magic

import (
	"fmt"
	"strings"

	"github.com/kqlkernel/kqlkernel/backend/connstr"
)

// unitKind is what one piece of a cell does.
type unitKind uint8

const (
	unitQuery unitKind = iota // a query, a connection switch, options or a command
	unitClear                 // %clear
)

// unit is one thing a cell asks for, in order: a plain cell is one query unit; a cell of
// %kql lines is one unit per line (plain lines between them form query units); a %%kql
// cell is one unit per query (queries separated by blank lines, as in Kqlmagic).
type unit struct {
	kind  unitKind
	head  parsedLine
	query string
	magic bool // came from %kql / %%kql (the head may hold options)
}

func isConnString(t string) bool {
	return connstr.IsConnectionString(unquote(t))
}

// splitCell turns a cell into units.
func splitCell(code string) ([]unit, error) {
	lines := strings.SplitAfter(code, "\n")
	// The first non-blank line decides whether this is a %%kql cell.
	first := 0
	for first < len(lines) && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	if first == len(lines) {
		return nil, nil
	}
	if rest, ok := cutMagic(lines[first], "%%"); ok {
		name, args := splitMagicName(rest)
		if name != "kql" {
			return nil, fmt.Errorf("unknown cell magic %%%%%s; this kernel knows %%%%kql (and %%kql, %%clear)", name)
		}
		return splitKQLCell(args, strings.Join(lines[first+1:], ""))
	}
	var units []unit
	var plain strings.Builder
	flush := func() error {
		defer plain.Reset()
		text := plain.String()
		if strings.TrimSpace(text) == "" {
			return nil
		}
		// A plain cell that starts with a connection string (no %kql) connects, as if it
		// were a %kql line: KQL never starts with scheme://.
		if w, ok := nextWord(strings.TrimLeft(text, " \t\r\n"), 0); ok && isConnString(w.text) {
			return splitKQLCellInto(&units, strings.TrimLeft(text, " \t\r\n"))
		}
		units = append(units, unit{kind: unitQuery, query: text})
		return nil
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		rest, ok := cutMagic(line, "%")
		if !ok {
			plain.WriteString(line)
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		// A trailing backslash continues a line magic on the next line.
		for strings.HasSuffix(strings.TrimRight(rest, "\r\n"), "\\") && i+1 < len(lines) {
			rest = strings.TrimSuffix(strings.TrimRight(rest, "\r\n"), "\\") + "\n" + lines[i+1]
			i++
		}
		name, args := splitMagicName(rest)
		switch name {
		case "kql":
			head, err := parseHead(args)
			if err != nil {
				return nil, err
			}
			units = append(units, unit{kind: unitQuery, head: head, query: strings.TrimSpace(args[head.rest:]), magic: true})
		case "clear":
			units = append(units, unit{kind: unitClear})
		default:
			return nil, fmt.Errorf("unknown magic %%%s; this kernel knows %%kql, %%%%kql and %%clear (see %%kql --help magics)", name)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return units, nil
}

// splitKQLCellInto handles text whose first line holds a connection (and options) like
// a %%kql cell's first line.
func splitKQLCellInto(units *[]unit, text string) error {
	first, body, _ := strings.Cut(text, "\n")
	us, err := splitKQLCell(strings.TrimRight(first, "\r"), body)
	if err != nil {
		return err
	}
	*units = append(*units, us...)
	return nil
}

// cutMagic reports whether line starts (after indentation) with prefix followed by a
// letter, and returns what follows the prefix.
func cutMagic(line, prefix string) (string, bool) {
	t := strings.TrimLeft(line, " \t")
	rest, ok := strings.CutPrefix(t, prefix)
	if !ok || rest == "" || !isIdentStart(rest[0]) {
		return "", false
	}
	if prefix == "%" && strings.HasPrefix(rest, "%") {
		return "", false
	}
	return rest, true
}

func splitMagicName(rest string) (name, args string) {
	i := 0
	for i < len(rest) && isIdentPart(rest[i]) {
		i++
	}
	return rest[:i], strings.TrimRight(rest[i:], "\r\n")
}

// splitKQLCell splits a %%kql cell: options and connection on the first line, then
// queries separated by blank lines. A chunk that starts with '|' continues the previous
// query (so a blank line inside a pipeline does not cut it).
func splitKQLCell(firstArgs, body string) ([]unit, error) {
	head, err := parseHead(firstArgs)
	if err != nil {
		return nil, err
	}
	text := strings.TrimSpace(firstArgs[head.rest:])
	if text != "" {
		body = text + "\n" + body
	}
	var chunks []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(body, "\n") {
		if strings.TrimSpace(line) == "" {
			if cur.Len() > 0 {
				chunks = append(chunks, cur.String())
				cur.Reset()
			}
			continue
		}
		if cur.Len() == 0 && len(chunks) > 0 && strings.HasPrefix(strings.TrimSpace(line), "|") {
			cur.WriteString(chunks[len(chunks)-1] + "\n")
			chunks = chunks[:len(chunks)-1]
		}
		cur.WriteString(line)
	}
	if cur.Len() > 0 {
		chunks = append(chunks, cur.String())
	}
	// A chunk of only let statements belongs to the query after it (a blank line between
	// the lets and the query doesn't make the lets session parameters).
	for i := 0; i+1 < len(chunks); i++ {
		if _, ok := onlyLets(chunks[i]); ok {
			chunks[i+1] = chunks[i] + "\n" + chunks[i+1]
			chunks = append(chunks[:i], chunks[i+1:]...)
			i--
		}
	}
	if len(chunks) == 0 {
		return []unit{{kind: unitQuery, head: head, magic: true}}, nil
	}
	units := make([]unit, 0, len(chunks))
	for i, c := range chunks {
		u := unit{kind: unitQuery, magic: true}
		if i == 0 {
			u.head = head
		}
		// Each query may start with its own options, as in Kqlmagic.
		if strings.HasPrefix(strings.TrimSpace(c), "-") || strings.HasPrefix(strings.TrimSpace(c), "+") {
			h, err := parseHead(c)
			if err != nil {
				return nil, err
			}
			u.head.opts = append(u.head.opts, h.opts...)
			if h.conn != "" {
				u.head.conn = h.conn
			}
			c = c[h.rest:]
		}
		u.query = strings.TrimSpace(c)
		units = append(units, u)
	}
	return units, nil
}
