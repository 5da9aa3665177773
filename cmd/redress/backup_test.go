package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"redress/sqldb/sqldbtest"
)

// TestBackupRefusals_Issue11Item10: backup and restore refuse what would lose
// or damage data: an existing backup file, a PostgreSQL DSN (pg_dump's
// work), a restore over an existing database, a backup whose database member
// does not match its manifest (nothing is left behind), and a file that is no
// backup. The backup under load and the restore are driven end to end by
// cmd/drill's test.
func TestBackupRefusals_Issue11Item10(t *testing.T) {
	t.Parallel()
	dir := sqldbtest.TempDir(t)
	data := filepath.Join(dir, "live")
	cli := func(want int, wantErr string, args ...string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, &stdout, &stderr)
		if code != want || !strings.Contains(stderr.String(), wantErr) {
			t.Fatalf("%v: exit %d, want %d; stderr %q", args, code, want, stderr.String())
		}
	}
	cli(0, "", "migrate", "--data", data)
	file := filepath.Join(dir, "live.backup")
	cli(2, "needs --to", "backup", "--data", data)
	cli(0, "keep it as safe", "backup", "--to", file, "--data", data)
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the backup file: %v %v", info, err)
	}
	cli(1, "already exists", "backup", "--to", file, "--data", data)
	cli(1, "pg_dump", "backup", "--to", file+"2", "--data", data, "--db", "postgres://nobody@127.0.0.1:1/x")
	cli(1, "pg_restore", "restore", "--from", file, "--data", data, "--db", "postgres://nobody@127.0.0.1:1/x")
	cli(2, "needs --from", "restore", "--data", data)
	cli(1, "exists; restore into a fresh --data", "restore", "--from", file, "--data", data)
	cli(0, "", "restore", "--from", file, "--data", filepath.Join(dir, "fresh"))

	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	raw[512+4096] ^= 0xff // inside the database member, after its tar header
	damaged := filepath.Join(dir, "damaged.backup")
	if err := os.WriteFile(damaged, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target")
	cli(1, "damaged", "restore", "--from", damaged, "--data", target)
	if left, _ := os.ReadDir(target); len(left) != 0 {
		t.Fatalf("a refused restore left %v", left)
	}
	notBackup := filepath.Join(dir, "not.backup")
	os.WriteFile(notBackup, []byte("hello"), 0o600)
	cli(1, "not a Redress backup", "restore", "--from", notBackup, "--data", target)
}
