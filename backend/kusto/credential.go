//lint:file-ignore SA1019 username/password sign-in is deprecated by Entra, and kept for Kqlmagic connection strings.

package kusto

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

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
	need := func(what, value string) error {
		if value == "" {
			return fmt.Errorf("%s authentication needs %s", cfg.Auth, what)
		}
		return nil
	}
	clientID := cfg.ClientID
	if clientID == "" {
		clientID = kustoClientID
	}
	switch cfg.Auth {
	case connstr.AuthAnonymous:
		return nil, nil
	case AuthToken:
		return nil, need("token='...'", cfg.Token.Reveal())
	case connstr.AuthDeviceCode:
		prompt := opts.Prompt
		return azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			ClientOptions: co, TenantID: cfg.Tenant, ClientID: clientID, DisableInstanceDiscovery: noDiscovery,
			UserPrompt: func(ctx context.Context, m azidentity.DeviceCodeMessage) error {
				if prompt != nil {
					prompt(ctx, m.Message)
				} else {
					fmt.Fprintln(os.Stderr, m.Message)
				}
				return nil
			},
		})
	case connstr.AuthSecret, connstr.AuthAppKey:
		for _, e := range []error{need("tenant='...'", cfg.Tenant), need("clientid='...'", cfg.ClientID), need("clientsecret='...'", cfg.ClientSecret.Reveal())} {
			if e != nil {
				return nil, e
			}
		}
		return azidentity.NewClientSecretCredential(cfg.Tenant, cfg.ClientID, cfg.ClientSecret.Reveal(),
			&azidentity.ClientSecretCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery})
	case connstr.AuthCertificate:
		for _, e := range []error{need("tenant='...'", cfg.Tenant), need("clientid='...'", cfg.ClientID), need("certificate='path.pem'", cfg.Certificate)} {
			if e != nil {
				return nil, e
			}
		}
		data, err := os.ReadFile(cfg.Certificate)
		if err != nil {
			return nil, fmt.Errorf("reading the certificate: %w", err)
		}
		var pw []byte
		if cfg.CertificatePassword != "" {
			pw = []byte(cfg.CertificatePassword.Reveal())
		}
		certs, key, err := azidentity.ParseCertificates(data, pw)
		if err != nil {
			return nil, fmt.Errorf("certificate %s: %w", cfg.Certificate, err)
		}
		return azidentity.NewClientCertificateCredential(cfg.Tenant, cfg.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: co, SendCertificateChain: true, DisableInstanceDiscovery: noDiscovery})
	case connstr.AuthUserPass:
		if err := need("username='...'", cfg.Username); err != nil {
			return nil, err
		}
		tenant := cfg.Tenant
		if tenant == "" {
			tenant = "organizations" // any work or school account, as the device code default
		}
		return azidentity.NewUsernamePasswordCredential(tenant, clientID, cfg.Username, cfg.Password.Reveal(),
			&azidentity.UsernamePasswordCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery})
	case connstr.AuthAzCLI:
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: cfg.Tenant, Subscription: cfg.Subscription})
	case connstr.AuthMSI:
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: co}
		if cfg.ClientID != "" {
			o.ID = azidentity.ClientID(cfg.ClientID)
		}
		return azidentity.NewManagedIdentityCredential(o)
	case connstr.AuthDefault:
		return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: co, TenantID: cfg.Tenant, DisableInstanceDiscovery: noDiscovery})
	case connstr.AuthWorkload:
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{ClientOptions: co, TenantID: cfg.Tenant, ClientID: cfg.ClientID, DisableInstanceDiscovery: noDiscovery})
	case connstr.AuthNone:
		return nil, fmt.Errorf("no authentication method: add code, azcli, msi, default, anonymous (a local server) or tenant/clientid/clientsecret")
	}
	return nil, fmt.Errorf("unsupported authentication method %q", cfg.Auth)
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
