package adx_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/server/adx"
)

// kqlmagicPython finds the Kqlmagic venv: $KQLMAGIC_PYTHON, else .venv-kqlmagic at the
// repository root (`make kqlmagic-venv`). The test skips when there is none.
func kqlmagicPython(t *testing.T) string {
	return pythonWith(t, "KQLMAGIC_PYTHON", ".venv-kqlmagic", "Kqlmagic", "no Kqlmagic venv (.venv-kqlmagic or KQLMAGIC_PYTHON)")
}

// Kqlmagic's own ADX client against the server: kusto://anonymous, rows, exact types, the
// render, and the service's error in the cell.
func TestKqlmagic(t *testing.T) {
	py := kqlmagicPython(t)
	_, srv := serve(t, demoBackend(t), adx.Options{})
	cmd := exec.Command(py, "testdata/kqlmagic_client.py", srv.URL)
	cmd.Env = append(os.Environ(), "MPLBACKEND=Agg", "KQLMAGIC_LOG_LEVEL=")
	b, err := cmd.CombinedOutput()
	i := strings.LastIndex(string(b), "RESULT ")
	if err != nil || i < 0 {
		t.Fatalf("kqlmagic: %v\n%s", err, b)
	}
	var got struct {
		Top   []map[string]any
		Types map[string][2]string
		Chart []any
		Error string
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(string(b)[i+len("RESULT "):])), &got); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if len(got.Top) != 3 {
		t.Fatalf("top: %v", got.Top)
	}
	for col, want := range map[string][2]string{
		"l":  {"int", "9007199254740993"},
		"dt": {"Timestamp", "2024-01-02 03:04:05.123456700+00:00"},
		"ts": {"Timedelta", "1 days 02:03:04"},
		"d":  {"dict", "{'a': [1, {'b': None}]}"},
		"g":  {"str", "74be27de-1e4e-49d9-b579-fe0b331d3642"},
		"b":  {"bool", "True"},
	} {
		if got.Types[col] != want {
			t.Errorf("%s: %v, want %v", col, got.Types[col], want)
		}
	}
	if len(got.Chart) != 3 || got.Chart[0] != "timechart" || got.Chart[1] != "Daily" {
		t.Fatalf("chart: %v", got.Chart)
	}
	if !strings.Contains(got.Error, `"@errorCode": "SYN0002"`) || !strings.Contains(got.Error, `"@pos": "16"`) {
		t.Fatalf("error: %s", got.Error)
	}
}
