package fn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

// evalOne binds f to constant arguments and evaluates one row.
func evalOne(t *testing.T, f *Func, args ...any) (table.Type, any) {
	t.Helper()
	as := make([]Arg, len(args))
	vs := make([]*table.Vector, len(args))
	for i, a := range args {
		typ := typeOfGo(a)
		as[i] = Arg{Type: typ, Const: true, Value: a}
		v := table.NewVector(typ, 1)
		if err := v.Append(a); err != nil {
			t.Fatalf("arg %d: %v", i, err)
		}
		v.Const = true
		vs[i] = v
	}
	rt, impl, err := f.Bind(as)
	if err != nil {
		t.Fatalf("%s: bind: %v", f.Name, err)
	}
	out, err := impl(&Context{Now: table.DateTime(638000000000000000)}, vs, 1)
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	if out.Type != rt {
		t.Fatalf("%s: bound type %s but vector type %s", f.Name, rt, out.Type)
	}
	return rt, out.At(0)
}

func typeOfGo(x any) table.Type {
	switch x.(type) {
	case bool:
		return table.TypeBool
	case int32:
		return table.TypeInt
	case int64:
		return table.TypeLong
	case float64:
		return table.TypeReal
	case decimalT:
		return table.TypeDecimal
	case string:
		return table.TypeString
	case table.DateTime:
		return table.TypeDateTime
	case table.TimeSpan:
		return table.TypeTimeSpan
	case table.GUID:
		return table.TypeGUID
	}
	return table.TypeDynamic
}

func dt(s string) table.DateTime {
	d, ok := ParseDateTime(s)
	if !ok {
		panic(s)
	}
	return d
}

type fnCase struct {
	name string
	args []any
	typ  table.Type
	want any
}

func runCases(t *testing.T, lookup func(string) (*Func, bool), cases []fnCase) {
	t.Helper()
	for _, c := range cases {
		f, ok := lookup(c.name)
		if !ok {
			t.Errorf("%s: not registered", c.name)
			continue
		}
		typ, got := evalOne(t, f, c.args...)
		if typ != c.typ {
			t.Errorf("%s%v: type %s, want %s", c.name, c.args, typ, c.typ)
		}
		if !sameValue(got, c.want) {
			t.Errorf("%s%v = %#v, want %#v", c.name, c.args, got, c.want)
		}
	}
}

func sameValue(a, b any) bool {
	if fa, ok := a.(float64); ok {
		if fb, ok := b.(float64); ok {
			return fa == fb || (math.IsNaN(fa) && math.IsNaN(fb)) || math.Abs(fa-fb) <= 1e-12*math.Abs(fb)
		}
	}
	return DynamicJSON(a) == DynamicJSON(b) && typeOfGo(a) == typeOfGo(b)
}

func TestOperators(t *testing.T) {
	L, I, R, S := table.TypeLong, table.TypeInt, table.TypeReal, table.TypeString
	B, D, T := table.TypeBool, table.TypeDateTime, table.TypeTimeSpan
	_ = S
	runCases(t, Operator, []fnCase{
		{"+", []any{int32(1), int32(2)}, L, int64(3)},
		{"-", []any{int64(1), 2.5}, R, -1.5},
		{"/", []any{int64(7), int64(2)}, L, int64(3)},
		{"/", []any{int64(-7), int64(2)}, L, int64(-3)},
		{"%", []any{int64(-7), int64(2)}, L, int64(-1)},
		{"/", []any{int64(1), int64(0)}, L, nil},
		{"/", []any{1.0, 0.0}, R, math.Inf(1)},
		{"-", []any{dt("2020-01-02"), dt("2020-01-01")}, T, table.Day},
		{"+", []any{dt("2020-01-01"), table.Hour}, D, dt("2020-01-01T01:00:00")},
		{"*", []any{table.Hour, int64(2)}, T, 2 * table.Hour},
		{"*", []any{int64(2), table.Hour}, T, 2 * table.Hour},
		{"/", []any{table.Day, table.Hour}, R, 24.0},
		{"/", []any{table.Day, 2.0}, T, 12 * table.Hour},
		{"-", []any{int32(5)}, I, int32(-5)},
		{"==", []any{int64(1), 1.0}, B, true},
		{"<", []any{"a", "b"}, B, true},
		{"!=", []any{"a", "A"}, B, true},
		{"<>", []any{int64(1), int64(2)}, B, true},
		{"==", []any{dt("2020-01-01"), "2020-01-01"}, B, true},
		{"and", []any{true, false}, B, false},
		{"or", []any{false, true}, B, true},
		{"=~", []any{"ABC", "abc"}, B, true},
		{"!~", []any{"ABC", "abd"}, B, true},
		{"has", []any{"North America", "america"}, B, true},
		{"has", []any{"NorthAmerica", "america"}, B, false},
		{"has", []any{"a.b-c", "b"}, B, true},
		{"has", []any{"foo.bar", "o.b"}, B, false},
		{"has", []any{"foo.bar", ".bar"}, B, true},
		{"!has", []any{"North America", "america"}, B, false},
		{"has_cs", []any{"North America", "america"}, B, false},
		{"hasprefix", []any{"North America", "ame"}, B, true},
		{"hasprefix", []any{"North America", "mer"}, B, false},
		{"hassuffix", []any{"North America", "ica"}, B, true},
		{"contains", []any{"FabriKam", "BRik"}, B, true},
		{"contains_cs", []any{"FabriKam", "Kam"}, B, true},
		{"!contains_cs", []any{"Fabrikam", "Kam"}, B, true},
		{"startswith", []any{"Fabrikam", "fab"}, B, true},
		{"endswith", []any{"Fabrikam", "KAM"}, B, true},
		{"endswith_cs", []any{"Fabrikam", "KAM"}, B, false},
		{"matches regex", []any{"abc123", `\d+`}, B, true},
		{"in", []any{"b", "a", "b"}, B, true},
		{"!in", []any{"B", "a", "b"}, B, true},
		{"in~", []any{"B", "a", "b"}, B, true},
		{"in", []any{int64(2), []any{int64(1), int64(2)}}, B, true},
		{"in", []any{int64(3), []any{int64(1), int64(2)}}, B, false},
		{"has_any", []any{"run powershell now", "cmd", "PowerShell"}, B, true},
		{"has_all", []any{"run powershell now", "run", "cmd"}, B, false},
		{"between", []any{int64(5), int64(1), int64(5)}, B, true},
		{"between", []any{2.5, int64(1), int64(2)}, B, false},
		{"!between", []any{int64(6), int64(1), int64(5)}, B, true},
		{"between", []any{int64(-2), -2.5, -1.5}, B, true},
		{"between", []any{int64(-1), -2.5, -1.5}, B, false},
		{"between", []any{dt("2020-01-02"), dt("2020-01-01"), table.Day * 2}, B, true},
		{"[]", []any{[]any{int64(1), int64(2)}, int64(-1)}, table.TypeDynamic, int64(2)},
		{"[]", []any{map[string]any{"a": "x"}, "a"}, table.TypeDynamic, "x"},
	})
}

func TestNullSemantics(t *testing.T) {
	eq, _ := Operator("==")
	ne, _ := Operator("!=")
	lt, _ := Operator("<")
	and, _ := Operator("and")
	or, _ := Operator("or")
	mk := func(typ table.Type, vals ...any) *table.Vector {
		v := table.NewVector(typ, len(vals))
		for _, x := range vals {
			_ = v.Append(x)
		}
		return v
	}
	run := func(f *Func, a, b *table.Vector) []any {
		_, impl, err := f.Bind([]Arg{{Type: a.Type}, {Type: b.Type}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := impl(&Context{}, []*table.Vector{a, b}, a.Len())
		if err != nil {
			t.Fatal(err)
		}
		res := make([]any, a.Len())
		for i := range res {
			res[i] = out.At(i)
		}
		return res
	}
	a := mk(table.TypeLong, int64(5), nil, nil)
	b := mk(table.TypeLong, nil, int64(5), nil)
	check := func(name string, got []any, want ...any) {
		t.Helper()
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s row %d = %v, want %v", name, i, got[i], want[i])
			}
		}
	}
	check("==", run(eq, a, b), false, false, nil)
	check("!=", run(ne, a, b), true, true, nil)
	check("<", run(lt, a, b), nil, nil, nil)
	x := mk(table.TypeBool, true, false, nil, nil, nil)
	y := mk(table.TypeBool, nil, nil, true, false, nil)
	check("and", run(and, x, y), nil, false, nil, false, nil)
	check("or", run(or, x, y), true, nil, true, nil, nil)
}

func TestFunctions(t *testing.T) {
	L, I, R, S := table.TypeLong, table.TypeInt, table.TypeReal, table.TypeString
	B, D, T, Y, G := table.TypeBool, table.TypeDateTime, table.TypeTimeSpan, table.TypeDynamic, table.TypeGUID
	runCases(t, Lookup, []fnCase{
		// conversion
		{"tostring", []any{int64(123)}, S, "123"},
		{"tostring", []any{1.5}, S, "1.5"},
		{"tostring", []any{1e20}, S, "1E+20"},
		{"tostring", []any{0.00001}, S, "1E-05"},
		{"tostring", []any{table.Day + table.Hour}, S, "1.01:00:00"},
		{"tostring", []any{map[string]any{"a": 1.0}}, S, `{"a":1.0}`},
		{"toint", []any{"abc"}, I, nil},
		{"toint", []any{"12"}, I, int32(12)},
		{"tolong", []any{2.9}, L, int64(2)},
		{"toreal", []any{"1.5"}, R, 1.5},
		{"todouble", []any{int64(2)}, R, 2.0},
		{"tobool", []any{"TRUE"}, B, true},
		{"toboolean", []any{int64(0)}, B, false},
		{"toguid", []any{"0123456789ABCDEF0123456789ABCDEF"}, G, table.GUID("01234567-89ab-cdef-0123-456789abcdef")},
		{"todatetime", []any{"2015-12-31 23:59:59.9"}, D, dt("2015-12-31T23:59:59.9")},
		{"totimespan", []any{"1.02:03:04"}, T, table.Day + 2*table.Hour + 3*table.Minute + 4*table.Second},
		{"totimespan", []any{"10m"}, T, 10 * table.Minute},
		// null and conditionals
		{"isempty", []any{""}, B, true},
		{"isnotempty", []any{"a"}, B, true},
		{"isnull", []any{"a"}, B, false},
		{"iff", []any{true, int32(1), int64(2)}, L, int64(1)},
		{"iif", []any{false, "a", "b"}, S, "b"},
		{"case", []any{false, int64(1), true, int64(2), int64(3)}, L, int64(2)},
		{"coalesce", []any{"", "x"}, S, "x"},
		{"max_of", []any{int64(10), int64(1), int64(-3), int64(17)}, L, int64(17)},
		{"min_of", []any{int64(10), int64(1), int64(-3), int64(17)}, L, int64(-3)},
		{"not", []any{true}, B, false},
		// strings
		{"strlen", []any{"héllo"}, L, int64(5)},
		{"strlen", []any{"⒦⒰⒮⒯⒪"}, L, int64(5)},
		{"strlen", []any{"C\u0327edilla"}, L, int64(8)},
		{"strlen", []any{"\U0001F600"}, L, int64(1)},
		{"string_size", []any{"héllo"}, L, int64(6)},
		{"tolower", []any{"ABC"}, S, "abc"},
		{"toupper", []any{"abc"}, S, "ABC"},
		{"substring", []any{"123456", int64(1), int64(2)}, S, "23"},
		{"substring", []any{"123456", int64(10)}, S, ""},
		{"substring", []any{"123456", int64(-2), int64(2)}, S, "56"},
		{"round", []any{-50.55, int64(-2)}, R, -100.0},
		{"round", []any{21.5, int64(-1)}, R, 20.0},
		{"round", []any{2.15, int64(1)}, R, 2.2},
		{"indexof", []any{"abcdefg", "cde"}, L, int64(2)},
		{"indexof", []any{"abcdefg", "xyz"}, L, int64(-1)},
		{"indexof", []any{"abcabc", "c", int64(0), int64(-1), int64(2)}, L, int64(5)},
		{"strcat", []any{"a", int64(1), 1.5}, S, "a11.5"},
		{"strcat_delim", []any{"-", "a", "b"}, S, "a-b"},
		{"split", []any{"a,b,c", ","}, Y, []any{"a", "b", "c"}},
		{"split", []any{"a,b,c", ",", int64(1)}, Y, []any{"b"}},
		{"extract", []any{`x=(\d+)`, int64(1), "a x=42 b"}, S, "42"},
		{"extract", []any{`x=(\d+)`, int64(1), "nothing"}, S, ""},
		{"extract", []any{`x=(\d+)`, int64(1), "a x=42 b", "long"}, L, int64(42)},
		{"extract_all", []any{`(\d)`, "a1b2"}, Y, []any{"1", "2"}},
		{"replace_string", []any{"aXbX", "X", "y"}, S, "ayby"},
		{"replace_regex", []any{"Number is 5", `is (\d+)`, `was: \1`}, S, "Number was: 5"},
		{"trim", []any{"1", "11211"}, S, "2"},
		{"trim_start", []any{`[^\w]+`, "--ab--"}, S, "ab--"},
		{"trim_end", []any{`[^\w]+`, "--ab--"}, S, "--ab"},
		{"countof", []any{"aaa", "aa"}, L, int64(2)},
		{"countof", []any{"aaa", "a+", "regex"}, L, int64(1)},
		{"reverse", []any{"abc"}, S, "cba"},
		{"strrep", []any{"ab", int64(3), "-"}, S, "ab-ab-ab"},
		{"translate", []any{"abc", "x", "abcd"}, S, "xxxd"},
		{"tohex", []any{int64(256)}, S, "100"},
		{"tohex", []any{int64(-256)}, S, "ffffffffffffff00"},
		{"tohex", []any{int32(-256), int64(8)}, S, "ffffff00"},
		{"has_any_index", []any{"this is an example", []any{"not", "example"}}, L, int64(1)},
		{"strcmp", []any{"abc", "ABC"}, L, int64(1)},
		// time
		{"bin", []any{4.5, int64(1)}, R, 4.0},
		{"bin", []any{int64(-1), int64(2)}, L, int64(-2)},
		{"bin", []any{16 * table.Day, 7 * table.Day}, T, 14 * table.Day},
		{"bin", []any{dt("1970-05-11T13:45:07"), table.Day}, D, dt("1970-05-11")},
		{"floor", []any{dt("1970-05-11T13:45:07"), table.Hour}, D, dt("1970-05-11T13:00:00")},
		{"bin_at", []any{dt("2017-05-15T10:20:00"), table.Day, dt("2017-05-14T12:00:00")}, D, dt("2017-05-14T12:00:00")},
		{"startofday", []any{dt("2017-01-01T10:10:17")}, D, dt("2017-01-01")},
		{"endofday", []any{dt("2017-01-01T10:10:17")}, D, dt("2017-01-01T23:59:59.9999999")},
		{"startofweek", []any{dt("2017-01-04")}, D, dt("2017-01-01")},
		{"startofmonth", []any{dt("2017-01-04"), int64(1)}, D, dt("2017-02-01")},
		{"endofyear", []any{dt("2017-05-04")}, D, dt("2017-12-31T23:59:59.9999999")},
		{"datetime_add", []any{"month", int64(1), dt("2017-01-31")}, D, dt("2017-02-28")},
		{"datetime_diff", []any{"month", dt("2017-03-01"), dt("2016-12-31")}, L, int64(3)},
		{"datetime_diff", []any{"day", dt("2017-01-02T00:00:01"), dt("2017-01-01T23:59:59")}, L, int64(1)},
		{"datetime_part", []any{"week_of_year", dt("2017-10-30")}, L, int64(44)},
		{"dayofweek", []any{dt("1970-05-12")}, T, 2 * table.Day},
		{"getyear", []any{dt("2015-10-12")}, L, int64(2015)},
		{"format_datetime", []any{dt("2017-01-29T09:00:05"), "yy-MM-dd [hh:mm:ss tt]"}, S, "17-01-29 [09:00:05 AM]"},
		{"format_timespan", []any{29*table.Day + 9*table.Hour + 5*table.Second + 1234500, "ddd.h:mm:ss [fffffff]"}, S, "029.9:00:05 [1234500]"},
		{"make_datetime", []any{int64(2017), int64(10), int64(1), int64(12), int64(10), 1.5}, D, dt("2017-10-01T12:10:01.5")},
		{"make_timespan", []any{int64(1), int64(12), int64(30), int64(55)}, T, table.Day + 12*table.Hour + 30*table.Minute + 55*table.Second},
		{"unixtime_seconds_todatetime", []any{int64(1546300800)}, D, dt("2019-01-01")},
		{"unixtime_milliseconds_todatetime", []any{1546300800123.0}, D, dt("2019-01-01T00:00:00.123")},
		{"ago", []any{table.Day}, D, table.DateTime(638000000000000000) - table.DateTime(table.Day)},
		{"now", nil, D, table.DateTime(638000000000000000)},
		// math
		{"round", []any{2.5}, R, 3.0},
		{"round", []any{1.234, int64(2)}, R, 1.23},
		{"round", []any{int32(5)}, I, int32(5)},
		{"abs", []any{int64(-5)}, L, int64(5)},
		{"ceiling", []any{int64(0)}, R, 0.0},
		{"pow", []any{int64(2), int64(10)}, R, 1024.0},
		{"sqrt", []any{int64(4)}, R, 2.0},
		{"log10", []any{100.0}, R, 2.0},
		{"sign", []any{int64(-3)}, R, -1.0},
		{"isnan", []any{math.NaN()}, B, true},
		{"binary_and", []any{int64(6), int64(3)}, L, int64(2)},
		// dynamic
		{"parse_json", []any{`{"a":[1,2]}`}, Y, map[string]any{"a": []any{int64(1), int64(2)}}},
		{"todynamic", []any{"not json"}, Y, "not json"},
		{"bag_pack", []any{"a", int64(1), "b", "x"}, Y, map[string]any{"a": int64(1), "b": "x"}},
		{"pack_array", []any{int64(1), "a"}, Y, []any{int64(1), "a"}},
		{"array_length", []any{[]any{int64(1), int64(2)}}, L, int64(2)},
		{"array_length", []any{"x"}, L, nil},
		{"bag_keys", []any{map[string]any{"b": int64(1), "a": int64(2)}}, Y, []any{"a", "b"}},
		{"set_union", []any{[]any{int64(1), int64(2)}, []any{int64(2), int64(3)}}, Y, []any{int64(1), int64(2), int64(3)}},
		{"set_intersect", []any{[]any{int64(1), int64(2)}, []any{int64(2), int64(3)}}, Y, []any{int64(2)}},
		{"set_difference", []any{[]any{int64(1), int64(2)}, []any{int64(2), int64(3)}}, Y, []any{int64(1)}},
		{"array_concat", []any{[]any{int64(1)}, []any{"a"}}, Y, []any{int64(1), "a"}},
		{"array_slice", []any{[]any{int64(1), int64(2), int64(3)}, int64(1), int64(-1)}, Y, []any{int64(2), int64(3)}},
		{"array_index_of", []any{[]any{"a", "b"}, "b"}, L, int64(1)},
		{"array_sort_asc", []any{[]any{int64(3), nil, int64(1)}}, Y, []any{int64(1), int64(3), nil}},
		{"array_reverse", []any{[]any{int64(1), int64(2)}}, Y, []any{int64(2), int64(1)}},
		{"set_has_element", []any{[]any{"a", "b"}, "b"}, B, true},
		{"strcat_array", []any{[]any{int64(1), "a"}, "-"}, S, "1-a"},
		{"zip", []any{[]any{int64(1), int64(2)}, []any{"a"}}, Y, []any{[]any{int64(1), "a"}, []any{int64(2), nil}}},
		{"array_sum", []any{[]any{int64(1), 2.5}}, R, 3.5},
		{"bag_merge", []any{map[string]any{"a": int64(1)}, map[string]any{"a": int64(2), "b": int64(3)}}, Y, map[string]any{"a": int64(1), "b": int64(3)}},
		{"bag_remove_keys", []any{map[string]any{"a": int64(1), "b": int64(2)}, []any{"a"}}, Y, map[string]any{"b": int64(2)}},
		{"treepath", []any{map[string]any{"a": []any{int64(1)}}}, Y, []any{"$['a']", "$['a'][0]"}},
		{"extract_json", []any{"$.a[1]", `{"a":[1,2]}`}, S, "2"},
		{"gettype", []any{[]any{}}, S, "array"},
		{"gettype", []any{int64(111)}, S, "long"},
		{"parse_json", []any{""}, Y, nil},
		{"indexof", []any{"abcdefgabcdefg", "cde", int64(1), int64(10), int64(2)}, L, int64(9)},
		{"indexof", []any{"abcdefg", "cde", int64(1), int64(2)}, L, int64(-1)},
		{"indexof", []any{"abcdefg", "cde", int64(-5)}, L, int64(2)},
		{"range", []any{int64(1), int64(7), int64(3)}, Y, []any{int64(1), int64(4), int64(7)}},
		// misc
		{"hash", []any{"World"}, L, int64(1846988464401551951)},
		{"hash", []any{"World", int64(100)}, L, int64(51)},
		{"hash_md5", []any{"World"}, S, "f5a7924e621e84c9280a9a27e1bcb7f6"},
		{"hash_sha256", []any{"World"}, S, "78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524"},
		{"base64_encode_tostring", []any{"Kusto"}, S, "S3VzdG8="},
		{"base64_decode_tostring", []any{"S3VzdG8="}, S, "Kusto"},
		{"url_encode", []any{"https://www.bing.com/hello world"}, S, "https%3a%2f%2fwww.bing.com%2fhello+world"},
		{"url_decode", []any{"a%20b"}, S, "a b"},
		{"parse_command_line", []any{`echo "hello world" x`, "windows"}, Y, []any{"echo", "hello world", "x"}},
		{"parse_ipv4", []any{"127.0.0.1"}, L, int64(2130706433)},
		{"parse_ipv4_mask", []any{"127.0.0.1", int64(24)}, L, int64(2130706432)},
		{"ipv4_is_private", []any{"192.168.1.1"}, B, true},
		{"ipv4_is_private", []any{"8.8.8.8"}, B, false},
		{"ipv4_is_in_range", []any{"192.168.1.6", "192.168.1.1/24"}, B, true},
		{"ipv4_is_match", []any{"192.168.1.1/24", "192.168.1.255"}, B, true},
		{"ipv4_compare", []any{"127.0.0.1", "127.0.0.2"}, L, int64(-1)},
		{"has_ipv4", []any{"05:04:54 127.0.0.1 GET", "127.0.0.1"}, B, true},
		{"has_ipv4_prefix", []any{"05:04:54 127.0.0.1 GET", "127.0."}, B, true},
		{"parse_ipv6", []any{"192.168.255.255/24"}, S, "0000:0000:0000:0000:0000:ffff:c0a8:ff00"},
		{"punycode_from_string", []any{"académie-française"}, S, "acadmie-franaise-npb1a"},
		{"punycode_to_string", []any{"acadmie-franaise-npb1a"}, S, "académie-française"},
		{"format_bytes", []any{int64(10332), int64(1)}, S, "10.1 KB"},
		{"parse_xml", []any{`<?xml version="1.0"?><e name="v">t<a>x</a><a>y</a><b/></e>`}, Y, map[string]any{"e": map[string]any{"@name": "v", "#text": "t", "a": []any{"x", "y"}, "b": nil}}},
		{"parse_path", []any{`C:\temp\file.txt`}, Y, map[string]any{"Scheme": "", "RootPath": "C:", "DirectoryPath": `C:\temp`, "DirectoryName": "temp", "Filename": "file.txt", "Extension": "txt", "AlternateDataStreamName": ""}},
		{"parse_path", []any{"file://C:/temp/file.txt:some.exe"}, Y, map[string]any{"Scheme": "file", "RootPath": "C:", "DirectoryPath": "C:/temp", "DirectoryName": "temp", "Filename": "file.txt", "Extension": "txt", "AlternateDataStreamName": "some.exe"}},
		{"parse_path", []any{`\\shared\users\temp\file.txt.gz`}, Y, map[string]any{"Scheme": "", "RootPath": "", "DirectoryPath": `\\shared\users\temp`, "DirectoryName": "temp", "Filename": "file.txt.gz", "Extension": "gz", "AlternateDataStreamName": ""}},
		{"split", []any{"", "_"}, Y, []any{""}},
		{"arraylength", []any{[]any{int64(1)}}, L, int64(1)},
		{"geo_point_to_geohash", []any{-122.404, 37.791}, S, "9q8yy"},
		{"series_add", []any{[]any{int64(1), int64(2)}, []any{int64(3), int64(4)}}, Y, []any{4.0, 6.0}},
	})
}

func TestParseDateTime(t *testing.T) {
	cases := map[string]string{
		"2014-05-25T08:20:03.123456Z":      "2014-05-25T08:20:03.123456Z",
		"2014-11-08 15:55:55.123456Z":      "2014-11-08T15:55:55.123456Z",
		"2014-11-08 15:55":                 "2014-11-08T15:55:00Z",
		"2014-11-08":                       "2014-11-08T00:00:00Z",
		"2015-12-31 23:59:59.9":            "2015-12-31T23:59:59.9Z",
		"2014-05-25T08:20:03.12345678":     "2014-05-25T08:20:03.1234567Z",
		"Sat, 8 Nov 14 15:05:02 GMT":       "2014-11-08T15:05:02Z",
		"Sat, 8 Nov 14 15:05":              "2014-11-08T15:05:00Z",
		"8 Nov 14 15:05 EST":               "2014-11-08T20:05:00Z",
		"Saturday, 08-Nov-14 15:05:02 GMT": "2014-11-08T15:05:02Z",
		"08-Nov-14 15:05:02":               "2014-11-08T15:05:02Z",
		"2014-11-08T15:05:02+02:00":        "2014-11-08T13:05:02Z",
		"12-02-2022":                       "2022-12-02T00:00:00Z",
		"0001-01-01":                       "0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59.9999999Z":     "9999-12-31T23:59:59.9999999Z",
		"2020-02-30":                       "",
		"2020-13-01":                       "",
		"not a date":                       "",
	}
	for in, want := range cases {
		d, ok := ParseDateTime(in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != want {
			t.Errorf("ParseDateTime(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFFTRoundTrip(t *testing.T) {
	for _, n := range []int{8, 12} {
		re := make([]float64, n)
		im := make([]float64, n)
		for i := range re {
			re[i] = math.Sin(float64(i)) + float64(i%3)
			im[i] = math.Cos(float64(2 * i))
		}
		fr, fi := dft(re, im, false)
		// DC term is the plain sum.
		var sr float64
		for _, v := range re {
			sr += v
		}
		if math.Abs(fr[0]-sr) > 1e-9 {
			t.Errorf("n=%d: DC %v, want %v", n, fr[0], sr)
		}
		br, bi := dft(fr, fi, true)
		for i := range re {
			if math.Abs(br[i]-re[i]) > 1e-9 || math.Abs(bi[i]-im[i]) > 1e-9 {
				t.Fatalf("n=%d: round trip differs at %d", n, i)
			}
		}
	}
}

func TestFloorToMultiples(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sizes := []int64{1, 7, 600000000, 36000000000, 864000000000, 3155378975999999999}
	src := make([]int64, 4096)
	for i := range src {
		src[i] = r.Int64N(int64(table.MaxDateTime)) - int64(i%3)*r.Int64N(1<<40)
	}
	dst := make([]int64, len(src))
	for _, size := range sizes {
		floorToMultiples(dst, src, 1, size)
		for i, x := range src {
			if want := floorDiv(x, size) * size; dst[i] != want {
				t.Fatalf("floor(%d, %d) = %d, want %d", x, size, dst[i], want)
			}
		}
	}
}

func TestRegistryBindsEveryFunction(t *testing.T) {
	// Every registered function must reject or accept arguments without panicking.
	for _, name := range Names() {
		f, _ := Lookup(name)
		for _, args := range [][]Arg{nil, {{Type: table.TypeString, Const: true, Value: "x"}}, {{Type: table.TypeLong}, {Type: table.TypeLong}}} {
			_, impl, err := f.Bind(args)
			if err != nil || impl == nil {
				continue
			}
			vs := make([]*table.Vector, len(args))
			for i, a := range args {
				v := table.NewVector(a.Type, 2)
				_ = v.Append(a.Value)
				_ = v.Append(nil)
				if a.Type == table.TypeString {
					_ = v.Append("y")
					v.Strs = v.Strs[:2]
				}
				vs[i] = v
			}
			if len(vs) > 0 && vs[0].Len() != 2 {
				continue
			}
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s%v panicked: %v", name, args, p)
					}
				}()
				_, _ = impl(&Context{}, vs, 2)
			}()
		}
	}
}
