package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"redress"
	"redress/export"
)

// exportsRecorded counts the exports recorded, without a database.
type exportsRecorded struct {
	redress.ExportService // only RecordExport is called
	rows                  chan int
}

func (e exportsRecorded) RecordExport(_ context.Context, r redress.ExportRecord) error {
	e.rows <- r.Rows
	return nil
}

// TestExportOutlivesTheWriteTimeout (issue 12 item 5: a 1,000,000-case
// export streams to the end): an export that takes longer than the server's
// write timeout (serve's is 60 s; here 300 ms) is not cut while it makes
// progress: streamExport moves the connection's write deadline through the
// access log's writer, and the whole file arrives and is recorded.
func TestExportOutlivesTheWriteTimeout(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	recorded := exportsRecorded{rows: make(chan int, 1)}
	s := &Server{svc: Services{Exports: recorded}, log: log}
	const rows = 6
	srv := httptest.NewUnstartedServer(logRequests(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = s.streamExport(w, r, export.CSV, "slow", redress.ExportRecord{What: redress.ExportCases}, func(ew export.Writer) (int, error) {
			if err := ew.Table("t", []export.Column{{Title: "n", Kind: export.Int}}); err != nil {
				return 0, err
			}
			for i := range rows {
				time.Sleep(100 * time.Millisecond) // a slow page
				if err := ew.Row(i); err != nil {
					return i, err
				}
			}
			return rows, nil
		})
	})))
	srv.Config.WriteTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatalf("the export was cut: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || strings.Count(string(body), "\n") != rows+1 {
		t.Fatalf("the export was cut: %v %q", err, body)
	}
	if got := <-recorded.rows; got != rows {
		t.Errorf("recorded %d rows", got)
	}
}
