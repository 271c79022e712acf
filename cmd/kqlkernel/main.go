// Command kqlkernel is a Jupyter kernel for KQL, its installer, a query CLI, a syntax
// checker and a local server for the Log Analytics query API, in one binary.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"kernel", "kernel --connection-file FILE        run as a Jupyter kernel", runKernel},
		{"install", "install [--user|--sys-prefix|--prefix DIR] [--name kql] [--display-name NAME]", runInstall},
		{"uninstall", "uninstall [--user|--sys-prefix|--prefix DIR] [--name kql]", runUninstall},
		{"query", "query [--workspace demo|DIR] [--connect CONNSTR] [--format table|json|csv] [QUERY|-]", runQuery},
		{"check", "check [--jsonl] [FILE...|-]            parse KQL without running it", runCheck},
		{"serve", "serve [--addr 127.0.0.1:8000] [--workspace demo|DIR] [--api-key KEY] [--tls-cert F --tls-key F | --tls-self-signed]", runServe},
		{"version", "version                              print the version", runVersion},
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kqlkernel COMMAND [ARGS]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintln(os.Stderr, "  "+c.usage)
	}
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	name := os.Args[1]
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		// The kernel handles SIGINT itself (interrupt), so it gets a plain context.
		ctx := context.Background()
		if name != "kernel" {
			var stop context.CancelFunc
			ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
		}
		if err := c.run(ctx, os.Args[2:]); err != nil {
			var exit exitCode
			if asExit(err, &exit) {
				os.Exit(int(exit))
			}
			fmt.Fprintln(os.Stderr, "kqlkernel "+name+": "+err.Error())
			os.Exit(1)
		}
		return
	}
	if name == "-h" || name == "--help" || name == "help" {
		usage()
		return
	}
	fmt.Fprintf(os.Stderr, "kqlkernel: unknown command %q\n", name)
	usage()
	os.Exit(2)
}

func runVersion(ctx context.Context, args []string) error {
	fmt.Println("kqlkernel " + version)
	return nil
}
