// Package magic is the notebook language on top of KQL: plain cells are KQL, and %kql
// (line) and %%kql (cell) magics take Kqlmagic's options and connection strings. It keeps
// the session's state (connections and aliases, let parameters, named results) and
// implements kernel.Interpreter.
package magic

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/connstr"
	"github.com/kqlkernel/kqlkernel/backend/kusto"
	"github.com/kqlkernel/kqlkernel/backend/local"
	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
	"github.com/kqlkernel/kqlkernel/kernel"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/render"
	"github.com/kqlkernel/kqlkernel/table"
)

// Config sets up an Interpreter. The zero value works: the demo workspace, environment
// variables from the process, Log Analytics through azlogs.
type Config struct {
	Version string
	// Getenv reads KQL_CONNECTION_STR / KQLMAGIC_CONNECTION_STR and $VAR references in
	// connection strings; nil means os.Getenv.
	Getenv func(string) string
	// Connect builds the backend of a loganalytics:// connection; nil means
	// loganalytics.New. prompt shows device-code sign-in text in the running cell.
	Connect func(conn connstr.Conn, prompt func(ctx context.Context, msg string)) (backend.Backend, error)
	// OpenLocal opens a local workspace ("demo" or a directory); nil means local.Open.
	OpenLocal func(where string) (*local.Backend, error)
	// Now is the clock for -timespan; nil means time.Now.
	Now func() time.Time
	// StatusDelay is how long a query runs before a live "Running (...)" status appears
	// (then updated in place every second); zero means 700 ms.
	StatusDelay time.Duration
}

// Interpreter is the KQL notebook language. Methods are called from one goroutine at a
// time (the kernel's shell loop), except that the device-code prompt may come from the
// credential's goroutine while a cell runs.
type Interpreter struct {
	cfg Config

	conns   []*connection // in the order they were added
	current *connection   // nil until the user connects: queries go to the demo workspace
	demo    *connection   // the local demo workspace, opened on first use

	defaults Options
	params   []param                 // session let statements, in definition order
	results  map[string]*table.Table // named results (--as)

	startupErr error // a bad KQL_CONNECTION_STR, shown at the first cell

	mu  sync.Mutex
	out kernel.Output // the running cell's output, for the device-code prompt

	cell string // the running cell's code, to place error positions in it
}

// connection is one connection of the session.
type connection struct {
	conn   connstr.Conn
	be     backend.Backend
	schema *backend.Schema // cached on first completion
	// schemaFailed is when fetching the schema last failed: completion doesn't ask a
	// service that is down again for a minute.
	schemaFailed time.Time
}

// param is a session parameter: a let statement prepended to later queries.
type param struct {
	name string
	text string // "let name = ..." without the ';'
}

// MaxInlineRows and MaxInlineBytes bound a named result sent to a service as a datatable.
const (
	MaxInlineRows  = 10_000
	MaxInlineBytes = 1 << 20
)

// New returns an interpreter. A connection string in KQL_CONNECTION_STR (or
// KQLMAGIC_CONNECTION_STR) becomes the first, current connection.
func New(cfg Config) (*Interpreter, error) {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.StatusDelay == 0 {
		cfg.StatusDelay = 700 * time.Millisecond
	}
	in := &Interpreter{cfg: cfg, defaults: defaultOptions(), results: map[string]*table.Table{}}
	for _, env := range []string{"KQL_CONNECTION_STR", "KQLMAGIC_CONNECTION_STR"} {
		if s := strings.TrimSpace(cfg.Getenv(env)); s != "" {
			c, err := in.connect(s)
			if err != nil {
				in.startupErr = fmt.Errorf("%s: %w", env, err)
			} else {
				in.current = c
			}
			break
		}
	}
	return in, nil
}

// Info describes KQL for kernel_info_reply.
func (in *Interpreter) Info() kernel.LanguageInfo {
	v := in.cfg.Version
	if v == "" {
		v = "dev"
	}
	return kernel.LanguageInfo{
		Name: "kql", Version: v, Mimetype: "text/x-kql", FileExtension: ".kql",
		PygmentsLexer: "kql", CodemirrorMode: "kql",
		Banner: "kqlkernel " + v + ": KQL for Jupyter. Plain cells are KQL; %kql --help for magics and connections.",
		HelpLinks: []kernel.HelpLink{
			{Text: "KQL reference", URL: "https://learn.microsoft.com/kusto/query/"},
			{Text: "Kqlmagic", URL: "https://github.com/microsoft/jupyter-Kqlmagic"},
		},
	}
}

// lockedOutput serialises calls to the kernel's Output from the ticker, the prompt and
// the cell.
type lockedOutput struct {
	mu  sync.Mutex
	out kernel.Output
}

func (l *lockedOutput) Display(b kernel.Bundle) { l.mu.Lock(); defer l.mu.Unlock(); l.out.Display(b) }
func (l *lockedOutput) Update(b kernel.Bundle)  { l.mu.Lock(); defer l.mu.Unlock(); l.out.Update(b) }
func (l *lockedOutput) Stream(name, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.out.Stream(name, text)
}
func (l *lockedOutput) Clear(wait bool) { l.mu.Lock(); defer l.mu.Unlock(); l.out.Clear(wait) }

// Execute runs one cell.
func (in *Interpreter) Execute(ctx context.Context, req kernel.ExecuteRequest, out kernel.Output) (*kernel.Bundle, error) {
	lo := &lockedOutput{out: out}
	in.mu.Lock()
	in.out = lo
	in.mu.Unlock()
	in.cell = req.Code
	defer func() {
		in.mu.Lock()
		in.out = nil
		in.mu.Unlock()
	}()
	if in.startupErr != nil {
		err := in.startupErr
		in.startupErr = nil
		lo.Display(toKernel(render.Warning(in.scrub(err.Error()))))
	}
	units, err := splitCell(req.Code)
	if err != nil {
		return nil, &kernel.ExecError{Name: "UsageError", Value: in.scrub(err.Error()), Traceback: []string{in.scrub(err.Error())}}
	}
	var result *kernel.Bundle
	for _, u := range units {
		if result != nil {
			// An earlier query's result is shown before the next one runs.
			lo.Display(*result)
			result = nil
		}
		if u.kind == unitClear {
			lo.Clear(false)
			continue
		}
		b, err := in.runUnit(ctx, u, lo, req.Silent)
		if err != nil {
			return nil, err
		}
		result = b
	}
	if req.Silent {
		return nil, nil
	}
	return result, nil
}

// usage wraps a user error in a cell (bad option, unknown alias ...).
func (in *Interpreter) usage(format string, args ...any) error {
	msg := in.scrub(fmt.Sprintf(format, args...))
	return &kernel.ExecError{Name: "UsageError", Value: firstLine(msg), Traceback: strings.Split(msg, "\n")}
}

// unquote removes one pair of matching quotes around s.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// runUnit runs one %kql line, %%kql query or plain query.
func (in *Interpreter) runUnit(ctx context.Context, u unit, out kernel.Output, silent bool) (*kernel.Bundle, error) {
	opts := in.defaults
	var ignored []string
	for _, s := range u.head.opts {
		if s.def.ignored {
			ignored = append(ignored, "-"+s.def.name)
		}
		if err := s.def.apply(&opts, s.val); err != nil {
			return nil, in.usage("%v", err)
		}
	}
	if u.head.resultAs != "" {
		opts.As = u.head.resultAs
	}
	if len(ignored) > 0 {
		out.Display(toKernel(render.Warning("Kqlmagic option(s) " + strings.Join(ignored, ", ") + " have no effect in kqlkernel")))
	}
	if u.head.command != "" {
		return in.command(ctx, u.head.command, u.head.topic)
	}
	var target *connection
	if u.head.conn != "" {
		c, err := in.connect(u.head.conn)
		if err != nil {
			return nil, in.usage("%v", err)
		}
		in.current = c
		target = c
	}
	if opts.Conn != "" {
		c, err := in.lookupOrConnect(opts.Conn)
		if err != nil {
			return nil, in.usage("%v", err)
		}
		target = c
	}
	query := u.query
	if opts.Query != "" {
		query = opts.Query
	}
	if strings.TrimSpace(query) == "" {
		switch {
		case u.head.conn != "":
			return textBundle(" * " + target.conn.Name()), nil
		case len(u.head.opts) > 0:
			return in.setDefaults(u.head.opts)
		case u.magic:
			// A bare %kql names the current connection, as Kqlmagic does.
			if in.current == nil {
				return textBundle(" * demo@local (no connection: queries run on the local demo workspace)"), nil
			}
			return textBundle(" * " + in.current.conn.Name()), nil
		}
		return nil, nil
	}
	if lets, ok := onlyLets(query); ok && opts.As == "" {
		// Check the syntax now: a broken parameter would break every later query.
		var check strings.Builder
		for _, p := range lets {
			check.WriteString(p.text + ";\n")
		}
		src := check.String()
		if _, errs := syntax.Parse(src + "print 0"); len(errs) > 0 {
			e := errs[0]
			text := syntax.FormatError(src, &syntax.Error{Offset: min(e.Offset, len(src)), Len: e.Len, Msg: e.Msg, Hint: e.Hint})
			return nil, &kernel.ExecError{Name: "SyntaxError", Value: in.scrub(firstLine(text)), Traceback: strings.Split(in.scrub(text), "\n")}
		}
		in.setParams(lets)
		if !opts.Feedback || silent {
			return nil, nil
		}
		names := make([]string, len(lets))
		for i, p := range lets {
			names[i] = p.name
		}
		out.Display(*textBundle("Session parameters set: " + strings.Join(names, ", ") + " (prepended to later queries; %kql --params lists them)"))
		return nil, nil
	}
	if target == nil {
		c, err := in.active()
		if err != nil {
			return nil, in.usage("%v", err)
		}
		target = c
	}
	return in.runQuery(ctx, target, query, opts, out)
}

// setDefaults makes a %kql line of only options the session's defaults.
func (in *Interpreter) setDefaults(settings []setting) (*kernel.Bundle, error) {
	var names []string
	for _, s := range settings {
		if s.def.noCell {
			return nil, in.usage("-%s applies to one query; give it a query too", s.def.name)
		}
		if err := s.def.apply(&in.defaults, s.val); err != nil {
			return nil, in.usage("%v", err)
		}
		names = append(names, s.def.name)
	}
	return textBundle("Session options set: " + strings.Join(names, ", ")), nil
}

func (in *Interpreter) setParams(lets []param) {
	for _, p := range lets {
		replaced := false
		for i := range in.params {
			if in.params[i].name == p.name {
				in.params[i] = p
				replaced = true
			}
		}
		if !replaced {
			in.params = append(in.params, p)
		}
	}
}

// active returns the current connection, or the demo workspace when there is none.
func (in *Interpreter) active() (*connection, error) {
	if in.current != nil {
		return in.current, nil
	}
	return in.demoConn()
}

func (in *Interpreter) demoConn() (*connection, error) {
	if in.demo != nil {
		return in.demo, nil
	}
	c, err := in.connect("local://demo")
	if err != nil {
		return nil, err
	}
	in.demo = c
	return c, nil
}

// envValue matches a connection-string value that is wholly an environment variable
// reference: appkey='$LA_KEY', appkey=${LA_KEY}, appkey('$LA_KEY').
var envValue = regexp.MustCompile(`([=(]\s*['"]?)\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)(['"]?\s*(?:;|\)|$))`)

// expandEnv replaces values that are $NAME or ${NAME} with the environment variable, so
// secrets can stay out of the notebook (as Kqlmagic allows). A value that merely contains
// '$', or names an unset variable, is left as written.
func (in *Interpreter) expandEnv(s string) string {
	return envValue.ReplaceAllStringFunc(s, func(m string) string {
		sub := envValue.FindStringSubmatch(m)
		name := strings.Trim(sub[2], "{}")
		v := in.cfg.Getenv(name)
		if v == "" {
			return m
		}
		return sub[1] + v + sub[3]
	})
}

// lookup finds a connection by alias or alias@scheme.
func (in *Interpreter) lookup(ref string) *connection {
	ref = unquote(ref)
	for _, c := range in.conns {
		if c.conn.Name() == ref || strings.EqualFold(c.conn.Name(), ref) || c.conn.Alias == ref {
			return c
		}
	}
	return nil
}

func (in *Interpreter) lookupOrConnect(ref string) (*connection, error) {
	if c := in.lookup(ref); c != nil {
		return c, nil
	}
	if isConnString(ref) {
		return in.connect(ref)
	}
	if strings.EqualFold(ref, "demo@local") || strings.EqualFold(ref, "demo") {
		return in.demoConn()
	}
	return nil, fmt.Errorf("no connection named %q; %s", ref, in.connList())
}

func (in *Interpreter) connList() string {
	if len(in.conns) == 0 {
		return "there are no connections yet (connect with %kql loganalytics://workspace='ID';appkey='KEY';alias='NAME', or %kql local://DIR)"
	}
	names := make([]string, len(in.conns))
	for i, c := range in.conns {
		names[i] = c.conn.Name()
	}
	return "connections: " + strings.Join(names, ", ")
}

// connect adds (or replaces, by alias) a connection and returns it. ref may also name an
// existing connection (alias@scheme).
func (in *Interpreter) connect(ref string) (*connection, error) {
	ref = unquote(strings.TrimSpace(ref))
	if !isConnString(ref) {
		if c := in.lookup(ref); c != nil {
			return c, nil
		}
		if strings.EqualFold(ref, "demo@local") {
			return in.demoConn()
		}
		return nil, fmt.Errorf("no connection named %q; %s", ref, in.connList())
	}
	conn, err := connstr.Parse(in.expandEnv(ref))
	if err != nil {
		return nil, err
	}
	var be backend.Backend
	switch conn.Scheme {
	case connstr.SchemeLocal:
		open := in.cfg.OpenLocal
		if open == nil {
			open = local.Open
		}
		lb, err := open(conn.Workspace)
		if err != nil {
			return nil, err
		}
		be = lb
	case connstr.SchemeLogAnalytics:
		connectFn := in.cfg.Connect
		if connectFn == nil {
			connectFn = func(c connstr.Conn, prompt func(context.Context, string)) (backend.Backend, error) {
				return loganalytics.New(c, loganalytics.Options{Prompt: prompt})
			}
		}
		be, err = connectFn(conn, in.prompt)
		if err != nil {
			return nil, fmt.Errorf("connecting %s: %s", conn.Name(), conn.Scrub(err.Error()))
		}
	case connstr.SchemeKusto:
		be, err = kusto.New(conn, kusto.Options{Prompt: in.prompt})
		if err != nil {
			return nil, fmt.Errorf("connecting %s: %s", conn.Name(), conn.Scrub(err.Error()))
		}
	default:
		return nil, fmt.Errorf("unsupported connection scheme %s://", conn.Scheme)
	}
	c := &connection{conn: conn, be: be}
	for i, old := range in.conns {
		if old.conn.Name() == conn.Name() {
			in.conns[i] = c
			if in.current == old {
				in.current = c
			}
			if in.demo == old {
				in.demo = c
			}
			return c, nil
		}
	}
	in.conns = append(in.conns, c)
	return c, nil
}

// prompt writes device-code sign-in instructions to the running cell.
func (in *Interpreter) prompt(ctx context.Context, msg string) {
	in.mu.Lock()
	out := in.out
	in.mu.Unlock()
	if out == nil {
		fmt.Fprintln(os.Stderr, msg)
		return
	}
	out.Stream("stdout", msg+"\n")
}

// scrub removes every known secret from text that leaves the interpreter.
func (in *Interpreter) scrub(s string) string {
	for _, c := range in.conns {
		s = c.conn.Scrub(s)
	}
	return connstr.ScrubString(s)
}

func textBundle(s string) *kernel.Bundle {
	return &kernel.Bundle{Data: map[string]any{"text/plain": s}, Metadata: map[string]any{}}
}

func toKernel(b render.Bundle) kernel.Bundle {
	data, meta := b.Data, b.Metadata
	if data == nil {
		data = map[string]any{}
	}
	if meta == nil {
		meta = map[string]any{}
	}
	return kernel.Bundle{Data: data, Metadata: meta}
}

// sortedResultNames lists the named results.
func (in *Interpreter) sortedResultNames() []string {
	names := make([]string, 0, len(in.results))
	for n := range in.results {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var errNoRows = errors.New("the query returned no table")

// RedactHistory returns code as the history should keep it: every secret of a connection
// string (appkey, clientsecret, password, ...) and every secret of a known connection
// replaced by ***. The kernel calls it, when the interpreter has it, before storing a cell
// in the history, so history_request never returns a secret.
func (in *Interpreter) RedactHistory(code string) string { return in.scrub(code) }
