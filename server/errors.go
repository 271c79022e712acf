package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/kqlkernel/kqlkernel/backend/loganalytics"
	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
	"github.com/kqlkernel/kqlkernel/server/diag"
)

// apiError is the service's OneAPI error object:
//
//	{"error":{"message":..., "code":..., "correlationId":..., "innererror":{"code":..., "message":...,
//	  "innererror":{"code":"SYN0002", "message":..., "line":1, "pos":11, "token":"x"}}}}
type apiError struct {
	Status  int
	Code    string
	Message string
	Inner   *innerError
	Details []*innerError // a partial error's causes
}

// innerError is one level of `innererror`; Line is 1-based, Pos a 0-based column.
type innerError struct {
	Code         string
	Message      string
	Line, Pos    int // Line 0: no position
	Token        string
	Severity     int
	SeverityName string
	Inner        *innerError
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func badRequest(innerCode, message string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "BadArgumentError", Message: "The request had some invalid properties",
		Inner: &innerError{Code: innerCode, Message: message}}
}

// fromQueryError maps what a backend's Query returned to the service's error. query is
// the text that ran (for line and position). timedOut says the server's own deadline
// (Prefer: wait) stopped the query.
func fromQueryError(err error, query string, timedOut bool, wait int) *apiError {
	if timedOut || errors.Is(err, context.DeadlineExceeded) {
		return &apiError{Status: http.StatusGatewayTimeout, Code: "GatewayTimeout", Message: "Gateway timeout",
			Inner: &innerError{Code: "GatewayTimeout", Message: fmt.Sprintf("The query ran longer than the server timeout of %d seconds and was cancelled. Ask for more time with the Prefer header (wait=600 at most) or narrow the query.", wait)}}
	}
	// A remote Log Analytics backend: pass its error on as it came.
	var la *loganalytics.Error
	if errors.As(err, &la) {
		status := la.StatusCode
		if status < 400 {
			status = http.StatusBadRequest
		}
		e := &apiError{Status: status, Code: la.Code, Message: la.Message}
		if la.InnerCode != "" || la.InnerMessage != "" {
			e.Inner = &innerError{Code: la.InnerCode, Message: la.InnerMessage, Line: la.Line, Pos: la.Pos, Token: la.Token}
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
			return syntaxError(text, ee.Offset, ee.Len, ee.Msg, ee.Hint)
		case "semantic", "unsupported":
			return semanticError(text, ee.Offset, ee.Len, ee.Msg, ee.Hint)
		}
		// Runtime failures (result limits, bad data): the query is valid, running it failed.
		return &apiError{Status: http.StatusBadRequest, Code: "BadArgumentError", Message: "The request had some invalid properties",
			Inner: &innerError{Code: "EngineError", Message: "Something went wrong processing your query.",
				Inner: &innerError{Code: ee.Code, Message: diag.WithHint(ee.Msg, ee.Hint)}}}
	}
	if se, ok := diag.SyntaxError(err); ok {
		return syntaxError(query, se.Offset, se.Len, se.Msg, se.Hint)
	}
	// Errors from binding and running the query (unknown column, type mismatch, ...).
	inner := &innerError{Code: "SEM0100", Message: err.Error()}
	if off, ok := offsetOf(err); ok {
		line, col := syntax.Position(query, off)
		inner.Line, inner.Pos = line, col-1
	}
	return &apiError{Status: http.StatusBadRequest, Code: "BadArgumentError", Message: "The request had some invalid properties",
		Inner: &innerError{Code: "SemanticError", Message: "A semantic error occurred.", Inner: inner}}
}

// syntaxError is the service's parse error: SyntaxError / SYN0002 with line, pos, token.
func syntaxError(query string, off, n int, msg, hint string) *apiError {
	line, pos, tok := diag.Place(query, off, n)
	return &apiError{Status: http.StatusBadRequest, Code: "BadArgumentError", Message: "The request had some invalid properties",
		Inner: &innerError{Code: "SyntaxError", Message: "A recognition error occurred in the query.",
			Inner: &innerError{Code: "SYN0002", Message: diag.ParseMessage(tok, line, pos, diag.WithHint(msg, hint)), Line: line, Pos: pos, Token: tok}}}
}

// semanticError is the service's binding error: SemanticError / SEM0100 with line and pos.
func semanticError(query string, off, n int, msg, hint string) *apiError {
	line, pos, tok := diag.Place(query, off, n)
	return &apiError{Status: http.StatusBadRequest, Code: "BadArgumentError", Message: "The request had some invalid properties",
		Inner: &innerError{Code: "SemanticError", Message: "A semantic error occurred.",
			Inner: &innerError{Code: "SEM0100", Message: diag.WithHint(msg, hint), Line: line, Pos: pos, Token: tok}}}
}

// offsetOf finds a byte offset in an error that carries one (the engine's errors).
func offsetOf(err error) (int, bool) {
	var p interface{ Pos() int }
	if errors.As(err, &p) {
		return p.Pos(), true
	}
	var o interface{ ErrorOffset() int }
	if errors.As(err, &o) {
		return o.ErrorOffset(), true
	}
	return 0, false
}

// partialError is the `error` of a 200 response whose rows are incomplete.
func partialError(err error) *apiError {
	inner := &innerError{Code: "EngineError", Message: "Something went wrong processing your query on the server.",
		Inner: &innerError{Code: "PartialResult", Message: err.Error(), Severity: 2, SeverityName: "Error"}}
	var la *loganalytics.Error
	if errors.As(err, &la) && la.Code == "PartialError" {
		e := &apiError{Status: http.StatusOK, Code: la.Code, Message: la.Message}
		for _, d := range la.Details {
			e.Details = append(e.Details, &innerError{Code: d.Code, Message: d.Message,
				Inner: &innerError{Code: d.InnerCode, Message: d.InnerMessage, Line: d.Line, Pos: d.Pos, Severity: 2, SeverityName: "Error"}})
		}
		return e
	}
	var ee *engine.Error
	if errors.As(err, &ee) && ee.Code == "E_QUERY_RESULT_SET_TOO_LARGE" {
		// The result limit: the service's cause is an EngineError whose inner code is
		// the limit's HRESULT (0x80DA0003 as a signed int) and whose message names it.
		msg := ee.Msg
		if len(msg) > 0 {
			msg = strings.ToUpper(msg[:1]) + msg[1:]
		}
		inner.Inner = &innerError{Code: "-2133196797", Message: msg, Severity: 2, SeverityName: "Error"}
	}
	return &apiError{Status: http.StatusOK, Code: "PartialError", Message: "There were some errors when processing your query.", Details: []*innerError{inner}}
}
