package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/kqlkernel/kqlkernel/kernelspec"
)

// scopeFlags are the location flags shared by install and uninstall.
type scopeFlags struct {
	user, sysPrefix bool
	prefix, name    string
}

func (s *scopeFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&s.user, "user", false, "the user's Jupyter data directory (default)")
	fs.BoolVar(&s.sysPrefix, "sys-prefix", false, "the active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX)")
	fs.StringVar(&s.prefix, "prefix", "", "PREFIX/share/jupyter/kernels")
	fs.StringVar(&s.name, "name", kernelspec.DefaultName, "kernel name")
}

func (s *scopeFlags) scope() (kernelspec.Scope, error) {
	n := 0
	for _, set := range []bool{s.user, s.sysPrefix, s.prefix != ""} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return 0, errors.New("choose one of --user, --sys-prefix and --prefix DIR")
	case s.sysPrefix:
		return kernelspec.SysPrefix, nil
	case s.prefix != "":
		return kernelspec.Prefix, nil
	}
	return kernelspec.User, nil
}

func runInstall(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	var sf scopeFlags
	sf.register(fs)
	display := fs.String("display-name", "KQL", "name shown in the launcher")
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	scope, err := sf.scope()
	if err != nil {
		return err
	}
	dir, err := kernelspec.Install(kernelspec.Options{Scope: scope, Prefix: sf.prefix, Name: sf.name, DisplayName: *display})
	if err != nil {
		return err
	}
	fmt.Printf("installed kernelspec %s in %s\n", sf.name, dir)
	return nil
}

func runUninstall(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("uninstall", flag.ContinueOnError)
	var sf scopeFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return exitCode(2)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	scope, err := sf.scope()
	if err != nil {
		return err
	}
	dir, err := kernelspec.Uninstall(scope, sf.prefix, sf.name)
	if err != nil {
		return err
	}
	fmt.Printf("removed %s\n", dir)
	return nil
}
