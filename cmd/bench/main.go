// Command bench measures Redress over loopback HTTP on a generated dataset,
// next to the raw durable insert rate of the same database engine, and
// appends the results to docs/benchmarks.md. `make bench` builds and runs it.
//
//	bench [-size 100000] [-regen] [-dir /tmp/redress-bench] [-redress bin/redress] [-out docs/benchmarks.md]
//
// Environment: BENCH_SIZE, BENCH_REGEN=1, BENCH_DIR, BENCH_REQUESTS (intake
// requests per concurrency, default 2000), BENCH_READS (requests per read
// measurement, default 1000), BENCH_SEED, BENCH_ONLY (a comma-separated
// list of the measurement groups to run: intake, queues, search, case,
// actions, reports, signin, mixed, export; default all), BENCH_WAIT (how
// long to wait, in seconds, for other work on the machine to pass before
// generating and measuring, default 300), BENCH_PROFILE (a directory: the
// server's CPU profile during the intake at concurrency 16 is written
// there, intake-<engine>.pprof), and BENCH_POSTGRES or
// REDRESS_TEST_POSTGRES (a postgres:// DSN of a server the benchmark may
// create databases on; BENCH_POSTGRES=off skips PostgreSQL, BENCH_SQLITE=off
// skips SQLite; when neither is
// set and PostgreSQL is installed, the benchmark runs its own durable
// throwaway cluster).
//
// Datasets are kept under the bench directory (SQLite) or as databases on
// the PostgreSQL server, keyed by size, migrated when the schema has moved
// on, and made again only when missing, made by another generator version,
// or asked for. Each run works on a copy, so every run starts from the same
// data. All load goes to 127.0.0.1 and is bounded in count
// and time.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// config is every setting of one benchmark run.
type config struct {
	size     int
	seed     uint64
	regen    bool
	dir      string          // where datasets and run copies live
	redress  string          // the redress binary
	out      string          // the Markdown file the run is appended to; "" for none
	requests int             // intake requests per concurrency
	reads    int             // requests per read measurement
	postgres string          // DSN, "off", or "" for a throwaway cluster when PostgreSQL is installed
	only     map[string]bool // the measurement groups to run; nil: all
	wait     time.Duration   // how long to wait for a quiet machine
	profile  string          // directory for the server's CPU profiles; "" for none
	args     []string
}

// The measurement groups BENCH_ONLY may name.
var measurementGroups = []string{"intake", "queues", "search", "case", "actions", "reports", "signin", "mixed", "export"}

// wants reports whether the run measures group.
func (cfg *config) wants(group string) bool { return cfg.only == nil || cfg.only[group] }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	cfg, err := parseConfig(args)
	if err != nil {
		return err
	}
	if _, err := os.Stat(cfg.redress); err != nil {
		return fmt.Errorf("the redress binary %s: %w (run `make bench`, which builds it)", cfg.redress, err)
	}
	if err := os.MkdirAll(cfg.dir, 0o755); err != nil {
		return fmt.Errorf("bench directory: %w", err)
	}
	started := time.Now()
	facts := machineFacts(cfg.dir)
	var results []*engineResult
	if os.Getenv("BENCH_SQLITE") == "off" {
		results = append(results, &engineResult{engine: "sqlite", unavailable: "skipped (BENCH_SQLITE=off)"})
	} else {
		results = append(results, runEngine(ctx, cfg, sqliteEngine(cfg)))
	}
	pg, cleanup, why := postgresEngine(ctx, cfg)
	if pg != nil {
		results = append(results, runEngine(ctx, cfg, pg))
	} else {
		results = append(results, &engineResult{engine: "postgres", unavailable: why})
	}
	cleanup()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	rep := &report{cfg: cfg, facts: facts, started: started, took: time.Since(started), engines: results}
	fmt.Println()
	fmt.Print(rep.text())
	if cfg.out != "" {
		if err := rep.appendTo(cfg.out); err != nil {
			return err
		}
		fmt.Printf("\nAppended this run to %s.\n", cfg.out)
	}
	for _, r := range results {
		if r.err != nil {
			return fmt.Errorf("%s: %w", r.engine, r.err)
		}
	}
	return nil
}

func parseConfig(args []string) (*config, error) {
	cfg := &config{
		size:     envInt("BENCH_SIZE", 100000),
		seed:     uint64(envInt("BENCH_SEED", 2026)),
		regen:    os.Getenv("BENCH_REGEN") == "1",
		dir:      envOr("BENCH_DIR", "/tmp/redress-bench"),
		requests: envInt("BENCH_REQUESTS", 2000),
		reads:    envInt("BENCH_READS", 1000),
		postgres: os.Getenv("BENCH_POSTGRES"),
		wait:     time.Duration(envInt("BENCH_WAIT", 300)) * time.Second,
		profile:  os.Getenv("BENCH_PROFILE"),
		args:     args,
	}
	if cfg.postgres == "" {
		cfg.postgres = os.Getenv("REDRESS_TEST_POSTGRES")
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&cfg.size, "size", cfg.size, "cases in the dataset (BENCH_SIZE)")
	fs.BoolVar(&cfg.regen, "regen", cfg.regen, "generate the datasets again (BENCH_REGEN=1)")
	fs.StringVar(&cfg.dir, "dir", cfg.dir, "where datasets and run copies live (BENCH_DIR)")
	fs.StringVar(&cfg.redress, "redress", "bin/redress", "the redress binary to measure")
	fs.StringVar(&cfg.out, "out", "docs/benchmarks.md", "append the results to this Markdown file (\"\" for none)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if v := strings.TrimSpace(os.Getenv("BENCH_ONLY")); v != "" {
		cfg.only = map[string]bool{}
		for _, g := range strings.Split(v, ",") {
			g = strings.TrimSpace(g)
			if !slices.Contains(measurementGroups, g) {
				return nil, fmt.Errorf("BENCH_ONLY: unknown group %q (want some of %s)", g, strings.Join(measurementGroups, ", "))
			}
			cfg.only[g] = true
		}
	}
	switch {
	case cfg.size < 1000 || cfg.size > 5_000_000:
		return nil, errors.New("size must be 1000 to 5000000 cases")
	case cfg.requests < 100 || cfg.requests > 100_000:
		return nil, errors.New("BENCH_REQUESTS must be 100 to 100000")
	case cfg.reads < 100 || cfg.reads > 100_000:
		return nil, errors.New("BENCH_READS must be 100 to 100000")
	}
	return cfg, nil
}

func envOr(name, fallback string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return fallback
}

func envInt(name string, fallback int) int {
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		return fallback
	}
	n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %s=%q is not a number; using %d\n", name, v, fallback)
		return fallback
	}
	return n
}

// logf prints a progress line.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
