package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"redress"
	"redress/export"
	"redress/sqldb"
	"redress/web"
)

// cmdImport imports a bank's history from a CSV or XLSX file (docs/import.md):
// every row checked, the rejected rows listed with their reasons (and written
// to --rejects as Excel or CSV), a dry run that writes no case, progress on
// stderr after each batch. The cases are registered as the user --as (a user
// holding case.import: the admin).
func cmdImport(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	cfg.bindStorage(fs)
	file := fs.String("file", "", "the CSV or XLSX file to import (required)")
	dryRun := fs.Bool("dry-run", false, "check every row and report, import nothing")
	as := fs.String("as", "admin", "the user the cases are registered by: one holding case.import")
	rejects := fs.String("rejects", "", "write the rejected rows to this file (.xlsx or .csv)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *file == "" {
		return fmt.Errorf("%w: import needs --file FILE (.csv or .xlsx)", errUsage)
	}
	if ext := filepath.Ext(*file); ext != ".csv" && ext != ".xlsx" {
		return fmt.Errorf("%w: --file must name a .csv or .xlsx file, not %q", errUsage, *file)
	}
	var rejectsFormat export.Format
	if *rejects != "" {
		switch filepath.Ext(*rejects) {
		case ".xlsx":
			rejectsFormat = export.XLSX
		case ".csv":
			rejectsFormat = export.CSV
		default:
			return fmt.Errorf("%w: --rejects must name a .xlsx or .csv file", errUsage)
		}
	}
	f, err := os.Open(*file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	header, rows, closeFile, err := web.OpenImportFile(f, info.Size(), *file)
	if err != nil {
		return fmt.Errorf("import %s: %w", *file, err)
	}
	defer closeFile()
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.ImportUserAsOperator(ctx, *as)
	if err != nil {
		return fmt.Errorf("import --as %s: %w (the units and users come first: serve or user add sets up the database)", *as, err)
	}
	ctx = redress.WithUser(ctx, u)
	svc := sqldb.NewImportService(db)
	run, err := svc.StartImport(ctx, filepath.Base(*file), *dryRun)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	start := time.Now()
	progress := func(r redress.ImportRun) {
		fmt.Fprintf(stderr, "import %d: %d rows read: %d imported, %d skipped, %d rejected (%.0f rows/s)\n",
			r.ID, r.Rows, r.Imported, r.Skipped, r.Rejected, float64(r.Rows)/max(time.Since(start).Seconds(), 0.001))
	}
	run, runErr := svc.RunImport(ctx, run.ID, redress.ImportInput{File: run.File, DryRun: *dryRun, Header: header, Rows: rows, Progress: progress})
	if run == nil {
		return fmt.Errorf("import: %w", runErr)
	}
	mode := "imported"
	if run.DryRun {
		mode = "would import (dry run: nothing written)"
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "import run %d of %s: %s, %d rows in %s (%.0f rows/s): %s %d, skipped %d (imported before), rejected %d\n",
		run.ID, run.File, run.State, run.Rows, elapsed.Round(time.Millisecond), float64(run.Rows)/max(elapsed.Seconds(), 0.001),
		mode, run.Imported, run.Skipped, run.Rejected)
	shown := 0
	err = svc.ImportRejects(ctx, run.ID, func(r redress.ImportReject) error {
		if shown++; shown <= 20 {
			fmt.Fprintf(stdout, "  row %d %s: %s: %s\n", r.Row, r.ExternalNo, r.Field, r.Reason)
		}
		return nil
	})
	if shown > 20 {
		fmt.Fprintf(stdout, "  … %d more problems (--rejects FILE writes them all)\n", shown-20)
	}
	if err == nil && rejectsFormat != "" {
		err = writeRejects(ctx, svc, run.ID, *rejects, rejectsFormat)
	}
	return errors.Join(runErr, err)
}

// writeRejects writes a run's rejected rows to a file.
func writeRejects(ctx context.Context, svc *sqldb.ImportService, id int64, path string, format export.Format) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("rejects: %w", err)
	}
	w, err := export.NewWriter(format, out)
	if err != nil {
		out.Close()
		return err
	}
	err = w.Table("rejected rows", []export.Column{{Title: "row", Kind: export.Int}, {Title: "external_no", Width: 18},
		{Title: "field", Width: 16}, {Title: "reason", Width: 50}})
	if err == nil {
		err = svc.ImportRejects(ctx, id, func(r redress.ImportReject) error { return w.Row(r.Row, r.ExternalNo, r.Field, r.Reason) })
	}
	return errors.Join(err, w.Close(), out.Close())
}
