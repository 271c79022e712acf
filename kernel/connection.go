package kernel

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// ConnectionInfo is the connection file Jupyter writes for a kernel.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	SignatureScheme string `json:"signature_scheme"`
	Key             string `json:"key"`
	KernelName      string `json:"kernel_name,omitempty"`
	// CURVE keys (jupyter_client 8.10 can ask for encrypted sockets); zmq4 has no CURVE.
	CurvePublicKey string `json:"curve_publickey,omitempty"`
	CurveSecretKey string `json:"curve_secretkey,omitempty"`
}

// ReadConnectionFile reads and validates a connection file.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("read connection file: %w", err)
	}
	ci, err := ParseConnectionInfo(b)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file %s: %w", path, err)
	}
	return ci, nil
}

// ParseConnectionInfo decodes and validates the JSON of a connection file. Ports may be 0
// for tcp, meaning "pick a free port" (the kernel reports what it bound).
func ParseConnectionInfo(b []byte) (ConnectionInfo, error) {
	var ci ConnectionInfo
	if err := json.Unmarshal(b, &ci); err != nil {
		return ci, fmt.Errorf("not valid JSON: %w", err)
	}
	if ci.Transport == "" {
		ci.Transport = "tcp"
	}
	if ci.IP == "" {
		ci.IP = "127.0.0.1"
	}
	if ci.SignatureScheme == "" {
		ci.SignatureScheme = "hmac-sha256"
	}
	if _, err := NewSigner(ci.SignatureScheme, ci.Key); err != nil {
		return ci, err
	}
	if ci.CurvePublicKey != "" || ci.CurveSecretKey != "" {
		// Refuse rather than serve in clear text a client that expects encryption.
		return ci, errors.New("CURVE encryption (curve_publickey/curve_secretkey) is not supported; start the kernel without it")
	}
	ports := []struct {
		name string
		p    int
	}{{"shell_port", ci.ShellPort}, {"control_port", ci.ControlPort}, {"stdin_port", ci.StdinPort}, {"iopub_port", ci.IOPubPort}, {"hb_port", ci.HBPort}}
	switch ci.Transport {
	case "tcp":
		host := strings.TrimSuffix(strings.TrimPrefix(ci.IP, "["), "]")
		if host != "*" && net.ParseIP(host) == nil && !validHostname(host) {
			return ci, fmt.Errorf("ip %q is neither an IP address nor a host name", ci.IP)
		}
		for _, p := range ports {
			if p.p < 0 || p.p > 65535 {
				return ci, fmt.Errorf("%s %d is out of range 0..65535", p.name, p.p)
			}
		}
	case "ipc":
		if strings.ContainsRune(ci.IP, 0) {
			return ci, fmt.Errorf("ipc path %q contains NUL", ci.IP)
		}
		for _, p := range ports {
			if p.p <= 0 {
				return ci, fmt.Errorf("%s must be a positive number for ipc, got %d", p.name, p.p)
			}
		}
	default:
		return ci, fmt.Errorf("transport %q is not supported (use tcp or ipc)", ci.Transport)
	}
	return ci, nil
}

func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// Endpoint returns the ZeroMQ endpoint for a port: tcp://ip:port (IPv6 in brackets) or
// ipc://ip-port, as jupyter_client builds them.
func (ci ConnectionInfo) Endpoint(port int) string {
	if ci.Transport == "ipc" {
		return "ipc://" + ci.IP + "-" + strconv.Itoa(port)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(ci.IP, "["), "]")
	if host == "*" {
		host = "0.0.0.0"
	}
	return "tcp://" + net.JoinHostPort(host, strconv.Itoa(port))
}

// newID returns a random UUID (version 4) string for msg_id and session ids.
func newID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails on supported platforms
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
