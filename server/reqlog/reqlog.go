// Package reqlog keeps what a served request's log line says beside method and path: the
// status answered and a note (the rows, or a client that went away). Never the query or
// a header.
package reqlog

import (
	"fmt"
	"net/http"

	"github.com/kqlkernel/kqlkernel/table"
)

// Recorder is the ResponseWriter a server hands its handlers, to learn the status.
type Recorder struct {
	http.ResponseWriter
	Status int
	Note   string
}

// New wraps w; the status is 200 until a handler writes another.
func New(w http.ResponseWriter) *Recorder {
	return &Recorder{ResponseWriter: w, Status: http.StatusOK}
}

// Unwrap lets http.ResponseController reach the connection (hijack, flush, deadlines).
func (r *Recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// WriteHeader records the status and sends it.
func (r *Recorder) WriteHeader(code int) {
	r.Status = code
	r.ResponseWriter.WriteHeader(code)
}

// NoteRows records the number of rows answered, when w is a Recorder.
func NoteRows(w http.ResponseWriter, tables []*table.Table) {
	if rec, ok := w.(*Recorder); ok {
		n := 0
		for _, t := range tables {
			n += t.Rows()
		}
		rec.Note = fmt.Sprintf(" %d rows", n)
	}
}

// NoteGone records that the client closed the request (nginx's 499), when w is a Recorder.
func NoteGone(w http.ResponseWriter) {
	if rec, ok := w.(*Recorder); ok {
		rec.Status, rec.Note = 499, " (client closed the request)"
	}
}
