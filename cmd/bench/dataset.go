package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"redress"
	"redress/demo/scenario"
	"redress/sqldb"
)

// datasetMeta describes a generated dataset; it is written last, so a
// dataset without it is incomplete.
type datasetMeta struct {
	Generator   int                    `json:"generator"`
	Size        int                    `json:"size"`
	Seed        uint64                 `json:"seed"`
	Server      string                 `json:"server,omitempty"` // PostgreSQL: the cluster's system identifier
	GeneratedAt time.Time              `json:"generated_at"`
	Took        time.Duration          `json:"took"`        // generation
	VerifyTook  time.Duration          `json:"verify_took"` // redress audit verify
	Orgs        int64                  `json:"orgs"`
	Users       int64                  `json:"users"`
	Cases       int64                  `json:"cases"`
	ByStatus    map[redress.Status]int `json:"by_status"`
	ByChannel   int                    `json:"channels"`           // distinct channels
	ByKind      int                    `json:"kinds"`              // distinct kinds
	Bytes       int64                  `json:"bytes"`              // database size after generation
	Migrated    []string               `json:"migrated,omitempty"` // migrations applied to the kept dataset since
	Others      float64                `json:"others"`             // cores other processes kept busy during generation
}

// readMeta reads the meta file of a dataset; ok is false when it is missing
// or does not describe the dataset wanted.
func readMeta(path string, cfg *config, server string) (*datasetMeta, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var m datasetMeta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, false
	}
	ok := m.Generator == generatorVersion && m.Size == cfg.size && m.Seed == cfg.seed && m.Server == server
	return &m, ok
}

func writeMeta(path string, m *datasetMeta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// writeKeyFile writes a new personal-data key file in the format of
// `redress` ("<version> <64 hex digits>"), readable by its owner only.
func writeKeyFile(path string) error {
	key := make([]byte, redress.KeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	body := "# Redress personal-data keys of a benchmark dataset.\n1 " + hex.EncodeToString(key) + "\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	return nil
}

// readKeyFile reads a key file written by writeKeyFile or `redress`.
func readKeyFile(path string) (*redress.Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	ring, err := redress.ReadKeyFile(f)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return ring, nil
}

// migrateKept brings a kept dataset to the current schema, as an upgrade
// of a bank's database would: it applies the migrations the dataset lacks
// (and whatever backfill they run) and returns how many it applied.
func migrateKept(ctx context.Context, dsn, keyFile string) (int, error) {
	keys, err := readKeyFile(keyFile)
	if err != nil {
		return 0, err
	}
	db, err := sqldb.Open(ctx, dsn, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return db.Migrate(ctx)
}

// keep migrates a kept dataset to the current schema and records in its
// meta when that applied anything.
func keep(ctx context.Context, m *datasetMeta, metaPath, dsn, keyFile, engine string) error {
	start := time.Now()
	applied, err := migrateKept(ctx, dsn, keyFile)
	if err != nil {
		return err
	}
	if applied == 0 {
		return nil
	}
	note := fmt.Sprintf("%d migration(s) on %s, in %s", applied, time.Now().UTC().Format(time.DateOnly), time.Since(start).Round(100*time.Millisecond))
	logf("%s: migrated the kept dataset: %s", engine, note)
	m.Migrated = append(m.Migrated, note)
	return writeMeta(metaPath, m)
}

// generate fills the empty database dsn with the dataset of cfg: the
// schema, the head office, and the bank's units, users and cases through
// sqldb.BulkLoad, then checks the audit chain with `redress audit verify`.
func generate(ctx context.Context, cfg *config, dsn, dataDir string) (*datasetMeta, error) {
	keyFile := filepath.Join(dataDir, "redress.key")
	if err := writeKeyFile(keyFile); err != nil {
		return nil, err
	}
	keys, err := readKeyFile(keyFile)
	if err != nil {
		return nil, err
	}
	waitQuiet(ctx, 0, cfg.wait)
	watch := startWatch(0)
	start := time.Now()
	db, err := sqldb.Open(ctx, dsn, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	// The head office, units and users exist a day before the first case.
	setup := datasetStart.AddDate(0, 0, -1)
	db.Now = func() time.Time { return setup }
	if _, err := db.Bootstrap(ctx, ""); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	g := newGenerator(cfg.size, cfg.seed)
	m := &datasetMeta{Generator: generatorVersion, Size: cfg.size, Seed: cfg.seed}
	mix := scenario.NewMix()
	counted := func(yield func(*sqldb.BulkCase) bool) {
		for c := range g.cases() {
			mix.Add(c.Kind, c.Channel, c.Status)
			if !yield(c) {
				return
			}
		}
	}
	lastLog := time.Now()
	report, err := db.BulkLoad(ctx, sqldb.BulkData{Orgs: g.bank.orgs, Users: g.bank.users, Cases: counted,
		Progress: func(n int64) {
			if time.Since(lastLog) > 10*time.Second {
				lastLog = time.Now()
				logf("  %d of %d cases (%.0f cases/s)", n, cfg.size, float64(n)/time.Since(start).Seconds())
			}
		}})
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	db.Close()
	m.Took, m.Others = time.Since(start), watch.others()
	m.Orgs, m.Users, m.Cases = report.Orgs, report.Users, report.Cases
	m.ByStatus, m.ByChannel, m.ByKind = mix.Statuses, len(mix.Channels), len(mix.Kinds)
	logf("  generated %d cases in %s; verifying the audit chain", m.Cases, m.Took.Round(time.Second))
	verify := time.Now()
	out, err := verifyAudit(ctx, cfg.redress, dataDir, dsn)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	m.VerifyTook = time.Since(verify)
	logf("  %s (%s)", out, m.VerifyTook.Round(100*time.Millisecond))
	m.GeneratedAt = time.Now().UTC()
	return m, nil
}

// verifyAudit runs `redress audit verify` on a database and returns what it
// printed; a broken chain is an error.
func verifyAudit(ctx context.Context, bin, dataDir, dsn string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, "audit", "verify", "--data", dataDir, "--db", dsn)
	cmd.Env = serverEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("redress audit verify: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return strings.TrimSpace(lastLine(string(out))), nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// copyFile copies a file, keeping its mode; on Linux io.Copy uses
// copy_file_range, which may share the blocks on a file system that can.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// fileSize returns the size of a file, 0 when it is missing.
func fileSize(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Size()
}

// removeAll removes a directory tree, ignoring one that is missing.
func removeAll(dir string) error {
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
