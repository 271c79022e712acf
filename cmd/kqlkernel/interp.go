package main

import (
	"context"

	"github.com/kqlkernel/kqlkernel/kernel"
	"github.com/kqlkernel/kqlkernel/magic"
)

// newInterpreter returns the interpreter the kernel runs: KQL with Kqlmagic's magics, on
// the embedded engine until the user connects elsewhere.
func newInterpreter(ctx context.Context) (kernel.Interpreter, error) {
	return magic.New(magic.Config{Version: version})
}
