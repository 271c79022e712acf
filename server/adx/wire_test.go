package adx_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	kerrors "github.com/Azure/azure-kusto-go/azkustodata/errors"
	v1 "github.com/Azure/azure-kusto-go/azkustodata/query/v1"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/kusto"
	"github.com/kqlkernel/kqlkernel/server/adx"
)

func post(t *testing.T, url, body string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// Without results_v2_fragment_primary_tables (other clients, curl) the tables come as
// DataTable frames, and the dataset is one JSON array.
func TestV2Unfragmented(t *testing.T) {
	_, srv := serve(t, demoBackend(t), adx.Options{MaxRows: 2})
	resp, body := post(t, srv.URL+"/v2/rest/query", `{"db":"demo","csl":"range x from 1 to 3 step 1 | extend s = strcat('r', x)"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var frames []map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&frames); err != nil {
		t.Fatalf("not one JSON array: %v\n%s", err, body)
	}
	var types []string
	for _, f := range frames {
		types = append(types, f["FrameType"].(string))
	}
	if got := strings.Join(types, ","); got != "DataSetHeader,DataTable,DataTable,DataTable,DataSetCompletion" {
		t.Fatalf("frames: %s", got)
	}
	primary := frames[2]
	if primary["TableKind"] != "PrimaryResult" || len(primary["Rows"].([]any)) != 2 {
		t.Fatalf("primary: %v", primary)
	}
	if done := frames[4]; done["HasErrors"] != true || !strings.Contains(string(body), "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Fatalf("completion: %v", done)
	}
	// Each frame on its own line, as the fragmented reader needs.
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
	}
	if lines != len(frames)+1 {
		t.Fatalf("%d lines for %d frames", lines, len(frames))
	}
}

// The v1 query layout, read by azkustodata's own v1 decoder: rows, the table of contents,
// and a partial error as Exceptions.
func TestV1Query(t *testing.T) {
	_, srv := serve(t, demoBackend(t), adx.Options{})
	resp, body := post(t, srv.URL+"/v1/rest/query", `{"db":"demo","csl":"print l=9007199254740993, s='x' | render piechart","properties":"{\"Options\":{\"truncationmaxrecords\":5}}"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	ds, err := v1.NewDatasetFromReader(context.Background(), kerrors.OpQuery, io.NopCloser(bytes.NewReader(body)))
	if err != nil {
		t.Fatalf("v1 decode: %v\n%s", err, body)
	}
	tables := ds.Tables()
	if len(tables) != 1 || len(tables[0].Rows()) != 1 {
		t.Fatalf("tables: %d", len(tables))
	}
	l, err := tables[0].Rows()[0].LongByIndex(0)
	if err != nil || *l != 9007199254740993 {
		t.Fatalf("long: %v %v", l, err)
	}
	if info := ds.Info(); len(info) != 1 || !strings.Contains(info[0].Value, `"Visualization":"piechart"`) {
		t.Fatalf("properties: %+v", info)
	}
	// Partial: the rows, then the error (the service's layout: azkustodata's v1 reader
	// reports the error, as it does for the service's own partialError.json).
	_, body = post(t, srv.URL+"/v1/rest/query", `{"db":"demo","csl":"range x from 1 to 10 step 1","properties":{"Options":{"truncationmaxrecords":4}}}`)
	_, err = v1.NewDatasetFromReader(context.Background(), kerrors.OpQuery, io.NopCloser(bytes.NewReader(body)))
	if err == nil || !strings.Contains(err.Error(), "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Fatalf("partial v1: %v\n%s", err, body)
	}
	var doc struct {
		Tables     []struct{ Rows []json.RawMessage }
		Exceptions []string
	}
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Tables[0].Rows) != 5 || !strings.HasPrefix(string(doc.Tables[0].Rows[4]), `{"Exceptions":[`) || len(doc.Exceptions) != 1 {
		t.Fatalf("partial v1 layout: %v\n%s", err, body)
	}
}

func TestMgmtCommands(t *testing.T) {
	_, srv := serve(t, demoBackend(t), adx.Options{})
	for _, tc := range []struct{ cmd, want string }{
		{".show tables", `"SecurityEvent","demo"`},
		{".show databases", `"demo"`},
		{".show version", `"kqlkernel"`},
		{".show functions", `"Rows":[`},
		{".show database schema", `"SecurityEvent","EventID","System.Int32"`},
	} {
		resp, body := post(t, srv.URL+"/v1/rest/mgmt", `{"db":"demo","csl":"`+tc.cmd+`"}`)
		if resp.StatusCode != 200 || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %.300s", tc.cmd, resp.StatusCode, body)
		}
	}
	resp, body := post(t, srv.URL+"/v1/rest/mgmt", `{"db":"demo","csl":".drop table SecurityEvent"}`)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "General_BadRequest") {
		t.Errorf(".drop: %d %s", resp.StatusCode, body)
	}
	resp, body = post(t, srv.URL+"/v2/rest/query", `{"db":"demo","csl":".show tables"}`)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "/v1/rest/mgmt") {
		t.Errorf("command on v2: %d %s", resp.StatusCode, body)
	}
	for _, bad := range []string{`{`, `{"db":"demo"}`, `{"db":"demo","csl":"print 1","properties":{"Options":{"servertimeout":"nope"}}}`} {
		resp, body := post(t, srv.URL+"/v2/rest/query", bad)
		if resp.StatusCode != 400 || !strings.Contains(string(body), `"@permanent":true`) {
			t.Errorf("%s: %d %s", bad, resp.StatusCode, body)
		}
	}
}

// Two hops: the ADX API over a kusto backend over the ADX API over the engine. The service's
// errors pass through with their position; rows and types too.
func TestProxyChain(t *testing.T) {
	inner, _ := serve(t, demoBackend(t), adx.Options{MaxRows: 3})
	outer, _ := serve(t, inner, adx.Options{})
	q := "print x = 1\n| extend y = nope"
	_, err := outer.Query(context.Background(), backend.Request{Query: q})
	var ke *kusto.Error
	if !errors.As(err, &ke) || ke.InnerCode != "SEM0100" || ke.Line != 2 || ke.Offset != strings.Index(q, "nope") {
		t.Fatalf("through two hops: %+v", err)
	}
	resp, err := outer.Query(context.Background(), backend.Request{Query: "print l=9223372036854775807, d=dynamic({'a':[1]})"})
	if err != nil || resp.Tables[0].Columns[0].Data.At(0) != int64(9223372036854775807) {
		t.Fatalf("rows: %v", err)
	}
	// A partial result stays partial: the rows and the inner service's error.
	resp, err = outer.Query(context.Background(), backend.Request{Query: "range x from 1 to 9 step 1"})
	if err != nil || resp.Tables[0].Rows() != 3 || !errors.As(resp.Partial, &ke) || ke.Code != "LimitsExceeded" || !strings.Contains(ke.Error(), "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Fatalf("partial through two hops: %v %+v", err, resp.Partial)
	}
}

func TestServerTimeout(t *testing.T) {
	_, srv := serve(t, demoBackend(t), adx.Options{})
	resp, body := post(t, srv.URL+"/v2/rest/query", `{"db":"demo","csl":"range x from 1 to 100000000000 step 1 | summarize sum(x % 7)","properties":{"Options":{"servertimeout":"00:00:00.05"}}}`)
	if resp.StatusCode != http.StatusGatewayTimeout || !strings.Contains(string(body), "Request_ExecutionTimeout") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}
