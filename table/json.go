package table

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// JSONValue converts a value (as Vector.At returns it) to what Kusto's JSON carries:
// long/int exact, real as a number or "NaN"/"Infinity"/"-Infinity", datetime, timespan,
// guid and decimal as strings, dynamic as JSON, null as nil.
func JSONValue(x any) any {
	switch v := x.(type) {
	case nil, bool, int32, int64, string:
		return v
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return FormatReal(v)
		}
		return v
	case decimal.Decimal:
		return v.String()
	case DateTime, TimeSpan:
		return fmt.Sprint(v)
	case GUID:
		return string(v)
	case []any, map[string]any:
		return inDynamic(v)
	}
	return fmt.Sprint(x)
}

// inDynamic converts the inside of a dynamic value. A datetime there keeps all seven
// fraction digits ("2022-01-01T00:00:00.0000000Z"), as Kusto serialises it inside dynamic,
// unlike a datetime column.
func inDynamic(x any) any {
	switch v := x.(type) {
	case DateTime:
		return v.Time().Format("2006-01-02T15:04:05") + fmt.Sprintf(".%07dZ", fraction(v))
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = inDynamic(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = inDynamic(e)
		}
		return out
	}
	return JSONValue(x)
}

func fraction(d DateTime) int64 {
	f := int64(d) % int64(Second)
	if f < 0 {
		f += int64(Second)
	}
	return f
}

// DynamicJSON returns the compact JSON text of a dynamic value (keys sorted).
func DynamicJSON(x any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(JSONValue(x)); err != nil {
		return fmt.Sprint(x)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Format renders one value as text for people: empty for null, Kusto's formats for
// datetime and timespan, compact JSON for dynamic.
func Format(x any) string {
	switch v := x.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return FormatReal(v)
	case decimal.Decimal:
		return v.String()
	case DateTime:
		return v.String()
	case TimeSpan:
		return v.String()
	case GUID:
		return string(v)
	case []any, map[string]any:
		return DynamicJSON(v)
	}
	return fmt.Sprint(x)
}

// ParseDynamic parses JSON text into a dynamic value: integers that fit become int64,
// other numbers float64; objects map[string]any, arrays []any.
func ParseDynamic(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("invalid JSON: trailing data after the value")
	}
	return normalizeNumbers(x), nil
}

func normalizeNumbers(x any) any {
	switch v := x.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		return f
	case []any:
		for i := range v {
			v[i] = normalizeNumbers(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = normalizeNumbers(v[k])
		}
	}
	return x
}

// jsonTable is the `kqlkernel query --format json` shape of one table.
type jsonTable struct {
	Name    string       `json:"name"`
	Columns []jsonColumn `json:"columns"`
	Rows    [][]any      `json:"rows"`
}

type jsonColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// EncodeJSON writes {"tables":[{"name","columns":[{"name","type"}],"rows":[[...]]}]}, the
// contract of `kqlkernel query --format json` (DESIGN.md).
func EncodeJSON(tables []*Table) ([]byte, error) {
	out := struct {
		Tables []jsonTable `json:"tables"`
	}{Tables: make([]jsonTable, 0, len(tables))}
	for _, t := range tables {
		jt := jsonTable{Name: t.Name, Columns: make([]jsonColumn, len(t.Columns)), Rows: make([][]any, t.Rows())}
		for i, c := range t.Columns {
			jt.Columns[i] = jsonColumn{c.Name, c.Type.String()}
		}
		for r := range jt.Rows {
			row := make([]any, len(t.Columns))
			for i, c := range t.Columns {
				row[i] = JSONValue(c.Data.At(r))
			}
			jt.Rows[r] = row
		}
		out.Tables = append(out.Tables, jt)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(out)
	return b.Bytes(), err
}

// SortedKeys returns a bag's keys in order, for deterministic output.
func SortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
