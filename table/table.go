package table

// Column is a named, typed vector.
type Column struct {
	Name string
	Type Type
	Data *Vector
}

// Table is a named list of columns of equal length.
type Table struct {
	Name    string
	Columns []Column
}

// Rows is the number of rows (0 for a table without columns).
func (t *Table) Rows() int {
	for _, c := range t.Columns {
		if c.Data != nil && !c.Data.Const {
			return c.Data.Len()
		}
	}
	return 0
}

// Index returns the position of the column named name, or -1.
func (t *Table) Index(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Schema is the column names and types, without data.
type Schema []ColumnSchema

// ColumnSchema is a column's name and type.
type ColumnSchema struct {
	Name string
	Type Type
}

// Schema returns the table's schema.
func (t *Table) Schema() Schema {
	s := make(Schema, len(t.Columns))
	for i, c := range t.Columns {
		s[i] = ColumnSchema{c.Name, c.Type}
	}
	return s
}

// New returns an empty table with the given schema.
func New(name string, schema Schema) *Table {
	t := &Table{Name: name, Columns: make([]Column, len(schema))}
	for i, c := range schema {
		t.Columns[i] = Column{Name: c.Name, Type: c.Type, Data: NewVector(c.Type, 0)}
	}
	return t
}

// AppendRow appends one row of values (as Vector.Append takes them).
func (t *Table) AppendRow(values ...any) error {
	for i := range t.Columns {
		var x any
		if i < len(values) {
			x = values[i]
		}
		if err := t.Columns[i].Data.Append(x); err != nil {
			return err
		}
	}
	return nil
}

// RenderSpec is a query's `render` operator (or a service's render metadata): what chart
// to draw and how. Empty fields mean "infer".
type RenderSpec struct {
	Visualization  string   // timechart, barchart, piechart, table, card, ...
	Title          string   // title
	XColumn        string   // xcolumn
	YColumns       []string // ycolumns
	Series         []string // series
	XTitle         string   // xtitle
	YTitle         string   // ytitle
	XAxis          string   // linear | log
	YAxis          string   // linear | log
	Legend         string   // visible | hidden
	YSplit         string   // none | axes | panels
	Kind           string   // default | stacked | stacked100 | unstacked | map ...
	Accumulate     bool     // accumulate
	AnomalyColumns []string // anomalycolumns
	YMin, YMax     *float64 // ymin, ymax
	XMin, XMax     any      // xmin, xmax: a number or a DateTime
}
