//lint:file-ignore SA1019 username/password sign-in is deprecated by Entra, and kept for Kqlmagic connection strings.

// Package azauth builds the azidentity credential for a parsed connection, shared by the
// Log Analytics and Azure Data Explorer backends. Building one does no network I/O: tokens
// come on the first request and are reused (azidentity caches them).
package azauth

import (
	"context"
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/kqlkernel/kqlkernel/backend/connstr"
)

// Params are what a credential is built from.
type Params struct {
	Auth connstr.Auth

	Tenant, ClientID, Username, Certificate, Subscription string
	ClientSecret, Password, CertificatePassword           connstr.Secret

	// DefaultClientID is the public client that device-code and username/password sign-in
	// use when ClientID is empty.
	DefaultClientID string
	// DefaultUserTenant is the tenant of username/password sign-in when Tenant is empty.
	DefaultUserTenant string

	ClientOptions policy.ClientOptions
	// NoDiscovery turns off Entra instance discovery (a private authority host).
	NoDiscovery bool
	// Prompt shows device-code sign-in instructions; nil prints them to stderr.
	Prompt func(ctx context.Context, message string)
}

// Credential builds the credential for the methods both services share: anonymous (nil),
// device code, client secret, certificate, username/password, az CLI, managed identity,
// default and workload identity. Backends handle their own methods (app key, token, none)
// before calling it; any other method is an error.
func Credential(p Params) (azcore.TokenCredential, error) {
	co, nd := p.ClientOptions, p.NoDiscovery
	clientID := p.ClientID
	if clientID == "" {
		clientID = p.DefaultClientID
	}
	switch p.Auth {
	case connstr.AuthAnonymous:
		return nil, nil
	case connstr.AuthDeviceCode:
		prompt := p.Prompt
		return azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			ClientOptions: co, TenantID: p.Tenant, ClientID: clientID, DisableInstanceDiscovery: nd,
			UserPrompt: func(ctx context.Context, m azidentity.DeviceCodeMessage) error {
				if prompt != nil {
					prompt(ctx, m.Message)
				} else {
					fmt.Fprintln(os.Stderr, m.Message)
				}
				return nil
			},
		})
	case connstr.AuthSecret:
		return ClientSecret(p)
	case connstr.AuthCertificate:
		if err := needAll(p, "tenant='...'", p.Tenant, "clientid='...'", p.ClientID, "certificate='path.pem'", p.Certificate); err != nil {
			return nil, err
		}
		data, err := os.ReadFile(p.Certificate)
		if err != nil {
			return nil, fmt.Errorf("reading the certificate: %w", err)
		}
		var pw []byte
		if p.CertificatePassword != "" {
			pw = []byte(p.CertificatePassword.Reveal())
		}
		certs, key, err := azidentity.ParseCertificates(data, pw)
		if err != nil {
			// ParseCertificates' messages name no secret; keep them for the user.
			return nil, fmt.Errorf("certificate %s: %w", p.Certificate, err)
		}
		return azidentity.NewClientCertificateCredential(p.Tenant, p.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: co, SendCertificateChain: true, DisableInstanceDiscovery: nd})
	case connstr.AuthUserPass:
		if err := needAll(p, "username='...'", p.Username); err != nil {
			return nil, err
		}
		tenant := p.Tenant
		if tenant == "" {
			tenant = p.DefaultUserTenant
		}
		// Deprecated by Entra (no MFA) but still served; Kqlmagic users have it in their notebooks.
		return azidentity.NewUsernamePasswordCredential(tenant, clientID, p.Username, p.Password.Reveal(),
			&azidentity.UsernamePasswordCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: nd})
	case connstr.AuthAzCLI:
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: p.Tenant, Subscription: p.Subscription})
	case connstr.AuthMSI:
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: co}
		if p.ClientID != "" {
			o.ID = azidentity.ClientID(p.ClientID)
		}
		return azidentity.NewManagedIdentityCredential(o)
	case connstr.AuthDefault:
		return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: co, TenantID: p.Tenant, DisableInstanceDiscovery: nd})
	case connstr.AuthWorkload:
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{ClientOptions: co, TenantID: p.Tenant, ClientID: p.ClientID, DisableInstanceDiscovery: nd})
	}
	return nil, fmt.Errorf("unsupported authentication method %q", p.Auth)
}

// ClientSecret builds a client-secret credential; ADX also takes it under the appkey name,
// so errors name p.Auth as given.
func ClientSecret(p Params) (azcore.TokenCredential, error) {
	if err := needAll(p, "tenant='...'", p.Tenant, "clientid='...'", p.ClientID, "clientsecret='...'", p.ClientSecret.Reveal()); err != nil {
		return nil, err
	}
	return azidentity.NewClientSecretCredential(p.Tenant, p.ClientID, p.ClientSecret.Reveal(),
		&azidentity.ClientSecretCredentialOptions{ClientOptions: p.ClientOptions, DisableInstanceDiscovery: p.NoDiscovery})
}

// needAll reports the first of the (what, value) pairs whose value is empty.
func needAll(p Params, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return fmt.Errorf("%s authentication needs %s", p.Auth, pairs[i])
		}
	}
	return nil
}
