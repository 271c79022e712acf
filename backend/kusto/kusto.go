// Package kusto is the Azure Data Explorer backend: queries through azkustodata's
// IterativeQuery (rows kept on a partial error), azidentity credentials built from a parsed
// connection, exact types, the service's errors kept typed (code, message, line and
// position), render metadata from the @ExtendedProperties table and the database schema
// from `.show database schema as json`.
package kusto

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/Azure/azure-kusto-go/azkustodata"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
)

// IsScheme reports whether a connection-string scheme names Azure Data Explorer, as
// Kqlmagic spells it: kusto://, azuredataexplorer:// (and adx://).
func IsScheme(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "kusto", "azuredataexplorer", "adx":
		return true
	}
	return false
}

// Config is one parsed ADX connection. Secrets are connstr.Secret values, which print as
// "***"; they are revealed only to azidentity or the Authorization header.
type Config struct {
	// Cluster is the cluster URL ("https://help.kusto.windows.net") or a bare name
	// ("help", which becomes https://help.kusto.windows.net).
	Cluster  string
	Database string
	Alias    string
	Auth     connstr.Auth

	Tenant, ClientID, Username, Certificate, Subscription string
	ClientSecret, Password, CertificatePassword           connstr.Secret
	// Token is a bearer token sent as is (for `kqlkernel serve --api-key`, or a token
	// fetched elsewhere). Used when Auth is "token".
	Token connstr.Secret
	// Cloud is "" or "public", "china", "usgovernment": it picks the Entra authority.
	Cloud string
}

// AuthToken sends Config.Token as the bearer token (connstr.AuthToken, token='...').
const AuthToken = connstr.AuthToken

// Options are the session's hooks.
type Options struct {
	// Prompt shows device-code sign-in instructions in the running cell while it waits.
	// ctx is the context of the Query or Schema call that needed the token; nil prints to
	// stderr.
	Prompt func(ctx context.Context, message string)
	// HTTPClient replaces the default client (which honours HTTPS_PROXY). Redirects are
	// never followed, whatever the client says: a token must not travel to another host.
	HTTPClient *http.Client
}

// Backend queries one database of one cluster.
type Backend struct {
	cfg     Config
	cluster string // normalised cluster URL
	client  *azkustodata.Client

	mu     sync.Mutex
	schema *backend.Schema // fetched lazily, once
}

var _ backend.Backend = (*Backend)(nil)

// New builds the backend for a parsed kusto:// connection. It does no network I/O: the
// token and the schema are fetched on first use and reused for the session.
func New(conn connstr.Conn, opts Options) (backend.Backend, error) {
	return NewFromConfig(ConfigFromConn(conn), opts)
}

// ConfigFromConn copies a parsed connection into a Config.
// Kqlmagic's ADX appkey='...' is the application's client secret (with tenant and clientid).
func ConfigFromConn(conn connstr.Conn) Config {
	cfg := Config{
		Cluster: conn.Cluster, Database: conn.Database, Alias: conn.Alias, Auth: conn.Auth, Token: conn.Token,
		Tenant: conn.Tenant, ClientID: conn.ClientID, Username: conn.Username,
		Certificate: conn.Certificate, Subscription: conn.Subscription,
		ClientSecret: conn.ClientSecret, Password: conn.Password, CertificatePassword: conn.CertificatePassword,
		Cloud: conn.Cloud,
	}
	if conn.Auth == connstr.AuthAppKey {
		cfg.Auth, cfg.ClientSecret = connstr.AuthSecret, conn.AppKey
	}
	return cfg
}

// NewFromConfig builds a backend. It does no network I/O.
func NewFromConfig(cfg Config, opts Options) (*Backend, error) {
	cluster, err := ClusterURL(cfg.Cluster)
	if err != nil {
		return nil, fmt.Errorf("kusto: %w", err)
	}
	if strings.TrimSpace(cfg.Database) == "" {
		return nil, errors.New("kusto: database='...' is required")
	}
	hc := &http.Client{}
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		hc = &c
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	kcsb := azkustodata.NewConnectionStringBuilder(cluster)
	cred, err := credential(cfg, hc, opts)
	if err != nil {
		return nil, fmt.Errorf("kusto: %w", err)
	}
	switch {
	case cred != nil:
		kcsb = kcsb.WithTokenCredential(cred)
	case cfg.Auth == AuthToken:
		kcsb = kcsb.WithApplicationToken("kqlkernel", cfg.Token.Reveal())
	}
	if cred != nil || cfg.Auth == AuthToken {
		if u, _ := url.Parse(cluster); u.Scheme != "https" {
			// azkustodata refuses too, with a less helpful message.
			return nil, fmt.Errorf("kusto: %s: a token is only sent over https; use an https cluster URL or anonymous for a local http server", redactURL(cluster))
		}
	}
	client, err := azkustodata.New(kcsb, azkustodata.WithHttpClient(hc))
	if err != nil {
		return nil, fmt.Errorf("kusto: %s: %w", redactURL(cluster), scrub(err, cfg))
	}
	return &Backend{cfg: cfg, cluster: cluster, client: client}, nil
}

// Close releases idle connections.
func (b *Backend) Close() error { return b.client.Close() }

// Describe names the connection as Kqlmagic does, "database@cluster" ("Samples@help"),
// with the URL when the cluster is not a *.kusto.windows.net name.
func (b *Backend) Describe() string {
	name := b.cfg.Alias
	if name == "" {
		name = b.cfg.Database
	}
	u, err := url.Parse(b.cluster)
	if err != nil {
		return name + "@kusto"
	}
	host := u.Hostname()
	if short, ok := strings.CutSuffix(host, ".kusto.windows.net"); ok {
		short, _, _ = strings.Cut(short, ".")
		return name + "@" + short
	}
	return name + "@" + host + " (" + redactURL(b.cluster) + ")"
}

// ClusterURL turns what a connection string names into the cluster's URL: a bare name
// ("help") is https://help.kusto.windows.net, a host name gets https://, and a URL keeps
// its scheme and host (user info and query parameters are refused: they would carry
// secrets into messages).
func ClusterURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("cluster='...' is required (a name such as 'help' or a URL such as https://help.kusto.windows.net)")
	}
	if !strings.Contains(s, "://") {
		if !strings.ContainsAny(s, ".:/") {
			s += ".kusto.windows.net"
		}
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("cluster %q: want a cluster name or an http(s) URL such as https://help.kusto.windows.net", redactURL(s))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("cluster %q: credentials and query parameters don't belong in the cluster URL", redactURL(s))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u.String(), nil
}

// redactURL keeps scheme, host and path of a URL for messages.
func redactURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

// scrub removes every secret of cfg from err's text. azkustodata and azidentity don't
// print secrets, but a wrapped HTTP error may echo a request: this is the last guard.
func scrub(err error, cfg Config) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	changed := false
	for _, s := range []connstr.Secret{cfg.ClientSecret, cfg.Password, cfg.CertificatePassword, cfg.Token} {
		if v := s.Reveal(); len(v) >= 4 && strings.Contains(msg, v) {
			msg = strings.ReplaceAll(msg, v, "***")
			changed = true
		}
	}
	if !changed {
		return err
	}
	return scrubbed{msg: msg, err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (s scrubbed) Error() string { return s.msg }

// Unwrap keeps errors.Is (context.Canceled ...) working; the wrapped text is not printed.
func (s scrubbed) Unwrap() error { return s.err }
