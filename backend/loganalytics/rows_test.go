package loganalytics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kqlkernel/kqlkernel/table"
)

// referenceRows is the generic decode decodeRows replaced: every row into []any with
// UseNumber, then convert per cell. The streaming decoder must agree with it.
func referenceRows(body []byte) ([]*table.Table, error) {
	var w struct {
		Tables []struct {
			Name    string `json:"name"`
			Columns []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"columns"`
			Rows [][]any `json:"rows"`
		} `json:"tables"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&w); err != nil {
		return nil, err
	}
	var out []*table.Table
	for _, wt := range w.Tables {
		schema := make(table.Schema, len(wt.Columns))
		for i, c := range wt.Columns {
			typ, ok := table.ParseType(c.Type)
			if !ok {
				typ = table.TypeDynamic
			}
			schema[i] = table.ColumnSchema{Name: c.Name, Type: typ}
		}
		t := table.New(wt.Name, schema)
		for _, row := range wt.Rows {
			if len(row) != len(schema) {
				return nil, fmt.Errorf("ragged")
			}
			vals := make([]any, len(row))
			for ci, raw := range row {
				v, err := convert(schema[ci].Type, raw)
				if err != nil {
					return nil, err
				}
				vals[ci] = v
			}
			if err := t.AppendRow(vals...); err != nil {
				return nil, err
			}
		}
		out = append(out, t)
	}
	return out, nil
}

func FuzzDecodeRowsMatchesGeneric(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "service_response.json")); err == nil {
		f.Add(b)
	}
	f.Add(securityEventBody(3))
	f.Add([]byte(`{"tables":[{"name":"T","columns":[{"name":"a","type":"string"},{"name":"b","type":"guid"},{"name":"c","type":"dynamic"},{"name":"d","type":"long"},{"name":"e","type":"real"}],"rows":[["a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x","ABC","{\"x\":[1,2.5]}",9223372036854775807,"NaN"],[null,"",null,"1e3",1e5],[1,"\u0041",[1,{"y":null}],-0,-1.5e-3]]}]}`))
	f.Add([]byte("{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"a\",\"type\":\"string\"}],\"rows\":[[\"\xff\\n\"]]}]}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if !json.Valid(body) {
			return // both reject it; only the wording differs
		}
		want, werr := referenceRows(body)
		d, err := decodeBody(body, "")
		if (werr == nil) != (err == nil) {
			t.Fatalf("reference error %v, streaming error %v", werr, err)
		}
		if err != nil {
			return
		}
		if len(want) != len(d.tables) {
			t.Fatalf("%d tables, want %d", len(d.tables), len(want))
		}
		for ti, wt := range want {
			got := d.tables[ti]
			if got.Rows() != wt.Rows() || len(got.Columns) != len(wt.Columns) {
				t.Fatalf("table %d: %d rows x %d columns, want %d x %d", ti, got.Rows(), len(got.Columns), wt.Rows(), len(wt.Columns))
			}
			for ci, wc := range wt.Columns {
				gc := got.Columns[ci]
				for r := 0; r < wt.Rows(); r++ {
					g, w := cellText(gc.Data, r), cellText(wc.Data, r)
					if g != w {
						t.Fatalf("table %d column %d row %d: got %s, want %s", ti, ci, r, g, w)
					}
				}
			}
		}
	})
}

// cellText is a cell for comparison. Decimals are shown as coefficient and exponent: their
// String of "1e999999999" would be a billion digits long.
func cellText(v *table.Vector, r int) string {
	x := v.At(r)
	if d, ok := x.(decimal.Decimal); ok {
		x = fmt.Sprintf("%se%d", d.Coefficient(), d.Exponent())
	}
	return fmt.Sprintf("%v %v", v.IsNull(r), x)
}

func TestUnquoteMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{`""`, `"plain"`, `"C:\\Windows\\System32"`, `"\"q\" \/ \b\f\n\r\t"`, `"\u00e9\u20AC"`, `"\ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"x\ud83d"`} {
		var want string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		got, ok := unquote([]byte(s))
		if !ok || got != want {
			t.Errorf("unquote(%s) = %q, %v; want %q", s, got, ok, want)
		}
	}
	if _, ok := unquote([]byte("\"\xff\"")); ok {
		t.Errorf("invalid UTF-8 must be left to encoding/json")
	}
}
