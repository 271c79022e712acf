package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestInstallUninstallCommands(t *testing.T) {
	prefix := t.TempDir()
	ctx := context.Background()
	if err := runInstall(ctx, []string{"--prefix", prefix, "--name", "kql-test", "--display-name", "KQL test"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(prefix, "share", "jupyter", "kernels", "kql-test", "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Argv          []string `json:"argv"`
		DisplayName   string   `json:"display_name"`
		InterruptMode string   `json:"interrupt_mode"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	exe, _ = filepath.EvalSymlinks(exe)
	if len(spec.Argv) != 4 || spec.Argv[0] != exe || spec.Argv[1] != "kernel" || spec.DisplayName != "KQL test" || spec.InterruptMode != "message" {
		t.Errorf("kernel.json = %s", b)
	}
	if err := runUninstall(ctx, []string{"--prefix", prefix, "--name", "kql-test"}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--user", "--prefix", prefix},
		{"--sys-prefix", "--user"},
		{"stray"},
	} {
		if err := runInstall(ctx, args); err == nil {
			t.Errorf("install %q accepted", args)
		}
	}
}
