package kusto

import (
	"encoding/json"
	"fmt"
	"github.com/kqlkernel/kqlkernel/backend"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kqlkernel/kqlkernel/backend/svcerror"
)

// Error is an error the service reported: a failed request's OneAPI error, or one of the
// errors that ended a partial result.
type Error struct {
	StatusCode   int    // HTTP status; 200 for an error inside a result stream
	Code         string // "General_BadRequest", "LimitsExceeded", ...
	Message      string // "Request is invalid and cannot be executed."
	Type         string // "Kusto.Data.Exceptions.SyntaxException", ...
	InnerCode    string // innermost error's code: "SYN0002", "SEM0100", ...
	InnerMessage string // innermost error's message (its @errorMessage, else @message, else message)
	Line         int    // 1-based line of the problem in the query sent; 0 when unknown
	Pos          int    // 0-based column (code points) on Line
	Token        string // the offending token, when the service names it
	Offset       int    // byte offset of Line/Pos in the query sent; -1 when unknown
	ActivityID   string
	Permanent    bool
	Details      []*Error // a partial result's further errors
}

// Error reads "Code: Message: InnerCode: InnerMessage (line L, position P)".
func (e *Error) Error() string {
	s := svcerror.Text(e.Code, e.Message, e.InnerCode, e.InnerMessage, e.Line, e.Pos)
	for _, d := range e.Details {
		s += "; " + d.Error()
	}
	return s
}

// Timeout reports whether the service stopped the query at its timeout.
func (e *Error) Timeout() bool {
	return e.StatusCode == 504 || e.Code == "Request_ExecutionTimeout" || strings.Contains(e.Type, "Timeout")
}

// oneAPIError is the service's error object. Line and position come as strings
// ("@line":"1") from the service and as numbers from some proxies: flexInt takes both.
type oneAPIError struct {
	Code         string   `json:"code"`
	Message      string   `json:"message"`
	Type         string   `json:"@type"`
	AtMessage    string   `json:"@message"`
	ErrorCode    string   `json:"@errorCode"`
	ErrorMessage string   `json:"@errorMessage"`
	Line         *flexInt `json:"@line"`
	Pos          *flexInt `json:"@pos"`
	Token        string   `json:"@token"`
	Permanent    bool     `json:"@permanent"`
	Context      struct {
		ActivityID string `json:"activityId"`
	} `json:"@context"`
	Inner *oneAPIError `json:"innererror"`
}

type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil // unknown stays zero rather than failing the whole error
	}
	*f = flexInt(n)
	return nil
}

// linePos matches the service's "[line:position=L:P]" and "on line [L,P]" in messages,
// for errors that carry no @line/@pos.
var linePos = regexp.MustCompile(`\[line:position=(\d+):(\d+)\]|on line \[(\d+),(\d+)\]`)

// newError converts the service's error object; query is the text that was sent.
func newError(status int, o *oneAPIError, query string) *Error {
	e := &Error{StatusCode: status, Code: o.Code, Message: o.Message, Type: o.Type, Permanent: o.Permanent,
		ActivityID: o.Context.ActivityID, Offset: -1}
	inner := o
	for depth := 0; depth < 32; depth++ {
		if inner.Line != nil && *inner.Line > 0 && e.Line == 0 {
			e.Line = int(*inner.Line)
			if inner.Pos != nil {
				e.Pos = int(*inner.Pos)
			}
			e.Token = inner.Token
		}
		if inner.Inner == nil {
			break
		}
		inner = inner.Inner
	}
	if inner.Type != "" {
		e.Type = inner.Type
	}
	e.InnerCode = inner.ErrorCode
	if e.InnerCode == "" && inner != o {
		e.InnerCode = inner.Code
	}
	switch {
	case inner.ErrorMessage != "":
		e.InnerMessage = inner.ErrorMessage
	case inner.AtMessage != "":
		e.InnerMessage = inner.AtMessage
	case inner != o:
		e.InnerMessage = inner.Message
	}
	if e.Line == 0 {
		for _, m := range []string{inner.ErrorMessage, inner.AtMessage, o.AtMessage} {
			if sm := linePos.FindStringSubmatch(m); sm != nil {
				l, p := sm[1], sm[2]
				if l == "" {
					l, p = sm[3], sm[4]
				}
				e.Line, _ = strconv.Atoi(l)
				e.Pos, _ = strconv.Atoi(p)
				break
			}
		}
	}
	if e.Line > 0 {
		e.Offset = svcerror.LineColOffset(query, e.Line, e.Pos)
	}
	return e
}

// errorFromBody reads a failed response's body: a OneAPI error, or (from a proxy, or the
// service's plain-text answers) a short printable prefix of whatever it is.
func errorFromBody(status int, body []byte, query string) *Error {
	var env struct {
		Error *oneAPIError `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && env.Error != nil && (env.Error.Code != "" || env.Error.Message != "") {
		return newError(status, env.Error, query)
	}
	msg := strings.TrimSpace(string(body))
	if !utf8.ValidString(msg) {
		msg = strings.ToValidUTF8(msg, "?")
	}
	msg = svcerror.Shorten(msg)
	code := fmt.Sprintf("HTTP%d", status)
	return &Error{StatusCode: status, Code: code, Message: msg, Offset: -1}
}

// Parts implements backend.ServiceError.
func (e *Error) Parts() backend.ServiceErrorParts {
	return backend.ServiceErrorParts{Code: e.Code, Message: e.Message, InnerCode: e.InnerCode, InnerMessage: e.InnerMessage, Offset: e.Offset}
}
