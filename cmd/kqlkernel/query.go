package main

import (
	"context"
	"errors"
)

// runQuery is replaced by the real implementation.
func runQuery(ctx context.Context, args []string) error {
	return errors.New("not implemented yet")
}
