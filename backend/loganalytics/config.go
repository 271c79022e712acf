// Package loganalytics is the Azure Monitor Log Analytics backend: queries through azlogs
// with azidentity credentials, exact types decoded from the raw response body, the service's
// errors kept typed (code, message, line and position) and the workspace schema from the
// metadata API.
package loganalytics

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/kqlkernel/kqlkernel/backend/azauth"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
)

// Auth names how a connection authenticates (the values of connstr.Auth).
type Auth string

// The authentication methods.
const (
	AuthAppKey      Auth = "appkey"           // x-api-key header, no token
	AuthDeviceCode  Auth = "code"             // device code: the code and link go to Options.Prompt
	AuthSecret      Auth = "clientsecret"     // tenant, client id, client secret
	AuthCertificate Auth = "certificate"      // tenant, client id, PEM or PKCS#12 file [password]
	AuthUserPass    Auth = "password"         // username and password (deprecated by Entra, kept for Kqlmagic parity)
	AuthAzCLI       Auth = "azcli"            // az login
	AuthMSI         Auth = "msi"              // managed identity [client id]
	AuthAnonymous   Auth = "anonymous"        // no credential at all
	AuthDefault     Auth = "default"          // DefaultAzureCredential
	AuthWorkload    Auth = "workloadidentity" // WorkloadIdentityCredential
)

// Config is one parsed connection. Secrets are connstr.Secret values, which print as "***";
// they are revealed only to azidentity or the x-api-key header.
type Config struct {
	Workspace string
	Alias     string
	Auth      Auth

	Tenant, ClientID, Username, Subscription, Certificate string
	AppKey, ClientSecret, Password, CertificatePassword   connstr.Secret

	// Cloud is "" or "public", "china", "usgovernment".
	Cloud string
	// Endpoint is the query API base including /v1 ("" = the cloud's default).
	Endpoint string
}

// Options are the session's hooks.
type Options struct {
	// Prompt shows device-code sign-in instructions in the running cell while it waits.
	// ctx is the context of the Query or Schema call that needed the token. nil prints to
	// stderr.
	Prompt func(ctx context.Context, message string)
	// HTTPClient replaces azcore's default transport (which honours HTTPS_PROXY).
	HTTPClient *http.Client
}

// cloudConfig returns the azcore cloud for a Cloud name, with the Log Analytics service
// pointed at endpoint when one is given. The package-level cloud values are shared, so the
// Services map is copied, never written.
func cloudConfig(name, endpoint string) (cloud.Configuration, error) {
	base, err := azauth.Cloud(name)
	if err != nil {
		return cloud.Configuration{}, err
	}
	services := make(map[cloud.ServiceName]cloud.ServiceConfiguration, len(base.Services)+1)
	for k, v := range base.Services {
		services[k] = v
	}
	svc, ok := services[azlogs.ServiceName]
	if !ok {
		return cloud.Configuration{}, fmt.Errorf("cloud %q has no Log Analytics configuration", name)
	}
	if endpoint != "" {
		ep, err := normalizeEndpoint(endpoint)
		if err != nil {
			return cloud.Configuration{}, err
		}
		svc.Endpoint = ep
	}
	services[azlogs.ServiceName] = svc
	base.Services = services
	return base, nil
}

// normalizeEndpoint checks an endpoint URL and adds the /v1 path when it has none.
func normalizeEndpoint(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("endpoint %q: want an http or https URL such as https://api.loganalytics.io/v1", redactURL(s))
	}
	if u.User != nil || u.RawQuery != "" {
		return "", fmt.Errorf("endpoint %q: credentials and query parameters don't belong in the endpoint; use appkey= or another auth method", redactURL(s))
	}
	if p := strings.TrimRight(u.Path, "/"); p == "" {
		u.Path = "/v1"
	} else {
		u.Path = p
	}
	return u.String(), nil
}

// redactURL keeps scheme, host and path of a URL for messages: user info and query
// parameters may carry secrets.
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
