package kernelspec

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestInstallUninstallPrefix(t *testing.T) {
	prefix := t.TempDir()
	bin := filepath.Join(t.TempDir(), "kqlkernel")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := Install(Options{Scope: Prefix, Prefix: prefix, Binary: bin, DisplayName: "KQL (test)"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(prefix, "share", "jupyter", "kernels", "kql"); dir != want {
		t.Errorf("dir = %s, want %s", dir, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	realBin, _ := filepath.EvalSymlinks(bin)
	want := map[string]any{
		"argv":           []any{realBin, "kernel", "--connection-file", "{connection_file}"},
		"display_name":   "KQL (test)",
		"language":       "kql",
		"interrupt_mode": "message",
		"env":            map[string]any{},
		"metadata":       map[string]any{"debugger": false},
	}
	if !reflect.DeepEqual(spec, want) {
		t.Errorf("kernel.json = %v\nwant %v", spec, want)
	}
	for name, size := range map[string]int{"logo-32x32.png": 32, "logo-64x64.png": 64} {
		f, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(f))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Errorf("%s is %v", name, b)
		}
		// Corners are transparent (rounded tile), the centre is opaque.
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("%s corner alpha %d", name, a)
		}
		if _, _, _, a := img.At(size/2, size/2).RGBA(); a != 0xffff {
			t.Errorf("%s centre alpha %d", name, a)
		}
	}
	svg, err := os.ReadFile(filepath.Join(dir, "logo-svg.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Errorf("logo-svg.svg is not XML: %v", err)
	}
	if js, err := os.ReadFile(filepath.Join(dir, "kernel.js")); err != nil || !bytes.Contains(js, []byte("text/x-kql")) {
		t.Errorf("kernel.js: %v", err)
	}

	// Installing again overwrites; uninstall removes.
	if _, err := Install(Options{Scope: Prefix, Prefix: prefix, Binary: bin}); err != nil {
		t.Fatal(err)
	}
	if got, err := Uninstall(Prefix, prefix, ""); err != nil || got != dir {
		t.Fatalf("Uninstall = %s, %v", got, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("kernelspec still there: %v", err)
	}
	if _, err := Uninstall(Prefix, prefix, ""); err == nil {
		t.Error("second uninstall succeeded")
	}
}

func TestUninstallRefusesForeignKernelspec(t *testing.T) {
	prefix := t.TempDir()
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", "kql")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	spec := `{"argv":["python3","-m","some_kql_kernel","-f","{connection_file}"],"display_name":"KQL","language":"kql"}`
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Uninstall(Prefix, prefix, "kql"); err == nil {
		t.Fatal("removed another kernel's kernelspec")
	}
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		t.Errorf("foreign kernelspec damaged: %v", err)
	}
}

func TestKernelsDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/data/jupyter")
	t.Setenv("VIRTUAL_ENV", "/venv")
	t.Setenv("CONDA_PREFIX", "")
	tests := []struct {
		scope  Scope
		prefix string
		want   string
	}{
		{User, "", "/data/jupyter/kernels"},
		{SysPrefix, "", "/venv/share/jupyter/kernels"},
		{Prefix, "/opt/x", "/opt/x/share/jupyter/kernels"},
	}
	for _, tt := range tests {
		got, err := KernelsDir(tt.scope, tt.prefix)
		if err != nil || got != tt.want {
			t.Errorf("KernelsDir(%d, %q) = %q, %v; want %q", tt.scope, tt.prefix, got, err, tt.want)
		}
	}
	t.Setenv("VIRTUAL_ENV", "")
	if _, err := KernelsDir(SysPrefix, ""); err == nil {
		t.Error("--sys-prefix without an environment accepted")
	}
	if _, err := KernelsDir(Prefix, ""); err == nil {
		t.Error("--prefix without a directory accepted")
	}
}

func TestInstallRejectsBadName(t *testing.T) {
	for _, name := range []string{"../evil", "a b", "x/y"} {
		if _, err := Install(Options{Scope: Prefix, Prefix: t.TempDir(), Name: name, Binary: "/bin/true"}); err == nil {
			t.Errorf("Install accepted name %q", name)
		}
	}
}
