// Command drill runs the crash and restore drills against the real redress
// binary (make crash):
//
//	drill [--bin bin/redress] [--rounds 10] [--clients 16] [--hang-up 3] [--load 2s]
//	      [--engines sqlite,postgres] [--postgres URL] [--backup=true] [--keep]
//
// On each engine it bootstraps a fresh installation with `redress user add`
// and `redress token create`, then runs rounds of 16-way intake over HTTP
// ended by kill -9 of `redress serve`, `redress audit verify` on what the
// crash left, a restart and the count of acknowledged (201) against stored
// cases; then it backs the live database up under the same load (`redress
// backup`, or pg_dump for PostgreSQL), restores it into a fresh directory
// (`redress restore`, or pg_restore into a fresh database), verifies the
// audit chain there and checks that every case acknowledged before the
// backup began is in it. PostgreSQL runs on the server of --postgres
// (default $REDRESS_TEST_POSTGRES; make crash starts a throwaway one with
// scripts/test-postgres.sh), in databases the drill creates and drops.
//
// It is a command of its own, not a subcommand of redress: it floods intake
// and kills processes, which the production binary should not be able to do,
// and it drives that binary only from outside, as an operator would, so the
// drill tests exactly what is shipped.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the drill and returns the exit status: 0 when every round
// and the backup held, 1 when one did not, 2 for a usage mistake.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	d := &drill{out: stdout}
	fs.StringVar(&d.bin, "bin", "bin/redress", "the redress binary to drill")
	rounds := fs.Int("rounds", 10, "crash rounds per engine")
	fs.IntVar(&d.clients, "clients", 16, "concurrent intake clients")
	fs.IntVar(&d.hangUp, "hang-up", 3, "how many of the clients hang up (each request given up after 1-40 ms)")
	fs.DurationVar(&d.load, "load", 2*time.Second, "intake time per round; the kill falls in its second half")
	engines := fs.String("engines", "sqlite,postgres", "the engines to drill")
	server := fs.String("postgres", os.Getenv("REDRESS_TEST_POSTGRES"), "a PostgreSQL server URL whose user may create databases")
	backup := fs.Bool("backup", true, "also back up under load and restore")
	keep := fs.Bool("keep", false, "keep the data directories and databases")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *rounds < 1 || d.clients < 1 || d.hangUp < 0 || d.hangUp >= d.clients || d.load <= 0 {
		fmt.Fprintln(stderr, "usage: drill [--bin PATH] [--rounds N] [--clients N] [--hang-up N] [--load D] [--engines sqlite,postgres] [--postgres URL] [--backup=false] [--keep]")
		return 2
	}
	d.pgBin = pgBinDir()
	work, err := os.MkdirTemp("", "redress-drill-")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *keep {
		fmt.Fprintf(stdout, "drill: keeping %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	failed := false
	for _, engine := range strings.Split(*engines, ",") {
		live, restore, drop, err := sites(engine, work, *server)
		if errors.Is(err, errNoPostgres) && os.Getenv("CI") != "true" {
			fmt.Fprintf(stdout, "drill: %v: PostgreSQL SKIPPED\n", err)
			continue
		}
		if err == nil {
			err = d.all(ctx, live, restore, *rounds, *backup)
			if !*keep {
				drop()
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "drill: %v\n", err)
			failed = true
		}
	}
	if failed {
		return 1
	}
	fmt.Fprintln(stdout, "drill: every acknowledged case survived")
	return 0
}

// all runs the crash rounds and, if asked, the backup drill on one engine.
func (d *drill) all(ctx context.Context, live, restore site, rounds int, backup bool) error {
	token, err := d.prepare(ctx, live)
	if err != nil {
		return err
	}
	crashes, err := d.crashRounds(ctx, live, token, rounds)
	if err != nil {
		return err
	}
	if backup {
		_, err = d.backupUnderLoad(ctx, live, restore, token, crashes.acked)
	}
	return err
}

var errNoPostgres = errors.New("no PostgreSQL server given (--postgres or REDRESS_TEST_POSTGRES)")

// sites returns the live installation and the fresh one to restore into for
// engine, under work, and a function that drops the PostgreSQL databases.
func sites(engine, work, server string) (live, restore site, drop func(), err error) {
	live = site{engine: engine, data: filepath.Join(work, engine)}
	restore = site{engine: engine, data: filepath.Join(work, engine+"-restored")}
	switch engine {
	case "sqlite":
		return live, restore, func() {}, nil
	case "postgres":
	default:
		return live, restore, nil, fmt.Errorf("unknown engine %q", engine)
	}
	if server == "" {
		return live, restore, nil, errNoPostgres
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return live, restore, nil, err
	}
	var names []string
	drop = func() {
		for _, name := range names {
			admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		}
		admin.Close()
	}
	for _, s := range []*site{&live, &restore} {
		name, dsn, err := createDatabase(admin, server)
		if err != nil {
			drop()
			return live, restore, nil, err
		}
		names = append(names, name)
		s.dsn = dsn
	}
	return live, restore, drop, nil
}

// createDatabase creates an empty database redress_drill_<random> with the
// encoding and ctype Redress needs and returns its name and URL.
func createDatabase(admin *sql.DB, server string) (string, string, error) {
	random := make([]byte, 6)
	rand.Read(random)
	name := "redress_drill_" + hex.EncodeToString(random)
	u, err := url.Parse(server)
	if err != nil {
		return "", "", fmt.Errorf("--postgres: %w", err)
	}
	u.Path, u.RawPath = "/"+name, ""
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'`); err != nil {
		return "", "", fmt.Errorf("create database %s: %w", name, err)
	}
	return name, u.String(), nil
}
