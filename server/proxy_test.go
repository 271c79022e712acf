package server_test

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
	"github.com/kqlkernel/kqlkernel/server"
)

// TestMain lets TestHTTPSProxyHonoured re-run this binary as a child with HTTPS_PROXY
// and SSL_CERT_FILE set from the start: net/http reads both once per process.
func TestMain(m *testing.M) {
	if ep := os.Getenv("KQLKERNEL_PROXY_CHILD_ENDPOINT"); ep != "" {
		os.Exit(proxyChild(ep))
	}
	os.Exit(m.Run())
}

// proxyChild queries through the backend's default transport (no HTTPClient given).
func proxyChild(endpoint string) int {
	b, err := loganalytics.NewFromConfig(loganalytics.Config{Workspace: "ws-1", Auth: loganalytics.AuthAnonymous, Endpoint: endpoint}, loganalytics.Options{})
	if err != nil {
		fmt.Println("child:", err)
		return 1
	}
	resp, err := b.Query(context.Background(), backend.Request{Query: "types"})
	if err != nil {
		fmt.Println("child:", err)
		return 1
	}
	fmt.Printf("child rows=%d\n", resp.Tables[0].Rows())
	return 0
}

// TestHTTPSProxyHonoured sends the backend's requests for https://example.com/v1 through
// an HTTPS_PROXY on loopback; the proxy tunnels every CONNECT to our TLS server (whose test
// certificate names example.com), so nothing leaves the machine.
func TestHTTPSProxyHonoured(t *testing.T) {
	api := httptest.NewTLSServer(server.New(server.Config{Backend: newFixed()}))
	defer api.Close()
	certFile := filepath.Join(t.TempDir(), "api.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: api.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var connects []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		mu.Lock()
		connects = append(connects, r.Host)
		mu.Unlock()
		upstream, err := net.Dial("tcp", api.Listener.Addr().String())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer upstream.Close()
		w.WriteHeader(http.StatusOK)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		done := make(chan struct{}, 2)
		go func() { _, _ = io.Copy(upstream, buf); done <- struct{}{} }()
		go func() { _, _ = io.Copy(conn, upstream); done <- struct{}{} }()
		<-done
	}))
	defer proxy.Close()

	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "KQLKERNEL_PROXY_CHILD_ENDPOINT=https://example.com/v1",
		"HTTPS_PROXY="+proxy.URL, "https_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=", "SSL_CERT_FILE="+certFile)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "child rows=5") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(connects) == 0 || connects[0] != "example.com:443" {
		t.Fatalf("proxy saw %q", connects)
	}
}
