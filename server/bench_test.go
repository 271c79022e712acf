package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/table"
)

// benchTable is n rows of a SecurityEvent-like shape.
func benchTable(n int) *table.Table {
	t := table.New("PrimaryResult", table.Schema{{Name: "TimeGenerated", Type: table.TypeDateTime}, {Name: "Computer", Type: table.TypeString},
		{Name: "EventID", Type: table.TypeInt}, {Name: "Bytes", Type: table.TypeLong}, {Name: "Score", Type: table.TypeReal}, {Name: "Props", Type: table.TypeDynamic}})
	for i := range n {
		_ = t.AppendRow(table.DateTime(638400000000000000+int64(i)*10_000_000), fmt.Sprintf("host-%03d.contoso.com", i%500), int32(4600+i%40), int64(i)*1_000_003, float64(i)/7, map[string]any{"k": int64(i), "v": "x"})
	}
	return t
}

type tableBackend struct{ t *table.Table }

func (b tableBackend) Query(context.Context, backend.Request) (*backend.Response, error) {
	return &backend.Response{Tables: []*table.Table{b.t}}, nil
}
func (b tableBackend) Schema(context.Context) (*backend.Schema, error) { return &backend.Schema{}, nil }
func (b tableBackend) Describe() string                                { return "bench" }

// BenchmarkRoundTrip100k: 100,000 rows served by the server and decoded by the kernel's
// loganalytics backend over loopback HTTP (encode, transfer, exact decode).
func BenchmarkRoundTrip100k(b *testing.B) {
	_, ep := startB(b, tableBackend{benchTable(100_000)})
	be := laBackendB(b, ep)
	b.ResetTimer()
	for b.Loop() {
		resp, err := be.Query(context.Background(), backend.Request{Query: "x"})
		if err != nil || resp.Tables[0].Rows() != 100_000 {
			b.Fatal(err)
		}
	}
}
