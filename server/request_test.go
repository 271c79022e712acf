package server

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC)

func TestParseInterval(t *testing.T) {
	d := func(s string) time.Time {
		x, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	cases := []struct {
		in         string
		start, end time.Time
		err        string
	}{
		{in: "PT1H", start: now.Add(-time.Hour), end: now},
		{in: "P1D", start: now.Add(-24 * time.Hour), end: now},
		{in: "PT3600.0S", start: now.Add(-time.Hour), end: now},    // Python's client
		{in: "P1W", start: now.Add(-7 * 24 * time.Hour), end: now}, // weeks
		{in: "P1M", start: d("2024-04-10T12:00:00Z"), end: now},
		{in: "2024-01-01T00:00:00Z/2024-01-02T00:00:00Z", start: d("2024-01-01T00:00:00Z"), end: d("2024-01-02T00:00:00Z")},
		{in: "2024-01-01T00:00:00.000Z/2024-01-01T00:00:01.5Z", start: d("2024-01-01T00:00:00Z"), end: d("2024-01-01T00:00:01.5Z")},
		{in: "2024-01-01T00:00:00+02:00/PT2H", start: d("2023-12-31T22:00:00Z"), end: d("2024-01-01T00:00:00Z")},
		{in: "P1D/2024-01-02", start: d("2024-01-01T00:00:00Z"), end: d("2024-01-02T00:00:00Z")},
		{in: "2024-01-01T00:00:00/2024-01-01T06:00:00", start: d("2024-01-01T00:00:00Z"), end: d("2024-01-01T06:00:00Z")},
		{in: "2024-05-01", start: d("2024-05-01T00:00:00Z"), end: now},
		{in: "PT1H/PT2H", err: "both be durations"},
		{in: "2024-01-02/2024-01-01", err: "before the start"},
		{in: "P", err: "too short"},
		{in: "PT", err: "too short"},
		{in: "P1.5Y", err: "whole"},
		{in: "PT1X", err: "unknown unit"},
		{in: "P1H", err: "unknown unit"},
		{in: "yesterday", err: "not a date-time"},
		{in: "PT1", err: "followed by a unit"},
	}
	for _, c := range cases {
		start, end, err := parseInterval(c.in, now)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: want error %q, got %v", c.in, c.err, err)
			}
			continue
		}
		if err != nil || !start.Equal(c.start) || !end.Equal(c.end) {
			t.Errorf("%q: got %v .. %v (%v), want %v .. %v", c.in, start, end, err, c.start, c.end)
		}
	}
}

func TestDecodeBody(t *testing.T) {
	cases := []struct {
		body string
		want queryRequest
		err  string
	}{
		{body: `{"query":"T | take 1"}`, want: queryRequest{Query: "T | take 1"}},
		{body: `{"query":"T","timespan":null,"workspaces":null}`, want: queryRequest{Query: "T"}}, // Python sends nulls
		{body: `{"query":"T","workspaces":["a"," ","b"],"workspaceIds":["c"],"qualifiedNames":["d"],"azureResourceIds":["/subscriptions/x"]}`,
			want: queryRequest{Query: "T", Workspaces: []string{"a", "b", "c", "d", "/subscriptions/x"}}},
		{body: `{"query":"T","timespan":"PT1H"}`, want: queryRequest{Query: "T", Start: now.Add(-time.Hour), End: now}},
		{body: `{"query":"T","extra":{"ignored":true}}`, want: queryRequest{Query: "T"}},
		{body: `{"query":"  "}`, err: "MissingQuery"},
		{body: `{}`, err: "MissingQuery"},
		{body: `{"query":1}`, err: "must be a string"},
		{body: `{"query":"T"} {}`, err: "after the JSON object"},
		{body: `{"query":"T","timespan":"soon"}`, err: "InvalidTimespan"},
		{body: `not json`, err: "not valid JSON"},
		{body: ``, err: "not valid JSON"},
	}
	for _, c := range cases {
		got, e := decodeBody([]byte(c.body), now)
		if c.err != "" {
			if e == nil || !strings.Contains(e.Inner.Code+" "+e.Inner.Message, c.err) {
				t.Errorf("%s: want error %q, got %+v", c.body, c.err, e)
			} else if e.Status != http.StatusBadRequest || e.Code != "BadArgumentError" {
				t.Errorf("%s: status %d code %s", c.body, e.Status, e.Code)
			}
			continue
		}
		if e != nil {
			t.Errorf("%s: %v", c.body, e.Inner.Message)
			continue
		}
		if got.Query != c.want.Query || !got.Start.Equal(c.want.Start) || !got.End.Equal(c.want.End) || strings.Join(got.Workspaces, "|") != strings.Join(c.want.Workspaces, "|") {
			t.Errorf("%s: got %+v want %+v", c.body, got, c.want)
		}
	}
}

func TestParsePrefer(t *testing.T) {
	cases := []struct {
		in   []string
		want preferences
	}{
		{nil, preferences{}},
		{[]string{"include-render=true,include-statistics=true,wait=600"}, preferences{Render: true, Statistics: true, Wait: 600 * time.Second}},
		{[]string{"wait=30, include-statistics=true"}, preferences{Statistics: true, Wait: 30 * time.Second}}, // Python's order and spacing
		{[]string{"Include-Render=TRUE", "wait=5"}, preferences{Render: true, Wait: 5 * time.Second}},         // repeated header
		{[]string{"wait=abc,include-render=false,odata.maxpagesize=1"}, preferences{}},
		{[]string{"wait=-3"}, preferences{}},
		{[]string{"include-render, include-statistics"}, preferences{Render: true, Statistics: true}}, // bare tokens
		{[]string{"ai.response-thinning=false"}, preferences{Unthinned: true}},                        // Kqlmagic
		{[]string{"wait=99999"}, preferences{Wait: 3600 * time.Second}},
	}
	for _, c := range cases {
		if got := parsePrefer(c.in); got != c.want {
			t.Errorf("%q: got %+v want %+v", c.in, got, c.want)
		}
	}
}

func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{`{"query":"T | take 1"}`, `{"query":"T","timespan":"P1D","workspaces":["a"]}`,
		`{"query":"x","timespan":"2024-01-01T00:00:00Z/PT1H"}`, `{"query":null}`, `[]`, `{"query":"\u0000"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		q, e := decodeBody(body, now)
		if e != nil {
			if e.Status != http.StatusBadRequest || e.Inner == nil {
				t.Fatalf("bad error shape %+v", e)
			}
			b := appendError(nil, e, "id")
			if !jsonValid(append(append([]byte{'{'}, b...), '}')) {
				t.Fatalf("error not valid JSON: %s", b)
			}
			return
		}
		if strings.TrimSpace(q.Query) == "" {
			t.Fatal("accepted an empty query")
		}
		if q.End.Before(q.Start) {
			t.Fatalf("interval backwards: %v %v", q.Start, q.End)
		}
	})
}

func FuzzParseInterval(f *testing.F) {
	for _, s := range []string{"PT1H", "P1D", "PT3600.0S", "2024-01-01T00:00:00Z/2024-01-02T00:00:00Z", "P1Y2M3W4DT5H6M7.5S/2024-01-01", "2024-01-01/P1D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, err := parseInterval(s, now)
		if err == nil && end.Before(start) {
			t.Fatalf("%q: end before start", s)
		}
	})
}

func FuzzParsePrefer(f *testing.F) {
	f.Add("include-render=true,include-statistics=true,wait=600")
	f.Add("wait=1, x=y,,=,")
	f.Fuzz(func(t *testing.T, s string) {
		p := parsePrefer([]string{s})
		if p.Wait < 0 || p.Wait > time.Hour {
			t.Fatalf("%q: wait %v", s, p.Wait)
		}
	})
}
