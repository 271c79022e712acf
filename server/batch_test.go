package server_test

import (
	"encoding/json"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/kqlkernel/kqlkernel/server"
)

func TestBatch(t *testing.T) {
	srv := httptest.NewServer(server.New(server.Config{Backend: newFixed(), APIKey: testKey}))
	defer srv.Close()
	body := `{"requests":[
	  {"id":"a","workspace":"ws","method":"POST","path":"/query","headers":{"Prefer":"include-render=true"},"body":{"query":"render"}},
	  {"id":"b","workspace":"ws","method":"POST","path":"/query","body":{"query":"SecurityEvent\n| wher x"}},
	  {"id":"c","workspace":"ws","method":"GET","path":"/metadata"},
	  {"id":"d","workspace":"","body":{"query":"types"}},
	  {"id":"e","workspace":"ws","method":"GET","body":{"query":"two tables"}}]}`
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/$batch", strings.NewReader(body))
	req.Header.Set("x-api-key", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Responses []struct {
			ID     string
			Status int
			Body   map[string]any
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	got := []string{}
	for _, r := range out.Responses {
		got = append(got, r.ID+":"+http.StatusText(r.Status))
	}
	if strings.Join(got, ",") != "a:OK,b:Bad Request,c:OK,d:Bad Request,e:OK" {
		t.Fatalf("responses: %v", got)
	}
	if out.Responses[0].Body["render"] == nil || out.Responses[1].Body["error"] == nil || out.Responses[2].Body["tables"] == nil || len(out.Responses[4].Body["tables"].([]any)) != 2 {
		t.Fatalf("bodies: %+v", out.Responses)
	}
	// The batch itself needs the key like any request.
	resp, err = http.Post(srv.URL+"/v1/$batch", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unauthenticated batch: %d", resp.StatusCode)
	}
}

// TestLogHasNoSecrets: the request log names method, path, status and rows; never the
// query string (where ?api_key= travels), headers or the query text.
func TestLogHasNoSecrets(t *testing.T) {
	var buf strings.Builder
	var mu sync.Mutex
	logger := log.New(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(p) }), "", 0)
	srv := httptest.NewServer(server.New(server.Config{Backend: newFixed(), APIKey: testKey, Log: logger}))
	defer srv.Close()
	for _, u := range []string{"/v1/workspaces/ws/query?query=types&api_key=" + testKey, "/v1/workspaces/ws/query?query=types&api_key=wrong"} {
		resp, err := http.Get(srv.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	out := buf.String()
	if !strings.Contains(out, "GET /v1/workspaces/ws/query 200") || !strings.Contains(out, " 401 ") {
		t.Fatalf("log: %q", out)
	}
	if strings.Contains(out, testKey) || strings.Contains(out, "wrong") || strings.Contains(out, "types") {
		t.Fatalf("log leaks: %q", out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestRoutingErrors: wrong methods and paths get the OneAPI error shape; CORS preflight
// needs no key; resource-centric paths are served.
func TestRoutingErrors(t *testing.T) {
	srv := httptest.NewServer(server.New(server.Config{Backend: newFixed(), APIKey: testKey}))
	defer srv.Close()
	do := func(method, path, body string, auth bool) (int, map[string]any, http.Header) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if auth {
			req.Header.Set("x-api-key", testKey)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m, resp.Header
	}
	code, _, h := do(http.MethodOptions, "/v1/workspaces/ws/query", "", false)
	if code != http.StatusNoContent || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight: %d %v", code, h)
	}
	code, m, h := do(http.MethodDelete, "/v1/workspaces/ws/query", "", true)
	if code != http.StatusMethodNotAllowed || m["error"].(map[string]any)["code"] != "MethodNotAllowed" || h.Get("Allow") == "" {
		t.Fatalf("DELETE: %d %v", code, m)
	}
	code, m, _ = do(http.MethodGet, "/v1/nothing/here", "", true)
	if code != http.StatusNotFound || m["error"].(map[string]any)["code"] != "PathNotFoundError" {
		t.Fatalf("404: %d %v", code, m)
	}
	code, m, _ = do(http.MethodPost, "/v1/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w/query", `{"query":"types"}`, true)
	if code != http.StatusOK || len(m["tables"].([]any)) != 1 {
		t.Fatalf("resource query: %d %v", code, m)
	}
	code, _, _ = do(http.MethodGet, "/v1/workspaces/ws/metadata", "", false)
	if code != http.StatusUnauthorized {
		t.Fatalf("metadata without key: %d", code)
	}
}
