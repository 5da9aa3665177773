// Package sqldb implements the services of package redress on database/sql,
// for SQLite (the embedded default) and, through the same SQL, PostgreSQL.
// Every engine difference lives in dialect.go.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"redress"
)

//go:embed migrations
var migrations embed.FS

// DB is an open Redress database: one write connection (SQLite has a single
// writer; funnelling writes through one connection avoids lock contention),
// a pool of readers, the keyring for personal data, and an injected clock.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect dialect
	keys    atomic.Pointer[redress.Keyring]
	log     *slog.Logger

	// loadKeys, when set, reads the key file again; used when a sealed value
	// names a key version this process has not loaded (after a rotation).
	loadKeys func() (*redress.Keyring, error)

	// Now is the clock; tests replace it. Times are truncated to microseconds,
	// the precision stored.
	Now func() time.Time
}

// Open connects to the database named by dsn (a SQLite path or file: URL) and
// checks that it answers. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, keys *redress.Keyring, log *slog.Logger) (*DB, error) {
	if keys == nil {
		return nil, errors.New("sqldb: open: a keyring is required")
	}
	d, err := dialectFor(dsn)
	if err != nil {
		return nil, err
	}
	writeDSN, readDSN := sqliteDSNs(dsn)
	write, err := sql.Open(d.driver, writeDSN)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open writer: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open(d.driver, readDSN)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqldb: open readers: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	db := &DB{write: write, read: read, dialect: d, log: log, Now: time.Now}
	db.keys.Store(keys)
	// The first connection of the writer creates the file and switches it to WAL.
	if err := write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: connect to %s: %w", d.name, err)
	}
	return db, nil
}

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

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqldb: ping: %w", err)
	}
	return nil
}

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// Migrate applies the embedded migrations of the engine that are not yet
// applied, each in its own transaction, and returns how many it applied.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
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
	applied := 0
	for _, name := range names {
		version := strings.TrimSuffix(name, ".sql")
		done, err := db.migrationApplied(ctx, version)
		if err != nil {
			return applied, err
		}
		if done {
			continue
		}
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return applied, fmt.Errorf("sqldb: migrate: %w", err)
		}
		err = db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("apply %s: %w", name, err)
			}
			_, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
				version, timeText(db.now()))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("sqldb: migrate: %w", err)
		}
		applied++
	}
	return applied, nil
}

func (db *DB) migrationApplied(ctx context.Context, version string) (bool, error) {
	var n int
	err := db.write.QueryRowContext(ctx, db.dialect.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqldb: migrate: %w", err)
	}
	return n > 0, nil
}

// inTx runs fn in a write transaction and commits it when fn returns nil.
// With synchronous=FULL, a returned nil means the change is on disk.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
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
