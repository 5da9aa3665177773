package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// dialect holds every difference between the database engines. Nothing
// outside this file may branch on the engine.
//
// The SQL itself is one text for both: ? placeholders (rebound to $n for
// PostgreSQL), times and dates as fixed-width text, flags compared with a Go
// bool parameter (INTEGER 0/1 in SQLite, BOOLEAN in PostgreSQL), INSERT …
// ON CONFLICT and RETURNING, which both engines speak.
type dialect struct {
	name   string // "sqlite" or "postgres": also the migrations folder
	driver string // database/sql driver name

	// forUpdate is the row-lock suffix for a SELECT inside a write
	// transaction that reads a row it will change.
	forUpdate string
	// skipLocked is the row-lock suffix for the SELECT that picks a claim's
	// batch: rows that another transaction holds are left to it, and the
	// claimer takes the next ones.
	skipLocked string
	// setupLock, when not empty, is run first in each transaction that sets
	// a database up (a migration, the bootstrap), so that several servers
	// starting at once on an empty database do it one at a time.
	setupLock string
	// exportJobsLock, when not empty, is run first in the transaction that
	// starts an export job, so that concurrent starts count the running
	// jobs one at a time (the limits hold).
	exportJobsLock string
	// snapshot starts a read transaction that sees one state of the
	// database throughout (for verifying the audit chain while it grows).
	snapshot *sql.TxOptions
	// prepares is whether the store keeps its statements prepared
	// (stmtCache): SQLite's driver compiles each statement run without one;
	// pgx keeps a cache per connection of its own.
	prepares bool
}

var sqlite = dialect{
	name:       "sqlite",
	driver:     "sqlite",
	forUpdate:  "",  // one writer at a time: BEGIN IMMEDIATE already serialises
	skipLocked: "",  // likewise
	setupLock:  "",  // likewise
	snapshot:   nil, // a deferred read transaction in WAL mode keeps the snapshot of its first read
	prepares:   true,

	exportJobsLock: "", // likewise
}

// setupLockKey is the advisory lock taken by the transactions that set a
// PostgreSQL database up: "redress" in ASCII.
const setupLockKey = 0x72656472657373

var postgres = dialect{
	name:       "postgres",
	driver:     "pgx",
	forUpdate:  " FOR UPDATE",
	skipLocked: " FOR UPDATE SKIP LOCKED",
	setupLock:  "SELECT pg_advisory_xact_lock(" + strconv.Itoa(setupLockKey) + ")",
	snapshot:   &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},

	exportJobsLock: "SELECT pg_advisory_xact_lock(" + strconv.Itoa(setupLockKey+1) + ")",
}

// dialectFor picks the engine from a DSN: postgres:// or postgresql:// is
// PostgreSQL; anything else is a SQLite file path or file: URL.
func dialectFor(dsn string) dialect {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres
	}
	return sqlite
}

// postgresPoolSize is the number of connections one server keeps open to
// PostgreSQL at most.
const postgresPoolSize = 20

// open connects to the database of dsn and returns the pool that writes
// and the pool that reads. SQLite has a single writer: funnelling writes
// through one connection avoids lock contention, and a pool of query-only
// readers never blocks it. PostgreSQL has row locks and MVCC: one pool does
// both.
func (d dialect) open(dsn string) (write, read *sql.DB, err error) {
	if d.name == "postgres" {
		pool, err := sql.Open(d.driver, dsn)
		if err != nil {
			return nil, nil, fmt.Errorf("sqldb: open: %w", err)
		}
		pool.SetMaxOpenConns(postgresPoolSize)
		pool.SetMaxIdleConns(postgresPoolSize / 2)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		return pool, pool, nil
	}
	writeDSN, readDSN, _ := sqliteDSNs(dsn)
	write, err = sql.Open(d.driver, writeDSN)
	if err != nil {
		return nil, nil, fmt.Errorf("sqldb: open writer: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err = sql.Open(d.driver, readDSN)
	if err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("sqldb: open readers: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return write, read, nil
}

// check verifies, after connecting, that the database can hold what Redress
// stores. A PostgreSQL database must be UTF-8 (Chinese text); its character
// classification (ctype) should be UTF-8 too, or pg_trgm sees no Chinese
// characters: create it with ENCODING 'UTF8' LC_CTYPE 'C.UTF-8'.
func (d dialect) check(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	if d.name != "postgres" {
		return nil
	}
	var name, encoding, ctype string
	err := db.QueryRowContext(ctx, `SELECT current_database(), pg_encoding_to_char(encoding), datctype
		FROM pg_database WHERE datname = current_database()`).Scan(&name, &encoding, &ctype)
	if err != nil {
		return fmt.Errorf("sqldb: read the database's encoding: %w", err)
	}
	if encoding != "UTF8" {
		return fmt.Errorf("sqldb: database %s has encoding %s: Redress needs UTF8 (CREATE DATABASE … ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0)", name, encoding)
	}
	if c := strings.ToLower(ctype); !strings.Contains(c, "utf-8") && !strings.Contains(c, "utf8") && log != nil {
		log.Warn("the database's ctype is not UTF-8: text search will not see Chinese characters", "database", name, "ctype", ctype)
	}
	return nil
}

// redact returns dsn fit for a log line: a PostgreSQL URL without its
// password.
func (d dialect) redact(dsn string) string {
	if d.name != "postgres" {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a PostgreSQL URL that does not parse)"
	}
	return u.Redacted()
}

// rebind turns the ? placeholders of our one SQL text into the engine's own.
func (d dialect) rebind(query string) string {
	if d.name != "postgres" {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isUnique reports whether err is a unique-constraint violation.
func (d dialect) isUnique(err error) bool {
	if err == nil {
		return false
	}
	if d.name == "postgres" {
		var pgErr *pgconn.PgError
		return errors.As(err, &pgErr) && pgErr.Code == "23505" // unique_violation
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// sqliteDSNs returns the DSNs of the single write connection and of the
// reader pool for a SQLite database file: WAL so readers never block the
// writer, synchronous=FULL so a committed case is on disk, foreign keys on,
// a busy timeout, and BEGIN IMMEDIATE for writes so that a transaction that
// reads then writes never fails to upgrade its lock. The writer keeps its
// temporary files in memory (temp_store): a statement inside a transaction
// that may fail a constraint half-way keeps a journal of the pages it
// changed, and a case's INSERT changes a page of each of its indexes, past
// the 64 KiB SQLite holds in memory before it spills to a file, so each
// intake wrote and read back a temporary file (a sixth of the committer's
// time). Migrate, whose index builds sort whole tables, sets it back to
// files while it runs.
//
// The writer leaves copying the write-ahead log into the database file to
// the upkeep's connection (upkeep.go), which does it beside the writer, off
// the commits; the writer checkpoints itself only when the log has grown
// past writerCheckpointPages (the upkeep fell behind).
func sqliteDSNs(dsn string) (write, read, checkpoint string) {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	common := "_pragma=" + url.QueryEscape("journal_mode(WAL)") +
		"&_pragma=" + url.QueryEscape("synchronous(FULL)") +
		"&_pragma=" + url.QueryEscape("foreign_keys(1)") +
		"&_pragma=" + url.QueryEscape("busy_timeout(10000)")
	return "file:" + path + "?" + common + "&_pragma=" + url.QueryEscape("temp_store(MEMORY)") +
			"&_pragma=" + url.QueryEscape("wal_autocheckpoint("+strconv.Itoa(writerCheckpointPages)+")") + "&_txlock=immediate",
		"file:" + path + "?" + common + "&_pragma=" + url.QueryEscape("query_only(1)"),
		"file:" + path + "?" + common
}

// upkeep returns the engine's housekeeping that runs beside the writer, on
// a connection of its own (upkeep.go): the DSN of that connection, the
// statement, and how often it runs. SQLite checkpoints its write-ahead log;
// PostgreSQL merges the search index's pending entries into its GIN tree.
func (d dialect) upkeep(dsn string) (conn, statement string, every time.Duration) {
	if d.name == "postgres" {
		return dsn, `SELECT gin_clean_pending_list('case_search_body')`, time.Second
	}
	_, _, checkpoint := sqliteDSNs(dsn)
	return checkpoint, `PRAGMA wal_checkpoint(PASSIVE)`, 500 * time.Millisecond
}

// rowInserter runs an INSERT: a transaction, or a statement prepared from
// the query (which it then ignores).
type rowInserter interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// insertIDQuery is query, an INSERT of one row into a table keyed by id,
// as insertedID runs it: on PostgreSQL with RETURNING id. SQLite needs no
// clause: its connection keeps the rowid it last inserted, and a RETURNING
// clause costs its INSERT a temporary table of the rows returned (a case's
// row took half as long again to insert with one).
func (d dialect) insertIDQuery(query string) string {
	if d.name == "postgres" {
		return query + ` RETURNING id`
	}
	return query
}

// insertedID runs query (see insertIDQuery) on q and returns the id of the
// row it inserted.
func (d dialect) insertedID(ctx context.Context, q rowInserter, query string, args ...any) (int64, error) {
	var id int64
	if d.name == "postgres" {
		err := q.QueryRowContext(ctx, d.insertIDQuery(query), args...).Scan(&id)
		return id, err
	}
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// searchReplace returns the statements that remove and add a case's search
// document: an FTS5 table on SQLite, a tsvector with a GIN index on
// PostgreSQL. The document is the case's text as SearchTerms splits it,
// joined by spaces.
func (d dialect) searchReplace() (remove, add string) {
	head, row := d.searchInsert()
	if d.name == "postgres" {
		return `DELETE FROM case_search WHERE case_id = ?`, head + ` VALUES ` + row
	}
	return `DELETE FROM case_fts WHERE rowid = ?`, head + ` VALUES ` + row
}

// searchInsert returns the INSERT of search documents up to its VALUES and
// the values of one document (its case id and its text), so that a batch
// can insert several in one statement (batchWrites.write).
func (d dialect) searchInsert() (head, row string) {
	if d.name == "postgres" {
		return `INSERT INTO case_search (case_id, body)`, `(?, to_tsvector('simple', ?))`
	}
	return `INSERT INTO case_fts (rowid, body)`, `(?, ?)`
}

// searchMatch returns the FROM and WHERE clauses (cases aliased c) and the
// ORDER BY that find the documents holding the terms as a phrase, newest
// case first, and the argument for the match. Reading in case-ID order
// straight off the index lets a LIMIT stop early even for a frequent term.
func (d dialect) searchMatch(terms []string) (from, where, order string, arg any) {
	phrase := strings.Join(terms, " ")
	if d.name == "postgres" {
		return `case_search s JOIN cases c ON c.id = s.case_id`, `s.body @@ phraseto_tsquery('simple', ?)`, `s.case_id DESC`, phrase
	}
	return `case_fts JOIN cases c ON c.id = case_fts.rowid`, `case_fts MATCH ?`, `case_fts.rowid DESC`, `"` + phrase + `"`
}

// searchAny is searchMatch for the documents holding any of the terms
// (repeat candidates by a similar text). The terms are SearchTerms (Han
// bigrams, words of letters and digits), so neither quoting can break.
func (d dialect) searchAny(terms []string) (from, where, order string, arg any) {
	if d.name == "postgres" {
		return `case_search s JOIN cases c ON c.id = s.case_id`, `s.body @@ to_tsquery('simple', ?)`, `s.case_id DESC`,
			"'" + strings.Join(terms, "' | '") + "'"
	}
	return `case_fts JOIN cases c ON c.id = case_fts.rowid`, `case_fts MATCH ?`, `case_fts.rowid DESC`,
		`"` + strings.Join(terms, `" OR "`) + `"`
}

// beijingDate is the SQL for the Beijing date (YYYY-MM-DD) of a stored time
// (fixed-width UTC text); Beijing keeps UTC+8 all year.
func (d dialect) beijingDate(col string) string {
	if d.name == "postgres" {
		return `to_char(CAST(` + col + ` AS TIMESTAMPTZ) AT TIME ZONE 'UTC' + INTERVAL '8 hours', 'YYYY-MM-DD')`
	}
	return `date(` + col + `, '+8 hours')`
}

// daysBetween is the SQL for the whole days from one stored time (fixed-width
// UTC text) to another.
func (d dialect) daysBetween(from, to string) string {
	if d.name == "postgres" {
		return `CAST(EXTRACT(EPOCH FROM (CAST(` + to + ` AS TIMESTAMPTZ) - CAST(` + from + ` AS TIMESTAMPTZ))) / 86400 AS INTEGER)`
	}
	return `CAST(julianday(` + to + `) - julianday(` + from + `) AS INTEGER)`
}
