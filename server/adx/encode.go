package adx

import (
	"math"
	"strconv"

	"github.com/kqlkernel/kqlkernel/server/wire"
	"github.com/kqlkernel/kqlkernel/table"
)

// appendValue writes one cell as the service does: long/int exact, real a number or
// "NaN"/"Infinity"/"-Infinity", decimal, datetime, timespan and guid strings, dynamic
// inline JSON, null as null.
func appendValue(b []byte, x any) []byte {
	switch v := x.(type) {
	case float64:
		return appendReal(b, v)
	case string:
		return wire.AppendString(b, v)
	}
	if out, ok := wire.AppendScalar(b, x); ok {
		return out
	}
	// Dynamic: bags, arrays and scalars inside them.
	return append(b, table.DynamicJSON(x)...)
}

func appendReal(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return wire.AppendString(b, table.FormatReal(f))
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// visualization is the render spec as the service's Visualization property value: a JSON
// object with PascalCase keys, column lists comma-joined, unset bounds "NaN"; all nulls
// when the query has no render.
func visualization(r *table.RenderSpec) string {
	if r == nil {
		r = &table.RenderSpec{}
	}
	b := wire.AppendVisualization(nil, r, appendReal)
	b = wire.AppendBound(wire.AppendKey(b, "Xmin"), r.XMin, appendReal)
	b = wire.AppendBound(wire.AppendKey(b, "Xmax"), r.XMax, appendReal)
	return string(append(b, '}'))
}
