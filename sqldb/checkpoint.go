package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// writerCheckpointPages is the size of the write-ahead log, in pages, past
// which SQLite's writer checkpoints it itself, inside the commit that grew
// it: only when the checkpointer has fallen that far behind (about 40 MiB
// of log at 4 KiB pages, several seconds of intake at full speed).
const writerCheckpointPages = 10000

// checkpointEvery is how often the checkpointer copies the write-ahead
// log into the database file.
const checkpointEvery = 500 * time.Millisecond

// checkpointer copies SQLite's write-ahead log into the database file on a
// connection of its own, every checkpointEvery. Left to the writer (SQLite's
// default, every 1,000 pages), each checkpoint runs inside the commit that
// crosses the mark, on the one connection every write waits for: the copy
// and the database file's fsync were a tenth of the group committer's time
// at intake. Beside the writer, a passive checkpoint takes no lock that
// writers or readers wait for, and it runs on the other core; taken every
// half second, it writes a page that many commits changed (an index's last
// leaf) once, not once per thousand pages of log. Durability is unchanged:
// a commit is durable when its log frames are synced, which the writer
// still does in each commit.
type checkpointer struct {
	conn   *sql.DB
	log    *slog.Logger
	quit   chan struct{}
	exited chan struct{}
	// passes counts the checkpoints run on a log that held frames, for
	// tests.
	passes atomic.Int64
}

// startCheckpointer opens the checkpointer's connection to the database of
// dsn (checkpointDSN) and starts it; stop ends it.
func startCheckpointer(driver, dsn string, log *slog.Logger) (*checkpointer, error) {
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open the checkpointer's connection: %w", err)
	}
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxLifetime(0)
	c := &checkpointer{conn: conn, log: log, quit: make(chan struct{}), exited: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.exited)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-tick.C:
		}
		if _, _, err := c.checkpoint(context.Background()); err != nil && c.log != nil {
			// The writer still checkpoints past writerCheckpointPages.
			c.log.Warn("checkpoint the write-ahead log", "err", err)
		}
	}
}

// checkpoint copies into the database file what of the write-ahead log no
// reader still needs (a passive checkpoint: it waits for no one). It
// returns the frames in the log and how many of them are in the database
// file now: all of them unless a reader still reads an older state.
func (c *checkpointer) checkpoint(ctx context.Context) (logFrames, copied int64, err error) {
	var busy int64
	if err := c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &copied); err != nil {
		return 0, 0, fmt.Errorf("wal_checkpoint: %w", err)
	}
	if logFrames > 0 {
		c.passes.Add(1)
	}
	return logFrames, copied, nil
}

// stop ends the checkpointer and closes its connection (closing, SQLite
// checkpoints what is left when it is the database's last connection).
func (c *checkpointer) stop() error {
	if c == nil {
		return nil
	}
	select {
	case <-c.quit:
	default:
		close(c.quit)
	}
	<-c.exited
	return c.conn.Close()
}
