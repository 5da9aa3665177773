// Package jobs runs Redress's background work over database state: the
// deadline sweep and the notification outbox. Each job is a loop with an
// injected clock and logger that stops when its context is cancelled. The
// work itself is claimed in the database (a unique alert row per notice, a
// lease per outbox row), never held in memory, so several servers may run
// the same jobs on one database.
//
// The jobs take the store through small interfaces; cmd/redress wires the
// sqldb implementation.
package jobs

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"redress"
)

// Sweeper sweeps the deadlines of the open cases as of now: it sends each
// due-soon and overdue notice once and escalates overdue cases.
type Sweeper interface {
	Sweep(ctx context.Context, now time.Time) (*redress.SweepReport, error)
}

// SweepFunc adapts a function to Sweeper.
type SweepFunc func(ctx context.Context, now time.Time) (*redress.SweepReport, error)

// Sweep calls f.
func (f SweepFunc) Sweep(ctx context.Context, now time.Time) (*redress.SweepReport, error) {
	return f(ctx, now)
}

// DefaultSweepInterval is how often the deadlines are swept by default.
const DefaultSweepInterval = 5 * time.Minute

// Sweep runs a Sweeper at start and then periodically.
type Sweep struct {
	store    Sweeper
	interval time.Duration
	now      func() time.Time
	log      *slog.Logger

	// Observe, when set, hears of each run of the loop: how long it took
	// (the process's monotonic clock) and its error (the metrics).
	Observe func(took time.Duration, err error)
}

// NewSweep returns the sweep loop of store, run every interval (0 means
// DefaultSweepInterval), with the clock now (nil means time.Now) and log
// (nil discards).
func NewSweep(store Sweeper, interval time.Duration, now func() time.Time, log *slog.Logger) *Sweep {
	if interval <= 0 {
		interval = DefaultSweepInterval
	}
	return &Sweep{store: store, interval: interval, now: clockOr(now), log: loggerOr(log)}
}

// Run sweeps at once and then every interval until ctx is done.
func (s *Sweep) Run(ctx context.Context) {
	every(ctx, s.interval, func(ctx context.Context) {
		start := time.Now()
		_, err := s.Once(ctx)
		observe(s.Observe, start, err)
	})
}

// Once sweeps once and logs what happened: the notices and escalations, a
// newly missing holiday schedule (a warning, once per region and year, like
// the alert to the administrators), and any error, which is logged here.
func (s *Sweep) Once(ctx context.Context) (*redress.SweepReport, error) {
	report, err := s.store.Sweep(ctx, s.now())
	if report != nil {
		for _, year := range report.NewAlerts {
			s.log.WarnContext(ctx, "holiday schedule missing: deadlines in that year are counted in calendar days until an administrator adds it",
				slog.String("calendar", year))
		}
		if report.DueSoon+report.Overdue+report.Escalated+report.CorrectiveOverdue+report.OpinionBooksMissed+report.IncidentsEscalated > 0 {
			s.log.InfoContext(ctx, "deadline sweep", slog.String("today", report.Today.String()),
				slog.Int("due_soon", report.DueSoon), slog.Int("overdue", report.Overdue),
				slog.Int("escalated", report.Escalated), slog.Int("notifications", report.Notifications),
				slog.Int("corrective_overdue", report.CorrectiveOverdue), slog.Int("opinion_books_missed", report.OpinionBooksMissed),
				slog.Int("incidents_escalated", report.IncidentsEscalated),
				slog.String("calendar_missing", strings.Join(report.MissingYears, ",")))
		}
	}
	if err != nil && ctx.Err() == nil {
		s.log.ErrorContext(ctx, "deadline sweep failed", slog.String("error", err.Error()))
	}
	return report, err
}

// every calls fn at once and then every interval until ctx is done. A call
// that overruns the interval delays the next one rather than overlapping it.
func every(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		if ctx.Err() != nil {
			return
		}
		fn(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// observe tells o (if any) of a run that began at start.
func observe(o func(time.Duration, error), start time.Time, err error) {
	if o != nil {
		o(time.Since(start), err)
	}
}

func clockOr(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

func loggerOr(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return log
}
