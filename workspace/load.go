package workspace

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/shopspring/decimal"
)

// Format is a file format the loaders read.
type Format int

// The formats. FormatAuto picks one from the content.
const (
	FormatAuto Format = iota
	FormatCSV
	FormatTSV
	FormatJSON  // an array of objects, one object, or a query API response {"tables": [...]}
	FormatJSONL // one object per line
)

// formatOf maps a file extension to a format; ok is false for files the loaders do not read.
func formatOf(path string) (Format, bool) {
	path = strings.TrimSuffix(strings.ToLower(path), ".gz")
	switch filepath.Ext(path) {
	case ".csv":
		return FormatCSV, true
	case ".tsv":
		return FormatTSV, true
	case ".json":
		return FormatJSON, true
	case ".jsonl", ".ndjson":
		return FormatJSONL, true
	}
	return FormatAuto, false
}

// New returns an empty workspace; Add puts tables in it.
func New() *Workspace {
	return &Workspace{schemas: map[string]table.Schema{}, tables: map[string]*lazyTable{}}
}

// LoadDir loads every CSV, TSV, JSON and JSON lines file in dir (not in subfolders; gzipped
// ones too: x.csv.gz) as a table named after the file without its extension. dir may also be
// a single file.
func LoadDir(dir string) (*Workspace, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	ws := New()
	if !st.IsDir() {
		t, err := LoadFile(dir)
		if err != nil {
			return nil, err
		}
		ws.Add(t)
		return ws, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace: reading %s: %w", dir, err)
	}
	from := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, ok := formatOf(e.Name()); !ok {
			continue
		}
		path := filepath.Join(dir, e.Name())
		t, err := LoadFile(path)
		if err != nil {
			return nil, err
		}
		if prev, dup := from[t.Name]; dup {
			return nil, fmt.Errorf("workspace: %s and %s would both be table %s; rename one", prev, e.Name(), t.Name)
		}
		from[t.Name] = e.Name()
		ws.Add(t)
	}
	return ws, nil
}

// TableName is the table name for a file: its base name without the extension (and without
// a .gz after it).
func TableName(path string) string {
	base := filepath.Base(path)
	if strings.EqualFold(filepath.Ext(base), ".gz") {
		base = base[:len(base)-3]
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// LoadFile reads one file into a table named after it.
func LoadFile(path string) (*table.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.EqualFold(filepath.Ext(path), ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("workspace: %s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	format, _ := formatOf(path)
	t, err := Load(TableName(path), r, format)
	if err != nil {
		return nil, fmt.Errorf("workspace: loading %s: %w", path, err)
	}
	return t, nil
}

// Load reads a table in the given format from r.
func Load(name string, r io.Reader, format Format) (*table.Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark (Excel, PowerShell)
	if format == FormatAuto {
		format = sniff(data)
	}
	switch format {
	case FormatCSV:
		// Excel in many European locales separates with semicolons.
		line, _, _ := bytes.Cut(data, []byte("\n"))
		if bytes.Count(line, []byte(";")) > 0 && bytes.Count(line, []byte(",")) == 0 {
			return loadCSV(name, data, ';')
		}
		return loadCSV(name, data, ',')
	case FormatTSV:
		return loadCSV(name, data, '\t')
	case FormatJSON, FormatJSONL:
		return loadJSON(name, data)
	}
	return nil, fmt.Errorf("unknown format %d", format)
}

func sniff(data []byte) Format {
	s := bytes.TrimSpace(data)
	if len(s) > 0 && (s[0] == '[' || s[0] == '{') {
		return FormatJSON
	}
	line, _, _ := bytes.Cut(s, []byte("\n"))
	if bytes.Count(line, []byte("\t")) > bytes.Count(line, []byte(",")) {
		return FormatTSV
	}
	return FormatCSV
}

// loadCSV reads delimited text with a header row, dealing with what real exports do: a
// pandas index column, " [UTC]" header suffixes, <Col>_dynamic/<Col>_string pairs.
func loadCSV(name string, data []byte, comma rune) (*table.Table, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return &table.Table{Name: name, Columns: []table.Column{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	cols := make([][]string, len(header))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) == 1 && rec[0] == "" && len(header) > 1 {
			continue // blank line
		}
		for i := range cols {
			v := ""
			if i < len(rec) {
				v = rec[i]
			}
			cols[i] = append(cols[i], v)
		}
	}
	var cs []csvCol
	for i, h := range header {
		h = strings.TrimSpace(h)
		c := csvCol{name: h, values: cols[i]}
		if strings.HasSuffix(h, " [UTC]") {
			c.name, c.utc = strings.TrimSuffix(h, " [UTC]"), true
		}
		// pandas writes its row index as a first, unnamed column of integers.
		if i == 0 && (h == "" || h == "Unnamed: 0") && len(header) > 1 && inferColumn(c.values) == table.TypeLong {
			continue
		}
		cs = append(cs, c)
	}
	t := &table.Table{Name: name, Columns: []table.Column{}}
	names := map[string]bool{}
	used := map[int]bool{}
	for i, c := range cs {
		if used[i] {
			continue
		}
		var v *table.Vector
		colName := c.name
		switch {
		case strings.HasSuffix(c.name, "_dynamic"):
			// Portal exports split a dynamic column in two: JSON in <Col>_dynamic, plain text in
			// <Col>_string. Join them back.
			base := strings.TrimSuffix(c.name, "_dynamic")
			colName = base
			var str []string
			for j, o := range cs {
				if j != i && o.name == base+"_string" {
					str, used[j] = o.values, true
				}
			}
			v = table.NewVector(table.TypeDynamic, len(c.values))
			for r, s := range c.values {
				var x any
				if s != "" {
					if d, err := table.ParseDynamic(s); err == nil {
						x = d
					} else {
						x = s
					}
				} else if str != nil && r < len(str) && str[r] != "" {
					x = str[r]
				}
				_ = v.Append(x)
			}
		case strings.HasSuffix(c.name, "_string") && hasName(cs, strings.TrimSuffix(c.name, "_string")+"_dynamic"):
			continue // joined with its _dynamic twin
		default:
			typ := inferColumn(c.values)
			if c.utc && typ != table.TypeDateTime && allDates(c.values) {
				typ = table.TypeDateTime
			}
			v = textVector(c.values, typ)
		}
		colName = uniqueName(colName, len(t.Columns)+1, names)
		t.Columns = append(t.Columns, table.Column{Name: colName, Type: v.Type, Data: v})
	}
	return t, nil
}

type csvCol struct {
	name   string
	values []string
	utc    bool // the header said [UTC]: a datetime
}

func hasName(cs []csvCol, name string) bool {
	for _, c := range cs {
		if c.name == name {
			return true
		}
	}
	return false
}

func allDates(values []string) bool {
	hint := -1
	for _, v := range values {
		if v == "" {
			continue
		}
		if _, ok := parseDate(v, &hint); !ok {
			return false
		}
	}
	return true
}

// uniqueName names an unnamed column Column<pos> and suffixes repeats (Name, Name1, Name2).
func uniqueName(name string, pos int, seen map[string]bool) string {
	if name == "" {
		name = "Column" + strconv.Itoa(pos)
	}
	out := name
	for i := 1; seen[out]; i++ {
		out = name + strconv.Itoa(i)
	}
	seen[out] = true
	return out
}

// loadJSON reads an array of objects, JSON lines, one object, or a query API response.
func loadJSON(name string, data []byte) (*table.Table, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var records []map[string]any
	var order []string
	seen := map[string]bool{}
	addRecord := func(m map[string]any, keys []string) {
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				order = append(order, k)
			}
		}
		records = append(records, m)
	}
	first := true
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		trimmed := bytes.TrimSpace(raw)
		if len(trimmed) == 0 {
			continue
		}
		switch trimmed[0] {
		case '[':
			var items []json.RawMessage
			if err := json.Unmarshal(trimmed, &items); err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", err)
			}
			for i, it := range items {
				m, keys, err := decodeObject(it)
				if err != nil {
					return nil, fmt.Errorf("array element %d: %w", i, err)
				}
				addRecord(m, keys)
			}
		case '{':
			m, keys, err := decodeObject(trimmed)
			if err != nil {
				return nil, err
			}
			if first && !dec.More() {
				if t, ok, err := apiResponse(name, m); ok || err != nil {
					return t, err
				}
			}
			addRecord(m, keys)
		default:
			return nil, fmt.Errorf("expected JSON objects, found %.20q", trimmed)
		}
		first = false
	}
	t := &table.Table{Name: name, Columns: []table.Column{}}
	names := map[string]bool{}
	for _, k := range order {
		vals := make([]any, len(records))
		for i, r := range records {
			vals[i] = r[k]
		}
		v := jsonVector(vals)
		t.Columns = append(t.Columns, table.Column{Name: uniqueName(k, len(t.Columns)+1, names), Type: v.Type, Data: v})
	}
	return t, nil
}

// decodeObject decodes one JSON object, keeping its keys' order.
func decodeObject(raw []byte) (map[string]any, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("expected a JSON object, found %v", tok)
	}
	m := map[string]any{}
	var keys []string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("invalid JSON: %w", err)
		}
		k, _ := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, nil, fmt.Errorf("invalid JSON: %w", err)
		}
		if _, dup := m[k]; !dup {
			keys = append(keys, k)
		}
		m[k] = v
	}
	return m, keys, nil
}

// jsonVector types a column of decoded JSON values: bool, long or real when every value is
// one, datetime for timestamp strings, string for other strings, dynamic for anything mixed
// or nested.
func jsonVector(vals []any) *table.Vector {
	allBool, allInt, allNum, allStr, none := true, true, true, true, true
	for _, x := range vals {
		if x == nil {
			continue
		}
		none = false
		switch v := x.(type) {
		case bool:
			allInt, allNum, allStr = false, false, false
		case json.Number:
			allBool, allStr = false, false
			if _, err := strconv.ParseInt(string(v), 10, 64); err != nil {
				allInt = false
			}
		case string:
			allBool, allInt, allNum = false, false, false
		default:
			allBool, allInt, allNum, allStr = false, false, false, false
		}
	}
	switch {
	case none:
		return textVector(make([]string, len(vals)), table.TypeString)
	case allBool:
		v := table.NewVector(table.TypeBool, len(vals))
		for _, x := range vals {
			_ = v.Append(x)
		}
		return v
	case allInt:
		v := table.NewVector(table.TypeLong, len(vals))
		for _, x := range vals {
			if x == nil {
				_ = v.Append(nil)
				continue
			}
			n, _ := strconv.ParseInt(string(x.(json.Number)), 10, 64)
			_ = v.Append(n)
		}
		return v
	case allNum:
		v := table.NewVector(table.TypeReal, len(vals))
		for _, x := range vals {
			if x == nil {
				_ = v.Append(nil)
				continue
			}
			f, err := strconv.ParseFloat(string(x.(json.Number)), 64)
			if err != nil {
				_ = v.Append(nil)
				continue
			}
			_ = v.Append(f)
		}
		return v
	case allStr:
		strs := make([]string, len(vals))
		for i, x := range vals {
			if s, ok := x.(string); ok {
				strs[i] = s
			}
		}
		if allDates(strs) && nonEmpty(strs) {
			return textVector(strs, table.TypeDateTime)
		}
		return textVector(strs, table.TypeString)
	}
	v := table.NewVector(table.TypeDynamic, len(vals))
	for _, x := range vals {
		_ = v.Append(normalizeJSON(x))
	}
	return v
}

func nonEmpty(strs []string) bool {
	for _, s := range strs {
		if s != "" {
			return true
		}
	}
	return false
}

// normalizeJSON turns json.Number into int64 or float64, recursively (dynamic values).
func normalizeJSON(x any) any {
	switch v := x.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return n
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		return f
	case []any:
		for i := range v {
			v[i] = normalizeJSON(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = normalizeJSON(v[k])
		}
	}
	return x
}

// apiResponse reads {"tables":[{"name","columns":[{"name","type"}],"rows":[[...]]}]}: the
// Log Analytics query API, `kqlkernel query --format json`, and Kusto v1 responses
// ({"Tables":[{"TableName","Columns":[{"ColumnName","DataType"|"ColumnType"}],"Rows"}]}).
// ok is false when m is not such a response.
func apiResponse(name string, m map[string]any) (*table.Table, bool, error) {
	tablesAny, ok := m["tables"]
	if !ok {
		tablesAny, ok = m["Tables"]
	}
	tables, isArr := tablesAny.([]any)
	if !ok || !isArr || len(tables) == 0 {
		return nil, false, nil
	}
	first, isObj := tables[0].(map[string]any)
	if !isObj {
		return nil, false, nil
	}
	colsAny := first["columns"]
	if colsAny == nil {
		colsAny = first["Columns"]
	}
	rowsAny := first["rows"]
	if rowsAny == nil {
		rowsAny = first["Rows"]
	}
	cols, ok1 := colsAny.([]any)
	rows, ok2 := rowsAny.([]any)
	if !ok1 || !ok2 {
		return nil, false, nil
	}
	t := &table.Table{Name: name, Columns: []table.Column{}}
	names := map[string]bool{}
	for i, c := range cols {
		cm, ok := c.(map[string]any)
		if !ok {
			return nil, true, fmt.Errorf("column %d is not an object", i)
		}
		cname := firstString(cm, "name", "ColumnName")
		tname := firstString(cm, "type", "ColumnType", "DataType")
		typ, ok := table.ParseType(tname)
		if !ok {
			return nil, true, fmt.Errorf("column %q has unknown type %q", cname, tname)
		}
		vec := table.NewVector(typ, len(rows))
		for r, row := range rows {
			cells, ok := row.([]any)
			if !ok {
				return nil, true, fmt.Errorf("row %d is not an array", r)
			}
			var x any
			if i < len(cells) {
				x = typedValue(cells[i], typ)
			}
			_ = vec.Append(x)
		}
		t.Columns = append(t.Columns, table.Column{Name: uniqueName(cname, i+1, names), Type: typ, Data: vec})
	}
	return t, true, nil
}

func firstString(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return ""
}

// typedValue converts one API cell to the Go value a vector of type t stores (nil if it
// does not convert).
func typedValue(x any, t table.Type) any {
	if x == nil {
		if t == table.TypeString {
			return ""
		}
		return nil
	}
	s, isStr := x.(string)
	num, isNum := x.(json.Number)
	switch t {
	case table.TypeBool:
		switch v := x.(type) {
		case bool:
			return v
		case string:
			if b, ok := isBool(v); ok {
				return b
			}
		case json.Number:
			return string(v) != "0"
		}
	case table.TypeInt, table.TypeLong:
		if isNum {
			if n, err := strconv.ParseInt(string(num), 10, 64); err == nil {
				return n
			}
			if f, err := strconv.ParseFloat(string(num), 64); err == nil && f >= -9.2e18 && f <= 9.2e18 {
				return int64(f)
			}
		}
		if isStr {
			if n, ok := isInteger(s); ok {
				return n
			}
		}
	case table.TypeReal:
		if isNum {
			if f, err := strconv.ParseFloat(string(num), 64); err == nil {
				return f
			}
		}
		if isStr {
			if f, ok := parseSpecialReal(s); ok {
				return f
			}
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return f
			}
		}
	case table.TypeDecimal:
		text := s
		if isNum {
			text = string(num)
		}
		if d, err := decimal.NewFromString(text); err == nil {
			return d
		}
	case table.TypeString:
		if isStr {
			return s
		}
		return table.DynamicJSON(normalizeJSON(x))
	case table.TypeDateTime:
		if isStr {
			if d, ok := parseDate(s, nil); ok {
				return d
			}
		}
	case table.TypeTimeSpan:
		if isStr {
			if d, ok := parseTimeSpan(s); ok {
				return d
			}
		}
		if isNum {
			if n, err := strconv.ParseInt(string(num), 10, 64); err == nil {
				return table.TimeSpan(n)
			}
		}
	case table.TypeGUID:
		if isStr && s != "" {
			return table.GUID(strings.ToLower(s))
		}
	case table.TypeDynamic:
		if isStr {
			// The Log Analytics API sends dynamic values as JSON text.
			if d, err := table.ParseDynamic(s); err == nil {
				return d
			}
			return s
		}
		return normalizeJSON(x)
	}
	return nil
}
