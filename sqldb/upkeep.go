package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// writerCheckpointPages is the size of SQLite's write-ahead log, in pages,
// past which the writer checkpoints it itself, inside the commit that grew
// it: only when the upkeep has fallen that far behind (about 40 MiB of log
// at 4 KiB pages, several seconds of intake at full speed).
const writerCheckpointPages = 10000

// upkeep runs the engine's housekeeping statement (dialect.upkeep) on a
// connection of its own, every so often, beside the writer: work that the
// engine would otherwise do inside a write, on the one connection the group
// committer's intakes all wait for.
//
//   - SQLite copies its write-ahead log into the database file (a passive
//     checkpoint, every 500 ms). Left to the writer (every 1,000 pages), the
//     commit that crossed the mark copied the log and synced the database
//     file: a tenth of the committer's time at intake. A passive checkpoint
//     takes no lock a writer or a reader waits for, and taken every half
//     second it writes a page that many commits changed once. A commit is
//     still durable when its log frames are synced, which the writer does.
//   - PostgreSQL moves the search index's pending entries into the GIN tree
//     (gin_clean_pending_list, every second). Left to the inserts, the one
//     that found the pending list past gin_pending_list_limit (4 MB, about
//     a thousand cases) merged it while its transaction waited: at
//     1,000,000 cases 150 ms to 2.5 s, in the committer's transaction, with
//     every intake of the batch and the next ones behind it. An insert that
//     finds a cleanup running leaves the list to it.
type upkeep struct {
	conn      *sql.DB
	statement string
	every     time.Duration
	log       *slog.Logger
	quit      chan struct{}
	exited    chan struct{}
	// passes counts the statements run without error, for tests.
	passes atomic.Int64
}

// startUpkeep opens a connection to the database of dsn and runs statement
// on it every interval until stop.
func startUpkeep(driver, dsn, statement string, every time.Duration, log *slog.Logger) (*upkeep, error) {
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open the upkeep's connection: %w", err)
	}
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	u := &upkeep{conn: conn, statement: statement, every: every, log: log, quit: make(chan struct{}), exited: make(chan struct{})}
	go u.run()
	return u, nil
}

func (u *upkeep) run() {
	defer close(u.exited)
	tick := time.NewTicker(u.every)
	defer tick.Stop()
	failing := false // a failure is logged once, not every pass (a role that does not own the index)
	for {
		select {
		case <-u.quit:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := u.once(ctx)
		cancel()
		if err != nil && !failing && u.log != nil {
			// The engine still does the work itself, in a write.
			u.log.Warn("database upkeep failed; the engine does it in the writes meanwhile", "statement", u.statement, "err", err)
		}
		failing = err != nil
	}
}

// once runs the statement and reads its answer to the end.
func (u *upkeep) once(ctx context.Context) error {
	rows, err := u.conn.QueryContext(ctx, u.statement)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	u.passes.Add(1)
	return nil
}

// stop ends the upkeep and closes its connection.
func (u *upkeep) stop() error {
	if u == nil {
		return nil
	}
	select {
	case <-u.quit:
	default:
		close(u.quit)
	}
	<-u.exited
	return u.conn.Close()
}
