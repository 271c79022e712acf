package wire

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kqlkernel/kqlkernel/table"
)

func TestAppendString(t *testing.T) {
	cases := map[string]string{
		"plain": `"plain"`, `q"b\`: `"q\"b\\"`, "a\nb\tc\r": `"a\nb\tc\r"`, "\x00\x1f": `"\u0000\u001f"`,
		"<&>": `"<&>"`, "héllo ∑": `"héllo ∑"`, "\u2028": `"\u2028"`, "bad\xffutf8": `"bad\ufffdutf8"`,
	}
	for in, want := range cases {
		got := AppendString(nil, in)
		if string(got) != want {
			t.Errorf("%q: got %s want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// FuzzAppendString: every Go string becomes a JSON string that decodes to its valid-UTF-8 self.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b\\c", "\x00\x1f\u2028", "héllo", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := AppendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, b, err)
		}
		if back != strings.ToValidUTF8(s, "\ufffd") && utf8.ValidString(s) {
			t.Fatalf("%q -> %q", s, back)
		}
	})
}

// TestAppendVisualization pins the PascalCase render properties byte for byte: Kqlmagic and
// azure-kusto-data read them by name and the order is the service's.
func TestAppendVisualization(t *testing.T) {
	y, z := 2.0, -1e-7
	real := func(b []byte, f float64) []byte { return strconv.AppendFloat(b, f, 'g', -1, 64) }
	cases := []struct {
		r    *table.RenderSpec
		want string
	}{
		{&table.RenderSpec{}, `{"Visualization":null,"Title":null,"XColumn":null,"Series":null,"YColumns":null,"AnomalyColumns":null,"XTitle":null,"YTitle":null,"XAxis":null,"YAxis":null,"Legend":null,"YSplit":null,"Accumulate":false,"IsQuerySorted":false,"Kind":null,"Ymin":"NaN","Ymax":"NaN"`},
		{&table.RenderSpec{Visualization: "barchart", Title: "T \"q\"", XColumn: "x", Series: []string{"a", "b"}, YColumns: []string{"c"}, AnomalyColumns: []string{"d"},
			XTitle: "xt", YTitle: "yt", XAxis: "log", YAxis: "linear", Legend: "hidden", YSplit: "panels", Accumulate: true, Kind: "stacked", YMin: &y, YMax: &z},
			`{"Visualization":"barchart","Title":"T \"q\"","XColumn":"x","Series":"a,b","YColumns":"c","AnomalyColumns":"d","XTitle":"xt","YTitle":"yt","XAxis":"log","YAxis":"linear","Legend":"hidden","YSplit":"panels","Accumulate":true,"IsQuerySorted":false,"Kind":"stacked","Ymin":2,"Ymax":-1e-07`},
	}
	for _, c := range cases {
		if got := string(AppendVisualization(nil, c.r, real)); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
	for in, want := range map[any]string{nil: "null", int64(-3): "-3", 1.5: "1.5", table.DateTime(0): `"` + table.DateTime(0).String() + `"`, "x": "null"} {
		if got := string(AppendBound(nil, in, real)); got != want {
			t.Errorf("bound %v: got %s want %s", in, got, want)
		}
	}
}

func TestNewID(t *testing.T) {
	a, b := NewID(), NewID()
	if a == b || len(a) != 36 || a[8] != '-' || a[13] != '-' || a[14] != '4' || a[18] != '-' || !strings.ContainsRune("89ab", rune(a[19])) || a[23] != '-' {
		t.Fatalf("not two random v4 UUIDs: %s %s", a, b)
	}
}

func TestAppendV1Head(t *testing.T) {
	tb := table.New("ignored", table.Schema{{Name: "n", Type: table.TypeLong}, {Name: `s"`, Type: table.TypeString}})
	want := `{"TableName":"Table_2","Columns":[{"ColumnName":"n","DataType":"Int64","ColumnType":"long"},{"ColumnName":"s\"","DataType":"String","ColumnType":"string"}],"Rows":[`
	if got := string(AppendV1Head(nil, 2, tb.Columns)); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
