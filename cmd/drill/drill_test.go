package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/sqldb/sqldbtest"
)

// binDir holds the redress command the test builds; TestMain makes it and
// removes it.
var binDir string

// TestMain runs the tests with a directory for the binary they build.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "redress-drill-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// builtBinary compiles the redress command once for the tests of this run.
var builtBinary = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "redress")
	if out, err := exec.Command("go", "build", "-o", bin, "../redress").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// logWriter writes each line it is given to the test's log.
type logWriter struct{ t *testing.T }

// Write logs p.
func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestCrashAndRestoreDrill_Issue11Item10 is make crash in small: on each
// engine, three rounds of 16-way intake over HTTP ended by kill -9 of the
// real `redress serve`, with `redress audit verify` after each and no
// acknowledged case lost; then a backup under the same load (`redress
// backup`; pg_dump on PostgreSQL), restored into a fresh directory
// (`redress restore`; pg_restore into a fresh database), whose audit chain
// is intact and which holds every case acknowledged before the backup began.
// On SQLite, restore then refuses to replace the restored database, unless
// told to with --force.
func TestCrashAndRestoreDrill_Issue11Item10(t *testing.T) {
	t.Parallel()
	bin, err := builtBinary()
	if err != nil {
		t.Fatal(err)
	}
	engines, err := sqldbtest.Engines()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range engines {
		t.Cleanup(func() {
			if err := e.Close(); err != nil {
				t.Error(err)
			}
		})
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			dir := sqldbtest.TempDir(t) // a kill -9 loses nothing a tmpfs holds: the process dies, not the machine
			live := site{engine: e.Name, data: filepath.Join(dir, "live")}
			restore := site{engine: e.Name, data: filepath.Join(dir, "restored")}
			if e.Name == sqldbtest.Postgres {
				live.dsn, restore.dsn = e.NewDatabase(t), e.NewDatabase(t)
			}
			d := &drill{bin: bin, clients: 16, hangUp: 3, load: 800 * time.Millisecond, pgBin: pgBinDir(), out: logWriter{t}}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := d.all(ctx, live, restore, 3, true); err != nil {
				t.Fatal(err)
			}
			if e.Name != sqldbtest.SQLite {
				return
			}
			if _, err := d.cli(ctx, restore, "restore", "--from", backupFile(restore)); err == nil || !strings.Contains(err.Error(), "exists") {
				t.Fatalf("restore over a database: %v, want a refusal", err)
			}
			if _, err := d.cli(ctx, restore, "restore", "--from", backupFile(restore), "--force"); err != nil {
				t.Fatal(err)
			}
			if out, err := d.cli(ctx, restore, "audit", "verify"); err != nil || !strings.Contains(out, "intact") {
				t.Fatalf("audit verify after restore --force: %s %v", out, err)
			}
		})
	}
}
