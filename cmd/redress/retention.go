package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
)

// cmdRetention runs the retention job as the operator: with --dry-run it
// prints what expired, by kind, and changes nothing; without, it anonymises
// each expired record in a short transaction of its own, so a server keeps
// serving meanwhile. It holds the SQLite file's lock shared, as a server
// does: a demo load or a restore (which replace the file, exclusive) cannot
// start under it, and it does not start under one of them.
func cmdRetention(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("retention", flag.ContinueOnError)
	cfg.bindStorage(fs)
	dryRun := fs.Bool("dry-run", false, "count what expired by kind and change nothing")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg.resolve()
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	lock, err := lockDatabase(cfg.DB, false)
	if err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	defer lock.Release()
	report, err := db.RunRetentionAsOperator(ctx, *dryRun)
	if report != nil {
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "kind\tyears\tended before\texpired\theld")
		for _, k := range report.Kinds {
			fmt.Fprintf(w, "%s\t%d\t%s\t%d\t%d\n", k.Kind, k.Years, k.Cutoff, k.Expired, k.Held)
		}
		w.Flush()
		if *dryRun {
			fmt.Fprintf(stdout, "dry run: %d records would be anonymised; nothing was changed\n", report.Total())
		} else {
			fmt.Fprintf(stdout, "%d records anonymised, %d skipped (changed meanwhile), %d audit events redacted, %d evidence files deleted\n",
				report.Total()-report.Skipped, report.Skipped, report.Events, report.Files)
		}
	}
	return err
}
