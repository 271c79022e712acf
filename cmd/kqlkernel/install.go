package main

import (
	"context"
	"errors"
)

// runInstall is replaced by the real implementation.
func runInstall(ctx context.Context, args []string) error {
	return errors.New("not implemented yet")
}

func runUninstall(ctx context.Context, args []string) error {
	return errors.New("not implemented yet")
}
