package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

type handler func(k *Kernel, ctx context.Context, c *channel, m *Message)

// handlerFor maps msg_type to its handler: one table, as in xeus. (A switch rather than a
// map: a package-level map of methods that reach serve would be an initialization cycle.)
func handlerFor(msgType string) handler {
	switch msgType {
	case "kernel_info_request":
		return (*Kernel).kernelInfo
	case "execute_request":
		return (*Kernel).execute
	case "complete_request":
		return (*Kernel).complete
	case "inspect_request":
		return (*Kernel).inspect
	case "is_complete_request":
		return (*Kernel).isComplete
	case "history_request":
		return (*Kernel).historyRequest
	case "comm_info_request":
		return (*Kernel).commInfo
	case "comm_open":
		return (*Kernel).commOpen
	case "comm_msg", "comm_close":
		return func(*Kernel, context.Context, *channel, *Message) {} // no comms: nothing to do
	case "shutdown_request":
		return (*Kernel).shutdown
	case "interrupt_request":
		return (*Kernel).interrupt
	case "connect_request":
		return (*Kernel).connect
	}
	return nil
}

// controlTypes are the requests accepted on the control channel.
var controlTypes = map[string]bool{
	"kernel_info_request": true,
	"shutdown_request":    true,
	"interrupt_request":   true,
}

// decodeContent unmarshals m's content into v; on failure it answers with an error reply
// and returns false.
func (k *Kernel) decodeContent(c *channel, m *Message, v any) bool {
	if err := json.Unmarshal(m.Content, v); err != nil {
		k.log.once(c.name+" bad content "+m.Header.MsgType, "%s: bad %s content: %v", c.name, m.Header.MsgType, err)
		k.replyError(c, m, "BadRequest", fmt.Sprintf("invalid %s content: %v", m.Header.MsgType, err))
		return false
	}
	return true
}

type errorContent struct {
	Status    string   `json:"status"`
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
	// ExecutionCount is set on execute_reply only.
	ExecutionCount *int `json:"execution_count,omitempty"`
}

type languageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	Mimetype          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	PygmentsLexer     string `json:"pygments_lexer,omitempty"`
	CodemirrorMode    string `json:"codemirror_mode,omitempty"`
	NBConvertExporter string `json:"nbconvert_exporter,omitempty"`
}

func (k *Kernel) kernelInfo(_ context.Context, c *channel, m *Message) {
	li := k.interp.Info()
	links := li.HelpLinks
	if links == nil {
		links = []HelpLink{}
	}
	k.reply(c, m, "kernel_info_reply", nil, map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         k.cfg.Implementation,
		"implementation_version": k.cfg.Version,
		"language_info": languageInfo{
			Name: li.Name, Version: li.Version, Mimetype: li.Mimetype, FileExtension: li.FileExtension,
			PygmentsLexer: li.PygmentsLexer, CodemirrorMode: li.CodemirrorMode, NBConvertExporter: li.NBConvertExporter,
		},
		"banner":     li.Banner,
		"help_links": links,
		"debugger":   false,
	})
}

// cursor clamps a Jupyter cursor_pos (code points; absent means end of code).
func cursor(code string, pos *int) int {
	n := utf8.RuneCountInString(code)
	if pos == nil || *pos > n {
		return n
	}
	if *pos < 0 {
		return 0
	}
	return *pos
}

func (k *Kernel) complete(ctx context.Context, c *channel, m *Message) {
	var req struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	if !k.decodeContent(c, m, &req) {
		return
	}
	pos := cursor(req.Code, req.CursorPos)
	comp := k.interp.Complete(ctx, req.Code, pos)
	if comp.Matches == nil {
		comp.Matches = []string{}
	}
	if comp.Metadata == nil {
		comp.Metadata = map[string]any{}
	}
	if len(comp.Matches) == 0 {
		comp.CursorStart, comp.CursorEnd = pos, pos
	}
	k.reply(c, m, "complete_reply", nil, map[string]any{
		"status":       "ok",
		"matches":      comp.Matches,
		"cursor_start": comp.CursorStart,
		"cursor_end":   comp.CursorEnd,
		"metadata":     comp.Metadata,
	})
}

func (k *Kernel) inspect(ctx context.Context, c *channel, m *Message) {
	var req struct {
		Code        string `json:"code"`
		CursorPos   *int   `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if !k.decodeContent(c, m, &req) {
		return
	}
	b, found := k.interp.Inspect(ctx, req.Code, cursor(req.Code, req.CursorPos), req.DetailLevel)
	data, md := nonNil(b.Data), nonNil(b.Metadata)
	if !found {
		data, md = map[string]any{}, map[string]any{}
	}
	k.reply(c, m, "inspect_reply", nil, map[string]any{"status": "ok", "found": found, "data": data, "metadata": md})
}

func (k *Kernel) isComplete(_ context.Context, c *channel, m *Message) {
	var req struct {
		Code string `json:"code"`
	}
	if !k.decodeContent(c, m, &req) {
		return
	}
	status, indent := k.interp.IsComplete(req.Code)
	switch status {
	case "complete", "incomplete", "invalid", "unknown":
	default:
		status = "unknown"
	}
	content := map[string]any{"status": status}
	if status == "incomplete" {
		content["indent"] = indent
	}
	k.reply(c, m, "is_complete_reply", nil, content)
}

func (k *Kernel) commInfo(_ context.Context, c *channel, m *Message) {
	k.reply(c, m, "comm_info_reply", nil, map[string]any{"status": "ok", "comms": map[string]any{}})
}

// commOpen answers a comm_open for a target we don't have the way ipykernel does: by
// closing the comm, so the front end doesn't wait on it.
func (k *Kernel) commOpen(_ context.Context, c *channel, m *Message) {
	var req struct {
		CommID     string `json:"comm_id"`
		TargetName string `json:"target_name"`
	}
	if !k.decodeContent(c, m, &req) {
		return
	}
	k.log.once("comm target "+req.TargetName, "shell: no comm target %q", req.TargetName)
	k.publish(m, "comm_close", map[string]any{"comm_id": req.CommID, "data": map[string]any{}})
}

func (k *Kernel) connect(_ context.Context, c *channel, m *Message) {
	ci := k.cfg.Connection
	k.reply(c, m, "connect_reply", nil, map[string]any{
		"status": "ok", "shell_port": ci.ShellPort, "iopub_port": ci.IOPubPort,
		"stdin_port": ci.StdinPort, "hb_port": ci.HBPort, "control_port": ci.ControlPort,
	})
}

func (k *Kernel) interrupt(_ context.Context, c *channel, m *Message) {
	k.Interrupt()
	k.reply(c, m, "interrupt_reply", nil, map[string]any{"status": "ok"})
}

// shutdown replies (on the channel and, as ipykernel does, on IOPub) and stops the kernel.
func (k *Kernel) shutdown(_ context.Context, c *channel, m *Message) {
	var req struct {
		Restart bool `json:"restart"`
	}
	_ = json.Unmarshal(m.Content, &req) // a bad body still means "shut down"
	content := map[string]any{"status": "ok", "restart": req.Restart}
	k.reply(c, m, "shutdown_reply", nil, content)
	k.publish(m, "shutdown_reply", content)
	k.restart.Store(req.Restart)
	k.Interrupt()
	k.stopOnce.Do(func() { close(k.stop) })
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
