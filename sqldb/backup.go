package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// ErrBackupPostgres is Backup's answer for a PostgreSQL database, which is
// backed up with the server's own tools (pg_dump -Fc, pg_restore; see the
// README).
var ErrBackupPostgres = errors.New("sqldb: a PostgreSQL database is backed up with pg_dump --format=custom and restored with pg_restore")

// Backup writes a consistent copy of the live SQLite database at dsn to a new
// file at to, while servers keep reading and writing it: VACUUM INTO reads
// one snapshot of the database (its write-ahead log included) in a read
// transaction, which in WAL mode blocks no writer, and writes a compact
// copy. The copy is synced to disk before Backup returns. to must not exist.
func Backup(ctx context.Context, dsn, to string) error {
	d := dialectFor(dsn)
	if d.name == "postgres" {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("sqldb: backup: %s already exists", to)
	}
	path := SQLitePath(dsn)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqldb: backup: the database: %w", err)
	}
	// Not a query-only reader: SQLite counts VACUUM INTO as a write (of the
	// new file) and refuses it there. It still only reads the database.
	db, err := sql.Open(d.driver, "file:"+path+"?_pragma="+url.QueryEscape("busy_timeout(10000)"))
	if err != nil {
		return fmt.Errorf("sqldb: backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO '`+strings.ReplaceAll(to, "'", "''")+`'`); err != nil {
		return fmt.Errorf("sqldb: backup: vacuum into %s: %w", to, err)
	}
	f, err := os.OpenFile(to, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("sqldb: backup: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("sqldb: backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sqldb: backup: sync %s: %w", to, err)
	}
	return f.Close()
}

// SQLitePath is the file of a SQLite DSN: the path without a file: scheme
// or query parameters.
func SQLitePath(dsn string) string {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// EngineOf names the engine of dsn as the store sees it: "postgres" for a
// postgres:// or postgresql:// URL, else "sqlite".
func EngineOf(dsn string) string { return dialectFor(dsn).name }
