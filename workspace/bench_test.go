package workspace

import (
	"github.com/kqlkernel/kqlkernel/internal/testshared"
	"testing"
	"time"
)

// BenchmarkTables generates each default table (one sub-benchmark per table).
func BenchmarkTables(b *testing.B) {
	now := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	ws, err := Demo(DemoOptions{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range ws.TableNames() {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				ws, _ := Demo(DemoOptions{Now: now})
				if _, err := ws.LoadTable(name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSecurityEventCore generates 1M rows of the benchmark profile.
func BenchmarkSecurityEventCore(b *testing.B) {
	now := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	for range b.N {
		ws, err := Demo(DemoOptions{Now: now, SecurityEventRows: 1000000, Columns: "core"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ws.LoadTable("SecurityEvent"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadJSONL loads OTRF's 1226-event recording (2.3 MB of JSON lines).
func BenchmarkLoadJSONL(b *testing.B) {
	path := testshared.Path(b, "data", "otrf", "covenant_psremoting_grunt_security.jsonl")
	for range b.N {
		if _, err := LoadFile(path); err != nil {
			b.Fatal(err)
		}
	}
}
