package adx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kqlkernel/kqlkernel/backend/kusto"
	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/server/diag"
	"github.com/kqlkernel/kqlkernel/server/wire"
)

// apiError is Kusto's OneAPI error:
//
//	{"error":{"code":"General_BadRequest","message":"Request is invalid and cannot be executed.",
//	  "@type":"Kusto.Data.Exceptions.KustoBadRequestException","@message":...,"@context":{...},
//	  "@permanent":true,"innererror":{"code":"SYN0002","message":...,"@type":"Kusto.Data.Exceptions.SyntaxException",
//	  "@errorCode":"SYN0002","@errorMessage":...,"@line":"1","@pos":"11","@token":"x"}}}
//
// Line and position travel as strings, as the service sends them.
type apiError struct {
	Status    int
	Code      string
	Message   string
	Type      string
	AtMessage string // "@message": the full text; Message when empty
	Permanent bool
	Inner     *apiError
	// The diagnostic fields of an innermost error.
	ErrorCode, ErrorMessage string
	Line, Pos               int // Line 0: no position
	Token                   string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func badRequest(code, msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: msg, Type: "Kusto.Data.Exceptions.KustoBadRequestException", Permanent: true}
}

// appendJSON writes the error object (without the {"error":...} envelope).
func (e *apiError) appendJSON(b []byte, activity string, now time.Time) []byte {
	b = append(b, `{"code":`...)
	b = wire.AppendString(b, e.Code)
	b = append(b, `,"message":`...)
	b = wire.AppendString(b, e.Message)
	b = append(b, `,"@type":`...)
	b = wire.AppendString(b, e.Type)
	b = append(b, `,"@message":`...)
	msg := e.AtMessage
	if msg == "" {
		msg = e.Message
	}
	b = wire.AppendString(b, msg)
	b = append(b, `,"@context":{"timestamp":`...)
	b = wire.AppendString(b, now.UTC().Format("2006-01-02T15:04:05.0000000Z"))
	b = append(b, `,"serviceAlias":"KQLKERNEL","machineName":"kqlkernel","processName":"kqlkernel","processId":0,"threadId":0,"clientRequestId":"","activityId":`...)
	b = wire.AppendString(b, activity)
	b = append(b, `,"subActivityId":`...)
	b = wire.AppendString(b, activity)
	b = append(b, `,"activityType":"KQLKERNEL.Query","parentActivityId":`...)
	b = wire.AppendString(b, activity)
	b = append(b, `,"activityStack":""},"@permanent":`...)
	b = strconv.AppendBool(b, e.Permanent)
	if e.ErrorCode != "" {
		b = append(b, `,"@errorCode":`...)
		b = wire.AppendString(b, e.ErrorCode)
		b = append(b, `,"@errorMessage":`...)
		b = wire.AppendString(b, e.ErrorMessage)
	}
	if e.Line > 0 {
		b = append(b, `,"@line":`...)
		b = wire.AppendString(b, strconv.Itoa(e.Line))
		b = append(b, `,"@pos":`...)
		b = wire.AppendString(b, strconv.Itoa(e.Pos))
		b = append(b, `,"@token":`...)
		b = wire.AppendString(b, e.Token)
	}
	if e.Inner != nil {
		b = append(b, `,"innererror":`...)
		b = e.Inner.appendJSON(b, activity, now)
	}
	return append(b, '}')
}

// writeError answers with the error and its status.
func writeError(w http.ResponseWriter, e *apiError) {
	b := append([]byte(`{"error":`), e.appendJSON(nil, wire.NewID(), time.Now())...)
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}

// fromQueryError maps what a backend's Query returned to the service's error.
func fromQueryError(err error, query string, timedOut bool, timeout time.Duration) *apiError {
	if timedOut || errors.Is(err, context.DeadlineExceeded) {
		return &apiError{Status: http.StatusGatewayTimeout, Code: "Request_ExecutionTimeout", Type: "Kusto.Data.Exceptions.KustoRequestExecutionTimeoutException",
			Message: fmt.Sprintf("Query execution has exceeded the allowed limits (80DA0001): the query ran longer than the server timeout of %s. Set the servertimeout request property (at most 1 hour) or narrow the query.", timeout)}
	}
	// A remote ADX backend: pass its error on as it came.
	var ke *kusto.Error
	if errors.As(err, &ke) {
		status := ke.StatusCode
		if status < 400 {
			status = http.StatusBadRequest
		}
		e := &apiError{Status: status, Code: ke.Code, Message: ke.Message, Type: ke.Type, Permanent: ke.Permanent}
		if ke.InnerCode != "" || ke.InnerMessage != "" || ke.Line > 0 {
			e.Inner = &apiError{Code: ke.InnerCode, Message: ke.InnerMessage, Type: ke.Type, Permanent: ke.Permanent,
				ErrorCode: ke.InnerCode, ErrorMessage: ke.InnerMessage, Line: ke.Line, Pos: ke.Pos, Token: ke.Token}
		}
		return e
	}
	var ee *engine.Error
	if errors.As(err, &ee) {
		text := query
		if ee.Query != "" {
			text = ee.Query
		}
		switch ee.Code {
		case "syntax":
			return diagnostic(text, ee.Offset, ee.Len, diag.WithHint(ee.Msg, ee.Hint), "SYN0002", "Syntax error", "Kusto.Data.Exceptions.SyntaxException")
		case "semantic", "unsupported":
			return diagnostic(text, ee.Offset, ee.Len, diag.WithHint(ee.Msg, ee.Hint), "SEM0100", "Semantic error", "Kusto.Data.Exceptions.SemanticException")
		case "E_QUERY_RESULT_SET_TOO_LARGE":
			return &apiError{Status: http.StatusBadRequest, Code: "LimitsExceeded", Type: "Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException",
				Message: "Request is invalid and cannot be executed.", AtMessage: "Query execution has exceeded the allowed limits (80DA0003): " + diag.WithHint(ee.Msg, ee.Hint), Permanent: true}
		}
		return &apiError{Status: http.StatusInternalServerError, Code: "General_InternalServerError", Type: "Kusto.Data.Exceptions.KustoServiceException",
			Message: "Something went wrong processing the query.", AtMessage: diag.WithHint(ee.Msg, ee.Hint)}
	}
	if se, ok := diag.SyntaxError(err); ok {
		return diagnostic(query, se.Offset, se.Len, diag.WithHint(se.Msg, se.Hint), "SYN0002", "Syntax error", "Kusto.Data.Exceptions.SyntaxException")
	}
	return &apiError{Status: http.StatusBadRequest, Code: "General_BadRequest", Type: "Kusto.Data.Exceptions.KustoBadRequestException",
		Message: "Request is invalid and cannot be executed.", AtMessage: err.Error(), Permanent: true}
}

// diagnostic is the service's 400 for a syntax or semantic error: the outer
// KustoBadRequestException and an inner error with the code, line and position.
func diagnostic(query string, off, n int, msg, code, kind, typ string) *apiError {
	line, pos, tok := diag.Place(query, off, n)
	text := msg
	if code == "SYN0002" {
		text = diag.ParseMessage(tok, line, pos, msg)
	}
	full := fmt.Sprintf("%s: %s: %s [line:position=%d:%d]", kind, code, text, line, pos)
	return &apiError{Status: http.StatusBadRequest, Code: "General_BadRequest", Type: "Kusto.Data.Exceptions.KustoBadRequestException",
		Message: "Request is invalid and cannot be executed.", AtMessage: "Request is invalid and cannot be processed: " + full, Permanent: true,
		Inner: &apiError{Code: code, Message: text, Type: typ, AtMessage: full, Permanent: true,
			ErrorCode: code, ErrorMessage: text, Line: line, Pos: pos, Token: tok}}
}

// partialError is the OneAPI error of a result whose rows are incomplete.
func partialError(err error) *apiError {
	var ke *kusto.Error
	if errors.As(err, &ke) {
		return &apiError{Code: ke.Code, Message: ke.Message, Type: ke.Type, AtMessage: ke.InnerMessage, Permanent: ke.Permanent}
	}
	var ee *engine.Error
	if errors.As(err, &ee) && ee.Code == "E_QUERY_RESULT_SET_TOO_LARGE" {
		// The engine cut the result at its limit: the same partial error as our own cut
		// (limit), which then adds none of its own.
		e := truncationError(0)
		e.AtMessage = "Query execution has exceeded the allowed limits (80DA0003): " + diag.WithHint(ee.Msg, ee.Hint)
		return e
	}
	return &apiError{Code: "PartialQueryFailure", Message: "Query execution failed partially: the rows are incomplete.",
		Type: "Kusto.Data.Exceptions.KustoServicePartialQueryFailureException", AtMessage: err.Error()}
}

// truncationError is the service's partial error when a result passes the row limit.
func truncationError(limit int) *apiError {
	return &apiError{Code: "LimitsExceeded", Message: "Request is invalid and cannot be executed.",
		Type:      "Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException",
		AtMessage: fmt.Sprintf("Query execution has exceeded the allowed limits (80DA0003): The results of this query exceed the set limit of %d records, so not all records were returned (E_QUERY_RESULT_SET_TOO_LARGE, 0x80DA0003). Add `take`, `summarize` or a tighter `where`, or set notruncation.", limit)}
}
