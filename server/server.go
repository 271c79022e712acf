// Package server serves the Log Analytics query REST API (v1) over any backend.Backend,
// in the service's wire format, so that any Log Analytics client (azlogs, Python's
// azure-monitor-query, Kqlmagic, the kernel's own loganalytics backend) can query the
// embedded engine: POST and GET /v1/workspaces/{id}/query, GET /v1/workspaces/{id}/metadata,
// POST /v1/$batch.
package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/server/reqlog"
	"github.com/kqlkernel/kqlkernel/server/wire"
	"github.com/kqlkernel/kqlkernel/table"
)

// Config configures a Server.
type Config struct {
	// Backend answers every workspace's queries (the path's workspace id only names it).
	Backend backend.Backend
	// APIKey, when set, is required: as `x-api-key: KEY`, `Authorization: Bearer KEY`, or
	// `?api_key=KEY` on GET. Empty: the API is open.
	APIKey string
	// DefaultWait is the server timeout without `Prefer: wait=N` (the service's is 3 minutes);
	// MaxWait caps wait=N (the service's is 10 minutes).
	DefaultWait, MaxWait time.Duration
	// Log receives one line per request (method, path, status, rows, time); nil logs nothing.
	// Neither query text nor headers are logged.
	Log *log.Logger
	// Now is the clock for relative timespans; nil is time.Now.
	Now func() time.Time
}

// Server is the HTTP handler.
type Server struct {
	cfg Config
	mux *http.ServeMux
}

// New returns the API handler.
func New(cfg Config) *Server {
	if cfg.DefaultWait <= 0 {
		cfg.DefaultWait = 3 * time.Minute
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 10 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	// Methods are checked by s.methods rather than in the patterns, so that a wrong method
	// gets the OneAPI error shape and OPTIONS gets a CORS preflight answer.
	s.mux.HandleFunc("/v1/workspaces/{workspace}/query", s.methods(s.query, http.MethodGet, http.MethodPost))
	s.mux.HandleFunc("/v1/workspaces/{workspace}/metadata", s.methods(s.metadata, http.MethodGet, http.MethodPost))
	s.mux.HandleFunc("/v1/$batch", s.methods(s.batch, http.MethodPost))
	s.mux.HandleFunc("/", s.fallback)
	return s
}

// methods admits the given methods (HEAD with GET), answers OPTIONS, and refuses the rest.
func (s *Server) methods(h http.HandlerFunc, allowed ...string) http.HandlerFunc {
	allow := strings.Join(append(allowed, http.MethodOptions), ", ")
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			preflight(w, allow)
			return
		}
		for _, m := range allowed {
			if r.Method == m || r.Method == http.MethodHead && m == http.MethodGet {
				h(w, r)
				return
			}
		}
		w.Header().Set("Allow", allow)
		s.writeError(w, r, &apiError{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed",
			Message: fmt.Sprintf("%s is not supported on %s; use %s.", r.Method, r.URL.Path, strings.Join(allowed, " or "))})
	}
}

// preflight answers a CORS preflight request (browser-based clients).
func preflight(w http.ResponseWriter, allow string) {
	w.Header().Set("Access-Control-Allow-Methods", allow)
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Prefer, x-api-key, x-ms-app, x-ms-client-request-id")
	w.Header().Set("Access-Control-Max-Age", "3600")
	w.WriteHeader(http.StatusNoContent)
}

// ServeHTTP authenticates, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := reqlog.New(w)
	start := time.Now()
	w = rec
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		// Preflight requests carry no credentials.
		s.mux.ServeHTTP(w, r)
	} else if e := s.authenticate(r); e != nil {
		s.writeError(w, r, e)
	} else {
		s.mux.ServeHTTP(w, r)
	}
	if s.cfg.Log != nil {
		s.cfg.Log.Printf("%s %s %d %s%s", r.Method, r.URL.Path, rec.Status, time.Since(start).Round(time.Millisecond), rec.Note)
	}
}

// authenticate checks the API key when one is configured.
func (s *Server) authenticate(r *http.Request) *apiError {
	if s.cfg.APIKey == "" {
		return nil
	}
	var given string
	switch {
	case r.Header.Get("x-api-key") != "":
		given = r.Header.Get("x-api-key")
	case r.Header.Get("Authorization") != "":
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return &apiError{Status: http.StatusUnauthorized, Code: "AuthenticationFailed", Message: "Authentication failed. The 'Authorization' header must be 'Bearer <token>'."}
		}
		given = strings.TrimSpace(tok)
	case r.Method == http.MethodGet && r.URL.Query().Get("api_key") != "":
		given = r.URL.Query().Get("api_key")
	default:
		return &apiError{Status: http.StatusUnauthorized, Code: "AuthenticationFailed", Message: "Authentication failed. The 'Authorization' header is missing: send 'x-api-key: KEY' or 'Authorization: Bearer KEY'."}
	}
	if subtle.ConstantTimeCompare([]byte(given), []byte(s.cfg.APIKey)) != 1 {
		return &apiError{Status: http.StatusUnauthorized, Code: "InvalidAuthenticationToken", Message: "Valid authentication was not provided: the API key or token is not the one this server was started with."}
	}
	return nil
}

func (s *Server) fallback(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimSuffix(r.URL.Path, "/")
	// Resource-centric queries (/v1/subscriptions/.../providers/.../query) are served by the
	// same dataset.
	if strings.HasPrefix(strings.ToLower(p), "/v1/subscriptions/") && strings.HasSuffix(p, "/query") {
		if r.Method == http.MethodGet || r.Method == http.MethodPost {
			s.query(w, r)
			return
		}
	}
	if r.Method == http.MethodOptions {
		preflight(w, "GET, POST, OPTIONS")
		return
	}
	s.writeError(w, r, &apiError{Status: http.StatusNotFound, Code: "PathNotFoundError",
		Message: fmt.Sprintf("The requested path does not exist: %s %s. This server answers POST or GET /v1/workspaces/{id}/query and GET /v1/workspaces/{id}/metadata.", r.Method, r.URL.Path)})
}

// query runs one query.
func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Now()
	var q queryRequest
	var e *apiError
	if r.Method == http.MethodPost {
		var body []byte
		if body, e = readBody(r); e == nil {
			q, e = decodeBody(body, now)
		}
	} else {
		q, e = decodeGet(r, now)
	}
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	prefs := parsePrefer(r.Header.Values("Prefer"))
	wait := s.cfg.DefaultWait
	if prefs.Wait > 0 {
		wait = min(prefs.Wait, s.cfg.MaxWait)
	}
	ctx, cancel := context.WithTimeoutCause(r.Context(), wait, errServerTimeout)
	defer cancel()
	started := time.Now()
	resp, err := s.cfg.Backend.Query(ctx, backend.Request{
		Query: q.Query, Start: q.Start, End: q.End, Timeout: wait, Workspaces: q.Workspaces,
		IncludeRender: prefs.Render || prefs.Unthinned, IncludeStatistics: prefs.Statistics,
	})
	elapsed := time.Since(started)
	if r.Context().Err() != nil {
		// The client went away (cancelled): nobody reads an answer.
		reqlog.NoteGone(w)
		return
	}
	timedOut := errors.Is(context.Cause(ctx), errServerTimeout)
	if err != nil || resp == nil {
		if err == nil {
			err = errors.New("the backend returned no result")
		}
		s.writeError(w, r, fromQueryError(err, q.Query, timedOut, int(wait/time.Second)))
		return
	}
	if timedOut && resp.Partial == nil {
		resp.Partial = fmt.Errorf("the query ran past the server timeout of %d seconds; the rows are incomplete", int(wait/time.Second))
	}
	tables := resp.Tables
	if tables == nil {
		tables = []*table.Table{}
	}
	reqlog.NoteRows(w, tables)
	b := make([]byte, 0, 4096)
	if prefs.Unthinned {
		var render *table.RenderSpec
		if resp.Render != nil && resp.Render.Visualization != "" {
			render = resp.Render // Kqlmagic asks for no include-render; v1 always carries it
		}
		b = appendV1(b, tables, render, resp.Partial)
		s.writeJSON(w, r, http.StatusOK, b)
		return
	}
	b = append(b, '{')
	b = appendTables(b, tables)
	if prefs.Render && resp.Render != nil && resp.Render.Visualization != "" {
		b = append(b, ',')
		b = appendRender(b, resp.Render)
	}
	if prefs.Statistics {
		b = append(b, `,"statistics":`...)
		b = appendStatistics(b, tables, resp.Statistics, elapsed)
	}
	if resp.Partial != nil {
		b = append(b, ',')
		b = appendError(b, partialError(resp.Partial), wire.NewID())
	}
	b = append(b, '}')
	if pa := prefs.applied(wait); pa != "" {
		w.Header().Set("Preference-Applied", pa)
	}
	s.writeJSON(w, r, http.StatusOK, b)
}

var errServerTimeout = errors.New("server timeout (Prefer: wait)")

// appendStatistics writes {"query":{"executionTime":seconds, "datasetStatistics":[...]}}
// merged with whatever statistics the backend gave.
func appendStatistics(b []byte, tables []*table.Table, extra map[string]any, elapsed time.Duration) []byte {
	q := map[string]any{}
	for k, v := range extra {
		q[k] = table.JSONValue(v)
	}
	ds := make([]any, 0, len(tables))
	for _, t := range tables {
		ds = append(ds, map[string]any{"tableRowCount": t.Rows(), "tableSize": approxSize(t)})
	}
	q["datasetStatistics"] = ds
	q["executionTime"] = elapsed.Seconds()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"query": q}); err != nil {
		return append(b, "{}"...)
	}
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...)
}

// approxSize estimates a table's size in bytes the way the statistics do: 8 per fixed-size
// value, the length of strings.
func approxSize(t *table.Table) int {
	n := 0
	for _, c := range t.Columns {
		v := c.Data
		switch c.Type {
		case table.TypeString, table.TypeGUID:
			for _, s := range v.Strs {
				n += len(s)
			}
		case table.TypeDynamic:
			n += 16 * v.Len()
		default:
			n += 8 * v.Len()
		}
	}
	return n
}

// metadata serves the workspace schema in the metadata API's shape.
func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	sc, err := s.cfg.Backend.Schema(r.Context())
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		s.writeError(w, r, &apiError{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: "The schema could not be read: " + err.Error()})
		return
	}
	ws := r.PathValue("workspace")
	type column struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	type tbl struct {
		ID             string   `json:"id"`
		Name           string   `json:"name"`
		TimespanColumn string   `json:"timespanColumn,omitempty"`
		Description    string   `json:"description,omitempty"`
		Columns        []column `json:"columns"`
		Workspaces     []string `json:"related"`
	}
	type fn struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		DisplayName string `json:"displayName"`
		Parameters  string `json:"parameters,omitempty"`
		Body        string `json:"body"`
	}
	out := struct {
		Tables     []tbl            `json:"tables"`
		Functions  []fn             `json:"functions"`
		Workspaces []map[string]any `json:"workspaces"`
		Categories []any            `json:"categories"`
		Solutions  []any            `json:"solutions"`
	}{Tables: []tbl{}, Functions: []fn{}, Categories: []any{}, Solutions: []any{},
		Workspaces: []map[string]any{{"id": ws, "name": ws, "resourceId": "", "region": "local"}}}
	if sc != nil {
		for _, t := range sc.Tables {
			x := tbl{ID: "t/" + t.Name, Name: t.Name, Description: t.Description, Columns: []column{}, Workspaces: []string{ws}}
			for _, c := range t.Columns {
				x.Columns = append(x.Columns, column{c.Name, c.Type.String()})
				if c.Name == "TimeGenerated" && c.Type == table.TypeDateTime {
					x.TimespanColumn = c.Name
				}
			}
			out.Tables = append(out.Tables, x)
		}
		for _, f := range sc.Functions {
			out.Functions = append(out.Functions, fn{ID: "f/" + f.Name, Name: f.Name, DisplayName: f.Name, Parameters: f.Parameters, Body: f.Body})
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		s.writeError(w, r, &apiError{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: err.Error()})
		return
	}
	s.writeJSON(w, r, http.StatusOK, bytes.TrimRight(buf.Bytes(), "\n"))
}

// writeError writes the OneAPI error shape.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	b := append([]byte{'{'}, appendError(nil, e, wire.NewID())...)
	b = append(b, '}')
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="kqlkernel", error="invalid_token"`)
	}
	s.writeJSON(w, r, e.Status, b)
}

// writeJSON sends a JSON body, gzip-compressed when the client accepts it and it is large.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if len(body) >= 1024 && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // the level is valid; speed over ratio for query results
		_, _ = zw.Write(body)
		_ = zw.Close()
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	_, _ = io.Copy(w, bytes.NewReader(body))
}

func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, p := range strings.Split(v, ",") {
			name, q, _ := strings.Cut(strings.TrimSpace(p), ";")
			if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
				return true
			}
		}
	}
	return false
}
