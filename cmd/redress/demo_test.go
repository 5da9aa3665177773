package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"redress/sqldb/sqldbtest"
)

// TestDemoKilledThenLoadedThenListed: a demo load killed halfway leaves the
// database as it was (no half bank: the bank is built in a copy that
// replaces the file only when complete), the next run loads the whole bank
// and says that the server's first sweep has nothing left to do, and a third
// run (a second `make run`) changes nothing and prints again who can sign
// in and with which password.
func TestDemoKilledThenLoadedThenListed(t *testing.T) {
	t.Parallel()
	bin, data := buildBinary(t), t.TempDir()
	db, staging := filepath.Join(data, "redress.db"), filepath.Join(data, "redress.db"+stagingSuffix)

	killed := exec.Command(bin, "demo", "--data", data)
	if err := killed.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !fileExists(staging + "-wal") { // the copy is being written to
		if time.Now().After(deadline) {
			killed.Process.Kill()
			t.Fatal("the demo never started loading into its copy")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // some way into the load
	if err := killed.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed.Wait()
	if n := demoUnits(t, db); n != 0 {
		t.Fatalf("after the killed load the database holds part of the bank: %d of its units", n)
	}

	for run := 2; run <= 3; run++ {
		code, out, errs := runCLI(t, bin, data, "demo")
		if code != 0 {
			t.Fatalf("demo run %d: %d %s", run, code, errs)
		}
		if !strings.Contains(out, "LOGIN") || !strings.Contains(out, "zhang.lei") || !strings.Contains(out, "Demo-2026-pass") {
			t.Fatalf("demo run %d does not print the logins:\n%s", run, out)
		}
		if run == 2 && !strings.Contains(out, "the server's first sweep finds nothing new") {
			t.Fatalf("the load does not report its sweep:\n%s", out)
		}
		if run == 3 && (strings.Contains(out, "Loaded the demo bank") || !strings.Contains(out, "already loaded")) {
			t.Fatalf("the third run loaded again:\n%s", out)
		}
	}
	if fileExists(staging) {
		t.Fatal("the copy the bank was built in is left behind")
	}
	if code, out, errs := runCLI(t, bin, data, "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify after the demo: %d %s %s", code, out, errs)
	}
}

// TestDemoRefusedWhileServing: the demo does not load into a SQLite
// database a server is running on (it replaces the file: the server would
// go on with the old one); it says so and changes nothing.
func TestDemoRefusedWhileServing(t *testing.T) {
	t.Parallel()
	bin, data := buildBinary(t), t.TempDir()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--data", data)
	serve.Env = append(os.Environ(), "REDRESS_ADMIN_PASSWORD=demo-refused-admin-1")
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); serve.Wait() })
	waitHealthy(t, "http://"+addr)
	code, out, errs := runCLI(t, bin, data, "demo")
	if code == 0 || !strings.Contains(errs, "a server is running on this database") {
		t.Fatalf("demo beside a running server: exit %d\n%s%s", code, out, errs)
	}
	if fileExists(filepath.Join(data, "redress.db"+stagingSuffix)) {
		t.Fatal("the refused demo left a copy behind")
	}
	if n := demoUnits(t, filepath.Join(data, "redress.db")); n != 0 {
		t.Fatalf("the refused demo changed the database: %d of its units", n)
	}
}

// demoUnits counts the demo bank's units (all but head office) in the
// SQLite database at path, read behind the store's back.
func demoUnits(t *testing.T, path string) int {
	t.Helper()
	var n int
	if err := (sqldbtest.Engine{Name: sqldbtest.SQLite}).Raw(t, path).QueryRow(`SELECT COUNT(*) FROM org_units WHERE code <> 'HQ'`).Scan(&n); err != nil {
		t.Fatalf("count the units of %s: %v", path, err)
	}
	return n
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestDemoKilledOnPostgresIsLoadedAgain: on PostgreSQL the demo bank loads
// in place, marked as loading until whole; a load killed halfway leaves a
// part of the bank that the next run removes (the database held nothing but
// the bootstrap before) before loading the whole bank, with an intact audit
// chain. A database holding other data is refused.
func TestDemoKilledOnPostgresIsLoadedAgain(t *testing.T) {
	t.Parallel()
	engines, err := sqldbtest.Engines()
	if err != nil {
		t.Fatal(err)
	}
	var pg *sqldbtest.Engine
	for i := range engines {
		if engines[i].Name != sqldbtest.SQLite {
			pg = &engines[i]
		}
		t.Cleanup(func() { engines[i].Close() })
	}
	if pg == nil {
		t.Skip("no PostgreSQL (make test starts one; CI requires it)")
	}
	bin, data := buildBinary(t), t.TempDir()
	dsn := pg.NewDatabase(t)
	env := []string{"REDRESS_DB=" + dsn}
	units := func() int {
		var n int
		if err := pg.Raw(t, dsn).QueryRow(`SELECT COUNT(*) FROM org_units`).Scan(&n); err != nil {
			return 0 // not migrated yet
		}
		return n
	}
	killed := exec.Command(bin, "demo", "--data", data)
	killed.Env = append(os.Environ(), env...)
	if err := killed.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for units() < 5 {
		if time.Now().After(deadline) {
			killed.Process.Kill()
			t.Fatal("the demo never started loading")
		}
		time.Sleep(20 * time.Millisecond)
	}
	killed.Process.Kill()
	killed.Wait()
	code, out, errs := runCLIWith(t, bin, data, env, "demo")
	if code != 0 || !strings.Contains(out, "stopped halfway") || !strings.Contains(out, "Loaded the demo bank") {
		t.Fatalf("the run after a killed load: %d\n%s%s", code, out, errs)
	}
	if n := units(); n != 13 { // head office and the 12 the demo creates
		t.Fatalf("%d units after the load, want 13", n)
	}
	if code, out, errs := runCLIWith(t, bin, data, env, "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLIWith(t, bin, data, env, "demo"); code != 0 || !strings.Contains(out, "already loaded") {
		t.Fatalf("a third run: %d\n%s", code, out)
	}
}
