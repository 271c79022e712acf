package kernel

import (
	"strings"
	"testing"
)

func TestParseConnectionInfo(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
		endpoint            string // of port 5555
	}{
		{"tcp ipv4", `{"transport":"tcp","ip":"127.0.0.1","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-sha256"}`, "", "tcp://127.0.0.1:5555"},
		{"tcp ipv6", `{"transport":"tcp","ip":"::1","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5}`, "", "tcp://[::1]:5555"},
		{"tcp ipv6 bracketed", `{"transport":"tcp","ip":"[::1]"}`, "", "tcp://[::1]:5555"},
		{"tcp wildcard", `{"ip":"*"}`, "", "tcp://0.0.0.0:5555"},
		{"ipc", `{"transport":"ipc","ip":"/tmp/kernel-x-ipc","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5}`, "", "ipc:///tmp/kernel-x-ipc-5555"},
		{"ipc zero port", `{"transport":"ipc","ip":"/tmp/k","shell_port":0}`, "positive", ""},
		{"bad transport", `{"transport":"udp"}`, "not supported", ""},
		{"bad scheme", `{"signature_scheme":"rot13"}`, "not supported", ""},
		{"bad port", `{"shell_port":70000}`, "out of range", ""},
		{"bad ip", `{"ip":"not an ip!"}`, "neither", ""},
		{"not json", `{"ip":`, "not valid JSON", ""},
		{"curve", `{"curve_publickey":"abc","curve_secretkey":"def"}`, "CURVE", ""},
		{"wrong type", `{"shell_port":"1"}`, "not valid JSON", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci, err := ParseConnectionInfo([]byte(tt.json))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ci.Endpoint(5555); got != tt.endpoint {
				t.Errorf("Endpoint = %q, want %q", got, tt.endpoint)
			}
		})
	}
}

func FuzzConnectionFile(f *testing.F) {
	f.Add([]byte(`{"transport":"tcp","ip":"127.0.0.1","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-sha256"}`))
	f.Add([]byte(`{"transport":"ipc","ip":"kernel-ipc","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5}`))
	f.Add([]byte(`{"ip":"::1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ci, err := ParseConnectionInfo(data)
		if err != nil {
			return
		}
		if ci.Transport != "tcp" && ci.Transport != "ipc" {
			t.Fatalf("accepted transport %q", ci.Transport)
		}
		ep := ci.Endpoint(ci.ShellPort)
		if !strings.HasPrefix(ep, ci.Transport+"://") {
			t.Fatalf("endpoint %q for transport %q", ep, ci.Transport)
		}
		if _, err := NewSigner(ci.SignatureScheme, ci.Key); err != nil {
			t.Fatalf("accepted scheme %q: %v", ci.SignatureScheme, err)
		}
	})
}
