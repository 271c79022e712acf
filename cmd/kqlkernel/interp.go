package main

// PLACEHOLDER: the magic/ engineer replaces this whole file with one whose newInterpreter
// returns magic.Interpreter on the embedded KQL engine. Until then the kernel runs, answers
// every request, and says plainly that KQL is not wired up yet.

import (
	"context"

	"github.com/kqlkernel/kqlkernel/kernel"
)

// newInterpreter returns the interpreter the kernel runs.
func newInterpreter(ctx context.Context) (kernel.Interpreter, error) {
	return placeholderInterp{}, nil
}

type placeholderInterp struct{}

func (placeholderInterp) Info() kernel.LanguageInfo {
	return kernel.LanguageInfo{
		Name: "kql", Version: "1.0", Mimetype: "text/x-kql", FileExtension: ".kql",
		PygmentsLexer: "kql", CodemirrorMode: "kql", Banner: "kqlkernel: KQL for Jupyter",
		HelpLinks: []kernel.HelpLink{{Text: "KQL reference", URL: "https://learn.microsoft.com/kusto/query/"}},
	}
}

func (placeholderInterp) Execute(ctx context.Context, req kernel.ExecuteRequest, out kernel.Output) (*kernel.Bundle, error) {
	return nil, &kernel.ExecError{Name: "NotImplemented", Value: "the KQL interpreter is not built into this kqlkernel yet"}
}

func (placeholderInterp) Complete(ctx context.Context, code string, cursor int) kernel.Completion {
	return kernel.Completion{CursorStart: cursor, CursorEnd: cursor}
}

func (placeholderInterp) Inspect(ctx context.Context, code string, cursor, detail int) (kernel.Bundle, bool) {
	return kernel.Bundle{}, false
}

func (placeholderInterp) IsComplete(code string) (string, string) { return "unknown", "" }
