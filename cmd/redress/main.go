// Command redress is the Redress server and its administration commands.
//
//	redress serve        run the web server (migrates and bootstraps an empty database)
//	redress migrate      apply database migrations
//	redress demo         load the demo bank
//	redress user add     create a user
//	redress token create issue an API token (printed once)
//	redress audit verify check the audit hash chain
//	redress keys rotate  re-encrypt personal data under a new key version
//	redress retention    anonymise what its retention period let expire (--dry-run: count it)
//	redress backup       copy a live SQLite database and its key file into one file
//	redress restore      bring a backup back into a fresh data directory
//	redress deadline     print a deadline by the PRC working-day calendar
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"redress"
	"redress/sqldb"
)

const usage = `redress: complaint and petition case management for banks

Usage:
  redress serve [--addr 127.0.0.1:8080] [--portal-addr ADDR] [--metrics-addr 127.0.0.1:PORT] [--data ./data] [--db DSN]
  redress migrate [--data DIR] [--db DSN]
  redress demo [--data DIR] [--db DSN]
  redress user add --login L --name N --role ROLE --org CODE [--password P]
  redress token create --login L [--label TEXT] [--expires-days N]
  redress audit verify
  redress keys rotate
  redress retention [--dry-run]
  redress backup --to FILE
  redress restore --from FILE [--force]
  redress deadline --from YYYY-MM-DD --days N [--working] [--region CN]
  redress deadline --from YYYY-MM-DD --policy complaint --clock decision
  redress import --file complaints.xlsx|csv [--dry-run] [--as admin] [--rejects FILE.xlsx]

Every command takes --data and --db. --db is a SQLite file path (default
<data>/redress.db) or a postgres:// URL; the key file stays in --data.
--portal-addr serves the public handler (the customer portal) on a second
address; it is off when empty. --metrics-addr serves /metrics and the Go
profiles (/debug/pprof/) to an admin's token on a loopback address; /metrics
is also on the staff address, to an admin.
backup copies a SQLite database while it serves, with the key file; restore
refuses to replace an existing database without --force. PostgreSQL is
backed up with pg_dump and pg_restore (see the README).
retention anonymises the records whose period (admin data) ended, while a
server serves; --dry-run counts them by kind and changes nothing.
import brings in a bank's history (docs/import.md); a re-run skips the rows
already imported.
Environment: REDRESS_ADDR, REDRESS_PORTAL_ADDR, REDRESS_METRICS_ADDR, REDRESS_DATA, REDRESS_DB,
REDRESS_KEY_FILE, REDRESS_ADMIN_PASSWORD.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks a mistake in the command line: exit status 2.
var errUsage = errors.New("usage")

// run executes one command and returns the process exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errAuditBroken):
		return 1
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "redress: %v\n\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "redress: %v\n", err)
		return 1
	}
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: no command given", errUsage)
	}
	cfg := defaultConfig()
	switch cmd := args[0]; cmd {
	case "serve":
		return cmdServe(ctx, cfg, args[1:], stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, cfg, args[1:], stdout, stderr)
	case "demo":
		return cmdDemo(ctx, cfg, args[1:], stdout, stderr)
	case "deadline":
		return cmdDeadline(ctx, cfg, args[1:], stdout, stderr)
	case "backup":
		return cmdBackup(ctx, cfg, args[1:], stdout, stderr)
	case "restore":
		return cmdRestore(ctx, cfg, args[1:], stdout, stderr)
	case "retention":
		return cmdRetention(ctx, cfg, args[1:], stdout, stderr)
	case "import":
		return cmdImport(ctx, cfg, args[1:], stdout, stderr)
	case "user", "token", "audit", "keys":
		if len(args) < 2 {
			return fmt.Errorf("%w: %s needs a subcommand", errUsage, cmd)
		}
		switch cmd + " " + args[1] {
		case "user add":
			return cmdUserAdd(ctx, cfg, args[2:], stdout, stderr)
		case "token create":
			return cmdTokenCreate(ctx, cfg, args[2:], stdout, stderr)
		case "audit verify":
			return cmdAuditVerify(ctx, cfg, args[2:], stdout, stderr)
		case "keys rotate":
			return cmdKeysRotate(ctx, cfg, args[2:], stdout, stderr)
		}
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd+" "+args[1])
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}

// parseFlags parses a subcommand's flags; stray arguments are a usage error.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

// openDB opens and migrates the database of cfg, creating the data
// directory and the key file when they are missing.
func openDB(ctx context.Context, cfg Config, log *slog.Logger) (*sqldb.DB, error) {
	cfg.resolve()
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	keys, created, err := loadKeyring(cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	if created {
		log.Warn("created a new personal-data key file: back it up apart from the database", "path", cfg.KeyFile)
	}
	db, err := sqldb.Open(ctx, cfg.DB, keys, log)
	if err != nil {
		return nil, err
	}
	db.SetKeyLoader(func() (*redress.Keyring, error) {
		ring, _, err := loadKeyring(cfg.KeyFile)
		return ring, err
	})
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func cmdMigrate(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg.bindStorage(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(stdout, "database is up to date")
	return nil
}

func cmdUserAdd(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	cfg.bindStorage(fs)
	var n redress.NewUser
	fs.StringVar(&n.Login, "login", "", "login (required)")
	fs.StringVar(&n.Name, "name", "", "full name (required)")
	role := fs.String("role", "", "staff, manager, branch_head, hq_service, auditor or admin (required)")
	fs.StringVar(&n.Org, "org", "", "org unit code (required)")
	fs.StringVar(&n.Password, "password", "", "password for browser sign-in (optional)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	n.Role = redress.Role(*role)
	if n.Login == "" || n.Name == "" || n.Role == "" || n.Org == "" {
		return fmt.Errorf("%w: user add needs --login, --name, --role and --org", errUsage)
	}
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Bootstrap(ctx, cfg.AdminPassword); err != nil {
		return err
	}
	u, err := db.CreateUserAsOperator(ctx, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (%s) at %s\n", u.Login, u.Role, u.OrgCode)
	return nil
}

func cmdTokenCreate(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	cfg.bindStorage(fs)
	login := fs.String("login", "", "the user the token acts as (required)")
	label := fs.String("label", "cli", "what the token is for")
	days := fs.Int("expires-days", 0, "the token expires after this many days (0: never)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *login == "" {
		return fmt.Errorf("%w: token create needs --login", errUsage)
	}
	if *days < 0 || *days > 3650 {
		return fmt.Errorf("%w: --expires-days must be 0 to 3650", errUsage)
	}
	var expires *time.Time
	if *days > 0 {
		at := time.Now().AddDate(0, 0, *days)
		expires = &at
	}
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	token, err := sqldb.NewTokenService(db).CreateToken(ctx, *login, *label, expires)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintln(stderr, "This token is shown once; store it now. Send it as: Authorization: Bearer <token>")
	return nil
}

// errAuditBroken makes audit verify exit with status 1.
var errAuditBroken = errors.New("audit chain broken")

func cmdAuditVerify(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	cfg.bindStorage(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	report, err := db.VerifyAuditAsOperator(ctx)
	if err != nil {
		return err
	}
	if !report.OK {
		fmt.Fprintf(stdout, "audit chain BROKEN at event %d: %s\n", report.FirstBad, report.Problem)
		return errAuditBroken
	}
	fmt.Fprintf(stdout, "audit chain intact: %d events, head %d %s\n", report.Events, report.HeadSeq, report.HeadHash)
	return nil
}
