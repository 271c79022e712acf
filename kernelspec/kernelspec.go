// Package kernelspec writes and removes the Jupyter kernelspec of kqlkernel: kernel.json,
// the logos and kernel.js, in the same places `jupyter kernelspec install` uses.
package kernelspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Spec is kernel.json.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      map[string]any    `json:"metadata"`
}

// Scope says where a kernelspec goes.
type Scope int

const (
	// User is the user's Jupyter data directory (the default).
	User Scope = iota
	// SysPrefix is the active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX).
	SysPrefix
	// Prefix is an explicit prefix directory: PREFIX/share/jupyter/kernels.
	Prefix
)

// Options say what to install and where.
type Options struct {
	Scope       Scope
	Prefix      string // for Scope Prefix
	Name        string // directory name, "kql" by default
	DisplayName string // "KQL" by default
	Binary      string // absolute path of kqlkernel; the running executable by default
}

// DefaultName is the kernel name front ends and tests select.
const DefaultName = "kql"

// KernelsDir returns the kernels directory for a scope, following jupyter_core's paths.
func KernelsDir(scope Scope, prefix string) (string, error) {
	switch scope {
	case User:
		d, err := userDataDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(d, "kernels"), nil
	case SysPrefix:
		for _, env := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
			if p := os.Getenv(env); p != "" {
				return filepath.Join(p, "share", "jupyter", "kernels"), nil
			}
		}
		return "", errors.New("--sys-prefix needs an active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX); activate it or use --prefix DIR")
	case Prefix:
		if prefix == "" {
			return "", errors.New("--prefix needs a directory")
		}
		abs, err := filepath.Abs(prefix)
		if err != nil {
			return "", fmt.Errorf("prefix %s: %w", prefix, err)
		}
		return filepath.Join(abs, "share", "jupyter", "kernels"), nil
	}
	return "", fmt.Errorf("unknown scope %d", scope)
}

// userDataDir is jupyter_core.paths.jupyter_data_dir.
func userDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the Jupyter data directory: %w (set JUPYTER_DATA_DIR)", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if appdata := os.Getenv("APPDATA"); appdata != "" {
			return filepath.Join(appdata, "jupyter"), nil
		}
		return filepath.Join(home, "AppData", "Roaming", "jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// validName is jupyter_client's rule for kernel names.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func (o *Options) defaults() error {
	if o.Name == "" {
		o.Name = DefaultName
	}
	if !validName(o.Name) {
		return fmt.Errorf("kernel name %q may use only letters, digits, '.', '_' and '-'", o.Name)
	}
	if o.DisplayName == "" {
		o.DisplayName = "KQL"
	}
	return nil
}

// NewSpec returns kernel.json for the binary at bin.
func NewSpec(bin, displayName string) Spec {
	return Spec{
		Argv:          []string{bin, "kernel", "--connection-file", "{connection_file}"},
		DisplayName:   displayName,
		Language:      "kql",
		InterruptMode: "message",
		Env:           map[string]string{},
		Metadata:      map[string]any{"debugger": false},
	}
}

// Install writes the kernelspec directory and returns its path.
func Install(o Options) (string, error) {
	if err := o.defaults(); err != nil {
		return "", err
	}
	if o.Binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("find the kqlkernel binary: %w", err)
		}
		o.Binary = exe
	}
	bin, err := filepath.Abs(o.Binary)
	if err != nil {
		return "", fmt.Errorf("binary path %s: %w", o.Binary, err)
	}
	if r, err := filepath.EvalSymlinks(bin); err == nil {
		bin = r
	}
	kernels, err := KernelsDir(o.Scope, o.Prefix)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(kernels, o.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create kernelspec directory: %w", err)
	}
	spec, err := json.MarshalIndent(NewSpec(bin, o.DisplayName), "", "  ")
	if err != nil {
		return "", err
	}
	files := map[string][]byte{
		"kernel.json":    append(spec, '\n'),
		"logo-32x32.png": logoPNG(32),
		"logo-64x64.png": logoPNG(64),
		"logo-svg.svg":   []byte(logoSVG),
		"kernel.js":      []byte(kernelJS),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return "", fmt.Errorf("write kernelspec: %w", err)
		}
	}
	return dir, nil
}

// Uninstall removes the kernelspec called name from scope and returns the removed path.
func Uninstall(scope Scope, prefix, name string) (string, error) {
	if name == "" {
		name = DefaultName
	}
	if !validName(name) {
		return "", fmt.Errorf("kernel name %q is not valid", name)
	}
	kernels, err := KernelsDir(scope, prefix)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(kernels, name)
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("no kernelspec %q in %s", name, kernels)
	}
	if err != nil {
		return "", fmt.Errorf("read kernelspec: %w", err)
	}
	// Refuse to delete a directory that isn't ours (a same-named kernel of another language).
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil || len(s.Argv) < 2 || s.Argv[1] != "kernel" || !strings.Contains(filepath.Base(s.Argv[0]), "kqlkernel") {
		return "", fmt.Errorf("%s is not a kqlkernel kernelspec; remove it with `jupyter kernelspec remove %s`", dir, name)
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("remove kernelspec: %w", err)
	}
	return dir, nil
}
