package fn

import (
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

func vecOf(t table.Type, vals ...any) *table.Vector {
	v := table.NewVector(t, len(vals))
	for _, x := range vals {
		if err := v.Append(x); err != nil {
			panic(err)
		}
	}
	return v
}

func constOf(t table.Type, x any) *table.Vector {
	v := vecOf(t, x)
	v.Const = true
	return v
}

// TestVectorPaths runs the typed batch loops on several rows (with nulls and constants)
// and checks them row by row.
func TestVectorPaths(t *testing.T) {
	L, S, B, D, T := table.TypeLong, table.TypeString, table.TypeBool, table.TypeDateTime, table.TypeTimeSpan
	cases := []struct {
		name string
		op   bool
		args []*table.Vector
		want []any
	}{
		{"tostring", false, []*table.Vector{vecOf(L, int64(1), nil, int64(-23), int64(0))}, []any{"1", "", "-23", "0"}},
		{"strcat", false, []*table.Vector{vecOf(S, "a", "", "c"), constOf(S, "-"), vecOf(L, int64(1), nil, int64(3))}, []any{"a-1", "-", "c-3"}},
		{"tolower", false, []*table.Vector{vecOf(S, "AbC", "abc", "ÄB", "")}, []any{"abc", "abc", "äb", ""}},
		{"toupper", false, []*table.Vector{vecOf(S, "AbC", "x1")}, []any{"ABC", "X1"}},
		{"has", true, []*table.Vector{vecOf(S, "run PowerShell.exe", "powershellx", "x powershell", ""), constOf(S, "powershell")}, []any{true, false, true, false}},
		{"contains", true, []*table.Vector{vecOf(S, "run PowerShell.exe", "POWERSHEL", ""), constOf(S, "powershell")}, []any{true, false, false}},
		{"==", true, []*table.Vector{vecOf(S, "a", "b"), constOf(S, "a")}, []any{true, false}},
		{"=~", true, []*table.Vector{vecOf(S, "A", "ab"), constOf(S, "a")}, []any{true, false}},
		{">", true, []*table.Vector{vecOf(L, int64(1), nil, int64(5)), constOf(L, int64(2))}, []any{false, nil, true}},
		{"+", true, []*table.Vector{vecOf(L, int64(1), nil, int64(5)), vecOf(L, int64(2), int64(3), nil)}, []any{int64(3), nil, nil}},
		{"bin", false, []*table.Vector{vecOf(D, dt("2020-01-01T10:20:30"), nil), constOf(T, table.Hour)}, []any{dt("2020-01-01T10:00:00"), nil}},
		{"startofday", false, []*table.Vector{vecOf(D, dt("2020-01-01T10:20:30"), nil)}, []any{dt("2020-01-01"), nil}},
		{"isempty", false, []*table.Vector{vecOf(S, "", "x")}, []any{true, false}},
		{"isnull", false, []*table.Vector{vecOf(L, int64(1), nil)}, []any{false, true}},
		{"iff", false, []*table.Vector{vecOf(B, true, false, nil), vecOf(L, int64(1), int64(2), int64(3)), constOf(L, int64(0))}, []any{int64(1), int64(0), int64(0)}},
		{"in", true, []*table.Vector{vecOf(L, int64(1), int64(2), nil), constOf(L, int64(2)), constOf(L, int64(3))}, []any{false, true, false}},
		{"not", false, []*table.Vector{vecOf(B, true, false, nil)}, []any{false, true, nil}},
		{"extract", false, []*table.Vector{constOf(S, `x=(\d+)`), constOf(L, int64(1)), vecOf(S, "a x=42", "none", "x=7 x=8")}, []any{"42", "", "7"}},
		{"extract", false, []*table.Vector{constOf(S, `x=(\d+)`), constOf(L, int64(0)), vecOf(S, "a x=42")}, []any{"x=42"}},
		{"substring", false, []*table.Vector{vecOf(S, "123456", "ab", "héllo"), constOf(L, int64(1)), constOf(L, int64(3))}, []any{"234", "b", "éll"}},
		{"substring", false, []*table.Vector{vecOf(S, "123456"), constOf(L, int64(-2))}, []any{"56"}},
		{"replace_string", false, []*table.Vector{vecOf(S, "aXbX", "none"), constOf(S, "X"), constOf(S, "yy")}, []any{"ayybyy", "none"}},
		{"indexof", false, []*table.Vector{vecOf(S, "abcdef", "héllo", "zzz"), constOf(S, "l")}, []any{int64(-1), int64(2), int64(-1)}},
		{"toint", false, []*table.Vector{vecOf(S, "12", "abc", "99999999999")}, []any{int32(12), nil, nil}},
		{"tolong", false, []*table.Vector{vecOf(S, "12", "abc", " 7 ")}, []any{int64(12), nil, int64(7)}},
		{"toreal", false, []*table.Vector{vecOf(S, "1.5", "x")}, []any{1.5, nil}},
		{"todatetime", false, []*table.Vector{vecOf(S, "2020-01-01", "bad")}, []any{dt("2020-01-01"), nil}},
		{"format_datetime", false, []*table.Vector{vecOf(D, dt("2017-01-29T09:00:05"), nil), constOf(S, "yy-MM-dd [HH:mm:ss]")}, []any{"17-01-29 [09:00:05]", ""}},
		{"getyear", false, []*table.Vector{vecOf(D, dt("2017-01-29T09:00:05"), nil)}, []any{int64(2017), nil}},
		{"hourofday", false, []*table.Vector{vecOf(D, dt("2017-01-29T09:00:05"))}, []any{int64(9)}},
		{"has_any", true, []*table.Vector{vecOf(S, "run PowerShell.exe -enc", "nothing here", "x.evil.com y", "CMD"), constOf(S, "powershell"), constOf(S, "cmd"), constOf(S, "evil.com"), constOf(S, "mimikatz"), constOf(S, "-enc")}, []any{true, false, true, true}},
		{"has_any", true, []*table.Vector{vecOf(S, "PowerShellx", "a-encx"), constOf(S, "powershell"), constOf(S, "cmd"), constOf(S, "evil.com"), constOf(S, "mimikatz"), constOf(S, "-enc")}, []any{false, false}},
		{"and", true, []*table.Vector{vecOf(B, true, false, nil), constOf(B, true)}, []any{true, false, nil}},
	}
	for _, c := range cases {
		var f *Func
		var ok bool
		if c.op {
			f, ok = Operator(c.name)
		} else {
			f, ok = Lookup(c.name)
		}
		if !ok {
			t.Fatalf("%s missing", c.name)
		}
		args := make([]Arg, len(c.args))
		for i, v := range c.args {
			args[i] = Arg{Type: v.Type, Const: v.Const}
			if v.Const {
				args[i].Value = v.At(0)
			}
		}
		_, impl, err := f.Bind(args)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		out, err := impl(&Context{}, c.args, len(c.want))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i, w := range c.want {
			if got := out.At(i); !sameValue(got, w) {
				t.Errorf("%s row %d = %#v, want %#v", c.name, i, got, w)
			}
		}
	}
}
