package server

import (
	"math"
	"strconv"
	"strings"

	"github.com/kqlkernel/kqlkernel/server/wire"
	"github.com/kqlkernel/kqlkernel/table"
)

// The response is written by hand rather than through encoding/json: numbers must come out
// as the service writes them (longs exact, reals with a decimal point, NaN and infinities as
// strings) and strings without encoding/json's HTML escaping.

// appendTables writes `"tables":[...]`.
func appendTables(b []byte, tables []*table.Table) []byte {
	b = append(b, `"tables":[`...)
	for i, t := range tables {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = wire.AppendString(b, t.Name)
		b = append(b, `,"columns":[`...)
		for j, c := range t.Columns {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = wire.AppendString(b, c.Name)
			b = append(b, `,"type":`...)
			b = wire.AppendString(b, c.Type.String())
			b = append(b, '}')
		}
		b = append(b, `],"rows":[`...)
		b = appendRows(b, t)
		b = append(b, "]}"...)
	}
	return append(b, ']')
}

// appendRows writes a table's rows, `[v,...],[v,...]`, without the enclosing brackets.
func appendRows(b []byte, t *table.Table) []byte {
	n := t.Rows()
	for r := 0; r < n; r++ {
		if r > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, c := range t.Columns {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, c.Type, c.Data.At(r))
		}
		b = append(b, ']')
	}
	return b
}

// appendValue writes one cell as the service does: numbers and bools as JSON, datetime,
// timespan, guid and decimal as strings, dynamic as a string holding its JSON text, null
// as null.
func appendValue(b []byte, t table.Type, x any) []byte {
	switch v := x.(type) {
	case float64:
		return appendReal(b, v)
	case string:
		if t == table.TypeDynamic {
			return wire.AppendString(b, table.DynamicJSON(v))
		}
		return wire.AppendString(b, v)
	}
	if out, ok := wire.AppendScalar(b, x); ok {
		return out
	}
	if t == table.TypeDynamic {
		return wire.AppendString(b, table.DynamicJSON(x))
	}
	return wire.AppendString(b, table.Format(x))
}

// appendReal writes a finite real with a decimal point or exponent (2.0, not 2: Python and
// .NET clients would read 2 as an integer) and NaN and infinities as strings.
func appendReal(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return wire.AppendString(b, table.FormatReal(f))
	}
	abs := math.Abs(f)
	start := len(b)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
	} else {
		b = strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	if !strings.ContainsAny(string(b[start:]), ".eE") {
		b = append(b, ".0"...)
	}
	return b
}

// appendError writes the OneAPI error object's members (without the outer braces of the
// response): `"error":{...}`.
func appendError(b []byte, e *apiError, correlationID string) []byte {
	b = append(b, `"error":{"message":`...)
	b = wire.AppendString(b, e.Message)
	b = append(b, `,"code":`...)
	b = wire.AppendString(b, e.Code)
	if correlationID != "" {
		b = append(b, `,"correlationId":`...)
		b = wire.AppendString(b, correlationID)
	}
	if len(e.Details) > 0 {
		b = append(b, `,"details":[`...)
		for i, d := range e.Details {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendInner(b, d)
		}
		b = append(b, ']')
	}
	if e.Inner != nil {
		b = append(b, `,"innererror":`...)
		b = appendInner(b, e.Inner)
	}
	return append(b, '}')
}

func appendInner(b []byte, e *innerError) []byte {
	b = append(b, `{"code":`...)
	b = wire.AppendString(b, e.Code)
	b = append(b, `,"message":`...)
	b = wire.AppendString(b, e.Message)
	if e.Line > 0 {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(e.Line), 10)
		b = append(b, `,"pos":`...)
		b = strconv.AppendInt(b, int64(e.Pos), 10)
		if e.Token != "" {
			b = append(b, `,"token":`...)
			b = wire.AppendString(b, e.Token)
		}
	}
	if e.SeverityName != "" {
		b = append(b, `,"severity":`...)
		b = strconv.AppendInt(b, int64(e.Severity), 10)
		b = append(b, `,"severityName":`...)
		b = wire.AppendString(b, e.SeverityName)
	}
	if e.Inner != nil {
		b = append(b, `,"innererror":`...)
		b = appendInner(b, e.Inner)
	}
	return append(b, '}')
}

// appendRender writes the render metadata as the service does: camelCase names, unset
// strings null, yMin/yMax "NaN" when unset.
func appendRender(b []byte, r *table.RenderSpec) []byte {
	str := func(b []byte, key, v string) []byte {
		return wire.AppendOptString(wire.AppendKey(b, key), v)
	}
	num := func(b []byte, key string, v *float64) []byte {
		b = wire.AppendKey(b, key)
		if v == nil {
			return append(b, `"NaN"`...)
		}
		return appendReal(b, *v)
	}
	anyv := func(b []byte, key string, v any) []byte {
		return wire.AppendBound(wire.AppendKey(b, key), v, appendReal)
	}
	b = append(b, `"render":{"visualization":`...)
	b = wire.AppendString(b, r.Visualization)
	b = str(b, "title", r.Title)
	b = append(b, `,"accumulate":`...)
	b = strconv.AppendBool(b, r.Accumulate)
	b = append(b, `,"isQuerySorted":false`...)
	b = str(b, "kind", r.Kind)
	b = str(b, "legend", r.Legend)
	b = str(b, "series", strings.Join(r.Series, ","))
	b = num(b, "yMin", r.YMin)
	b = num(b, "yMax", r.YMax)
	b = anyv(b, "xMin", r.XMin)
	b = anyv(b, "xMax", r.XMax)
	b = str(b, "xAxis", r.XAxis)
	b = str(b, "xColumn", r.XColumn)
	b = str(b, "xTitle", r.XTitle)
	b = str(b, "yAxis", r.YAxis)
	b = str(b, "yColumns", strings.Join(r.YColumns, ","))
	b = str(b, "ySplit", r.YSplit)
	b = str(b, "yTitle", r.YTitle)
	b = str(b, "anomalyColumns", strings.Join(r.AnomalyColumns, ","))
	return append(b, '}')
}
