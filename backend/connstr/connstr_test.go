package connstr

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Conn
	}{
		{`loganalytics://workspace='DEMO_WORKSPACE';appkey='DEMO_KEY';alias='myworkspace'`,
			Conn{Scheme: "loganalytics", Workspace: "DEMO_WORKSPACE", AppKey: "DEMO_KEY", Alias: "myworkspace", Auth: AuthAppKey}},
		{`loganalytics://code;workspace='ws1'`,
			Conn{Scheme: "loganalytics", Workspace: "ws1", Alias: "ws1", Auth: AuthDeviceCode}},
		{`loganalytics://tenant='t';code;workspace="ws1";alias='a'`,
			Conn{Scheme: "loganalytics", Workspace: "ws1", Alias: "a", Tenant: "t", Auth: AuthDeviceCode}},
		{`loganalytics://tenant='t';clientid='c';clientsecret='s;x';workspace='w'`,
			Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", Tenant: "t", ClientID: "c", ClientSecret: "s;x", Auth: AuthSecret}},
		{`loganalytics://tenant='t';client_id='c';certificate='/k/cert.pem';certificate_thumbprint='AB';workspace='w'`,
			Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", Tenant: "t", ClientID: "c", Certificate: "/k/cert.pem", CertificateThumbprint: "AB", Auth: AuthCertificate}},
		{`loganalytics://azcli;workspace='w'`, Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", Auth: AuthAzCLI}},
		{`loganalytics://msi;workspace='w'`, Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", Auth: AuthMSI}},
		{`loganalytics://managed_identity='cid';workspace='w'`, Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", ClientID: "cid", Auth: AuthMSI}},
		{`loganalytics://msi;clientid='cid';workspace='w'`, Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", ClientID: "cid", Auth: AuthMSI}},
		{`loganalytics://anonymous;workspace='w';endpoint='http://127.0.0.1:8000/v1/'`,
			Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", Auth: AuthAnonymous, Endpoint: "http://127.0.0.1:8000/v1"}},
		{`loganalytics://default;workspace='w';cloud='AzureChinaCloud'`,
			Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", Auth: AuthDefault, Cloud: "china"}},
		{`loganalytics://workload_identity;tenant='t';workspace='w'`,
			Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", Tenant: "t", Auth: AuthWorkload}},
		{`loganalytics://username='u';password='p';workspace='w'`,
			Conn{Scheme: "loganalytics", Workspace: "w", Alias: "w", Username: "u", Password: "p", Auth: AuthUserPass}},
		{`loganalytics://workspace('ws').appkey('k')`,
			Conn{Scheme: "loganalytics", Workspace: "ws", Alias: "ws", AppKey: "k", Auth: AuthAppKey}},
		{`LogAnalytics://WorkSpace=ws ; AppKey = k`,
			Conn{Scheme: "loganalytics", Workspace: "ws", Alias: "ws", AppKey: "k", Auth: AuthAppKey}},
		{`local://demo`, Conn{Scheme: "local", Workspace: "demo", Alias: "demo"}},
		{`local://`, Conn{Scheme: "local", Workspace: "demo", Alias: "demo"}},
		{`local:///data/logs/`, Conn{Scheme: "local", Workspace: "/data/logs/", Alias: "logs"}},
		{`local://dir='/data/x';alias='lab'`, Conn{Scheme: "local", Workspace: "/data/x", Alias: "lab"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`loganalytics://appkey='SECRETKEY'`, "workspace='WORKSPACE_ID' is missing"},
		{`loganalytics://workspace='w'`, "no authentication given"},
		{`loganalytics://workspace='w';appkey='SECRETKEY';code`, "more than one authentication method"},
		{`loganalytics://workspace='w';bogus='SECRETKEY'`, `unknown key "bogus" (valid keys: workspace, alias`},
		{`loganalytics://workspace='w';clientid='c';clientsecret='SECRETKEY'`, "needs tenant"},
		{`loganalytics://workspace='w';tenant='t';clientsecret='SECRETKEY'`, "needs clientid"},
		{`loganalytics://workspace='w;appkey='SECRETKEY`, "expected ';' after the value"},
		{`loganalytics://workspace='w';appkey='SECRETKEY`, "unterminated quote"},
		{`loganalytics://workspace='w';appkey`, `key "appkey" needs a value`},
		{`loganalytics://workspace='w';code='SECRETKEY'`, `key "code" takes no value`},
		{`loganalytics://workspace='w';anonymous;cloud='mars'`, "unknown cloud"},
		{`loganalytics://workspace='w';anonymous;endpoint='ftp://x'`, "endpoint must start with http"},
		{`mysql://x`, "unknown scheme"},
		{`SecurityEvent | take 1`, "expected SCHEME://"},
		{`local://dir='x';appkey='SECRETKEY'`, "unknown key"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %q", tt.in, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %q, want it to contain %q", tt.in, err, tt.want)
		}
		if strings.Contains(err.Error(), "SECRETKEY") {
			t.Errorf("Parse(%q): error leaks the secret: %q", tt.in, err)
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	c, err := Parse(`loganalytics://tenant='t';clientid='c';clientsecret='TOPSECRET';workspace='w'`)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(c)
	outs := []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s %q", c, c, c, c.ClientSecret, c.ClientSecret), string(j), c.Masked()}
	for _, o := range outs {
		if strings.Contains(o, "TOPSECRET") {
			t.Errorf("secret printed: %s", o)
		}
	}
	if c.ClientSecret.Reveal() != "TOPSECRET" {
		t.Errorf("Reveal = %q", c.ClientSecret.Reveal())
	}
	if got := c.Scrub("bad secret TOPSECRET here"); got != "bad secret *** here" {
		t.Errorf("Scrub = %q", got)
	}
}

func TestMaskedRoundTrip(t *testing.T) {
	in := `loganalytics://workspace='DEMO_WORKSPACE';appkey='DEMO_KEY';alias='myworkspace'`
	c, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `loganalytics://workspace='DEMO_WORKSPACE';appkey='***';alias='myworkspace'`
	if got := c.Masked(); got != want {
		t.Errorf("Masked = %q, want %q", got, want)
	}
	for _, s := range []string{`loganalytics://code;tenant='t';workspace='w';alias='a';cloud='usgovernment'`, `local://demo`, `local://dir='/x/y';alias='lab'`} {
		c, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := Parse(c.Masked())
		if err != nil {
			t.Fatalf("Parse(Masked(%q)=%q): %v", s, c.Masked(), err)
		}
		if c2 != c {
			t.Errorf("round trip of %q: %#v != %#v", s, c2, c)
		}
	}
}

func TestScrubString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`%kql loganalytics://workspace='w';appkey='K1';alias='a'`, `%kql loganalytics://workspace='w';appkey='***';alias='a'`},
		{`x App_Key = "K1" ; client_secret=K2;y`, `x App_Key = "***" ; client_secret=***;y`},
		{`workspace('w').appkey('K1')`, `workspace('w').appkey('***')`},
		{`password='unterminated`, `password='***`},
		{`nothing here`, `nothing here`},
	}
	for _, tt := range tests {
		if got := ScrubString(tt.in); got != tt.want {
			t.Errorf("ScrubString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsConnectionString(t *testing.T) {
	for s, want := range map[string]bool{
		"loganalytics://x": true, "Log_Analytics://x": true, "local://demo": true,
		"SecurityEvent": false, "print 'http://x'": false, "://": false,
	} {
		if got := IsConnectionString(s); got != want {
			t.Errorf("IsConnectionString(%q) = %v", s, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`loganalytics://workspace='DEMO_WORKSPACE';appkey='DEMO_KEY';alias='myworkspace'`,
		`loganalytics://code;workspace=w`, `loganalytics://workspace('w').appkey('k')`,
		`local://demo`, `local://dir='x';alias='y'`, `loganalytics://tenant="t";clientid=c;clientsecret="""s""";workspace=w`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			for _, sec := range secretValues(s) {
				if len(sec) >= 4 && strings.Contains(err.Error(), sec) && !constantText(s, sec) {
					t.Fatalf("error %q leaks secret %q", err, sec)
				}
			}
			return
		}
		m := c.Masked()
		for _, sec := range c.Secrets() {
			if len(sec) >= 4 && strings.Contains(m, sec) && !strings.Contains(c.Workspace+c.Alias+c.Tenant+c.ClientID+c.Endpoint+c.Certificate+c.Username+c.Subscription+c.CertificateThumbprint, sec) {
				t.Fatalf("Masked %q leaks %q", m, sec)
			}
		}
		_ = ScrubString(s)
		if c.Scheme == SchemeLocal {
			return
		}
		// The masked form parses again to the same connection, secrets aside.
		c2, err := Parse(m)
		if err != nil {
			if strings.ContainsAny(c.Workspace+c.Alias+c.Tenant+c.ClientID+c.Endpoint+c.Certificate+c.Username+c.Subscription+c.CertificateThumbprint, "'\";()=") {
				return // values with quotes can't be re-quoted by Masked
			}
			t.Fatalf("Parse(Masked()=%q): %v (from %q)", m, err, s)
		}
		if c2.Workspace != c.Workspace || c2.Auth != c.Auth || c2.Alias != c.Alias {
			t.Fatalf("round trip changed %#v to %#v", c, c2)
		}
	})
}

// secretValues returns the values of secret keys in s, leaving out values that also
// appear as a key or a non-secret value (an error may rightly quote those).
func secretValues(s string) []string {
	i := strings.Index(s, "://")
	if i < 0 {
		return nil
	}
	pairs, err := splitPairs(s[i+3:])
	if err != nil {
		return nil
	}
	public := s[:i] + "\x00"
	for _, p := range pairs {
		public += p.key + "\x00"
		if k, ok := lookupKey(normKey(p.key)); !ok || !k.secret {
			public += p.value + "\x00"
		}
	}
	var out []string
	for _, p := range pairs {
		if k, ok := lookupKey(normKey(p.key)); ok && k.secret && !strings.Contains(public, p.value) {
			out = append(out, p.value)
		}
	}
	return out
}

// constantText reports whether sec appears in Parse's error only because it is part of
// the message's fixed text: with sec replaced in the input, it is still there.
func constantText(s, sec string) bool {
	_, err := Parse(strings.ReplaceAll(s, sec, "\x01"))
	return err != nil && strings.Contains(err.Error(), sec)
}
