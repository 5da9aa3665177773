package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"text/tabwriter"
	"time"

	"redress"
	"redress/demo"
	"redress/sqldb"
)

// demoSeed makes every demo load the same bank.
const demoSeed = 2026

// cmdDemo loads the demo bank into the database, once: when it is already
// there, it says so and changes nothing. The load is all or nothing on
// SQLite: the bank is built in a copy of the database (stagingSuffix) and
// the copy replaces the file only when complete, so a load that fails or
// is killed leaves the database as it was, and the next run starts again.
// It needs the database to itself (no server running on it). On PostgreSQL
// the bank is loaded in place into an empty database, marked as loading
// until whole; the run after a load that stopped halfway empties the
// database and loads it again (loadInPlace).
func cmdDemo(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg.bindStorage(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg.resolve()
	log := newLogger(stderr)
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	closeDB := sync.OnceValue(db.Close) // closed early before a staged load
	defer closeDB()
	start := time.Now()
	staged := sqldb.EngineOf(cfg.DB) == "sqlite"
	if !staged {
		// A load in place that stopped halfway left a database that held
		// nothing but the bootstrap before it (loadInPlace checks that):
		// it is emptied and the bank loaded again.
		state, err := db.DemoLoadState(ctx)
		if err != nil {
			return err
		}
		if state == demoLoading {
			fmt.Fprintln(stdout, "An earlier demo load stopped halfway: the database is emptied and the demo bank loaded again.")
			if err := db.EmptyPostgres(ctx); err != nil {
				return err
			}
		}
	}
	db.Now = func() time.Time { return demo.Epoch(start) }
	err = bootstrap(ctx, db, cfg, stdout)
	db.Now = time.Now
	if err != nil {
		return err
	}
	// The CLI acts as the operator: an admin, which is all that listing
	// units and users checks.
	operator := redress.WithUser(ctx, &redress.User{Login: "admin", Role: redress.RoleAdmin})
	svc := demoServices(db, cfg)
	loaded, err := demoLoaded(operator, svc.Orgs)
	if err != nil {
		return err
	}
	if loaded { // say again who can sign in: a second make run is how a newcomer comes back
		logins, err := demoLogins(operator, svc)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "The demo bank is already loaded; its users:")
		printDemoLogins(stdout, logins, demo.Password)
		return nil
	}
	var summary *demo.Summary
	if staged {
		if err := closeDB(); err != nil {
			return fmt.Errorf("demo: close the database: %w", err)
		}
		summary, err = loadDemoStaged(ctx, cfg, log, start)
	} else {
		summary, err = loadInPlace(ctx, db, svc, start)
	}
	if err != nil {
		return err
	}
	printDemoSummary(stdout, summary, time.Since(start))
	return nil
}

// The demo command's marker of a load in place (sqldb.DB.DemoLoadState).
const (
	demoLoading = "loading"
	demoWhole   = "loaded"
)

// loadInPlace loads the demo bank into a PostgreSQL database that holds
// nothing but the bootstrap, marked as loading until the bank is whole: a
// load that fails or is killed is resumed by the next run, which empties the
// database first (cmdDemo), so a half bank never stays.
func loadInPlace(ctx context.Context, db *sqldb.DB, svc demo.Services, start time.Time) (*demo.Summary, error) {
	empty, err := db.BootstrapOnly(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		return nil, errors.New("demo: the demo bank loads only into an empty database (this one holds other units, users or cases)")
	}
	if err := db.SetDemoLoadState(ctx, demoLoading); err != nil {
		return nil, err
	}
	summary, err := loadDemo(ctx, db, svc, start)
	if err != nil {
		return nil, fmt.Errorf("%w\nRun redress demo again: it empties the database and loads the whole bank", err)
	}
	if err := db.SetDemoLoadState(ctx, demoWhole); err != nil {
		return nil, err
	}
	return summary, nil
}

// stagingSuffix names the copy of a SQLite database the demo bank is built
// in before it replaces the database.
const stagingSuffix = ".demo-loading"

// loadDemoStaged builds the demo bank in a copy of the SQLite database of
// cfg and moves the copy into place when the load is complete. It holds the
// database's lock exclusive throughout, so no server writes to the file
// that the copy replaces (and none starts meanwhile). A copy left by a load
// that was killed is removed first.
func loadDemoStaged(ctx context.Context, cfg Config, log *slog.Logger, start time.Time) (*demo.Summary, error) {
	lock, err := lockDatabase(cfg.DB, true)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	defer lock.Release()
	target := sqldb.SQLitePath(cfg.DB)
	staging := target + stagingSuffix
	if err := removeDatabaseFiles(staging); err != nil {
		return nil, fmt.Errorf("demo: a copy left by an earlier load: %w", err)
	}
	if err := sqldb.Backup(ctx, cfg.DB, staging); err != nil {
		return nil, fmt.Errorf("demo: copy the database to load into: %w", err)
	}
	stagedCfg := cfg
	stagedCfg.DB = staging
	db, err := openDB(ctx, stagedCfg, log)
	if err != nil {
		return nil, err
	}
	summary, err := loadDemo(ctx, db, demoServices(db, stagedCfg), start)
	if closeErr := db.Close(); err == nil && closeErr != nil {
		err = fmt.Errorf("demo: close the loaded copy: %w", closeErr)
	}
	if err != nil {
		if rmErr := removeDatabaseFiles(staging); rmErr != nil {
			log.Warn("demo: the partial copy could not be removed; the next run removes it", "path", staging, "error", rmErr)
		}
		return nil, fmt.Errorf("%w\nNothing was changed: %s is as it was; run redress demo again", err, target)
	}
	// A clean close leaves no write-ahead log; one left over would be
	// applied to the wrong file, so the old database's go first.
	if _, err := os.Stat(staging + "-wal"); err == nil {
		return nil, fmt.Errorf("demo: the loaded copy %s still has a write-ahead log; %s is unchanged", staging, target)
	}
	for _, stale := range []string{target + "-wal", target + "-shm"} {
		if err := os.Remove(stale); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	if err := os.Rename(staging, target); err != nil {
		return nil, fmt.Errorf("demo: move the loaded bank into place: %w", err)
	}
	if err := syncDir(filepath.Dir(target)); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return summary, nil
}

// removeDatabaseFiles removes a SQLite database file and its write-ahead
// log and shared-memory files, those that exist.
func removeDatabaseFiles(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// demoServices are the services the demo loads through, the deadline sweep
// with the server's options (in-app notices only: the demo sends nothing
// outside).
func demoServices(db *sqldb.DB, cfg Config) demo.Services {
	opts := sqldb.SweepOptions{DueSoonDays: cfg.DueSoonDays, Calendars: db.Calendars, BaseURL: cfg.BaseURL, OpinionBooks: true}
	return demo.Services{Orgs: sqldb.NewOrgService(db), Users: sqldb.NewUserService(db), Cases: sqldb.NewCaseService(db),
		Sweep: func(ctx context.Context, now time.Time) (*redress.SweepReport, error) {
			return db.Sweep(ctx, now, opts)
		}}
}

// loadDemo loads the demo bank into db as its admin, the store's clock set
// to each step's simulated time and back to the real one afterwards.
func loadDemo(ctx context.Context, db *sqldb.DB, svc demo.Services, start time.Time) (*demo.Summary, error) {
	operator := redress.WithUser(ctx, &redress.User{Login: "admin", Role: redress.RoleAdmin})
	admin, err := findAdmin(operator, svc.Users)
	if err != nil {
		return nil, err
	}
	defer func() { db.Now = time.Now }()
	return demo.Load(ctx, svc, admin, func(t time.Time) { db.Now = func() time.Time { return t } }, start, demoSeed)
}

// bootstrap prepares an empty database, as serve does, and prints the admin
// password it generated, if any. The demo calls it with the store's clock
// at the start of the demo's history, so the audit trail reads in time order.
func bootstrap(ctx context.Context, db *sqldb.DB, cfg Config, stdout io.Writer) error {
	password, err := db.Bootstrap(ctx, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if password != "" && cfg.AdminPassword == "" {
		fmt.Fprintf(stdout, "Created user admin with password %s (shown once; change it after signing in)\n", password)
	}
	return nil
}

// demoLoaded reports whether the demo bank's marker unit exists.
func demoLoaded(ctx context.Context, orgs redress.OrgService) (bool, error) {
	units, err := orgs.ListOrgs(ctx)
	if err != nil {
		return false, err
	}
	for _, u := range units {
		if u.Code == demo.Marker {
			return true, nil
		}
	}
	return false, nil
}

// findAdmin returns the bootstrap admin as stored, to act as in the demo.
func findAdmin(ctx context.Context, users redress.UserService) (*redress.User, error) {
	admins, err := users.ListUsers(ctx, redress.UserFilter{Role: redress.RoleAdmin})
	if err != nil {
		return nil, err
	}
	for _, u := range admins {
		if u.Login == "admin" {
			return u, nil
		}
	}
	if len(admins) > 0 {
		return admins[0], nil
	}
	return nil, errors.New("demo: no admin user to load the demo bank as")
}

func printDemoSummary(w io.Writer, s *demo.Summary, took time.Duration) {
	fmt.Fprintf(w, "Loaded the demo bank in %s: %d org units, %d users, %d cases.\n",
		took.Round(100*time.Millisecond), s.Orgs, s.Users, s.Cases)
	fmt.Fprint(w, "Cases by status:")
	for _, st := range redress.Statuses {
		fmt.Fprintf(w, " %s %d", st, s.ByStatus[st])
	}
	fmt.Fprint(w, "\nCases by level:")
	for level := 1; level <= 4; level++ {
		fmt.Fprintf(w, " %d: %d", level, s.ByLevel[level])
	}
	fmt.Fprintf(w, "\nOverdue: %d open past the decision deadline. Resolved on the spot: %d. Reopened: %d.\n",
		s.Overdue, s.OnSpot, s.Reopened)
	if s.Swept != nil {
		fmt.Fprintf(w, "The deadline sweep as of now (%s) sent %d due-soon and %d overdue notices and escalated %d cases;\n"+
			"the figures above count the cases after it, so the server's first sweep finds nothing new.\n",
			s.Swept.Today, s.Swept.DueSoon, s.Swept.Overdue, s.Swept.Escalated)
	}
	fmt.Fprintln(w)
	printDemoLogins(w, s.Logins, s.Password)
}

// printDemoLogins prints who can sign in to the demo bank and how.
func printDemoLogins(w io.Writer, logins []demo.Login, password string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tROLE\tUNIT\tNAME")
	for _, l := range logins {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s (%s)\n", l.Login, l.Role, l.Org, l.Name, l.OrgName)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nEvery demo user's password is %s. To get an API token for one, run:\n", password)
	fmt.Fprintln(w, "  redress token create --login <login>")
	fmt.Fprintln(w, "with the same --data or --db as this command.")
}

// demoLogins lists the demo bank's users as stored (the admin aside), with
// their units' names.
func demoLogins(ctx context.Context, svc demo.Services) ([]demo.Login, error) {
	units, err := svc.Orgs.ListOrgs(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.Code] = u.Name
	}
	users, err := svc.Users.ListUsers(ctx, redress.UserFilter{})
	if err != nil {
		return nil, err
	}
	var out []demo.Login
	for _, u := range users {
		if u.Role != redress.RoleAdmin && !u.Disabled {
			out = append(out, demo.Login{Login: u.Login, Name: u.Name, Role: u.Role, Org: u.OrgCode, OrgName: names[u.OrgCode]})
		}
	}
	return out, nil
}
