package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"redress"
	"redress/demo/scenario"
)

// sqliteStore keeps SQLite datasets as directories under the bench
// directory: <dir>/sqlite-<size>/ holds redress.db, redress.key and
// meta.json. A run works on a copy in <dir>/run-sqlite/.
type sqliteStore struct {
	cfg *config
}

func sqliteEngine(cfg *config) *sqliteStore { return &sqliteStore{cfg: cfg} }

func (s *sqliteStore) name() string { return "sqlite" }

func (s *sqliteStore) describe(ctx context.Context) (string, string) {
	const settings = "modernc.org/sqlite, WAL, synchronous=FULL"
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return "SQLite", settings
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v); err != nil {
		return "SQLite", settings
	}
	return "SQLite " + v, settings
}

func (s *sqliteStore) datasetDir() string {
	return filepath.Join(s.cfg.dir, "sqlite-"+strconv.Itoa(s.cfg.size))
}

func (s *sqliteStore) runDir() string { return filepath.Join(s.cfg.dir, "run-sqlite") }

// prepare returns the kept dataset, or generates it when it is missing,
// out of date, or BENCH_REGEN asks for it.
func (s *sqliteStore) prepare(ctx context.Context) (*datasetMeta, bool, error) {
	dir := s.datasetDir()
	dbPath, metaPath := filepath.Join(dir, "redress.db"), filepath.Join(dir, "meta.json")
	if m, ok := readMeta(metaPath, s.cfg, ""); ok && !s.cfg.regen {
		err := keep(ctx, m, metaPath, dbPath, filepath.Join(dir, "redress.key"), s.name())
		if err == nil {
			return m, false, nil
		}
		logf("sqlite: the kept dataset %s cannot be migrated (%v): generating it again", dir, err)
	}
	if err := removeAll(dir); err != nil {
		return nil, false, fmt.Errorf("sqlite dataset: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("sqlite dataset: %w", err)
	}
	logf("sqlite: generating %d cases into %s", s.cfg.size, dbPath)
	m, err := generate(ctx, s.cfg, dbPath, dir)
	if err != nil {
		return nil, false, err
	}
	m.Bytes = fileSize(dbPath)
	return m, true, writeMeta(metaPath, m)
}

// copyForRun copies the dataset for one run and returns its DSN and the
// directory holding its key file.
func (s *sqliteStore) copyForRun(ctx context.Context) (string, string, error) {
	from, to := s.datasetDir(), s.runDir()
	if err := removeAll(to); err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		return "", "", err
	}
	for _, name := range []string{"redress.db", "redress.key"} {
		if err := copyFile(filepath.Join(from, name), filepath.Join(to, name)); err != nil {
			return "", "", fmt.Errorf("copy the dataset: %w", err)
		}
	}
	return filepath.Join(to, "redress.db"), to, nil
}

func (s *sqliteStore) dropRun(ctx context.Context) error { return removeAll(s.runDir()) }

// rawInserts measures the baseline: single-row INSERTs into a fresh
// database file with the server's durability (WAL, synchronous=FULL), one
// row per transaction, from workers goroutines sharing one write connection
// as the server's writer is shared.
func (s *sqliteStore) rawInserts(ctx context.Context, rows, workers int) (*result, error) {
	dir := filepath.Join(s.cfg.dir, "raw-sqlite")
	if err := removeAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	defer removeAll(dir)
	pragmas := "_pragma=" + url.QueryEscape("journal_mode(WAL)") + "&_pragma=" + url.QueryEscape("synchronous(FULL)") +
		"&_pragma=" + url.QueryEscape("busy_timeout(10000)") + "&_txlock=immediate"
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "raw.db")+"?"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("raw inserts: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, rawTable); err != nil {
		return nil, fmt.Errorf("raw inserts: %w", err)
	}
	stmt, err := db.PrepareContext(ctx, rawInsert)
	if err != nil {
		return nil, fmt.Errorf("raw inserts: %w", err)
	}
	defer stmt.Close()
	return insertLoop(ctx, rows, workers, func(i int) error {
		_, err := stmt.ExecContext(ctx, rawRow(i)...)
		return err
	}), nil
}

// rawTable is the baseline's table: a row about as wide as a case row.
const rawTable = `CREATE TABLE raw_cases (
	id           INTEGER PRIMARY KEY,
	no           TEXT NOT NULL,
	received_at  TEXT NOT NULL,
	c_name       TEXT NOT NULL,
	c_phone_enc  TEXT NOT NULL,
	subject      TEXT NOT NULL,
	description  TEXT NOT NULL,
	request      TEXT NOT NULL,
	status       TEXT NOT NULL
)`

const rawInsert = `INSERT INTO raw_cases (no, received_at, c_name, c_phone_enc, subject, description, request, status)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

// rawRow is the i-th baseline row, drawn from the scenario texts.
func rawRow(i int) []any {
	sc := scenario.Cycle(i)
	return []any{fmt.Sprintf("TS20261101-%05d", i), time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"),
		"张伟", "v1:ZmFrZS1zZWFsZWQtcGhvbmUtbnVtYmVyLWZvci10aGUtYmFzZWxpbmUtcm93cw",
		sc.Subject, sc.Told(redress.ChannelCounter), sc.Request, "registered"}
}

// insertLoop runs inserts from workers goroutines and times each: at least
// minRows and for at least five seconds, so that a passing hiccup of the
// disk weighs no more than it does in the intake measurement; at most
// 200,000 rows and two minutes.
func insertLoop(ctx context.Context, minRows, workers int, insert func(i int) error) *result {
	const minTime, maxRows = 5 * time.Second, 200_000
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	res := &result{}
	var mu sync.Mutex
	next := make(chan int)
	start := time.Now()
	go func() {
		defer close(next)
		for i := 0; i < maxRows && (i < minRows || time.Since(start) < minTime); i++ {
			select {
			case next <- i:
			case <-ctx.Done():
				res.stopped = true
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				t := time.Now()
				err := insert(i)
				took := time.Since(t)
				mu.Lock()
				if err != nil {
					res.errors++
					if res.firstErr == "" {
						res.firstErr = err.Error()
					}
				} else {
					res.latencies = append(res.latencies, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.wall = time.Since(start)
	return res
}
