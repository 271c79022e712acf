package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// hangGuard bounds every wait in these tests so a broken kernel fails instead of hanging.
// It is not a timing assertion: nothing here checks how fast anything happens.
const hangGuard = 20 * time.Second

// testInterp is the test interpreter: each cell's code names a behaviour.
type testInterp struct {
	// hook, if set, runs before the built-in behaviours; handled=true ends the cell.
	hook func(ctx context.Context, req ExecuteRequest, out Output) (b *Bundle, err error, handled bool)
}

func (ti *testInterp) Info() LanguageInfo {
	return LanguageInfo{Name: "test", Version: "1", Mimetype: "text/x-test", FileExtension: ".test", Banner: "test"}
}

func (ti *testInterp) Execute(ctx context.Context, req ExecuteRequest, out Output) (*Bundle, error) {
	if ti.hook != nil {
		if b, err, ok := ti.hook(ctx, req, out); ok {
			return b, err
		}
	}
	switch code := req.Code; {
	case code == "sleep":
		<-ctx.Done()
		return nil, ctx.Err()
	case code == "panic":
		panic("boom")
	case code == "outputs":
		out.Display(Bundle{Data: map[string]any{"text/plain": "shown"}, DisplayID: "d1"})
		out.Update(Bundle{Data: map[string]any{"text/plain": "updated"}, DisplayID: "d1"})
		out.Stream("stdout", "out\n")
		out.Stream("stderr", "err\n")
		out.Clear(true)
		return &Bundle{Data: map[string]any{"text/plain": "result"}}, nil
	case code == "error":
		return nil, &ExecError{Name: "SyntaxError", Value: "bad", Traceback: []string{"line 1", "^"}}
	case code == "plainerr":
		return nil, errors.New("plain failure")
	case code == "none":
		return nil, nil
	case strings.HasPrefix(code, "result "):
		return &Bundle{Data: map[string]any{"text/plain": strings.TrimPrefix(code, "result ")}}, nil
	}
	return nil, fmt.Errorf("unknown test cell %q", req.Code)
}

func (ti *testInterp) Complete(ctx context.Context, code string, cursor int) Completion {
	if code == "panic" {
		panic("complete boom")
	}
	if code == "block" {
		<-ctx.Done()
		return Completion{Matches: []string{"cancelled"}, CursorStart: 0, CursorEnd: cursor}
	}
	if strings.HasPrefix(code, "Sec") {
		return Completion{Matches: []string{"SecurityEvent"}, CursorStart: 0, CursorEnd: cursor}
	}
	return Completion{}
}

func (ti *testInterp) Inspect(ctx context.Context, code string, cursor, detail int) (Bundle, bool) {
	if code == "where" {
		return Bundle{Data: map[string]any{"text/plain": fmt.Sprintf("where at %d", cursor)}}, true
	}
	return Bundle{}, false
}

func (ti *testInterp) IsComplete(code string) (string, string) {
	switch {
	case strings.HasSuffix(code, "|"):
		return "incomplete", "  "
	case strings.HasPrefix(code, ")"):
		return "invalid", ""
	}
	return "complete", ""
}

// syncBuffer is a concurrency-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testKernel struct {
	k    *Kernel
	log  *syncBuffer
	done chan error
	stop context.CancelFunc
}

func startKernel(t *testing.T, ci ConnectionInfo, interp Interpreter, tweak func(*Config)) *testKernel {
	t.Helper()
	if interp == nil {
		interp = &testInterp{}
	}
	log := &syncBuffer{}
	cfg := Config{Connection: ci, Interpreter: interp, Version: "test", Log: log, SubscriberWait: hangGuard}
	if tweak != nil {
		tweak(&cfg)
	}
	k, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tk := &testKernel{k: k, log: log, done: make(chan error, 1), stop: cancel}
	go func() { tk.done <- k.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-tk.done:
		case <-time.After(hangGuard):
			t.Error("kernel did not stop")
		}
	})
	return tk
}

func tcpConn(key string) ConnectionInfo {
	return ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: key, SignatureScheme: "hmac-sha256"}
}

// client is a minimal Jupyter client over zmq4.
type client struct {
	t                testing.TB
	signer           *Signer
	session          string
	shell, control   zmq4.Socket
	iopub, hb        zmq4.Socket
	iopubMsgs        chan *Message
	cancel           context.CancelFunc
	shellRecv, ctlRx chan *Message
}

func dialClient(t *testing.T, ci ConnectionInfo, subscribe bool) *client {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := NewSigner(ci.SignatureScheme, ci.Key)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{
		t: t, signer: s, session: newID(), cancel: cancel,
		shell:     zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("shell-"+newID()))),
		control:   zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("control-"+newID()))),
		hb:        zmq4.NewReq(ctx),
		iopubMsgs: make(chan *Message, 1024),
		shellRecv: make(chan *Message, 64),
		ctlRx:     make(chan *Message, 64),
	}
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, ci.ShellPort}, {c.control, ci.ControlPort}, {c.hb, ci.HBPort}} {
		if err := d.s.Dial(ci.Endpoint(d.port)); err != nil {
			t.Fatal(err)
		}
	}
	go c.pump(c.shell, c.shellRecv)
	go c.pump(c.control, c.ctlRx)
	if subscribe {
		c.subscribe(ci)
	}
	t.Cleanup(c.close)
	return c
}

func (c *client) subscribe(ci ConnectionInfo) {
	c.iopub = zmq4.NewSub(context.Background())
	if err := c.iopub.Dial(ci.Endpoint(ci.IOPubPort)); err != nil {
		c.t.Fatal(err)
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.t.Fatal(err)
	}
	go c.pump(c.iopub, c.iopubMsgs)
}

func (c *client) pump(s zmq4.Socket, ch chan *Message) {
	for {
		zm, err := s.Recv()
		if err != nil {
			return
		}
		m, err := Decode(zm.Frames, c.signer, 0)
		if err != nil {
			c.t.Errorf("client could not decode a kernel message: %v", err)
			return
		}
		ch <- m
	}
}

func (c *client) close() {
	c.cancel()
	for _, s := range []zmq4.Socket{c.shell, c.control, c.hb, c.iopub} {
		if s != nil {
			s.Close()
		}
	}
}

// send sends a request and returns its msg_id.
func (c *client) send(s zmq4.Socket, msgType string, content any) string {
	c.t.Helper()
	h := Header{MsgID: newID(), Session: c.session, Username: "test", Date: time.Now().UTC().Format(time.RFC3339), MsgType: msgType, Version: ProtocolVersion}
	frames, err := Encode(nil, h, nil, nil, content, c.signer)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
	return h.MsgID
}

func (c *client) sendRaw(s zmq4.Socket, frames [][]byte) {
	c.t.Helper()
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
}

func recvFrom(t testing.TB, ch chan *Message, what string) *Message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(hangGuard):
		t.Fatalf("no %s message", what)
		return nil
	}
}

func (c *client) shellReply() *Message   { c.t.Helper(); return recvFrom(c.t, c.shellRecv, "shell") }
func (c *client) controlReply() *Message { c.t.Helper(); return recvFrom(c.t, c.ctlRx, "control") }
func (c *client) iopubMsg() *Message     { c.t.Helper(); return recvFrom(c.t, c.iopubMsgs, "iopub") }

// iopubUntilIdle collects IOPub messages for parent msgID up to and including its idle
// status; messages of other parents (e.g. the starting status) are skipped.
func (c *client) iopubUntilIdle(msgID string) []*Message {
	c.t.Helper()
	var out []*Message
	for {
		m := c.iopubMsg()
		if parentID(m) != msgID {
			continue
		}
		out = append(out, m)
		if m.Header.MsgType == "status" && content(c.t, m)["execution_state"] == "idle" {
			return out
		}
	}
}

func parentID(m *Message) string {
	var h struct {
		MsgID string `json:"msg_id"`
	}
	_ = json.Unmarshal(m.ParentHeader, &h)
	return h.MsgID
}

func content(t testing.TB, m *Message) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(m.Content, &v); err != nil {
		t.Fatalf("content of %s: %v", m.Header.MsgType, err)
	}
	return v
}

// kinds names IOPub messages compactly: "status:busy", "stream:stdout", "execute_input".
func kinds(t testing.TB, ms []*Message) []string {
	var out []string
	for _, m := range ms {
		s := m.Header.MsgType
		c := content(t, m)
		switch s {
		case "status":
			s += ":" + c["execution_state"].(string)
		case "stream":
			s += ":" + c["name"].(string)
		}
		out = append(out, s)
	}
	return out
}

func zmqMsg(b []byte) zmq4.Msg { return zmq4.NewMsg(b) }
