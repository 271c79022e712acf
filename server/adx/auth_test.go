package adx_test

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
	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/backend/kusto"
	"github.com/kqlkernel/kqlkernel/server/adx"
)

// entra is a loopback stand-in for the Entra ID endpoints azidentity uses (tenant
// discovery, devicecode, token). The device-code grant answers "authorization_pending"
// until approved; the client-credentials grant wants secret. Both issue token.
type entra struct {
	srv      *httptest.Server
	approved atomic.Bool
	polls    atomic.Int32
}

func newEntra(t *testing.T, tenant, secret, token string) *entra {
	e := &entra{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+tenant+"/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		a := e.srv.URL + "/" + tenant
		fmt.Fprintf(w, `{"token_endpoint":"%[1]s/oauth2/v2.0/token","device_authorization_endpoint":"%[1]s/oauth2/v2.0/devicecode",
			"authorization_endpoint":"%[1]s/oauth2/v2.0/authorize","issuer":"%[1]s/v2.0","jwks_uri":"%[1]s/discovery/v2.0/keys"}`, a)
	})
	mux.HandleFunc("POST /"+tenant+"/oauth2/v2.0/devicecode", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"user_code":"ADX-1234","device_code":"dc-1","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":1,
			"message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ADX-1234 to authenticate."}`)
	})
	mux.HandleFunc("POST /"+tenant+"/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		e.polls.Add(1)
		_ = r.ParseForm()
		switch r.PostForm.Get("grant_type") {
		case "client_credentials":
			if r.PostForm.Get("client_secret") != secret {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}`)
				return
			}
		default:
			if !e.approved.Load() {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"error":"authorization_pending","error_description":"The user has not yet completed sign-in."}`)
				return
			}
		}
		now := time.Now().Unix()
		idt := "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"aud":"c","exp":%d,"iat":%d,"iss":"%s/%s/v2.0","tid":"%s","oid":"u1","preferred_username":"analyst@example.org"}`, now+3600, now, e.srv.URL, tenant, tenant))) + ".sig"
		ci := base64.RawURLEncoding.EncodeToString([]byte(`{"uid":"u1","utid":"` + tenant + `"}`))
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"scope":"https://kusto.kusto.windows.net/.default","id_token":%q,"client_info":%q}`, token, idt, ci)
	})
	e.srv = httptest.NewTLSServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// tlsPair starts the ADX API over TLS (key = the token Entra issues) and returns a client
// trusting both it and the fake Entra.
func tlsPair(t *testing.T, e *entra, key string) (*httptest.Server, *http.Client) {
	api := httptest.NewTLSServer(adx.NewHandler(demoBackend(t), adx.Options{APIKey: key}))
	t.Cleanup(api.Close)
	pool := x509.NewCertPool()
	pool.AddCert(e.srv.Certificate())
	pool.AddCert(api.Certificate())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig.RootCAs = pool
	return api, &http.Client{Transport: tr}
}

// The device-code flow: the sign-in text reaches Prompt while the query waits, the token
// then authorizes the query, and the next query reuses it without a new prompt.
func TestDeviceCodeSignIn(t *testing.T) {
	const token = "entra-issued-token"
	e := newEntra(t, "tenant-1", "", token)
	api, hc := tlsPair(t, e, token)
	t.Setenv("AZURE_AUTHORITY_HOST", e.srv.URL)
	var mu sync.Mutex
	var prompts []string
	kb, err := kusto.NewFromConfig(kusto.Config{Cluster: api.URL, Database: "demo", Auth: connstr.AuthDeviceCode, Tenant: "tenant-1"}, kusto.Options{
		HTTPClient: hc,
		Prompt: func(ctx context.Context, msg string) {
			mu.Lock()
			prompts = append(prompts, msg)
			mu.Unlock()
			e.approved.Store(true) // the user signs in in their browser
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		resp, err := kb.Query(context.Background(), backend.Request{Query: "print n=42"})
		if err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
		if resp.Tables[0].Columns[0].Data.At(0) != int64(42) {
			t.Fatalf("query %d: %v", i, resp.Tables[0].Columns[0].Data.At(0))
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(prompts) != 1 || !strings.Contains(prompts[0], "https://microsoft.com/devicelogin") || !strings.Contains(prompts[0], "ADX-1234") {
		t.Fatalf("prompts: %q", prompts)
	}
}

// Client secret: the right secret gets a token and the query runs; a wrong one fails with
// Entra's reason and the secret appears nowhere in the error.
func TestClientSecret(t *testing.T) {
	const token, secret = "app-token-value", "the-client-secret-1"
	e := newEntra(t, "tenant-2", secret, token)
	api, hc := tlsPair(t, e, token)
	t.Setenv("AZURE_AUTHORITY_HOST", e.srv.URL)
	for _, tc := range []struct {
		secret string
		ok     bool
	}{{secret, true}, {"a-wrong-secret-2", false}} {
		kb, err := kusto.NewFromConfig(kusto.Config{Cluster: api.URL, Database: "demo", Auth: connstr.AuthSecret, Tenant: "tenant-2",
			ClientID: "app-1", ClientSecret: connstr.Secret(tc.secret)}, kusto.Options{HTTPClient: hc})
		if err != nil {
			t.Fatal(err)
		}
		_, err = kb.Query(context.Background(), backend.Request{Query: "print 1"})
		if tc.ok != (err == nil) {
			t.Fatalf("secret ok=%v: %v", tc.ok, err)
		}
		if err != nil && (strings.Contains(err.Error(), tc.secret) || !strings.Contains(err.Error(), "AADSTS7000215")) {
			t.Fatalf("error: %v", err)
		}
		if strings.Contains(kb.Describe(), tc.secret) || strings.Contains(fmt.Sprintf("%+v", kusto.Config{ClientSecret: connstr.Secret(tc.secret)}), tc.secret) {
			t.Fatal("secret printed")
		}
	}
}
