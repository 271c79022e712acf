package server

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestSelfSignedCert: a client that trusts the printed certificate reaches the server by
// IP and by name; a client that doesn't is refused.
func TestSelfSignedCert(t *testing.T) {
	certPEM, keyPEM, err := SelfSignedCert([]string{"0.0.0.0", "kql.test"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("certificate PEM not readable")
	}
	for _, name := range []string{"127.0.0.1", "localhost", "kql.test"} {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: name}}}
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		resp.Body.Close()
	}
	if _, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{ServerName: "127.0.0.1"}}}).Get(srv.URL); err == nil {
		t.Fatal("an untrusting client connected")
	}
	if _, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "other.test"}}}).Get(srv.URL); err == nil {
		t.Fatal("a name the certificate lacks was accepted")
	}
}
