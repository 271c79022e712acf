package kusto

import (
	"fmt"
	"net/http"
	"os"
	"strings"

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
	authority, err := authorityHost(cfg.Cloud)
	if err != nil {
		return nil, err
	}
	// AZURE_AUTHORITY_HOST names a private Entra authority (a sovereign or test one), as
	// azidentity's own default does; instance discovery only knows Microsoft's hosts.
	noDiscovery := false
	if h := os.Getenv("AZURE_AUTHORITY_HOST"); h != "" && strings.TrimSpace(cfg.Cloud) == "" {
		authority, noDiscovery = h, true
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

// authorityHost is the Entra authority of a cloud.
func authorityHost(name string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "public", "azurepubliccloud", "azurecloud":
		return cloud.AzurePublic.ActiveDirectoryAuthorityHost, nil
	case "china", "azurechinacloud", "mooncake":
		return cloud.AzureChina.ActiveDirectoryAuthorityHost, nil
	case "usgovernment", "usgov", "azureusgovernment", "azureusgovernmentcloud", "fairfax":
		return cloud.AzureGovernment.ActiveDirectoryAuthorityHost, nil
	case "germany", "azuregermancloud":
		return "", fmt.Errorf("cloud %q: Azure Germany was retired in 2021; use the public cloud", name)
	}
	return "", fmt.Errorf("unknown cloud %q: use public, china or usgovernment", name)
}
