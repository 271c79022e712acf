package azauth

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"

	"github.com/kqlkernel/kqlkernel/backend/connstr"
)

func TestCloud(t *testing.T) {
	for name, want := range map[string]string{
		"": cloud.AzurePublic.ActiveDirectoryAuthorityHost, " Public ": cloud.AzurePublic.ActiveDirectoryAuthorityHost,
		"mooncake": cloud.AzureChina.ActiveDirectoryAuthorityHost, "USGov": cloud.AzureGovernment.ActiveDirectoryAuthorityHost,
	} {
		c, err := Cloud(name)
		if err != nil || c.ActiveDirectoryAuthorityHost != want {
			t.Errorf("%q: %v %v", name, c.ActiveDirectoryAuthorityHost, err)
		}
	}
	for _, name := range []string{"germany", "mars"} {
		if _, err := Cloud(name); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
}

func TestPrivateAuthority(t *testing.T) {
	t.Setenv("AZURE_AUTHORITY_HOST", "https://login.example.test/")
	if h, ok := PrivateAuthority(""); !ok || h != "https://login.example.test/" {
		t.Errorf("no cloud named: %q %v", h, ok)
	}
	// A named cloud wins over the environment.
	if _, ok := PrivateAuthority("china"); ok {
		t.Error("named cloud overridden")
	}
	t.Setenv("AZURE_AUTHORITY_HOST", "")
	if _, ok := PrivateAuthority(""); ok {
		t.Error("empty variable taken")
	}
}

// TestMissingFields: each method names the first setting it lacks, under the method's name.
func TestMissingFields(t *testing.T) {
	cases := []struct {
		p    Params
		want string
	}{
		{Params{Auth: connstr.AuthSecret, ClientID: "c", ClientSecret: "s"}, "clientsecret authentication needs tenant='...'"},
		{Params{Auth: connstr.AuthCertificate, Tenant: "t", ClientID: "c"}, "certificate authentication needs certificate='path.pem'"},
		{Params{Auth: connstr.AuthUserPass}, "password authentication needs username='...'"},
		{Params{Auth: "bogus"}, `unsupported authentication method "bogus"`},
	}
	for _, c := range cases {
		if _, err := Credential(c.p); err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v want %s", c.p.Auth, err, c.want)
		}
	}
	p := Params{Auth: connstr.AuthAppKey, Tenant: "t", ClientID: "c"}
	if _, err := ClientSecret(p); err == nil || !strings.HasPrefix(err.Error(), "appkey authentication needs clientsecret=") {
		t.Errorf("appkey as client secret: %v", err)
	}
	if c, err := Credential(Params{Auth: connstr.AuthAnonymous}); c != nil || err != nil {
		t.Errorf("anonymous: %v %v", c, err)
	}
}
