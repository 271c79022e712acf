package main

import (
	"context"
	"errors"
)

// runCheck is replaced by the real implementation.
func runCheck(ctx context.Context, args []string) error {
	return errors.New("not implemented yet")
}
