package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/kqlkernel/kqlkernel/kernel"
)

// TestKernelProcessHelper is not a test: it is the kernel process that TestKernelProcess
// starts (the os/exec helper-process pattern, which needs no TestMain).
func TestKernelProcessHelper(t *testing.T) {
	f := os.Getenv("KQLKERNEL_HELPER_CONNECTION_FILE")
	if f == "" {
		t.Skip("helper process only")
	}
	if err := runKernel(context.Background(), []string{"--connection-file", f}); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

func freePorts(t *testing.T, n int) []int {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// TestKernelProcess runs the kernel command as Jupyter does: SIGINT interrupts (and must not
// kill it), SIGTERM stops it cleanly with status 0.
func TestKernelProcess(t *testing.T) {
	p := freePorts(t, 5)
	ci := kernel.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: p[0], ControlPort: p[1], StdinPort: p[2], IOPubPort: p[3], HBPort: p[4], Key: "k", SignatureScheme: "hmac-sha256"}
	b, _ := json.Marshal(ci)
	file := filepath.Join(t.TempDir(), "kernel.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKernelProcessHelper$")
	cmd.Env = append(os.Environ(), "KQLKERNEL_HELPER_CONNECTION_FILE="+file)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	shell := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("test-shell")), zmq4.WithDialerRetry(50*time.Millisecond), zmq4.WithDialerMaxRetries(200))
	defer shell.Close()
	if err := shell.Dial(ci.Endpoint(ci.ShellPort)); err != nil {
		t.Fatal(err)
	}
	sub := zmq4.NewSub(ctx, zmq4.WithDialerRetry(50*time.Millisecond), zmq4.WithDialerMaxRetries(200))
	defer sub.Close()
	if err := sub.Dial(ci.Endpoint(ci.IOPubPort)); err != nil {
		t.Fatal(err)
	}
	_ = sub.SetOption(zmq4.OptionSubscribe, "")
	signer, _ := kernel.NewSigner(ci.SignatureScheme, ci.Key)

	kernelInfo := func() {
		t.Helper()
		h := kernel.Header{MsgID: "id-" + time.Now().Format(time.RFC3339Nano), Session: "s", Username: "u", Date: "d", MsgType: "kernel_info_request", Version: kernel.ProtocolVersion}
		frames, err := kernel.Encode(nil, h, nil, nil, map[string]any{}, signer)
		if err != nil {
			t.Fatal(err)
		}
		if err := shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
		got := make(chan *kernel.Message, 1)
		go func() {
			zm, err := shell.Recv()
			if err != nil {
				got <- nil
				return
			}
			m, _ := kernel.Decode(zm.Frames, signer, 0)
			got <- m
		}()
		select {
		case m := <-got:
			if m == nil || m.Header.MsgType != "kernel_info_reply" {
				t.Fatalf("reply %+v", m)
			}
			var c struct {
				LanguageInfo struct{ Name string } `json:"language_info"`
			}
			_ = json.Unmarshal(m.Content, &c)
			if c.LanguageInfo.Name != "kql" {
				t.Errorf("language_info.name = %q, want kql", c.LanguageInfo.Name)
			}
		case err := <-exited:
			t.Fatalf("kernel exited: %v", err)
		case <-time.After(60 * time.Second):
			t.Fatal("no kernel_info_reply")
		}
	}
	kernelInfo()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	kernelInfo() // still alive after SIGINT
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("kernel exited with %v after SIGTERM", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("kernel did not exit after SIGTERM")
	}
}

func TestWatchParent(t *testing.T) {
	var calls int
	goneAtThird := func() bool { calls++; return calls >= 3 }
	if !watchParent(context.Background(), goneAtThird, time.Millisecond) {
		t.Error("watchParent missed the launcher's death")
	}
	if !watchParent(context.Background(), func() bool { return true }, time.Hour) {
		t.Error("watchParent did not check at once (a launcher that died before the kernel started)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if watchParent(ctx, func() bool { return false }, time.Millisecond) {
		t.Error("watchParent reported a living launcher as gone")
	}
}
