package kernel

import (
	"context"
	"fmt"
	"log"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// channel is one of the kernel's ZeroMQ sockets with a lock for sending: zmq4 sockets are
// not safe for concurrent writers, and replies come from several goroutines.
type channel struct {
	name string
	sock zmq4.Socket
	mu   sync.Mutex
}

func (c *channel) send(frames [][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		return fmt.Errorf("send on %s: %w", c.name, err)
	}
	return nil
}

// sockets are the five channels of a kernel.
type sockets struct {
	shell, control, stdin, iopub, hb *channel
}

// bind creates and binds all sockets. Port 0 (tcp only) binds a free port; ci is updated
// with the ports actually bound.
func bind(ctx context.Context, ci *ConnectionInfo, l *logger, maxFrame int, handshake time.Duration) (*sockets, error) {
	network := "tcp"
	if ci.Transport == "ipc" {
		network = "unix"
	}
	scheme, err := registerGuard(network, maxFrame, handshake)
	if err != nil {
		return nil, err
	}
	// zmq4 logs failed handshakes (a peer that connects and leaves) itself; route that
	// into our log, once per channel, instead of a line per connection attempt.
	opt := func(name string) zmq4.Option {
		return zmq4.WithLogger(log.New(zmqLog{l, name}, "", 0))
	}
	s := &sockets{
		shell:   &channel{name: "shell", sock: zmq4.NewRouter(ctx, opt("shell"))},
		control: &channel{name: "control", sock: zmq4.NewRouter(ctx, opt("control"))},
		stdin:   &channel{name: "stdin", sock: zmq4.NewRouter(ctx, opt("stdin"))},
		iopub:   &channel{name: "iopub", sock: zmq4.NewPub(ctx, opt("iopub"))},
		hb:      &channel{name: "heartbeat", sock: zmq4.NewRep(ctx, opt("heartbeat"))},
	}
	for _, b := range []struct {
		c    *channel
		port *int
	}{{s.shell, &ci.ShellPort}, {s.control, &ci.ControlPort}, {s.stdin, &ci.StdinPort}, {s.iopub, &ci.IOPubPort}, {s.hb, &ci.HBPort}} {
		ep := ci.Endpoint(*b.port)
		guarded := scheme + strings.TrimPrefix(ep, ci.Transport)
		if err := b.c.sock.Listen(guarded); err != nil {
			s.close()
			return nil, fmt.Errorf("bind %s socket to %s: %w", b.c.name, ep, err)
		}
		if ci.Transport == "tcp" && *b.port == 0 {
			if p, ok := boundPort(b.c.sock); ok {
				*b.port = p
			}
		}
	}
	return s, nil
}

// zmqLog adapts zmq4's logger to logger.once.
type zmqLog struct {
	l    *logger
	name string
}

func (z zmqLog) Write(p []byte) (int, error) {
	z.l.once("zmq4 "+z.name, "%s: %s", z.name, strings.TrimSpace(string(p)))
	return len(p), nil
}

// boundPort returns the port of a listening tcp socket.
func boundPort(s zmq4.Socket) (int, bool) {
	addr := s.Addr()
	if addr == nil {
		return 0, false
	}
	a := addr.String()
	i := strings.LastIndexByte(a, ':')
	if i < 0 {
		return 0, false
	}
	var p int
	if _, err := fmt.Sscanf(a[i+1:], "%d", &p); err != nil {
		return 0, false
	}
	return p, true
}

func (s *sockets) all() []*channel {
	return []*channel{s.shell, s.control, s.stdin, s.iopub, s.hb}
}

func (s *sockets) close() {
	for _, c := range s.all() {
		c.mu.Lock()
		_ = c.sock.Close()
		c.mu.Unlock()
	}
}

// subscribed reports whether any IOPub subscriber has registered a subscription.
func (s *sockets) subscribed() bool {
	t, ok := s.iopub.sock.(zmq4.Topics)
	return ok && len(t.Topics()) > 0
}
