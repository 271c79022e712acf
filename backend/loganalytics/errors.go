package loganalytics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/kqlkernel/kqlkernel/backend"
	"net/http"
	"strings"

	"github.com/kqlkernel/kqlkernel/backend/svcerror"
)

// Error is an error the service reported: the OneAPI error object of a failed request, or
// the `error` of a partial result (Code "PartialError", the causes in Details).
type Error struct {
	StatusCode    int    // HTTP status; 200 for a partial error
	Code          string // "BadArgumentError", "PartialError", "GatewayTimeout", ...
	Message       string // "The request had some invalid properties"
	InnerCode     string // innermost error's code: "SYN0002", "SEM0100", ...
	InnerMessage  string // innermost error's message: "Query could not be parsed at 'x' on line [1,11]"
	Line          int    // 1-based line of the problem in the query sent; 0 when unknown
	Pos           int    // 0-based column (code points) on Line
	Token         string // the offending token, when the service names it
	Offset        int    // byte offset of Line/Pos in the query sent; -1 when unknown
	CorrelationID string
	Details       []*Error // a partial error's causes
}

// Error reads "Code: Message: InnerCode: InnerMessage (line L, position P)"; for a partial
// error the first cause follows.
func (e *Error) Error() string {
	s := svcerror.Text(e.Code, e.Message, e.InnerCode, e.InnerMessage, e.Line, e.Pos)
	for _, d := range e.Details {
		s += "; " + d.Error()
	}
	return s
}

// Timeout reports whether the service stopped the query at its server timeout.
func (e *Error) Timeout() bool {
	return e.StatusCode == http.StatusGatewayTimeout || e.Code == "GatewayTimeout"
}

// oneAPIError is the service's error object.
type oneAPIError struct {
	Code          string         `json:"code"`
	Message       string         `json:"message"`
	CorrelationID string         `json:"correlationId"`
	Line          *int           `json:"line"`
	Pos           *int           `json:"pos"`
	Token         string         `json:"token"`
	Inner         *oneAPIError   `json:"innererror"`
	Details       []*oneAPIError `json:"details"`
}

// newError converts the service's error object; query is the text that was sent (to turn
// line and position into a byte offset).
func newError(status int, o *oneAPIError, query string) *Error {
	e := &Error{StatusCode: status, Code: o.Code, Message: o.Message, CorrelationID: o.CorrelationID, Offset: -1}
	inner := o
	for depth := 0; depth < 32; depth++ {
		if inner.Line != nil && e.Line == 0 {
			e.Line = *inner.Line
			if inner.Pos != nil {
				e.Pos = *inner.Pos
			}
			e.Token = inner.Token
		}
		if inner.Inner == nil {
			break
		}
		inner = inner.Inner
	}
	if inner != o {
		e.InnerCode, e.InnerMessage = inner.Code, inner.Message
	}
	if e.Line > 0 {
		e.Offset = svcerror.LineColOffset(query, e.Line, e.Pos)
	}
	for _, d := range o.Details {
		if d != nil {
			e.Details = append(e.Details, newError(status, d, query))
		}
	}
	return e
}

// errorFromBody reads a failed response's body: a OneAPI error, or (from a proxy, say)
// anything else, of which a short printable prefix is kept.
func errorFromBody(status int, body []byte, query string) *Error {
	var env struct {
		Error *oneAPIError `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && env.Error != nil && env.Error.Code != "" {
		return newError(status, env.Error, query)
	}
	msg := strings.TrimSpace(string(bytes.ToValidUTF8(body, nil)))
	msg = svcerror.Shorten(msg)
	code := strings.ReplaceAll(http.StatusText(status), " ", "")
	if code == "" {
		code = fmt.Sprintf("HTTP%d", status)
	}
	return &Error{StatusCode: status, Code: code, Message: msg, Offset: -1}
}

// Parts implements backend.ServiceError.
func (e *Error) Parts() backend.ServiceErrorParts {
	return backend.ServiceErrorParts{Code: e.Code, Message: e.Message, InnerCode: e.InnerCode, InnerMessage: e.InnerMessage, Offset: e.Offset}
}
