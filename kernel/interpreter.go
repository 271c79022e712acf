package kernel

import "context"

// Interpreter is the language side of the kernel. The kernel package speaks the Jupyter
// protocol and knows nothing about KQL; magic.Interpreter implements this for KQL.
// Methods are called one at a time, in the order requests arrive (Execute on a goroutine of
// its own, so a cell that ignores ctx cannot hold up shutdown). The ctx of Execute, Complete
// and Inspect is cancelled by interrupt_request or SIGINT, and when the kernel shuts down.
// A panic in any method is recovered and answered with an error reply.
type Interpreter interface {
	// Info describes the language for kernel_info_reply.
	Info() LanguageInfo
	// Execute runs one cell. Side outputs (display_data, update_display_data, streams) go to
	// out while the cell runs. A non-nil result becomes the cell's execute_result (Out[n]).
	// A non-nil error becomes one `error` message and an error execute_reply; return an
	// *ExecError to control ename/evalue/traceback.
	Execute(ctx context.Context, req ExecuteRequest, out Output) (*Bundle, error)
	// Complete returns completions at cursor, a position in Unicode code points.
	Complete(ctx context.Context, code string, cursor int) Completion
	// Inspect returns help for the name at cursor (code points); found=false if none.
	Inspect(ctx context.Context, code string, cursor int, detailLevel int) (b Bundle, found bool)
	// IsComplete reports "complete", "incomplete", "invalid" or "unknown", and for
	// "incomplete" the indent to use on the next line.
	IsComplete(code string) (status, indent string)
}

// ExecuteRequest is the part of execute_request the interpreter needs.
type ExecuteRequest struct {
	Code           string
	Silent         bool
	StoreHistory   bool
	ExecutionCount int
}

// Output receives what a running cell shows besides its result. It is safe for concurrent
// use while Execute runs; calls after Execute returned are dropped (they would arrive after
// the reply).
type Output interface {
	// Display publishes display_data. With b.DisplayID set, the output can be replaced later.
	Display(b Bundle)
	// Update publishes update_display_data for b.DisplayID.
	Update(b Bundle)
	// Stream publishes a stream message; name is "stdout" or "stderr".
	Stream(name, text string)
	// Clear publishes clear_output; wait=true clears when the next output arrives.
	Clear(wait bool)
}

// Bundle is a MIME bundle: data keyed by MIME type, plus metadata.
type Bundle struct {
	Data      map[string]any
	Metadata  map[string]any
	DisplayID string // transient display_id, optional
}

// Completion is the content of complete_reply.
type Completion struct {
	Matches     []string
	CursorStart int // code points
	CursorEnd   int // code points
	Metadata    map[string]any
}

// LanguageInfo is language_info of kernel_info_reply plus the banner and help links.
type LanguageInfo struct {
	Name              string
	Version           string
	Mimetype          string
	FileExtension     string
	PygmentsLexer     string
	CodemirrorMode    string
	NBConvertExporter string
	Banner            string
	HelpLinks         []HelpLink
}

// HelpLink is one entry of kernel_info_reply's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// ExecError is a cell error as the front end shows it.
type ExecError struct {
	Name      string   // ename, e.g. "SyntaxError", "SemanticError", "ServiceError"
	Value     string   // evalue, one line
	Traceback []string // lines shown to the user; may hold ANSI colour
}

func (e *ExecError) Error() string { return e.Name + ": " + e.Value }

// HistoryRedactor is implemented by interpreters whose cells can hold secrets (connection
// strings with keys): the kernel keeps RedactHistory(code) in the history instead of code.
type HistoryRedactor interface {
	RedactHistory(code string) string
}
