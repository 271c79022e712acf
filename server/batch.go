package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/kqlkernel/kqlkernel/server/wire"
)

// maxBatch bounds the requests of one $batch call.
const maxBatch = 100

// batchRequest is one entry of POST /v1/$batch.
type batchRequest struct {
	ID        string            `json:"id"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	Method    string            `json:"method"`
	Path      string            `json:"path"`
	Workspace string            `json:"workspace"`
}

// batch serves POST /v1/$batch: {"requests":[{id, headers, body, method, path, workspace}]}
// answered by {"responses":[{id, status, headers, body}]} in request order, each body as
// the single-query API would have sent it (Python's LogsQueryClient.query_batch).
func (s *Server) batch(w http.ResponseWriter, r *http.Request) {
	raw, e := readBody(r)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	var in struct {
		Requests []batchRequest `json:"requests"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		s.writeError(w, r, badRequest("InvalidBody", "The batch body is not valid JSON: "+jsonErrorText(err)))
		return
	}
	if len(in.Requests) == 0 || len(in.Requests) > maxBatch {
		s.writeError(w, r, badRequest("InvalidBatch", fmt.Sprintf("A batch needs 1 to %d requests in \"requests\"; got %d.", maxBatch, len(in.Requests))))
		return
	}
	b := []byte(`{"responses":[`)
	for i, req := range in.Requests {
		if i > 0 {
			b = append(b, ',')
		}
		rec := httptest.NewRecorder()
		if sub, err := subRequest(r, req); err != nil {
			s.writeError(rec, r, badRequest("InvalidBatchRequest", err.Error()))
		} else {
			s.mux.ServeHTTP(rec, sub)
		}
		b = append(b, `{"id":`...)
		b = wire.AppendString(b, req.ID)
		b = append(b, `,"status":`...)
		b = append(b, fmt.Sprint(rec.Code)...)
		b = append(b, `,"headers":{"Content-Type":"application/json; charset=utf-8"},"body":`...)
		body := bytes.TrimSpace(rec.Body.Bytes())
		if !json.Valid(body) {
			body = []byte("null")
		}
		b = append(b, body...)
		b = append(b, '}')
	}
	b = append(b, "]}"...)
	s.writeJSON(w, r, http.StatusOK, b)
}

// subRequest turns one batch entry into the request the single-query API would receive.
func subRequest(parent *http.Request, req batchRequest) (*http.Request, error) {
	if strings.TrimSpace(req.Workspace) == "" {
		return nil, fmt.Errorf("request %q has no workspace", req.ID)
	}
	path := req.Path
	if path == "" {
		path = "/query"
	}
	if path != "/query" && path != "/metadata" {
		return nil, fmt.Errorf("request %q: path %q is not /query or /metadata", req.ID, req.Path)
	}
	method := strings.ToUpper(req.Method)
	if method == "" {
		method = http.MethodGet
	}
	if method != http.MethodGet && method != http.MethodPost {
		return nil, fmt.Errorf("request %q: method %q is not GET or POST", req.ID, req.Method)
	}
	u := "/v1/workspaces/" + url.PathEscape(req.Workspace) + path
	var body []byte
	if method == http.MethodPost {
		body = req.Body
	} else if path == "/query" && len(req.Body) > 0 {
		// GET ignores the body, as the service does; carry the query in the URL instead.
		var q struct {
			Query    string `json:"query"`
			Timespan string `json:"timespan"`
		}
		_ = json.Unmarshal(req.Body, &q)
		v := url.Values{"query": {q.Query}}
		if q.Timespan != "" {
			v.Set("timespan", q.Timespan)
		}
		u += "?" + v.Encode()
	}
	sub, err := http.NewRequestWithContext(parent.Context(), method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range req.Headers {
		sub.Header.Set(k, v)
	}
	return sub, nil
}
