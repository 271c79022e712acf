package fn

import (
	"fmt"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

// Benchmarks of the hot operators over one batch of benchN rows (the engine calls an
// Impl per batch). Run: go test -bench . -benchmem ./engine/fn

const benchN = 1 << 16

func benchStrings() *table.Vector {
	cmds := []string{
		`C:\Windows\System32\svchost.exe -k netsvcs -p -s Schedule`,
		`"C:\Program Files\PowerShell\7\pwsh.exe" -NoProfile -EncodedCommand SQBFAFgA`,
		`C:\Windows\system32\cmd.exe /c whoami /all`,
		`powershell.exe -ExecutionPolicy Bypass -File C:\temp\run.ps1`,
		`C:\Windows\explorer.exe`,
	}
	v := &table.Vector{Type: table.TypeString, Strs: make([]string, benchN)}
	for i := range v.Strs {
		v.Strs[i] = cmds[i%len(cmds)] + fmt.Sprint(i%97)
	}
	return v
}

func constArg(t table.Type, x any) (Arg, *table.Vector) {
	v := table.NewVector(t, 1)
	_ = v.Append(x)
	v.Const = true
	return Arg{Type: t, Const: true, Value: x}, v
}

func benchOp(b *testing.B, op string, col *table.Vector, rhs any, rt table.Type) {
	f, ok := Operator(op)
	if !ok {
		f, ok = Lookup(op)
	}
	if !ok {
		b.Fatalf("no %s", op)
	}
	args := []Arg{{Type: col.Type}}
	vecs := []*table.Vector{col}
	if rhs != nil {
		a, v := constArg(rt, rhs)
		args = append(args, a)
		vecs = append(vecs, v)
	}
	_, impl, err := f.Bind(args)
	if err != nil {
		b.Fatal(err)
	}
	ctx := &Context{}
	b.SetBytes(benchN)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := impl(ctx, vecs, benchN); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHas(b *testing.B) {
	benchOp(b, "has", benchStrings(), "powershell", table.TypeString)
}

func BenchmarkHasCS(b *testing.B) {
	benchOp(b, "has_cs", benchStrings(), "powershell", table.TypeString)
}

func BenchmarkContains(b *testing.B) {
	benchOp(b, "contains", benchStrings(), "whoami", table.TypeString)
}

func BenchmarkStringEq(b *testing.B) {
	benchOp(b, "==", benchStrings(), "C:\\Windows\\explorer.exe1", table.TypeString)
}

func BenchmarkEqTilde(b *testing.B) {
	benchOp(b, "=~", benchStrings(), "c:\\windows\\explorer.exe1", table.TypeString)
}

func BenchmarkToLower(b *testing.B) {
	benchOp(b, "tolower", benchStrings(), nil, 0)
}

func BenchmarkInStrings(b *testing.B) {
	f, _ := Operator("in")
	col := benchStrings()
	a1, v1 := constArg(table.TypeString, "C:\\Windows\\explorer.exe1")
	a2, v2 := constArg(table.TypeString, "x")
	_, impl, _ := f.Bind([]Arg{{Type: table.TypeString}, a1, a2})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _ = impl(&Context{}, []*table.Vector{col, v1, v2}, benchN)
	}
}

func benchTimes() *table.Vector {
	v := &table.Vector{Type: table.TypeDateTime, Ints: make([]int64, benchN)}
	base := int64(638000000000000000)
	for i := range v.Ints {
		v.Ints[i] = base + int64(i)*int64(table.Second)*7
	}
	return v
}

func BenchmarkBinDateTime(b *testing.B) {
	benchOp(b, "bin", benchTimes(), table.TimeSpan(table.Hour), table.TypeTimeSpan)
}

func BenchmarkDateTimeGreater(b *testing.B) {
	benchOp(b, ">", benchTimes(), table.DateTime(638000000000000000+int64(table.Hour)), table.TypeDateTime)
}

func BenchmarkLongPlus(b *testing.B) {
	v := &table.Vector{Type: table.TypeLong, Ints: make([]int64, benchN)}
	for i := range v.Ints {
		v.Ints[i] = int64(i)
	}
	benchOp(b, "+", v, int64(3), table.TypeLong)
}

func BenchmarkStartOfDay(b *testing.B) {
	benchOp(b, "startofday", benchTimes(), nil, 0)
}

func BenchmarkHasAny200Terms(b *testing.B) {
	f, _ := Operator("has_any")
	col := benchStrings()
	list := make([]any, 200)
	for i := range list {
		list[i] = fmt.Sprintf("ioc%04dterm", i)
	}
	list[199] = "whoami"
	a, v := constArg(table.TypeDynamic, list)
	_, impl, err := f.Bind([]Arg{{Type: table.TypeString}, a})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchN)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _ = impl(&Context{}, []*table.Vector{col, v}, benchN)
	}
}
