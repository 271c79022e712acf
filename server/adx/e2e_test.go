package adx_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/backend/kusto"
	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/server/adx"
	"github.com/kqlkernel/kqlkernel/table"
	"github.com/kqlkernel/kqlkernel/workspace"
)

// The demo workspace is generated once for the package (tables are built lazily).
var (
	demoOnce sync.Once
	demo     *local.Backend
	demoErr  error
)

func demoBackend(t testing.TB) *local.Backend {
	t.Helper()
	demoOnce.Do(func() {
		var ws *workspace.Workspace
		ws, demoErr = workspace.Demo(workspace.DemoOptions{Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
		if demoErr == nil {
			demo = local.New(ws, "demo")
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demo
}

// serve starts the ADX API over b on loopback and returns a real azkustodata-backed
// kusto backend connected to it (anonymous, plain http).
func serve(t testing.TB, b backend.Backend, opts adx.Options) (*kusto.Backend, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(adx.NewHandler(b, opts))
	t.Cleanup(srv.Close)
	kb, err := kusto.NewFromConfig(kusto.Config{Cluster: srv.URL, Database: "demo", Auth: connstr.AuthAnonymous}, kusto.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kb.Close() })
	return kb, srv
}

// sameTables compares two results cell by cell (types and values, exactly).
func sameTables(t *testing.T, got, want []*table.Table) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d tables, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if i > 0 && g.Name != w.Name {
			t.Errorf("table %d named %q, want %q", i, g.Name, w.Name)
		}
		if g.Rows() != w.Rows() || len(g.Columns) != len(w.Columns) {
			t.Fatalf("table %d: %d rows x %d columns, want %d x %d", i, g.Rows(), len(g.Columns), w.Rows(), len(w.Columns))
		}
		for c := range w.Columns {
			if g.Columns[c].Name != w.Columns[c].Name || g.Columns[c].Type != w.Columns[c].Type {
				t.Fatalf("table %d column %d: %s:%s, want %s:%s", i, c, g.Columns[c].Name, g.Columns[c].Type, w.Columns[c].Name, w.Columns[c].Type)
			}
			for r := 0; r < w.Rows(); r++ {
				gv, wv := g.Columns[c].Data.At(r), w.Columns[c].Data.At(r)
				if table.DynamicJSON(gv) != table.DynamicJSON(wv) || (gv == nil) != (wv == nil) {
					t.Errorf("table %d row %d %s: got %#v, want %#v", i, r, w.Columns[c].Name, gv, wv)
				}
				if gf, ok := gv.(float64); ok && math.IsNaN(gf) {
					if wf, ok := wv.(float64); !ok || !math.IsNaN(wf) {
						t.Errorf("row %d %s: NaN, want %v", r, w.Columns[c].Name, wv)
					}
				}
			}
		}
	}
}

// Every column type through the real client, compared with the engine's own answer.
func TestTypesRoundTrip(t *testing.T) {
	demo := demoBackend(t)
	kb, _ := serve(t, demo, adx.Options{})
	queries := []string{
		`print b=true, i=int(2147483647), l=9007199254740993, big=9223372036854775807, neg=-9223372036854775807-1, r=1.5e300, nan=real(nan), inf=real(-inf), m=decimal(79228162514264337593543950335), m2=decimal(-0.0000001), s="héllo \"q\" \n\t<b>", d=datetime(2024-02-29 12:34:56.1234567), d0=datetime(0001-01-01), d9=datetime(9999-12-31 23:59:59.9999999), ts=time(1.02:03:04.5000001), tneg=-time(00:00:01), g=guid(74be27de-1e4e-49d9-b579-fe0b331d3642), dyn=dynamic({"a":[1,2.5,{"b":null,"c":"x\"y"}],"big":9007199254740993,"s":"<&>"}), arr=dynamic([9223372036854775807,"x",true])`,
		`print b=bool(null), i=int(null), l=long(null), r=real(null), m=decimal(null), d=datetime(null), ts=timespan(null), g=guid(null), dyn=dynamic(null), s=""`,
		`SecurityEvent | take 50`,
		`range x from 1 to 5 step 1 | fork (where x > 2) (summarize c=count(), s=make_list(x))`,
		`let a = range x from 1 to 2 step 1; a; a | extend y = x * 1.5`,
		`SecurityEvent | summarize n=count(), earliest=min(TimeGenerated) by Computer, EventID | order by n desc, Computer asc, EventID asc`,
	}
	for _, q := range queries {
		t.Run(q[:min(30, len(q))], func(t *testing.T) {
			want, err := demo.Query(context.Background(), backend.Request{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			got, err := kb.Query(context.Background(), backend.Request{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			if got.Partial != nil {
				t.Fatalf("partial: %v", got.Partial)
			}
			sameTables(t, got.Tables, want.Tables)
		})
	}
}

// A long above 2^53 keeps every bit; nested dynamic keeps its big integer.
func TestLongAbove2to53(t *testing.T) {
	kb, _ := serve(t, demoBackend(t), adx.Options{})
	resp, err := kb.Query(context.Background(), backend.Request{Query: `print l=9007199254740993, d=dynamic({"x":{"y":[9007199254740993]}})`})
	if err != nil {
		t.Fatal(err)
	}
	tb := resp.Tables[0]
	if v := tb.Columns[0].Data.At(0); v != int64(9007199254740993) {
		t.Fatalf("long: %#v", v)
	}
	d := tb.Columns[1].Data.At(0).(map[string]any)
	if v := d["x"].(map[string]any)["y"].([]any)[0]; v != int64(9007199254740993) {
		t.Fatalf("nested: %#v", v)
	}
}

// More rows than the limit: the first rows and the service's partial error, both.
func TestPartialResult(t *testing.T) {
	kb, _ := serve(t, demoBackend(t), adx.Options{MaxRows: 3})
	resp, err := kb.Query(context.Background(), backend.Request{Query: `range x from 1 to 10 step 1`})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Tables[0].Rows() != 3 || resp.Tables[0].Columns[0].Data.At(2) != int64(3) {
		t.Fatalf("rows: %d", resp.Tables[0].Rows())
	}
	var ke *kusto.Error
	// Reported in TableCompletion and DataSetCompletion: one error, not two.
	if !errors.As(resp.Partial, &ke) || ke.Code != "LimitsExceeded" || !strings.Contains(ke.Error(), "E_QUERY_RESULT_SET_TOO_LARGE") || len(ke.Details) != 0 {
		t.Fatalf("partial: %v", resp.Partial)
	}
	// Under the limit: no error.
	resp, err = kb.Query(context.Background(), backend.Request{Query: `range x from 1 to 3 step 1`})
	if err != nil || resp.Partial != nil || resp.Tables[0].Rows() != 3 {
		t.Fatalf("3 rows: %v %v", err, resp)
	}
}

// The engine's own cut at Kusto's 500,000 rows reaches the client as the service's
// one LimitsExceeded partial error with the rows; a lower request limit cuts again and
// still reports one error, its own.
func TestEngineTruncationIsPartial(t *testing.T) {
	for _, c := range []struct {
		opts  adx.Options
		rows  int
		limit string
	}{
		{adx.Options{}, 500000, "500000"},
		{adx.Options{MaxRows: 5}, 5, "limit of 5 records"},
	} {
		kb, _ := serve(t, demoBackend(t), c.opts)
		resp, err := kb.Query(context.Background(), backend.Request{Query: `range x from 1 to 600000 step 1`})
		if err != nil {
			t.Fatalf("a cut result is not a failure: %v", err)
		}
		if resp.Tables[0].Rows() != c.rows || resp.Tables[0].Columns[0].Data.At(c.rows-1) != int64(c.rows) {
			t.Fatalf("rows: %d, want %d", resp.Tables[0].Rows(), c.rows)
		}
		var ke *kusto.Error
		if !errors.As(resp.Partial, &ke) || ke.Code != "LimitsExceeded" || !strings.Contains(ke.Error(), "E_QUERY_RESULT_SET_TOO_LARGE") ||
			!strings.Contains(ke.Error(), c.limit) || len(ke.Details) != 0 {
			t.Fatalf("partial: %#v", resp.Partial)
		}
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	kb, _ := serve(t, demoBackend(t), adx.Options{})
	q := "SecurityEvent\n| whre EventID == 4625"
	_, err := kb.Query(context.Background(), backend.Request{Query: q})
	var ke *kusto.Error
	if !errors.As(err, &ke) {
		t.Fatalf("want *kusto.Error, got %T %v", err, err)
	}
	if ke.StatusCode != 400 || ke.InnerCode != "SYN0002" || ke.Line != 2 || ke.Pos != 2 || ke.Offset != strings.Index(q, "whre") {
		t.Fatalf("syntax error: %+v", ke)
	}
}

func TestSemanticErrorPosition(t *testing.T) {
	kb, _ := serve(t, demoBackend(t), adx.Options{})
	q := "SecurityEvent | where Nope == 1"
	_, err := kb.Query(context.Background(), backend.Request{Query: q})
	var ke *kusto.Error
	if !errors.As(err, &ke) || ke.InnerCode != "SEM0100" || !strings.Contains(ke.InnerMessage, "Nope") || ke.Line != 1 || ke.Offset != strings.Index(q, "Nope") {
		t.Fatalf("semantic error: %+v", err)
	}
}

func TestRender(t *testing.T) {
	demo := demoBackend(t)
	kb, _ := serve(t, demo, adx.Options{})
	q := `range x from 1 to 5 step 1 | extend y = x * 2, s = tostring(x % 2) | render columnchart with (title="T", ycolumns=y, series=s, xtitle="the x", kind=stacked, accumulate=true)`
	resp, err := kb.Query(context.Background(), backend.Request{Query: q, IncludeRender: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := demo.Query(context.Background(), backend.Request{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Render
	if r == nil || r.Visualization != "columnchart" || r.Title != "T" || r.XTitle != "the x" || len(r.YColumns) != 1 || r.YColumns[0] != "y" || r.YMax != nil {
		t.Fatalf("render: %+v", r)
	}
	if fmt.Sprintf("%+v", *r) != fmt.Sprintf("%+v", *want.Render) {
		t.Fatalf("render through ADX %+v\nengine's           %+v", *r, *want.Render)
	}
	resp, err = kb.Query(context.Background(), backend.Request{Query: `print 1`})
	if err != nil || resp.Render != nil {
		t.Fatalf("no render: %v %+v", err, resp.Render)
	}
}

// The log has one line a request and never the query text or the key.
func TestLog(t *testing.T) {
	var buf bytes.Buffer
	kb, _ := serve(t, demoBackend(t), adx.Options{Log: log.New(&buf, "", 0)})
	if _, err := kb.Query(context.Background(), backend.Request{Query: "range secretish from 1 to 4 step 1"}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); !strings.Contains(got, "POST /v2/rest/query 200 4 rows") || strings.Contains(got, "secretish") {
		t.Fatalf("log: %q", got)
	}
}

func TestSchema(t *testing.T) {
	demo := demoBackend(t)
	kb, _ := serve(t, demo, adx.Options{})
	got, err := kb.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := demo.Schema(context.Background())
	if len(got.Tables) != len(want.Tables) || len(got.Tables) == 0 {
		t.Fatalf("%d tables, want %d", len(got.Tables), len(want.Tables))
	}
	byName := map[string]backend.TableSchema{}
	for _, ts := range got.Tables {
		byName[ts.Name] = ts
	}
	for _, w := range want.Tables {
		g, ok := byName[w.Name]
		if !ok || len(g.Columns) != len(w.Columns) {
			t.Fatalf("table %s: %+v", w.Name, g)
		}
		for i := range w.Columns {
			if g.Columns[i] != w.Columns[i] {
				t.Fatalf("%s column %d: %+v, want %+v", w.Name, i, g.Columns[i], w.Columns[i])
			}
		}
	}
	// Cached: the same pointer comes back.
	again, err := kb.Schema(context.Background())
	if err != nil || again != got {
		t.Fatalf("not cached: %v", err)
	}
}

// recorder wraps a backend to see what the server's Query call ended with.
type recorder struct {
	backend.Backend
	started chan struct{}
	ended   chan error
}

func (r *recorder) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	close(r.started)
	resp, err := r.Backend.Query(ctx, req)
	r.ended <- err
	return resp, err
}

// Cancelling the client's context cancels the query on the server.
func TestCancel(t *testing.T) {
	rec := &recorder{Backend: demoBackend(t), started: make(chan struct{}), ended: make(chan error, 1)}
	kb, _ := serve(t, rec, adx.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := kb.Query(ctx, backend.Request{Query: `range x from 1 to 100000000000 step 1 | summarize sum(x % 7)`})
		done <- err
	}()
	<-rec.started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v", err)
	}
	if err := <-rec.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("server side query: %v", err)
	}
}

// A key-protected server: the token goes over TLS as a bearer token; a wrong or missing one
// is refused with the service's 401, and no secret appears in any error.
func TestAPIKeyOverTLS(t *testing.T) {
	const key = "s3cret-key-value"
	srv := httptest.NewTLSServer(adx.NewHandler(demoBackend(t), adx.Options{APIKey: key}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		token string
		ok    bool
	}{{key, true}, {"wrong-key-value", false}} {
		kb, err := kusto.NewFromConfig(kusto.Config{Cluster: srv.URL, Database: "demo", Auth: kusto.AuthToken, Token: connstr.Secret(tc.token)},
			kusto.Options{HTTPClient: srv.Client()})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := kb.Query(context.Background(), backend.Request{Query: "print x=1"})
		if tc.ok {
			if err != nil || resp.Tables[0].Columns[0].Data.At(0) != int64(1) {
				t.Fatalf("with the key: %v", err)
			}
			continue
		}
		var ke *kusto.Error
		if !errors.As(err, &ke) || ke.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong key: %v", err)
		}
		if strings.Contains(err.Error(), tc.token) || strings.Contains(kb.Describe(), tc.token) {
			t.Fatalf("secret in %q / %q", err, kb.Describe())
		}
	}
	// Tokens are never sent over plain http.
	_, err := kusto.NewFromConfig(kusto.Config{Cluster: "http://127.0.0.1:1", Database: "demo", Auth: kusto.AuthToken, Token: "abcd1234"}, kusto.Options{})
	if err == nil || strings.Contains(err.Error(), "abcd1234") {
		t.Fatalf("token over http: %v", err)
	}
}

// A control command typed in a cell goes to the management endpoint.
func TestCommandFromQuery(t *testing.T) {
	kb, _ := serve(t, demoBackend(t), adx.Options{})
	resp, err := kb.Query(context.Background(), backend.Request{Query: "// tables\n.show tables"})
	if err != nil {
		t.Fatal(err)
	}
	tb := resp.Tables[0]
	if tb.Rows() < 10 || tb.Columns[0].Name != "TableName" || tb.Columns[0].Type != table.TypeString {
		t.Fatalf("%d rows, columns %+v", tb.Rows(), tb.Schema())
	}
	found := false
	for r := 0; r < tb.Rows(); r++ {
		found = found || tb.Columns[0].Data.At(r) == "SecurityEvent"
	}
	if !found {
		t.Fatal("no SecurityEvent in .show tables")
	}
	_, err = kb.Query(context.Background(), backend.Request{Query: ".drop table SecurityEvent"})
	var ke *kusto.Error
	if !errors.As(err, &ke) || ke.StatusCode != 400 {
		t.Fatalf(".drop: %v", err)
	}
}
