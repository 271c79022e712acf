package loganalytics

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/table"
)

// TestDecodeServiceBody decodes a body as the real service writes it (testdata: dynamic as
// JSON text and as raw JSON, 7-digit fractions, NaN as a string, a long as a string) into
// exact typed values.
func TestDecodeServiceBody(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "service_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeBody(body, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.tables) != 1 || d.tables[0].Rows() != 3 {
		t.Fatalf("tables: %d", len(d.tables))
	}
	tb := d.tables[0]
	at := func(col string, row int) any { return tb.Columns[tb.Index(col)].Data.At(row) }
	checks := []struct {
		col  string
		row  int
		want string
	}{
		{"TimeGenerated", 0, "2024-01-02T03:04:05.1234567Z"},
		{"TimeGenerated", 1, "2024-01-02T03:04:05Z"},
		{"EventID", 0, "4625"},
		{"Big", 0, "9007199254740993"},
		{"Big", 1, "-9223372036854775808"},
		{"Big", 2, "9223372036854775807"},
		{"Ratio", 0, "0.25"},
		{"Ratio", 1, "NaN"},
		{"Ratio", 2, "-Infinity"},
		{"Amount", 0, "79228162514264337593543950335"},
		{"Elapsed", 0, "1.02:03:04.5000000"},
		{"Elapsed", 1, "-00:00:00.0000001"},
		{"Id", 0, "74be27de-1e4e-49d9-b579-fe0b331d3642"},
		{"Props", 0, `{"a":[1,{"b":null}],"big":9007199254740993}`},
		{"Props", 1, `[1,2]`},
		{"Props", 2, `plain text`},
		{"Flag", 1, "false"},
	}
	for _, c := range checks {
		if got := table.Format(at(c.col, c.row)); got != c.want {
			t.Errorf("%s[%d] = %q want %q", c.col, c.row, got, c.want)
		}
	}
	if at("Big", 0) != int64(9007199254740993) {
		t.Errorf("long is %T", at("Big", 0))
	}
	if at("EventID", 2) != nil || at("Id", 2) != nil || at("Amount", 2) != nil || at("TimeGenerated", 2) != nil {
		t.Errorf("nulls not kept: %v %v %v %v", at("EventID", 2), at("Id", 2), at("Amount", 2), at("TimeGenerated", 2))
	}
	if d.render == nil || d.render.Visualization != "barchart" || d.render.Kind != "stacked" || d.render.Title != "" {
		t.Errorf("render: %+v", d.render)
	}
	q := d.statistics["query"].(map[string]any)
	if q["executionTime"] != 0.6250008 || q["resourceUsage"].(map[string]any)["memory"].(map[string]any)["peakPerNode"] != int64(503323248) {
		t.Errorf("statistics: %#v", q)
	}
	if d.partial == nil || d.partial.Code != "PartialError" || len(d.partial.Details) != 1 || !strings.Contains(d.partial.Error(), "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Errorf("partial: %v", d.partial)
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := map[string]string{
		`{"tables":[{"name":"T","columns":[{"name":"a","type":"long"}],"rows":[[1.5]]}]}`:             "exact 64-bit",
		`{"tables":[{"name":"T","columns":[{"name":"a","type":"int"}],"rows":[[3000000000]]}]}`:       "out of range",
		`{"tables":[{"name":"T","columns":[{"name":"a","type":"long"}],"rows":[[1,2]]}]}`:             "2 values for 1 columns",
		`{"tables":[{"name":"T","columns":[{"name":"a","type":"datetime"}],"rows":[["yesterday"]]}]}`: "ISO 8601",
		`{"tables":[{"name":"T","columns":[{"name":"a","type":"timespan"}],"rows":[["1:2"]]}]}`:       "hh:mm:ss",
		`{"tables":[{"name":"T","columns":[{"name":"a","type":"real"}],"rows":[["lots"]]}]}`:          "real",
		`{"tables":`: "decoding",
	}
	for body, want := range cases {
		if _, err := decodeBody([]byte(body), ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want %q, got %v", body, want, err)
		}
	}
	// Integral forms of a long are exact; an unknown type stays readable as dynamic.
	d, err := decodeBody([]byte(`{"tables":[{"name":"T","columns":[{"name":"a","type":"long"},{"name":"b","type":"geo"}],"rows":[["1e3",{"x":1}],[5.0,null]]}]}`), "")
	if err != nil || d.tables[0].Columns[0].Data.At(0) != int64(1000) || d.tables[0].Columns[0].Data.At(1) != int64(5) || d.tables[0].Columns[1].Type != table.TypeDynamic {
		t.Fatalf("%v %+v", err, d)
	}
}

func TestParseTimeSpan(t *testing.T) {
	good := map[string]table.TimeSpan{
		"00:00:00": 0, "01:30:00": 90 * table.Minute, "14.00:00:00": 14 * table.Day, "-12:00:00": -12 * table.Hour,
		"00:00:01.5000000": table.Second + 500*table.Millisecond, "00:00:00.0000001": table.Tick, "00:00:00.5": 500 * table.Millisecond,
		"10675199.02:48:05.4775807": math.MaxInt64, "-10675199.02:48:05.4775807": -math.MaxInt64,
	}
	for in, want := range good {
		got, err := parseTimeSpan(in)
		if err != nil || got != want {
			t.Errorf("%q: got %d (%v) want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1", "24:00:00", "00:60:00", "00:00:60", "1.2.03:00:00", "00:00:00.", "00:00:00.12345678", "a.00:00:00", "--1:00:00", "99999999999.00:00:00"} {
		if _, err := parseTimeSpan(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestServiceErrors(t *testing.T) {
	query := "completely invalid syntax"
	body := `{"error":{"message":"The request had some invalid properties","code":"BadArgumentError","correlationId":"c8995908","innererror":{"code":"SyntaxError","message":"A recognition error occurred in the query.","innererror":{"code":"SYN0002","message":"Query could not be parsed at 'invalid' on line [1,11]","line":1,"pos":11,"token":"invalid"}}}}`
	e := errorFromBody(400, []byte(body), query)
	if e.Code != "BadArgumentError" || e.InnerCode != "SYN0002" || e.Line != 1 || e.Pos != 11 || e.Token != "invalid" || e.Offset != 11 || query[e.Offset:e.Offset+7] != "invalid" {
		t.Fatalf("%+v", e)
	}
	if got := e.Error(); got != "BadArgumentError: The request had some invalid properties: SYN0002: Query could not be parsed at 'invalid' on line [1,11] (line 1, position 11)" {
		t.Fatalf("message: %s", got)
	}
	// Positions count code points on their line.
	multi := "T\n| where x == 'é' | wher"
	e = errorFromBody(400, []byte(`{"error":{"code":"BadArgumentError","message":"m","innererror":{"code":"SyntaxError","message":"s","line":2,"pos":19}}}`), multi)
	if e.Offset != strings.LastIndex(multi, "wher") {
		t.Fatalf("offset %d", e.Offset)
	}
	// What a proxy sends: no JSON.
	e = errorFromBody(502, []byte("<html>Bad gateway</html>"), "")
	if e.Code != "BadGateway" || e.Message != "<html>Bad gateway</html>" || e.Line != 0 || e.Offset != -1 {
		t.Fatalf("%+v", e)
	}
	if !(&Error{StatusCode: 504}).Timeout() || (&Error{StatusCode: 400}).Timeout() {
		t.Fatal("Timeout()")
	}
}

func TestEndpointsAndClouds(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8000/v1": "http://127.0.0.1:8000/v1", "http://127.0.0.1:8000": "http://127.0.0.1:8000/v1",
		"https://example.org/v1/": "https://example.org/v1", " https://api.loganalytics.io/v1 ": "https://api.loganalytics.io/v1",
	} {
		if got, err := normalizeEndpoint(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, in := range []string{"ftp://x/v1", "127.0.0.1:8000", "https://user:pw@host/v1", "https://host/v1?api_key=SECRET"} {
		_, err := normalizeEndpoint(in)
		if err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "pw@") {
			t.Errorf("%q: %v", in, err)
		}
	}
	for name, want := range map[string]string{"": "https://api.loganalytics.io/v1", "public": "https://api.loganalytics.io/v1", "china": "https://api.loganalytics.azure.cn/v1", "USGovernment": "https://api.loganalytics.us/v1"} {
		c, err := cloudConfig(name, "")
		if err != nil || c.Services["query/azlogs"].Endpoint != want {
			t.Errorf("cloud %q: %v %v", name, c.Services, err)
		}
	}
	if _, err := cloudConfig("germany", ""); err == nil {
		t.Error("germany accepted")
	}
	// Pointing one connection at an endpoint must not change the shared cloud values.
	if _, err := cloudConfig("", "http://127.0.0.1:1/v1"); err != nil {
		t.Fatal(err)
	}
	c, _ := cloudConfig("", "")
	if c.Services["query/azlogs"].Endpoint != "https://api.loganalytics.io/v1" {
		t.Fatal("the shared cloud configuration was modified")
	}
}

// TestEveryAuthBuildsOffline builds a backend for each auth method: no network I/O happens
// until a query, and a missing field is reported without echoing secrets.
func TestEveryAuthBuildsOffline(t *testing.T) {
	cert := filepath.Join(t.TempDir(), "c.pem")
	if err := os.WriteFile(cert, certPEM(t), 0o600); err != nil {
		t.Fatal(err)
	}
	base := Config{Workspace: "ws", Tenant: "00000000-0000-0000-0000-000000000001", ClientID: "00000000-0000-0000-0000-000000000002"}
	cases := []struct {
		auth Auth
		mod  func(*Config)
		err  string
	}{
		{AuthAppKey, func(c *Config) { c.AppKey = "TOPSECRET" }, ""},
		{AuthAppKey, nil, "needs appkey"},
		{AuthAnonymous, nil, ""},
		{AuthDeviceCode, nil, ""},
		{AuthSecret, func(c *Config) { c.ClientSecret = "TOPSECRET" }, ""},
		{AuthSecret, nil, "needs clientsecret"},
		{AuthCertificate, func(c *Config) { c.Certificate = cert }, ""},
		{AuthCertificate, func(c *Config) { c.Certificate = cert + ".missing" }, "reading the certificate"},
		{AuthUserPass, func(c *Config) { c.Username = "u@example.org"; c.Password = "TOPSECRET" }, ""},
		{AuthAzCLI, nil, ""},
		{AuthMSI, nil, ""},
		{AuthMSI, func(c *Config) { c.ClientID = "" }, ""},
		{AuthDefault, nil, ""},
		{"", nil, "no authentication method"},
		{"kerberos", nil, "unsupported"},
	}
	for _, c := range cases {
		cfg := base
		cfg.Auth = c.auth
		if c.mod != nil {
			c.mod(&cfg)
		}
		b, err := NewFromConfig(cfg, Options{})
		if c.err == "" {
			if err != nil {
				t.Errorf("%s: %v", c.auth, err)
			} else if strings.Contains(b.Describe(), "TOPSECRET") {
				t.Errorf("%s: Describe leaks: %s", c.auth, b.Describe())
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) || strings.Contains(err.Error(), "TOPSECRET") {
			t.Errorf("%s: want %q, got %v", c.auth, c.err, err)
		}
	}
	// The config prints its secrets masked.
	cfg := base
	cfg.AppKey = connstr.Secret("TOPSECRET")
	if s := strings.Join([]string{cfg.AppKey.String()}, ""); strings.Contains(s, "TOPSECRET") {
		t.Fatal("secret printed")
	}
	if _, err := NewFromConfig(Config{}, Options{}); err == nil || !strings.Contains(err.Error(), "workspace") {
		t.Fatalf("no workspace: %v", err)
	}
}

func FuzzDecodeBody(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "service_response.json")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"tables":[{"name":"T","columns":[{"name":"a","type":"timespan"},{"name":"b","type":"dynamic"}],"rows":[["1.00:00:00","{}"]]}]}`))
	f.Add([]byte(`{"error":{"code":"PartialError","details":[{"code":"x","innererror":{"line":3,"pos":99}}]},"render":{"ymin":"1","xmax":"2024-01-01"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := decodeBody(body, "T | take 1\n| x")
		if err != nil {
			return
		}
		for _, tb := range d.tables {
			n := tb.Rows()
			for _, c := range tb.Columns {
				if c.Data.Len() != n && n > 0 {
					t.Fatalf("ragged table")
				}
			}
		}
	})
}

func FuzzParseTimeSpan(f *testing.F) {
	for _, s := range []string{"00:00:00", "-1.02:03:04.5", "10675199.02:48:05.4775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := parseTimeSpan(s)
		if err != nil {
			return
		}
		back, err := parseTimeSpan(ts.String())
		if err != nil || back != ts {
			t.Fatalf("%q -> %d -> %q -> %d (%v)", s, ts, ts.String(), back, err)
		}
	})
}

// certPEM is a throwaway certificate and key, as a client-certificate connection reads them.
func certPEM(t *testing.T) []byte {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})...)
}
