package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
	"github.com/kqlkernel/kqlkernel/server"
	"github.com/kqlkernel/kqlkernel/table"
)

const testKey = "s3cret-key"

// startB and laBackendB are start and laBackend for benchmarks.
func startB(b *testing.B, be backend.Backend) (*httptest.Server, string) {
	srv := httptest.NewServer(server.New(server.Config{Backend: be}))
	b.Cleanup(srv.Close)
	return srv, srv.URL + "/v1"
}

func laBackendB(b *testing.B, endpoint string) *loganalytics.Backend {
	be, err := loganalytics.NewFromConfig(loganalytics.Config{Workspace: "ws", Auth: loganalytics.AuthAnonymous, Endpoint: endpoint}, loganalytics.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return be
}

// start serves b on loopback (TLS when tls is set) and returns the API base URL.
func start(t *testing.T, b backend.Backend, key string, tls bool) (*httptest.Server, string) {
	t.Helper()
	h := server.New(server.Config{Backend: b, APIKey: key})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv, srv.URL + "/v1"
}

// apiKeyPolicy is how a client sends an API key with azlogs: a per-call header policy on a
// nil credential.
type apiKeyPolicy string

func (k apiKeyPolicy) Do(req *policy.Request) (*http.Response, error) {
	req.Raw().Header.Set("x-api-key", string(k))
	return req.Next()
}

// staticToken is a TokenCredential that hands out a fixed bearer token.
type staticToken string

func (s staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// azlogsClient is the real azlogs client pointed at endpoint.
func azlogsClient(t *testing.T, endpoint string, cred azcore.TokenCredential, key string, transport policy.Transporter) *azlogs.Client {
	t.Helper()
	c := cloud.AzurePublic
	c.Services = map[cloud.ServiceName]cloud.ServiceConfiguration{azlogs.ServiceName: {Audience: "https://api.loganalytics.io", Endpoint: endpoint}}
	opts := &azlogs.ClientOptions{ClientOptions: policy.ClientOptions{Cloud: c, Transport: transport, Retry: policy.RetryOptions{MaxRetries: -1}}}
	if key != "" {
		opts.PerCallPolicies = []policy.Policy{apiKeyPolicy(key)}
	}
	client, err := azlogs.NewClient(cred, opts)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// laBackend is the kernel's own Log Analytics backend pointed at endpoint.
func laBackend(t *testing.T, endpoint, key string, hc *http.Client) *loganalytics.Backend {
	t.Helper()
	cfg := loganalytics.Config{Workspace: "ws-1", Alias: "test", Auth: loganalytics.AuthAppKey, Endpoint: endpoint}
	if key == "" {
		cfg.Auth = loganalytics.AuthAnonymous
	} else {
		cfg.AppKey = connstr.Secret(key)
	}
	b, err := loganalytics.NewFromConfig(cfg, loganalytics.Options{HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAzlogsAPIKeyOverHTTP(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, testKey, false)
	client := azlogsClient(t, ep, nil, testKey, nil)
	q := "types"
	var raw *http.Response
	res, err := client.QueryWorkspace(policy.WithCaptureResponse(context.Background(), &raw), "ws-1", azlogs.QueryBody{Query: &q}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables) != 1 || *res.Tables[0].Name != "PrimaryResult" || len(res.Tables[0].Rows) != 5 {
		t.Fatalf("tables: %+v", res.Tables)
	}
	var types []string
	for _, c := range res.Tables[0].Columns {
		types = append(types, string(*c.Type))
	}
	if got := strings.Join(types, ","); got != "bool,int,long,real,decimal,string,datetime,timespan,guid,dynamic" {
		t.Fatalf("column types %s", got)
	}
	// azlogs' own decoding turns the long into a float64 and loses the +1: the raw body must
	// still carry it exactly.
	if v, ok := res.Tables[0].Rows[0][2].(float64); !ok || v != 9007199254740992 {
		t.Fatalf("azlogs decodes the long as %T %v", res.Tables[0].Rows[0][2], res.Tables[0].Rows[0][2])
	}
	body, _ := io.ReadAll(raw.Body)
	if !strings.Contains(string(body), `true,2147483647,9007199254740993,2.0,"79228162514264337593543950335",`) {
		t.Fatalf("raw row 0 not exact: %.300s", body)
	}
}

func TestAPIKeyRequired(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, testKey, false)
	for name, key := range map[string]string{"missing": "", "wrong": "not-the-key"} {
		t.Run(name, func(t *testing.T) {
			client := azlogsClient(t, ep, nil, key, nil)
			q := "types"
			_, err := client.QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q}, nil)
			var re *azcore.ResponseError
			if !errors.As(err, &re) || re.StatusCode != http.StatusUnauthorized {
				t.Fatalf("want 401, got %v", err)
			}
			if name == "missing" && re.ErrorCode != "AuthenticationFailed" || name == "wrong" && re.ErrorCode != "InvalidAuthenticationToken" {
				t.Fatalf("error code %q", re.ErrorCode)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Fatal("the server's key leaked into the error")
			}
		})
	}
	if f.calls.Load() != 0 {
		t.Fatalf("unauthenticated requests reached the backend %d times", f.calls.Load())
	}
	// GET with ?api_key= works, as the service's does.
	resp, err := http.Get(ep + "/workspaces/ws-1/query?query=types&api_key=" + testKey)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET with api_key: %d", resp.StatusCode)
	}
}

func TestAzlogsBearerOverTLS(t *testing.T) {
	f := newFixed()
	srv, ep := start(t, f, testKey, true)
	client := azlogsClient(t, ep, staticToken(testKey), "", srv.Client())
	q := "two tables"
	res, err := client.QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables) != 2 || *res.Tables[1].Name != "Table_1" || res.Tables[1].Rows[0][0] != "z" {
		t.Fatalf("tables: %+v", res.Tables)
	}
	// A token that is not the key is refused.
	bad := azlogsClient(t, ep, staticToken("eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.sig"), "", srv.Client())
	_, err = bad.QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q}, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 401 {
		t.Fatalf("wrong bearer token: %v", err)
	}
	// azcore refuses to send a bearer token over plain http: the reason auth tests use TLS.
	_, plain := start(t, f, testKey, false)
	_, err = azlogsClient(t, plain, staticToken(testKey), "", nil).QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q}, nil)
	if err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("bearer over http: %v", err)
	}
}

// TestTypesExact runs every column type through the server and the kernel's loganalytics
// backend and compares values exactly.
func TestTypesExact(t *testing.T) {
	f := newFixed()
	srv, ep := start(t, f, testKey, true)
	b := laBackend(t, ep, testKey, srv.Client())
	resp, err := b.Query(context.Background(), backend.Request{Query: "types"})
	if err != nil {
		t.Fatal(err)
	}
	want := typesTable()
	got := resp.Tables[0]
	if got.Name != want.Name || len(got.Columns) != len(want.Columns) || got.Rows() != want.Rows() {
		t.Fatalf("shape: got %s %v %d rows", got.Name, got.Schema(), got.Rows())
	}
	for ci, c := range want.Columns {
		if got.Columns[ci].Name != c.Name || got.Columns[ci].Type != c.Type {
			t.Fatalf("column %d: got %s:%s want %s:%s", ci, got.Columns[ci].Name, got.Columns[ci].Type, c.Name, c.Type)
		}
		for r := 0; r < want.Rows(); r++ {
			w, g := c.Data.At(r), got.Columns[ci].Data.At(r)
			if !sameValue(w, g) {
				t.Errorf("row %d column %s (%s): got %#v want %#v", r, c.Name, c.Type, g, w)
			}
		}
	}
	// Spot checks that say what matters.
	if v := got.Columns[2].Data.At(0); v != bigLong {
		t.Errorf("long above 2^53: %v", v)
	}
	dyn := got.Columns[9].Data.At(0).(map[string]any)
	if dyn["big"] != bigLong || dyn["a"].([]any)[2].(map[string]any)["c"] != `x"y` {
		t.Errorf("nested dynamic: %#v", dyn)
	}
}

func sameValue(a, b any) bool {
	if fa, ok := a.(float64); ok {
		fb, ok := b.(float64)
		return ok && (fa == fb || math.IsNaN(fa) && math.IsNaN(fb))
	}
	return fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b) && table.DynamicJSON(a) == table.DynamicJSON(b)
}

func TestSyntaxErrorPosition(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, "", false)
	query := "SecurityEvent\n| wher EventID == 4625"
	// The real azlogs client: the service's code and the raw OneAPI error.
	client := azlogsClient(t, ep, nil, "", nil)
	_, err := client.QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &query}, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 400 || re.ErrorCode != "BadArgumentError" {
		t.Fatalf("azlogs error: %v", err)
	}
	body, _ := io.ReadAll(re.RawResponse.Body)
	var env struct {
		Error struct {
			Code  string
			Inner struct {
				Code  string
				Inner struct {
					Code      string
					Message   string
					Line, Pos int
					Token     string
				} `json:"innererror"`
			} `json:"innererror"`
		}
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	in := env.Error.Inner.Inner
	if env.Error.Inner.Code != "SyntaxError" || in.Code != "SYN0002" || in.Line != 2 || in.Pos != 2 || in.Token != "wher" {
		t.Fatalf("inner error: %s", body)
	}
	// The kernel's backend: a typed error with line, position and byte offset.
	_, err = laBackend(t, ep, "", nil).Query(context.Background(), backend.Request{Query: query})
	var le *loganalytics.Error
	if !errors.As(err, &le) {
		t.Fatalf("want *loganalytics.Error, got %T %v", err, err)
	}
	if le.Code != "BadArgumentError" || le.InnerCode != "SYN0002" || le.Line != 2 || le.Pos != 2 || le.Offset != strings.Index(query, "wher") {
		t.Fatalf("typed error: %+v", le)
	}
	if !strings.Contains(le.Error(), "did you mean 'where'?") || !strings.Contains(le.Error(), "line 2, position 2") {
		t.Fatalf("message: %s", le.Error())
	}
}

func TestSemanticError(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, "", false)
	_, err := laBackend(t, ep, "", nil).Query(context.Background(), backend.Request{Query: "SecurityEvent | where Nope == 1"})
	var le *loganalytics.Error
	if !errors.As(err, &le) || le.StatusCode != 400 || le.InnerCode != "SEM0100" || !strings.Contains(le.InnerMessage, "Nope") {
		t.Fatalf("semantic error: %#v", err)
	}
}

func TestPartialResult(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, "", false)
	// azlogs: a 200 with rows and an `error` member.
	q := "partial"
	res, err := azlogsClient(t, ep, nil, "", nil).QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Error == nil || res.Error.Code != "PartialError" || len(res.Tables[0].Rows) != 3 {
		t.Fatalf("azlogs partial: %+v", res)
	}
	// The kernel's backend: the rows and the error, both.
	resp, err := laBackend(t, ep, "", nil).Query(context.Background(), backend.Request{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	var le *loganalytics.Error
	if resp.Tables[0].Rows() != 3 || !errors.As(resp.Partial, &le) || le.Code != "PartialError" || len(le.Details) != 1 || !strings.Contains(le.Error(), "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Fatalf("partial: %d rows, %v", resp.Tables[0].Rows(), resp.Partial)
	}
}

func TestMultiWorkspaceAndTimespan(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, "", false)
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2024, 3, 8, 12, 30, 0, 500_000_000, time.UTC)
	resp, err := laBackend(t, ep, "", nil).Query(context.Background(), backend.Request{Query: "workspaces", Workspaces: []string{"ws-2", "ws-3"}, Start: start, End: end})
	if err != nil {
		t.Fatal(err)
	}
	got := f.lastRequest()
	if strings.Join(got.Workspaces, ",") != "ws-2,ws-3" || !got.Start.Equal(start) || !got.End.Equal(end) {
		t.Fatalf("backend saw %+v", got)
	}
	if resp.Tables[0].Rows() != 3 || resp.Tables[0].Columns[0].Data.At(2) != "ws-3" {
		t.Fatalf("rows: %d", resp.Tables[0].Rows())
	}
	// azlogs' own TimeInterval, and a duration relative to now.
	q := "timespan"
	ti := azlogs.NewTimeInterval(start, end)
	if _, err := azlogsClient(t, ep, nil, "", nil).QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q, Timespan: &ti, AdditionalWorkspaces: []string{"a"}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := f.lastRequest(); !got.Start.Equal(start) || !got.End.Equal(end.Truncate(time.Second)) || len(got.Workspaces) != 1 {
		t.Fatalf("azlogs timespan: %+v", got)
	}
	day := azlogs.TimeInterval("P1D")
	if _, err := azlogsClient(t, ep, nil, "", nil).QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q, Timespan: &day}, nil); err != nil {
		t.Fatal(err)
	}
	if got := f.lastRequest(); got.End.Sub(got.Start) != 24*time.Hour {
		t.Fatalf("P1D: %v .. %v", got.Start, got.End)
	}
}

func TestRenderAndStatistics(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, "", false)
	yes := true
	q := "render"
	res, err := azlogsClient(t, ep, nil, "", nil).QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q},
		&azlogs.QueryWorkspaceOptions{Options: &azlogs.QueryOptions{Visualization: &yes, Statistics: &yes}})
	if err != nil {
		t.Fatal(err)
	}
	var viz map[string]any
	if err := json.Unmarshal(res.Visualization, &viz); err != nil || viz["visualization"] != "columnchart" || viz["yMax"] != 100.0 || viz["xTitle"] != "State" {
		t.Fatalf("render: %s (%v)", res.Visualization, err)
	}
	var stats struct {
		Query struct {
			ExecutionTime     float64
			DatasetStatistics []struct{ TableRowCount int }
		}
	}
	if err := json.Unmarshal(res.Statistics, &stats); err != nil || len(stats.Query.DatasetStatistics) != 1 || stats.Query.DatasetStatistics[0].TableRowCount != 1 {
		t.Fatalf("statistics: %s (%v)", res.Statistics, err)
	}
	// The kernel's backend turns them into a RenderSpec and a map.
	resp, err := laBackend(t, ep, "", nil).Query(context.Background(), backend.Request{Query: q, IncludeRender: true, IncludeStatistics: true})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Render
	if r == nil || r.Visualization != "columnchart" || r.Title != "Storms" || r.YMax == nil || *r.YMax != 100 || r.YMin != nil || r.Kind != "stacked" || strings.Join(r.Series, ",") != "State" || strings.Join(r.YColumns, ",") != "n" {
		t.Fatalf("render spec: %+v", r)
	}
	if _, ok := resp.Statistics["query"].(map[string]any); !ok {
		t.Fatalf("statistics: %#v", resp.Statistics)
	}
	// Without the Prefer options neither comes back.
	res, err = azlogsClient(t, ep, nil, "", nil).QueryWorkspace(context.Background(), "ws-1", azlogs.QueryBody{Query: &q}, nil)
	if err != nil || res.Visualization != nil || res.Statistics != nil {
		t.Fatalf("unasked render/statistics: %s %s %v", res.Visualization, res.Statistics, err)
	}
}

func TestCancellationMidQuery(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, "", false)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	b := laBackend(t, ep, "", nil)
	go func() {
		_, err := b.Query(ctx, backend.Request{Query: "slow"})
		done <- err
	}()
	select {
	case <-f.started:
	case err := <-done:
		t.Fatalf("query ended before it started: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("client error: %v", err)
	}
	// The server noticed the client went away and cancelled the backend's query.
	if err := <-f.stopped; !errors.Is(err, context.Canceled) {
		t.Fatalf("backend saw %v", err)
	}
}

func TestServerTimeoutIsNotRetried(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, "", false)
	// Our backend, which narrows azcore's retry codes: one request, a typed timeout.
	_, err := laBackend(t, ep, "", nil).Query(context.Background(), backend.Request{Query: "slow", Timeout: time.Second})
	var le *loganalytics.Error
	if !errors.As(err, &le) || !le.Timeout() || le.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("want a 504 timeout, got %v", err)
	}
	if err := <-f.stopped; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("backend saw %v", err)
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("the timed-out query ran %d times", n)
	}
}

func TestSchemaFromMetadata(t *testing.T) {
	f := newFixed()
	_, ep := start(t, f, testKey, false)
	b := laBackend(t, ep, testKey, nil)
	s, err := b.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables) != 1 || s.Tables[0].Name != "SecurityEvent" || s.Tables[0].Columns[1].Type != table.TypeInt || len(s.Functions) != 1 || s.Functions[0].Body == "" {
		t.Fatalf("schema: %+v", s)
	}
	s2, _ := b.Schema(context.Background())
	if s2 != s {
		t.Fatal("schema not cached")
	}
}

func TestTransientFailureIsRetried(t *testing.T) {
	f := newFixed()
	h := server.New(server.Config{Backend: f})
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, `{"error":{"code":"ServiceUnavailable","message":"try again"}}`, http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	resp, err := laBackend(t, srv.URL+"/v1", "", nil).Query(context.Background(), backend.Request{Query: "types"})
	if err != nil || resp.Tables[0].Rows() != 5 || n.Load() != 2 {
		t.Fatalf("after a 503: %v, %d requests", err, n.Load())
	}
}
