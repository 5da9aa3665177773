package sqldbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// engines returns the engines of this run.
func engines(t *testing.T) []Engine {
	t.Helper()
	list, err := Engines()
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// exec runs statements on the database of dsn with the engine's driver.
func exec(e Engine, dsn string, statements ...string) error {
	db, err := sql.Open(map[string]string{SQLite: "sqlite", Postgres: "pgx"}[e.Name], dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, s := range statements {
		if _, err := db.Exec(s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// notes returns the rows of table notes in the database of dsn.
func notes(t *testing.T, e Engine, dsn string) string {
	t.Helper()
	rows, err := e.Raw(t, dsn).Query(`SELECT body FROM notes ORDER BY body`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		got = append(got, body)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(got, ",")
}

// TestClone: a template is built once however many tests ask for it at once;
// every copy holds what the build wrote (on SQLite also what was still only
// in the write-ahead log of a connection the build left open) and the
// build's value; a copy changes neither the template nor another copy; and
// Close removes the templates.
func TestClone(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			var builds atomic.Int32
			var leftOpen *sql.DB
			build := func(dsn string) (string, error) {
				builds.Add(1)
				if err := exec(e, dsn, `CREATE TABLE notes (body TEXT NOT NULL)`, `INSERT INTO notes VALUES ('made')`); err != nil {
					return "", err
				}
				if e.Name == SQLite {
					// A connection in WAL mode that is still open: its last
					// write is in the -wal file, not yet in the database file.
					db, err := sql.Open("sqlite", "file:"+dsn+"?_pragma=journal_mode(WAL)")
					if err != nil {
						return "", err
					}
					if _, err := db.Exec(`INSERT INTO notes VALUES ('in the log')`); err != nil {
						return "", err
					}
					leftOpen = db
				}
				return "secret-" + e.Name, nil
			}
			want := "made"
			if e.Name == SQLite {
				want = "in the log,made"
			}
			dsns := make([]string, 6)
			t.Run("copies", func(t *testing.T) { // returns when its parallel tests are done
				for i := range dsns {
					t.Run(fmt.Sprint(i), func(t *testing.T) {
						t.Parallel()
						dsn, value := CloneWith(t, e, "notes", build)
						if value != "secret-"+e.Name {
							t.Errorf("value %q", value)
						}
						if got := notes(t, e, dsn); got != want {
							t.Errorf("copy %d holds %q, want %q", i, got, want)
						}
						if err := exec(e, dsn, fmt.Sprintf(`INSERT INTO notes VALUES ('copy %d')`, i)); err != nil {
							t.Fatal(err)
						}
						if got := notes(t, e, dsn); got != fmt.Sprintf("copy %d,", i)+want {
							t.Errorf("copy %d after its write holds %q", i, got)
						}
						dsns[i] = dsn
					})
				}
			})
			if leftOpen != nil {
				leftOpen.Close()
			}
			if n := builds.Load(); n != 1 {
				t.Errorf("the template was built %d times, want once", n)
			}
			if dsns[0] == dsns[1] {
				t.Errorf("two tests got the same database %s", dsns[0])
			}
			// A later test gets the template as built, not as a copy left it.
			t.Run("later", func(t *testing.T) {
				later, _ := CloneWith(t, e, "notes", func(string) (string, error) { return "", errors.New("built twice") })
				if got := notes(t, e, later); got != want {
					t.Errorf("a later copy holds %q, want %q", got, want)
				}
			})
			ts := e.templates
			t.Logf("CREATE DATABASE strategy:%q", ts.copyStrategy(e.server))
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			if e.Name == SQLite {
				if _, err := os.Stat(ts.dir); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the template directory %s outlives Close: %v", ts.dir, err)
				}
				return
			}
			var left int
			err := e.Raw(t, e.server).QueryRowContext(context.Background(),
				`SELECT COUNT(*) FROM pg_database WHERE datname = $1`, ts.byKey["notes"].name).Scan(&left)
			if err != nil || left != 0 {
				t.Errorf("the template database outlives Close: %d %v", left, err)
			}
		})
	}
}

// TestCloneBuildFailure: a build that fails fails every test that asks for
// its template, with the build's error, and is not tried again.
func TestCloneBuildFailure(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			defer e.Close()
			builds := 0
			for range 2 {
				_, err := e.template("broken", func(string) (any, error) {
					builds++
					return nil, errors.New("no such table")
				})
				if err == nil || !strings.Contains(err.Error(), "no such table") {
					t.Errorf("want the build's error, got %v", err)
				}
			}
			if builds != 1 {
				t.Errorf("the failed build ran %d times", builds)
			}
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := e.template("late", func(string) (any, error) { return nil, nil }); err == nil {
				t.Error("a template was built after Close")
			}
		})
	}
}

// TestTempDir: the SQLite test databases go to memory where the system has
// room there, and to disk for an engine OnDisk.
func TestTempDir(t *testing.T) {
	t.Parallel()
	e := Engine{Name: SQLite}
	memory := memoryDir()
	if got := e.NewDatabase(t); memory != "" && !strings.HasPrefix(got, memory+"/") {
		t.Errorf("a database at %s, not under %s", got, memory)
	}
	if got := e.OnDisk().NewDatabase(t); !strings.HasPrefix(got, os.TempDir()+"/") || memory != "" && strings.HasPrefix(got, memory+"/") {
		t.Errorf("a database on disk at %s", got)
	}
	t.Logf("memory-backed directory: %q", memory)
}
