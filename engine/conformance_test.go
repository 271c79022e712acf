package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/kqlkernel/kqlkernel/internal/testshared"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

// The conformance runner scores the engine on ../shared/kql/conformance.json (results of
// the real Kusto engine) with the rules of ../shared/kql/README.md, and fails when the
// pass counts drop below the floors in testdata/conformance_floor.txt (a ratchet: raise
// them as the engine improves). Set KQL_CONFORMANCE_REPORT=FILE for a per-case report.

type confCase struct {
	ID   string `json:"id"`
	KQL  string `json:"kql"`
	Tags struct {
		Operators []string `json:"operators"`
		Functions []string `json:"functions"`
	} `json:"tags"`
	Deterministic bool `json:"deterministic"`
	Expected      struct {
		Columns     []string            `json:"columns"`
		ColumnTypes []string            `json:"column_types"`
		Rows        [][]json.RawMessage `json:"rows"`
	} `json:"expected"`
}

type emptyDB struct{}

func (emptyDB) Table(string) (*table.Table, bool) { return nil, false }
func (emptyDB) TableNames() []string              { return []string{} }

func conformancePath(t testing.TB) string {
	return testshared.Path(t, "kql", "conformance.json")
}

func TestConformance(t *testing.T) {
	data, err := os.ReadFile(conformancePath(t))
	if err != nil {
		t.Skipf("conformance cases not found: %v", err)
	}
	var doc struct {
		Cases []confCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	type counts struct{ pass, wrong, unsupported int }
	var core, geo counts
	var report strings.Builder
	for _, c := range doc.Cases {
		isGeo := false
		for _, f := range c.Tags.Functions {
			if strings.HasPrefix(f, "geo_") {
				isGeo = true
			}
		}
		if !c.Deterministic {
			continue
		}
		verdict, detail := scoreCase(c)
		cnt := &core
		if isGeo {
			cnt = &geo
		}
		switch verdict {
		case "pass":
			cnt.pass++
		case "wrong":
			cnt.wrong++
		default:
			cnt.unsupported++
		}
		fmt.Fprintf(&report, "%s\t%s\t%s\n", verdict, c.ID, strings.ReplaceAll(detail, "\n", " "))
	}
	t.Logf("conformance core: pass %d, wrong %d, unsupported %d (of %d)", core.pass, core.wrong, core.unsupported, core.pass+core.wrong+core.unsupported)
	t.Logf("conformance geo:  pass %d, wrong %d, unsupported %d (of %d)", geo.pass, geo.wrong, geo.unsupported, geo.pass+geo.wrong+geo.unsupported)
	if p := os.Getenv("KQL_CONFORMANCE_REPORT"); p != "" {
		if err := os.WriteFile(p, []byte(report.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
	floors := readFloors(t)
	if core.pass < floors["core"] {
		t.Errorf("core conformance fell to %d passes, below the floor %d", core.pass, floors["core"])
	}
	if geo.pass < floors["geo"] {
		t.Errorf("geo conformance fell to %d passes, below the floor %d", geo.pass, floors["geo"])
	}
}

func readFloors(t *testing.T) map[string]int {
	data, err := os.ReadFile(filepath.Join("testdata", "conformance_floor.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatalf("bad floor line %q", line)
			}
			out[f[0]] = n
		}
	}
	return out
}

// scoreCase runs one case: "pass", "wrong" or "unsupported" (the engine returned an error).
func scoreCase(c confCase) (verdict, detail string) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := Run(ctx, emptyDB{}, c.KQL, Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		var qe *Error
		if errors.As(err, &qe) {
			return "unsupported", qe.Code + ": " + qe.Error()
		}
		return "unsupported", err.Error()
	}
	if len(res.Tables) == 0 {
		return "wrong", "no result table"
	}
	tb := res.Tables[0]
	var names, types []string
	for _, col := range tb.Columns {
		names = append(names, col.Name)
		types = append(types, col.Type.DotNetName())
	}
	if strings.Join(names, ",") != strings.Join(c.Expected.Columns, ",") {
		return "wrong", fmt.Sprintf("columns %v, want %v", names, c.Expected.Columns)
	}
	if strings.Join(types, ",") != strings.Join(c.Expected.ColumnTypes, ",") {
		return "wrong", fmt.Sprintf("types %v, want %v", types, c.Expected.ColumnTypes)
	}
	got := make([][]any, tb.Rows())
	for r := range got {
		row := make([]any, len(tb.Columns))
		for i, col := range tb.Columns {
			row[i] = kustoJSON(col.Data.At(r))
		}
		got[r] = row
	}
	want := make([][]any, len(c.Expected.Rows))
	for r, row := range c.Expected.Rows {
		want[r] = make([]any, len(row))
		for i, raw := range row {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			var x any
			_ = dec.Decode(&x)
			want[r][i] = x
		}
	}
	if len(got) != len(want) {
		return "wrong", fmt.Sprintf("%d rows, want %d: got %s", len(got), len(want), short(got))
	}
	ordered := false
	for _, op := range c.Tags.Operators {
		switch op {
		case "sort", "order", "top", "serialize":
			ordered = true
		}
	}
	if !ordered {
		key := func(r []any) string { b, _ := json.Marshal(r); return string(b) }
		sort.SliceStable(got, func(i, j int) bool { return key(got[i]) < key(got[j]) })
		sort.SliceStable(want, func(i, j int) bool { return key(want[i]) < key(want[j]) })
		// Sorting by text can pair rows differently when reals differ in the last digits;
		// fall back to a greedy multiset match.
		if !rowsEqual(got, want) && multisetEqual(got, want) {
			return "pass", ""
		}
	}
	if !rowsEqual(got, want) {
		return "wrong", fmt.Sprintf("rows %s, want %s", short(got), short(want))
	}
	return "pass", ""
}

func short(x any) string {
	b, _ := json.Marshal(x)
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}

func rowsEqual(a, b [][]any) bool {
	for i := range a {
		if !valuesEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

func multisetEqual(a, b [][]any) bool {
	used := make([]bool, len(b))
	for _, r := range a {
		found := false
		for j, w := range b {
			if !used[j] && valuesEqual(r, w) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// kustoJSON converts an engine value to what the Kusto REST API returns for it:
// datetimes inside dynamic values carry seven fraction digits.
func kustoJSON(x any) any {
	switch v := x.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = kustoDyn(e)
		}
		return out
	case map[string]any:
		return kustoDyn(v)
	}
	return table.JSONValue(x)
}

func kustoDyn(x any) any {
	switch v := x.(type) {
	case table.DateTime:
		return v.Time().Format("2006-01-02T15:04:05.0000000Z")
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = kustoDyn(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = kustoDyn(e)
		}
		return out
	}
	return table.JSONValue(x)
}

// valuesEqual compares a got value (Go JSON value from kustoJSON) with an expected one
// (decoded with UseNumber): numbers numerically (reals to 1e-9 relative), the rest as JSON.
func valuesEqual(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case json.Number:
		return numEqual(got, string(w))
	case string:
		switch g := got.(type) {
		case string:
			if g == w {
				return true
			}
			// decimals and special reals come as strings
			return numStrEqual(g, w)
		case float64:
			return numEqual(g, w)
		}
		return false
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !valuesEqual(g[i], w[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !valuesEqual(gv, wv) {
				return false
			}
		}
		return true
	}
	return false
}

func numStrEqual(a, b string) bool {
	da, err1 := decimal.NewFromString(a)
	db, err2 := decimal.NewFromString(b)
	return err1 == nil && err2 == nil && da.Equal(db)
}

func numEqual(got any, want string) bool {
	switch g := got.(type) {
	case int64:
		if wi, err := strconv.ParseInt(want, 10, 64); err == nil {
			return g == wi
		}
		return floatClose(float64(g), want)
	case int32:
		return numEqual(int64(g), want)
	case float64:
		return floatClose(g, want)
	case string:
		return numStrEqual(g, want)
	}
	return false
}

func floatClose(g float64, want string) bool {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		switch want {
		case "NaN":
			return math.IsNaN(g)
		case "Infinity":
			return math.IsInf(g, 1)
		case "-Infinity":
			return math.IsInf(g, -1)
		}
		return false
	}
	if g == w {
		return true
	}
	d := math.Abs(g - w)
	return d <= 1e-9*math.Max(math.Abs(g), math.Abs(w))
}
