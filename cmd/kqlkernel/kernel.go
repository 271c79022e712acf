package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/kqlkernel/kqlkernel/kernel"
)

// runKernel serves one Jupyter session: `kqlkernel kernel --connection-file F`, as written
// in kernel.json. SIGINT interrupts the running cell (like interrupt_request); SIGTERM and
// SIGHUP stop the kernel cleanly.
func runKernel(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	connFile := fs.String("connection-file", "", "the connection file Jupyter wrote for this kernel")
	fs.StringVar(connFile, "f", "", "shorthand for --connection-file")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	if *connFile == "" && fs.NArg() == 1 {
		*connFile = fs.Arg(0)
	}
	if *connFile == "" {
		return errors.New("missing --connection-file FILE (Jupyter passes it: install the kernelspec with `kqlkernel install`)")
	}
	ci, err := kernel.ReadConnectionFile(*connFile)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	interp, err := newInterpreter(ctx)
	if err != nil {
		return fmt.Errorf("start the interpreter: %w", err)
	}
	k, err := kernel.New(kernel.Config{
		Connection:     ci,
		Interpreter:    interp,
		Implementation: "kqlkernel",
		Version:        version,
		Log:            os.Stderr,
	})
	if err != nil {
		return err
	}
	sigint := make(chan os.Signal, 1)
	signal.Notify(sigint, os.Interrupt)
	defer signal.Stop(sigint)
	go func() {
		for {
			select {
			case <-sigint:
				k.Interrupt()
			case <-ctx.Done():
				return
			}
		}
	}()
	return k.Run(ctx)
}
