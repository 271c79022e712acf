package loganalytics

import (
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/kqlkernel/kqlkernel/backend/azauth"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
)

// credential builds the azidentity credential for cfg. It returns nil for app keys and
// anonymous connections (azcore then sends no Authorization header). Building a credential
// does no network I/O: tokens are fetched on the first request and reused afterwards.
func credential(cfg Config, co policy.ClientOptions, opts Options, noDiscovery bool) (azcore.TokenCredential, error) {
	switch cfg.Auth {
	case AuthAppKey:
		if cfg.AppKey == "" {
			return nil, fmt.Errorf("appkey authentication needs appkey='...'")
		}
		return nil, nil
	case "":
		return nil, fmt.Errorf("no authentication method: add appkey='...', code, azcli, msi, default, anonymous or tenant/clientid/clientsecret")
	}
	return azauth.Credential(azauth.Params{
		Auth: connstr.Auth(cfg.Auth), Tenant: cfg.Tenant, ClientID: cfg.ClientID, Username: cfg.Username,
		Certificate: cfg.Certificate, Subscription: cfg.Subscription, ClientSecret: cfg.ClientSecret,
		Password: cfg.Password, CertificatePassword: cfg.CertificatePassword,
		// The Azure CLI's public client: azidentity's own device-code default, and what
		// Kqlmagic signs users in with.
		DefaultClientID: azureCLIClientID,
		ClientOptions:   co, NoDiscovery: noDiscovery, Prompt: opts.Prompt,
	})
}

// azureCLIClientID is the public client Kqlmagic and the Azure CLI use for user sign-in.
const azureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
