package table

import (
	"testing"
	"time"
)

func TestDateTimeFormat(t *testing.T) {
	cases := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2017, 1, 30, 0, 0, 0, 0, time.UTC), "2017-01-30T00:00:00Z"},
		{time.Date(2015, 12, 31, 23, 59, 59, 900_000_000, time.UTC), "2015-12-31T23:59:59.9Z"},
		{time.Date(2017, 1, 1, 23, 59, 59, 999_999_900, time.UTC), "2017-01-01T23:59:59.9999999Z"},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), "0001-01-01T00:00:00Z"},
		{time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC), "1601-01-01T00:00:00Z"},
	}
	for _, c := range cases {
		d := FromTime(c.in)
		if got := d.String(); got != c.want {
			t.Errorf("%v: got %q want %q", c.in, got, c.want)
		}
		if !d.Time().Equal(c.in) {
			t.Errorf("round trip %v -> %v", c.in, d.Time())
		}
	}
	if MinDateTime.String() != "0001-01-01T00:00:00Z" || MaxDateTime.String() != "9999-12-31T23:59:59.9999999Z" {
		t.Errorf("range: %s .. %s", MinDateTime, MaxDateTime)
	}
}

func TestTimeSpanFormat(t *testing.T) {
	cases := map[TimeSpan]string{
		14 * Day:                               "14.00:00:00",
		-12 * Hour:                             "-12:00:00",
		Second + 500*Millisecond:               "00:00:01.5000000",
		0:                                      "00:00:00",
		2*Day + 3*Hour + 15*Minute + 17*Second: "2.03:15:17",
		Tick:                                   "00:00:00.0000001",
	}
	for in, want := range cases {
		if got := in.String(); got != want {
			t.Errorf("%d: got %q want %q", int64(in), got, want)
		}
	}
}

func TestVectorNullsAndTake(t *testing.T) {
	v := NewVector(TypeLong, 4)
	for _, x := range []any{int64(1), nil, int64(3)} {
		if err := v.Append(x); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Append("x"); err == nil {
		t.Fatal("appending a string to a long column must fail")
	}
	if !v.IsNull(1) || v.IsNull(0) || !v.IsNull(3) || v.Len() != 4 {
		t.Fatalf("nulls wrong: %v len %d", v.Nulls, v.Len())
	}
	g := v.Take([]int{2, 1, 0})
	if g.At(0) != int64(3) || g.At(1) != nil || g.At(2) != int64(1) {
		t.Fatalf("take: %v %v %v", g.At(0), g.At(1), g.At(2))
	}
	s := NewVector(TypeString, 1)
	_ = s.Append(nil)
	if s.IsNull(0) || s.At(0) != "" {
		t.Fatal("string null must be the empty string")
	}
}

func TestEncodeJSON(t *testing.T) {
	tb := New("PrimaryResult", Schema{{"a", TypeLong}, {"r", TypeReal}, {"d", TypeDynamic}, {"t", TypeTimeSpan}})
	dyn, err := ParseDynamic(`{"b":[1,2.5,{"c":null}],"big":9007199254740993}`)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.AppendRow(int64(9007199254740993), 0.0/zero(), dyn, 90*Minute); err != nil {
		t.Fatal(err)
	}
	b, err := EncodeJSON([]*Table{tb})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"tables":[{"name":"PrimaryResult","columns":[{"name":"a","type":"long"},{"name":"r","type":"real"},{"name":"d","type":"dynamic"},{"name":"t","type":"timespan"}],"rows":[[9007199254740993,"NaN",{"b":[1,2.5,{"c":null}],"big":9007199254740993},"01:30:00"]]}]}` + "\n"
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

func zero() float64 { return 0 }

func TestDateTimeInsideDynamic(t *testing.T) {
	d := FromTime(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	if got := DynamicJSON([]any{d, map[string]any{"t": d + DateTime(5*Millisecond)}}); got != `["2022-01-01T00:00:00.0000000Z",{"t":"2022-01-01T00:00:00.0050000Z"}]` {
		t.Fatalf("got %s", got)
	}
	if got := JSONValue(d); got != "2022-01-01T00:00:00Z" {
		t.Fatalf("a datetime column value keeps the short form, got %v", got)
	}
}
