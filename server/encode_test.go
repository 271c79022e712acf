package server

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kqlkernel/kqlkernel/table"
)

var update = flag.Bool("update", false, "rewrite golden files")

func jsonValid(b []byte) bool { return json.Valid(b) }

func TestAppendReal(t *testing.T) {
	cases := map[float64]string{
		2: "2.0", 0: "0.0", -1.5: "-1.5", 1e21: "1e+21", 1e20: "100000000000000000000.0", 1e-7: "1e-07",
		0.1: "0.1", math.MaxFloat64: "1.7976931348623157e+308", math.NaN(): `"NaN"`, math.Inf(1): `"Infinity"`, math.Inf(-1): `"-Infinity"`,
	}
	for in, want := range cases {
		if got := string(appendReal(nil, in)); got != want {
			t.Errorf("%v: got %s want %s", in, got, want)
		}
	}
}

// TestResponseGolden pins the exact bytes of a response with every type: what azlogs,
// azure-monitor-query and Kqlmagic read.
func TestResponseGolden(t *testing.T) {
	tb := table.New("PrimaryResult", table.Schema{
		{Name: "b", Type: table.TypeBool}, {Name: "i", Type: table.TypeInt}, {Name: "l", Type: table.TypeLong},
		{Name: "r", Type: table.TypeReal}, {Name: "m", Type: table.TypeDecimal}, {Name: "s", Type: table.TypeString},
		{Name: "d", Type: table.TypeDateTime}, {Name: "ts", Type: table.TypeTimeSpan}, {Name: "g", Type: table.TypeGUID},
		{Name: "dyn", Type: table.TypeDynamic},
	})
	dyn, _ := table.ParseDynamic(`{"a":[1,2.5,null],"big":9007199254740993}`)
	rows := [][]any{
		{true, int32(1), int64(9007199254740993), 2.0, decimal.RequireFromString("0.1"), `a"b`, table.DateTime(638400000000000000), 90 * table.Minute, table.GUID("74be27de-1e4e-49d9-b579-fe0b331d3642"), dyn},
		{nil, nil, nil, math.NaN(), nil, "", nil, nil, nil, nil},
		{false, int32(-2), int64(math.MinInt64), math.Inf(1), decimal.RequireFromString("-12.50"), "∑", table.DateTime(638400000001234567), -table.Day - table.Tick, table.GUID("00000000-0000-0000-0000-000000000000"), "text"},
	}
	for _, r := range rows {
		if err := tb.AppendRow(r...); err != nil {
			t.Fatal(err)
		}
	}
	ymax := 10.0
	b := []byte{'{'}
	b = appendTables(b, []*table.Table{tb})
	b = append(b, ',')
	b = appendRender(b, &table.RenderSpec{Visualization: "timechart", Title: "T", YMax: &ymax, Series: []string{"a", "b"}})
	b = append(b, ',')
	b = appendError(b, partialError(errString("limit reached")), "00000000-0000-0000-0000-000000000001")
	b = append(b, "}\n"...)
	if !json.Valid(b) {
		t.Fatalf("invalid JSON: %s", b)
	}
	path := filepath.Join("testdata", "response.golden.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(want) {
		t.Fatalf("response changed:\n got %s\nwant %s", b, want)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// TestV1Layout pins the Kusto v1 layout served for `Prefer: ai.response-thinning=false`
// (Kqlmagic): data tables, @ExtendedProperties with the render, the table of contents last.
func TestV1Layout(t *testing.T) {
	tb := table.New("PrimaryResult", table.Schema{{Name: "n", Type: table.TypeLong}, {Name: "d", Type: table.TypeDynamic}})
	dyn, _ := table.ParseDynamic(`{"a":1}`)
	if err := tb.AppendRow(int64(9007199254740993), dyn); err != nil {
		t.Fatal(err)
	}
	b := appendV1(nil, []*table.Table{tb}, &table.RenderSpec{Visualization: "piechart", Title: "T"}, errString("cut short"))
	var v struct {
		Tables []struct {
			TableName string
			Columns   []struct{ ColumnName, DataType, ColumnType string }
			Rows      []json.RawMessage
		}
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if len(v.Tables) != 3 || v.Tables[0].TableName != "Table_0" || v.Tables[2].TableName != "Table_2" {
		t.Fatalf("tables: %s", b)
	}
	c := v.Tables[0].Columns
	if c[0].DataType != "Int64" || c[0].ColumnType != "long" || c[1].DataType != "Object" || c[1].ColumnType != "dynamic" {
		t.Fatalf("columns: %+v", c)
	}
	if string(v.Tables[0].Rows[0]) != `[9007199254740993,"{\"a\":1}"]` || string(v.Tables[0].Rows[1]) != `{"Exceptions":["cut short"]}` {
		t.Fatalf("rows: %s", b)
	}
	var props []string
	if err := json.Unmarshal(v.Tables[1].Rows[0], &props); err != nil || !strings.HasPrefix(props[0], `{"Visualization":"piechart","Title":"T",`) {
		t.Fatalf("extended properties: %s", v.Tables[1].Rows[0])
	}
	var toc [][]any
	for _, r := range v.Tables[2].Rows {
		var row []any
		_ = json.Unmarshal(r, &row)
		toc = append(toc, row)
	}
	if len(toc) != 2 || toc[0][1] != "QueryResult" || toc[0][2] != "PrimaryResult" || toc[1][1] != "QueryProperties" || toc[1][2] != "@ExtendedProperties" {
		t.Fatalf("table of contents: %v", toc)
	}
}
