package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"

	"redress"
)

// querier is what a store helper reads through: a write transaction (Tx)
// or the reader pool (pool). Both take the SQL in its one form, with ?
// placeholders, and rebind it for the engine themselves.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	// rebinds marks the types that rebind their SQL, so that a raw *sql.DB
	// or *sql.Tx, which would not, can never be passed for a querier.
	rebinds()
}

// Tx is one write transaction of the store. It carries what the helpers
// that run inside it need: the dialect that rebinds its SQL and, through
// its DB, the clock and the keyring. Store helpers take a *Tx (or a
// querier, when they only read) rather than a *sql.Tx, so no SQL text is
// ever rebound by hand.
type Tx struct {
	sqlTx   *sql.Tx
	dialect dialect
	db      *DB
	stmts   *stmtCache // the prepared statements of the transaction's pool; nil: none
	// batch, in a group-commit batch's transaction, collects the events,
	// deadline entries and search documents its jobs write, which the
	// batch inserts together after them (batch_writes.go); nil elsewhere:
	// each is written at once.
	batch *batchWrites
	// loaded, in a bulk loader's transaction, is the latest receipt of the
	// stored cases (latestReceipt); nil elsewhere.
	loaded *latestReceipt
}

// latestReceipt returns the latest receipt the transaction keeps, in a
// batch or a bulk load; nil: none.
func (tx *Tx) latestReceipt() *latestReceipt {
	switch {
	case tx.batch != nil:
		return &tx.batch.latest
	case tx.loaded != nil:
		return tx.loaded
	}
	return nil
}

var _ querier = (*Tx)(nil)

func (tx *Tx) rebinds() {}

// ExecContext runs a statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tx.db.statements.Add(1)
	query = tx.dialect.rebind(query)
	if st := tx.stmts.lookup(query); st != nil {
		return tx.sqlTx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.sqlTx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.db.statements.Add(1)
	query = tx.dialect.rebind(query)
	if st := tx.stmts.lookup(query); st != nil {
		return tx.sqlTx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.sqlTx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query of at most one row in the transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.db.statements.Add(1)
	query = tx.dialect.rebind(query)
	if st := tx.stmts.lookup(query); st != nil {
		return tx.sqlTx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.sqlTx.QueryRowContext(ctx, query, args...)
}

// execScript runs a file of several statements without arguments and
// without rebinding (a migration): both drivers accept that as one Exec.
func (tx *Tx) execScript(ctx context.Context, script string) error {
	_, err := tx.sqlTx.ExecContext(ctx, script)
	return err
}

// keyring returns the keyring in force.
func (tx *Tx) keyring() *redress.Keyring { return tx.db.keyring() }

// pool is the reader pool seen through the dialect: the same methods as a
// Tx, outside any write transaction.
type pool struct {
	sqlDB      *sql.DB
	dialect    dialect
	statements *atomic.Int64
	stmts      *stmtCache // the pool's prepared statements; nil: none
}

var _ querier = pool{}

func (p pool) rebinds() {}

// QueryContext runs a query on the reader pool.
func (p pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	p.statements.Add(1)
	query = p.dialect.rebind(query)
	if st := p.stmts.prepare(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.sqlDB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query of at most one row on the reader pool.
func (p pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.statements.Add(1)
	query = p.dialect.rebind(query)
	if st := p.stmts.prepare(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.sqlDB.QueryRowContext(ctx, query, args...)
}

// ExecContext runs a statement on the pool, in a transaction of its own.
func (p pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	p.statements.Add(1)
	query = p.dialect.rebind(query)
	if st := p.stmts.prepare(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.sqlDB.ExecContext(ctx, query, args...)
}

// reads returns the reader pool.
func (db *DB) reads() pool {
	return pool{sqlDB: db.read, dialect: db.dialect, statements: &db.statements, stmts: db.readStmts}
}

// readsUnprepared returns the reader pool without its statement cache, for
// a statement whose text is made for one use (a page's case ids written
// out): kept prepared, a few hundred of those, each a whole case select, on
// every reader connection, held more memory than the server has to spare.
func (db *DB) readsUnprepared() pool {
	return pool{sqlDB: db.read, dialect: db.dialect, statements: &db.statements}
}

// writes returns the writer pool, for a single statement that needs no
// transaction of its own (a touch of last-use times, an outcome).
func (db *DB) writes() pool {
	return pool{sqlDB: db.write, dialect: db.dialect, statements: &db.statements, stmts: db.writeStmts}
}

// beginTx starts a write transaction that the caller commits or rolls back
// (the bulk loader, which commits every few thousand rows).
func (db *DB) beginTx(ctx context.Context) (*Tx, error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{sqlTx: sqlTx, dialect: db.dialect, db: db, stmts: db.writeStmts}, nil
}

// commit commits the transaction, then prepares the statements it wanted.
func (tx *Tx) commit() error {
	err := tx.sqlTx.Commit()
	tx.stmts.prepareWanted(context.Background())
	return err
}

// rollback abandons the transaction.
func (tx *Tx) rollback() error { return tx.sqlTx.Rollback() }

// prepare prepares a statement in the transaction.
func (tx *Tx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	tx.db.statements.Add(1)
	return tx.sqlTx.PrepareContext(ctx, tx.dialect.rebind(query))
}

// inTx runs fn in a write transaction and commits it when fn returns nil.
// A returned nil means the change is on disk: SQLite runs with
// synchronous=FULL, PostgreSQL's commit waits for its WAL flush.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	// Once the transaction has let go of its connection, the statements it
	// ran unprepared are prepared for the next (stmtCache).
	defer db.writeStmts.prepareWanted(ctx)
	if err := fn(&Tx{sqlTx: sqlTx, dialect: db.dialect, db: db, stmts: db.writeStmts}); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// inSnapshot runs fn in a read transaction that sees one state of the
// database throughout (the dialect's snapshot options), then ends it.
func (db *DB) inSnapshot(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.read.BeginTx(ctx, db.dialect.snapshot)
	if err != nil {
		return fmt.Errorf("begin snapshot: %w", err)
	}
	defer db.readStmts.prepareWanted(ctx) // after the rollback below
	defer sqlTx.Rollback()
	return fn(&Tx{sqlTx: sqlTx, dialect: db.dialect, db: db, stmts: db.readStmts})
}
