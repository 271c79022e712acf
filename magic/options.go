package magic

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Options are the settings of one query (session defaults overridden by the cell's).
type Options struct {
	Timespan     string        // as written: 1d, P1D, START/END ...
	Start, End   time.Time     // resolved from Timespan at run time
	Timeout      time.Duration // server timeout (Prefer: wait=N)
	DisplayLimit int           // rows shown per table; 0 = renderer default; < 0 all
	ShowQuery    bool
	Feedback     bool // status line
	SaveAs       string
	As           string // keep the result under this name
	Conn         string // alias or connection string (-conn)
	Query        string // -query
	Stdout       bool   // write the table as text to stdout
	Workspaces   []string
	Properties   []string // client request properties as `set name[=value]` statements
	ChartWidth   int      // chart size in CSS pixels; 0 = the renderer's default
	ChartHeight  int
	ChartDPI     int
}

// defaultOptions are the session's starting settings.
func defaultOptions() Options {
	return Options{Feedback: true}
}

type optKind uint8

const (
	optBool optKind = iota
	optInt
	optString
	optDuration
	optList
)

// optDef is one option: its canonical name, short forms, kind and help.
type optDef struct {
	name   string
	short  []string
	kind   optKind
	help   string
	apply  func(o *Options, v value) error
	noCell bool // meaningful only per cell (not as a session default)
	// ignored marks Kqlmagic options that have no meaning here (pandas, plotly, popups):
	// accepted so Kqlmagic notebooks run, with a note that they do nothing.
	ignored bool
}

// value is a parsed option value.
type value struct {
	b    bool
	i    int
	s    string
	d    time.Duration
	list []string
}

// optionDefs are every option %kql takes, then Kqlmagic's ignored ones. Read-only.
var optionDefs = append(kqlOptions(), ignoredOptions()...)

func kqlOptions() []optDef {
	return []optDef{
		{name: "timespan", short: []string{"ts"}, kind: optString, help: "time range applied to TimeGenerated, as the Log Analytics API does: 1d, 12h, P1D, PT6H, START/END or START/DURATION (ISO 8601)",
			apply: func(o *Options, v value) error {
				if _, _, err := parseTimespan(v.s, time.Now()); err != nil {
					return err
				}
				o.Timespan = v.s
				return nil
			}},
		{name: "timeout", short: []string{"to", "wait", "server_timeout", "st"}, kind: optDuration, help: "server timeout: seconds (180) or a timespan (3m)",
			apply: func(o *Options, v value) error { o.Timeout = v.d; return nil }},
		{name: "display_limit", short: []string{"dl"}, kind: optInt, help: "rows shown per table (-1: all); the whole result is still kept",
			apply: func(o *Options, v value) error { o.DisplayLimit = v.i; return nil }},
		{name: "show_query", short: []string{"sq"}, kind: optBool, help: "show the query text sent (with parameters and inlined named results)",
			apply: func(o *Options, v value) error { o.ShowQuery = v.b; return nil }},
		{name: "feedback", short: []string{"f"}, kind: optBool, help: "show the status line \"Done (00:00.952): 1 records\"; -!feedback hides it (stable docs builds)",
			apply: func(o *Options, v value) error { o.Feedback = v.b; return nil }},
		{name: "save_as", short: []string{"sa"}, kind: optString, help: "save the result to FILE.csv or FILE.json", noCell: true,
			apply: func(o *Options, v value) error {
				if saveFormat(v.s) == "" {
					return fmt.Errorf("-save_as %s: the file name must end in .csv or .json", v.s)
				}
				o.SaveAs = v.s
				return nil
			}},
		{name: "as", short: []string{"name"}, kind: optString, help: "keep the result under NAME: later queries use it as a table (inlined as a datatable on services)", noCell: true,
			apply: func(o *Options, v value) error {
				if !validName(v.s) {
					return fmt.Errorf("--as %q: a result name must be an identifier (letters, digits, _)", v.s)
				}
				o.As = v.s
				return nil
			}},
		{name: "conn", short: []string{"c", "connection"}, kind: optString, help: "run on connection ALIAS (or a connection string) without switching the current one", noCell: true,
			apply: func(o *Options, v value) error { o.Conn = v.s; return nil }},
		{name: "query", short: []string{"q"}, kind: optString, help: "the query text (instead of the rest of the line)", noCell: true,
			apply: func(o *Options, v value) error { o.Query = v.s; return nil }},
		{name: "stdout", kind: optBool, help: "also write the result table as plain text to stdout", noCell: true,
			apply: func(o *Options, v value) error { o.Stdout = v.b; return nil }},
		{name: "chart_width", short: []string{"cw"}, kind: optInt, help: "chart width in pixels (default 900)",
			apply: func(o *Options, v value) error { return positive("chart_width", v.i, &o.ChartWidth) }},
		{name: "chart_height", short: []string{"ch"}, kind: optInt, help: "chart height in pixels (default 450)",
			apply: func(o *Options, v value) error { return positive("chart_height", v.i, &o.ChartHeight) }},
		{name: "chart_dpi", kind: optInt, help: "chart resolution (default 96; 192 for sharp images on high-density screens)",
			apply: func(o *Options, v value) error { return positive("chart_dpi", v.i, &o.ChartDPI) }},
		{name: "workspaces", short: []string{"ws"}, kind: optList, help: "query more workspaces too: +workspaces=['id1','id2'] (Log Analytics)",
			apply: func(o *Options, v value) error { o.Workspaces = v.list; return nil }},
	}
}

// requestProperties are Kusto client request properties Kqlmagic takes as +name=value;
// they become `set name=value;` statements before the query.
var requestProperties = []string{
	"block_splitting_enabled", "database_pattern", "deferpartialqueryfailures",
	"max_memory_consumption_per_query_per_node", "maxmemoryconsumptionperiterator", "maxoutputcolumns",
	"norequesttimeout", "notruncation", "push_selection_through_aggregation", "query_bin_auto_at",
	"query_bin_auto_size", "query_cursor_after_default", "query_cursor_before_or_at_default",
	"query_cursor_current", "query_datascope", "query_datetimescope_column", "query_datetimescope_from",
	"query_datetimescope_to", "query_distribution_nodes_span", "query_fanout_nodes_percent",
	"query_fanout_threads_percent", "query_language", "query_max_entities_in_union", "query_now",
	"query_take_max_records", "queryconsistency", "request_callout_disabled", "request_readonly",
	"response_dynamic_serialization", "results_progressive_enabled", "sandboxed_execution_disabled",
	"servertimeout", "truncationmaxrecords", "truncationmaxsize", "validate_permissions",
}

// propertyDef is the option behind every +property.
var propertyDef = &optDef{name: "query_properties", kind: optString, help: "client request properties: +notruncation, +truncationmaxrecords=N, +query_now=datetime(...)",
	apply: func(o *Options, v value) error {
		o.Properties = append(append([]string(nil), o.Properties...), v.s)
		return nil
	}}

func findProperty(name string) (string, bool) {
	n := strings.ToLower(name)
	for _, p := range requestProperties {
		if p == n || normOpt(p) == normOpt(n) {
			return p, true
		}
	}
	return "", false
}

// kqlmagicIgnored are Kqlmagic options about its Python display stack; kqlkernel accepts
// and ignores them (with a note) so that cells written for Kqlmagic run unchanged.
var kqlmagicIgnored = []struct {
	name  string
	short []string
	kind  optKind
}{
	{"auto_dataframe", []string{"ad"}, optBool}, {"short_errors", []string{"se"}, optBool},
	{"columns_to_local_vars", []string{"c2lv"}, optBool}, {"show_query_time", []string{"sqt"}, optBool},
	{"enable_suppress_result", []string{"esr"}, optBool}, {"plotly_fs_includejs", []string{"pfi"}, optBool},
	{"popup_window", []string{"pw"}, optBool}, {"auto_popup_schema", []string{"aps"}, optBool},
	{"validate_connection_string", []string{"vc"}, optBool}, {"palette_reverse", []string{"pr"}, optBool},
	{"popup_schema", []string{"ps"}, optBool}, {"enable_sso", nil, optBool},
	{"show_conn_info", []string{"sci"}, optString}, {"auto_limit", []string{"al"}, optString},
	{"prettytable_style", []string{"ptst"}, optString}, {"last_raw_result_var", []string{"var"}, optString},
	{"table_package", []string{"tp"}, optString}, {"plot_package", []string{"pp"}, optString},
	{"dsn_filename", []string{"df"}, optString}, {"json_display", []string{"jd"}, optString},
	{"palette_desaturation", []string{"pd"}, optString}, {"palette_name", []string{"pn"}, optString},
	{"palette_colors", []string{"pc"}, optString}, {"params_dict", nil, optString},
	{"query_properties", nil, optString}, {"save_to", nil, optString},
}

func ignoredOptions() []optDef {
	out := make([]optDef, 0, len(kqlmagicIgnored))
	for _, k := range kqlmagicIgnored {
		out = append(out, optDef{name: k.name, short: k.short, kind: k.kind, ignored: true,
			help: "Kqlmagic option with no effect in kqlkernel", apply: func(*Options, value) error { return nil }})
	}
	return out
}

// commandDefs are the --commands of %kql (no query follows them).
var commandDefs = []struct{ name, help string }{
	{"help", "this help; --help TOPIC for options, connections, parameters, results, magics, or any KQL operator or function"},
	{"list", "list the session's connections (secrets masked); * marks the current one"},
	{"version", "the kqlkernel version"},
	{"results", "list the named results kept with --as"},
	{"params", "list the session parameters (let statements)"},
	{"reset", "forget the session parameters, named results and session options (connections stay)"},
}

// normOpt canonicalises an option name the way Kqlmagic does: lower case, no '_' or '-'.
func normOpt(s string) string {
	return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s))
}

func findOption(name string) (*optDef, bool) {
	n := normOpt(name)
	for i := range optionDefs {
		d := &optionDefs[i]
		if normOpt(d.name) == n {
			return d, true
		}
		for _, s := range d.short {
			if normOpt(s) == n {
				return d, true
			}
		}
	}
	return nil, false
}

func isCommand(name string) bool {
	n := normOpt(name)
	for _, c := range commandDefs {
		if c.name == n {
			return true
		}
	}
	return false
}

// validOptionNames lists options for error messages and completion ("-timespan (-ts)").
func validOptionNames() []string {
	var out []string
	for _, d := range optionDefs {
		if d.ignored {
			continue
		}
		s := "-" + d.name
		if len(d.short) > 0 {
			s += " (-" + strings.Join(d.short, ", -") + ")"
		}
		out = append(out, s)
	}
	for _, c := range commandDefs {
		out = append(out, "--"+c.name)
	}
	return out
}

// word is a whitespace-separated word of a magic line with its byte range.
type word struct {
	text     string
	pos, end int
}

// nextWord reads one word starting at or after i: quotes group (the quotes stay in text).
func nextWord(s string, i int) (word, bool) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) || s[i] == '\n' || s[i] == '\r' {
		return word{}, false
	}
	start := i
	for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
		if s[i] == '\'' || s[i] == '"' {
			q := s[i]
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 {
				i = len(s)
				break
			}
			i += j + 2
			continue
		}
		if s[i] == '[' {
			j := strings.IndexByte(s[i:], ']')
			if j > 0 {
				i += j + 1
				continue
			}
		}
		i++
	}
	return word{s[start:i], start, i}, true
}

// parsedLine is the head of a %kql line or of a %%kql cell's first line.
type parsedLine struct {
	opts     []setting // options in the order given
	conn     string    // connection string or alias@scheme, if given
	command  string    // help, list, ... (from --help etc.)
	topic    string    // --help TOPIC
	resultAs string    // NAME << query
	rest     int       // byte offset where the query starts
}

// setting is one option given in a cell.
type setting struct {
	def *optDef
	val value
}

// parseHead parses options, commands and a connection at the start of s (up to the end
// of its first line) and returns where the query begins.
func parseHead(s string) (parsedLine, error) {
	var p parsedLine
	i := 0
	// Kqlmagic's `name << query`.
	if w, ok := nextWord(s, 0); ok && validName(w.text) {
		if w2, ok := nextWord(s, w.end); ok && w2.text == "<<" {
			p.resultAs = w.text
			i = w2.end
		}
	}
	for {
		w, ok := nextWord(s, i)
		if !ok {
			// Point past the line's end so the query starts on the next line.
			p.rest = i
			return p, nil
		}
		t := w.text
		switch {
		case strings.HasPrefix(t, "--") && len(t) > 2 && isCommand(t[2:]):
			p.command = normOpt(t[2:])
			i = w.end
			if p.command == "help" {
				if w2, ok := nextWord(s, i); ok && !strings.HasPrefix(w2.text, "-") {
					p.topic = strings.Trim(w2.text, `'"`)
					i = w2.end
				}
			}
			continue
		case strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+"):
			name := strings.TrimLeft(t, "-+")
			neg := false
			if strings.HasPrefix(name, "!") {
				neg, name = true, name[1:]
			} else if n, ok := strings.CutPrefix(normOpt(name), "no"); ok && strings.HasPrefix(t, "--") {
				// --no-feedback
				if d, found := findOption(n); found && d.kind == optBool {
					neg, name = true, n
				}
			}
			var val string
			hasVal := false
			if k, v, found := strings.Cut(name, "="); found {
				name, val, hasVal = k, v, true
			}
			if name == "" {
				return p, fmt.Errorf("%s: an option name is missing", t)
			}
			d, found := findOption(name)
			if !found && strings.HasPrefix(t, "+") {
				prop, ok := findProperty(name)
				if !ok {
					return p, fmt.Errorf("unknown request property %s; known: +workspaces and %s", t, "+"+strings.Join(requestProperties, ", +"))
				}
				stmt := "set " + prop
				if hasVal {
					stmt += " = " + val
				}
				i = w.end
				p.opts = append(p.opts, setting{propertyDef, value{s: stmt}})
				continue
			}
			if !found {
				return p, unknownOption(t)
			}
			i = w.end
			var v value
			if d.kind == optBool {
				v.b = !neg
				if hasVal {
					b, err := strconv.ParseBool(strings.Trim(val, `'"`))
					if err != nil {
						return p, fmt.Errorf("-%s=%s: expected true or false", d.name, val)
					}
					v.b = b != neg
				}
			} else {
				if neg {
					return p, fmt.Errorf("-%s cannot be negated with '!'", d.name)
				}
				if !hasVal {
					w2, ok := nextWord(s, i)
					if !ok {
						return p, fmt.Errorf("-%s needs a value (%s)", d.name, d.help)
					}
					val = w2.text
					i = w2.end
				}
				var err error
				if v, err = parseValue(d, val); err != nil {
					return p, err
				}
			}
			if err := d.apply(&Options{}, v); err != nil { // validate now, apply later
				return p, err
			}
			p.opts = append(p.opts, setting{d, v})
			continue
		case p.conn == "" && (isConnString(t) || isAliasRef(t)):
			p.conn = unquote(t)
			i = w.end
			continue
		}
		p.rest = w.pos
		return p, nil
	}
}

func unknownOption(t string) error {
	names := validOptionNames()
	return fmt.Errorf("unknown option %s; valid options are: %s (see %%kql --help options)", t, strings.Join(names, ", "))
}

func parseValue(d *optDef, raw string) (value, error) {
	s := strings.TrimSpace(raw)
	unq := s
	if len(s) >= 2 && (s[0] == '\'' && s[len(s)-1] == '\'' || s[0] == '"' && s[len(s)-1] == '"') {
		unq = s[1 : len(s)-1]
	}
	var v value
	switch d.kind {
	case optInt:
		n, err := strconv.Atoi(unq)
		if err != nil {
			return v, fmt.Errorf("-%s %s: expected a whole number", d.name, raw)
		}
		v.i = n
	case optString:
		if unq == "" {
			return v, fmt.Errorf("-%s: the value is empty", d.name)
		}
		v.s = unq
	case optDuration:
		if n, err := strconv.Atoi(unq); err == nil {
			if n <= 0 {
				return v, fmt.Errorf("-%s %s: must be positive", d.name, raw)
			}
			v.d = time.Duration(n) * time.Second
			break
		}
		dur, err := parseKQLTimespan(unq)
		if err != nil || dur <= 0 {
			return v, fmt.Errorf("-%s %s: expected seconds (180) or a timespan (3m)", d.name, raw)
		}
		v.d = dur
	case optList:
		list, err := parseList(unq)
		if err != nil {
			return v, fmt.Errorf("-%s: %w", d.name, err)
		}
		v.list = list
	}
	return v, nil
}

func positive(name string, n int, dst *int) error {
	if n <= 0 || n > 10000 {
		return fmt.Errorf("-%s %d: must be between 1 and 10000", name, n)
	}
	*dst = n
	return nil
}

// parseList parses ['a','b'], [a, b], (a,b) or a,b.
func parseList(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "[")
	s = strings.TrimSuffix(s, "]")
	s = strings.TrimPrefix(s, "(")
	s = strings.TrimSuffix(s, ")")
	out := []string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.Trim(strings.TrimSpace(part), `'"`)
		if part != "" {
			out = append(out, part)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("expected a list such as ['id1','id2']")
	}
	return out, nil
}

func validName(s string) bool {
	if s == "" || !isIdentStart(s[0]) || s[0] >= 0x80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentPart(s[i]) || s[i] >= 0x80 || s[i] == '$' {
			return false
		}
	}
	return true
}

// isAliasRef reports whether t names a connection as alias@scheme.
func isAliasRef(t string) bool {
	t = unquote(t)
	a, scheme, ok := strings.Cut(t, "@")
	if !ok || a == "" {
		return false
	}
	switch strings.ToLower(scheme) {
	case "loganalytics", "local":
		return !strings.ContainsAny(a, "|'\"() ")
	}
	// Azure Data Explorer connections are named alias@cluster ("Samples@help").
	return !strings.ContainsAny(a, "|'\"() ") && !strings.ContainsAny(scheme, "|'\"() ;=")
}

func saveFormat(name string) string {
	l := strings.ToLower(name)
	switch {
	case strings.HasSuffix(l, ".csv"):
		return "csv"
	case strings.HasSuffix(l, ".json"):
		return "json"
	}
	return ""
}

// optionsHelp is the text of `%kql --help options`.
func optionsHelp() string {
	var b strings.Builder
	b.WriteString("Options (before the query; -name value, -name=value, --name; booleans: -name, -!name, --no-name):\n")
	defs := append([]optDef(nil), optionDefs...)
	sort.SliceStable(defs, func(i, j int) bool { return defs[i].name < defs[j].name })
	var ignored []string
	for _, d := range defs {
		if d.ignored {
			ignored = append(ignored, "-"+d.name)
			continue
		}
		names := "-" + d.name
		if len(d.short) > 0 {
			names += ", -" + strings.Join(d.short, ", -")
		}
		fmt.Fprintf(&b, "  %-40s %s\n", names, d.help)
	}
	fmt.Fprintf(&b, "  %-40s %s\n", "+PROPERTY[=VALUE]", "a Kusto client request property, sent as `set PROPERTY=VALUE;` (+notruncation, +query_now=..., +truncationmaxrecords=N, ...)")
	b.WriteString("\nCommands:\n")
	for _, c := range commandDefs {
		fmt.Fprintf(&b, "  --%-38s %s\n", c.name, c.help)
	}
	b.WriteString("\nA %kql line with options and no query sets them for the rest of the session (e.g. %kql -!feedback).")
	b.WriteString("\nAccepted for Kqlmagic notebooks, without effect: " + strings.Join(ignored, ", ") + ".")
	return b.String()
}
