package adx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds a request body (queries are text; 16 MB is far more than any).
const maxBody = 16 << 20

// queryRequest is a decoded POST body: {"db":..., "csl":..., "properties":{...}}.
type queryRequest struct {
	DB  string
	CSL string

	ServerTimeout   time.Duration // servertimeout; 0 = default
	NoTruncation    bool
	MaxRecords      int  // truncationmaxrecords; 0 = none given
	Fragmented      bool // results_v2_fragment_primary_tables
	NewlinesFrames  bool // results_v2_newlines_between_frames
	ClientRequestID string
}

// decodeRequest reads and checks a request body. properties may be an object or (older
// clients) a JSON string holding one.
func decodeRequest(r *http.Request) (*queryRequest, *apiError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, badRequest("BadRequest_InvalidBody", fmt.Sprintf("reading the request body: %v", err))
	}
	if len(body) > maxBody {
		return nil, badRequest("BadRequest_InvalidBody", "the request body is larger than 16 MB")
	}
	q, e := parseRequest(body)
	if e != nil {
		return nil, e
	}
	q.ClientRequestID = r.Header.Get("x-ms-client-request-id")
	return q, nil
}

// parseRequest decodes a body (the fuzzed part: outside input).
func parseRequest(body []byte) (*queryRequest, *apiError) {
	var raw struct {
		DB         string          `json:"db"`
		CSL        *string         `json:"csl"`
		Properties json.RawMessage `json:"properties"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, badRequest("BadRequest_InvalidBody", fmt.Sprintf("the body is not the JSON object {\"db\":..., \"csl\":..., \"properties\":{...}}: %v", err))
	}
	if raw.CSL == nil || strings.TrimSpace(*raw.CSL) == "" {
		return nil, badRequest("BadRequest_EmptyQuery", "the request has no query: send {\"db\":\"...\", \"csl\":\"<query>\"}")
	}
	q := &queryRequest{DB: raw.DB, CSL: *raw.CSL}
	props := bytes.TrimSpace(raw.Properties)
	if len(props) > 0 && props[0] == '"' {
		var s string
		if err := json.Unmarshal(props, &s); err != nil {
			return nil, badRequest("BadRequest_InvalidProperties", fmt.Sprintf("properties: %v", err))
		}
		props = []byte(s)
	}
	if len(props) == 0 || string(props) == "null" {
		return q, nil
	}
	var p struct {
		Options map[string]any `json:"Options"`
	}
	dec = json.NewDecoder(bytes.NewReader(props))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, badRequest("BadRequest_InvalidProperties", fmt.Sprintf("properties: want {\"Options\":{...}}: %v", err))
	}
	for k, v := range p.Options {
		switch strings.ToLower(k) {
		case "servertimeout":
			d, err := parseTimeout(v)
			if err != nil {
				return nil, badRequest("BadRequest_InvalidProperties", fmt.Sprintf("servertimeout: %v", err))
			}
			q.ServerTimeout = d
		case "notruncation":
			q.NoTruncation = truthy(v)
		case "truncationmaxrecords":
			n, ok := intOf(v)
			if !ok || n < 0 {
				return nil, badRequest("BadRequest_InvalidProperties", fmt.Sprintf("truncationmaxrecords: want a non-negative integer, got %v", v))
			}
			q.MaxRecords = n
		case "results_v2_fragment_primary_tables":
			q.Fragmented = truthy(v)
		case "results_v2_newlines_between_frames":
			q.NewlinesFrames = truthy(v)
		}
	}
	return q, nil
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		b, _ := strconv.ParseBool(x)
		return b
	}
	return false
}

func intOf(v any) (int, bool) {
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil || n > 1<<31 {
			return 0, false
		}
		return int(n), true
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	return 0, false
}

// parseTimeout reads servertimeout: Kusto's timespan "[d.]hh:mm:ss[.fffffff]" (what
// clients send), or a number of ticks / a Go duration for hand-written requests.
func parseTimeout(v any) (time.Duration, error) {
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("want a timespan such as 00:04:00, got %s", x)
		}
		return time.Duration(n) * 100, nil
	case string:
		if d, err := parseTimespan(x); err == nil {
			return d, nil
		}
		if d, err := time.ParseDuration(x); err == nil && d >= 0 {
			return d, nil
		}
		return 0, fmt.Errorf("want a timespan such as 00:04:00, got %q", x)
	}
	return 0, fmt.Errorf("want a timespan such as 00:04:00, got %v", v)
}

// parseTimespan reads "[-][d.]hh:mm:ss[.fffffff]" (non-negative only: a timeout).
func parseTimespan(s string) (time.Duration, error) {
	bad := fmt.Errorf("not a timespan: %q", s)
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, bad
	}
	var days, hours int64
	dh := strings.SplitN(parts[0], ".", 2)
	var err error
	if len(dh) == 2 {
		if days, err = strconv.ParseInt(dh[0], 10, 32); err != nil || days < 0 {
			return 0, bad
		}
		dh[0] = dh[1]
	}
	if hours, err = strconv.ParseInt(dh[0], 10, 32); err != nil || hours < 0 || hours > 23 {
		return 0, bad
	}
	mins, err := strconv.ParseInt(parts[1], 10, 32)
	if err != nil || mins < 0 || mins > 59 {
		return 0, bad
	}
	secs, err := strconv.ParseFloat(parts[2], 64)
	if err != nil || secs < 0 || secs >= 60 {
		return 0, bad
	}
	if days > 10000 {
		return 0, bad
	}
	return time.Duration(days)*24*time.Hour + time.Duration(hours)*time.Hour + time.Duration(mins)*time.Minute + time.Duration(secs*float64(time.Second)), nil
}
