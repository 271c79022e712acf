// Package kernelbench measures the protocol layer in process: decoding and encoding a
// signed execute_request, and the round trip of an execute (request to idle) through zmq4
// with an interpreter that does nothing, so the figure is the kernel's own overhead. The
// end-to-end comparison with ipykernel is bench.py in this folder.
//
//	go test -run '^$' -bench . -benchtime 2000x ./bench/kernel
package kernelbench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/kqlkernel/kqlkernel/kernel"
)

type nopInterp struct{}

func (nopInterp) Info() kernel.LanguageInfo { return kernel.LanguageInfo{Name: "nop"} }
func (nopInterp) Execute(ctx context.Context, req kernel.ExecuteRequest, out kernel.Output) (*kernel.Bundle, error) {
	return &kernel.Bundle{Data: map[string]any{"text/plain": "1"}}, nil
}
func (nopInterp) Complete(context.Context, string, int) kernel.Completion { return kernel.Completion{} }
func (nopInterp) Inspect(context.Context, string, int, int) (kernel.Bundle, bool) {
	return kernel.Bundle{}, false
}
func (nopInterp) IsComplete(string) (string, string) { return "complete", "" }

func header(msgType string) kernel.Header {
	return kernel.Header{MsgID: fmt.Sprint(time.Now().UnixNano()), Session: "bench", Username: "b", Date: "2026-01-01T00:00:00Z", MsgType: msgType, Version: kernel.ProtocolVersion}
}

func BenchmarkDecodeExecuteRequest(b *testing.B) {
	s, _ := kernel.NewSigner("hmac-sha256", "0123456789abcdef0123456789abcdef")
	frames, err := kernel.Encode([][]byte{[]byte("peer")}, header("execute_request"), nil, nil,
		map[string]any{"code": "SecurityEvent | where EventID == 4625 | summarize count() by Account", "silent": false}, s)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kernel.Decode(frames, s, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeStatus(b *testing.B) {
	s, _ := kernel.NewSigner("hmac-sha256", "0123456789abcdef0123456789abcdef")
	parent := json.RawMessage(`{"msg_id":"x","session":"s","username":"u","date":"d","msg_type":"execute_request","version":"5.3"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kernel.Encode(nil, header("status"), parent, nil, map[string]string{"execution_state": "idle"}, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExecuteRoundTrip: execute_request sent to status idle received, over tcp on
// the loopback, client and kernel in one process.
func BenchmarkExecuteRoundTrip(b *testing.B) {
	ci := kernel.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "k", SignatureScheme: "hmac-sha256"}
	k, err := kernel.New(kernel.Config{Connection: ci, Interpreter: nopInterp{}, Log: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	ci = k.Connection()
	s, _ := kernel.NewSigner(ci.SignatureScheme, ci.Key)

	shell := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("bench")))
	sub := zmq4.NewSub(ctx)
	defer shell.Close()
	defer sub.Close()
	if err := shell.Dial(ci.Endpoint(ci.ShellPort)); err != nil {
		b.Fatal(err)
	}
	if err := sub.Dial(ci.Endpoint(ci.IOPubPort)); err != nil {
		b.Fatal(err)
	}
	_ = sub.SetOption(zmq4.OptionSubscribe, "")
	go func() { // drain replies
		for {
			if _, err := shell.Recv(); err != nil {
				return
			}
		}
	}()
	execute := func() {
		h := header("execute_request")
		frames, _ := kernel.Encode(nil, h, nil, nil, map[string]any{"code": "1"}, s)
		if err := shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			b.Fatal(err)
		}
		for {
			zm, err := sub.Recv()
			if err != nil {
				b.Fatal(err)
			}
			m, err := kernel.Decode(zm.Frames, s, 0)
			if err != nil {
				b.Fatal(err)
			}
			var p struct {
				MsgID string `json:"msg_id"`
			}
			_ = json.Unmarshal(m.ParentHeader, &p)
			if p.MsgID == h.MsgID && m.Header.MsgType == "status" && string(m.Content) == `{"execution_state":"idle"}` {
				return
			}
		}
	}
	execute() // waits for the subscription, like a front end's first request
	b.ReportAllocs()
	for b.Loop() {
		execute()
	}
}
