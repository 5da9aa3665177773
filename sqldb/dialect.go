package sqldb

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// dialect holds every difference between the database engines. Nothing
// outside this file may branch on the engine.
type dialect struct {
	name       string // "sqlite" or "postgres": also the migrations folder
	driver     string // database/sql driver name
	forUpdate  string // row-lock suffix for a SELECT inside a write transaction
	uniqueText string // text of a unique-constraint violation in the driver's error
}

var sqlite = dialect{
	name:       "sqlite",
	driver:     "sqlite",
	forUpdate:  "", // one writer at a time: BEGIN IMMEDIATE already serialises
	uniqueText: "UNIQUE constraint failed",
}

// dialectFor picks the engine from a DSN: postgres:// or postgresql:// is
// PostgreSQL; anything else is a SQLite file path or file: URL.
func dialectFor(dsn string) (dialect, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return dialect{}, fmt.Errorf("PostgreSQL DSNs are not supported by this build yet; use a SQLite file path")
	}
	return sqlite, nil
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
	return err != nil && strings.Contains(err.Error(), d.uniqueText)
}

// sqliteDSNs returns the DSNs of the single write connection and of the
// reader pool for a SQLite database file: WAL so readers never block the
// writer, synchronous=FULL so a committed case is on disk, foreign keys on,
// a busy timeout, and BEGIN IMMEDIATE for writes so that a transaction that
// reads then writes never fails to upgrade its lock.
func sqliteDSNs(dsn string) (write, read string) {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	common := "_pragma=" + url.QueryEscape("journal_mode(WAL)") +
		"&_pragma=" + url.QueryEscape("synchronous(FULL)") +
		"&_pragma=" + url.QueryEscape("foreign_keys(1)") +
		"&_pragma=" + url.QueryEscape("busy_timeout(10000)")
	return "file:" + path + "?" + common + "&_txlock=immediate",
		"file:" + path + "?" + common + "&_pragma=" + url.QueryEscape("query_only(1)")
}
