package loganalytics

import (
	"fmt"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
)

// New builds the backend for a parsed loganalytics:// connection. It does no network I/O:
// the token and the schema are fetched on the first query or completion, and reused for
// the session.
func New(conn connstr.Conn, opts Options) (backend.Backend, error) {
	if conn.Scheme != connstr.SchemeLogAnalytics {
		return nil, fmt.Errorf("loganalytics: %s:// is not a Log Analytics connection", conn.Scheme)
	}
	return NewFromConfig(ConfigFromConn(conn), opts)
}

// ConfigFromConn copies a parsed connection into a Config.
func ConfigFromConn(conn connstr.Conn) Config {
	return Config{
		Workspace: conn.Workspace, Alias: conn.Alias, Auth: Auth(conn.Auth),
		Tenant: conn.Tenant, ClientID: conn.ClientID, Username: conn.Username,
		Subscription: conn.Subscription, Certificate: conn.Certificate,
		AppKey: conn.AppKey, ClientSecret: conn.ClientSecret,
		Password: conn.Password, CertificatePassword: conn.CertificatePassword,
		Cloud: conn.Cloud, Endpoint: conn.Endpoint,
	}
}
