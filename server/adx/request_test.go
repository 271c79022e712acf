package adx

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseRequest(t *testing.T) {
	for _, tc := range []struct {
		body string
		want queryRequest
		err  string
	}{
		{`{"db":"d","csl":"print 1"}`, queryRequest{DB: "d", CSL: "print 1"}, ""},
		{`{"db":"d","csl":"T","properties":{"Options":{"servertimeout":"00:04:00","results_v2_fragment_primary_tables":true,"truncationmaxrecords":7,"notruncation":"true"}}}`,
			queryRequest{DB: "d", CSL: "T", ServerTimeout: 4 * time.Minute, Fragmented: true, MaxRecords: 7, NoTruncation: true}, ""},
		{`{"db":"d","csl":"T","properties":"{\"Options\":{\"servertimeout\":\"1.00:00:00.5\"}}"}`, queryRequest{DB: "d", CSL: "T", ServerTimeout: 24*time.Hour + 500*time.Millisecond}, ""},
		{`{"db":"d","csl":"T","properties":null}`, queryRequest{DB: "d", CSL: "T"}, ""},
		{`{"db":"d"}`, queryRequest{}, "BadRequest_EmptyQuery"},
		{`{"db":"d","csl":"  "}`, queryRequest{}, "BadRequest_EmptyQuery"},
		{`[1]`, queryRequest{}, "BadRequest_InvalidBody"},
		{`{"csl":"T","properties":{"Options":{"servertimeout":"25:00:00"}}}`, queryRequest{}, "servertimeout"},
		{`{"csl":"T","properties":{"Options":{"truncationmaxrecords":-1}}}`, queryRequest{}, "truncationmaxrecords"},
		{`{"csl":"T","properties":"{oops"}`, queryRequest{}, "properties"},
	} {
		got, e := parseRequest([]byte(tc.body))
		if tc.err != "" {
			if e == nil || !strings.Contains(e.Code+" "+e.Message, tc.err) {
				t.Errorf("%s: want error %q, got %+v %+v", tc.body, tc.err, got, e)
			}
			continue
		}
		if e != nil {
			t.Errorf("%s: %v", tc.body, e)
			continue
		}
		if *got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.body, *got, tc.want)
		}
	}
}

// FuzzParseRequest: any body gives a request or a 400, never a panic; errors are valid JSON.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{`{"db":"d","csl":"print 1"}`, `{"csl":"T","properties":{"Options":{"servertimeout":"1.02:03:04.5"}}}`,
		`{"csl":"T","properties":"{\"Options\":{\"truncationmaxrecords\":\"9\"}}"}`, `{`, `null`, `{"csl":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		q, e := parseRequest(body)
		if (q == nil) == (e == nil) {
			t.Fatalf("request %v and error %v", q, e)
		}
		if e != nil {
			b := append([]byte(`{"error":`), e.appendJSON(nil, "x", time.Time{})...)
			b = append(b, '}')
			if !json.Valid(b) || !utf8.Valid(b) {
				t.Fatalf("invalid error JSON: %s", b)
			}
			return
		}
		if q.ServerTimeout < 0 || q.MaxRecords < 0 {
			t.Fatalf("negative: %+v", q)
		}
	})
}
