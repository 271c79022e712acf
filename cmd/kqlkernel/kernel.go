package main

import (
	"context"
	"errors"
)

// runKernel is replaced by the real implementation.
func runKernel(ctx context.Context, args []string) error {
	return errors.New("not implemented yet")
}
