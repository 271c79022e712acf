package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

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

	// Launched by jupyter_client (JPY_PARENT_PID set): leave when the launcher dies instead
	// of lingering as an orphan, as ipykernel's parent poller does.
	if os.Getenv("JPY_PARENT_PID") != "" {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			if watchParent(ctx, os.Getppid, time.Second) {
				fmt.Fprintln(os.Stderr, "kqlkernel: the process that started the kernel is gone; exiting")
				cancel()
			}
		}()
	}

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

// watchParent reports true once getppid returns something other than it did at the start
// (the parent died and the kernel was re-parented), false when ctx ends first.
func watchParent(ctx context.Context, getppid func() int, every time.Duration) bool {
	first := getppid()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			if getppid() != first {
				return true
			}
		}
	}
}
