package loganalytics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kqlkernel/kqlkernel/table"
)

// wireResponse is the query API's response body, decoded with UseNumber so that no long
// goes through float64 (azlogs' own decoding loses everything above 2^53).
type wireResponse struct {
	Tables     []wireTable     `json:"tables"`
	Error      *oneAPIError    `json:"error"`
	Render     json.RawMessage `json:"render"`
	Statistics json.RawMessage `json:"statistics"`
}

type wireTable struct {
	Name    string `json:"name"`
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
	Rows rawRows `json:"rows"`
}

// rawRows keeps the rows array as the already-validated bytes of the body, so that
// decodeRows can read them straight into typed vectors without an []any per row.
type rawRows []byte

// UnmarshalJSON keeps a reference to data instead of copying it: data is a slice of the
// body, which decodeBody owns and does not change while the rows are read.
func (r *rawRows) UnmarshalJSON(data []byte) error {
	*r = data
	return nil
}

// decoded is a response body turned into typed values.
type decoded struct {
	tables     []*table.Table
	render     *table.RenderSpec
	statistics map[string]any
	partial    *Error
}

// decodeBody decodes a 200 response body. query is the text sent (for error positions).
func decodeBody(body []byte, query string) (*decoded, error) {
	// Unmarshal validates the whole body first, so decodeRows reads well-formed JSON.
	var w wireResponse
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("decoding the service's response: %w", err)
	}
	out := &decoded{tables: make([]*table.Table, 0, len(w.Tables))}
	for ti, wt := range w.Tables {
		schema := make(table.Schema, len(wt.Columns))
		for i, c := range wt.Columns {
			typ, ok := table.ParseType(c.Type)
			if !ok {
				// A type this client does not know stays readable as dynamic.
				typ = table.TypeDynamic
			}
			schema[i] = table.ColumnSchema{Name: c.Name, Type: typ}
		}
		name := wt.Name
		if name == "" {
			name = fmt.Sprintf("Table_%d", ti)
		}
		t, err := decodeRows(name, schema, wt.Rows)
		if err != nil {
			return nil, fmt.Errorf("decoding the service's response: %w", err)
		}
		out.tables = append(out.tables, t)
	}
	if w.Error != nil && (w.Error.Code != "" || w.Error.Message != "") {
		out.partial = newError(200, w.Error, query)
	}
	if len(w.Render) > 0 && !bytes.Equal(bytes.TrimSpace(w.Render), []byte("null")) {
		r, err := decodeRender(w.Render)
		if err != nil {
			return nil, err
		}
		out.render = r
	}
	if len(w.Statistics) > 0 && !bytes.Equal(bytes.TrimSpace(w.Statistics), []byte("null")) {
		s, err := table.ParseDynamic(string(w.Statistics))
		if err != nil {
			return nil, fmt.Errorf("decoding the service's statistics: %w", err)
		}
		if m, ok := s.(map[string]any); ok {
			out.statistics = m
		}
	}
	return out, nil
}

// convert turns one JSON value (decoded with UseNumber) into the table value of type t.
// The service sends long/int/real as numbers ("NaN", "Infinity" as strings), bool as a
// boolean, and datetime, timespan, guid, decimal and dynamic as strings.
func convert(t table.Type, raw any) (any, error) {
	if raw == nil {
		return nil, nil
	}
	switch t {
	case table.TypeBool:
		switch v := raw.(type) {
		case bool:
			return v, nil
		case json.Number: // SByte in older payloads
			return v.String() != "0", nil
		case string:
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, fmt.Errorf("bool %q", v)
			}
			return b, nil
		}
	case table.TypeInt, table.TypeLong:
		s, ok := numberText(raw)
		if !ok {
			return nil, fmt.Errorf("%s: unexpected %T", t, raw)
		}
		i, err := parseInteger(s)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", t, s, err)
		}
		if t == table.TypeInt {
			if i < math.MinInt32 || i > math.MaxInt32 {
				return nil, fmt.Errorf("int %d out of range", i)
			}
			return int32(i), nil
		}
		return i, nil
	case table.TypeReal:
		s, ok := numberText(raw)
		if !ok {
			return nil, fmt.Errorf("real: unexpected %T", raw)
		}
		switch s {
		case "NaN":
			return math.NaN(), nil
		case "Infinity", "+Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("real %q", s)
		}
		return f, nil
	case table.TypeDecimal:
		s, ok := numberText(raw)
		if !ok {
			return nil, fmt.Errorf("decimal: unexpected %T", raw)
		}
		if s == "NaN" || s == "" {
			return nil, nil
		}
		d, err := decimal.NewFromString(s)
		if err != nil {
			return nil, fmt.Errorf("decimal %q", s)
		}
		return d, nil
	case table.TypeString:
		switch v := raw.(type) {
		case string:
			return v, nil
		case json.Number:
			return v.String(), nil
		case bool:
			return strconv.FormatBool(v), nil
		default:
			return table.DynamicJSON(normalize(v)), nil
		}
	case table.TypeDateTime:
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("datetime: unexpected %T", raw)
		}
		if s == "" {
			return nil, nil
		}
		d, err := parseDateTime(s)
		if err != nil {
			return nil, err
		}
		return d, nil
	case table.TypeTimeSpan:
		switch v := raw.(type) {
		case string:
			if v == "" {
				return nil, nil
			}
			return parseTimeSpan(v)
		case json.Number: // ticks, as some exporters send them
			i, err := parseInteger(v.String())
			if err != nil {
				return nil, fmt.Errorf("timespan %s", v)
			}
			return table.TimeSpan(i), nil
		}
	case table.TypeGUID:
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("guid: unexpected %T", raw)
		}
		if s == "" {
			return nil, nil
		}
		return table.GUID(strings.ToLower(s)), nil
	case table.TypeDynamic:
		if s, ok := raw.(string); ok {
			// Objects and arrays arrive as their JSON text; anything that is not JSON is a
			// plain string value.
			if v, err := table.ParseDynamic(s); err == nil {
				return v, nil
			}
			return s, nil
		}
		return normalize(raw), nil
	}
	return nil, fmt.Errorf("%s: unexpected %T", t, raw)
}

// numberText is a number's text, whether it came as a JSON number or a string.
func numberText(raw any) (string, bool) {
	switch v := raw.(type) {
	case json.Number:
		return v.String(), true
	case string:
		return v, true
	}
	return "", false
}

// parseInteger reads an exact int64, accepting integral forms such as "1e3" or "5.0".
func parseInteger(s string) (int64, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, nil
	}
	// big.Rat expands exponents: bound them so a hostile "1e999999999" costs nothing.
	if len(s) > 64 {
		return 0, fmt.Errorf("not an exact 64-bit integer")
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		if exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+")); err != nil || exp > 40 || exp < -40 {
			return 0, fmt.Errorf("not an exact 64-bit integer")
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("not an exact 64-bit integer")
	}
	return r.Num().Int64(), nil
}

// parseDateTime reads ISO 8601 with up to 7 fraction digits; a missing zone means UTC.
func parseDateTime(s string) (table.DateTime, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return table.FromTime(t), nil
		}
	}
	return 0, fmt.Errorf("datetime %q: want ISO 8601", s)
}

// normalize turns json.Number inside a dynamic value into int64 or float64.
func normalize(x any) any {
	switch v := x.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(v.String(), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(v.String(), 64)
		return f
	case []any:
		for i := range v {
			v[i] = normalize(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = normalize(v[k])
		}
	}
	return x
}

// decodeRender reads the service's render metadata ({"visualization": "timechart",
// "title": ..., "xColumn": ..., "yColumns": ..., "series": ..., "kind": ...}). Key case is
// ignored: the service writes camelCase, Kusto's own properties are PascalCase.
func decodeRender(raw json.RawMessage) (*table.RenderSpec, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decoding the service's render metadata: %w", err)
	}
	r := &table.RenderSpec{}
	str := func(v any) string {
		if s, ok := v.(string); ok {
			return s
		}
		return ""
	}
	list := func(v any) []string {
		switch x := v.(type) {
		case string:
			var out []string
			for _, p := range strings.Split(x, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			return out
		case []any:
			var out []string
			for _, e := range x {
				if s, ok := e.(string); ok && s != "" {
					out = append(out, s)
				}
			}
			return out
		}
		return nil
	}
	num := func(v any) *float64 {
		var f float64
		switch x := v.(type) {
		case json.Number:
			f, _ = x.Float64()
		case string:
			var err error
			if f, err = strconv.ParseFloat(x, 64); err != nil {
				return nil
			}
		default:
			return nil
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return &f
	}
	anyVal := func(v any) any {
		switch x := v.(type) {
		case json.Number:
			f, _ := x.Float64()
			return f
		case string:
			if x == "" || x == "NaN" {
				return nil
			}
			if d, err := parseDateTime(x); err == nil {
				return d
			}
			if f, err := strconv.ParseFloat(x, 64); err == nil && !math.IsNaN(f) {
				return f
			}
		}
		return nil
	}
	for k, v := range m {
		switch strings.ToLower(k) {
		case "visualization":
			r.Visualization = str(v)
		case "title":
			r.Title = str(v)
		case "xcolumn":
			r.XColumn = str(v)
		case "ycolumns":
			r.YColumns = list(v)
		case "series":
			r.Series = list(v)
		case "xtitle":
			r.XTitle = str(v)
		case "ytitle":
			r.YTitle = str(v)
		case "xaxis":
			r.XAxis = str(v)
		case "yaxis":
			r.YAxis = str(v)
		case "legend":
			r.Legend = str(v)
		case "ysplit":
			r.YSplit = str(v)
		case "kind":
			r.Kind = str(v)
		case "accumulate":
			b, _ := v.(bool)
			r.Accumulate = b
		case "anomalycolumns":
			r.AnomalyColumns = list(v)
		case "ymin":
			r.YMin = num(v)
		case "ymax":
			r.YMax = num(v)
		case "xmin":
			r.XMin = anyVal(v)
		case "xmax":
			r.XMax = anyVal(v)
		}
	}
	if r.Visualization == "" {
		return nil, nil
	}
	return r, nil
}
