// Package connstr parses connection strings as Kqlmagic writes them:
//
//	loganalytics://workspace='WS';appkey='KEY';alias='myworkspace'
//	loganalytics://code;workspace='WS'
//	loganalytics://tenant='T';clientid='C';clientsecret='S';workspace='WS'
//	loganalytics://workspace('WS').appkey('KEY')          (Kqlmagic's older form)
//	local://demo      local:///path/to/dir
//
// It is a leaf package so that every backend and the CLI can share one parser. Secrets are
// held as Secret values that never print themselves.
package connstr

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Secret is a credential. Every way of formatting it prints "***"; Reveal returns it.
type Secret string

const masked = "***"

// String masks the secret.
func (s Secret) String() string { return masked }

// GoString masks the secret for %#v.
func (s Secret) GoString() string { return masked }

// Format masks the secret for every fmt verb.
func (s Secret) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(masked)) }

// MarshalJSON masks the secret.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + masked + `"`), nil }

// MarshalText masks the secret (slog, encoding/xml, ...).
func (s Secret) MarshalText() ([]byte, error) { return []byte(masked), nil }

// Reveal returns the secret itself, to hand to a credential or a request header.
func (s Secret) Reveal() string { return string(s) }

// Auth is how a connection authenticates.
type Auth string

// The authentication methods.
const (
	AuthNone        Auth = ""
	AuthAppKey      Auth = "appkey"
	AuthDeviceCode  Auth = "code"
	AuthSecret      Auth = "clientsecret"
	AuthCertificate Auth = "certificate"
	AuthUserPass    Auth = "password"
	AuthAzCLI       Auth = "azcli"
	AuthMSI         Auth = "msi"
	AuthAnonymous   Auth = "anonymous"
	AuthDefault     Auth = "default"
	AuthWorkload    Auth = "workloadidentity"
	AuthToken       Auth = "token" // a bearer token given as token='...' (Azure Data Explorer)
)

// Schemes.
const (
	SchemeLogAnalytics = "loganalytics"
	SchemeLocal        = "local"
	// SchemeKusto is Azure Data Explorer; kusto://, azuredataexplorer:// and adx:// all parse to it.
	SchemeKusto = "kusto"
)

// DemoWorkspace is the local workspace used when nothing else is connected.
const DemoWorkspace = "demo"

// Conn is a parsed connection string.
type Conn struct {
	Scheme                string // SchemeLogAnalytics, SchemeKusto or SchemeLocal
	Workspace             string // LA workspace id; local: "demo" or a directory
	Cluster               string // ADX: "help", a host name or a URL
	Database              string // ADX database
	Alias                 string // defaults to Workspace (ADX: Database; local: "demo" or the directory's base name)
	Auth                  Auth
	Tenant                string
	ClientID              string
	Username              string
	Subscription          string
	Certificate           string // path of a PEM or PFX file
	CertificateThumbprint string
	AppKey                Secret
	ClientSecret          Secret
	Password              Secret
	CertificatePassword   Secret
	Token                 Secret // ADX: a bearer token
	Cloud                 string // "", "public", "china", "usgovernment", "germany"
	Endpoint              string // query API base including /v1; "" means the cloud's default
}

// Name is how Kqlmagic names a connection: "alias@loganalytics", and for Azure Data
// Explorer "alias@cluster" with the cluster's short name ("Samples@help").
func (c Conn) Name() string {
	if c.Scheme == SchemeKusto {
		return c.Alias + "@" + clusterShortName(c.Cluster)
	}
	return c.Alias + "@" + c.Scheme
}

// clusterShortName is the first label of the cluster's host: "help" for
// https://help.kusto.windows.net, "127" would be ugly for an address, so those keep host:port.
func clusterShortName(cluster string) string {
	h := cluster
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	h = strings.TrimRight(h, "/")
	if i := strings.IndexByte(h, '/'); i >= 0 {
		h = h[:i]
	}
	if host := strings.SplitN(h, ":", 2)[0]; strings.Trim(host, "0123456789.") == "" || host == "localhost" {
		return h
	}
	return strings.SplitN(h, ".", 2)[0]
}

// key describes one connection-string key.
type key struct {
	name   string // canonical (normalised) name
	flag   bool   // may appear without a value (code, azcli, msi, ...)
	secret bool
}

var keys = []key{
	{name: "workspace"}, {name: "alias"}, {name: "tenant"}, {name: "clientid"},
	{name: "clientsecret", secret: true}, {name: "appkey", secret: true},
	{name: "code", flag: true}, {name: "username"}, {name: "password", secret: true},
	{name: "certificate"}, {name: "certificatepemfile"}, {name: "certificatethumbprint"},
	{name: "certificatepassword", secret: true},
	{name: "azcli", flag: true}, {name: "subscription"},
	{name: "msi", flag: true}, {name: "managedidentity", flag: true},
	{name: "anonymous", flag: true}, {name: "default", flag: true},
	{name: "workloadidentity", flag: true},
	{name: "cloud"}, {name: "endpoint"}, {name: "datasourceurl"}, {name: "dir"},
	{name: "cluster"}, {name: "datasource"}, {name: "database"}, {name: "token", secret: true},
}

// serviceOnly are the keys that belong to one service's connection strings only.
var serviceOnly = map[string]string{
	"workspace": SchemeLogAnalytics, "endpoint": SchemeLogAnalytics,
	"cluster": SchemeKusto, "datasource": SchemeKusto, "database": SchemeKusto, "token": SchemeKusto,
}

// normScheme maps the scheme names Kqlmagic accepts to ours.
func normScheme(s string) string {
	switch s := normKey(s); s {
	case "azuredataexplorer", "adx", SchemeKusto:
		return SchemeKusto
	default:
		return s
	}
}

func lookupKey(name string) (key, bool) {
	for _, k := range keys {
		if k.name == name {
			return k, true
		}
	}
	return key{}, false
}

// ValidKeys lists the keys a loganalytics connection string accepts, for error messages
// and completion.
func ValidKeys() []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k.name)
	}
	return out
}

// normKey lowercases and drops spaces, '_' and '-' as Kqlmagic does.
func normKey(k string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(k) {
		if r == '_' || r == '-' || r == ' ' || r == '\t' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// pair is one key and its value as written.
type pair struct {
	key, value string
	hasValue   bool
}

// IsConnectionString reports whether s looks like a connection string (scheme://...), so
// the magic parser can tell it from a query.
func IsConnectionString(s string) bool {
	i := strings.Index(s, "://")
	if i <= 0 {
		return false
	}
	switch normScheme(s[:i]) {
	case SchemeLogAnalytics, SchemeLocal, SchemeKusto:
		return true
	}
	return false
}

// Parse parses a connection string. Error messages quote keys, never values of secret
// keys.
func Parse(s string) (Conn, error) {
	s = strings.TrimSpace(s)
	i := strings.Index(s, "://")
	if i <= 0 {
		return Conn{}, errors.New("invalid connection string: expected SCHEME://..., e.g. loganalytics://workspace='ID';appkey='KEY' or local://demo")
	}
	scheme := normScheme(s[:i])
	rest := strings.TrimSpace(s[i+3:])
	switch scheme {
	case SchemeLocal:
		return parseLocal(rest)
	case SchemeLogAnalytics, SchemeKusto:
		return parseService(scheme, rest)
	}
	return Conn{}, fmt.Errorf("invalid connection string: unknown scheme %q (known: loganalytics, kusto, azuredataexplorer, local)", printable(s[:i], 40))
}

func parseLocal(rest string) (Conn, error) {
	c := Conn{Scheme: SchemeLocal}
	if strings.Contains(rest, "=") || strings.Contains(rest, "('") {
		pairs, err := splitPairs(rest)
		if err != nil {
			return Conn{}, err
		}
		for _, p := range pairs {
			switch normKey(p.key) {
			case "dir", "workspace":
				c.Workspace = p.value
			case "alias":
				c.Alias = p.value
			default:
				return Conn{}, fmt.Errorf("invalid connection string: unknown key %q for local:// (known: dir, alias)", printable(p.key, 40))
			}
		}
	} else {
		c.Workspace = rest
	}
	if c.Workspace == "" {
		c.Workspace = DemoWorkspace
	}
	if c.Alias == "" {
		if c.Workspace == DemoWorkspace {
			c.Alias = DemoWorkspace
		} else {
			c.Alias = filepath.Base(filepath.Clean(c.Workspace))
		}
	}
	return c, nil
}

// parseService parses a Log Analytics or Azure Data Explorer connection string: the two
// share their authentication keys and differ in what names the data.
func parseService(scheme, rest string) (Conn, error) {
	pairs, err := splitPairs(rest)
	if err != nil {
		return Conn{}, err
	}
	c := Conn{Scheme: scheme}
	seen := map[string]bool{}
	var flags []string
	for _, p := range pairs {
		name := normKey(p.key)
		k, ok := lookupKey(name)
		if !ok {
			return Conn{}, fmt.Errorf("invalid connection string: unknown key %q (valid keys: %s)", printable(p.key, 40), strings.Join(ValidKeys(), ", "))
		}
		if only, ok := serviceOnly[name]; ok && only != scheme {
			return Conn{}, fmt.Errorf("invalid connection string: key %q is for %s:// connections, not %s://", name, only, scheme)
		}
		if seen[name] {
			return Conn{}, fmt.Errorf("invalid connection string: key %q given twice", name)
		}
		seen[name] = true
		if (!p.hasValue || p.value == "") && !k.flag {
			return Conn{}, fmt.Errorf("invalid connection string: key %q needs a value, e.g. %s='...'", name, name)
		}
		v := p.value
		switch name {
		case "workspace":
			c.Workspace = v
		case "alias":
			c.Alias = v
		case "tenant":
			c.Tenant = v
		case "clientid":
			c.ClientID = v
		case "clientsecret":
			c.ClientSecret = Secret(v)
		case "appkey":
			c.AppKey = Secret(v)
		case "username":
			c.Username = v
		case "password":
			c.Password = Secret(v)
		case "certificate", "certificatepemfile":
			c.Certificate = v
		case "certificatethumbprint":
			c.CertificateThumbprint = v
		case "certificatepassword":
			c.CertificatePassword = Secret(v)
		case "subscription":
			c.Subscription = v
		case "cloud":
			cl, err := normCloud(v)
			if err != nil {
				return Conn{}, err
			}
			c.Cloud = cl
		case "endpoint":
			c.Endpoint = strings.TrimRight(v, "/")
		case "datasourceurl":
			// Kqlmagic's data_source_url: the query endpoint of either service.
			if scheme == SchemeKusto {
				c.Cluster = strings.TrimRight(v, "/")
			} else {
				c.Endpoint = strings.TrimRight(v, "/")
			}
		case "cluster", "datasource":
			c.Cluster = strings.TrimRight(v, "/")
		case "database":
			c.Database = v
		case "token":
			c.Token = Secret(v)
		case "dir":
			return Conn{}, errors.New("invalid connection string: dir= is for local:// connections")
		case "managedidentity":
			// managed_identity='CLIENT_ID' names a user-assigned identity.
			if p.hasValue && v != "" && c.ClientID == "" {
				c.ClientID = v
			}
			flags = append(flags, "msi")
		case "code", "azcli", "msi", "anonymous", "default", "workloadidentity":
			if p.hasValue && v != "" {
				if name == "msi" && c.ClientID == "" {
					c.ClientID = v
				} else {
					return Conn{}, fmt.Errorf("invalid connection string: key %q takes no value", name)
				}
			}
			flags = append(flags, name)
		}
	}
	switch scheme {
	case SchemeKusto:
		if c.Cluster == "" {
			return Conn{}, errors.New("invalid connection string: cluster='CLUSTER' is missing (e.g. cluster='help' or cluster='https://NAME.REGION.kusto.windows.net')")
		}
		if c.Database == "" {
			return Conn{}, errors.New("invalid connection string: database='DATABASE' is missing")
		}
	default:
		if c.Workspace == "" {
			return Conn{}, errors.New("invalid connection string: workspace='WORKSPACE_ID' is missing")
		}
	}
	if err := c.pickAuth(seen, flags); err != nil {
		return Conn{}, err
	}
	if c.Alias == "" {
		c.Alias = c.Workspace
		if scheme == SchemeKusto {
			c.Alias = c.Database
		}
	}
	if c.Endpoint != "" && !strings.HasPrefix(c.Endpoint, "http://") && !strings.HasPrefix(c.Endpoint, "https://") {
		return Conn{}, fmt.Errorf("invalid connection string: endpoint must start with http:// or https:// (got %q)", printable(c.Endpoint, 80))
	}
	return c, nil
}

// pickAuth chooses the authentication method from the keys present, rejecting
// combinations that mean two different things.
func (c *Conn) pickAuth(seen map[string]bool, flags []string) error {
	var methods []Auth
	for _, f := range flags {
		switch f {
		case "code":
			methods = append(methods, AuthDeviceCode)
		case "azcli":
			methods = append(methods, AuthAzCLI)
		case "msi":
			methods = append(methods, AuthMSI)
		case "anonymous":
			methods = append(methods, AuthAnonymous)
		case "default":
			methods = append(methods, AuthDefault)
		case "workloadidentity":
			methods = append(methods, AuthWorkload)
		}
	}
	if seen["appkey"] {
		methods = append(methods, AuthAppKey)
	}
	if seen["clientsecret"] {
		methods = append(methods, AuthSecret)
	}
	if seen["certificate"] || seen["certificatepemfile"] {
		methods = append(methods, AuthCertificate)
	}
	if seen["password"] {
		methods = append(methods, AuthUserPass)
	}
	if seen["token"] {
		methods = append(methods, AuthToken)
	}
	switch len(methods) {
	case 0:
		if seen["clientid"] && !seen["tenant"] {
			return errors.New("invalid connection string: clientid needs tenant and clientsecret (or certificate)")
		}
		return errors.New("invalid connection string: no authentication given; add one of appkey='KEY', code, tenant/clientid/clientsecret, certificate, azcli, msi, default, workloadidentity, anonymous")
	case 1:
	default:
		names := make([]string, len(methods))
		for i, m := range methods {
			names[i] = string(m)
		}
		return fmt.Errorf("invalid connection string: more than one authentication method (%s); keep one", strings.Join(names, ", "))
	}
	c.Auth = methods[0]
	switch c.Auth {
	case AuthSecret, AuthCertificate:
		if c.ClientID == "" {
			return fmt.Errorf("invalid connection string: %s needs clientid='APP_ID'", c.Auth)
		}
		if c.Tenant == "" {
			return fmt.Errorf("invalid connection string: %s needs tenant='TENANT_ID'", c.Auth)
		}
	case AuthUserPass:
		if c.Username == "" {
			return errors.New("invalid connection string: password needs username='USER'")
		}
	}
	if seen["certificatethumbprint"] && c.Auth != AuthCertificate {
		return errors.New("invalid connection string: certificate_thumbprint needs certificate='FILE'")
	}
	return nil
}

func normCloud(v string) (string, error) {
	switch normKey(v) {
	case "", "public", "azurecloud", "azurepubliccloud":
		return "public", nil
	case "china", "azurechinacloud", "mooncake":
		return "china", nil
	case "usgovernment", "usgov", "government", "azureusgovernment", "fairfax", "azureusgovernmentcloud":
		return "usgovernment", nil
	case "germany", "azuregermancloud", "blackforest":
		return "germany", nil
	}
	return "", fmt.Errorf("invalid connection string: unknown cloud %q (known: public, china, usgovernment, germany)", printable(v, 40))
}

// splitPairs splits `k='v';k2;k3="v3"` or `k('v').k2('v2')` into pairs. Quoted values may
// contain ';' and ')'.
func splitPairs(s string) ([]pair, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	lp := strings.IndexByte(s, '(')
	eq := strings.IndexByte(s, '=')
	sc := strings.IndexByte(s, ';')
	if lp >= 0 && (eq < 0 || lp < eq) && (sc < 0 || lp < sc) {
		return splitParen(s)
	}
	var out []pair
	for len(s) > 0 {
		s = strings.TrimLeft(s, " \t\r\n")
		if s == "" {
			break
		}
		if s[0] == ';' {
			s = s[1:]
			continue
		}
		end := strings.IndexAny(s, "=;")
		if end < 0 {
			out = append(out, pair{key: strings.TrimSpace(s)})
			break
		}
		k := strings.TrimSpace(s[:end])
		if k == "" {
			return nil, errors.New("invalid connection string: a value without a key")
		}
		if s[end] == ';' {
			out = append(out, pair{key: k})
			s = s[end+1:]
			continue
		}
		s = strings.TrimLeft(s[end+1:], " \t")
		v, n, err := readValue(s, k)
		if err != nil {
			return nil, err
		}
		s = strings.TrimLeft(s[n:], " \t\r\n")
		if s != "" && s[0] != ';' {
			return nil, fmt.Errorf("invalid connection string: expected ';' after the value of %q", printable(k, 40))
		}
		out = append(out, pair{key: k, value: v, hasValue: true})
	}
	return out, nil
}

// readValue reads a quoted or bare value at the start of s (the bare value ends at ';').
// It returns the value and how many bytes it used.
func readValue(s, k string) (string, int, error) {
	if strings.HasPrefix(s, `"""`) {
		end := strings.Index(s[3:], `"""`)
		if end < 0 {
			return "", 0, fmt.Errorf("invalid connection string: unterminated \"\"\" in the value of %q", printable(k, 40))
		}
		return s[3 : 3+end], end + 6, nil
	}
	if s != "" && (s[0] == '\'' || s[0] == '"') {
		q := s[0]
		end := strings.IndexByte(s[1:], q)
		if end < 0 {
			return "", 0, fmt.Errorf("invalid connection string: unterminated quote in the value of %q", printable(k, 40))
		}
		return s[1 : 1+end], end + 2, nil
	}
	end := strings.IndexByte(s, ';')
	if end < 0 {
		end = len(s)
	}
	return strings.TrimSpace(s[:end]), end, nil
}

func splitParen(s string) ([]pair, error) {
	var out []pair
	first := true
	for {
		s = strings.TrimSpace(s)
		if s == "" {
			break
		}
		if !first {
			if s[0] != '.' {
				return nil, errors.New("invalid connection string: expected '.' between key('value') parts")
			}
			s = strings.TrimSpace(s[1:])
			if s == "" {
				break
			}
		}
		first = false
		lp := strings.IndexByte(s, '(')
		if lp < 0 {
			return nil, errors.New("invalid connection string: missing '(' after a key")
		}
		k := strings.TrimSpace(s[:lp])
		if k == "" {
			return nil, errors.New("invalid connection string: missing key before '('")
		}
		s = strings.TrimSpace(s[lp+1:])
		var v string
		if s != "" && (s[0] == '\'' || s[0] == '"') {
			val, n, err := readValue(s, k)
			if err != nil {
				return nil, err
			}
			v = val
			s = strings.TrimSpace(s[n:])
			if s == "" || s[0] != ')' {
				return nil, fmt.Errorf("invalid connection string: missing ')' after the value of %q", printable(k, 40))
			}
			s = s[1:]
		} else {
			rp := strings.IndexByte(s, ')')
			if rp < 0 {
				return nil, fmt.Errorf("invalid connection string: missing ')' after the value of %q", printable(k, 40))
			}
			v = strings.TrimSpace(s[:rp])
			s = s[rp+1:]
		}
		out = append(out, pair{key: k, value: v, hasValue: v != ""})
	}
	return out, nil
}

// Masked returns the connection as a canonical connection string with every secret
// replaced by ***, for `%kql --list` and error messages.
func (c Conn) Masked() string {
	if c.Scheme == SchemeLocal {
		if c.Alias == c.Workspace || (c.Workspace != DemoWorkspace && c.Alias == filepath.Base(filepath.Clean(c.Workspace))) {
			return "local://" + c.Workspace
		}
		return fmt.Sprintf("local://dir='%s';alias='%s'", c.Workspace, c.Alias)
	}
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, fmt.Sprintf("%s='%s'", k, v))
		}
	}
	sec := func(k string, v Secret) {
		if v != "" {
			parts = append(parts, k+"='"+masked+"'")
		}
	}
	switch c.Auth {
	case AuthDeviceCode, AuthAzCLI, AuthAnonymous, AuthDefault, AuthWorkload:
		parts = append(parts, string(c.Auth))
	case AuthMSI:
		parts = append(parts, "msi")
	}
	add("tenant", c.Tenant)
	add("clientid", c.ClientID)
	sec("clientsecret", c.ClientSecret)
	add("certificate", c.Certificate)
	add("certificate_thumbprint", c.CertificateThumbprint)
	sec("certificate_password", c.CertificatePassword)
	add("username", c.Username)
	sec("password", c.Password)
	add("subscription", c.Subscription)
	add("workspace", c.Workspace)
	add("cluster", c.Cluster)
	add("database", c.Database)
	sec("appkey", c.AppKey)
	sec("token", c.Token)
	add("alias", c.Alias)
	add("cloud", c.Cloud)
	add("endpoint", c.Endpoint)
	return c.Scheme + "://" + strings.Join(parts, ";")
}

// Secrets returns the connection's secret values (non-empty), so callers can scrub them
// from any text that leaves the process (errors from services, logs).
func (c Conn) Secrets() []string {
	var out []string
	for _, s := range []Secret{c.AppKey, c.ClientSecret, c.Password, c.CertificatePassword, c.Token} {
		if s != "" {
			out = append(out, string(s))
		}
	}
	return out
}

// Scrub replaces every secret of the connection in text by ***.
func (c Conn) Scrub(text string) string {
	secrets := c.Secrets()
	// Longest first, so a secret containing another is replaced whole.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	for _, s := range slices.Compact(secrets) {
		text = strings.ReplaceAll(text, s, masked)
	}
	return text
}

// ScrubString removes secrets that may appear in a raw connection string the user typed
// (before or without parsing it), e.g. in an error message or the history: the values of
// secret keys become ***.
func ScrubString(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		// Find key=value boundaries cheaply: any secret key name followed by '=' or '('.
		at, n, ok := indexSecretKey(s[i:])
		if !ok {
			b.WriteString(s[i:])
			break
		}
		start := i + at + n // just past '=' or '('
		b.WriteString(s[i:start])
		rest := s[start:]
		trim := len(rest) - len(strings.TrimLeft(rest, " \t"))
		b.WriteString(rest[:trim])
		rest = rest[trim:]
		if rest != "" && (rest[0] == '\'' || rest[0] == '"') {
			end := strings.IndexByte(rest[1:], rest[0])
			if end < 0 {
				n = len(rest)
			} else {
				n = end + 2
			}
			b.WriteByte(rest[0])
			b.WriteString(masked)
			if end >= 0 {
				b.WriteByte(rest[0])
			}
		} else {
			end := strings.IndexAny(rest, ";)\n \t")
			if end < 0 {
				end = len(rest)
			}
			n = end
			if n > 0 {
				b.WriteString(masked)
			}
		}
		i = start + trim + n
	}
	return b.String()
}

// indexSecretKey finds the first secret key (in any spelling: app_key, AppKey, ...)
// followed by '=' or '(' and returns where it starts and its length including the '='.
func indexSecretKey(s string) (at, n int, ok bool) {
	// ASCII-only lowering keeps byte offsets equal to those of s.
	lower := []byte(s)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	for pos := 0; pos < len(lower); pos++ {
		if c := lower[pos]; c != '=' && c != '(' {
			continue
		}
		k := pos
		for k > 0 && (lower[k-1] == ' ' || lower[k-1] == '\t') {
			k--
		}
		for k > 0 {
			ch := lower[k-1]
			if ch >= 'a' && ch <= 'z' || ch == '_' || ch == '-' || ch >= '0' && ch <= '9' {
				k--
				continue
			}
			break
		}
		if kk, found := lookupKey(normKey(string(lower[k:pos]))); found && kk.secret {
			return k, pos + 1 - k, true
		}
	}
	return 0, 0, false
}

// printable shortens s for an error message.
func printable(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}
