package reqlog

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

func TestRecorder(t *testing.T) {
	tb := table.New("T", table.Schema{{Name: "x", Type: table.TypeLong}})
	for i := 0; i < 3; i++ {
		if err := tb.AppendRow(int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	inner := httptest.NewRecorder()
	rec := New(inner)
	if rec.Status != http.StatusOK {
		t.Fatalf("initial status %d", rec.Status)
	}
	NoteRows(rec, []*table.Table{tb, tb})
	rec.WriteHeader(http.StatusTeapot)
	if rec.Status != http.StatusTeapot || inner.Code != http.StatusTeapot || rec.Note != " 6 rows" {
		t.Fatalf("got %d/%d %q", rec.Status, inner.Code, rec.Note)
	}
	if rec.Unwrap() != inner {
		t.Fatal("Unwrap does not reach the connection's writer")
	}
	NoteGone(rec)
	if rec.Status != 499 || rec.Note != " (client closed the request)" {
		t.Fatalf("gone: %d %q", rec.Status, rec.Note)
	}
	// Another writer is left alone.
	NoteRows(inner, []*table.Table{tb})
	NoteGone(inner)
	if inner.Code != http.StatusTeapot {
		t.Fatalf("plain writer changed: %d", inner.Code)
	}
}
