// Package kernel speaks the Jupyter messaging protocol (5.3) over ZeroMQ: the wire format,
// the five sockets, and the dispatch of requests to an Interpreter. It knows no KQL.
package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Kernel.
type Config struct {
	Connection  ConnectionInfo
	Interpreter Interpreter
	// Implementation and Version name this kernel in kernel_info_reply.
	Implementation string
	Version        string
	// Log receives one line per dropped message or recovered panic; nil means os.Stderr.
	Log io.Writer
	// MaxMessageSize bounds incoming messages; 0 means DefaultMaxMessageSize.
	MaxMessageSize int
	// SubscriberWait bounds the wait for the first IOPub subscriber before the first reply
	// (front ends such as VS Code subscribe late). 0 means 2 s; negative means no wait.
	SubscriberWait time.Duration
	// HandshakeTimeout bounds a new connection's ZMTP handshake; 0 means
	// DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// Linger is how long to wait after the last IOPub message before closing sockets at
	// exit: zmq4 sends asynchronously and has no linger of its own. 0 means 100 ms.
	Linger time.Duration
}

// Kernel is one running Jupyter kernel.
type Kernel struct {
	cfg     Config
	interp  Interpreter
	signer  *Signer
	session string
	socks   *sockets
	log     *logger

	// ready is closed once an IOPub subscriber is seen or SubscriberWait has passed.
	ready chan struct{}
	// queue holds decoded shell requests in arrival order; the shell worker drains it.
	queue chan *Message
	// stop is closed when a shutdown_request has been answered.
	stop     chan struct{}
	stopOnce sync.Once
	restart  atomic.Bool

	// cell is the cancel function of the running cell, nil between cells.
	cellMu sync.Mutex
	cell   context.CancelCauseFunc

	// Shell-goroutine state.
	count   int // execution counter: cells stored in history so far
	history *history

	sockCancel context.CancelFunc
	// exiting is closed when Run is returning (shutdown or its context ended).
	exiting <-chan struct{}
	// closed is set once the sockets are closing: sends that fail then are not news.
	closed atomic.Bool
}

// errInterrupted is the cancel cause of a cell stopped by interrupt_request or SIGINT.
var errInterrupted = errors.New("interrupted")

// New validates cfg and binds the kernel's sockets. Call Run to serve.
func New(cfg Config) (*Kernel, error) {
	if cfg.Interpreter == nil {
		return nil, errors.New("kernel: no interpreter")
	}
	signer, err := NewSigner(cfg.Connection.SignatureScheme, cfg.Connection.Key)
	if err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	if cfg.SubscriberWait == 0 {
		cfg.SubscriberWait = 2 * time.Second
	}
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = DefaultMaxMessageSize
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.Linger == 0 {
		cfg.Linger = 100 * time.Millisecond
	}
	if cfg.Implementation == "" {
		cfg.Implementation = "kqlkernel"
	}
	// Sockets get their own context: they must outlive the Run context by the linger.
	sctx, cancel := context.WithCancel(context.Background())
	lg := &logger{w: cfg.Log}
	socks, err := bind(sctx, &cfg.Connection, lg, cfg.MaxMessageSize, cfg.HandshakeTimeout)
	if err != nil {
		cancel()
		return nil, err
	}
	return &Kernel{
		cfg:        cfg,
		interp:     cfg.Interpreter,
		signer:     signer,
		session:    newID(),
		socks:      socks,
		log:        lg,
		ready:      make(chan struct{}),
		queue:      make(chan *Message, 4096),
		stop:       make(chan struct{}),
		history:    newHistory(),
		sockCancel: cancel,
	}, nil
}

// Connection returns the connection info with the ports actually bound.
func (k *Kernel) Connection() ConnectionInfo { return k.cfg.Connection }

// Restart reports whether the kernel stopped because of shutdown_request with restart=true.
func (k *Kernel) Restart() bool { return k.restart.Load() }

// Interrupt cancels the running cell, if any. Safe from any goroutine (SIGINT handler).
func (k *Kernel) Interrupt() {
	k.cellMu.Lock()
	defer k.cellMu.Unlock()
	if k.cell != nil {
		k.cell(errInterrupted)
	}
}

// Run serves until ctx is cancelled (SIGTERM) or a shutdown_request arrives, then cancels
// the running cell, lingers so queued IOPub messages leave, and closes the sockets.
func (k *Kernel) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	k.exiting = ctx.Done()
	var wg sync.WaitGroup
	defer func() {
		cancel()
		k.Interrupt()
		time.Sleep(k.cfg.Linger)
		k.closed.Store(true)
		k.sockCancel()
		k.socks.close()
		wg.Wait()
	}()
	spawn := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	spawn(func() { k.heartbeat(ctx) })
	spawn(func() { k.waitSubscriber(ctx) })
	spawn(func() { k.read(ctx, k.socks.shell, k.enqueue) })
	spawn(func() { k.read(ctx, k.socks.control, func(m *Message) { k.serve(ctx, k.socks.control, m) }) })
	spawn(func() { k.read(ctx, k.socks.stdin, func(*Message) {}) }) // we never ask for input
	spawn(func() { k.shellWorker(ctx) })
	select {
	case <-ctx.Done():
	case <-k.stop:
	}
	return nil
}

func (k *Kernel) enqueue(m *Message) {
	select {
	case k.queue <- m:
	default:
		k.log.once("shell queue full", "shell: %d requests waiting, dropped %s", cap(k.queue), m.Header.MsgType)
	}
}

func (k *Kernel) shellWorker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-k.queue:
			k.serve(ctx, k.socks.shell, m)
		}
	}
}

// read receives, decodes and hands on messages from a ROUTER socket until ctx ends. Bad
// messages are logged and dropped.
func (k *Kernel) read(ctx context.Context, c *channel, handle func(*Message)) {
	for {
		zm, err := c.sock.Recv()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			k.log.once(c.name+" receive", "%s: receive: %v", c.name, err)
			if !sleepCtx(ctx, 10*time.Millisecond) {
				return
			}
			continue
		}
		m, err := Decode(zm.Frames, k.signer, k.cfg.MaxMessageSize)
		if err != nil {
			k.log.once(c.name+" "+errorKind(err), "%s: dropped message: %v", c.name, err)
			continue
		}
		handle(m)
	}
}

// heartbeat echoes every ping, independently of the shell.
func (k *Kernel) heartbeat(ctx context.Context) {
	for {
		msg, err := k.socks.hb.sock.Recv()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			k.log.once("heartbeat receive", "heartbeat: receive: %v", err)
			if !sleepCtx(ctx, 10*time.Millisecond) {
				return
			}
			continue
		}
		if err := k.socks.hb.send(msg.Frames); err != nil && ctx.Err() == nil {
			k.log.once("heartbeat send", "heartbeat: %v", err)
		}
	}
}

// waitSubscriber waits, bounded, for the first IOPub subscriber, so a late front end still
// sees `starting` and the status messages of its first request; then opens the gate.
func (k *Kernel) waitSubscriber(ctx context.Context) {
	defer close(k.ready)
	if k.cfg.SubscriberWait > 0 {
		deadline := time.Now().Add(k.cfg.SubscriberWait)
		for !k.socks.subscribed() && time.Now().Before(deadline) {
			if !sleepCtx(ctx, 2*time.Millisecond) {
				return
			}
		}
	}
	k.publish(nil, "status", map[string]string{"execution_state": "starting"})
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// publish sends one IOPub message with parent as parent header (nil for none).
func (k *Kernel) publish(parent *Message, msgType string, content any) {
	var ph json.RawMessage
	if parent != nil {
		ph = parent.RawHeader
	}
	topic := []byte("kernel." + k.session + "." + msgType)
	frames, err := Encode([][]byte{topic}, newHeader(msgType, k.session), ph, nil, content, k.signer)
	if err == nil {
		err = k.socks.iopub.send(frames)
	}
	if err != nil && !k.closed.Load() {
		k.log.once("iopub send", "iopub: %v", err)
	}
}

// reply sends a reply to req on c, routed back to the identities of the request.
func (k *Kernel) reply(c *channel, req *Message, msgType string, metadata, content any) {
	frames, err := Encode(req.Identities, newHeader(msgType, k.session), req.RawHeader, metadata, content, k.signer)
	if err == nil {
		err = c.send(frames)
	}
	if err != nil && !k.closed.Load() {
		k.log.once(c.name+" reply", "%s: reply %s: %v", c.name, msgType, err)
	}
}

// serve handles one request, wrapped in status busy ... idle. A panic in a handler is
// recovered, logged once, and answered with an error reply. Shell requests wait for the
// first IOPub subscriber (bounded); control requests never wait, so shutdown and interrupt
// work even for a client that never subscribes.
func (k *Kernel) serve(ctx context.Context, c *channel, m *Message) {
	if c == k.socks.shell {
		select {
		case <-k.ready:
		case <-ctx.Done():
			return
		}
		// Shell requests (a cell, a completion asking a slow service) can be interrupted.
		var release func()
		ctx, release = k.interruptible(ctx)
		defer release()
	}
	k.publish(m, "status", map[string]string{"execution_state": "busy"})
	defer k.publish(m, "status", map[string]string{"execution_state": "idle"})
	defer func() {
		if r := recover(); r != nil {
			k.log.printf("%s: panic handling %s: %v\n%s", c.name, m.Header.MsgType, r, debug.Stack())
			k.replyError(c, m, "KernelError", fmt.Sprintf("internal error handling %s: %v", m.Header.MsgType, r))
		}
	}()
	h := handlerFor(m.Header.MsgType)
	if h == nil || (c == k.socks.control && !controlTypes[m.Header.MsgType]) {
		k.unknown(c, m)
		return
	}
	h(k, ctx, c, m)
}

// replyError answers a *_request with an error reply of the matching *_reply type.
func (k *Kernel) replyError(c *channel, m *Message, ename, evalue string) {
	t, ok := replyType(m.Header.MsgType)
	if !ok {
		return
	}
	k.reply(c, m, t, map[string]any{"status": "error"}, errorContent{Status: "error", EName: ename, EValue: evalue, Traceback: []string{ename + ": " + evalue}})
}

func (k *Kernel) unknown(c *channel, m *Message) {
	k.log.once(c.name+" unknown "+m.Header.MsgType, "%s: unknown message type %q", c.name, m.Header.MsgType)
	k.replyError(c, m, "UnknownMessageType", fmt.Sprintf("kqlkernel does not handle %s on the %s channel", m.Header.MsgType, c.name))
}

// errorKind is the sentinel a decode error wraps, so repeats are recognised.
func errorKind(err error) string {
	for _, e := range []error{ErrNoDelimiter, ErrTooFewFrames, ErrBadSignature, ErrForged, ErrTooLarge, ErrBadHeader, ErrNotJSONObjects} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return err.Error()
}

func replyType(requestType string) (string, bool) {
	const suffix = "_request"
	if len(requestType) > len(suffix) && requestType[len(requestType)-len(suffix):] == suffix {
		return requestType[:len(requestType)-len(suffix)] + "_reply", true
	}
	return "", false
}

// logger writes one line per event to the kernel's log.
type logger struct {
	mu sync.Mutex
	w  io.Writer
	// seen counts repeats of once-keys, so a client that keeps sending the same bad
	// message doesn't flood the log: the first is logged, then every 1000th with a count.
	seen map[string]int
}

// once logs the first event of a kind, then every 1000th repeat.
func (l *logger) once(key, format string, args ...any) {
	l.mu.Lock()
	if l.seen == nil {
		l.seen = map[string]int{}
	}
	n, known := l.seen[key]
	if !known && len(l.seen) >= 1000 {
		key = "(other)" // bound the map; unknown types come from signed, trusted clients anyway
		n = l.seen[key]
	}
	l.seen[key] = n + 1
	l.mu.Unlock()
	switch {
	case n == 0:
		l.printf(format, args...)
	case (n+1)%1000 == 0:
		l.printf(format+" (%d times)", append(args, n+1)...)
	}
}

func (l *logger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "kqlkernel: "+format+"\n", args...)
}
