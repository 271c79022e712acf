package kernel

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// zmq4 trusts its peers in two ways that let any local process stop a kernel: its accept
// loop runs each ZMTP handshake inline with no deadline (one silent connection blocks every
// later client of that socket), and it allocates whatever frame size a peer announces (a
// header claiming a terabyte is a fatal out-of-memory). The kernel therefore listens through
// a guarded transport: a deadline on the handshake, and a frame-size limit checked on the
// byte stream before zmq4 sees it.

// zmtpGreetingLen is the size of the ZMTP 3 greeting that precedes the frames.
const zmtpGreetingLen = 64

// DefaultHandshakeTimeout bounds the ZMTP greeting and handshake of a new connection.
const DefaultHandshakeTimeout = 10 * time.Second

var guardSeq atomic.Int64

// guardTransport is a zmq4 transport over a net network ("tcp" or "unix") whose listeners
// hand out guarded connections.
type guardTransport struct {
	network   string
	maxFrame  uint64
	handshake time.Duration
}

// registerGuard registers a guarded transport for network under a new name and returns
// that name, to use as the scheme of the kernel's endpoints.
func registerGuard(network string, maxFrame int, handshake time.Duration) (string, error) {
	name := fmt.Sprintf("kql-guard-%s-%d", network, guardSeq.Add(1))
	g := guardTransport{network: network, maxFrame: uint64(maxFrame), handshake: handshake}
	if err := zmq4.RegisterTransport(name, g); err != nil {
		return "", fmt.Errorf("register guarded %s transport: %w", network, err)
	}
	return name, nil
}

func (g guardTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	return d.DialContext(ctx, g.network, addr)
}

func (g guardTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := net.Listen(g.network, addr)
	if err != nil {
		return nil, err
	}
	return guardListener{Listener: l, g: g}, nil
}

func (g guardTransport) Addr(ep string) (string, error) { return transport.New(g.network).Addr(ep) }

type guardListener struct {
	net.Listener
	g guardTransport
}

func (l guardListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if err := c.SetReadDeadline(time.Now().Add(l.g.handshake)); err != nil {
		c.Close()
		return nil, err
	}
	return &guardConn{Conn: c, max: l.g.maxFrame, greet: zmtpGreetingLen}, nil
}

// errFrameTooLarge ends a connection whose peer announces a frame over the limit.
type errFrameTooLarge struct{ size, max uint64 }

func (e errFrameTooLarge) Error() string {
	return fmt.Sprintf("peer announced a %d-byte frame, over the %d-byte limit", e.size, e.max)
}

// guardConn follows the ZMTP framing of what the peer sends (greeting, then frames of a
// flags byte, a 1- or 8-byte size and a body) without copying it, and fails the read that
// brings a frame header over the limit. Only zmq4's reader goroutine calls Read.
type guardConn struct {
	net.Conn
	max uint64

	greet     int    // greeting bytes still to pass
	inHeader  bool   // reading a frame's size bytes
	command   bool   // the frame being read is a command
	sizeLeft  int    // size bytes still to read
	size      uint64 // size accumulated so far
	body      uint64 // body bytes still to pass
	handshook bool   // the peer's first command (READY) is through: deadline cleared
}

func (c *guardConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if ferr := c.scan(p[:n]); ferr != nil {
		return 0, ferr
	}
	return n, err
}

func (c *guardConn) scan(b []byte) error {
	for i := 0; i < len(b); {
		switch {
		case c.greet > 0:
			k := min(c.greet, len(b)-i)
			c.greet -= k
			i += k
		case c.body > 0:
			k := uint64(len(b) - i)
			if k > c.body {
				k = c.body
			}
			c.body -= k
			i += int(k)
			if c.body == 0 {
				c.frameDone()
			}
		case c.inHeader:
			c.size = c.size<<8 | uint64(b[i])
			i++
			c.sizeLeft--
			if c.sizeLeft == 0 {
				c.inHeader = false
				if c.size > c.max {
					return errFrameTooLarge{c.size, c.max}
				}
				c.body = c.size
				if c.body == 0 {
					c.frameDone()
				}
			}
		default: // a frame's flags byte
			flags := b[i]
			i++
			c.command = flags&0x04 != 0
			c.inHeader, c.size, c.sizeLeft = true, 0, 1
			if flags&0x02 != 0 {
				c.sizeLeft = 8
			}
		}
	}
	return nil
}

func (c *guardConn) frameDone() {
	if c.command && !c.handshook {
		c.handshook = true
		_ = c.Conn.SetReadDeadline(time.Time{})
	}
}
