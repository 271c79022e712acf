// Package testshared finds ../shared, the read-only test material that sits beside the
// repository's checkout (on developer machines and in CI alike).
package testshared

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared/ folder: $KQL_SHARED_DIR, else ../shared beside the module root.
// A test that needs it fails when it is missing: a skipped conformance run would pass
// silently.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("KQL_SHARED_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(shared); err != nil {
				t.Fatalf("test material not found at %s (set KQL_SHARED_DIR): %v", shared, err)
			}
			return shared
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("module root (go.mod) not found above the test directory")
		}
		dir = parent
	}
}

// Path is Dir joined with the given elements.
func Path(t testing.TB, elem ...string) string {
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}
