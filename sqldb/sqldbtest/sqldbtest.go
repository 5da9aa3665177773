// Package sqldbtest runs a package's database tests on every engine the
// store supports: SQLite always, and PostgreSQL when REDRESS_TEST_POSTGRES
// holds the URL of a server (make test starts a throwaway one). Each test
// gets a new, empty database of its own.
//
// A package uses it from TestMain, which runs the package's tests once per
// engine; its fixtures open the engine of the current run:
//
//	var engine sqldbtest.Engine
//
//	func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m, &engine)) }
//
//	dsn := engine.NewDatabase(t) // a SQLite file, or a PostgreSQL database
//
// It imports neither sqldb nor the root package, so that sqldb's own tests
// can use it.
package sqldbtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// PostgresEnv names the environment variable that holds the URL of the
// PostgreSQL server to test on, e.g.
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. The user must
// be allowed to create databases.
const PostgresEnv = "REDRESS_TEST_POSTGRES"

// The engines' names, as the store's dialects call them.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Engine is a database engine to run tests on.
type Engine struct {
	// Name is SQLite or Postgres.
	Name string
	// server is, for PostgreSQL, the URL of a database on the server from
	// which the test databases are created.
	server string
}

// Engines returns the engines to test on: SQLite, and PostgreSQL when
// PostgresEnv is set. With CI=true a missing PostgreSQL is an error: CI runs
// every store and API test on both engines, and a test skipped there is a
// failure.
func Engines() ([]Engine, error) {
	engines := []Engine{{Name: SQLite}}
	server := os.Getenv(PostgresEnv)
	if server == "" {
		if os.Getenv("CI") == "true" {
			return nil, fmt.Errorf("sqldbtest: %s is not set, and CI must run the tests on PostgreSQL too "+
				"(make test starts a throwaway cluster: scripts/test-postgres.sh)", PostgresEnv)
		}
		return engines, nil
	}
	if !strings.HasPrefix(server, "postgres://") && !strings.HasPrefix(server, "postgresql://") {
		return nil, fmt.Errorf("sqldbtest: %s must be a postgres:// URL", PostgresEnv)
	}
	return append(engines, Engine{Name: Postgres, server: server}), nil
}

// Main runs the tests of a package once per engine of Engines, setting
// *current to the engine before each run, and returns the exit code for
// os.Exit: non-zero if any run failed.
func Main(m *testing.M, current *Engine) int {
	engines, err := Engines()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if len(engines) == 1 {
		fmt.Fprintf(os.Stderr, "sqldbtest: %s is not set: the tests run on SQLite only\n", PostgresEnv)
	}
	code := 0
	for _, e := range engines {
		*current = e
		fmt.Printf("sqldbtest: running the tests on %s\n", e.Name)
		if c := m.Run(); c != 0 {
			fmt.Printf("sqldbtest: tests FAILED on %s\n", e.Name)
			code = c
		}
	}
	return code
}

// NewDatabase returns the DSN of a new, empty database, removed when the
// test ends: for SQLite a file in t.TempDir(); for PostgreSQL a database
// redress_test_<random> created from template0 with a UTF-8 encoding, ctype
// and collation, dropped in t.Cleanup (also while connections to it remain).
func (e Engine) NewDatabase(t testing.TB) string {
	t.Helper()
	if e.Name == SQLite {
		t.Logf("engine %s", e.Name)
		return filepath.Join(t.TempDir(), "redress.db")
	}
	random := make([]byte, 8)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	name := "redress_test_" + hex.EncodeToString(random)
	dsn, err := withDatabase(e.server, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.admin(`CREATE DATABASE ` + name + ` TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'`); err != nil {
		t.Fatalf("create the test database: %v", err)
	}
	t.Cleanup(func() {
		if err := e.admin(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
	})
	t.Logf("engine %s, database %s", e.Name, name)
	return dsn
}

// admin runs one statement on the PostgreSQL server, outside any database
// under test.
func (e Engine) admin(statement string) error {
	db, err := sql.Open("pgx", e.server)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = db.ExecContext(ctx, statement)
	return err
}

// withDatabase returns the server URL with its database replaced by name.
func withDatabase(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("%s: %w", PostgresEnv, err)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// Raw opens the database of dsn with the engine's own driver, behind the
// store's back: for tests that tamper with what the store wrote. It is
// closed when the test ends.
func (e Engine) Raw(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	driver := "pgx"
	if e.Name == SQLite {
		driver = "sqlite"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Contents returns what the database of dsn holds, for tests that check
// that a secret is never stored in clear: for SQLite the bytes of the file
// and of its write-ahead log; for PostgreSQL every value of every table in
// the public schema, text as text and bytea as its raw bytes.
func (e Engine) Contents(t testing.TB, dsn string) []byte {
	t.Helper()
	if e.Name == SQLite {
		var out []byte
		for _, path := range []string{dsn, dsn + "-wal"} {
			raw, err := os.ReadFile(path)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			out = append(out, raw...)
		}
		return out
	}
	db := e.Raw(t, dsn)
	out, err := dumpPostgres(db)
	if err != nil {
		t.Fatalf("dump the test database: %v", err)
	}
	return out
}

// dumpPostgres concatenates every value of every table of the public schema.
func dumpPostgres(db *sql.DB) ([]byte, error) {
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	for _, table := range tables {
		if err := dumpTable(ctx, db, table, &out); err != nil {
			return nil, fmt.Errorf("table %s: %w", table, err)
		}
	}
	return out.Bytes(), nil
}

func dumpTable(ctx context.Context, db *sql.DB, table string, out *bytes.Buffer) error {
	rows, err := db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return err
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return err
	}
	values := make([]any, len(columns))
	dest := make([]any, len(columns))
	for i := range values {
		dest[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for _, v := range values {
			switch v := v.(type) {
			case []byte:
				out.Write(v)
			case string:
				out.WriteString(v)
			default:
				fmt.Fprint(out, v)
			}
			out.WriteByte('\n')
		}
	}
	return rows.Err()
}
