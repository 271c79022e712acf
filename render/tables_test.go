package render

import (
	"flag"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kqlkernel/kqlkernel/table"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func mustTable(t testing.TB, name string, schema table.Schema, rows ...[]any) *table.Table {
	t.Helper()
	tb := table.New(name, schema)
	for _, r := range rows {
		if err := tb.AppendRow(r...); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

func dt(s string) table.DateTime {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return table.FromTime(tm)
}

func typedTable(t testing.TB) *table.Table {
	dyn, err := table.ParseDynamic(`{"b":[1,2.5,{"c":null}],"s":"x"}`)
	if err != nil {
		t.Fatal(err)
	}
	long, _ := table.ParseDynamic(`["` + strings.Repeat("abcdefghij", 30) + `"]`)
	return mustTable(t, "PrimaryResult", table.Schema{
		{Name: "b", Type: table.TypeBool}, {Name: "i", Type: table.TypeInt}, {Name: "l", Type: table.TypeLong}, {Name: "r", Type: table.TypeReal},
		{Name: "d", Type: table.TypeDecimal}, {Name: "s", Type: table.TypeString}, {Name: "t", Type: table.TypeDateTime},
		{Name: "ts", Type: table.TypeTimeSpan}, {Name: "g", Type: table.TypeGUID}, {Name: "dyn", Type: table.TypeDynamic},
	},
		[]any{true, int32(-7), int64(9007199254740993), 2.5, decimal.RequireFromString("1.10"), "héllo\nworld",
			dt("2017-01-30T00:00:00Z"), 90 * table.Minute, table.GUID("74be27de-1e4e-49d9-b579-fe0b331d3642"), dyn},
		[]any{nil, nil, nil, nil, nil, "", nil, nil, nil, nil},
		[]any{false, int32(0), int64(0), 0.0 / zero(), decimal.Zero, "tab\there",
			dt("2015-12-31T23:59:59.9Z"), -12 * table.Hour, nil, long},
	)
}

func zero() float64 { return 0 }

func TestPrintText(t *testing.T) {
	// `print x=6*7`: jupyter_kernel_test compares this text exactly.
	tb := mustTable(t, "PrintResult", table.Schema{{Name: "x", Type: table.TypeLong}}, []any{int64(42)})
	b := Tables([]*table.Table{tb}, TableOptions{})
	if got, want := b.Text(), "x\n--\n42"; got != want {
		t.Fatalf("text/plain = %q, want %q", got, want)
	}
}

func TestTablesGolden(t *testing.T) {
	many := table.New("Events", table.Schema{{Name: "n", Type: table.TypeLong}, {Name: "name", Type: table.TypeString}})
	for i := 0; i < 250; i++ {
		_ = many.AppendRow(int64(i), "row")
	}
	cases := []struct {
		name   string
		tables []*table.Table
		opts   TableOptions
	}{
		{"typed", []*table.Table{typedTable(t)}, TableOptions{MaxCellChars: 40}},
		{"truncated", []*table.Table{many}, TableOptions{MaxRows: 3}},
		{"empty", []*table.Table{table.New("Empty", table.Schema{{Name: "a", Type: table.TypeString}, {Name: "count_", Type: table.TypeLong}})}, TableOptions{}},
		{"several", []*table.Table{
			mustTable(t, "First", table.Schema{{Name: "Computer", Type: table.TypeString}, {Name: "count_", Type: table.TypeLong}},
				[]any{"DC01", int64(5)}, []any{"WIN-8K2", int64(12345)}),
			mustTable(t, "Second", table.Schema{{Name: "x", Type: table.TypeReal}}, []any{1.5}),
		}, TableOptions{}},
		{"nocolumns", []*table.Table{{Name: "Nothing"}}, TableOptions{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := Tables(c.tables, c.opts)
			golden(t, c.name+".txt", b.Text())
			golden(t, c.name+".html", b.HTML())
		})
	}
}

func TestDisplayLimitNeverSilent(t *testing.T) {
	tb := table.New("T", table.Schema{{Name: "n", Type: table.TypeLong}})
	for i := 0; i < 1000; i++ {
		_ = tb.AppendRow(int64(i))
	}
	for _, c := range []struct {
		opts  TableOptions
		shown int
	}{{TableOptions{}, DefaultMaxRows}, {TableOptions{MaxRows: 10}, 10}, {TableOptions{MaxRows: -1}, 1000}, {TableOptions{MaxRows: 5000}, 1000}} {
		b := Tables([]*table.Table{tb}, c.opts)
		rows := strings.Count(b.HTML(), "<tr>") - 1 // minus the header row
		if rows != c.shown {
			t.Errorf("%+v: %d rows in HTML, want %d", c.opts, rows, c.shown)
		}
		note := "showing " + itoa(c.shown) + " of 1000 rows"
		if c.shown < 1000 {
			if !strings.Contains(b.HTML(), note) || !strings.Contains(b.Text(), note) {
				t.Errorf("%+v: missing %q", c.opts, note)
			}
		} else if strings.Contains(b.HTML(), "showing") {
			t.Errorf("%+v: says showing although all rows are shown", c.opts)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestStatusLine(t *testing.T) {
	cases := []struct {
		in   Status
		want string
	}{
		{Status{Elapsed: 952 * time.Millisecond, Records: 1}, "Done (00:00.952): 1 records"},
		{Status{Elapsed: 83*time.Second + 5*time.Millisecond, Records: 500000, Truncated: true},
			"Done (01:23.005): 500000 records\nWarning: the result was truncated by the service; narrow the query (where, summarize, take) to see all of it"},
		{Status{Elapsed: 2*time.Hour + 3*time.Second, Running: true}, "Running (2:00:03.000)..."},
		{Status{Elapsed: 1002 * time.Millisecond, Failed: true, Running: true}, "Failed (00:01.002)"},
		{Status{Records: 3, Partial: true, Warnings: []string{"x <b>"}},
			"Done (00:00.000): 3 records\nWarning: partial result: the service reported an error after returning some rows\nWarning: x <b>"},
	}
	for _, c := range cases {
		b := StatusLine(c.in)
		if b.Text() != c.want {
			t.Errorf("%+v: got %q want %q", c.in, b.Text(), c.want)
		}
		if strings.Contains(b.HTML(), "<b>") {
			t.Errorf("warning not escaped: %s", b.HTML())
		}
	}
}

// TestConstColumns: the engine's literal columns hold one value for every row.
func TestConstColumns(t *testing.T) {
	n := table.NewVector(table.TypeLong, 3)
	for i := 0; i < 3; i++ {
		_ = n.Append(int64(i))
	}
	k := table.NewVector(table.TypeString, 1)
	_ = k.Append("same")
	k.Const = true
	tb := &table.Table{Name: "T", Columns: []table.Column{{Name: "n", Type: table.TypeLong, Data: n}, {Name: "k", Type: table.TypeString, Data: k}}}
	if got, want := Tables([]*table.Table{tb}, TableOptions{}).Text(), "n  k\n-  ----\n0  same\n1  same\n2  same"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	b, err := Chart(tb, &table.RenderSpec{Visualization: "columnchart", XColumn: "k"}, ChartOptions{})
	if err != nil || !strings.Contains(b.Text(), "1 categories of k") {
		t.Errorf("chart over a const column: %v %q", err, b.Text())
	}
}

// TestMultiLineCells: SecurityAlert's Entities and ExtendedProperties hold pretty-printed
// JSON with \r\n line ends; shown as is, each row was dozens of lines tall. HTML shows
// JSON compact on one line and other text as its first lines, the whole value on hover.
func TestMultiLineCells(t *testing.T) {
	entities := "[\r\n  {\r\n    \"$id\": \"2\",\r\n    \"HostName\": \"JBOX00\",\r\n    \"Note\": \"<script>alert(1)</script> \\\"q\\\"\",\r\n    \"Type\": \"host\"\r\n  },\r\n  {\r\n    \"$id\": \"3\",\r\n    \"Address\": \"185.156.73.54\",\r\n    \"Type\": \"ip\"\r\n  }\r\n]"
	var trace []string
	for i := 1; i <= 10; i++ {
		trace = append(trace, "   at Frame"+itoa(i)+"()")
	}
	stack := "System.Exception: boom\n" + strings.Join(trace, "\n")
	notJSON := "[1] first step\r\n[2] second step]"
	tb := mustTable(t, "SecurityAlert", table.Schema{{Name: "Entities", Type: table.TypeString}, {Name: "Trace", Type: table.TypeString}, {Name: "Steps", Type: table.TypeString}, {Name: "n", Type: table.TypeLong}},
		[]any{entities, stack, notJSON, int64(1)})
	g := newGrid(tb, TableOptions{MaxCellChars: 60})
	cells := g.cells[0]

	compact := `[{"$id":"2","HostName":"JBOX00","Note":"<script>alert(1)</script> \"q\"","Type":"host"},{"$id":"3","Address":"185.156.73.54","Type":"ip"}]`
	if want := shorten(compact, 60); cells[0].view != want {
		t.Errorf("JSON view = %q, want %q", cells[0].view, want)
	}
	if cells[0].full != entities {
		t.Errorf("JSON: the full value is not kept for the title")
	}
	if want := "System.Exception: boom\n   at Frame1()\n   at Frame2() …"; cells[1].view != want {
		t.Errorf("text view = %q, want %q", cells[1].view, want)
	}
	if cells[2].view != "[1] first step\n[2] second step]" || cells[2].full != "" {
		t.Errorf("two lines that are not JSON: view %q full %q", cells[2].view, cells[2].full)
	}

	h := Tables([]*table.Table{tb}, TableOptions{MaxCellChars: 60}).HTML()
	checkMarkup(t, "multi-line cells", h)
	body := h[strings.Index(h, "<tbody>"):]
	tds := regexp.MustCompile(`(?s)<td([^>]*)>(.*?)</td>`).FindAllStringSubmatch(body, -1)
	if len(tds) != 4 {
		t.Fatalf("%d cells in %s", len(tds), body)
	}
	// JSON: one line that does not wrap, the pretty-printed value (\n line ends) on hover
	if strings.Contains(tds[0][2], "\n") || !strings.Contains(tds[0][1], "white-space:nowrap") {
		t.Errorf("JSON cell is not one line: %q", tds[0][0])
	}
	if !strings.Contains(tds[0][2], html.EscapeString(`[{"$id":"2","HostName":"JBOX00"`)) {
		t.Errorf("JSON cell: %q", tds[0][2])
	}
	title := regexp.MustCompile(`title="([^"]*)"`).FindStringSubmatch(tds[0][1])
	if title == nil || html.UnescapeString(title[1]) != strings.ReplaceAll(entities, "\r\n", "\n") {
		t.Errorf("JSON title: %v", title)
	}
	// text: at most maxCellLines lines, the rest on hover
	if n := strings.Count(tds[1][2], "\n") + 1; n != maxCellLines {
		t.Errorf("stack trace shows %d lines, want %d: %q", n, maxCellLines, tds[1][2])
	}
	if !strings.Contains(tds[1][1], "Frame10()") || !strings.Contains(tds[1][1], "white-space:pre") {
		t.Errorf("stack trace cell: %q", tds[1][1])
	}
	// text/plain keeps one line per row
	if lines := strings.Split(Tables([]*table.Table{tb}, TableOptions{MaxCellChars: 60}).Text(), "\n"); len(lines) != 3 {
		t.Errorf("text/plain has %d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
}

// TestNoMathTypesetting: Notebook 6 and nbconvert pages typeset $...$ in HTML outputs as
// TeX (MathJax 2), which turned `[{"$id":"2",...},{"$id":"3",...}]` into a formula. Every
// top-level element render emits opts out with both MathJax versions' ignore classes.
func TestNoMathTypesetting(t *testing.T) {
	tb := mustTable(t, "T", table.Schema{{Name: "$cost$", Type: table.TypeString}}, []any{`[{"$id":"2"},{"$id":"3"}]`})
	for name, h := range map[string]string{
		"table":     Tables([]*table.Table{tb}, TableOptions{}).HTML(),
		"no tables": Tables(nil, TableOptions{}).HTML(),
		"status":    StatusLine(Status{Truncated: true, Warnings: []string{"$x$"}}).HTML(),
		"error":     Error("$a$", "$b$").HTML(),
		"warning":   Warning("$a$").HTML(),
	} {
		depth := 0
		for _, tag := range regexp.MustCompile(`<(/?)([a-z]+)[^>]*>`).FindAllStringSubmatch(h, -1) {
			if tag[1] == "/" {
				depth--
				continue
			}
			if depth == 0 && (!strings.Contains(tag[0], "tex2jax_ignore") || !strings.Contains(tag[0], "mathjax_ignore")) {
				t.Errorf("%s: %s does not opt out of MathJax", name, tag[0])
			}
			depth++
		}
	}
}
