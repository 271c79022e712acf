package adx

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/server/reqlog"
	"github.com/kqlkernel/kqlkernel/server/wire"
	"github.com/kqlkernel/kqlkernel/table"
)

// fragmentRows is the number of rows per TableFragment frame.
const fragmentRows = 5000

// queryV2 answers POST /v2/rest/query with v2 frames.
func (h *Handler) queryV2(w http.ResponseWriter, r *http.Request) {
	q, e := decodeRequest(r)
	if e != nil {
		writeError(w, e)
		return
	}
	if strings.HasPrefix(skipComments(q.CSL), ".") {
		// As the service: commands go to /v1/rest/mgmt.
		writeError(w, badRequest("General_BadRequest", "Control commands (starting with a dot '.') do not support api_version=v2: send them to /v1/rest/mgmt"))
		return
	}
	resp, err, timedOut := h.run(r, q)
	if r.Context().Err() != nil {
		return // the client went away (cancelled): nobody reads an answer
	}
	if err != nil {
		writeError(w, fromQueryError(err, q.CSL, timedOut, h.timeout(q)))
		return
	}
	tables, problems := h.limit(resp, q)
	reqlog.NoteRows(w, tables)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	bw := newWriter(w)
	h.writeFrames(bw, q, tables, resp.Render, problems)
	_ = bw.Flush()
}

// limit applies the row limit (Options.MaxRows, truncationmaxrecords, notruncation) and
// collects the partial errors: the backend's, then truncation's.
func (h *Handler) limit(resp *backend.Response, q *queryRequest) ([]*table.Table, []*apiError) {
	var problems []*apiError
	if resp.Partial != nil {
		problems = append(problems, partialError(resp.Partial))
	}
	limit := h.opts.MaxRows
	if q.MaxRecords > 0 && q.MaxRecords < limit {
		limit = q.MaxRecords
	}
	tables := make([]*table.Table, 0, len(resp.Tables))
	for _, t := range resp.Tables {
		if t == nil {
			continue
		}
		if n := t.Rows(); n > limit && !q.NoTruncation {
			cut := &table.Table{Name: t.Name, Columns: make([]table.Column, len(t.Columns))}
			for i, c := range t.Columns {
				cut.Columns[i] = table.Column{Name: c.Name, Type: c.Type, Data: c.Data.Slice(0, min(limit, c.Data.Len()))}
			}
			t = cut
			// One truncation error: ours (the smaller limit) replaces the backend's.
			if k := len(problems) - 1; k >= 0 && problems[k].Code == "LimitsExceeded" {
				problems[k] = truncationError(limit)
			} else {
				problems = append(problems, truncationError(limit))
			}
		}
		tables = append(tables, t)
	}
	return tables, problems
}

func (h *Handler) timeout(q *queryRequest) time.Duration {
	if q.ServerTimeout > 0 {
		return min(q.ServerTimeout, h.opts.MaxTimeout)
	}
	return h.opts.DefaultTimeout
}

// frameWriter writes frames one a line: "[" before the first, "," before the others, "]"
// after the last, as the service does with results_v2_newlines_between_frames (and
// azkustodata's frame reader requires).
type frameWriter struct {
	w     *bufio.Writer
	n     int
	buf   []byte
	activ string
}

func (f *frameWriter) frame(b []byte) {
	if f.n == 0 {
		_ = f.w.WriteByte('[')
	} else {
		_ = f.w.WriteByte(',')
	}
	f.n++
	_, _ = f.w.Write(b)
	_ = f.w.WriteByte('\n')
}

func (f *frameWriter) end() {
	if f.n == 0 {
		_ = f.w.WriteByte('[')
	}
	_, _ = f.w.WriteString("]\n")
}

// writeFrames writes the whole dataset.
func (h *Handler) writeFrames(w *bufio.Writer, q *queryRequest, tables []*table.Table, render *table.RenderSpec, problems []*apiError) {
	f := &frameWriter{w: w, activ: wire.NewID()}
	f.frame([]byte(`{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0","IsFragmented":` +
		strconv.FormatBool(q.Fragmented) + `,"ErrorReportingPlacement":"` + placement(q) + `"}`))

	// @ExtendedProperties: the render of the first result table (TableId 1).
	b := []byte(`{"FrameType":"DataTable","TableId":0,"TableKind":"QueryProperties","TableName":"@ExtendedProperties","Columns":[{"ColumnName":"TableId","ColumnType":"int"},{"ColumnName":"Key","ColumnType":"string"},{"ColumnName":"Value","ColumnType":"dynamic"}],"Rows":[`)
	if len(tables) > 0 {
		b = append(b, `[1,"Visualization",`...)
		b = wire.AppendString(b, visualization(render))
		b = append(b, ']')
	}
	f.frame(append(b, "]}"...))

	for i, t := range tables {
		id := i + 1
		last := i == len(tables)-1
		var errs []*apiError
		if last {
			errs = problems
		}
		name := t.Name
		if name == "" {
			name = "PrimaryResult"
		}
		header := func(frameType string) []byte {
			b := append(f.buf[:0], `{"FrameType":"`+frameType+`","TableId":`...)
			b = strconv.AppendInt(b, int64(id), 10)
			b = append(b, `,"TableKind":"PrimaryResult","TableName":`...)
			b = wire.AppendString(b, name)
			b = append(b, `,"Columns":[`...)
			for j, c := range t.Columns {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"ColumnName":`...)
				b = wire.AppendString(b, c.Name)
				b = append(b, `,"ColumnType":"`...)
				b = append(b, c.Type.String()...)
				b = append(b, `"}`...)
			}
			return append(b, ']')
		}
		rows := t.Rows()
		if !q.Fragmented {
			b := header("DataTable")
			b = append(b, `,"Rows":[`...)
			b = appendRows(b, t, 0, rows)
			f.buf = append(b, "]}"...)
			f.frame(f.buf)
			continue
		}
		f.buf = append(header("TableHeader"), '}')
		f.frame(f.buf)
		for from := 0; from < rows; from += fragmentRows {
			b := append(f.buf[:0], `{"FrameType":"TableFragment","TableFragmentType":"DataAppend","TableId":`...)
			b = strconv.AppendInt(b, int64(id), 10)
			b = append(b, `,"Rows":[`...)
			b = appendRows(b, t, from, min(rows, from+fragmentRows))
			f.buf = append(b, "]}"...)
			f.frame(f.buf)
		}
		b := append(f.buf[:0], `{"FrameType":"TableCompletion","TableId":`...)
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, `,"RowCount":`...)
		b = strconv.AppendInt(b, int64(rows), 10)
		if len(errs) > 0 {
			b = append(b, `,"OneApiErrors":`...)
			b = appendErrors(b, errs, f.activ, h.opts.Now())
		}
		f.buf = append(b, '}')
		f.frame(f.buf)
	}

	// QueryCompletionInformation: one row a problem, or "Query completed successfully".
	now := h.opts.Now().UTC()
	b = append(f.buf[:0], `{"FrameType":"DataTable","TableId":`...)
	b = strconv.AppendInt(b, int64(len(tables)+1), 10)
	b = append(b, `,"TableKind":"QueryCompletionInformation","TableName":"QueryCompletionInformation","Columns":[{"ColumnName":"Timestamp","ColumnType":"datetime"},{"ColumnName":"ClientRequestId","ColumnType":"string"},{"ColumnName":"ActivityId","ColumnType":"guid"},{"ColumnName":"SubActivityId","ColumnType":"guid"},{"ColumnName":"ParentActivityId","ColumnType":"guid"},{"ColumnName":"Level","ColumnType":"int"},{"ColumnName":"LevelName","ColumnType":"string"},{"ColumnName":"StatusCode","ColumnType":"int"},{"ColumnName":"StatusCodeName","ColumnType":"string"},{"ColumnName":"EventType","ColumnType":"int"},{"ColumnName":"EventTypeName","ColumnType":"string"},{"ColumnName":"Payload","ColumnType":"string"}],"Rows":[`...)
	info := func(b []byte, level int, levelName string, status int, statusName string, event int, eventName, payload string) []byte {
		b = append(b, '[')
		b = wire.AppendString(b, table.FromTime(now).String())
		b = append(b, ',')
		b = wire.AppendString(b, q.ClientRequestID)
		for k := 0; k < 3; k++ {
			b = append(b, ',')
			b = wire.AppendString(b, f.activ)
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(level), 10)
		b = append(b, ',')
		b = wire.AppendString(b, levelName)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(status), 10)
		b = append(b, ',')
		b = wire.AppendString(b, statusName)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(event), 10)
		b = append(b, ',')
		b = wire.AppendString(b, eventName)
		b = append(b, ',')
		b = wire.AppendString(b, payload)
		return append(b, ']')
	}
	if len(problems) == 0 {
		b = info(b, 4, "Info", 0, "S_OK (0)", 4, "QueryInfo", `{"Count":1,"Text":"Query completed successfully"}`)
	} else {
		for j, p := range problems {
			if j > 0 {
				b = append(b, ',')
			}
			payload := string(append([]byte(`{"error":`), p.appendJSON(nil, f.activ, now)...)) + "}"
			b = info(b, 2, "Error", -2133196797, "E_QUERY_RESULT_SET_TOO_LARGE (0x80DA0003)", 4, "QueryInfo", payload)
		}
	}
	f.buf = append(b, "]}"...)
	f.frame(f.buf)

	b = append(f.buf[:0], `{"FrameType":"DataSetCompletion","HasErrors":`...)
	b = strconv.AppendBool(b, len(problems) > 0)
	b = append(b, `,"Cancelled":false`...)
	if len(problems) > 0 {
		b = append(b, `,"OneApiErrors":`...)
		b = appendErrors(b, problems, f.activ, h.opts.Now())
	}
	f.buf = append(b, '}')
	f.frame(f.buf)
	f.end()
}

func placement(q *queryRequest) string {
	if q.Fragmented {
		return "EndOfTable"
	}
	return "EndOfDataset"
}

func appendErrors(b []byte, errs []*apiError, activity string, now time.Time) []byte {
	b = append(b, '[')
	for i, e := range errs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"error":`...)
		b = e.appendJSON(b, activity, now)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendRows writes rows [from, to) of t as JSON arrays, comma-separated.
func appendRows(b []byte, t *table.Table, from, to int) []byte {
	for r := from; r < to; r++ {
		if r > from {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, c := range t.Columns {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, c.Data.At(r))
		}
		b = append(b, ']')
	}
	return b
}
