package main

import (
	"context"
	"errors"
)

// runServe is replaced by the real implementation.
func runServe(ctx context.Context, args []string) error {
	return errors.New("not implemented yet")
}
