package adx_test

import (
	"context"
	"testing"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/server/adx"
)

// benchQuery is 100,000 rows of six typed columns.
const benchQuery = `SecurityEvent | project TimeGenerated, Computer, EventID, Account, Activity, LogonType | take 100000`

// BenchmarkThroughADX runs the query through the real azkustodata client and server/adx on
// loopback; BenchmarkLocalDirect is the same query on the engine alone (the peer).
func BenchmarkThroughADX(b *testing.B) {
	kb, _ := serve(b, demoBackend(b), adx.Options{})
	if _, err := kb.Query(context.Background(), backend.Request{Query: benchQuery}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		resp, err := kb.Query(context.Background(), backend.Request{Query: benchQuery})
		if err != nil || resp.Tables[0].Rows() != 100000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkLocalDirect(b *testing.B) {
	demo := demoBackend(b)
	for b.Loop() {
		resp, err := demo.Query(context.Background(), backend.Request{Query: benchQuery})
		if err != nil || resp.Tables[0].Rows() != 100000 {
			b.Fatal(err)
		}
	}
}
