// Package sqldbtest runs a package's database tests on every engine the
// store supports: SQLite always, and PostgreSQL when REDRESS_TEST_POSTGRES
// holds the URL of a server (make test starts a throwaway one). Each test
// gets a database of its own: a new, empty one, or a copy of a template.
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
// Migrating a database and bootstrapping it (an argon2id hash of 64 MiB) cost
// far more than most tests, so a fixture builds a template once per engine
// run and gives each test a copy (safe in parallel tests):
//
//	dsn := engine.Clone(t, "bank", func(dsn string) error {
//		// open dsn, migrate, bootstrap, create the units and users; close it
//	})
//
// CloneWith does the same for a build that returns what the tests need
// besides the database, such as the secrets of the API tokens it issued.
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
	"flag"
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
	// templates are the template databases built on this engine, shared by
	// every copy of the Engine; nil for an Engine made by hand.
	templates *templates
	// disk keeps the SQLite test databases on disk (OnDisk).
	disk bool
}

// OnDisk returns the engine with its SQLite test databases in t.TempDir(),
// on disk, even where TempDir would put them in memory: for a test that
// needs the latency of a real fsync, such as one that checks that
// concurrent commits come to share one.
func (e Engine) OnDisk() Engine {
	e.disk = true
	return e
}

// dir returns a new directory for a SQLite test database of e.
func (e Engine) dir(t testing.TB) string {
	t.Helper()
	if e.disk {
		return t.TempDir()
	}
	return TempDir(t)
}

// Engines returns the engines to test on: SQLite, and PostgreSQL when
// PostgresEnv is set. With CI=true a missing PostgreSQL is an error: CI runs
// every store and API test on both engines, and a test skipped there is a
// failure.
func Engines() ([]Engine, error) {
	engines := []Engine{{Name: SQLite, templates: newTemplates()}}
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
	return append(engines, Engine{Name: Postgres, server: server, templates: newTemplates()}), nil
}

// Main runs the tests of a package once per engine of Engines, setting
// *current to the engine before each run, removes the engine's templates
// after its run, and returns the exit code for os.Exit: non-zero if any run
// failed or a template could not be removed.
//
// A fuzzing run (go test -fuzz, and the workers it starts) runs once, on
// SQLite: a fuzz target may run only once per process, and the targets
// fuzz decoders, not the engines.
func Main(m *testing.M, current *Engine) int {
	fuzz := fuzzing()
	engines, err := Engines()
	if fuzz {
		engines, err = []Engine{{Name: SQLite, templates: newTemplates()}}, nil
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if len(engines) == 1 && !fuzz {
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
		if err := e.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	return code
}

// fuzzing reports whether the test binary was started to fuzz (-test.fuzz)
// or as a fuzzing worker.
func fuzzing() bool {
	if !flag.Parsed() {
		flag.Parse() // the testing flags are registered before TestMain runs
	}
	fuzz, worker := flag.Lookup("test.fuzz"), flag.Lookup("test.fuzzworker")
	return (fuzz != nil && fuzz.Value.String() != "") || (worker != nil && worker.Value.String() == "true")
}

// NewDatabase returns the DSN of a new, empty database, removed when the
// test ends: for SQLite a file in TempDir(t) (see OnDisk); for PostgreSQL a
// database redress_test_<random> created from template0 with a UTF-8
// encoding, ctype and collation, dropped in t.Cleanup (also while
// connections to it remain).
func (e Engine) NewDatabase(t testing.TB) string {
	t.Helper()
	if e.Name == SQLite {
		t.Logf("engine %s", e.Name)
		return filepath.Join(e.dir(t), "redress.db")
	}
	name, dsn, err := e.createDatabase("redress_test_", "template0")
	if err != nil {
		t.Fatal(err)
	}
	e.dropAtCleanup(t, name)
	t.Logf("engine %s, database %s", e.Name, name)
	return dsn
}

// createDatabase creates a PostgreSQL database named prefix<random> as a
// copy of template (template0 for an empty one), with the UTF-8 encoding,
// ctype and collation that Redress needs, and returns its name and DSN.
func (e Engine) createDatabase(prefix, template string) (name, dsn string, err error) {
	random := make([]byte, 8)
	if _, err := rand.Read(random); err != nil {
		return "", "", fmt.Errorf("sqldbtest: database name: %w", err)
	}
	name = prefix + hex.EncodeToString(random)
	if dsn, err = withDatabase(e.server, name); err != nil {
		return "", "", err
	}
	err = e.admin(`CREATE DATABASE ` + name + ` TEMPLATE ` + template + e.templates.copyStrategy(e.server) +
		` ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'`)
	if err != nil {
		return "", "", fmt.Errorf("sqldbtest: create database %s from %s: %w", name, template, err)
	}
	return name, dsn, nil
}

// dropAtCleanup drops the PostgreSQL database name when the test ends, also
// while connections to it remain.
func (e Engine) dropAtCleanup(t testing.TB, name string) {
	t.Cleanup(func() {
		if err := e.admin(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("sqldbtest: drop the test database %s: %v", name, err)
		}
	})
}

// admin runs one statement on the PostgreSQL server, outside any database
// under test, on the engine's own pool when it has one.
func (e Engine) admin(statement string) error {
	db := e.templates.adminPool(e.server)
	if db == nil {
		opened, err := sql.Open("pgx", e.server)
		if err != nil {
			return err
		}
		defer opened.Close()
		db = opened
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := db.ExecContext(ctx, statement)
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
