package sqldbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// templates are the template databases of one engine in one run of a
// package's tests: built on first use, copied for every test that asks, and
// removed by Engine.Close.
type templates struct {
	mu     sync.Mutex
	byKey  map[string]*template
	dir    string  // SQLite: the directory of the template files
	pool   *sql.DB // PostgreSQL: the connection for CREATE and DROP DATABASE
	closed bool

	strategyOnce sync.Once
	strategy     string // PostgreSQL: the STRATEGY clause of CREATE DATABASE, if any
}

// template is one template database. ready is closed once it is built (or
// failed to be); until then, other tests that want it wait.
type template struct {
	ready chan struct{}
	n     int    // its number in the run, for the SQLite file names
	dsn   string // SQLite: the file; PostgreSQL: the URL (never connected to after the build)
	name  string // PostgreSQL: the database's name
	value any    // what the build returned
	err   error
}

func newTemplates() *templates { return &templates{byKey: map[string]*template{}} }

// adminPool returns the pool for statements outside the databases under
// test, opened on first use; nil when ts is nil.
func (ts *templates) adminPool(server string) *sql.DB {
	if ts == nil {
		return nil
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.pool == nil {
		// sql.Open only checks its arguments; the first statement connects.
		if pool, err := sql.Open("pgx", server); err == nil {
			ts.pool = pool
		}
	}
	return ts.pool
}

// copyStrategy returns the clause " STRATEGY FILE_COPY" when the server is
// PostgreSQL 15 or later and runs with fsync off, as the throwaway cluster of
// scripts/test-postgres.sh does, else "". Copying the template's files then
// took about half the time of the default, which WAL-logs every page (the
// system catalogs included): the two checkpoints it forces write nothing to
// disk. On a server with fsync on, the checkpoints would cost more.
func (ts *templates) copyStrategy(server string) string {
	if ts == nil {
		return ""
	}
	ts.strategyOnce.Do(func() {
		pool := ts.adminPool(server)
		if pool == nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var version int
		var fsync string
		err := pool.QueryRowContext(ctx, `SELECT current_setting('server_version_num')::int, current_setting('fsync')`).Scan(&version, &fsync)
		if err == nil && version >= 150000 && fsync == "off" {
			ts.strategy = " STRATEGY FILE_COPY"
		}
	})
	return ts.strategy
}

// Clone returns the DSN of a new database for the test, a copy of the
// template database named key, removed when the test ends like those of
// NewDatabase. The first test that asks for key builds the template: build
// receives the DSN of a new, empty database, fills it (migrates, bootstraps,
// creates what the fixture needs) and closes every connection it opened.
// Tests that ask meanwhile wait for it, so Clone is safe in parallel tests;
// a failed build fails every test that asks for key. The template is a
// consistent copy of what build left (on SQLite the write-ahead log
// included, written out with VACUUM INTO; on PostgreSQL copied with CREATE
// DATABASE … TEMPLATE, which also keeps the encoding, ctype and collation),
// and lives until Engine.Close, which Main calls after the engine's run. A
// key names one content: every build passed with the same key must make the
// same database.
func (e Engine) Clone(t testing.TB, key string, build func(dsn string) error) string {
	t.Helper()
	dsn, _ := CloneWith(t, e, key, func(dsn string) (struct{}, error) { return struct{}{}, build(dsn) })
	return dsn
}

// CloneWith is Clone for a template whose build also returns something the
// tests need and cannot read back from the database, such as the secrets of
// the API tokens it issued. Every copy receives the value of the build: it
// is shared by all tests, so a test copies it before changing it.
func CloneWith[T any](t testing.TB, e Engine, key string, build func(dsn string) (T, error)) (string, T) {
	t.Helper()
	var zero T
	tpl, err := e.template(key, func(dsn string) (any, error) { return build(dsn) })
	if err != nil {
		t.Fatalf("sqldbtest: template %q on %s: %v", key, e.Name, err)
	}
	value, ok := tpl.value.(T)
	if !ok {
		t.Fatalf("sqldbtest: template %q holds a %T, not a %T: two builds share the key", key, tpl.value, zero)
	}
	if e.Name == SQLite {
		dsn := filepath.Join(e.dir(t), "redress.db")
		if err := copyFile(tpl.dsn, dsn); err != nil {
			t.Fatalf("sqldbtest: copy template %q: %v", key, err)
		}
		t.Logf("engine %s, a copy of template %q", e.Name, key)
		return dsn, value
	}
	name, dsn, err := e.createDatabase("redress_test_", tpl.name)
	if err != nil {
		t.Fatal(err)
	}
	e.dropAtCleanup(t, name)
	t.Logf("engine %s, database %s, a copy of template %q", e.Name, name, key)
	return dsn, value
}

// template returns the template named key, built by build if it is not yet.
func (e Engine) template(key string, build func(dsn string) (any, error)) (*template, error) {
	ts := e.templates
	if ts == nil {
		return nil, errors.New("the engine has no templates: take it from Main or Engines")
	}
	ts.mu.Lock()
	if ts.closed {
		ts.mu.Unlock()
		return nil, errors.New("the engine's templates are already removed (Engine.Close)")
	}
	tpl, found := ts.byKey[key]
	if !found {
		tpl = &template{ready: make(chan struct{}), n: len(ts.byKey) + 1}
		ts.byKey[key] = tpl
	}
	ts.mu.Unlock()
	if found {
		<-tpl.ready
		return tpl, tpl.err
	}
	defer close(tpl.ready)
	tpl.err = e.buildTemplate(ts, tpl, build)
	return tpl, tpl.err
}

// buildTemplate makes the database of tpl: an empty one filled by build,
// then frozen into a template.
func (e Engine) buildTemplate(ts *templates, tpl *template, build func(dsn string) (any, error)) error {
	if e.Name == SQLite {
		ts.mu.Lock()
		if ts.dir == "" {
			dir, err := os.MkdirTemp(tempBase(), "redress-templates-")
			if err != nil {
				ts.mu.Unlock()
				return fmt.Errorf("template directory: %w", err)
			}
			ts.dir = dir
		}
		dir := ts.dir
		ts.mu.Unlock()
		work := filepath.Join(dir, fmt.Sprintf("build-%d.db", tpl.n))
		value, err := build(work)
		if err != nil {
			return fmt.Errorf("build: %w", err)
		}
		tpl.dsn, tpl.value = filepath.Join(dir, fmt.Sprintf("template-%d.db", tpl.n)), value
		if err := vacuumInto(work, tpl.dsn); err != nil {
			return err
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(work + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("remove the build: %w", err)
			}
		}
		return nil
	}
	name, dsn, err := e.createDatabase("redress_template_", "template0")
	if err != nil {
		return err
	}
	tpl.name = name // before the build: Close drops it whatever the build does
	value, err := build(dsn)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	tpl.dsn, tpl.value = dsn, value
	// CREATE DATABASE … TEMPLATE refuses a source with open connections: end
	// any the build left behind, and allow no new ones.
	if err := e.admin(`ALTER DATABASE ` + name + ` WITH ALLOW_CONNECTIONS false`); err != nil {
		return fmt.Errorf("freeze %s: %w", name, err)
	}
	if err := e.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '` + name + `'`); err != nil {
		return fmt.Errorf("disconnect from %s: %w", name, err)
	}
	return nil
}

// vacuumInto writes a consistent, compact copy of the SQLite database at
// from (its write-ahead log included) to a new file at to.
func vacuumInto(from, to string) error {
	db, err := sql.Open("sqlite", from)
	if err != nil {
		return fmt.Errorf("open the build: %w", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, `VACUUM INTO '`+strings.ReplaceAll(to, "'", "''")+`'`); err != nil {
		return fmt.Errorf("vacuum into the template: %w", err)
	}
	return nil
}

// copyFile copies the file at from (a template: small) to a new file at to.
func copyFile(from, to string) error {
	raw, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, raw, 0o600)
}

// Close removes the templates built on e and closes its connection to the
// server; Clone refuses afterwards. Main calls it after each engine's run; a
// test program that takes its engines from Engines calls it itself.
func (e Engine) Close() error {
	ts := e.templates
	if ts == nil {
		return nil
	}
	ts.mu.Lock()
	if ts.closed {
		ts.mu.Unlock()
		return nil
	}
	ts.closed = true
	pending := make([]*template, 0, len(ts.byKey))
	for _, tpl := range ts.byKey {
		pending = append(pending, tpl)
	}
	ts.mu.Unlock()
	var errs []error
	for _, tpl := range pending {
		<-tpl.ready // a build still running (a test that timed out) ends first
		if e.Name == Postgres && tpl.name != "" {
			if err := e.admin(`DROP DATABASE IF EXISTS ` + tpl.name + ` WITH (FORCE)`); err != nil {
				errs = append(errs, fmt.Errorf("drop template %s: %w", tpl.name, err))
			}
		}
	}
	if ts.dir != "" {
		if err := os.RemoveAll(ts.dir); err != nil {
			errs = append(errs, fmt.Errorf("remove the templates: %w", err))
		}
	}
	if ts.pool != nil {
		if err := ts.pool.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqldbtest: %s: %w", e.Name, err)
	}
	return nil
}
