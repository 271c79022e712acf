// Package adx serves the Azure Data Explorer (Kusto) query REST API over any
// backend.Backend, so that ADX clients (azkustodata, azure-kusto-python, Kusto.Explorer's
// REST path) can query our own engine:
//
//	POST /v2/rest/query        v2 frames: DataSetHeader, @ExtendedProperties, the result tables
//	                           (TableHeader/TableFragment/TableCompletion when the client asks
//	                           for fragmented tables, DataTable otherwise),
//	                           QueryCompletionInformation, DataSetCompletion
//	POST /v1/rest/query        the v1 layout (Tables, table of contents)
//	POST /v1/rest/mgmt         .show database schema [as json], .show tables, .show databases,
//	                           .show version
//	GET  /v1/rest/auth/metadata the cloud information clients fetch before their first request
//
// Errors are Kusto's OneAPI errors (code, message, @type, @errorCode, @line, @pos, @token);
// a partial result carries its rows and the error in TableCompletion and DataSetCompletion.
package adx

import (
	"bufio"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/server/reqlog"
)

// Options configure a Handler.
type Options struct {
	// Database is the database name the backend answers to (`.show databases`, schema
	// answers). Every db a request names gets the same data. Default "demo".
	Database string
	// APIKey, when set, is required as `Authorization: Bearer KEY` (clients send tokens
	// that way; a local server cannot validate Entra tokens, so the key stands in for one).
	APIKey string
	// MaxRows is the result truncation limit (Kusto's is 500,000): more rows give the first
	// MaxRows and a partial error E_QUERY_RESULT_SET_TOO_LARGE, unless the request sets
	// notruncation. The request property truncationmaxrecords lowers it. 0 = 500,000.
	MaxRows int
	// DefaultTimeout and MaxTimeout bound the server-side timeout (servertimeout request
	// property). 0 = 4 minutes and 1 hour, as the service's defaults.
	DefaultTimeout, MaxTimeout time.Duration
	// Now returns the time for QueryCompletionInformation rows; nil = time.Now.
	Now func() time.Time
	// Log, when set, gets one line a request: method, path, status, rows, duration (never
	// the query text or a header).
	Log *log.Logger
}

// Handler serves the ADX REST API.
type Handler struct {
	b    backend.Backend
	opts Options
	mux  *http.ServeMux
}

// NewHandler returns the ADX REST API over b.
func NewHandler(b backend.Backend, opts Options) http.Handler {
	if opts.Database == "" {
		opts.Database = "demo"
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = 500_000
	}
	if opts.DefaultTimeout <= 0 {
		opts.DefaultTimeout = 4 * time.Minute
	}
	if opts.MaxTimeout <= 0 {
		opts.MaxTimeout = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &Handler{b: b, opts: opts, mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /v2/rest/query", h.queryV2)
	h.mux.HandleFunc("POST /v1/rest/query", h.queryV1)
	h.mux.HandleFunc("POST /v1/rest/mgmt", h.mgmt)
	h.mux.HandleFunc("GET /v1/rest/auth/metadata", h.metadata)
	h.mux.HandleFunc("/", h.notFound)
	return h
}

// ServeHTTP checks the key (except for the public cloud metadata) and dispatches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := reqlog.New(w)
	start := time.Now()
	if h.opts.APIKey != "" && r.URL.Path != "/v1/rest/auth/metadata" {
		if e := h.authenticate(r); e != nil {
			writeError(rec, e)
			h.log(r, rec, start)
			return
		}
	}
	h.mux.ServeHTTP(rec, r)
	if r.Context().Err() != nil {
		reqlog.NoteGone(rec)
	}
	h.log(r, rec, start)
}

func (h *Handler) log(r *http.Request, rec *reqlog.Recorder, start time.Time) {
	if h.opts.Log != nil {
		h.opts.Log.Printf("%s %s %d%s %s", r.Method, r.URL.Path, rec.Status, rec.Note, time.Since(start).Round(time.Millisecond))
	}
}

func (h *Handler) authenticate(r *http.Request) *apiError {
	auth := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if auth == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return &apiError{Status: http.StatusUnauthorized, Code: "Unauthorized", Type: "Kusto.Common.Svc.Exceptions.UnauthorizedOperationException",
			Message: "The 'Authorization' header is missing: send 'Authorization: Bearer KEY' with this server's API key."}
	}
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(h.opts.APIKey)) != 1 {
		return &apiError{Status: http.StatusUnauthorized, Code: "Unauthorized", Type: "Kusto.Common.Svc.Exceptions.UnauthorizedOperationException",
			Message: "The bearer token is not the API key this server was started with."}
	}
	return nil
}

// metadata is what clients read to learn the token audience and authority. A local server
// names the public cloud's: clients with anonymous access never use them.
func (h *Handler) metadata(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write([]byte(`{"AzureAD":{"LoginEndpoint":"https://login.microsoftonline.com","LoginMfaRequired":false,` +
		`"KustoClientAppId":"db662dc1-0cfe-4e1c-a843-19a68e65be58","KustoClientRedirectUri":"https://microsoft/kustoclient",` +
		`"KustoServiceResourceId":"https://kusto.kusto.windows.net","FirstPartyAuthorityUrl":"https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a"},` +
		`"dSTS":{}}`))
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, &apiError{Status: http.StatusNotFound, Code: "BadRequest_EntityNotFound", Type: "Kusto.Data.Exceptions.KustoBadRequestException",
		Message: fmt.Sprintf("The requested path does not exist: %s %s. This server answers POST /v2/rest/query, POST /v1/rest/query, POST /v1/rest/mgmt and GET /v1/rest/auth/metadata.", r.Method, r.URL.Path)})
}

// run runs a query on the backend with the request's timeout. timedOut reports that the
// server's own deadline stopped it.
func (h *Handler) run(r *http.Request, q *queryRequest) (resp *backend.Response, err error, timedOut bool) {
	timeout := h.timeout(q)
	ctx, cancel := context.WithTimeoutCause(r.Context(), timeout, errServerTimeout)
	defer cancel()
	resp, err = h.b.Query(ctx, backend.Request{Query: q.CSL, Timeout: timeout, IncludeRender: true})
	timedOut = errors.Is(context.Cause(ctx), errServerTimeout)
	if err == nil && resp == nil {
		err = errors.New("the backend returned no result")
	}
	return resp, err, timedOut
}

var errServerTimeout = errors.New("server timeout (servertimeout)")

// newWriter buffers a response; the handler flushes it at the end.
func newWriter(w http.ResponseWriter) *bufio.Writer { return bufio.NewWriterSize(w, 64<<10) }
