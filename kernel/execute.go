package kernel

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

type executeRequest struct {
	Code            string         `json:"code"`
	Silent          bool           `json:"silent"`
	StoreHistory    *bool          `json:"store_history"`
	UserExpressions map[string]any `json:"user_expressions"`
	AllowStdin      bool           `json:"allow_stdin"`
	StopOnError     *bool          `json:"stop_on_error"`
}

// execResult is what one run of Interpreter.Execute produced.
type execResult struct {
	bundle *Bundle
	err    error
}

func (k *Kernel) execute(ctx context.Context, c *channel, m *Message) {
	var req executeRequest
	if !k.decodeContent(c, m, &req) {
		return
	}
	store := !req.Silent && (req.StoreHistory == nil || *req.StoreHistory)
	stopOnError := req.StopOnError == nil || *req.StopOnError
	n := k.count
	if store {
		n = k.count + 1
		k.count = n
	}
	started := time.Now().UTC().Format(time.RFC3339Nano)
	if !req.Silent {
		k.publish(m, "execute_input", map[string]any{"code": req.Code, "execution_count": n})
	}

	out := &cellOutput{k: k, parent: m, silent: req.Silent}
	res, ok := k.run(ctx, out, ExecuteRequest{Code: req.Code, Silent: req.Silent, StoreHistory: store, ExecutionCount: n})
	out.close()
	if !ok {
		return // the kernel is shutting down
	}
	// What stop_on_error aborts: the requests queued before the client can see this reply.
	queued := len(k.queue)

	md := map[string]any{"started": started, "dependencies_met": true, "engine": k.session}
	var output *string
	if res.err != nil {
		ec := execErrorOf(res.err)
		if !req.Silent {
			k.publish(m, "error", map[string]any{"ename": ec.Name, "evalue": ec.Value, "traceback": ec.Traceback})
		}
		md["status"] = "error"
		k.reply(c, m, "execute_reply", md, errorContent{Status: "error", EName: ec.Name, EValue: ec.Value, Traceback: ec.Traceback, ExecutionCount: &n})
	} else {
		if res.bundle != nil && !req.Silent {
			data := nonNil(res.bundle.Data)
			if s, ok := data["text/plain"].(string); ok {
				output = &s
			}
			k.publish(m, "execute_result", map[string]any{"execution_count": n, "data": data, "metadata": nonNil(res.bundle.Metadata)})
		}
		md["status"] = "ok"
		k.reply(c, m, "execute_reply", md, map[string]any{
			"status": "ok", "execution_count": n, "payload": []any{}, "user_expressions": map[string]any{},
		})
	}
	if store {
		code := req.Code
		if r, ok := k.interp.(HistoryRedactor); ok {
			code = r.RedactHistory(code)
		}
		k.history.add(n, code, output)
	}
	if res.err != nil && stopOnError {
		k.abortQueued(ctx, c, queued)
	}
}

// run calls Interpreter.Execute on its own goroutine, so a cell that ignores its context
// cannot hold the kernel at shutdown, and recovers a panic into an error. ok is false when
// the kernel stopped before the cell returned.
func (k *Kernel) run(ctx context.Context, out Output, req ExecuteRequest) (res execResult, ok bool) {
	// ctx is the request's context: interrupt cancels it with cause errInterrupted.
	cellCtx := ctx
	done := make(chan execResult, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				k.log.printf("shell: panic in cell %d: %v\n%s", req.ExecutionCount, r, debug.Stack())
				done <- execResult{err: &ExecError{Name: "KernelError", Value: fmt.Sprintf("internal error: %v", r), Traceback: []string{fmt.Sprintf("KernelError: internal error: %v", r)}}}
			}
		}()
		b, err := k.interp.Execute(cellCtx, req, out)
		if err != nil && !isExecError(err) && errors.Is(context.Cause(cellCtx), errInterrupted) {
			err = &ExecError{Name: "KeyboardInterrupt", Value: "the cell was interrupted", Traceback: []string{"KeyboardInterrupt: the cell was interrupted"}}
		}
		done <- execResult{bundle: b, err: err}
	}()
	select {
	case res = <-done:
		return res, true
	case <-k.exiting:
		return execResult{}, false
	}
}

// interruptible returns a context that interrupt_request and SIGINT cancel (with cause
// errInterrupted) until release is called. serve makes one per shell request before it
// publishes busy, so an interrupt that follows busy always reaches the request.
func (k *Kernel) interruptible(ctx context.Context) (context.Context, func()) {
	c, cancel := context.WithCancelCause(ctx)
	k.cellMu.Lock()
	k.cell = cancel
	k.cellMu.Unlock()
	return c, func() {
		k.cellMu.Lock()
		k.cell = nil
		k.cellMu.Unlock()
		cancel(nil)
	}
}

func isExecError(err error) bool {
	var e *ExecError
	return errors.As(err, &e)
}

// execErrorOf turns any error into the ename/evalue/traceback triple, with non-nil slices.
func execErrorOf(err error) ExecError {
	var e *ExecError
	if errors.As(err, &e) {
		out := *e
		if out.Name == "" {
			out.Name = "Error"
		}
		if out.Traceback == nil {
			out.Traceback = []string{out.Name + ": " + out.Value}
		}
		return out
	}
	return ExecError{Name: "Error", Value: err.Error(), Traceback: []string{err.Error()}}
}

// abortQueued answers the execute_requests among the first n waiting in the shell queue
// (those queued when the cell failed) with status "aborted" (stop_on_error); other requests among them are
// served normally, in order. Requests that arrive while it works are not aborted: their
// sender may already have seen the aborts.
func (k *Kernel) abortQueued(ctx context.Context, c *channel, n int) {
	for ; n > 0; n-- {
		m := <-k.queue
		if m.Header.MsgType != "execute_request" {
			k.serve(ctx, c, m)
			continue
		}
		k.publish(m, "status", map[string]string{"execution_state": "busy"})
		k.reply(c, m, "execute_reply", map[string]any{"status": "aborted", "engine": k.session},
			map[string]any{"status": "aborted", "execution_count": k.count})
		k.publish(m, "status", map[string]string{"execution_state": "idle"})
	}
}

// cellOutput publishes a running cell's side outputs with the request as parent. Outputs
// after the cell returned are dropped: they would land after the reply and idle.
type cellOutput struct {
	k      *Kernel
	parent *Message
	silent bool

	mu     sync.Mutex
	closed bool
}

func (o *cellOutput) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
}

func (o *cellOutput) emit(msgType string, content map[string]any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		o.k.log.once("late "+msgType, "shell: dropped %s sent after its cell finished", msgType)
		return
	}
	if o.silent {
		return
	}
	o.k.publish(o.parent, msgType, content)
}

func bundleContent(b Bundle) map[string]any {
	c := map[string]any{"data": nonNil(b.Data), "metadata": nonNil(b.Metadata), "transient": map[string]any{}}
	if b.DisplayID != "" {
		c["transient"] = map[string]any{"display_id": b.DisplayID}
	}
	return c
}

// Display implements Output.
func (o *cellOutput) Display(b Bundle) { o.emit("display_data", bundleContent(b)) }

// Update implements Output.
func (o *cellOutput) Update(b Bundle) {
	if b.DisplayID == "" {
		o.k.log.once("update without id", "shell: update_display_data without a display_id dropped")
		return
	}
	o.emit("update_display_data", bundleContent(b))
}

// Stream implements Output.
func (o *cellOutput) Stream(name, text string) {
	if name != "stderr" {
		name = "stdout"
	}
	o.emit("stream", map[string]any{"name": name, "text": text})
}

// Clear implements Output.
func (o *cellOutput) Clear(wait bool) { o.emit("clear_output", map[string]any{"wait": wait}) }
