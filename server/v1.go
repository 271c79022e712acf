package server

import (
	"strconv"

	"github.com/kqlkernel/kqlkernel/server/wire"
	"github.com/kqlkernel/kqlkernel/table"
)

// appendV1 writes Kusto's v1 response layout, which the service returns for
// `Prefer: ai.response-thinning=false` (Kqlmagic's request):
//
//	{"Tables":[{"TableName":"Table_0","Columns":[{"ColumnName":..,"DataType":"Int64","ColumnType":"long"}],"Rows":[..]},
//	  ... the @ExtendedProperties table (render) ..., the table of contents last]}
//
// A partial error is a {"Exceptions":[...]} object after the rows of the first table.
func appendV1(b []byte, tables []*table.Table, render *table.RenderSpec, partial error) []byte {
	type tocRow struct{ kind, name string }
	var toc []tocRow
	b = append(b, `{"Tables":[`...)
	n := 0
	for i, t := range tables {
		if n > 0 {
			b = append(b, ',')
		}
		b = wire.AppendV1Head(b, n, t.Columns)
		rows := t.Rows()
		b = appendRows(b, t)
		if i == 0 && partial != nil {
			if rows > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"Exceptions":[`...)
			b = wire.AppendString(b, partial.Error())
			b = append(b, "]}"...)
		}
		b = append(b, "]}"...)
		toc = append(toc, tocRow{"QueryResult", t.Name})
		n++
	}
	if render != nil && render.Visualization != "" {
		if n > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"TableName":`...)
		b = wire.AppendString(b, "Table_"+strconv.Itoa(n))
		b = append(b, `,"Columns":[{"ColumnName":"Value","DataType":"String","ColumnType":"string"}],"Rows":[[`...)
		b = wire.AppendString(b, string(visualizationV1(render)))
		b = append(b, "]]}"...)
		toc = append(toc, tocRow{"QueryProperties", "@ExtendedProperties"})
		n++
	}
	if n > 0 {
		b = append(b, ',')
	}
	b = append(b, `{"TableName":`...)
	b = wire.AppendString(b, "Table_"+strconv.Itoa(n))
	b = append(b, `,"Columns":[{"ColumnName":"Ordinal","DataType":"Int64","ColumnType":"long"},{"ColumnName":"Kind","DataType":"String","ColumnType":"string"},{"ColumnName":"Name","DataType":"String","ColumnType":"string"},{"ColumnName":"Id","DataType":"String","ColumnType":"string"},{"ColumnName":"PrettyName","DataType":"String","ColumnType":"string"}],"Rows":[`...)
	for i, r := range toc {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = wire.AppendString(b, r.kind)
		b = append(b, ',')
		b = wire.AppendString(b, r.name)
		b = append(b, ',')
		b = wire.AppendString(b, wire.NewID())
		b = append(b, `,""]`...)
	}
	return append(b, "]}]}"...)
}

// visualizationV1 is the render spec as Kusto's @ExtendedProperties value: PascalCase
// properties, "Visualization" first.
func visualizationV1(r *table.RenderSpec) []byte {
	return append(wire.AppendVisualization(nil, r, appendReal), '}')
}
