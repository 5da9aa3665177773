package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"redress/sqldb/sqldbtest"
)

// TestRetentionCommand_DOMAIN6 (DOMAIN.md §6: at expiry data is anonymised):
// `redress retention --dry-run` prints each kind's period and count and
// changes nothing; `redress retention` runs and records it, the chain still
// verifies; a stray argument or flag is a usage error (exit 2); it runs
// beside a server (both hold the file's lock shared) and refuses while a
// command replaces the file (demo, restore: exclusive).
func TestRetentionCommand_DOMAIN6(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"retention", "now"}, {"retention", "--bogus"}, {"retention", "--dry-run=maybe"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "Usage:") ||
			!strings.Contains(stderr.String(), "redress retention [--dry-run]") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
	data := sqldbtest.TempDir(t)
	cmd := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append(args, "--data", data), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	if code, _, stderr := cmd("migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	code, out, stderr := cmd("retention", "--dry-run")
	if code != 0 || !strings.Contains(out, "complaint") || !strings.Contains(out, "audit_event") || !strings.Contains(out, "nothing was changed") {
		t.Fatalf("dry run: %d %q %q", code, out, stderr)
	}
	_, verified, _ := cmd("audit", "verify")
	// A server holds the file shared: the job runs beside it.
	server, err := lockDatabase(filepath.Join(data, "redress.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr = cmd("retention")
	server.Release()
	if code != 0 || !strings.Contains(out, "0 records anonymised") {
		t.Fatalf("run: %d %q %q", code, out, stderr)
	}
	if code, after, _ := cmd("audit", "verify"); code != 0 || after == verified {
		t.Fatalf("the run is not in a valid chain: %d %q (before %q)", code, after, verified)
	}
	// A demo load or a restore replacing the file holds it exclusive.
	replacing, err := lockDatabase(filepath.Join(data, "redress.db"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer replacing.Release()
	if code, _, stderr := cmd("retention"); code != 1 || !strings.Contains(stderr, "replacing this database") {
		t.Fatalf("under a replacing command: %d %q", code, stderr)
	}
}
