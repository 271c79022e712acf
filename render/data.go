package render

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// xKind is what the x axis holds.
type xKind uint8

const (
	xNumber   xKind = iota
	xTime           // datetime, as Unix seconds
	xSpan           // timespan, as seconds
	xCategory       // labels; x values are indexes into chartData.categories
)

// maxSeries bounds what one chart draws; the rest are counted and mentioned.
const maxSeries = 100

// series is one line, area, set of bars or points.
type series struct {
	name  string
	yCol  int       // index into chartData.yNames (panels split on it)
	x, y  []float64 // y is NaN for null
	flags []float64 // anomalychart: non-zero marks an anomaly at that point
}

// chartData is a table reduced to what a chart needs.
type chartData struct {
	viz        string
	xName      string
	xKind      xKind
	yNames     []string
	seriesCols []string
	categories []string
	series     []*series
	dropped    int // series beyond maxSeries
	points     int // points over all series, before any reduction
}

// unixEpochTicks is 1970-01-01 in ticks.
const unixEpochTicks = 621355968000000000

func ticksToUnix(t int64) float64 { return float64(t-unixEpochTicks) / 1e7 }

// unixToTime converts Unix seconds back to a UTC time.
func unixToTime(s float64) time.Time {
	sec := math.Floor(s)
	return time.Unix(int64(sec), int64((s-sec)*1e9)).UTC()
}

// colInfo describes one column for inference.
type colInfo struct {
	idx   int
	name  string
	typ   table.Type
	array bool       // dynamic column holding arrays (make-series output)
	elem  table.Type // for arrays: the type of the first non-null element
}

func describe(t *table.Table) []colInfo {
	cols := make([]colInfo, len(t.Columns))
	for i, c := range t.Columns {
		ci := colInfo{idx: i, name: c.Name, typ: c.Type}
		if c.Type == table.TypeDynamic && c.Data != nil {
			for r := 0; r < min(t.Rows(), 50); r++ {
				if a, ok := c.Data.At(r).([]any); ok {
					ci.array = true
					ci.elem = arrayElemType(a)
					break
				} else if c.Data.At(r) != nil {
					break
				}
			}
		}
		cols[i] = ci
	}
	return cols
}

// arrayElemType guesses the type of an array's elements from its first non-null one.
func arrayElemType(a []any) table.Type {
	for _, e := range a {
		switch v := e.(type) {
		case nil:
			continue
		case table.DateTime:
			return table.TypeDateTime
		case table.TimeSpan:
			return table.TypeTimeSpan
		case int64, int32, float64:
			return table.TypeReal
		case string:
			if _, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return table.TypeDateTime
			}
			return table.TypeString
		default:
			return table.TypeDynamic
		}
	}
	return table.TypeInvalid
}

func (c colInfo) valueType() table.Type {
	if c.array {
		return c.elem
	}
	return c.typ
}

func (c colInfo) numeric() bool {
	t := c.valueType()
	return t.Numeric() || (c.array && t == table.TypeInvalid)
}

func (c colInfo) temporal() bool {
	t := c.valueType()
	return t == table.TypeDateTime
}

// seriesLike: columns whose values name a series.
func (c colInfo) seriesLike() bool {
	if c.array {
		return false
	}
	switch c.typ {
	case table.TypeString, table.TypeGUID, table.TypeBool, table.TypeDynamic:
		return true
	}
	return false
}

func columnList(cols []colInfo) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.name + ":" + c.typ.String()
	}
	return strings.Join(parts, ", ")
}

// resolve applies the render spec's properties and, where they are missing, infers the x,
// y and series columns as the KQL render docs describe.
func resolve(t *table.Table, spec *table.RenderSpec, viz string) (*chartData, error) {
	cols := describe(t)
	if len(cols) == 0 {
		return nil, fmt.Errorf("render %s: the result has no columns", viz)
	}
	find := func(prop, name string) (int, error) {
		for _, c := range cols {
			if c.name == name {
				return c.idx, nil
			}
		}
		for _, c := range cols { // Kusto names are case-sensitive, but be kind to a slip
			if strings.EqualFold(c.name, name) {
				return c.idx, nil
			}
		}
		return -1, fmt.Errorf("render %s: %s %q is not a column of the result (columns: %s)", viz, prop, name, columnList(cols))
	}
	used := make([]bool, len(cols))
	d := &chartData{viz: viz}

	// x axis
	x := -1
	if spec.XColumn != "" {
		i, err := find("xcolumn", spec.XColumn)
		if err != nil {
			return nil, err
		}
		x = i
	} else {
		x = inferX(cols, viz)
		if x < 0 {
			return nil, fmt.Errorf("render %s: no datetime column for the x axis (columns: %s); use xcolumn= or `extend` one", viz, columnList(cols))
		}
	}
	used[x] = true
	xc := cols[x]
	d.xName = xc.name
	switch {
	case categoryViz(viz):
		d.xKind = xCategory
	case xc.valueType() == table.TypeDateTime:
		d.xKind = xTime
	case xc.valueType() == table.TypeTimeSpan:
		d.xKind = xSpan
	case xc.numeric():
		d.xKind = xNumber
	default:
		d.xKind = xCategory
	}

	// anomaly flags
	var anomaly []int
	if viz == "anomalychart" {
		names := spec.AnomalyColumns
		if len(names) == 0 {
			for _, c := range cols {
				if strings.Contains(strings.ToLower(c.name), "anomal") && c.idx != x {
					names = append(names, c.name)
				}
			}
		}
		for _, n := range names {
			i, err := find("anomalycolumns", n)
			if err != nil {
				return nil, err
			}
			anomaly = append(anomaly, i)
			used[i] = true
		}
	}

	// series
	var ser []int
	for _, n := range spec.Series {
		i, err := find("series", n)
		if err != nil {
			return nil, err
		}
		if !used[i] {
			ser = append(ser, i)
			used[i] = true
		}
	}

	// y axis
	var ys []int
	if len(spec.YColumns) > 0 {
		for _, n := range spec.YColumns {
			i, err := find("ycolumns", n)
			if err != nil {
				return nil, err
			}
			if i == x {
				continue
			}
			ys = append(ys, i)
			used[i] = true
		}
	} else {
		for _, c := range cols {
			if !used[c.idx] && c.numeric() {
				ys = append(ys, c.idx)
				used[c.idx] = true
			}
		}
	}
	if len(ys) == 0 {
		return nil, fmt.Errorf("render %s: no numeric column for the y axis (columns: %s); use ycolumns= or `summarize count()`", viz, columnList(cols))
	}
	if len(spec.Series) == 0 {
		for _, c := range cols {
			if !used[c.idx] && c.seriesLike() {
				ser = append(ser, c.idx)
				used[c.idx] = true
			}
		}
	}
	for _, i := range ys {
		d.yNames = append(d.yNames, cols[i].name)
	}
	for _, i := range ser {
		d.seriesCols = append(d.seriesCols, cols[i].name)
	}
	d.build(t, cols, x, ys, ser, anomaly)
	if viz != "scatterchart" && d.xKind != xCategory {
		for _, s := range d.series {
			sortByX(s)
		}
	}
	if spec.Accumulate {
		for _, s := range d.series {
			acc := 0.0
			for i, v := range s.y {
				if !math.IsNaN(v) {
					acc += v
					s.y[i] = acc
				}
			}
		}
	}
	return d, nil
}

// categoryViz: charts whose x axis is a set of labels whatever its type.
func categoryViz(viz string) bool {
	switch viz {
	case "barchart", "columnchart", "pivotchart", "piechart", "treemap":
		return true
	}
	return false
}

func inferX(cols []colInfo, viz string) int {
	switch viz {
	case "timechart", "anomalychart", "timepivot":
		for _, c := range cols {
			if c.temporal() {
				return c.idx
			}
		}
		for _, c := range cols {
			if c.valueType() == table.TypeTimeSpan {
				return c.idx
			}
		}
		return -1
	case "piechart", "treemap":
		for _, c := range cols {
			if !c.numeric() {
				return c.idx
			}
		}
		return 0
	case "linechart", "areachart", "stackedareachart", "scatterchart":
		first := cols[0]
		if first.numeric() || first.temporal() || first.valueType() == table.TypeTimeSpan {
			return 0
		}
		for _, c := range cols {
			if c.temporal() || c.valueType() == table.TypeTimeSpan {
				return c.idx
			}
		}
		return 0
	}
	return 0
}

// build groups rows into series: one per distinct combination of the series columns and
// per y column. Dynamic array columns (make-series) give one series per row.
func (d *chartData) build(t *table.Table, cols []colInfo, x int, ys, ser, anomaly []int) {
	n := t.Rows()
	xv := t.Columns[x].Data
	catIndex := map[string]int{}
	// Time categories go in time order (ADX draws them on a time axis). Text and number
	// categories keep the order of the rows: "sort the data to define the order of the
	// x-axis" (the render operator's docs), so `sort by count_ desc` ranks the bars.
	var catNum []float64 // each time category's value, to order them
	ordered := !cols[x].array && (cols[x].typ == table.TypeDateTime || cols[x].typ == table.TypeTimeSpan)
	category := func(s string) float64 {
		i, ok := catIndex[s]
		if !ok {
			i = len(d.categories)
			catIndex[s] = i
			d.categories = append(d.categories, s)
		}
		return float64(i)
	}
	defer func() {
		if ordered && d.xKind == xCategory {
			d.sortCategories(catNum)
		}
	}()
	// series key -> index in d.series (or -1 when dropped), one map per y column so a
	// row's lookup needs no string building
	index := make([]map[string]int, len(ys))
	for i := range index {
		index[i] = map[string]int{}
	}
	single := make([]*series, len(ys)) // without series columns: one series per y column, no lookups
	get := func(key string, yi int) *series {
		if len(ser) == 0 && single[yi] != nil {
			return single[yi]
		}
		if i, ok := index[yi][key]; ok {
			if i < 0 {
				return nil
			}
			return d.series[i]
		}
		if len(d.series) >= maxSeries {
			index[yi][key] = -1
			d.dropped++
			return nil
		}
		s := &series{name: seriesName(key, d.yNames[yi], len(ser) > 0, len(ys) > 1), yCol: yi}
		if len(ser) == 0 {
			s.x, s.y = make([]float64, 0, n), make([]float64, 0, n) // one series per y column takes every row
		}
		index[yi][key] = len(d.series)
		d.series = append(d.series, s)
		if len(ser) == 0 {
			single[yi] = s
		}
		return s
	}
	var key strings.Builder
	keyOf := func(r int) string {
		if len(ser) == 0 {
			return ""
		}
		if len(ser) == 1 {
			return labelOf(t.Columns[ser[0]].Data, r)
		}
		key.Reset()
		for j, c := range ser {
			if j > 0 {
				key.WriteString(", ")
			}
			key.WriteString(labelOf(t.Columns[c].Data, r))
		}
		return key.String()
	}
	xArray := cols[x].array
	// Rows with series columns: find each row's key once, up front, so every series is
	// allocated at its final size and the fill loop below needs no map.
	var kid []int32
	var keys []string
	var count []int
	if !xArray && len(ser) > 0 {
		kid = make([]int32, n)
		known := map[string]int32{}
		for r := 0; r < n; r++ {
			k := keyOf(r)
			i, ok := known[k]
			if !ok {
				i = int32(len(keys))
				known[k] = i
				keys = append(keys, k)
				count = append(count, 0)
			}
			kid[r] = i
			count[i]++
		}
	}
	byKey := make([][]*series, len(keys)) // [key][y column], made on the key's first drawn row
	seriesAt := func(r, yi int) *series {
		if kid == nil {
			return get("", yi)
		}
		i := kid[r]
		if byKey[i] == nil {
			byKey[i] = make([]*series, len(ys))
			for y := range ys {
				s := get(keys[i], y)
				if s != nil && cap(s.x) == 0 {
					s.x, s.y = make([]float64, 0, count[i]), make([]float64, 0, count[i])
				}
				byKey[i][y] = s
			}
		}
		return byKey[i][yi]
	}
	for r := 0; r < n; r++ {
		if xArray {
			k := keyOf(r)
			xs, _ := xv.At(r).([]any)
			xf := make([]float64, len(xs))
			for i, e := range xs {
				if d.xKind == xCategory {
					xf[i] = category(table.Format(e))
				} else {
					xf[i] = finite(dynNumber(e))
				}
			}
			for yi, yc := range ys {
				s := get(k, yi)
				if s == nil {
					continue
				}
				arr, _ := t.Columns[yc].Data.At(r).([]any)
				for i := range xf {
					yv := math.NaN()
					if i < len(arr) {
						yv = finite(dynNumber(arr[i]))
					}
					s.x = append(s.x, xf[i])
					s.y = append(s.y, yv)
				}
				if len(anomaly) > 0 {
					flags, _ := t.Columns[anomaly[min(yi, len(anomaly)-1)]].Data.At(r).([]any)
					for i := range xf {
						f := 0.0
						if i < len(flags) {
							f = dynNumber(flags[i])
						}
						s.flags = append(s.flags, f)
					}
				}
				d.points += len(xf)
			}
			continue
		}
		if kid != nil && byKey[kid[r]] == nil {
			seriesAt(r, 0) // series keep the order their keys first appear in, drawn or not
		}
		var xf float64
		if d.xKind == xCategory {
			n0 := len(d.categories)
			xf = category(categoryLabel(xv, r))
			if ordered && len(d.categories) > n0 {
				catNum = append(catNum, numAt(xv, r))
			}
		} else {
			xf = numAt(xv, r)
			if math.IsNaN(xf) || math.IsInf(xf, 0) {
				continue // a point without x has nowhere to go
			}
		}
		for yi, yc := range ys {
			s := seriesAt(r, yi)
			if s == nil {
				continue
			}
			s.x = append(s.x, xf)
			s.y = append(s.y, finite(numAt(t.Columns[yc].Data, r)))
			if len(anomaly) > 0 {
				s.flags = append(s.flags, numAt(t.Columns[anomaly[min(yi, len(anomaly)-1)]].Data, r))
			}
			d.points++
		}
	}
}

func seriesName(key, y string, hasSeries, manyY bool) string {
	switch {
	case !hasSeries:
		return y
	case manyY:
		return key + ":" + y
	}
	return key
}

// labelOf formats a value as a series or category label.
func labelOf(v *table.Vector, r int) string {
	if v == nil {
		return "(null)"
	}
	if v.Type == table.TypeString && !v.Const { // the common case, without boxing the value
		if s := v.Strs[r]; s != "" {
			return s
		}
		return "(empty)"
	}
	if v.Type != table.TypeString && v.IsNull(r) {
		return "(null)"
	}
	s := table.Format(v.At(r))
	if s == "" {
		return "(empty)"
	}
	return s
}

// numAt reads row r as a float64 (datetime as Unix seconds, timespan as seconds); NaN for
// null and for what is not a number.
func numAt(v *table.Vector, r int) float64 {
	if v == nil {
		return math.NaN()
	}
	if v.Const {
		r = 0
	}
	if v.Type != table.TypeDynamic && v.Nulls != nil && v.Nulls.Get(r) {
		return math.NaN()
	}
	switch v.Type {
	case table.TypeInt, table.TypeLong:
		return float64(v.Ints[r])
	case table.TypeReal:
		return v.Reals[r]
	case table.TypeDateTime:
		return ticksToUnix(v.Ints[r])
	case table.TypeTimeSpan:
		return float64(v.Ints[r]) / 1e7
	case table.TypeDecimal:
		return v.Decs[r].InexactFloat64()
	case table.TypeBool:
		if v.Bools[r] {
			return 1
		}
		return 0
	case table.TypeDynamic:
		return dynNumber(v.Dyns[r])
	}
	return math.NaN()
}

// dynNumber reads a dynamic value as a number: numbers, datetimes (Unix seconds), timespans
// (seconds) and ISO 8601 strings; NaN otherwise.
func dynNumber(e any) float64 {
	switch v := e.(type) {
	case int64:
		return float64(v)
	case int32:
		return float64(v)
	case float64:
		return v
	case bool:
		if v {
			return 1
		}
		return 0
	case table.DateTime:
		return ticksToUnix(int64(v))
	case table.TimeSpan:
		return float64(v) / 1e7
	case string:
		if tm, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return ticksToUnix(int64(table.FromTime(tm)))
		}
	}
	return math.NaN()
}

// sortByX orders a series by x (stable), when it isn't already.
func sortByX(s *series) {
	sorted := true
	for i := 1; i < len(s.x); i++ {
		if s.x[i] < s.x[i-1] {
			sorted = false
			break
		}
	}
	if sorted {
		return
	}
	idx := make([]int, len(s.x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.x[idx[a]] < s.x[idx[b]] })
	x, y := make([]float64, len(idx)), make([]float64, len(idx))
	var f []float64
	if s.flags != nil {
		f = make([]float64, len(idx))
	}
	for i, j := range idx {
		x[i], y[i] = s.x[j], s.y[j]
		if f != nil {
			f[i] = s.flags[j]
		}
	}
	s.x, s.y, s.flags = x, y, f
}

// categoryLabel is labelOf with datetimes shortened for an axis: the date, and the time
// of day only when there is one.
func categoryLabel(v *table.Vector, r int) string {
	if v == nil || v.Type != table.TypeDateTime || v.IsNull(r) {
		return labelOf(v, r)
	}
	tm := v.At(r).(table.DateTime).Time()
	switch {
	case tm.Hour() == 0 && tm.Minute() == 0 && tm.Second() == 0 && tm.Nanosecond() == 0:
		return tm.Format("2006-01-02")
	case tm.Second() == 0 && tm.Nanosecond() == 0:
		return tm.Format("2006-01-02 15:04")
	}
	return tm.Format("2006-01-02 15:04:05")
}

// sortCategories puts datetime and timespan categories in order (a bar chart of days
// reads left to right), whatever order the rows came in; nulls go last.
func (d *chartData) sortCategories(val []float64) {
	if len(val) != len(d.categories) {
		return
	}
	perm := make([]int, len(val))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool {
		va, vb := val[perm[a]], val[perm[b]]
		if math.IsNaN(vb) {
			return !math.IsNaN(va)
		}
		return va < vb
	})
	newIndex := make([]float64, len(perm))
	cats := make([]string, len(perm))
	for to, from := range perm {
		newIndex[from] = float64(to)
		cats[to] = d.categories[from]
	}
	d.categories = cats
	for _, s := range d.series {
		for i, x := range s.x {
			s.x[i] = newIndex[int(x)]
		}
	}
}

// finite maps infinities to NaN: they have no place on an axis, so they count as nulls.
func finite(v float64) float64 {
	if math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}
