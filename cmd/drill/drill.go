package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// drill drives the real redress binary through crashes and a backup.
type drill struct {
	bin     string        // the redress command
	clients int           // concurrent intake clients
	hangUp  int           // how many of them hang up (give each request up after 1–40 ms)
	load    time.Duration // how long intake runs before a kill (the kill falls in its second half)
	pgBin   string        // the directory of pg_dump and pg_restore
	out     io.Writer     // one line per round
}

// prepare creates the drill's user on s (bootstrapping the database) and
// returns an API token for it.
func (d *drill) prepare(ctx context.Context, s site) (string, error) {
	if err := os.MkdirAll(s.data, 0o700); err != nil {
		return "", err
	}
	if _, err := d.cli(ctx, s, "user", "add", "--login", "drill", "--name", "演练员", "--role", "staff", "--org", "HQ"); err != nil {
		return "", err
	}
	token, err := d.cli(ctx, s, "token", "create", "--login", "drill", "--label", "drill")
	return strings.TrimSpace(token), err
}

// crashReport is what the crash rounds found.
type crashReport struct {
	Rounds, Acknowledged, Stored, Lost, HungUp int
	acked                                      []string // the tracking numbers acknowledged
}

// crashRounds runs rounds of: intake by d.clients clients, kill -9 of the
// server at a random moment of the load's second half, `redress audit
// verify` on the database as the crash left it, a restart, and the count of
// the acknowledged cases that the restarted server has. Any loss, any 5xx
// answer and any broken chain fails the drill.
func (d *drill) crashRounds(ctx context.Context, s site, token string, rounds int) (crashReport, error) {
	var report crashReport
	srv, err := d.start(ctx, s)
	if err != nil {
		return report, err
	}
	defer func() { srv.stop() }()
	var acked []string
	hungUp := 0
	for round := 1; round <= rounds; round++ {
		l := startLoad(srv.base, token, d.clients, d.hangUp)
		time.Sleep(d.load/2 + rand.N(d.load/2+1))
		srv.kill()
		l.halt()
		acked = append(acked, l.acknowledged()...)
		hungUp += l.hungUp()
		if p := l.problems(); p != "" {
			return report, fmt.Errorf("%s round %d: %s: %w", s.engine, round, p, errDrillFailed)
		}
		audit, err := d.cli(ctx, s, "audit", "verify")
		if err != nil {
			return report, fmt.Errorf("%s round %d: after the crash: %v: %w", s.engine, round, err, errDrillFailed)
		}
		if srv, err = d.start(ctx, s); err != nil {
			return report, fmt.Errorf("%s round %d: restart: %w", s.engine, round, err)
		}
		stored, err := listCases(srv.base, token)
		if err != nil {
			return report, err
		}
		lost := missing(acked, stored)
		report = crashReport{Rounds: round, Acknowledged: len(acked), Stored: len(stored), Lost: len(lost), HungUp: hungUp, acked: acked}
		fmt.Fprintf(d.out, "%s round %d: %d acknowledged, %d stored (%d more: in flight at the kill or hung up), %d lost, 0 honest 5xx, %d requests hung up; %s",
			s.engine, round, len(acked), len(stored), len(stored)-len(acked), len(lost), hungUp, audit)
		if len(lost) > 0 {
			return report, fmt.Errorf("%s round %d: %d acknowledged cases lost, e.g. %s: %w", s.engine, round, len(lost), lost[0], errDrillFailed)
		}
	}
	return report, nil
}

// missing returns the numbers of want that have is without.
func missing(want []string, have map[string]bool) []string {
	var out []string
	for _, no := range want {
		if !have[no] {
			out = append(out, no)
		}
	}
	return out
}

// backupReport is what the backup drill found.
type backupReport struct {
	AckedBefore, AckedAfter, Restored int
}

// backupUnderLoad backs s up while d.clients clients register cases (SQLite:
// `redress backup`; PostgreSQL: pg_dump --format=custom and a copy of the key
// file), restores it into restore (`redress restore` into a fresh
// directory; pg_restore into a fresh database and the key file copied),
// runs `redress audit verify` there, serves the restored copy and checks that
// every case acknowledged before the backup began (earlier, and during this
// load) is in it.
func (d *drill) backupUnderLoad(ctx context.Context, s, restore site, token string, earlier []string) (backupReport, error) {
	var report backupReport
	srv, err := d.start(ctx, s)
	if err != nil {
		return report, err
	}
	l := startLoad(srv.base, token, d.clients, d.hangUp)
	time.Sleep(d.load / 2)
	before := append(append([]string(nil), earlier...), l.acknowledged()...)
	file := backupFile(restore)
	backupErr := d.backup(ctx, s, file)
	time.Sleep(d.load / 4) // the load goes on after the copy
	l.halt()
	srv.stop()
	if backupErr != nil {
		return report, backupErr
	}
	if p := l.problems(); p != "" {
		return report, fmt.Errorf("%s backup under load: %s: %w", s.engine, p, errDrillFailed)
	}
	if err := d.restore(ctx, s, restore, file); err != nil {
		return report, err
	}
	audit, err := d.cli(ctx, restore, "audit", "verify")
	if err != nil {
		return report, fmt.Errorf("%s restored copy: %v: %w", s.engine, err, errDrillFailed)
	}
	restored, err := d.start(ctx, restore)
	if err != nil {
		return report, err
	}
	defer restored.stop()
	have, err := listCases(restored.base, token)
	if err != nil {
		return report, err
	}
	report = backupReport{AckedBefore: len(before), AckedAfter: len(earlier) + len(l.acknowledged()), Restored: len(have)}
	lost := missing(before, have)
	fmt.Fprintf(d.out, "%s backup under load: %d acknowledged before it began, %d by the end of the load, %d in the restored copy, %d missing; %s",
		s.engine, report.AckedBefore, report.AckedAfter, report.Restored, len(lost), audit)
	if len(lost) > 0 {
		return report, fmt.Errorf("%s: %d cases acknowledged before the backup are not in it, e.g. %s: %w", s.engine, len(lost), lost[0], errDrillFailed)
	}
	return report, nil
}

// backupFile is where the backup to restore as restore is written.
func backupFile(restore site) string { return restore.data + ".backup" }

// backup copies the live database of s to file.
func (d *drill) backup(ctx context.Context, s site, file string) error {
	if s.engine == "sqlite" {
		_, err := d.cli(ctx, s, "backup", "--to", file)
		return err
	}
	if err := d.pg(ctx, "pg_dump", "--format=custom", "--file="+file, s.dsn); err != nil {
		return err
	}
	return copyKeyFile(filepath.Join(s.data, "redress.key"), file+".key")
}

// restore brings the backup in file back as restore, which must be fresh.
func (d *drill) restore(ctx context.Context, s, restore site, file string) error {
	if err := os.MkdirAll(restore.data, 0o700); err != nil {
		return err
	}
	if s.engine == "sqlite" {
		_, err := d.cli(ctx, restore, "restore", "--from", file)
		return err
	}
	if err := d.pg(ctx, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname="+restore.dsn, file); err != nil {
		return err
	}
	return copyKeyFile(file+".key", filepath.Join(restore.data, "redress.key"))
}

// pg runs one of PostgreSQL's client programs.
func (d *drill) pg(ctx context.Context, program string, args ...string) error {
	path := program
	if d.pgBin != "" {
		path = filepath.Join(d.pgBin, program)
	}
	out, err := exec.CommandContext(ctx, path, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", program, err, out)
	}
	return nil
}

// copyKeyFile copies the key file from to a new file to, mode 0600.
func copyKeyFile(from, to string) error {
	raw, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return fmt.Errorf("key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("key file: %w", err)
	}
	return f.Close()
}

// pgBinDir returns the bin directory of the newest PostgreSQL installed
// under /usr/lib/postgresql (Debian's layout), or "" to use the PATH.
func pgBinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	best, bestVersion := "", 0
	for _, p := range dirs {
		var v int
		fmt.Sscanf(filepath.Base(filepath.Dir(filepath.Dir(p))), "%d", &v)
		if v > bestVersion {
			best, bestVersion = filepath.Dir(p), v
		}
	}
	return best
}
