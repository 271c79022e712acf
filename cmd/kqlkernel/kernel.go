package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
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
	if launcher, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID")); err == nil && launcher > 1 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		firstPPID := os.Getppid()
		gone := func() bool {
			// The launcher no longer exists, or we were re-parented away from it.
			if err := syscall.Kill(launcher, 0); errors.Is(err, syscall.ESRCH) {
				return true
			}
			return firstPPID == launcher && os.Getppid() != launcher
		}
		go func() {
			if watchParent(ctx, gone, time.Second) {
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

// watchParent reports true as soon as gone does (checked at once, then at every tick), false
// when ctx ends first. Checking at once matters: a launcher can die before we start.
func watchParent(ctx context.Context, gone func() bool, every time.Duration) bool {
	t := time.NewTicker(every)
	defer t.Stop()
	for !gone() {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
	return true
}
