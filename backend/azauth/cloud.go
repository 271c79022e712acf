package azauth

import (
	"fmt"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

// Cloud is azcore's configuration of a connection's cloud name ("" is the public cloud).
// It is one of azcore's shared values: copy its Services map before changing it.
func Cloud(name string) (cloud.Configuration, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "public", "azurepubliccloud", "azurecloud":
		return cloud.AzurePublic, nil
	case "china", "azurechinacloud", "mooncake":
		return cloud.AzureChina, nil
	case "usgovernment", "usgov", "azureusgovernment", "azureusgovernmentcloud", "fairfax":
		return cloud.AzureGovernment, nil
	case "germany", "azuregermancloud":
		return cloud.Configuration{}, fmt.Errorf("cloud %q: Azure Germany was retired in 2021; use the public cloud", name)
	}
	return cloud.Configuration{}, fmt.Errorf("unknown cloud %q: use public, china or usgovernment", name)
}

// PrivateAuthority is the Entra authority AZURE_AUTHORITY_HOST names (Azure Stack, a
// sovereign or test one), as azidentity's own default reads it, when the connection names
// no cloud. Instance discovery only knows Microsoft's hosts: turn it off for this one.
func PrivateAuthority(cloudName string) (host string, ok bool) {
	if h := os.Getenv("AZURE_AUTHORITY_HOST"); h != "" && strings.TrimSpace(cloudName) == "" {
		return h, true
	}
	return "", false
}
