package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/server"
	"github.com/kqlkernel/kqlkernel/server/adx"
)

// runServe is `kqlkernel serve [--addr 127.0.0.1:8000] [--workspace demo|DIR]
// [--api-key KEY] [--tls-cert F --tls-key F | --tls-self-signed]`: the Log Analytics
// query API over the embedded engine.
func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8000", "address to listen on (port 0 picks a free port)")
	ws := fs.String("workspace", "demo", "data to serve: demo or a directory of CSV/JSON files")
	// The environment variable is read after parsing so that --help never prints the key.
	apiKey := fs.String("api-key", "", "require this key (x-api-key header, Bearer token or ?api_key=); default $KQLKERNEL_API_KEY; none: open")
	certFile := fs.String("tls-cert", "", "TLS certificate (PEM); needs --tls-key")
	keyFile := fs.String("tls-key", "", "TLS private key (PEM)")
	selfSigned := fs.Bool("tls-self-signed", false, "serve TLS with a new self-signed certificate (its file is printed)")
	quiet := fs.Bool("quiet", false, "don't log requests")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kqlkernel serve [--addr 127.0.0.1:8000] [--workspace demo|DIR] [--api-key KEY] [--tls-cert F --tls-key F | --tls-self-signed]")
		fmt.Fprintln(fs.Output(), "\nServes the Log Analytics query API (POST/GET /v1/workspaces/{id}/query, GET .../metadata,\nPOST /v1/$batch) over the embedded engine, in the service's wire format. Every workspace id\nnames the same data. With --api-key, clients send it as `x-api-key: KEY`, `Authorization:\nBearer KEY` (clients that send bearer tokens insist on https: use TLS) or ?api_key=KEY.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitCode(2)
	}
	if *apiKey == "" {
		*apiKey = os.Getenv("KQLKERNEL_API_KEY")
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags go before nothing else)", fs.Arg(0))
	}
	if (*certFile == "") != (*keyFile == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if *selfSigned && *certFile != "" {
		return errors.New("use either --tls-cert/--tls-key or --tls-self-signed, not both")
	}

	b, err := local.Open(*ws)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *addr, err)
	}
	defer ln.Close()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	shown := host
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		shown = "127.0.0.1"
	}

	var tlsConfig *tls.Config
	switch {
	case *certFile != "":
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return fmt.Errorf("loading the TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	case *selfSigned:
		h, _, _ := net.SplitHostPort(*addr)
		certPEM, keyPEM, err := server.SelfSignedCert([]string{h}, time.Now())
		if err != nil {
			return err
		}
		dir, err := os.MkdirTemp("", "kqlkernel-serve-")
		if err != nil {
			return fmt.Errorf("writing the certificate: %w", err)
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "cert.pem")
		if err := os.WriteFile(path, certPEM, 0o644); err != nil {
			return fmt.Errorf("writing the certificate: %w", err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return err
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		fmt.Fprintf(os.Stderr, "kqlkernel serve: self-signed certificate: %s\n", path)
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsConfig)
	}
	if *apiKey == "" && !isLoopback(host) {
		fmt.Fprintf(os.Stderr, "kqlkernel serve: warning: listening on %s without --api-key: anyone who can reach it can query the data\n", host)
	}
	var logger *log.Logger
	if !*quiet {
		logger = log.New(os.Stderr, "kqlkernel serve: ", log.LstdFlags)
	}
	// One listener, two APIs: Log Analytics (/v1/workspaces/...) and Azure Data Explorer
	// (/v1/rest/..., /v2/rest/...); their routes don't overlap.
	ax := adx.NewHandler(b, adx.Options{APIKey: *apiKey, Database: "demo", Log: logger})
	mux := http.NewServeMux()
	mux.Handle("/v1/rest/", ax)
	mux.Handle("/v2/rest/", ax)
	mux.Handle("/", server.New(server.Config{Backend: sameData{b}, APIKey: *apiKey, Log: logger}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(os.Stderr, "kqlkernel serve: ", log.LstdFlags)}
	base := fmt.Sprintf("%s://%s/v1", scheme, net.JoinHostPort(shown, port))
	fmt.Fprintf(os.Stderr, "kqlkernel serve: listening on %s (workspace %s; auth: %s)\n", base, b.Describe(), authNote(*apiKey))
	// How to reach it from a notebook; the key itself is never printed.
	auth := "anonymous"
	if *apiKey != "" {
		auth = "appkey='<your --api-key>'"
	}
	fmt.Fprintf(os.Stderr, "kqlkernel serve: connect with %%kql loganalytics://workspace='DEMO_WORKSPACE';%s;endpoint='%s'\n", auth, base)
	kauth := "anonymous"
	if *apiKey != "" {
		kauth = "token='<your --api-key>'"
	}
	fmt.Fprintf(os.Stderr, "kqlkernel serve: or, as Azure Data Explorer, %%kql kusto://%s;cluster='%s://%s';database='demo'\n", kauth, scheme, net.JoinHostPort(shown, port))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	// Interrupt: stop accepting, let running queries finish for a moment, then cancel them.
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	return nil
}

func authNote(key string) string {
	if key == "" {
		return "none"
	}
	return "API key"
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameData serves one local workspace under every workspace id: a multi-workspace request
// names the same data again, so the additional workspaces add nothing and are dropped
// (the local backend refuses them).
type sameData struct{ backend.Backend }

func (s sameData) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	req.Workspaces = nil
	return s.Backend.Query(ctx, req)
}
