package workspace

import (
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

func TestParseDate(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2019-01-15 05:15:02.980", "2019-01-15T05:15:02.98Z"},
		{"2019-05-01T06:00:00Z", "2019-05-01T06:00:00Z"},
		{"2020-09-22T08:37:48.541Z", "2020-09-22T08:37:48.541Z"},
		{"2020-09-04 15:43:22.283000+00:00", "2020-09-04T15:43:22.283Z"},
		{"2020-09-04T17:43:22+02:00", "2020-09-04T15:43:22Z"},
		{"7/8/2019 16:08", "2019-07-08T16:08:00Z"},
		{"4/28/2021, 2:08:45.221 PM", "2021-04-28T14:08:45.221Z"},
		{"4/28/2021, 12:00:00.000 AM", "2021-04-28T00:00:00Z"},
		{"12/31/2020 11:59:59 PM", "2020-12-31T23:59:59Z"},
		{"2021-04-28", "2021-04-28T00:00:00Z"},
		{"2017-01-30T00:00:00.1234567", "2017-01-30T00:00:00.1234567Z"},
	}
	for _, c := range cases {
		d, ok := parseDate(c.in, nil)
		if !ok || d.String() != c.want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", c.in, d, ok, c.want)
		}
	}
	for _, s := range []string{"", "0x1610", "443", "10.0.3.5", "S-1-5-18", "13/45/2020 10:00", "2020-13-01", "hello world", "1-2"} {
		if d, ok := parseDate(s, nil); ok {
			t.Errorf("parseDate(%q) = %v, want no date", s, d)
		}
	}
}

func TestInferColumn(t *testing.T) {
	cases := []struct {
		values []string
		want   table.Type
	}{
		{[]string{"1", "", "-3"}, table.TypeLong},
		{[]string{"1", "2.5"}, table.TypeReal},
		{[]string{"443.0", "1e3"}, table.TypeReal},
		{[]string{"True", "false", ""}, table.TypeBool},
		{[]string{"0x1610", "0x888"}, table.TypeString},
		{[]string{"04", "10"}, table.TypeString},
		{[]string{"007.5"}, table.TypeString},
		{[]string{"9223372036854775807"}, table.TypeLong},
		{[]string{"9223372036854775808"}, table.TypeReal},
		{[]string{"7/8/2019 16:08", "2019-07-09 01:00:00"}, table.TypeDateTime},
		{[]string{"", ""}, table.TypeString},
		{[]string{"NaN"}, table.TypeString},
		{[]string{"{\"a\":1}"}, table.TypeString},
	}
	for _, c := range cases {
		if got := inferColumn(c.values); got != c.want {
			t.Errorf("inferColumn(%q) = %s, want %s", c.values, got, c.want)
		}
	}
}

func TestParseTimeSpan(t *testing.T) {
	cases := []struct {
		in   string
		want table.TimeSpan
		ok   bool
	}{
		{"00:00:01", table.Second, true},
		{"1.02:03:04.5000000", table.Day + 2*table.Hour + 3*table.Minute + 4*table.Second + 500*table.Millisecond, true},
		{"-12:00:00", -12 * table.Hour, true},
		{"00:00:00.5", 500 * table.Millisecond, true},
		{"24:00:00", 0, false},
		{"1:2", 0, false},
		{"00:00:00.12345678", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		got, ok := parseTimeSpan(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseTimeSpan(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2019-01-15 05:15:02.980", "4/28/2021, 2:08:45.221 PM", "1.02:03:04.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := parseDate(s, nil); ok && (d < table.MinDateTime || d > table.MaxDateTime) {
			t.Fatalf("parseDate(%q) = %d out of range", s, int64(d))
		}
		_, _ = parseTimeSpan(s)
	})
}
