// Package sqldb implements the services of package redress on database/sql,
// for SQLite (the embedded default) and, through the same SQL, PostgreSQL.
// Every engine difference lives in dialect.go.
package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"redress"
)

//go:embed migrations
var migrations embed.FS

// DB is an open Redress database: the pool that writes and the pool that
// reads (on SQLite one write connection, since SQLite has a single writer,
// and a pool of readers; on PostgreSQL one pool for both), the keyring for
// personal data, and an injected clock. Several DBs, in one process or in
// several servers, may share one database: everything they coordinate on
// lives in it.
type DB struct {
	// pseudonymKey keys the pseudonyms of anonymised cases' blind indexes
	// (retention.go pseudonym): random, in memory only, never stored.
	pseudonymKey [32]byte

	write   *sql.DB
	read    *sql.DB
	dialect dialect
	keys    atomic.Pointer[redress.Keyring]
	log     *slog.Logger

	// writeStmts and readStmts keep each pool's prepared statements
	// (stmt_cache.go); nil on PostgreSQL, whose driver keeps its own.
	writeStmts, readStmts *stmtCache

	// batch shares commits between concurrent intakes (group commit).
	batch *committer
	// upkeep runs the engine's housekeeping beside the writer (upkeep.go).
	upkeep *upkeep

	// hashes bounds the password hashes running at once (password.go).
	hashes *hashGate
	// cost is the cost of the password hashes made, and dummyHash the hash
	// an unknown login is checked against, of the same cost
	// (SetPasswordCost).
	cost      PasswordCost
	dummyHash string

	// statements counts the SQL statements run through Tx and the pools:
	// what an operation costs, for tests and the architecture notes.
	statements atomic.Int64

	// The deadline engine in force, cached (deadline.go).
	deadlineCache deadlineCache

	// The embedded holiday calendars, parsed once.
	embeddedOnce sync.Once
	embedded     redress.Calendars
	embeddedErr  error

	// loadKeys, when set, reads the key file again; used when a sealed value
	// names a key version this process has not loaded (after a rotation).
	loadKeys func() (*redress.Keyring, error)

	// Now is the clock; tests replace it. Times are truncated to microseconds,
	// the precision stored.
	Now func() time.Time
}

// Open connects to the database named by dsn — a SQLite path or file: URL,
// or a postgres:// or postgresql:// URL — and checks that it answers. It does
// not migrate; call Migrate.
func Open(ctx context.Context, dsn string, keys *redress.Keyring, log *slog.Logger) (*DB, error) {
	if keys == nil {
		return nil, errors.New("sqldb: open: a keyring is required")
	}
	d := dialectFor(dsn)
	write, read, err := d.open(dsn)
	if err != nil {
		return nil, err
	}
	db := &DB{write: write, read: read, dialect: d, log: log, Now: time.Now}
	if d.prepares {
		db.writeStmts, db.readStmts = newStmtCache(write), newStmtCache(read)
	}
	if _, err := rand.Read(db.pseudonymKey[:]); err != nil {
		return nil, fmt.Errorf("sqldb: open: %w", err)
	}
	db.batch = newCommitter(db)
	db.hashes = newHashGate(DefaultHashMemory)
	db.cost, db.dummyHash = DefaultPasswordCost, dummyHash
	db.keys.Store(keys)
	// The first connection of the SQLite writer creates the file and switches it to WAL.
	if err := write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: connect to %s: %w", d.name, err)
	}
	if err := d.check(ctx, write, log); err != nil {
		db.Close()
		return nil, err
	}
	upkeepDSN, statement, every := d.upkeep(dsn)
	if db.upkeep, err = startUpkeep(d.driver, upkeepDSN, statement, every, log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// RedactDSN returns a DSN fit for a log line: a PostgreSQL URL's password is
// replaced by xxxxx.
func RedactDSN(dsn string) string { return dialectFor(dsn).redact(dsn) }

// SetKeyLoader sets how to read the key file again after a rotation by
// another process.
func (db *DB) SetKeyLoader(load func() (*redress.Keyring, error)) { db.loadKeys = load }

// ReloadKeys reads the key file again, if a loader is set, and swaps the keyring.
func (db *DB) ReloadKeys() error {
	if db.loadKeys == nil {
		return errors.New("no key loader")
	}
	ring, err := db.loadKeys()
	if err != nil {
		return fmt.Errorf("reload keys: %w", err)
	}
	db.keys.Store(ring)
	return nil
}

// keyring returns the current keyring.
func (db *DB) keyring() *redress.Keyring { return db.keys.Load() }

// open decrypts a sealed value, reloading the keys once when it was sealed
// under a version this process does not know yet.
func (db *DB) open(sealed, aad string) (string, error) {
	value, err := db.keyring().Open(sealed, aad)
	var missing *redress.MissingKeyError
	if errors.As(err, &missing) && db.loadKeys != nil {
		if rerr := db.ReloadKeys(); rerr != nil {
			return "", errors.Join(err, rerr)
		}
		return db.keyring().Open(sealed, aad)
	}
	return value, err
}

// Close closes both pools (closing a pool twice, where they are one, is harmless).
func (db *DB) Close() error {
	db.batch.stop() // after the batch in progress; queued intakes are refused
	return errors.Join(db.upkeep.stop(), db.writeStmts.close(), db.readStmts.close(), db.read.Close(), db.write.Close())
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.reads().QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqldb: ping: %w", err)
	}
	return nil
}

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// Migrate applies the embedded migrations of the engine that are not yet
// applied, each in its own transaction, and returns how many it applied.
// Several servers may migrate one database at once: each transaction takes
// the dialect's setup lock and checks again, inside it, that its migration
// is still to do.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	if db.dialect.name == "sqlite" {
		// The index builds of a migration sort whole tables: in temporary
		// files, not in the writer's memory (sqliteDSNs), while it runs. The
		// writer is one connection, so the setting is that connection's.
		if _, err := db.write.ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
			return 0, fmt.Errorf("sqldb: migrate: %w", err)
		}
		defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = MEMORY`)
	}
	err := db.setupTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqldb: migrate: %w", err)
	}
	dir := "migrations/" + db.dialect.name
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return 0, fmt.Errorf("sqldb: migrate: %w", err)
	}
	names := []string{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	applied, reindex := 0, false
	for _, name := range names {
		version := strings.TrimSuffix(name, ".sql")
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return applied, fmt.Errorf("sqldb: migrate: %w", err)
		}
		done := false
		err = db.setupTx(ctx, func(tx *Tx) error {
			var n int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n)
			if err != nil || n > 0 {
				done = n > 0
				return err
			}
			// Without arguments, both drivers run a file of several statements.
			if err := tx.execScript(ctx, string(body)); err != nil {
				return fmt.Errorf("apply %s: %w", name, err)
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
				version, timeText(db.now()))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("sqldb: migrate: %w", err)
		}
		if !done {
			applied++
			reindex = reindex || version == searchMigration
		}
	}
	// The cases already stored are indexed once every migration is in, so
	// that they are read with the columns of the current schema.
	if reindex {
		if _, err := db.ReindexSearch(ctx); err != nil {
			return applied, fmt.Errorf("sqldb: migrate: %w", err)
		}
	}
	return applied, nil
}

// searchMigration creates the search index; the cases already stored are
// indexed in Go after the last migration.
const searchMigration = "0005_search"

// setupTx runs fn in a write transaction that first takes the dialect's
// setup lock: the transactions that set up a database (migrations, the
// bootstrap) run one at a time, also across servers.
func (db *DB) setupTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if db.dialect.setupLock != "" {
			if _, err := tx.ExecContext(ctx, db.dialect.setupLock); err != nil {
				return fmt.Errorf("take the setup lock: %w", err)
			}
		}
		return fn(tx)
	})
}

// timeLayout is the stored form of a time: UTC, fixed width, so that text
// order is time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func timeText(t time.Time) string { return t.UTC().Format(timeLayout) }

func nullTimeText(t *time.Time) any {
	if t == nil {
		return nil
	}
	return timeText(*t)
}

// parseTime reads a stored time and presents it in Beijing time, the zone
// every answer shows.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t.In(redress.Beijing), nil
}

func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
