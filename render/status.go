package render

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Status is what the status line under a result says.
type Status struct {
	Elapsed   time.Duration
	Records   int64    // rows of the result
	Running   bool     // the query is still running: "Running (00:03.215)..."
	Failed    bool     // the query failed (its error is shown on its own): "Failed (00:01.002)"
	Truncated bool     // the service cut the result short
	Partial   bool     // the service reported a partial result (a partial error)
	Warnings  []string // further lines, shown as warnings
}

// FormatElapsed formats a duration as Kqlmagic does: mm:ss.fff, with hours when needed.
func FormatElapsed(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	ms := d.Milliseconds()
	h, m, s, f := ms/3600000, ms/60000%60, ms/1000%60, ms%1000
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d.%03d", h, m, s, f)
	}
	return fmt.Sprintf("%02d:%02d.%03d", m, s, f)
}

// lines returns the status line and its warnings, as text.
func (s Status) lines() (head string, warnings []string) {
	switch {
	case s.Failed:
		head = fmt.Sprintf("Failed (%s)", FormatElapsed(s.Elapsed))
	case s.Running:
		head = fmt.Sprintf("Running (%s)...", FormatElapsed(s.Elapsed))
	default:
		head = fmt.Sprintf("Done (%s): %d records", FormatElapsed(s.Elapsed), s.Records)
	}
	if s.Truncated {
		warnings = append(warnings, "Warning: the result was truncated by the service; narrow the query (where, summarize, take) to see all of it")
	}
	if s.Partial {
		warnings = append(warnings, "Warning: partial result: the service reported an error after returning some rows")
	}
	for _, w := range s.Warnings {
		warnings = append(warnings, "Warning: "+w)
	}
	return head, warnings
}

const (
	styleStatus  = `font-size:12px;opacity:.8;margin:2px 0;font-family:inherit`
	styleWarning = `font-size:12px;margin:2px 0;padding:2px 6px;border-left:3px solid #d29922;white-space:pre-wrap`
	styleError   = `margin:4px 0;padding:4px 8px;border-left:4px solid #d13438;background:rgba(209,52,56,.08)`
	styleErrPre  = `margin:2px 0 0 0;white-space:pre-wrap;font-size:12px;background:transparent;color:inherit`
)

// StatusLine renders the status line: `Done (00:00.952): 1 records`, plus warnings.
func StatusLine(s Status) Bundle {
	head, warnings := s.lines()
	b := newBundle()
	var h strings.Builder
	h.WriteString(`<div` + noMath + ` style="` + styleStatus + `">` + html.EscapeString(head) + `</div>`)
	for _, w := range warnings {
		h.WriteString(`<div` + noMath + ` style="` + styleWarning + `">` + html.EscapeString(w) + `</div>`)
	}
	b.Data[MIMEHTML] = h.String()
	b.Data[MIMEText] = strings.Join(append([]string{head}, warnings...), "\n")
	return b
}

// Error renders an error block: a title (e.g. "Syntax error") and a message that may
// span lines (a query line and a caret). Both are escaped.
func Error(title, message string) Bundle {
	b := newBundle()
	var h strings.Builder
	h.WriteString(`<div` + noMath + ` style="` + styleError + `">`)
	if title != "" {
		h.WriteString(`<div style="font-weight:600;color:#d13438">` + html.EscapeString(title) + `</div>`)
	}
	h.WriteString(`<pre style="` + styleErrPre + `">` + html.EscapeString(message) + `</pre></div>`)
	b.Data[MIMEHTML] = h.String()
	text := message
	if title != "" {
		text = title + "\n" + message
	}
	b.Data[MIMEText] = text
	return b
}

// Warning renders one warning note.
func Warning(message string) Bundle {
	b := newBundle()
	b.Data[MIMEHTML] = `<div` + noMath + ` style="` + styleWarning + `">` + html.EscapeString(message) + `</div>`
	b.Data[MIMEText] = message
	return b
}
