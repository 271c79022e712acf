package adx

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/server/reqlog"
	"github.com/kqlkernel/kqlkernel/server/wire"
	"github.com/kqlkernel/kqlkernel/table"
)

// queryV1 answers POST /v1/rest/query with the v1 layout: the result tables, the
// @ExtendedProperties table, and the table of contents last.
func (h *Handler) queryV1(w http.ResponseWriter, r *http.Request) {
	q, e := decodeRequest(r)
	if e != nil {
		writeError(w, e)
		return
	}
	if strings.HasPrefix(skipComments(q.CSL), ".") {
		h.mgmt2(w, r, q)
		return
	}
	resp, err, timedOut := h.run(r, q)
	if r.Context().Err() != nil {
		return
	}
	if err != nil {
		writeError(w, fromQueryError(err, q.CSL, timedOut, h.timeout(q)))
		return
	}
	tables, problems := h.limit(resp, q)
	reqlog.NoteRows(w, tables)
	writeV1(w, tables, resp.Render, problems)
}

// writeV1 writes {"Tables":[...]} with the table of contents, and the errors of a partial
// result as an {"Exceptions":[...]} row after the last table's rows and at the top level.
func writeV1(w http.ResponseWriter, tables []*table.Table, render *table.RenderSpec, problems []*apiError) {
	type tocRow struct{ kind, name string }
	var toc []tocRow
	var exc []byte
	if len(problems) > 0 {
		exc = append(exc, '[')
		for i, p := range problems {
			if i > 0 {
				exc = append(exc, ',')
			}
			msg := p.AtMessage
			if msg == "" {
				msg = p.Message
			}
			exc = wire.AppendString(exc, msg)
		}
		exc = append(exc, ']')
	}
	b := []byte(`{"Tables":[`)
	n := 0
	next := func(name string, t *table.Table, errs bool) {
		if n > 0 {
			b = append(b, ',')
		}
		b = wire.AppendV1Head(b, n, t.Columns)
		rows := t.Rows()
		b = appendRows(b, t, 0, rows)
		if errs && exc != nil {
			if rows > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"Exceptions":`...)
			b = append(b, exc...)
			b = append(b, '}')
		}
		b = append(b, "]}"...)
		n++
	}
	for i, t := range tables {
		next(t.Name, t, i == len(tables)-1)
		toc = append(toc, tocRow{"QueryResult", "PrimaryResult"})
	}
	props := table.New("@ExtendedProperties", table.Schema{{Name: "Value", Type: table.TypeString}})
	_ = props.AppendRow(visualization(render))
	next("@ExtendedProperties", props, false)
	toc = append(toc, tocRow{"QueryProperties", "@ExtendedProperties"})

	index := table.New("TableOfContents", table.Schema{{Name: "Ordinal", Type: table.TypeLong}, {Name: "Kind", Type: table.TypeString},
		{Name: "Name", Type: table.TypeString}, {Name: "Id", Type: table.TypeString}, {Name: "PrettyName", Type: table.TypeString}})
	for i, r := range toc {
		_ = index.AppendRow(int64(i), r.kind, r.name, wire.NewID(), "")
	}
	next("TableOfContents", index, false)
	b = append(b, ']')
	if exc != nil {
		b = append(b, `,"Exceptions":`...)
		b = append(b, exc...)
	}
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// mgmt answers POST /v1/rest/mgmt: the read-only .show commands clients use.
func (h *Handler) mgmt(w http.ResponseWriter, r *http.Request) {
	q, e := decodeRequest(r)
	if e != nil {
		writeError(w, e)
		return
	}
	h.mgmt2(w, r, q)
}

var (
	reSchemaJSON = regexp.MustCompile(`(?i)^\.show\s+database\s+(?:\S+\s+)?(?:cslschema|schema)\s+as\s+json$`)
	reSchema     = regexp.MustCompile(`(?i)^\.show\s+database\s+(?:\S+\s+)?schema$`)
	reTables     = regexp.MustCompile(`(?i)^\.show\s+tables$`)
	reDatabases  = regexp.MustCompile(`(?i)^\.show\s+databases$`)
	reFunctions  = regexp.MustCompile(`(?i)^\.show\s+functions$`)
	reVersion    = regexp.MustCompile(`(?i)^\.show\s+version$`)
)

func (h *Handler) mgmt2(w http.ResponseWriter, r *http.Request, q *queryRequest) {
	cmd := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(skipComments(q.CSL)), ";"))
	cmd = strings.Join(strings.Fields(cmd), " ")
	db := h.opts.Database
	var t *table.Table
	needSchema := !reDatabases.MatchString(cmd) && !reVersion.MatchString(cmd)
	var s *backend.Schema
	if needSchema {
		var err error
		if s, err = h.b.Schema(r.Context()); err != nil {
			if r.Context().Err() != nil {
				return
			}
			writeError(w, &apiError{Status: http.StatusInternalServerError, Code: "General_InternalServerError", Type: "Kusto.Data.Exceptions.KustoServiceException",
				Message: "Reading the database schema failed.", AtMessage: err.Error()})
			return
		}
	}
	switch {
	case reSchemaJSON.MatchString(cmd):
		t = table.New("Table_0", table.Schema{{Name: "DatabaseSchema", Type: table.TypeString}})
		_ = t.AppendRow(schemaJSON(db, s))
	case reSchema.MatchString(cmd):
		t = table.New("Table_0", table.Schema{{Name: "DatabaseName", Type: table.TypeString}, {Name: "TableName", Type: table.TypeString},
			{Name: "ColumnName", Type: table.TypeString}, {Name: "ColumnType", Type: table.TypeString}, {Name: "DocString", Type: table.TypeString}})
		for _, ts := range s.Tables {
			_ = t.AppendRow(db, ts.Name, "", "", ts.Description)
			for _, c := range ts.Columns {
				_ = t.AppendRow(db, ts.Name, c.Name, "System."+c.Type.DotNetName(), "")
			}
		}
	case reTables.MatchString(cmd):
		t = table.New("Table_0", table.Schema{{Name: "TableName", Type: table.TypeString}, {Name: "DatabaseName", Type: table.TypeString},
			{Name: "Folder", Type: table.TypeString}, {Name: "DocString", Type: table.TypeString}})
		for _, ts := range s.Tables {
			_ = t.AppendRow(ts.Name, db, "", ts.Description)
		}
	case reFunctions.MatchString(cmd):
		t = table.New("Table_0", table.Schema{{Name: "Name", Type: table.TypeString}, {Name: "Parameters", Type: table.TypeString},
			{Name: "Body", Type: table.TypeString}, {Name: "Folder", Type: table.TypeString}, {Name: "DocString", Type: table.TypeString}})
		for _, f := range s.Functions {
			_ = t.AppendRow(f.Name, f.Parameters, f.Body, "", "")
		}
	case reDatabases.MatchString(cmd):
		t = table.New("Table_0", table.Schema{{Name: "DatabaseName", Type: table.TypeString}, {Name: "PersistentStorage", Type: table.TypeString},
			{Name: "Version", Type: table.TypeString}, {Name: "IsCurrent", Type: table.TypeBool}, {Name: "DatabaseAccessMode", Type: table.TypeString},
			{Name: "PrettyName", Type: table.TypeString}})
		_ = t.AppendRow(db, "", "v1.0", true, "ReadOnly", db)
	case reVersion.MatchString(cmd):
		t = table.New("Table_0", table.Schema{{Name: "BuildVersion", Type: table.TypeString}, {Name: "BuildTime", Type: table.TypeDateTime},
			{Name: "ServiceType", Type: table.TypeString}, {Name: "ProductVersion", Type: table.TypeString}})
		_ = t.AppendRow("1.0.0", table.DateTime(0), "kqlkernel", "kqlkernel")
	default:
		writeError(w, badRequest("General_BadRequest", "This server answers the read-only commands .show database schema [as json], .show tables, .show functions, .show databases and .show version; got: "+truncate(cmd, 80)))
		return
	}
	b := wire.AppendV1Head([]byte(`{"Tables":[`), 0, t.Columns)
	b = appendRows(b, t, 0, t.Rows())
	b = append(b, "]}]}\n"...)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}

// schemaJSON is `.show database schema as json`'s document for one database.
func schemaJSON(db string, s *backend.Schema) string {
	type column struct {
		Name      string
		Type      string
		CslType   string
		DocString string `json:",omitempty"`
	}
	type tableJSON struct {
		Name           string
		EntityType     string
		OrderedColumns []column
		DocString      string `json:",omitempty"`
	}
	type function struct {
		Name            string
		InputParameters []schemaParam
		Body            string
		Folder          string
		DocString       string
		FunctionKind    string
		OutputColumns   []column
	}
	type database struct {
		Name              string
		Tables            map[string]tableJSON
		ExternalTables    map[string]any
		MaterializedViews map[string]any
		Functions         map[string]function
	}
	d := database{Name: db, Tables: map[string]tableJSON{}, ExternalTables: map[string]any{}, MaterializedViews: map[string]any{}, Functions: map[string]function{}}
	for _, t := range s.Tables {
		tj := tableJSON{Name: t.Name, EntityType: "Table", OrderedColumns: make([]column, 0, len(t.Columns)), DocString: t.Description}
		for _, c := range t.Columns {
			tj.OrderedColumns = append(tj.OrderedColumns, column{Name: c.Name, Type: "System." + c.Type.DotNetName(), CslType: c.Type.String()})
		}
		d.Tables[t.Name] = tj
	}
	for _, f := range s.Functions {
		fn := function{Name: f.Name, InputParameters: parseParams(f.Parameters), Body: f.Body, FunctionKind: "Unknown", OutputColumns: []column{}}
		if !strings.HasPrefix(strings.TrimSpace(fn.Body), "{") {
			fn.Body = "{ " + fn.Body + " }"
		}
		d.Functions[f.Name] = fn
	}
	b, _ := json.Marshal(map[string]any{"Databases": map[string]database{db: d}})
	return string(b)
}

// schemaParam is a function parameter in the schema document.
type schemaParam struct {
	Name            string
	Type            string
	CslType         string
	CslDefaultValue *string `json:",omitempty"`
}

// parseParams reads "(a:long, b:string = 'x')" into the schema's parameters.
func parseParams(s string) []schemaParam {
	out := []schemaParam{}
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "("), ")")
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		var def *string
		if name, d, ok := strings.Cut(p, "="); ok {
			v := strings.TrimSpace(d)
			def, p = &v, strings.TrimSpace(name)
		}
		name, typ, _ := strings.Cut(p, ":")
		typ = strings.TrimSpace(typ)
		dotnet := typ
		if t, ok := table.ParseType(typ); ok {
			dotnet = "System." + t.DotNetName()
		}
		out = append(out, schemaParam{strings.TrimSpace(name), dotnet, typ, def})
	}
	return out
}

// skipComments drops leading white space and // comment lines.
func skipComments(text string) string {
	for {
		text = strings.TrimLeft(text, " \t\r\n")
		if !strings.HasPrefix(text, "//") {
			return text
		}
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return ""
		}
		text = text[i+1:]
	}
}
