package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// demoStateKey is the settings row where the demo command keeps how far it
// got: "loading" from its first write, "loaded" once the bank is whole.
const demoStateKey = "demo_load"

// DemoLoadState reads the demo command's marker: "" when no demo load ever
// started, "loading" when one started and did not finish, "loaded".
func (db *DB) DemoLoadState(ctx context.Context) (string, error) {
	var state string
	err := db.reads().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, demoStateKey).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqldb: demo load state: %w", err)
	}
	return state, nil
}

// SetDemoLoadState writes the demo command's marker. It is the operator's
// record of a load in progress, not the bank's data: no audit event.
func (db *DB) SetDemoLoadState(ctx context.Context, state string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, demoStateKey, state, timeText(db.now()))
		return err
	})
}

// BootstrapOnly reports whether the database holds only what Bootstrap
// writes: no case, no unit but head office, no user but admin. The demo bank
// loads only into such a database, so that a load that stopped halfway can
// be undone by emptying it.
func (db *DB) BootstrapOnly(ctx context.Context) (bool, error) {
	var cases, units, users int
	err := db.reads().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM org_units),
		(SELECT COUNT(*) FROM users WHERE login <> 'admin')`).Scan(&cases, &units, &users)
	if err != nil {
		return false, fmt.Errorf("sqldb: is the database empty: %w", err)
	}
	return cases == 0 && units <= 1 && users == 0, nil
}

// ErrNotPostgres is EmptyPostgres's answer for a SQLite database (the demo
// stages its load in a copy there instead).
var ErrNotPostgres = errors.New("sqldb: only a PostgreSQL database is emptied in place")

// EmptyPostgres drops every table of the PostgreSQL database's public schema
// and migrates it again: a fresh database. The demo command calls it only
// for a database that held nothing but the bootstrap before a load that
// stopped halfway (DemoLoadState "loading").
func (db *DB) EmptyPostgres(ctx context.Context) error {
	if db.dialect.name != "postgres" {
		return ErrNotPostgres
	}
	if _, err := db.write.ExecContext(ctx, `DROP SCHEMA public CASCADE`); err != nil {
		return fmt.Errorf("sqldb: empty the database: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, `CREATE SCHEMA public`); err != nil {
		return fmt.Errorf("sqldb: empty the database: %w", err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("sqldb: empty the database: %w", err)
	}
	return nil
}
