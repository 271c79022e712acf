package server_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
)

// fakeEntra is a loopback stand-in for the Entra ID endpoints the device-code flow uses
// (tenant discovery, devicecode, token). It answers "authorization_pending" until the test
// approves the sign-in, then issues token as the access token.
func fakeEntra(t *testing.T, tenant, token string, approved *atomic.Bool, polls *atomic.Int32) *httptest.Server {
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+tenant+"/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		a := srv.URL + "/" + tenant
		fmt.Fprintf(w, `{"token_endpoint":"%[1]s/oauth2/v2.0/token","device_authorization_endpoint":"%[1]s/oauth2/v2.0/devicecode",
			"authorization_endpoint":"%[1]s/oauth2/v2.0/authorize","issuer":"%[1]s/v2.0","jwks_uri":"%[1]s/discovery/v2.0/keys"}`, a)
	})
	mux.HandleFunc("POST /"+tenant+"/oauth2/v2.0/devicecode", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"user_code":"KQL-4625","device_code":"dc-1","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":1,
			"message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code KQL-4625 to authenticate."}`)
	})
	mux.HandleFunc("POST /"+tenant+"/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		polls.Add(1)
		if !approved.Load() {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"authorization_pending","error_description":"The user has not yet completed sign-in."}`)
			return
		}
		now := time.Now().Unix()
		idt := "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"aud":"c","exp":%d,"iat":%d,"iss":"%s/%s/v2.0","tid":"%s","oid":"u1","preferred_username":"analyst@example.org"}`, now+3600, now, srv.URL, tenant, tenant))) + ".sig"
		ci := base64.RawURLEncoding.EncodeToString([]byte(`{"uid":"u1","utid":"` + tenant + `"}`))
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"scope":"https://api.loganalytics.io/.default","id_token":%q,"client_info":%q}`, token, idt, ci)
	})
	srv = httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestDeviceCodeSignIn runs the device-code flow: the sign-in text reaches the Prompt
// callback (the running cell) while the query waits, the token then authorizes the query
// over TLS, and the second query reuses the token without a new prompt.
func TestDeviceCodeSignIn(t *testing.T) {
	var approved atomic.Bool
	var polls atomic.Int32
	entra := fakeEntra(t, "tenant-1", testKey, &approved, &polls)
	api, ep := start(t, newFixed(), testKey, true)
	t.Setenv("AZURE_AUTHORITY_HOST", entra.URL)

	pool := x509.NewCertPool()
	pool.AddCert(entra.Certificate())
	pool.AddCert(api.Certificate())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig.RootCAs = pool
	hc := &http.Client{Transport: tr}

	var mu sync.Mutex
	var prompts []string
	cfg := loganalytics.Config{Workspace: "ws-1", Alias: "sentinel", Auth: loganalytics.AuthDeviceCode, Tenant: "tenant-1", Endpoint: ep}
	b, err := loganalytics.NewFromConfig(cfg, loganalytics.Options{
		HTTPClient: hc,
		Prompt: func(ctx context.Context, msg string) {
			mu.Lock()
			prompts = append(prompts, msg)
			mu.Unlock()
			approved.Store(true) // the user signs in in their browser
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		resp, err := b.Query(context.Background(), backend.Request{Query: "types"})
		if err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
		if resp.Tables[0].Rows() != 5 {
			t.Fatalf("query %d: %d rows", i, resp.Tables[0].Rows())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(prompts) != 1 || !strings.Contains(prompts[0], "https://microsoft.com/devicelogin") || !strings.Contains(prompts[0], "KQL-4625") {
		t.Fatalf("prompts: %q", prompts)
	}
	if polls.Load() < 1 {
		t.Fatal("the token endpoint was never polled")
	}
}
