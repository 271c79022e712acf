package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
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
