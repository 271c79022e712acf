package adx_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/server/adx"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// volatile are the parts of a response that change from run to run: the random (v4)
// activity ids, and the timestamp of an error answered before any query ran.
var volatile = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|"timestamp":"[^"]*"`)

// TestGoldenFrames pins the v2 wire format (what azkustodata and the service agree on)
// for typed cells, a render and a partial error.
func TestGoldenFrames(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	_, srv := serve(t, demoBackend(t), adx.Options{MaxRows: 2, Now: func() time.Time { return now }})
	for _, tc := range []struct{ name, body string }{
		{"v2_fragmented.golden", `{"db":"demo","csl":"range x from 1 to 3 step 1 | extend l=9007199254740993, r=iff(x==2, real(nan), x*0.5), d=datetime(2024-01-02 03:04:05.1234567), t=time(1.00:00:01), g=guid(12345678-9abc-1def-0123-456789abcdef), m=decimal(1.5), dyn=dynamic({\"a\":[1,\"<b>\"]}), s=strcat('q\"', x) | render columnchart with (title='T')","properties":{"Options":{"results_v2_fragment_primary_tables":true,"results_v2_newlines_between_frames":true,"results_error_reporting_placement":"end_of_table"}}}`},
		{"v2_error.golden", `{"db":"demo","csl":"print x=1\n| whre x > 0"}`},
	} {
		_, got := post(t, srv.URL+"/v2/rest/query", tc.body)
		got = volatile.ReplaceAll(got, []byte("<volatile>"))
		path := filepath.Join("testdata", tc.name)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs:\ngot:\n%s\nwant:\n%s", tc.name, got, want)
		}
	}
}
