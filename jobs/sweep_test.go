package jobs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"redress"
)

// syncBuffer is a log destination safe for a loop running in a goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSweepOnceUsesTheClockAndLogs(t *testing.T) {
	clock := time.Date(2026, 11, 22, 8, 0, 0, 0, redress.Beijing)
	var got time.Time
	report := &redress.SweepReport{Today: redress.DateOf(clock), DueSoon: 2, Notifications: 4,
		MissingYears: []string{"CN 2027"}, NewAlerts: []string{"CN 2027"}}
	logs := &syncBuffer{}
	s := NewSweep(SweepFunc(func(_ context.Context, now time.Time) (*redress.SweepReport, error) {
		got = now
		return report, nil
	}), 0, func() time.Time { return clock }, slog.New(slog.NewTextHandler(logs, nil)))
	if r, err := s.Once(context.Background()); err != nil || r != report {
		t.Fatalf("Once: %+v %v", r, err)
	}
	if !got.Equal(clock) {
		t.Fatalf("swept at %s, want the injected clock %s", got, clock)
	}
	if s.interval != DefaultSweepInterval {
		t.Fatalf("interval %v", s.interval)
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "calendar=\"CN 2027\"") || !strings.Contains(out, "due_soon=2") {
		t.Fatalf("log: %s", out)
	}

	failing := NewSweep(SweepFunc(func(context.Context, time.Time) (*redress.SweepReport, error) {
		return &redress.SweepReport{}, errors.New("sweep: database is locked")
	}), time.Minute, nil, slog.New(slog.NewTextHandler(logs, nil)))
	if _, err := failing.Once(context.Background()); err == nil {
		t.Fatal("the error was lost")
	}
	if !strings.Contains(logs.String(), `level=ERROR msg="deadline sweep failed" error="sweep: database is locked"`) {
		t.Fatalf("log: %s", logs.String())
	}
}

func TestSweepRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := make(chan struct{}, 100)
	s := NewSweep(SweepFunc(func(context.Context, time.Time) (*redress.SweepReport, error) {
		calls <- struct{}{}
		return &redress.SweepReport{}, nil
	}), time.Millisecond, nil, nil)
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	for range 3 { // at once, then on every tick
		select {
		case <-calls:
		case <-time.After(5 * time.Second):
			t.Fatal("the sweep did not run")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when its context was cancelled")
	}
}

// TestRunsAreObserved: each run of the sweep loop is told to its observer
// with its error (the metrics' job durations and failures).
func TestRunsAreObserved(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	failing := errors.New("database gone")
	s := NewSweep(SweepFunc(func(context.Context, time.Time) (*redress.SweepReport, error) { return nil, failing }), time.Hour, nil, nil)
	seen := make(chan error, 1)
	s.Observe = func(took time.Duration, err error) {
		if took < 0 {
			t.Errorf("a run took %v", took)
		}
		seen <- err
	}
	go s.Run(ctx)
	select {
	case err := <-seen:
		if !errors.Is(err, failing) {
			t.Fatalf("observed %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the run was not observed")
	}
}
