package prom

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"redress/sqldb"
)

// fakeStore answers the gauges or fails.
type fakeStore struct {
	db  *sql.DB
	err error
}

func (f fakeStore) Pools() (write, read *sql.DB) { return f.db, f.db }

func (f fakeStore) Gauges(context.Context) (*sqldb.Gauges, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &sqldb.Gauges{Outbox: map[string]sqldb.OutboxBacklog{"staff": {Pending: 3, Lag: 90 * time.Second}}}, nil
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

// TestMetricsRecordWhatTheyAreTold: the group commits by size and outcome,
// the jobs' runs and failures, the outboxes' backlog and lag; a database
// that does not answer the gauges reports up 0 and the scrape still answers.
func TestMetricsRecordWhatTheyAreTold(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := New(fakeStore{db: db})
	m.ObserveBatch(5, 3*time.Millisecond, nil)
	m.ObserveBatch(2, time.Millisecond, errors.New("disk full"))
	m.ObserveJob("sweep", 40*time.Millisecond, nil)
	m.ObserveJob("sweep", time.Millisecond, errors.New("database gone"))
	m.ObserveRequest("/api/v1/cases/{no}", "GET", 404, time.Millisecond)
	text := scrape(t, m)
	for _, want := range []string{`redress_intake_batch_jobs_total{result="ok"} 5`, `redress_intake_batch_jobs_total{result="failed"} 2`,
		`redress_intake_batch_size_count 2`, `redress_job_duration_seconds_count{job="sweep"} 2`, `redress_job_errors_total{job="sweep"} 1`,
		`redress_job_last_run_timestamp_seconds{job="sweep"}`, `redress_outbox_pending{outbox="staff"} 3`, `redress_outbox_lag_seconds{outbox="staff"} 90`,
		`redress_http_requests_total{method="GET",route="/api/v1/cases/{no}",status="404"} 1`, `redress_gauges_up 1`, `go_sql_open_connections{db_name="write"}`} {
		if !strings.Contains(text, want) {
			t.Errorf("no %s in:\n%s", want, text)
		}
	}
	down := New(fakeStore{db: db, err: errors.New("database gone")})
	if text := scrape(t, down); !strings.Contains(text, "redress_gauges_up 0") || strings.Contains(text, "redress_outbox_pending") {
		t.Errorf("a failed read of the gauges: %s", text)
	}
}
