package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/kqlkernel/kqlkernel/table"
)

// Defaults of TableOptions.
const (
	DefaultMaxRows      = 100
	DefaultMaxCellChars = 200
	maxTitleChars       = 10000 // hover text is for reading a value, not for dumping megabytes
	// maxCellLines bounds a multi-line value in HTML: SecurityAlert's Entities hold
	// pretty-printed JSON of dozens of lines, which made each row hundreds of pixels tall.
	maxCellLines = 3
	// maxJSONCompact bounds the text checked and compacted as JSON (per shown cell).
	maxJSONCompact = 1 << 20
)

// TableOptions control how result tables are shown.
type TableOptions struct {
	MaxRows      int  // rows shown per table; 0 means DefaultMaxRows, < 0 all rows
	MaxCellChars int  // longer values are shortened (HTML keeps the full text on hover); 0 means DefaultMaxCellChars
	ShowNames    bool // caption each table with its name (always done for several tables)
}

func (o TableOptions) limits() (rows, chars int) {
	rows, chars = o.MaxRows, o.MaxCellChars
	if rows == 0 {
		rows = DefaultMaxRows
	}
	if chars <= 0 {
		chars = DefaultMaxCellChars
	}
	return rows, chars
}

// Tables renders result tables as text/html and text/plain. Only the shown rows are
// formatted, so a million-row result costs what its first rows cost.
func Tables(tables []*table.Table, opts TableOptions) Bundle {
	b := newBundle()
	named := opts.ShowNames || len(tables) > 1
	var h, p strings.Builder
	if len(tables) == 0 {
		h.WriteString(`<div` + noMath + ` style="font-style:italic;opacity:.75">no tables</div>`)
		p.WriteString("(no tables)")
	}
	for i, t := range tables {
		if t == nil {
			continue
		}
		if i > 0 {
			p.WriteString("\n\n")
		}
		g := newGrid(t, opts)
		g.writeHTML(&h, named)
		g.writeText(&p, named)
	}
	b.Data[MIMEHTML] = h.String()
	b.Data[MIMEText] = p.String()
	return b
}

// cell is one formatted value.
type cell struct {
	text  string // as shown in text/plain (possibly shortened)
	view  string // as shown in text/html when it differs from text (a multi-line value made short), else ""
	full  string // the whole value when what is shown was shortened, else ""
	null  bool
	right bool
}

// grid is the shown part of a table, formatted once for both outputs.
type grid struct {
	name   string
	cols   []table.Column
	right  []bool
	cells  [][]cell // [row][col]
	total  int
	maxLen int
}

func newGrid(t *table.Table, opts TableOptions) *grid {
	maxRows, maxChars := opts.limits()
	total := t.Rows()
	shown := total
	if maxRows >= 0 && shown > maxRows {
		shown = maxRows
	}
	g := &grid{name: t.Name, cols: t.Columns, total: total, maxLen: maxChars}
	g.right = make([]bool, len(t.Columns))
	for j, c := range t.Columns {
		g.right[j] = c.Type.Numeric()
	}
	g.cells = make([][]cell, shown)
	for r := 0; r < shown; r++ {
		row := make([]cell, len(t.Columns))
		for j, c := range t.Columns {
			row[j] = formatCell(c, r, maxChars)
			row[j].right = g.right[j]
		}
		g.cells[r] = row
	}
	return g
}

func formatCell(c table.Column, r, maxChars int) cell {
	if c.Data == nil {
		return cell{null: true}
	}
	if c.Type != table.TypeString && c.Data.IsNull(r) {
		return cell{null: true}
	}
	s := table.Format(c.Data.At(r))
	out := cell{text: clip(s, maxChars)}
	if out.text != s {
		out.full = s
	}
	if strings.ContainsAny(s, "\r\n") {
		out.view = multiLineView(s, maxChars)
		if out.view != normalizeNewlines(s) {
			out.full = s
		}
	}
	return out
}

// multiLineView is what HTML shows of a value with line breaks: JSON (SecurityAlert's
// Entities and ExtendedProperties are pretty-printed with \r\n) in its compact one-line
// form, other text as its first maxCellLines lines; both shortened to maxChars.
func multiLineView(s string, maxChars int) string {
	if j, ok := compactJSON(s); ok {
		return clip(j, maxChars)
	}
	lines := strings.Split(strings.TrimRight(normalizeNewlines(s), "\n"), "\n")
	more := len(lines) > maxCellLines
	if more {
		lines = lines[:maxCellLines]
	}
	v := clip(strings.Join(lines, "\n"), maxChars)
	if more && !strings.HasSuffix(v, "…") {
		v += " …"
	}
	return v
}

// compactJSON returns s without the whitespace between JSON tokens when s is a JSON
// object or array.
func compactJSON(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || len(t) > maxJSONCompact || !(t[0] == '{' && t[len(t)-1] == '}' || t[0] == '[' && t[len(t)-1] == ']') {
		return "", false
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(t)); err != nil {
		return "", false
	}
	return b.String(), true
}

// normalizeNewlines turns \r\n and lone \r into \n.
func normalizeNewlines(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// clip shortens s to n runes (the last one an ellipsis) when it is longer.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return shorten(s, n)
	}
	return s
}

// shorten keeps the first n-1 runes and adds an ellipsis.
func shorten(s string, n int) string {
	if n < 2 {
		n = 2
	}
	i := 0
	for k := range s {
		if i == n-1 {
			return s[:k] + "…"
		}
		i++
	}
	return s
}

func (g *grid) shownRows() int { return len(g.cells) }

func (g *grid) footer() string {
	switch {
	case g.total == 0:
		return "no rows"
	case g.shownRows() < g.total:
		return fmt.Sprintf("showing %d of %d rows", g.shownRows(), g.total)
	}
	return ""
}

// Styles are inline (no <style>, no script) so the HTML survives sanitisers, nbconvert
// and docs builds; colours come from the front end's theme (inherit), and borders are
// translucent grey so they read on light and dark backgrounds alike.
const (
	styleWrap    = `max-width:100%;overflow-x:auto;margin:2px 0 8px 0`
	styleTable   = `border-collapse:collapse;border-spacing:0;font-size:12px;line-height:1.35;margin:0;color:inherit;table-layout:auto`
	styleCaption = `caption-side:top;text-align:left;font-weight:600;padding:2px 6px`
	styleTh      = `padding:3px 8px;border-bottom:1px solid rgba(128,128,128,.6);white-space:nowrap;font-weight:600`
	styleTdL     = `text-align:left;white-space:nowrap` // wide results scroll rather than wrap dates
	styleTdR     = `text-align:right;white-space:nowrap`
	styleNull    = `opacity:.45;font-style:italic`
	styleFooter  = `font-size:11px;opacity:.75;padding:2px 6px`
)

func (g *grid) writeHTML(w *strings.Builder, named bool) {
	w.WriteString(`<div` + noMath + ` style="` + styleWrap + `">`)
	w.WriteString(`<table style="` + styleTable + `">`)
	if named {
		w.WriteString(`<caption style="` + styleCaption + `">`)
		w.WriteString(html.EscapeString(g.name))
		w.WriteString(`</caption>`)
	}
	w.WriteString(`<thead><tr>`)
	for j, c := range g.cols {
		align := "left"
		if g.right[j] {
			align = "right"
		}
		fmt.Fprintf(w, `<th title="%s" style="text-align:%s;%s">%s</th>`,
			html.EscapeString(c.Name+": "+c.Type.String()), align, styleTh, html.EscapeString(c.Name))
	}
	w.WriteString("</tr></thead><tbody>\n")
	for _, row := range g.cells {
		w.WriteString(`<tr>`)
		for _, c := range row {
			writeHTMLCell(w, c)
		}
		w.WriteString("</tr>\n")
	}
	if g.total == 0 && len(g.cols) > 0 {
		fmt.Fprintf(w, `<tr><td colspan="%d" style="text-align:left;%s">no rows</td></tr>`, len(g.cols), styleNull)
	}
	w.WriteString(`</tbody></table>`)
	if f := g.footer(); f != "" && !(g.total == 0 && len(g.cols) > 0) {
		w.WriteString(`<div style="` + styleFooter + `">` + f + `</div>`)
	}
	w.WriteString(`</div>`)
}

func writeHTMLCell(w *strings.Builder, c cell) {
	shown := c.text
	if c.view != "" {
		shown = c.view
	}
	if shown == "" && !c.null {
		// Empty strings need no alignment; SecurityEvent rows are mostly empty columns,
		// and per-cell styles would otherwise make up most of the page.
		w.WriteString(`<td></td>`)
		return
	}
	style := styleTdL
	if c.right {
		style = styleTdR
	} else if strings.ContainsAny(shown, "\r\n") {
		style = `text-align:left;white-space:pre` // multi-line values (stack traces, scripts) keep their first lines
	}
	w.WriteString(`<td style="` + style + `"`)
	if c.full != "" {
		w.WriteString(` title="`)
		w.WriteString(html.EscapeString(clip(normalizeNewlines(c.full), maxTitleChars)))
		w.WriteString(`"`)
	}
	w.WriteString(`>`)
	if c.null {
		w.WriteString(`<span style="` + styleNull + `">null</span>`)
	} else {
		w.WriteString(html.EscapeString(shown))
	}
	w.WriteString(`</td>`)
}

// plainReplacer keeps each row on one line in text/plain.
var plainReplacer = strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

func (g *grid) writeText(w *strings.Builder, named bool) {
	if named {
		w.WriteString(g.name)
		w.WriteString(":\n")
	}
	n := len(g.cols)
	if n == 0 {
		w.WriteString("(no columns)")
		if f := g.footer(); f != "" {
			w.WriteString("\n(" + f + ")")
		}
		return
	}
	texts := make([][]string, len(g.cells)+1)
	width := make([]int, n)
	for j := range width {
		width[j] = 1 // an unnamed, empty column still gets a dash
	}
	texts[0] = make([]string, n)
	for j, c := range g.cols {
		texts[0][j] = plainReplacer.Replace(c.Name)
	}
	for r, row := range g.cells {
		texts[r+1] = make([]string, n)
		for j, c := range row {
			texts[r+1][j] = plainReplacer.Replace(c.text)
		}
	}
	for _, row := range texts {
		for j, s := range row {
			if l := utf8.RuneCountInString(s); l > width[j] {
				width[j] = l
			}
		}
	}
	var line strings.Builder
	emit := func(row []string, alignRight bool) {
		line.Reset()
		for j, s := range row {
			if j > 0 {
				line.WriteString("  ")
			}
			pad := width[j] - utf8.RuneCountInString(s)
			if alignRight && g.right[j] {
				line.WriteString(strings.Repeat(" ", pad))
				line.WriteString(s)
			} else {
				line.WriteString(s)
				line.WriteString(strings.Repeat(" ", pad))
			}
		}
		w.WriteString(strings.TrimRight(line.String(), " "))
	}
	emit(texts[0], false)
	w.WriteByte('\n')
	dashes := make([]string, n)
	for j := range dashes {
		dashes[j] = strings.Repeat("-", width[j])
	}
	emit(dashes, false)
	for _, row := range texts[1:] {
		w.WriteByte('\n')
		emit(row, true)
	}
	if f := g.footer(); f != "" {
		w.WriteString("\n(" + f + ")")
	}
}
