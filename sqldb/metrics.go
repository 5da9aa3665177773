package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"redress"
)

// BatchObserver is told of every group commit (batch.go): how many intakes
// shared the transaction, how long it took and whether it committed. The
// metrics (package prom) implement it.
type BatchObserver interface {
	ObserveBatch(size int, took time.Duration, err error)
}

// SetBatchObserver makes o hear of every group commit from now on.
func (db *DB) SetBatchObserver(o BatchObserver) { db.batch.observer.Store(&o) }

// Pools returns the write connection and the reader pool, whose statistics
// (connections in use, waits for one) the metrics report.
func (db *DB) Pools() (write, read *sql.DB) { return db.write, db.read }

// Gauges are what the metrics read from the database at each scrape: the
// cases by status (the queues' depths) and the outboxes' backlog, e-mail
// and SMS to staff and notices to customers: how many wait and how long the
// oldest due one has waited.
type Gauges struct {
	CasesByStatus map[redress.Status]int
	Outbox        map[string]OutboxBacklog // "staff", "customer"
}

// OutboxBacklog is one outbox's rows waiting to be sent and the lag of the
// oldest one due: now less its next attempt's time (0 when none is due).
type OutboxBacklog struct {
	Pending int
	Lag     time.Duration
}

// Gauges reads the gauges as of now: three small grouped reads on indexes
// (cases by status; each outbox's pending rows by next attempt).
func (db *DB) Gauges(ctx context.Context) (*Gauges, error) {
	g := &Gauges{CasesByStatus: map[redress.Status]int{}, Outbox: map[string]OutboxBacklog{}}
	rows, err := db.reads().QueryContext(ctx, `SELECT status, COUNT(*) FROM cases GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("gauges: cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var status redress.Status
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("gauges: cases: %w", err)
		}
		g.CasesByStatus[status] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gauges: cases: %w", err)
	}
	now := db.now()
	for name, table := range map[string]string{"staff": "notifications", "customer": "customer_notices"} {
		var n int
		var oldest sql.NullString
		if err := db.reads().QueryRowContext(ctx, `SELECT COUNT(*), MIN(next_attempt_at) FROM `+table+` WHERE status = 'pending'`).
			Scan(&n, &oldest); err != nil {
			return nil, fmt.Errorf("gauges: %s outbox: %w", name, err)
		}
		b := OutboxBacklog{Pending: n}
		if oldest.Valid {
			at, err := parseTime(oldest.String)
			if err != nil {
				return nil, fmt.Errorf("gauges: %s outbox: %w", name, err)
			}
			b.Lag = max(0, now.Sub(at))
		}
		g.Outbox[name] = b
	}
	return g, nil
}
