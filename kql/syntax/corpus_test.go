package syntax

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// sharedDir finds ../shared next to the module root (the repo's checkout sits beside a
// copy of shared/). KQL_SHARED_DIR overrides it.
func sharedDir(t testing.TB) string {
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
			return filepath.Join(dir, "..", "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("module root (go.mod) not found above the test directory")
		}
		dir = parent
	}
}

type sentinelQuery struct {
	Path     string `json:"path"`
	Query    string `json:"query"`
	SyntaxOK bool   `json:"syntax_ok"`
}

func loadSentinel(t testing.TB) []sentinelQuery {
	t.Helper()
	path := filepath.Join(sharedDir(t), "kql", "sentinel-queries.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the shared corpus: %v (set KQL_SHARED_DIR to the shared/ folder)", err)
	}
	var doc struct {
		Queries []sentinelQuery `json:"queries"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	return doc.Queries
}

type conformanceCase struct {
	ID  string `json:"id"`
	KQL string `json:"kql"`
}

func loadConformance(t testing.TB) []conformanceCase {
	t.Helper()
	path := filepath.Join(sharedDir(t), "kql", "conformance.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the conformance cases: %v", err)
	}
	var doc struct {
		Cases []conformanceCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	return doc.Cases
}

// TestSentinelAgreement asserts that our verdict (errors or not) equals the official
// parser's syntax_ok on every query of the shared corpus.
func TestSentinelAgreement(t *testing.T) {
	qs := loadSentinel(t)
	agree := 0
	for _, q := range qs {
		_, errs := Parse(q.Query)
		ok := len(errs) == 0
		if ok == q.SyntaxOK {
			agree++
			continue
		}
		if ok {
			t.Errorf("%s: accepted, but the official parser rejects it", q.Path)
		} else {
			t.Errorf("%s: rejected, the official parser accepts it:\n%s", q.Path, FormatError(q.Query, errs[0]))
		}
	}
	t.Logf("agreement %d/%d", agree, len(qs))
}

// TestConformanceQueriesParse: every query of the conformance cases is valid KQL (the
// real engine ran them), so we must accept all of them.
func TestConformanceQueriesParse(t *testing.T) {
	cases := loadConformance(t)
	for _, c := range cases {
		if _, errs := Parse(c.KQL); len(errs) > 0 {
			t.Errorf("%s: rejected:\n%s", c.ID, FormatError(c.KQL, errs[0]))
		}
	}
}

// Parse is safe for concurrent use (token windows are pooled): the same query parsed
// on several goroutines gives the same errors.
func TestConcurrentParse(t *testing.T) {
	qs := loadSentinel(t)
	want := make([]int, len(qs))
	for i, q := range qs {
		_, errs := Parse(q.Query)
		want[i] = len(errs)
	}
	done := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for i, q := range qs {
				if _, errs := Parse(q.Query); len(errs) != want[i] {
					done <- q.Path
					return
				}
			}
			done <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if p := <-done; p != "" {
			t.Errorf("%s: different result when parsed concurrently", p)
		}
	}
}
