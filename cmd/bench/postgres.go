package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// postgresStore keeps PostgreSQL datasets as databases on one server,
// redress_bench_<size>, with their key file and meta in
// <dir>/postgres-<size>/. A run works on a copy, redress_bench_run, made
// with CREATE DATABASE … TEMPLATE.
type postgresStore struct {
	cfg      *config
	admin    string // DSN of a database to run CREATE and DROP DATABASE from
	systemID string // the cluster's identity: a dataset belongs to one cluster
	settings string // durability and memory settings, for the report
	version  string
}

const postgresRunDB = "redress_bench_run"

// postgresEngine finds the PostgreSQL to measure: the DSN of BENCH_POSTGRES
// or REDRESS_TEST_POSTGRES, or else a durable throwaway cluster of the
// installed PostgreSQL kept under the bench directory. It returns nil and
// why when there is none, and a cleanup to run when done.
func postgresEngine(ctx context.Context, cfg *config) (*postgresStore, func(), string) {
	nothing := func() {}
	if strings.EqualFold(cfg.postgres, "off") {
		return nil, nothing, "skipped (BENCH_POSTGRES=off)"
	}
	dsn, cleanup := cfg.postgres, nothing
	if dsn == "" {
		var err error
		dsn, cleanup, err = startCluster(ctx, filepath.Join(cfg.dir, "postgres-cluster"))
		if err != nil {
			return nil, nothing, "not available: no BENCH_POSTGRES or REDRESS_TEST_POSTGRES, and no cluster could be started: " + err.Error()
		}
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		cleanup()
		return nil, nothing, "not available: the PostgreSQL DSN must start with postgres://"
	}
	p := &postgresStore{cfg: cfg, admin: dsn}
	if err := p.connect(ctx); err != nil {
		cleanup()
		return nil, nothing, "not available: " + err.Error()
	}
	return p, cleanup, ""
}

func (p *postgresStore) name() string { return "postgres" }

func (p *postgresStore) describe(context.Context) (string, string) { return p.version, p.settings }

// connect reads the server's version, identity and settings.
func (p *postgresStore) connect(ctx context.Context) error {
	db, err := sql.Open("pgx", p.admin)
	if err != nil {
		return err
	}
	defer db.Close()
	var version, fsync, syncCommit, buffers string
	err = db.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('fsync'),
		current_setting('synchronous_commit'), current_setting('shared_buffers'),
		(SELECT system_identifier::text FROM pg_control_system())`).Scan(&version, &fsync, &syncCommit, &buffers, &p.systemID)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	p.version = "PostgreSQL " + version
	p.settings = fmt.Sprintf("fsync=%s, synchronous_commit=%s, shared_buffers=%s", fsync, syncCommit, buffers)
	if fsync != "on" || syncCommit != "on" {
		p.settings += " — NOT DURABLE: intake and the baseline are not comparable with a production server"
	}
	return nil
}

// dsnFor returns the DSN of another database on the same server.
func (p *postgresStore) dsnFor(database string) string {
	u, err := url.Parse(p.admin)
	if err != nil {
		return p.admin
	}
	u.Path = "/" + database
	return u.String()
}

func (p *postgresStore) datasetDB() string { return "redress_bench_" + strconv.Itoa(p.cfg.size) }

func (p *postgresStore) datasetDir() string {
	return filepath.Join(p.cfg.dir, "postgres-"+strconv.Itoa(p.cfg.size))
}

func (p *postgresStore) runDir() string { return filepath.Join(p.cfg.dir, "run-postgres") }

// exec runs statements on the admin database.
func (p *postgresStore) exec(ctx context.Context, statements ...string) error {
	return execOn(ctx, p.admin, statements...)
}

// execOn runs statements, one after another, on the database of dsn.
func execOn(ctx context.Context, dsn string, statements ...string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, s := range statements {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// databaseExists reports whether the server has a database of that name.
func (p *postgresStore) databaseExists(ctx context.Context, name string) bool {
	db, err := sql.Open("pgx", p.admin)
	if err != nil {
		return false
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n)
	return err == nil && n == 1
}

// createDB makes an empty UTF-8 database, as Redress needs it.
func createDB(name string) string {
	return `CREATE DATABASE ` + name + ` ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`
}

func (p *postgresStore) prepare(ctx context.Context) (*datasetMeta, bool, error) {
	dir, name := p.datasetDir(), p.datasetDB()
	metaPath, keyFile := filepath.Join(dir, "meta.json"), filepath.Join(dir, "redress.key")
	if m, ok := readMeta(metaPath, p.cfg, p.systemID); ok && !p.cfg.regen && p.databaseExists(ctx, name) {
		err := keep(ctx, m, metaPath, p.dsnFor(name), keyFile, p.name())
		if err == nil {
			return m, false, nil
		}
		logf("postgres: the kept dataset %s cannot be migrated (%v): generating it again", name, err)
	}
	if err := removeAll(dir); err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, err
	}
	if err := p.exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`, createDB(name)); err != nil {
		return nil, false, fmt.Errorf("postgres dataset: %w", err)
	}
	logf("postgres: generating %d cases into database %s", p.cfg.size, name)
	m, err := generate(ctx, p.cfg, p.dsnFor(name), dir)
	if err != nil {
		return nil, false, err
	}
	// What autovacuum would do soon after such a load: statistics and the
	// visibility map, so that the measurements do not race it.
	analyze := time.Now()
	if err := execOn(ctx, p.dsnFor(name), `VACUUM (ANALYZE)`); err != nil {
		return nil, false, fmt.Errorf("postgres dataset: %w", err)
	}
	logf("  VACUUM (ANALYZE) took %s", time.Since(analyze).Round(100*time.Millisecond))
	m.Server = p.systemID
	m.Bytes = p.databaseSize(ctx, name)
	return m, true, writeMeta(metaPath, m)
}

func (p *postgresStore) databaseSize(ctx context.Context, name string) int64 {
	db, err := sql.Open("pgx", p.admin)
	if err != nil {
		return 0
	}
	defer db.Close()
	var n int64
	_ = db.QueryRowContext(ctx, `SELECT pg_database_size($1)`, name).Scan(&n)
	return n
}

func (p *postgresStore) copyForRun(ctx context.Context) (string, string, error) {
	dir := p.runDir()
	if err := removeAll(dir); err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	if err := copyFile(filepath.Join(p.datasetDir(), "redress.key"), filepath.Join(dir, "redress.key")); err != nil {
		return "", "", fmt.Errorf("copy the key file: %w", err)
	}
	err := p.exec(ctx, `DROP DATABASE IF EXISTS `+postgresRunDB+` WITH (FORCE)`,
		`CREATE DATABASE `+postgresRunDB+` TEMPLATE `+p.datasetDB())
	if err != nil {
		return "", "", fmt.Errorf("copy the dataset: %w", err)
	}
	return p.dsnFor(postgresRunDB), dir, nil
}

func (p *postgresStore) dropRun(ctx context.Context) error {
	err := p.exec(ctx, `DROP DATABASE IF EXISTS `+postgresRunDB+` WITH (FORCE)`)
	return errors.Join(err, removeAll(p.runDir()))
}

// rawInserts measures the baseline: single-row INSERTs, each its own
// transaction, into a scratch table of a scratch database with the
// server's durability settings, from workers connections.
func (p *postgresStore) rawInserts(ctx context.Context, rows, workers int) (*result, error) {
	const scratch = "redress_bench_raw"
	if err := p.exec(ctx, `DROP DATABASE IF EXISTS `+scratch+` WITH (FORCE)`, createDB(scratch)); err != nil {
		return nil, fmt.Errorf("raw inserts: %w", err)
	}
	defer p.exec(context.Background(), `DROP DATABASE IF EXISTS `+scratch+` WITH (FORCE)`)
	db, err := sql.Open("pgx", p.dsnFor(scratch))
	if err != nil {
		return nil, fmt.Errorf("raw inserts: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(workers)
	db.SetMaxIdleConns(workers)
	table := strings.Replace(rawTable, "id           INTEGER PRIMARY KEY", "id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", 1)
	if _, err := db.ExecContext(ctx, table); err != nil {
		return nil, fmt.Errorf("raw inserts: %w", err)
	}
	insert := `INSERT INTO raw_cases (no, received_at, c_name, c_phone_enc, subject, description, request, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	return insertLoop(ctx, rows, workers, func(i int) error {
		_, err := db.ExecContext(ctx, insert, rawRow(i)...)
		return err
	}), nil
}

// startCluster starts a throwaway PostgreSQL cluster of the newest
// PostgreSQL installed, initialising it on first use in dir, with default
// durability (fsync and synchronous_commit on), listening on a free
// loopback port. The cluster's files stay for the next run, which keeps
// its datasets; the cleanup stops it.
func startCluster(ctx context.Context, dir string) (string, func(), error) {
	bin := postgresBin()
	if bin == "" {
		return "", nil, errors.New("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
	}
	asPostgres := func(ctx context.Context, name string, args ...string) *exec.Cmd {
		if os.Geteuid() == 0 {
			return exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", filepath.Join(bin, name)}, args...)...)
		}
		return exec.CommandContext(ctx, filepath.Join(bin, name), args...)
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, fmt.Errorf("cluster directory: %w", err)
	}
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			return "", nil, errors.New("there is no postgres user to run the cluster as")
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", nil, fmt.Errorf("cluster directory: %w", err)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		logf("postgres: initialising a cluster in %s", data)
		out, err := asPostgres(ctx, "initdb", "-D", data, "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8", "--auth=trust").CombinedOutput()
		if err != nil {
			return "", nil, fmt.Errorf("initdb: %v: %s", err, lastLine(string(out)))
		}
	}
	// A run that was killed may have left the cluster running: stop it, to
	// start it on a new port.
	if asPostgres(ctx, "pg_ctl", "-D", data, "status").Run() == nil {
		logf("postgres: stopping the cluster a previous run left running")
		_ = asPostgres(ctx, "pg_ctl", "-D", data, "-m", "fast", "-w", "stop").Run()
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	options := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c shared_buffers=256MB -c max_connections=100", port, dir)
	out, err := asPostgres(ctx, "pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "120", "-o", options, "start").CombinedOutput()
	if err != nil {
		return "", nil, fmt.Errorf("pg_ctl start: %v: %s", err, lastLine(string(out)))
	}
	stop := func() {
		cmd := asPostgres(context.Background(), "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
		if out, err := cmd.CombinedOutput(); err != nil {
			logf("postgres: pg_ctl stop: %v: %s", err, lastLine(string(out)))
		}
	}
	logf("postgres: throwaway cluster on 127.0.0.1:%d (%s)", port, data)
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stop, nil
}

// postgresBin returns the bin directory of the newest PostgreSQL installed.
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	return ""
}
