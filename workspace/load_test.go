package workspace_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/kqlkernel/kqlkernel/workspace"
)

type cell struct {
	row  int
	col  string
	want string // table.Format of the value
}

// TestLoadSharedData loads every file of ../shared/data and checks the inferred types and a
// few values against what the files hold.
func TestLoadSharedData(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "data")
	cases := map[string]struct {
		rows  int
		types map[string]table.Type
		cells []cell
		none  []string // columns that must not be there
	}{
		"msticpy/host_logons.csv": {14,
			map[string]table.Type{"EventID": table.TypeLong, "TimeGenerated": table.TypeDateTime, "LogonType": table.TypeLong, "TargetLogonId": table.TypeString, "Account": table.TypeString},
			[]cell{{0, "TimeGenerated", "2019-01-15T05:15:02.98Z"}, {0, "Account", `MSTICAlertsWin1\MSTICAdmin`}, {0, "LogonProcessName", "Advapi  "}, {1, "TargetLogonId", "0x3e7"}},
			[]string{"Column1", ""}},
		"msticpy/processes_on_host.csv": {363,
			map[string]table.Type{"NewProcessId": table.TypeString, "ProcessId": table.TypeString, "CommandLine": table.TypeString, "TimeCreatedUtc": table.TypeDateTime},
			[]cell{{0, "NewProcessId", "0x1610"}, {0, "ProcessId", "0x888"}, {1, "CommandLine", `\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1`}},
			nil},
		"msticpy/alertlist.csv": {189,
			map[string]table.Type{"StartTimeUtc": table.TypeDateTime, "IsIncident": table.TypeBool, "Entities": table.TypeString, "ExtendedProperties": table.TypeString},
			[]cell{{0, "AlertName", "DC local group addition - Demo"}, {0, "StartTimeUtc", "2019-01-11T06:31:40Z"}, {0, "IsIncident", "false"}},
			nil},
		"msticpy/syslog_data.csv": {100,
			map[string]table.Type{"TimeGenerated": table.TypeDateTime, "EventTime": table.TypeDateTime, "SyslogMessage": table.TypeString},
			[]cell{{0, "TimeGenerated", "2019-07-08T16:08:00Z"}, {0, "Facility", "authpriv"}},
			nil},
		"msticpy/host_hb.csv": {1,
			map[string]table.Type{"TimeGenerated": table.TypeDateTime, "OSMajorVersion": table.TypeLong, "OSMinorVersion": table.TypeString, "RemoteIPLatitude": table.TypeReal},
			[]cell{{0, "OSMinorVersion", "04"}, {0, "Computer", "squid-uk-02"}, {0, "RemoteIPLatitude", "51.5"}},
			nil},
		"msticpy/az_net_flows.csv": {460,
			map[string]table.Type{"FlowStartTime": table.TypeDateTime, "DestPort": table.TypeReal, "PublicIPs": table.TypeString},
			[]cell{{0, "VMIPAddress", "10.0.3.5"}, {0, "PublicIPs", "['65.55.44.109']"}},
			nil},
		"msticpy/TimeSeriesDemo.csv": {840,
			map[string]table.Type{"TimeGenerated": table.TypeDateTime, "TotalBytesSent": table.TypeLong, "score": table.TypeReal, "anomalies": table.TypeLong},
			[]cell{{0, "TimeGenerated", "2019-05-01T06:00:00Z"}, {0, "TotalBytesSent", "873713587"}, {0, "score", "0.22477580533770974"}},
			nil},
		"otrf/rdp_interactive_taskmanager_lsass_dump_security.jsonl": {793,
			map[string]table.Type{"@timestamp": table.TypeDateTime, "EventID": table.TypeLong, "Keywords": table.TypeLong, "ProcessId": table.TypeString, "tags": table.TypeDynamic},
			[]cell{{0, "@timestamp", "2020-09-22T08:37:48.541Z"}, {0, "EventID", "5158"}, {0, "Hostname", "MORDORDC.theshire.local"}, {0, "Keywords", "-9214364837600034816"}, {0, "tags", `["mordorDataset"]`}},
			nil},
		"otrf/covenant_psremoting_grunt_security.jsonl": {1226,
			map[string]table.Type{"@timestamp": table.TypeDateTime, "EventID": table.TypeLong, "Message": table.TypeString},
			[]cell{{0, "@timestamp", "2019-12-05T01:49:41.151Z"}, {0, "EventID", "4703"}, {0, "Hostname", "IT001.shire.com"}},
			nil},
	}
	seen := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		ext := filepath.Ext(path)
		if ext != ".csv" && ext != ".jsonl" && ext != ".json" && ext != ".tsv" {
			return nil
		}
		seen++
		tb, err := workspace.LoadFile(path)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		if strings.HasPrefix(rel, "schemas/") {
			// The schema lists are TSV tables themselves: column, type.
			if tb.Index("column") < 0 || tb.Index("type") < 0 || tb.Rows() < 17 {
				t.Errorf("%s: got %v with %d rows", rel, tb.Schema(), tb.Rows())
			}
			return nil
		}
		c, ok := cases[rel]
		if !ok {
			t.Errorf("%s: no expectations for this file; add a case", rel)
			return nil
		}
		if tb.Name != workspace.TableName(path) {
			t.Errorf("%s: table name %q", rel, tb.Name)
		}
		if tb.Rows() != c.rows {
			t.Errorf("%s: %d rows, want %d", rel, tb.Rows(), c.rows)
		}
		for col, typ := range c.types {
			i := tb.Index(col)
			if i < 0 {
				t.Errorf("%s: no column %s (have %v)", rel, col, tb.Schema())
				continue
			}
			if tb.Columns[i].Type != typ {
				t.Errorf("%s: column %s is %s, want %s", rel, col, tb.Columns[i].Type, typ)
			}
		}
		for _, x := range c.cells {
			i := tb.Index(x.col)
			if i < 0 {
				continue
			}
			if got := table.Format(tb.Columns[i].Data.At(x.row)); got != x.want {
				t.Errorf("%s: row %d %s = %q, want %q", rel, x.row, x.col, got, x.want)
			}
		}
		for _, col := range c.none {
			if tb.Index(col) >= 0 {
				t.Errorf("%s: unexpected column %q (a pandas index should be dropped)", rel, col)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < len(cases) {
		t.Errorf("loaded %d files, expected at least %d", seen, len(cases))
	}
}

// TestLoadQuirks covers what Log Analytics portal exports and other tools write.
func TestLoadQuirks(t *testing.T) {
	cases := []struct {
		name, text string
		format     workspace.Format
		types      map[string]table.Type
		cells      []cell
	}{
		{"portal export", "TimeGenerated [UTC],Computer,EventID,Properties_dynamic,Properties_string\n" +
			"\"4/28/2021, 2:08:45.221 PM\",DC01,4624,\"{\"\"a\"\":1}\",\n" +
			"\"4/28/2021, 11:00:00.000 AM\",DC02,4625,,plain text\n",
			workspace.FormatCSV,
			map[string]table.Type{"TimeGenerated": table.TypeDateTime, "Computer": table.TypeString, "EventID": table.TypeLong, "Properties": table.TypeDynamic},
			[]cell{{0, "TimeGenerated", "2021-04-28T14:08:45.221Z"}, {1, "TimeGenerated", "2021-04-28T11:00:00Z"}, {0, "Properties", `{"a":1}`}, {1, "Properties", "plain text"}}},
		{"pandas index and US dates", ",When,Count,Ratio,Flag,Id\n0,7/8/2019 16:08,1,0.5,True,0x10\n1,7/9/2019 1:02,2,1,False,0x20\n",
			workspace.FormatCSV,
			map[string]table.Type{"When": table.TypeDateTime, "Count": table.TypeLong, "Ratio": table.TypeReal, "Flag": table.TypeBool, "Id": table.TypeString},
			[]cell{{1, "When", "2019-07-09T01:02:00Z"}, {1, "Ratio", "1"}, {0, "Id", "0x10"}}},
		{"BOM, blank and duplicate names", "\xef\xbb\xbfa,a,,b\n1,2,3,\n", workspace.FormatAuto,
			map[string]table.Type{"a": table.TypeLong, "a1": table.TypeLong, "Column3": table.TypeLong, "b": table.TypeString},
			[]cell{{0, "a1", "2"}}},
		{"semicolons", "a;b\n1;x\n", workspace.FormatCSV,
			map[string]table.Type{"a": table.TypeLong, "b": table.TypeString}, []cell{{0, "b", "x"}}},
		{"JSON array", `[{"t":"2020-01-01T00:00:00Z","n":1,"x":1.5,"s":"hi","o":{"k":[1,2]}},{"t":"2020-01-02T00:00:00Z","n":2,"x":2,"s":null,"o":"str"}]`,
			workspace.FormatAuto,
			map[string]table.Type{"t": table.TypeDateTime, "n": table.TypeLong, "x": table.TypeReal, "s": table.TypeString, "o": table.TypeDynamic},
			[]cell{{1, "t", "2020-01-02T00:00:00Z"}, {0, "o", `{"k":[1,2]}`}, {1, "o", "str"}, {1, "s", ""}}},
		{"JSON lines", "{\"a\":1}\n{\"b\":true}\n\n{\"a\":3,\"b\":false}\n", workspace.FormatJSONL,
			map[string]table.Type{"a": table.TypeLong, "b": table.TypeBool},
			[]cell{{2, "a", "3"}, {0, "b", ""}, {2, "b", "false"}}},
		{"query API response", `{"tables":[{"name":"PrimaryResult","columns":[{"name":"T","type":"datetime"},{"name":"N","type":"long"},{"name":"D","type":"dynamic"},{"name":"S","type":"timespan"},{"name":"G","type":"guid"}],"rows":[["2021-01-01T00:00:00Z",9007199254740993,"{\"a\":[1]}","1.02:03:04.5000000","0F8FAD5B-D9CB-469F-A165-70867728950E"]]}]}`,
			workspace.FormatJSON,
			map[string]table.Type{"T": table.TypeDateTime, "N": table.TypeLong, "D": table.TypeDynamic, "S": table.TypeTimeSpan, "G": table.TypeGUID},
			[]cell{{0, "N", "9007199254740993"}, {0, "D", `{"a":[1]}`}, {0, "S", "1.02:03:04.5000000"}, {0, "G", "0f8fad5b-d9cb-469f-a165-70867728950e"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := workspace.Load("T", strings.NewReader(c.text), c.format)
			if err != nil {
				t.Fatal(err)
			}
			for col, typ := range c.types {
				i := tb.Index(col)
				if i < 0 {
					t.Fatalf("no column %s in %v", col, tb.Schema())
				}
				if tb.Columns[i].Type != typ {
					t.Errorf("column %s is %s, want %s", col, tb.Columns[i].Type, typ)
				}
			}
			if len(tb.Columns) != len(c.types) {
				t.Errorf("columns %v, want %d", tb.Schema(), len(c.types))
			}
			for _, x := range c.cells {
				if got := table.Format(tb.Columns[tb.Index(x.col)].Data.At(x.row)); got != x.want {
					t.Errorf("row %d %s = %q, want %q", x.row, x.col, got, x.want)
				}
			}
		})
	}
}

// TestLoadDir serves a folder of files as tables named after the files.
func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"Logons.csv": "a,b\n1,x\n", "events.jsonl": "{\"id\":1}\n{\"id\":2}\n", "notes.txt": "ignored", ".hidden.csv": "a\n1\n"}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := workspace.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ws.TableNames(), ","); got != "Logons,events" {
		t.Fatalf("tables %s", got)
	}
	if tb, ok := ws.Table("events"); !ok || tb.Rows() != 2 {
		t.Fatalf("events: %v %v", tb, ok)
	}
	if _, ok := ws.Table("logons"); ok {
		t.Error("table names are case-sensitive")
	}
	if s := ws.Schema(); len(s) != 2 || s[0].Columns[0].TypeName != "long" {
		t.Errorf("schema %+v", s)
	}
	// Two files that would make the same table are an error that names both.
	if err := os.WriteFile(filepath.Join(dir, "events.json"), []byte(`[{"id":3}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := workspace.LoadDir(dir); err == nil || !strings.Contains(err.Error(), "events.json") {
		t.Errorf("duplicate table: err = %v", err)
	}
	// Gzipped exports load as well.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("x,y\n1,2\n3,4\n"))
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "zipped.csv.gz"), gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "events.json")); err != nil {
		t.Fatal(err)
	}
	ws, err = workspace.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if tb, ok := ws.Table("zipped"); !ok || tb.Rows() != 2 || tb.Columns[0].Type != table.TypeLong {
		t.Errorf("zipped.csv.gz: %v", ws.TableNames())
	}
	// A single file works too.
	ws, err = workspace.LoadDir(filepath.Join(dir, "Logons.csv"))
	if err != nil || len(ws.TableNames()) != 1 {
		t.Fatalf("single file: %v %v", ws, err)
	}
	if _, err := workspace.LoadDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing directory should fail")
	}
}

func FuzzLoadCSV(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"))
	f.Add([]byte(",x [UTC],y_dynamic,y_string\n0,\"4/28/2021, 2:08:45.221 PM\",\"{}\",s\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Add([]byte("a\tb\n1\t2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := workspace.Load("F", bytes.NewReader(data), workspace.FormatCSV)
		if err != nil {
			return
		}
		checkTable(t, tb)
	})
}

func FuzzLoadJSON(f *testing.F) {
	f.Add([]byte(`[{"a":1,"b":"2020-01-01T00:00:00Z"}]`))
	f.Add([]byte("{\"a\":1}\n{\"a\":\"x\"}\n"))
	f.Add([]byte(`{"tables":[{"name":"t","columns":[{"name":"x","type":"timespan"}],"rows":[["1.00:00:00"],[null]]}]}`))
	f.Add([]byte(`{"Tables":[{"TableName":"t","Columns":[{"ColumnName":"x","DataType":"Int64"}],"Rows":[[1]]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := workspace.Load("F", bytes.NewReader(data), workspace.FormatJSON)
		if err != nil {
			return
		}
		checkTable(t, tb)
	})
}

// checkTable asserts the loader's invariants: equal column lengths, types that match the
// payload, every cell readable.
func checkTable(t *testing.T, tb *table.Table) {
	t.Helper()
	rows := tb.Rows()
	for _, c := range tb.Columns {
		if c.Data == nil || c.Data.Type != c.Type {
			t.Fatalf("column %s: type %s, vector %+v", c.Name, c.Type, c.Data)
		}
		if c.Data.Len() != rows {
			t.Fatalf("column %s has %d values, table %d rows", c.Name, c.Data.Len(), rows)
		}
		for r := range rows {
			_ = table.Format(c.Data.At(r))
		}
	}
}
