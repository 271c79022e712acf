package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBodyBytes bounds a query request body. Queries with inlined named results (datatable
// literals) are the large ones; the magic layer bounds those well below this.
const maxBodyBytes = 16 << 20

// queryRequest is one decoded query request.
type queryRequest struct {
	Query      string
	Start, End time.Time // zero: no timespan
	Workspaces []string  // additional workspaces
}

// queryBody is the POST body of the query API. Besides `workspaces` the service accepts
// the older per-kind lists; they all name additional workspaces.
type queryBody struct {
	Query            *string  `json:"query"`
	Timespan         *string  `json:"timespan"`
	Workspaces       []string `json:"workspaces"`
	WorkspaceIDs     []string `json:"workspaceIds"`
	QualifiedNames   []string `json:"qualifiedNames"`
	AzureResourceIDs []string `json:"azureResourceIds"`
}

// decodeBody reads a POST body. now anchors a timespan given as a bare duration.
func decodeBody(body []byte, now time.Time) (queryRequest, *apiError) {
	var b queryBody
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&b); err != nil {
		return queryRequest{}, badRequest("InvalidBody", "The request body is not valid JSON: "+jsonErrorText(err))
	}
	if dec.More() {
		return queryRequest{}, badRequest("InvalidBody", "The request body has data after the JSON object.")
	}
	ts := ""
	if b.Timespan != nil {
		ts = *b.Timespan
	}
	ws := make([]string, 0, len(b.Workspaces)+len(b.WorkspaceIDs)+len(b.QualifiedNames)+len(b.AzureResourceIDs))
	for _, l := range [][]string{b.Workspaces, b.WorkspaceIDs, b.QualifiedNames, b.AzureResourceIDs} {
		ws = append(ws, l...)
	}
	q := ""
	if b.Query != nil {
		q = *b.Query
	}
	return buildRequest(q, ts, ws, now)
}

// decodeGet reads the query string of a GET request.
func decodeGet(r *http.Request, now time.Time) (queryRequest, *apiError) {
	v := r.URL.Query()
	var ws []string
	for _, s := range v["workspaces"] {
		for _, w := range strings.Split(s, ",") {
			if w = strings.TrimSpace(w); w != "" {
				ws = append(ws, w)
			}
		}
	}
	return buildRequest(v.Get("query"), v.Get("timespan"), ws, now)
}

func buildRequest(query, timespan string, workspaces []string, now time.Time) (queryRequest, *apiError) {
	if strings.TrimSpace(query) == "" {
		return queryRequest{}, badRequest("MissingQuery", "The request is missing the query: send {\"query\": \"...\"}.")
	}
	req := queryRequest{Query: query}
	if strings.TrimSpace(timespan) != "" {
		start, end, err := parseInterval(timespan, now)
		if err != nil {
			return queryRequest{}, badRequest("InvalidTimespan", fmt.Sprintf("The timespan %q is not an ISO 8601 interval: %v.", timespan, err))
		}
		req.Start, req.End = start, end
	}
	for _, w := range workspaces {
		if w = strings.TrimSpace(w); w != "" {
			req.Workspaces = append(req.Workspaces, w)
		}
	}
	return req, nil
}

// readBody reads at most maxBodyBytes.
func readBody(r *http.Request) ([]byte, *apiError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, badRequest("InvalidBody", "The request body could not be read.")
	}
	if len(body) > maxBodyBytes {
		return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Code: "RequestTooLarge", Message: fmt.Sprintf("The request body is larger than %d bytes.", maxBodyBytes)}
	}
	return body, nil
}

func jsonErrorText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at byte %d", se.Error(), se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q must be a %s, not a JSON %s", te.Field, te.Type, te.Value)
	}
	return err.Error()
}

// preferences are the Prefer header's options.
type preferences struct {
	Render, Statistics bool
	// Unthinned asks for Kusto's v1 layout ({"Tables":[{"TableName","Columns":[{"ColumnName",
	// "DataType","ColumnType"}],"Rows"}], ..., table of contents}): `ai.response-thinning=false`,
	// which Kqlmagic sends.
	Unthinned bool
	Wait      time.Duration // 0: the default
}

// parsePrefer reads `Prefer: wait=600, include-render=true,include-statistics=true` (the
// header may also repeat). Unknown options are ignored, as the service does.
func parsePrefer(values []string) preferences {
	var p preferences
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			key, val, hasVal := strings.Cut(strings.TrimSpace(item), "=")
			key = strings.ToLower(strings.TrimSpace(key))
			val = strings.Trim(strings.TrimSpace(val), `"`)
			if !hasVal {
				val = "true" // `Prefer: include-render` alone (RFC 7240 token without value)
			}
			switch key {
			case "include-render":
				p.Render = strings.EqualFold(val, "true")
			case "include-statistics":
				p.Statistics = strings.EqualFold(val, "true")
			case "ai.response-thinning":
				p.Unthinned = strings.EqualFold(val, "false")
			case "wait":
				if n, err := strconv.Atoi(val); err == nil && n > 0 {
					p.Wait = time.Duration(min(n, 3600)) * time.Second
				}
			}
		}
	}
	return p
}

// applied is the Preference-Applied header value for p.
func (p preferences) applied(wait time.Duration) string {
	parts := []string{}
	if p.Render {
		parts = append(parts, "include-render=true")
	}
	if p.Statistics {
		parts = append(parts, "include-statistics=true")
	}
	if p.Wait > 0 {
		parts = append(parts, "wait="+strconv.Itoa(int(wait/time.Second)))
	}
	return strings.Join(parts, ",")
}
