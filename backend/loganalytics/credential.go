//lint:file-ignore SA1019 username/password sign-in is deprecated by Entra, and kept for Kqlmagic connection strings.

package loganalytics

import (
	"context"
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// credential builds the azidentity credential for cfg. It returns nil for app keys and
// anonymous connections (azcore then sends no Authorization header). Building a credential
// does no network I/O: tokens are fetched on the first request and reused afterwards.
func credential(cfg Config, co policy.ClientOptions, opts Options, noDiscovery bool) (azcore.TokenCredential, error) {
	need := func(what, value string) error {
		if value == "" {
			return fmt.Errorf("%s authentication needs %s", cfg.Auth, what)
		}
		return nil
	}
	switch cfg.Auth {
	case AuthAppKey:
		if cfg.AppKey == "" {
			return nil, fmt.Errorf("appkey authentication needs appkey='...'")
		}
		return nil, nil
	case AuthAnonymous:
		return nil, nil
	case AuthDeviceCode:
		prompt := opts.Prompt
		return azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			ClientOptions:            co,
			TenantID:                 cfg.Tenant,
			ClientID:                 cfg.ClientID,
			DisableInstanceDiscovery: noDiscovery,
			UserPrompt: func(ctx context.Context, m azidentity.DeviceCodeMessage) error {
				if prompt != nil {
					prompt(ctx, m.Message)
				} else {
					fmt.Fprintln(os.Stderr, m.Message)
				}
				return nil
			},
		})
	case AuthSecret:
		for _, e := range []error{need("tenant='...'", cfg.Tenant), need("clientid='...'", cfg.ClientID), need("clientsecret='...'", cfg.ClientSecret.Reveal())} {
			if e != nil {
				return nil, e
			}
		}
		return azidentity.NewClientSecretCredential(cfg.Tenant, cfg.ClientID, cfg.ClientSecret.Reveal(),
			&azidentity.ClientSecretCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery})
	case AuthCertificate:
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
			// ParseCertificates' messages name no secret; keep them for the user.
			return nil, fmt.Errorf("certificate %s: %w", cfg.Certificate, err)
		}
		return azidentity.NewClientCertificateCredential(cfg.Tenant, cfg.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: co, SendCertificateChain: true, DisableInstanceDiscovery: noDiscovery})
	case AuthUserPass:
		if err := need("username='...'", cfg.Username); err != nil {
			return nil, err
		}
		clientID := cfg.ClientID
		if clientID == "" {
			clientID = azureCLIClientID
		}
		// Deprecated by Entra (no MFA) but still served; Kqlmagic users have it in their notebooks.
		return azidentity.NewUsernamePasswordCredential(cfg.Tenant, clientID, cfg.Username, cfg.Password.Reveal(),
			&azidentity.UsernamePasswordCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery})
	case AuthAzCLI:
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: cfg.Tenant, Subscription: cfg.Subscription})
	case AuthMSI:
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: co}
		if cfg.ClientID != "" {
			o.ID = azidentity.ClientID(cfg.ClientID)
		}
		return azidentity.NewManagedIdentityCredential(o)
	case AuthDefault:
		return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: co, TenantID: cfg.Tenant, DisableInstanceDiscovery: noDiscovery})
	case AuthWorkload:
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{ClientOptions: co, TenantID: cfg.Tenant, ClientID: cfg.ClientID, DisableInstanceDiscovery: noDiscovery})
	case "":
		return nil, fmt.Errorf("no authentication method: add appkey='...', code, azcli, msi, default, anonymous or tenant/clientid/clientsecret")
	}
	return nil, fmt.Errorf("unsupported authentication method %q", cfg.Auth)
}

// azureCLIClientID is the public client Kqlmagic and the Azure CLI use for user sign-in.
const azureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
