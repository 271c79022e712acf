package workspace_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/internal/testshared"
)

// sharedDir is ../shared (internal/testshared), kept as a name the tests here share.
func sharedDir(t testing.TB) string { return testshared.Dir(t) }

// bindFloor is the share of Sentinel queries over our tables that must bind (no unknown table
// or column). Raise it as the engine and the workspace improve.
const bindFloor = 0.90

// TestSentinelQueriesBind runs the Azure-Sentinel detection and hunting queries that use only
// tables the demo workspace has, and measures how many bind without an unknown-table or
// unknown-column error, and how many run to completion.
func TestSentinelQueriesBind(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 500+ queries")
	}
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "kql", "sentinel-queries.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Queries []struct {
			Path     string `json:"path"`
			Query    string `json:"query"`
			SyntaxOK bool   `json:"syntax_ok"`
		} `json:"queries"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	ws := demo(t)
	ours := map[string]bool{}
	for _, n := range ws.TableNames() {
		ours[n] = true
	}
	unknownTable := regexp.MustCompile(`unknown (?:table or variable|function|tabular function|table) '([^']+)'`)
	var considered, bound, completed int
	failures := map[string]int{}
	var examples []string
	for _, q := range file.Queries {
		if !q.SyntaxOK || !mentionsAny(q.Query, ours) {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := engine.Run(ctx, ws, q.Query, engine.Options{Now: testNow})
		cancel()
		var qe *engine.Error
		if err != nil && errors.As(err, &qe) && qe.Code == "semantic" {
			if m := unknownTable.FindStringSubmatch(qe.Msg); m != nil && !ours[m[1]] {
				continue // needs a table, watchlist or parser function we do not have
			}
		}
		considered++
		switch {
		case err == nil:
			bound++
			completed++
		case errors.As(err, &qe) && qe.Code == "semantic" && strings.Contains(qe.Msg, "unknown"):
			key := qe.Msg
			if m := regexp.MustCompile(`'[^']*'`).FindString(key); m != "" {
				key = strings.Replace(key, m, "'…'", 1) + " " + m
			}
			failures[key]++
			if len(examples) < 40 {
				examples = append(examples, q.Path+": "+qe.Msg)
			}
		default:
			bound++ // bound; the engine stops later (unsupported feature, runtime, timeout)
		}
	}
	if considered == 0 {
		t.Fatal("no query uses the workspace's tables")
	}
	share := float64(bound) / float64(considered)
	t.Logf("Sentinel queries over our tables: %d; bind without unknown table/column: %d (%.1f%%); run to completion: %d (%.1f%%)",
		considered, bound, 100*share, completed, 100*float64(completed)/float64(considered))
	keys := make([]string, 0, len(failures))
	for k := range failures {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool { return failures[keys[a]] > failures[keys[b]] })
	for i, k := range keys {
		if i == 20 {
			break
		}
		t.Logf("  %3d× %s", failures[k], k)
	}
	for _, e := range examples {
		t.Logf("  e.g. %s", e)
	}
	if share < bindFloor {
		t.Errorf("bind share %.1f%% is below the floor %.0f%%", 100*share, 100*bindFloor)
	}
}

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

func mentionsAny(q string, names map[string]bool) bool {
	for _, w := range identRE.FindAllString(q, -1) {
		if names[w] {
			return true
		}
	}
	return false
}
