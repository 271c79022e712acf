// Package backend defines what a query service looks like to the notebook layer: the
// embedded engine (backend/local), Log Analytics (backend/loganalytics) and Azure Data
// Explorer (backend/kusto) all implement Backend.
package backend

import (
	"context"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// Backend runs queries against one connection.
type Backend interface {
	// Query runs one query. A partial result comes back with both a Response (rows so far)
	// and Response.Partial set; a failure with no rows returns an error.
	Query(ctx context.Context, req Request) (*Response, error)
	// Schema lists the tables (and functions) the connection knows, for completion.
	Schema(ctx context.Context) (*Schema, error)
	// Describe names the connection for status lines, with no secret in it.
	Describe() string
}

// Request is one query and its options.
type Request struct {
	Query string
	// Timespan restricts the time range as the Log Analytics `timespan` parameter does:
	// the service filters TimeGenerated to [Start, End). Zero means no restriction.
	Start, End time.Time
	// Timeout is the server-side timeout (Prefer: wait=N); zero means the default.
	Timeout time.Duration
	// Workspaces are additional workspaces to query (multi-workspace).
	Workspaces []string
	// IncludeRender and IncludeStatistics ask for render metadata and statistics.
	IncludeRender, IncludeStatistics bool
}

// Response is a query's result.
type Response struct {
	Tables     []*table.Table
	Render     *table.RenderSpec // nil when the query has no render
	Statistics map[string]any    // nil unless asked for
	Partial    error             // set when the rows are incomplete (partial error)
}

// Schema is a connection's catalog.
type Schema struct {
	Tables    []TableSchema
	Functions []FunctionSchema
}

// TableSchema is one table's name and columns.
type TableSchema struct {
	Name        string
	Columns     table.Schema
	Description string
}

// FunctionSchema is a stored function (e.g. an ASIM parser) with its body.
type FunctionSchema struct {
	Name       string
	Parameters string
	Body       string
}

// ServiceError is a query error as a service reports it (Log Analytics and Azure Data
// Explorer report the same parts), so the notebook can show it with a caret.
type ServiceError interface {
	error
	Parts() ServiceErrorParts
}

// ServiceErrorParts are a service error's code and message, the innermost error's code and
// message, and the byte offset of the problem in the query sent (-1 when unknown).
type ServiceErrorParts struct {
	Code, Message           string
	InnerCode, InnerMessage string
	Offset                  int
}
