// Package render turns query results into what front ends show: text/html and
// text/plain tables, image/png charts for every `render` kind, and the status line.
// It is pure: it never talks to a service and keeps no state between calls.
package render

import "github.com/kqlkernel/kqlkernel/table"

// MIME types of a bundle.
const (
	MIMEText = "text/plain"
	MIMEHTML = "text/html"
	MIMEPNG  = "image/png"
)

// Bundle is one display_data or execute_result payload: MIME type to content
// (image/png as a base64 string) and per-type metadata. Both maps are never nil,
// because a null breaks front ends.
type Bundle struct {
	Data     map[string]any
	Metadata map[string]any
}

// noMath is the class attribute of every top-level element render emits. Notebook 6 and
// nbconvert HTML pages typeset $...$ in HTML outputs as TeX with MathJax 2, so
// SecurityAlert's Entities (`[{"$id":"2",...},{"$id":"3"...`) came out as formulas;
// tex2jax_ignore opts out there, mathjax_ignore in pages that use MathJax 3.
const noMath = ` class="tex2jax_ignore mathjax_ignore"`

func newBundle() Bundle {
	return Bundle{Data: map[string]any{}, Metadata: map[string]any{}}
}

// Text returns the bundle's text/plain, or "".
func (b Bundle) Text() string {
	s, _ := b.Data[MIMEText].(string)
	return s
}

// HTML returns the bundle's text/html, or "".
func (b Bundle) HTML() string {
	s, _ := b.Data[MIMEHTML].(string)
	return s
}

// IsChart reports whether a render spec asks for a chart (not nil, "" or "table").
func IsChart(spec *table.RenderSpec) bool {
	return spec != nil && spec.Visualization != "" && spec.Visualization != "table"
}
