package check

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONL(t *testing.T) {
	in := `{"id": "a", "query": "T | take 1"}
{"id": 2, "query": "T | summerize count()"}

{"id": null, "query": "print 'é' | wher x"}
`
	var out bytes.Buffer
	if err := JSONL(context.Background(), "in", strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d result lines:\n%s", len(lines), out.String())
	}
	if lines[0] != `{"id":"a","ok":true,"diagnostics":[]}` {
		t.Errorf("ok line: %s", lines[0])
	}
	var r Result
	if err := json.Unmarshal([]byte(lines[1]), &r); err != nil {
		t.Fatal(err)
	}
	if r.OK || string(r.ID) != "2" || len(r.Diagnostics) != 1 {
		t.Fatalf("result %+v", r)
	}
	d := r.Diagnostics[0]
	if d.Line != 1 || d.Col != 5 || d.Offset != 4 || d.Hint != "did you mean 'summarize'?" {
		t.Errorf("diagnostic %+v", d)
	}
	if err := json.Unmarshal([]byte(lines[2]), &r); err != nil {
		t.Fatal(err)
	}
	// columns count code points: 'é' is one column though two bytes
	if d := r.Diagnostics[0]; d.Col != 13 || d.Offset != 13 {
		t.Errorf("unicode diagnostic %+v", d)
	}
}

func TestJSONLBadLine(t *testing.T) {
	err := JSONL(context.Background(), "in", strings.NewReader("{\"id\":1}\n"), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "in line 1") {
		t.Fatalf("error %v", err)
	}
}

func TestText(t *testing.T) {
	var out bytes.Buffer
	ok, err := Text(&out, "q.kql", "T\n| where (a")
	if err != nil || ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	want := "q.kql:2:11: expected ')' to close '(' at 2:9, found end of query\n| where (a\n          ^\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}
