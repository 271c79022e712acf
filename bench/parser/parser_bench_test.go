// Package parser benchmarks the KQL parser on the shared corpus (Sentinel queries and
// the conformance queries). run.sh runs it beside the official parser in one go.
package parser

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

// corpus returns every query of ../shared/kql (resolved from the module root, or
// KQL_SHARED_DIR).
func corpus(b *testing.B) []string {
	b.Helper()
	dir := os.Getenv("KQL_SHARED_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	var qs []string
	var s struct {
		Queries []struct {
			Query string `json:"query"`
		} `json:"queries"`
	}
	var c struct {
		Cases []struct {
			KQL string `json:"kql"`
		} `json:"cases"`
	}
	for name, v := range map[string]any{"sentinel-queries.json": &s, "conformance.json": &c} {
		data, err := os.ReadFile(filepath.Join(dir, "kql", name))
		if err != nil {
			b.Fatalf("reading the corpus: %v (set KQL_SHARED_DIR)", err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			b.Fatalf("decoding %s: %v", name, err)
		}
	}
	for _, q := range s.Queries {
		qs = append(qs, q.Query)
	}
	for _, q := range c.Cases {
		qs = append(qs, q.KQL)
	}
	return qs
}

// BenchmarkParseCorpus parses the whole corpus per iteration and reports the mean
// time per query.
func BenchmarkParseCorpus(b *testing.B) {
	qs := corpus(b)
	size := 0
	for _, q := range qs {
		size += len(q)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, q := range qs {
			syntax.Parse(q)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(qs))/1e3, "us/query")
}

// BenchmarkLexCorpus is the lexer alone.
func BenchmarkLexCorpus(b *testing.B) {
	qs := corpus(b)
	b.ResetTimer()
	for b.Loop() {
		for _, q := range qs {
			syntax.Lex(q)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(qs))/1e3, "us/query")
}
