// Command kqlcheck is `kqlkernel check --jsonl` without the rest of the binary: the
// differential and benchmark scripts of bench/parser build it on its own.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/kqlkernel/kqlkernel/kql/check"
)

func main() {
	if err := check.JSONL(context.Background(), "<stdin>", os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kqlcheck:", err)
		os.Exit(1)
	}
}
