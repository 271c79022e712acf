package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueryHelper is not a test: it runs `kqlkernel ARGS...` (through main, exit status
// and all) for TestQueryCommand.
func TestQueryHelper(t *testing.T) {
	raw := os.Getenv("KQLKERNEL_HELPER_ARGS")
	if raw == "" {
		t.Skip("helper process only")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		os.Exit(3)
	}
	os.Args = append([]string{"kqlkernel"}, args...)
	main()
	os.Exit(0)
}

// kqlkernel runs the command in a child process and returns stdout, stderr and the exit code.
func kqlkernel(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	b, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestQueryHelper$")
	cmd.Env = append(os.Environ(), "KQLKERNEL_HELPER_ARGS="+string(b))
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func TestQueryCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Logins.csv"), []byte("User,Count\nalice,3\nbob,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		stdin  string
		args   []string
		out    string // exact stdout, or "" to skip
		errHas string
		code   int
	}{
		{name: "json", args: []string{"query", "--format", "json", "print n=9007199254740993, r=real(nan), d=datetime(2024-01-02 03:04:05.5), t=1d, g=guid(00000000-0000-0000-0000-000000000001), s='x', y=dynamic({\"a\":[1]}), z=long(null)"},
			out: `{"tables":[{"name":"PrimaryResult","columns":[{"name":"n","type":"long"},{"name":"r","type":"real"},{"name":"d","type":"datetime"},{"name":"t","type":"timespan"},{"name":"g","type":"guid"},{"name":"s","type":"string"},{"name":"y","type":"dynamic"},{"name":"z","type":"long"}],"rows":[[9007199254740993,"NaN","2024-01-02T03:04:05.5Z","1.00:00:00","00000000-0000-0000-0000-000000000001","x",{"a":[1]},null]]}]}` + "\n"},
		{name: "csv", args: []string{"query", "--format", "csv", "datatable(a:string, b:long) ['x,y', 1, 'z', long(null)]"}, out: "a,b\n\"x,y\",1\nz,\n"},
		{name: "table", args: []string{"query", "print x=6*7"}, out: "x\n--\n42\n"},
		{name: "stdin", stdin: "print x=1", args: []string{"query", "-"}, out: "x\n-\n1\n"},
		{name: "dir", args: []string{"query", "--workspace", dir, "--format", "csv", "Logins | summarize total=sum(Count)"}, out: "total\n8\n"},
		{name: "connect local", args: []string{"query", "--connect", "local://" + dir, "--format", "csv", "Logins | count"}, out: "Count\n2\n"},
		{name: "demo", args: []string{"query", "--format", "csv", "SecurityEvent | take 3 | count"}, out: "Count\n3\n"},
		{name: "syntax error", args: []string{"query", "print 1 +"}, errHas: "1:10: ", code: 1},
		{name: "semantic error", args: []string{"query", "print x=1\n| where y > 1"}, errHas: "2:9: ", code: 1},
		{name: "bad format", args: []string{"query", "--format", "xml", "print 1"}, errHas: "use table, json or csv", code: 1},
		{name: "bad connection", args: []string{"query", "--connect", "loganalytics://workspace='w';appkey='TOPSECRET';bogus=1", "print 1"}, errHas: "unknown key", code: 1},
		{name: "empty", args: []string{"query", "  "}, errHas: "the query is empty", code: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := kqlkernel(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			if tt.out != "" && out != tt.out {
				t.Errorf("stdout\n%q\nwant\n%q", out, tt.out)
			}
			if tt.errHas != "" && !strings.Contains(errOut, tt.errHas) {
				t.Errorf("stderr %q lacks %q", errOut, tt.errHas)
			}
			if strings.HasPrefix(tt.errHas, "1:") || strings.HasPrefix(tt.errHas, "2:") {
				if !strings.HasPrefix(errOut, tt.errHas) {
					t.Errorf("stderr should start with line:col: %q", errOut)
				}
			}
			if strings.Contains(out+errOut, "TOPSECRET") {
				t.Errorf("secret printed")
			}
		})
	}
}
