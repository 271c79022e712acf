package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T, interp Interpreter, tweak func(*Config)) (*testKernel, *client) {
	t.Helper()
	tk := startKernel(t, tcpConn("secret-key"), interp, tweak)
	return tk, dialClient(t, tk.k.Connection(), true)
}

func TestKernelInfoStatusAndParentHeader(t *testing.T) {
	_, c := start(t, nil, nil)
	// A parent header with a field the kernel doesn't know must come back byte for byte.
	raw := []byte(`{"msg_id":"abc-1","session":"s","username":"u","date":"2026-01-01T00:00:00Z","msg_type":"kernel_info_request","version":"5.3","x-extra":{"keep":[1,2]}}`)
	frames := [][]byte{delimiter, nil, raw, []byte(`{}`), []byte(`{}`), []byte(`{}`)}
	frames[1] = c.signer.sign(frames[2], frames[3], frames[4], frames[5])
	c.sendRaw(c.shell, frames)

	reply := c.shellReply()
	if reply.Header.MsgType != "kernel_info_reply" || reply.Header.Version != "5.3" {
		t.Fatalf("reply header %+v", reply.Header)
	}
	if !bytes.Equal(reply.ParentHeader, raw) {
		t.Errorf("parent header not verbatim:\n got %s\nwant %s", reply.ParentHeader, raw)
	}
	got := kinds(t, c.iopubUntilIdle("abc-1"))
	if want := []string{"status:busy", "status:idle"}; !reflect.DeepEqual(got, want) {
		t.Errorf("iopub = %v, want %v", got, want)
	}
	ct := content(t, reply)
	li := ct["language_info"].(map[string]any)
	if li["name"] != "test" || li["file_extension"] != ".test" || ct["protocol_version"] != "5.3" {
		t.Errorf("kernel_info content %v", ct)
	}
	if hl, ok := ct["help_links"].([]any); !ok || hl == nil {
		t.Errorf("help_links = %#v, want a list", ct["help_links"])
	}
}

func TestStartingStatusReachesFirstSubscriber(t *testing.T) {
	tk := startKernel(t, tcpConn(""), nil, nil)
	c := dialClient(t, tk.k.Connection(), false)
	id := c.send(c.shell, "kernel_info_request", map[string]any{})
	// Subscribe only after the request is on its way: the kernel waits for us.
	c.subscribe(tk.k.Connection())
	first := c.iopubMsg()
	if first.Header.MsgType != "status" || content(t, first)["execution_state"] != "starting" {
		t.Fatalf("first iopub message %s %s, want status starting", first.Header.MsgType, first.Content)
	}
	if got := kinds(t, c.iopubUntilIdle(id)); !reflect.DeepEqual(got, []string{"status:busy", "status:idle"}) {
		t.Errorf("iopub = %v", got)
	}
	c.shellReply()
}

func TestExecuteOutputsInOrder(t *testing.T) {
	_, c := start(t, nil, nil)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "outputs", "silent": false})
	reply := c.shellReply()
	rc := content(t, reply)
	if rc["status"] != "ok" || rc["execution_count"] != float64(1) {
		t.Fatalf("reply %v", rc)
	}
	if _, ok := rc["user_expressions"].(map[string]any); !ok {
		t.Errorf("user_expressions = %#v, want {}", rc["user_expressions"])
	}
	msgs := c.iopubUntilIdle(id)
	want := []string{"status:busy", "execute_input", "display_data", "update_display_data", "stream:stdout", "stream:stderr", "clear_output", "execute_result", "status:idle"}
	if got := kinds(t, msgs); !reflect.DeepEqual(got, want) {
		t.Fatalf("iopub = %v\nwant %v", got, want)
	}
	if d := content(t, msgs[2]); d["transient"].(map[string]any)["display_id"] != "d1" {
		t.Errorf("display_data transient = %v", d["transient"])
	}
	res := content(t, msgs[7])
	if res["execution_count"] != float64(1) || res["data"].(map[string]any)["text/plain"] != "result" {
		t.Errorf("execute_result = %v", res)
	}
	if _, ok := res["metadata"].(map[string]any); !ok {
		t.Errorf("execute_result metadata = %#v, want {}", res["metadata"])
	}
	// The execution count advances.
	c.send(c.shell, "execute_request", map[string]any{"code": "none"})
	if n := content(t, c.shellReply())["execution_count"]; n != float64(2) {
		t.Errorf("second execution_count = %v", n)
	}
}

func TestExecuteErrors(t *testing.T) {
	tests := []struct {
		code, ename string
	}{
		{"error", "SyntaxError"},
		{"plainerr", "Error"},
		{"panic", "KernelError"},
	}
	_, c := start(t, nil, nil)
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			id := c.send(c.shell, "execute_request", map[string]any{"code": tt.code})
			rc := content(t, c.shellReply())
			if rc["status"] != "error" || rc["ename"] != tt.ename {
				t.Fatalf("reply %v", rc)
			}
			if tb, ok := rc["traceback"].([]any); !ok || len(tb) == 0 {
				t.Errorf("traceback = %#v", rc["traceback"])
			}
			got := kinds(t, c.iopubUntilIdle(id))
			if want := []string{"status:busy", "execute_input", "error", "status:idle"}; !reflect.DeepEqual(got, want) {
				t.Errorf("iopub = %v, want exactly one error: %v", got, want)
			}
		})
	}
}

func TestSilentAndStoreHistory(t *testing.T) {
	_, c := start(t, nil, nil)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "outputs", "silent": true})
	if rc := content(t, c.shellReply()); rc["execution_count"] != float64(0) {
		t.Errorf("silent execution_count = %v, want 0", rc["execution_count"])
	}
	if got := kinds(t, c.iopubUntilIdle(id)); !reflect.DeepEqual(got, []string{"status:busy", "status:idle"}) {
		t.Errorf("silent cell published %v", got)
	}
	c.send(c.shell, "execute_request", map[string]any{"code": "result a", "store_history": false})
	if rc := content(t, c.shellReply()); rc["execution_count"] != float64(0) {
		t.Errorf("store_history=false execution_count = %v, want 0", rc["execution_count"])
	}
	c.send(c.shell, "execute_request", map[string]any{"code": "result b"})
	if rc := content(t, c.shellReply()); rc["execution_count"] != float64(1) {
		t.Errorf("execution_count = %v, want 1", rc["execution_count"])
	}
	c.send(c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 10, "output": true, "raw": true})
	h := content(t, c.shellReply())["history"].([]any)
	want := []any{[]any{float64(1), float64(1), []any{"result b", "b"}}}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("history = %v, want %v", h, want)
	}
}

func TestInterruptRunningCellAndHeartbeat(t *testing.T) {
	_, c := start(t, nil, nil)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "sleep"})
	// Wait until the cell is running.
	for m := c.iopubMsg(); m.Header.MsgType != "execute_input" || parentID(m) != id; m = c.iopubMsg() {
	}
	// The heartbeat answers while the cell runs.
	if err := c.hb.Send(zmqMsg([]byte("ping"))); err != nil {
		t.Fatal(err)
	}
	pong, err := c.hb.Recv()
	if err != nil || string(pong.Bytes()) != "ping" {
		t.Fatalf("heartbeat = %q, %v", pong.Bytes(), err)
	}
	// So does the control channel.
	c.send(c.control, "kernel_info_request", map[string]any{})
	if r := c.controlReply(); r.Header.MsgType != "kernel_info_reply" {
		t.Fatalf("control reply %s", r.Header.MsgType)
	}
	c.send(c.control, "interrupt_request", map[string]any{})
	if r := c.controlReply(); r.Header.MsgType != "interrupt_reply" || content(t, r)["status"] != "ok" {
		t.Fatalf("interrupt reply %s %s", r.Header.MsgType, r.Content)
	}
	rc := content(t, c.shellReply())
	if rc["status"] != "error" || rc["ename"] != "KeyboardInterrupt" {
		t.Fatalf("interrupted cell reply %v", rc)
	}
	// The kernel keeps serving.
	c.send(c.shell, "execute_request", map[string]any{"code": "result ok"})
	if rc := content(t, c.shellReply()); rc["status"] != "ok" {
		t.Fatalf("after interrupt: %v", rc)
	}
}

func TestStopOnErrorAbortsQueued(t *testing.T) {
	for _, stopOnError := range []bool{true, false} {
		t.Run(map[bool]string{true: "stop", false: "continue"}[stopOnError], func(t *testing.T) {
			var tk *testKernel
			release := make(chan struct{})
			interp := &testInterp{hook: func(ctx context.Context, req ExecuteRequest, out Output) (*Bundle, error, bool) {
				if req.Code != "fail-when-queued" {
					return nil, nil, false
				}
				<-release
				// Fail only once the two requests behind us are in the kernel's queue.
				for len(tk.k.queue) < 3 {
					time.Sleep(time.Millisecond)
				}
				return nil, &ExecError{Name: "E", Value: "failed"}, true
			}}
			tk, c := start(t, interp, nil)
			c.send(c.shell, "execute_request", map[string]any{"code": "fail-when-queued", "stop_on_error": stopOnError})
			c.send(c.shell, "execute_request", map[string]any{"code": "result 2"})
			c.send(c.shell, "complete_request", map[string]any{"code": "Sec", "cursor_pos": 3})
			c.send(c.shell, "execute_request", map[string]any{"code": "result 3"})
			close(release)
			var got []string
			for range 4 {
				r := c.shellReply()
				got = append(got, r.Header.MsgType+":"+content(t, r)["status"].(string))
			}
			want := []string{"execute_reply:error", "execute_reply:aborted", "complete_reply:ok", "execute_reply:aborted"}
			if !stopOnError {
				want = []string{"execute_reply:error", "execute_reply:ok", "complete_reply:ok", "execute_reply:ok"}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("replies %v, want %v", got, want)
			}
			c.send(c.shell, "execute_request", map[string]any{"code": "result after"})
			if rc := content(t, c.shellReply()); rc["status"] != "ok" {
				t.Errorf("after abort: %v", rc)
			}
		})
	}
}

func TestShutdown(t *testing.T) {
	for _, restart := range []bool{false, true} {
		tk, c := start(t, nil, nil)
		// A running cell must not hold up the shutdown.
		c.send(c.shell, "execute_request", map[string]any{"code": "sleep"})
		begin := time.Now()
		c.send(c.control, "shutdown_request", map[string]any{"restart": restart})
		r := c.controlReply()
		if rc := content(t, r); r.Header.MsgType != "shutdown_reply" || rc["status"] != "ok" || rc["restart"] != restart {
			t.Fatalf("shutdown reply %s %v", r.Header.MsgType, rc)
		}
		select {
		case <-tk.done:
			t.Logf("restart=%v: Run returned %v after the request", restart, time.Since(begin))
		case <-time.After(hangGuard):
			t.Fatal("kernel did not stop after shutdown_request")
		}
		if tk.k.Restart() != restart {
			t.Errorf("Restart() = %v", tk.k.Restart())
		}
		tk.done <- nil // for the cleanup
	}
}

func TestCompleteInspectIsComplete(t *testing.T) {
	_, c := start(t, nil, nil)
	c.send(c.shell, "complete_request", map[string]any{"code": "Sec", "cursor_pos": 3})
	rc := content(t, c.shellReply())
	if !reflect.DeepEqual(rc["matches"], []any{"SecurityEvent"}) || rc["cursor_start"] != float64(0) || rc["cursor_end"] != float64(3) {
		t.Errorf("complete_reply %v", rc)
	}
	// No matches: [] and {} rather than null; a cursor past the end is clamped.
	c.send(c.shell, "complete_request", map[string]any{"code": "zzé", "cursor_pos": 99})
	rc = content(t, c.shellReply())
	if m, ok := rc["matches"].([]any); !ok || len(m) != 0 || rc["cursor_start"] != float64(3) {
		t.Errorf("empty complete_reply %v", rc)
	}
	if _, ok := rc["metadata"].(map[string]any); !ok {
		t.Errorf("metadata = %#v", rc["metadata"])
	}
	c.send(c.shell, "inspect_request", map[string]any{"code": "where", "cursor_pos": 2, "detail_level": 0})
	rc = content(t, c.shellReply())
	if rc["found"] != true || rc["data"].(map[string]any)["text/plain"] != "where at 2" {
		t.Errorf("inspect_reply %v", rc)
	}
	c.send(c.shell, "inspect_request", map[string]any{"code": "nothing", "cursor_pos": 0})
	rc = content(t, c.shellReply())
	if rc["found"] != false || rc["data"] == nil {
		t.Errorf("inspect_reply not found %v", rc)
	}
	for code, want := range map[string]string{"x |": "incomplete", ") x": "invalid", "x": "complete"} {
		c.send(c.shell, "is_complete_request", map[string]any{"code": code})
		rc = content(t, c.shellReply())
		if rc["status"] != want {
			t.Errorf("is_complete(%q) = %v, want %s", code, rc, want)
		}
		if _, has := rc["indent"]; has != (want == "incomplete") {
			t.Errorf("is_complete(%q) indent presence wrong: %v", code, rc)
		}
	}
	// A panic in Complete is an error reply, and the kernel goes on.
	id := c.send(c.shell, "complete_request", map[string]any{"code": "panic"})
	if rc := content(t, c.shellReply()); rc["status"] != "error" {
		t.Errorf("panicking complete: %v", rc)
	}
	if got := kinds(t, c.iopubUntilIdle(id)); !reflect.DeepEqual(got, []string{"status:busy", "status:idle"}) {
		t.Errorf("iopub around a panic = %v", got)
	}
}

func TestComms(t *testing.T) {
	_, c := start(t, nil, nil)
	c.send(c.shell, "comm_info_request", map[string]any{})
	rc := content(t, c.shellReply())
	if rc["status"] != "ok" || !reflect.DeepEqual(rc["comms"], map[string]any{}) {
		t.Errorf("comm_info_reply %v", rc)
	}
	id := c.send(c.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "jupyter.widget", "data": map[string]any{}})
	got := c.iopubUntilIdle(id)
	if k := kinds(t, got); !reflect.DeepEqual(k, []string{"status:busy", "comm_close", "status:idle"}) || content(t, got[1])["comm_id"] != "c1" {
		t.Errorf("comm_open answered with %v", k)
	}
}

func TestBadInputKeepsServing(t *testing.T) {
	tk, c := start(t, nil, func(cfg *Config) { cfg.MaxMessageSize = 4096 })
	good := func(msgType string, ct any) [][]byte {
		h := Header{MsgID: newID(), Session: "s", Username: "u", Date: "d", MsgType: msgType, Version: "5.3"}
		f, err := Encode(nil, h, nil, nil, ct, c.signer)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	resign := func(f [][]byte) [][]byte { f[1] = c.signer.sign(f[2], f[3], f[4], f[5]); return f }
	tests := []struct {
		name    string
		frames  [][]byte
		logged  string
		replyTo string // reply type expected, or "" when dropped
	}{
		{"missing delimiter", func() [][]byte {
			f := good("kernel_info_request", map[string]any{})
			f[0] = []byte("<IDS|MSX>")
			return f
		}(), "no <IDS|MSG>", ""},
		{"too few frames", good("kernel_info_request", map[string]any{})[:4], "too few frames", ""},
		{"bad hex signature", func() [][]byte {
			f := good("kernel_info_request", map[string]any{})
			f[1] = []byte("not-hex!")
			return f
		}(), "not hex", ""},
		{"forged signature", func() [][]byte {
			f := good("execute_request", map[string]any{"code": "result a"})
			f[5] = []byte(`{"code":"result forged"}`)
			return f
		}(), "does not match", ""},
		{"invalid JSON", resign(func() [][]byte {
			f := good("kernel_info_request", map[string]any{})
			f[2] = []byte(`{"msg_type":`)
			return f
		}()), "header is not", ""},
		// Each frame under the limit (a bigger one is the transport guard's: TestFrameGuard),
		// the message over it.
		{"oversized", append(good("execute_request", map[string]any{"code": strings.Repeat("x", 3000)}), bytes.Repeat([]byte("b"), 3000)), "size limit", ""},
		{"unknown msg_type", good("frobnicate_request", map[string]any{}), "unknown message type", "frobnicate_reply"},
		{"bad content", good("complete_request", map[string]any{"code": 42}), "bad complete_request content", "complete_reply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := strings.Count(tk.log.String(), "\n")
			c.sendRaw(c.shell, tt.frames)
			if tt.replyTo != "" {
				r := c.shellReply()
				if r.Header.MsgType != tt.replyTo || content(t, r)["status"] != "error" {
					t.Fatalf("reply %s %s", r.Header.MsgType, r.Content)
				}
			}
			// The kernel still answers, and only after the bad message was dealt with.
			c.send(c.shell, "kernel_info_request", map[string]any{})
			if r := c.shellReply(); r.Header.MsgType != "kernel_info_reply" {
				t.Fatalf("after %s got %s", tt.name, r.Header.MsgType)
			}
			log := tk.log.String()
			lines := strings.Split(strings.TrimSpace(log), "\n")[before:]
			if len(lines) != 1 || !strings.Contains(lines[0], tt.logged) {
				t.Errorf("log after %s = %q, want one line containing %q", tt.name, lines, tt.logged)
			}
		})
	}
}

func TestTransports(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		ci   ConnectionInfo
	}{
		{"ipv6", ConnectionInfo{Transport: "tcp", IP: "::1", Key: "k"}},
		{"ipc", ConnectionInfo{Transport: "ipc", IP: filepath.Join(dir, "kernel-ipc"), Key: "k", ShellPort: 1, ControlPort: 2, StdinPort: 3, IOPubPort: 4, HBPort: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "ipv6" && !hasIPv6Loopback() {
				t.Skip("no IPv6 loopback on this machine")
			}
			tk := startKernel(t, tt.ci, nil, nil)
			c := dialClient(t, tk.k.Connection(), true)
			id := c.send(c.shell, "execute_request", map[string]any{"code": "result 42"})
			if rc := content(t, c.shellReply()); rc["status"] != "ok" {
				t.Fatalf("reply %v", rc)
			}
			if got := kinds(t, c.iopubUntilIdle(id)); !reflect.DeepEqual(got, []string{"status:busy", "execute_input", "execute_result", "status:idle"}) {
				t.Errorf("iopub %v", got)
			}
		})
	}
}

func hasIPv6Loopback() bool {
	b, err := os.ReadFile("/proc/net/if_inet6")
	return err == nil && strings.Contains(string(b), "00000000000000000000000000000001")
}

func TestHistoryRequest(t *testing.T) {
	_, c := start(t, nil, nil)
	for _, code := range []string{"result a", "result b", "result a", "none"} {
		c.send(c.shell, "execute_request", map[string]any{"code": code})
		c.shellReply()
	}
	tests := []struct {
		q    map[string]any
		want string
	}{
		{map[string]any{"hist_access_type": "tail", "n": 2}, `[[1,3,"result a"],[1,4,"none"]]`},
		{map[string]any{"hist_access_type": "tail", "n": 1, "output": true}, `[[1,4,["none",null]]]`},
		{map[string]any{"hist_access_type": "range", "session": 1, "start": 2, "stop": 3}, `[[1,2,"result b"]]`},
		{map[string]any{"hist_access_type": "range", "session": 0, "start": 3}, `[[1,3,"result a"],[1,4,"none"]]`},
		{map[string]any{"hist_access_type": "range", "session": 7, "start": 1}, `[]`},
		{map[string]any{"hist_access_type": "search", "pattern": "result*"}, `[[1,1,"result a"],[1,2,"result b"],[1,3,"result a"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "result*", "unique": true}, `[[1,2,"result b"],[1,3,"result a"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "result*", "n": 1}, `[[1,3,"result a"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "result ?", "unique": true, "output": true}, `[[1,2,["result b","b"]],[1,3,["result a","a"]]]`},
		{map[string]any{"hist_access_type": "bogus"}, `[]`},
	}
	for _, tt := range tests {
		c.send(c.shell, "history_request", tt.q)
		r := c.shellReply()
		var ct struct {
			Status  string          `json:"status"`
			History json.RawMessage `json:"history"`
		}
		if err := json.Unmarshal(r.Content, &ct); err != nil {
			t.Fatal(err)
		}
		if ct.Status != "ok" || string(ct.History) != tt.want {
			t.Errorf("history %v = %s %s, want %s", tt.q, ct.Status, ct.History, tt.want)
		}
	}
}

// A client that never subscribes to IOPub can still shut the kernel down at once: control
// requests don't wait for the first subscriber.
func TestShutdownWithoutSubscriber(t *testing.T) {
	tk := startKernel(t, tcpConn("k"), nil, func(cfg *Config) { cfg.SubscriberWait = time.Hour })
	c := dialClient(t, tk.k.Connection(), false)
	c.send(c.control, "shutdown_request", map[string]any{"restart": false})
	if r := c.controlReply(); r.Header.MsgType != "shutdown_reply" {
		t.Fatalf("reply %s", r.Header.MsgType)
	}
	select {
	case <-tk.done:
		tk.done <- nil
	case <-time.After(hangGuard):
		t.Fatal("kernel did not stop")
	}
}

func TestLoggerOnce(t *testing.T) {
	var buf syncBuffer
	l := &logger{w: &buf}
	for range 2500 {
		l.once("forged", "shell: dropped message: %s", "forged")
	}
	l.once("other", "x")
	got := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{
		"kqlkernel: shell: dropped message: forged",
		"kqlkernel: shell: dropped message: forged (1000 times)",
		"kqlkernel: shell: dropped message: forged (2000 times)",
		"kqlkernel: x",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("log = %q", got)
	}
}

// Peers that connect and leave without a ZMTP handshake are logged once, and the socket
// keeps accepting.
func TestFailedHandshakesLoggedOnce(t *testing.T) {
	tk := startKernel(t, tcpConn("k"), nil, nil)
	ci := tk.k.Connection()
	for range 3 {
		conn, err := net.Dial("tcp", net.JoinHostPort(ci.IP, strconv.Itoa(ci.ShellPort)))
		if err != nil {
			t.Fatal(err)
		}
		conn.Close()
	}
	// zmq4 accepts connections one at a time, in order: once a new client is served, the
	// three broken ones have been dealt with.
	c := dialClient(t, ci, true)
	c.send(c.shell, "kernel_info_request", map[string]any{})
	if r := c.shellReply(); r.Header.MsgType != "kernel_info_reply" {
		t.Fatalf("reply %s", r.Header.MsgType)
	}
	if n := strings.Count(tk.log.String(), "shell: could not open a ZMTP connection"); n != 1 {
		t.Errorf("failed handshakes logged %d times, want 1:\n%s", n, tk.log.String())
	}
}

// An interrupt also stops a completion that waits (on a slow schema service, say).
func TestInterruptBlockedCompletion(t *testing.T) {
	_, c := start(t, nil, nil)
	id := c.send(c.shell, "complete_request", map[string]any{"code": "block", "cursor_pos": 5})
	for m := c.iopubMsg(); m.Header.MsgType != "status" || parentID(m) != id; m = c.iopubMsg() {
	} // busy: the completion is running
	c.send(c.control, "interrupt_request", map[string]any{})
	c.controlReply()
	if rc := content(t, c.shellReply()); !reflect.DeepEqual(rc["matches"], []any{"cancelled"}) {
		t.Errorf("complete_reply %v", rc)
	}
}

// rawZMTP opens a plain TCP connection to a kernel socket and sends a ZMTP 3.0 greeting
// for the NULL mechanism.
func rawZMTP(t *testing.T, ci ConnectionInfo, port int) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", net.JoinHostPort(ci.IP, strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	g := make([]byte, zmtpGreetingLen)
	g[0], g[9], g[10], g[11] = 0xff, 0x7f, 3, 0
	copy(g[12:], "NULL")
	if _, err := conn.Write(g); err != nil {
		t.Fatal(err)
	}
	return conn
}

// A peer announcing a frame over the limit (here a terabyte, which zmq4 would try to
// allocate) loses its connection; the kernel and its other clients go on.
func TestFrameGuard(t *testing.T) {
	tk := startKernel(t, tcpConn("k"), nil, func(cfg *Config) { cfg.MaxMessageSize = 1 << 20 })
	ci := tk.k.Connection()
	conn := rawZMTP(t, ci, ci.ShellPort)
	defer conn.Close()
	hdr := []byte{0x06, 0, 0, 0x01, 0, 0, 0, 0, 0} // long command frame of 2^40 bytes
	if _, err := conn.Write(hdr); err != nil {
		t.Fatal(err)
	}
	c := dialClient(t, ci, true)
	c.send(c.shell, "kernel_info_request", map[string]any{})
	if r := c.shellReply(); r.Header.MsgType != "kernel_info_reply" {
		t.Fatalf("reply %s", r.Header.MsgType)
	}
	if !strings.Contains(tk.log.String(), "over the 1048576-byte limit") {
		t.Errorf("log = %q", tk.log.String())
	}
}

// A peer that connects and never completes the handshake is cut off after the handshake
// timeout instead of blocking every later connection to that socket.
func TestStalledHandshake(t *testing.T) {
	tk := startKernel(t, tcpConn("k"), nil, func(cfg *Config) { cfg.HandshakeTimeout = 100 * time.Millisecond })
	ci := tk.k.Connection()
	for _, port := range []int{ci.ShellPort, ci.IOPubPort} {
		conn, err := net.Dial("tcp", net.JoinHostPort(ci.IP, strconv.Itoa(port)))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close() // silent: sends nothing
	}
	c := dialClient(t, ci, true)
	id := c.send(c.shell, "kernel_info_request", map[string]any{})
	if r := c.shellReply(); r.Header.MsgType != "kernel_info_reply" {
		t.Fatalf("reply %s", r.Header.MsgType)
	}
	c.iopubUntilIdle(id)
}
