package kusto

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/table"
)

func TestClusterURL(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"help", "https://help.kusto.windows.net", ""},
		{"help.westeurope.kusto.windows.net", "https://help.westeurope.kusto.windows.net", ""},
		{"https://help.kusto.windows.net/", "https://help.kusto.windows.net", ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"  ", "", "required"},
		{"ftp://x", "", "http(s) URL"},
		{"https://user:pw@host", "", "credentials"},
		{"https://host/?code=abc", "", "credentials"},
	} {
		got, err := ClusterURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "abc") {
				t.Errorf("%q: %v", tc.in, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %q %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestConfigFromConn(t *testing.T) {
	cfg := ConfigFromConn(connstr.Conn{Scheme: connstr.SchemeKusto, Cluster: "help", Database: "Samples", Auth: connstr.AuthAppKey, Tenant: "t", ClientID: "c", AppKey: "k3y"})
	if cfg.Auth != connstr.AuthSecret || cfg.ClientSecret.Reveal() != "k3y" || cfg.Cluster != "help" || cfg.Database != "Samples" {
		t.Fatalf("%+v", cfg)
	}
	b, err := NewFromConfig(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := b.Describe(); d != "Samples@help" {
		t.Fatalf("describe: %q", d)
	}
}

// selfSigned writes a PEM certificate and key and returns the path.
func selfSigned(t *testing.T) string {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kqlkernel test"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "app.pem")
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb})...)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Every auth method builds without network I/O; a missing field is named; no secret is
// ever in the error.
func TestCredentials(t *testing.T) {
	const secret = "super-secret-value"
	cert := selfSigned(t)
	t.Setenv("AZURE_FEDERATED_TOKEN_FILE", filepath.Join(t.TempDir(), "token"))
	t.Setenv("AZURE_CLIENT_ID", "c")
	t.Setenv("AZURE_TENANT_ID", "t")
	for _, tc := range []struct {
		cfg  Config
		nil_ bool
		err  string
	}{
		{Config{Auth: connstr.AuthAnonymous}, true, ""},
		{Config{Auth: AuthToken, Token: secret}, true, ""},
		{Config{Auth: AuthToken}, false, "token="},
		{Config{Auth: connstr.AuthDeviceCode, Tenant: "t"}, false, ""},
		{Config{Auth: connstr.AuthSecret, Tenant: "t", ClientID: "c", ClientSecret: secret}, false, ""},
		{Config{Auth: connstr.AuthSecret, Tenant: "t", ClientSecret: secret}, false, "clientid="},
		{Config{Auth: connstr.AuthCertificate, Tenant: "t", ClientID: "c", Certificate: cert}, false, ""},
		{Config{Auth: connstr.AuthCertificate, Tenant: "t", ClientID: "c", Certificate: "/nonexistent.pem", CertificatePassword: secret}, false, "reading the certificate"},
		{Config{Auth: connstr.AuthUserPass, Username: "u", Password: secret}, false, ""},
		{Config{Auth: connstr.AuthAzCLI}, false, ""},
		{Config{Auth: connstr.AuthMSI, ClientID: "c"}, false, ""},
		{Config{Auth: connstr.AuthDefault}, false, ""},
		{Config{Auth: connstr.AuthWorkload}, false, ""},
		{Config{Auth: connstr.AuthNone}, false, "no authentication method"},
		{Config{Auth: "kerberos"}, false, "unsupported"},
		{Config{Auth: connstr.AuthAzCLI, Cloud: "mars"}, false, "unknown cloud"},
	} {
		name := fmt.Sprintf("%s/%s", tc.cfg.Auth, tc.err)
		cred, err := credential(tc.cfg, &http.Client{}, Options{})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: want error %q, got %v", name, tc.err, err)
			}
		} else if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if (cred == nil) != tc.nil_ {
			t.Errorf("%s: credential %T", name, cred)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("%s: secret in %q", name, err)
		}
	}
}

func TestErrorFromBody(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	q := "StormEvents\n| whre State == 1"
	e := errorFromBody(400, read("syntax_error.json"), q)
	if e.Code != "General_BadRequest" || e.InnerCode != "SYN0002" || e.Line != 2 || e.Pos != 2 || e.Token != "whre" || e.Offset != strings.Index(q, "whre") ||
		e.Type != "Kusto.Data.Exceptions.SyntaxException" || e.ActivityID != "0c4e7917-7be8-4125-939f-146f0f97df12" || !e.Permanent {
		t.Fatalf("syntax: %+v", e)
	}
	if got := e.Error(); got != "General_BadRequest: Request is invalid and cannot be executed.: SYN0002: Query could not be parsed at 'whre' on line [2,2] (line 2, position 2)" {
		t.Fatalf("text: %s", got)
	}
	q = "StormEvents | where Nope == 1"
	e = errorFromBody(400, read("semantic_no_line.json"), q)
	if e.InnerCode != "SEM0100" || e.Line != 1 || e.Pos != 22 || !strings.Contains(e.InnerMessage, "Nope") {
		t.Fatalf("semantic: %+v", e)
	}
	e = errorFromBody(400, read("plain.txt"), "")
	if e.Code != "HTTP400" || !strings.HasPrefix(e.Message, "Bad request: Control commands") {
		t.Fatalf("plain: %+v", e)
	}
}

func TestParseVisualization(t *testing.T) {
	// The service's answer for a query without render (azkustodata's testdata).
	none := `{"Visualization":null,"Title":null,"XColumn":null,"Series":null,"YColumns":null,"AnomalyColumns":null,"XTitle":null,"YTitle":null,"XAxis":null,"YAxis":null,"Legend":null,"YSplit":null,"Accumulate":false,"IsQuerySorted":false,"Kind":null,"Ymin":"NaN","Ymax":"NaN","Xmin":null,"Xmax":null}`
	if r := parseVisualization([]byte(none)); r != nil {
		t.Fatalf("no render: %+v", r)
	}
	full := `{"Visualization":"timechart","Title":"Storms","XColumn":"StartTime","Series":"State, EventType","YColumns":"n","AnomalyColumns":null,"XTitle":"when","YTitle":"count","XAxis":"linear","YAxis":"log","Legend":"hidden","YSplit":"panels","Accumulate":true,"IsQuerySorted":false,"Kind":"stacked","Ymin":0,"Ymax":"NaN","Xmin":"2024-01-01T00:00:00Z","Xmax":5}`
	r := parseVisualization([]byte(full))
	if r == nil || r.Visualization != "timechart" || r.Title != "Storms" || strings.Join(r.Series, "|") != "State|EventType" || r.YMin == nil || *r.YMin != 0 ||
		r.YMax != nil || !r.Accumulate || r.Kind != "stacked" || r.YAxis != "log" || r.XMax != 5.0 {
		t.Fatalf("full: %+v", r)
	}
	if x, ok := r.XMin.(table.DateTime); !ok || x.String() != "2024-01-01T00:00:00Z" {
		t.Fatalf("xmin: %#v", r.XMin)
	}
	// A proxy that quotes the object.
	quoted, _ := json.Marshal(full)
	if r := parseVisualization(quoted); r == nil || r.Visualization != "timechart" {
		t.Fatalf("quoted: %+v", r)
	}
}

func TestDecodeSchema(t *testing.T) {
	body := `{"Databases":{"Samples":{"Name":"Samples","Tables":{"StormEvents":{"Name":"StormEvents","DocString":"US storms","OrderedColumns":[{"Name":"StartTime","Type":"System.DateTime","CslType":"datetime"},{"Name":"DamageProperty","Type":"System.Int32","CslType":"int"},{"Name":"StormSummary","Type":"System.Object","CslType":"dynamic"}]}},"Functions":{"MyFunc":{"Name":"MyFunc","InputParameters":[{"Name":"n","Type":"System.Int64","CslType":"long"},{"Name":"s","Type":"System.String","CslType":"string","CslDefaultValue":"'x'"}],"Body":"{ StormEvents | take n }"}}}}}`
	s, err := decodeSchema([]byte(body), "Samples")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables) != 1 || s.Tables[0].Description != "US storms" || len(s.Tables[0].Columns) != 3 || s.Tables[0].Columns[2].Type != table.TypeDynamic {
		t.Fatalf("tables: %+v", s.Tables)
	}
	if len(s.Functions) != 1 || s.Functions[0].Parameters != "(n:long, s:string = 'x')" || s.Functions[0].Body != "{ StormEvents | take n }" {
		t.Fatalf("functions: %+v", s.Functions)
	}
}

func FuzzErrorFromBody(f *testing.F) {
	for _, name := range []string{"syntax_error.json", "semantic_no_line.json", "plain.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "StormEvents\n| whre State == 1")
	}
	f.Add([]byte(`{"error":{"code":"x","@line":99,"@pos":"-3"}}`), "a\nb")
	f.Fuzz(func(t *testing.T, body []byte, q string) {
		e := errorFromBody(400, body, q)
		if e == nil || e.Offset > len(q) || (e.Offset >= 0 && e.Line <= 0) {
			t.Fatalf("%+v for %q", e, q)
		}
		_ = e.Error()
	})
}

func FuzzParseVisualization(f *testing.F) {
	f.Add([]byte(`{"Visualization":"timechart","Series":"a,b","Ymin":"1.5","Xmin":"2024-01-01T00:00:00Z"}`))
	f.Add([]byte(`"{\"Visualization\":\"piechart\"}"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if r := parseVisualization(b); r != nil && r.Visualization == "" {
			t.Fatalf("render without a kind: %+v", r)
		}
	})
}

func FuzzDecodeSchema(f *testing.F) {
	f.Add([]byte(`{"Databases":{"d":{"Name":"d","Tables":{"T":{"Name":"T","OrderedColumns":[{"Name":"c","CslType":"long"}]}}}}}`), "d")
	f.Fuzz(func(t *testing.T, b []byte, db string) {
		s, err := decodeSchema(b, db)
		if err == nil && (s.Tables == nil || s.Functions == nil) {
			t.Fatal("nil slices")
		}
	})
}
