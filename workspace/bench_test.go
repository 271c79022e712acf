package workspace

import (
	"testing"
	"time"
)

func BenchmarkSecurityEvent(b *testing.B) {
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
