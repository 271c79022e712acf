package render

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

// FuzzChart feeds arbitrary numbers (NaN, infinities, huge, denormal, repeated x) to every
// kind with log and linear axes: a chart either draws or says why, and never panics or hangs.
func FuzzChart(f *testing.F) {
	seed := make([]byte, 0, 64)
	for _, v := range []float64{1, 2, math.Inf(1), math.NaN(), -1e308, 0, 5e-324, 3} {
		seed = binary.LittleEndian.AppendUint64(seed, math.Float64bits(v))
	}
	f.Add(uint8(0), uint8(0), seed)
	f.Add(uint8(6), uint8(1), seed)
	f.Fuzz(func(t *testing.T, kind, flags uint8, raw []byte) {
		kinds := Kinds()
		k := kinds[int(kind)%len(kinds)]
		tb := table.New("T", table.Schema{{Name: "x", Type: table.TypeReal}, {Name: "s", Type: table.TypeString}, {Name: "y", Type: table.TypeReal}, {Name: "e", Type: table.TypeReal}})
		for i := 0; i+16 <= len(raw) && i < 16*200; i += 16 {
			x := math.Float64frombits(binary.LittleEndian.Uint64(raw[i:]))
			y := math.Float64frombits(binary.LittleEndian.Uint64(raw[i+8:]))
			_ = tb.AppendRow(x, string(rune('a'+i%3)), y, x+y)
		}
		spec := &table.RenderSpec{Visualization: k}
		if flags&1 != 0 {
			spec.YAxis = "log"
		}
		if flags&2 != 0 {
			spec.XAxis = "log"
		}
		if flags&4 != 0 {
			spec.Kind = "stacked100"
		}
		if flags&8 != 0 {
			spec.YSplit = "axes"
		}
		if flags&16 != 0 {
			v := float64(int8(flags))
			spec.YMin, spec.YMax = &v, nil
		}
		_, err := Chart(tb, spec, ChartOptions{Width: 200, Height: 120})
		if err != nil && strings.Contains(err.Error(), "could not draw") {
			t.Fatal(err)
		}
	})
}
