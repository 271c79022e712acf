package kusto

import (
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/kqlkernel/kqlkernel/backend/azauth"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
)

// kustoClientID is the public client Kusto tools (Kusto.Explorer, Kqlmagic) sign users in
// with; azkustodata's default too.
const kustoClientID = "db662dc1-0cfe-4e1c-a843-19a68e65be58"

// credential builds the azidentity credential for cfg: nil for anonymous and static-token
// connections. Building one does no network I/O; tokens come on the first request and are
// reused (azidentity caches them), so the device code is asked for once a session.
func credential(cfg Config, hc *http.Client, opts Options) (azcore.TokenCredential, error) {
	c, err := azauth.Cloud(cfg.Cloud)
	if err != nil {
		return nil, err
	}
	authority := c.ActiveDirectoryAuthorityHost
	h, noDiscovery := azauth.PrivateAuthority(cfg.Cloud)
	if noDiscovery {
		authority = h
	}
	co := azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: authority}, Transport: hc,
		Telemetry: policy.TelemetryOptions{ApplicationID: "kqlkernel"}}
	switch cfg.Auth {
	case AuthToken:
		if cfg.Token.Reveal() == "" {
			return nil, fmt.Errorf("%s authentication needs token='...'", cfg.Auth)
		}
		return nil, nil
	case connstr.AuthNone:
		return nil, fmt.Errorf("no authentication method: add code, azcli, msi, default, anonymous (a local server) or tenant/clientid/clientsecret")
	}
	p := azauth.Params{
		Auth: cfg.Auth, Tenant: cfg.Tenant, ClientID: cfg.ClientID, Username: cfg.Username,
		Certificate: cfg.Certificate, Subscription: cfg.Subscription, ClientSecret: cfg.ClientSecret,
		Password: cfg.Password, CertificatePassword: cfg.CertificatePassword,
		DefaultClientID:   kustoClientID,
		DefaultUserTenant: "organizations", // any work or school account, as the device code default
		ClientOptions:     co, NoDiscovery: noDiscovery, Prompt: opts.Prompt,
	}
	if cfg.Auth == connstr.AuthAppKey {
		// Kusto connection strings name an application key what Entra calls a client secret.
		return azauth.ClientSecret(p)
	}
	return azauth.Credential(p)
}
