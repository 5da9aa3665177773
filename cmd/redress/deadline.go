package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"redress"
)

// cmdDeadline prints a deadline: N calendar or working days after a date,
// or a policy's clock, by the calendar in force (embedded State Council
// schedules plus the admin's overrides in the database).
func cmdDeadline(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deadline", flag.ContinueOnError)
	cfg.bindStorage(fs)
	from := fs.String("from", "", "start date YYYY-MM-DD; the day itself is not counted (required)")
	days := fs.Int("days", -1, "number of days (required unless --policy and --clock are given)")
	working := fs.Bool("working", false, "count working days (PRC calendar with 调休) instead of calendar days")
	region := fs.String("region", redress.RegionCN, "calendar region: CN or GB")
	policy := fs.String("policy", "", "a deadline policy, e.g. complaint or petition")
	clock := fs.String("clock", "", "a clock of the policy, e.g. decision")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	start, err := redress.ParseDate(*from)
	if err != nil {
		return fmt.Errorf("%w: --from must be a date YYYY-MM-DD", errUsage)
	}
	if *policy == "" && *days < 0 {
		return fmt.Errorf("%w: give --days N, or --policy and --clock", errUsage)
	}
	q := redress.DueQuery{From: start, Days: *days, Unit: redress.UnitCalendar, Region: *region, Policy: *policy, Clock: *clock}
	if *working {
		q.Unit = redress.UnitWorking
	}
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	due, err := db.DueAsOperator(ctx, q)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, due.Date)
	if due.Warning != "" {
		fmt.Fprintln(stderr, "note:", due.Warning)
	}
	return nil
}
