package loganalytics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/backend/azauth"
	"github.com/kqlkernel/kqlkernel/table"
)

// Backend queries one Log Analytics workspace.
type Backend struct {
	cfg      Config
	endpoint string // API base including /v1
	logs     *azlogs.Client
	meta     *azcore.Client // same credential and policies, for the metadata API

	mu     sync.Mutex
	schema *backend.Schema // fetched lazily, once per connection
}

var _ backend.Backend = (*Backend)(nil)

// retryStatusCodes are the statuses worth a retry. azcore's default list also has 408 and
// 504, which the service returns when a query ran past its timeout: running it again would
// only time out again, three more times.
var retryStatusCodes = []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}

// NewFromConfig builds a backend. It does no network I/O: tokens and the schema are
// fetched on first use.
func NewFromConfig(cfg Config, opts Options) (*Backend, error) {
	if strings.TrimSpace(cfg.Workspace) == "" {
		return nil, errors.New("loganalytics: workspace='...' is required")
	}
	cc, err := cloudConfig(cfg.Cloud, cfg.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("loganalytics: %w", err)
	}
	h, customAuthority := azauth.PrivateAuthority(cfg.Cloud)
	if customAuthority {
		cc.ActiveDirectoryAuthorityHost = h
	}
	co := policy.ClientOptions{
		Cloud: cc,
		Retry: policy.RetryOptions{StatusCodes: retryStatusCodes},
		// azcore logs no bodies; the x-api-key header is not on its allow list, so it is
		// redacted in any log a listener may collect.
		Telemetry: policy.TelemetryOptions{ApplicationID: "kqlkernel"},
	}
	if opts.HTTPClient != nil {
		co.Transport = opts.HTTPClient
	}
	if cfg.Auth == AuthAppKey && cfg.AppKey != "" {
		co.PerCallPolicies = []policy.Policy{apiKeyPolicy{key: cfg.AppKey.Reveal()}}
	}
	cred, err := credential(cfg, co, opts, customAuthority)
	if err != nil {
		return nil, fmt.Errorf("loganalytics: %w", err)
	}
	// Only the query client swaps bodies: the credential's own requests (token endpoints)
	// must come back untouched.
	lo := co
	lo.PerCallPolicies = append([]policy.Policy{rawBodyPolicy{}}, co.PerCallPolicies...)
	logs, err := azlogs.NewClient(cred, &azlogs.ClientOptions{ClientOptions: lo})
	if err != nil {
		return nil, fmt.Errorf("loganalytics: %w", err)
	}
	svc := cc.Services[azlogs.ServiceName]
	var perRetry []policy.Policy
	if cred != nil {
		perRetry = append(perRetry, runtime.NewBearerTokenPolicy(cred, []string{svc.Audience + "/.default"}, nil))
	}
	meta, err := azcore.NewClient("kqlkernel/loganalytics", "v1.0.0", runtime.PipelineOptions{PerRetry: perRetry}, &co)
	if err != nil {
		return nil, fmt.Errorf("loganalytics: %w", err)
	}
	return &Backend{cfg: cfg, endpoint: svc.Endpoint, logs: logs, meta: meta}, nil
}

// rawBodyKey carries a *rawBody through a query's context to rawBodyPolicy.
type rawBodyKey struct{}

// rawBody is the final response's status and body, as the service sent them.
type rawBody struct {
	status int
	body   []byte
}

// rawBodyPolicy keeps the response body for our exact decoder (UseNumber: longs keep all
// 64 bits) and hands azlogs an empty result in its place: azlogs' own decoding would turn
// every long into a float64 and, for large results, cost as much again as ours.
type rawBodyPolicy struct{}

func (rawBodyPolicy) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	holder, _ := req.Raw().Context().Value(rawBodyKey{}).(*rawBody)
	if err != nil || holder == nil || resp == nil {
		return resp, err
	}
	body, err := runtime.Payload(resp)
	if err != nil {
		return resp, err
	}
	holder.status, holder.body = resp.StatusCode, body
	if resp.StatusCode == http.StatusOK {
		resp.Body = io.NopCloser(strings.NewReader(`{"tables":[]}`))
	}
	return resp, nil
}

// apiKeyPolicy sends the workspace's API key (appkey=) on every request.
type apiKeyPolicy struct{ key string }

func (p apiKeyPolicy) Do(req *policy.Request) (*http.Response, error) {
	req.Raw().Header.Set("x-api-key", p.key)
	return req.Next()
}

// Describe names the connection without secrets: "alias@loganalytics", plus the endpoint
// when it is not the cloud's default.
func (b *Backend) Describe() string {
	name := b.cfg.Alias
	if name == "" {
		name = b.cfg.Workspace
	}
	s := name + "@loganalytics"
	if b.cfg.Endpoint != "" {
		s += " (" + redactURL(b.endpoint) + ")"
	}
	return s
}

// Query runs one query. A partial result returns the rows with Response.Partial set to the
// service's *Error; a failed query returns an *Error with the service's code, message and
// position.
func (b *Backend) Query(ctx context.Context, req backend.Request) (*backend.Response, error) {
	body := azlogs.QueryBody{Query: &req.Query}
	if len(req.Workspaces) > 0 {
		body.AdditionalWorkspaces = req.Workspaces
	}
	if ti := timeInterval(req.Start, req.End, time.Now()); ti != "" {
		body.Timespan = &ti
	}
	qo := &azlogs.QueryOptions{}
	if req.IncludeRender {
		qo.Visualization = &req.IncludeRender
	}
	if req.IncludeStatistics {
		qo.Statistics = &req.IncludeStatistics
	}
	if req.Timeout > 0 {
		wait := int(math.Min(600, math.Ceil(req.Timeout.Seconds())))
		qo.Wait = &wait
		// The service answers 504 at its timeout; the guard only covers a server that never
		// answers at all.
		if _, has := ctx.Deadline(); !has {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, time.Duration(wait)*time.Second+30*time.Second)
			defer cancel()
		}
	}
	raw := &rawBody{}
	_, err := b.logs.QueryWorkspace(context.WithValue(ctx, rawBodyKey{}, raw), b.cfg.Workspace, body, &azlogs.QueryWorkspaceOptions{Options: qo})
	if raw.status == 0 {
		return nil, b.transportError(ctx, err)
	}
	if raw.status != http.StatusOK {
		return nil, errorFromBody(raw.status, raw.body, req.Query)
	}
	d, derr := decodeBody(raw.body, req.Query)
	if derr != nil {
		return nil, fmt.Errorf("loganalytics: %w", derr)
	}
	resp := &backend.Response{Tables: d.tables}
	if req.IncludeRender {
		resp.Render = d.render
	}
	if req.IncludeStatistics {
		resp.Statistics = d.statistics
	}
	if d.partial != nil {
		if len(d.tables) == 0 {
			return nil, d.partial
		}
		resp.Partial = d.partial
	}
	return resp, nil
}

// transportError explains a failure with no HTTP response (DNS, TLS, refused connection,
// credential failure, cancellation).
func (b *Backend) transportError(ctx context.Context, err error) error {
	if err == nil {
		err = errors.New("no response")
	}
	if ctx.Err() != nil {
		return fmt.Errorf("loganalytics: query cancelled: %w", ctx.Err())
	}
	return fmt.Errorf("loganalytics: %s: %w", redactURL(b.endpoint), err)
}

// timeInterval formats [start, end) as ISO 8601 "start/end" with full precision; "" when
// both are zero.
func timeInterval(start, end, now time.Time) azlogs.TimeInterval {
	if start.IsZero() && end.IsZero() {
		return ""
	}
	if end.IsZero() {
		end = now
	}
	if start.IsZero() {
		start = table.MinDateTime.Time()
	}
	return azlogs.TimeInterval(start.UTC().Format(time.RFC3339Nano) + "/" + end.UTC().Format(time.RFC3339Nano))
}

// Schema returns the workspace's tables and functions from the metadata API. The first
// call fetches it; later calls reuse it. A failed fetch is not cached.
func (b *Backend) Schema(ctx context.Context) (*backend.Schema, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.schema != nil {
		return b.schema, nil
	}
	u := b.endpoint + "/workspaces/" + url.PathEscape(b.cfg.Workspace) + "/metadata"
	req, err := runtime.NewRequest(ctx, http.MethodGet, u)
	if err != nil {
		return nil, fmt.Errorf("loganalytics: metadata: %w", err)
	}
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := b.meta.Pipeline().Do(req)
	if err != nil {
		return nil, b.transportError(ctx, err)
	}
	payload, err := runtime.Payload(resp)
	if err != nil {
		return nil, b.transportError(ctx, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errorFromBody(resp.StatusCode, payload, "")
	}
	s, err := decodeMetadata(payload)
	if err != nil {
		return nil, fmt.Errorf("loganalytics: metadata: %w", err)
	}
	b.schema = s
	return s, nil
}

// decodeMetadata reads the metadata API's tables and functions.
func decodeMetadata(body []byte) (*backend.Schema, error) {
	var m struct {
		Tables []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Columns     []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"columns"`
		} `json:"tables"`
		Functions []struct {
			Name       string `json:"name"`
			Parameters string `json:"parameters"`
			Body       string `json:"body"`
		} `json:"functions"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	s := &backend.Schema{Tables: make([]backend.TableSchema, 0, len(m.Tables)), Functions: make([]backend.FunctionSchema, 0, len(m.Functions))}
	for _, t := range m.Tables {
		ts := backend.TableSchema{Name: t.Name, Description: t.Description, Columns: make(table.Schema, 0, len(t.Columns))}
		for _, c := range t.Columns {
			typ, ok := table.ParseType(c.Type)
			if !ok {
				typ = table.TypeDynamic
			}
			ts.Columns = append(ts.Columns, table.ColumnSchema{Name: c.Name, Type: typ})
		}
		s.Tables = append(s.Tables, ts)
	}
	for _, f := range m.Functions {
		s.Functions = append(s.Functions, backend.FunctionSchema{Name: f.Name, Parameters: f.Parameters, Body: f.Body})
	}
	return s, nil
}
