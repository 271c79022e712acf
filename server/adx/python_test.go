package adx_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/server/adx"
)

// python finds an interpreter with azure-kusto-data: $KQLKERNEL_PYTHON, else the
// project's venv. The test skips (saying why) when there is none.
func python(t *testing.T) string {
	return pythonWith(t, "KQLKERNEL_PYTHON", ".venv", "azure.kusto.data",
		"no Python with azure-kusto-data (set KQLKERNEL_PYTHON or add azure-kusto-data to tests/requirements.txt)")
}

// pythonWith finds an interpreter that imports module: $env, else the venv of that name at
// the repository root. The test skips with why when there is none.
func pythonWith(t *testing.T, env, venv, module, why string) string {
	candidates := []string{os.Getenv(env)}
	if abs, err := filepath.Abs("../../" + venv + "/bin/python"); err == nil {
		candidates = append(candidates, abs)
	}
	for _, p := range candidates {
		if p != "" && exec.Command(p, "-c", "import "+module).Run() == nil {
			return p
		}
	}
	t.Skip(why)
	return ""
}

// Microsoft's Python client reads our v2 answer (unfragmented DataTable frames), the
// service's error, a partial result and a management command.
func TestPythonClient(t *testing.T) {
	py := python(t)
	_, srv := serve(t, demoBackend(t), adx.Options{MaxRows: 5})
	q := `print l=9007199254740993, r=real(nan), t=time(1.02:03:04.5), g=guid(74be27de-1e4e-49d9-b579-fe0b331d3642), m=decimal(1.5), dyn=dynamic({"a":[1,{"b":9007199254740993}]}), s="x\"y" | render timechart`
	cmd := exec.Command(py, "testdata/python_client.py", srv.URL, q)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, b)
	}
	var got struct {
		Columns     [][2]string
		Row         []any
		Tables      []string
		Error       string
		PartialRows int `json:"partial_rows"`
		ErrorsCount int `json:"errors_count"`
		MgmtRows    int `json:"mgmt_rows"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if len(got.Columns) != 7 || got.Columns[0] != [2]string{"l", "long"} || got.Columns[5] != [2]string{"dyn", "dynamic"} {
		t.Fatalf("columns: %v", got.Columns)
	}
	if got.Row[0].(json.Number).String() != "9007199254740993" || got.Row[2] != "1 day, 2:03:04.500000" || got.Row[4] != "1.5" || got.Row[6] != `x"y` {
		t.Fatalf("row: %v", got.Row)
	}
	nested := got.Row[5].(map[string]any)["a"].([]any)[1].(map[string]any)["b"].(json.Number)
	if nested.String() != "9007199254740993" {
		t.Fatalf("nested: %v", nested)
	}
	if strings.Join(got.Tables, ",") != "@ExtendedProperties,PrimaryResult,QueryCompletionInformation" {
		t.Fatalf("tables: %v", got.Tables)
	}
	if !strings.Contains(got.Error, "SYN0002") || !strings.Contains(got.Error, "line:position=2:2") {
		t.Fatalf("error: %s", got.Error)
	}
	if got.PartialRows != 5 || got.ErrorsCount != 1 || got.MgmtRows < 10 {
		t.Fatalf("partial %d rows, %d errors; mgmt %d rows", got.PartialRows, got.ErrorsCount, got.MgmtRows)
	}
}
