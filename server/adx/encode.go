package adx

import (
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kqlkernel/kqlkernel/server/wire"
	"github.com/kqlkernel/kqlkernel/table"
)

// appendValue writes one cell as the service does: long/int exact, real a number or
// "NaN"/"Infinity"/"-Infinity", decimal, datetime, timespan and guid strings, dynamic
// inline JSON, null as null.
func appendValue(b []byte, x any) []byte {
	switch v := x.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case int32:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		return appendReal(b, v)
	case string:
		return wire.AppendString(b, v)
	case decimal.Decimal:
		return wire.AppendString(b, v.String())
	case table.DateTime:
		return wire.AppendString(b, v.String())
	case table.TimeSpan:
		return wire.AppendString(b, v.String())
	case table.GUID:
		return wire.AppendString(b, string(v))
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
	str := func(b []byte, key, v string) []byte {
		b = append(b, ',', '"')
		b = append(b, key...)
		b = append(b, '"', ':')
		if v == "" {
			return append(b, "null"...)
		}
		return wire.AppendString(b, v)
	}
	bound := func(b []byte, key string, v any) []byte {
		b = append(b, ',', '"')
		b = append(b, key...)
		b = append(b, '"', ':')
		switch x := v.(type) {
		case float64:
			return appendReal(b, x)
		case int64:
			return strconv.AppendInt(b, x, 10)
		case table.DateTime:
			return wire.AppendString(b, x.String())
		}
		return append(b, "null"...)
	}
	b := []byte(`{"Visualization":`)
	if r.Visualization == "" {
		b = append(b, "null"...)
	} else {
		b = wire.AppendString(b, r.Visualization)
	}
	b = str(b, "Title", r.Title)
	b = str(b, "XColumn", r.XColumn)
	b = str(b, "Series", strings.Join(r.Series, ","))
	b = str(b, "YColumns", strings.Join(r.YColumns, ","))
	b = str(b, "AnomalyColumns", strings.Join(r.AnomalyColumns, ","))
	b = str(b, "XTitle", r.XTitle)
	b = str(b, "YTitle", r.YTitle)
	b = str(b, "XAxis", r.XAxis)
	b = str(b, "YAxis", r.YAxis)
	b = str(b, "Legend", r.Legend)
	b = str(b, "YSplit", r.YSplit)
	b = append(b, `,"Accumulate":`...)
	b = strconv.AppendBool(b, r.Accumulate)
	b = append(b, `,"IsQuerySorted":false`...)
	b = str(b, "Kind", r.Kind)
	for _, p := range []struct {
		key string
		v   *float64
	}{{"Ymin", r.YMin}, {"Ymax", r.YMax}} {
		if p.v == nil {
			b = append(b, `,"`+p.key+`":"NaN"`...)
		} else {
			b = append(b, `,"`+p.key+`":`...)
			b = appendReal(b, *p.v)
		}
	}
	b = bound(b, "Xmin", r.XMin)
	b = bound(b, "Xmax", r.XMax)
	return string(append(b, '}'))
}
