package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"redress"
)

// memOutbox is an in-memory OutboxStore with the semantics of the database
// one: claims with a lease, outcomes recorded only by the claimant.
type memOutbox struct {
	mu        sync.Mutex
	rows      []*memRow
	finishErr error
}

type memRow struct {
	n            redress.Notification
	next         time.Time
	claimedBy    string
	claimedUntil time.Time
	finished     []redress.Delivery
}

func (m *memOutbox) add(n redress.Notification, at time.Time) {
	n.Status = redress.NotifyPending
	m.rows = append(m.rows, &memRow{n: n, next: at})
}

func (m *memOutbox) ClaimNotifications(_ context.Context, claimant string, channels []redress.NotifyChannel, now time.Time,
	limit int, lease time.Duration) ([]*redress.Notification, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*redress.Notification
	for _, r := range m.rows {
		wanted := false
		for _, ch := range channels {
			wanted = wanted || ch == r.n.Channel
		}
		if !wanted || r.n.Status != redress.NotifyPending || r.next.After(now) || r.claimedUntil.After(now) || len(out) == limit {
			continue
		}
		r.claimedBy, r.claimedUntil = claimant, now.Add(lease)
		n := r.n
		out = append(out, &n)
	}
	return out, nil
}

func (m *memOutbox) FinishNotification(_ context.Context, id int64, claimant string, d redress.Delivery) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.finishErr != nil {
		return m.finishErr
	}
	for _, r := range m.rows {
		if r.n.ID == id && r.claimedBy == claimant {
			r.finished = append(r.finished, d)
			r.n.Status, r.n.Attempts = d.Status, r.n.Attempts+1
			r.next, r.claimedBy, r.claimedUntil = d.RetryAt, "", time.Time{}
			return nil
		}
	}
	return errors.New("not claimed")
}

// senderFunc adapts a function to redress.Sender.
type senderFunc func(ctx context.Context, n redress.Notification) error

func (f senderFunc) Send(ctx context.Context, n redress.Notification) error { return f(ctx, n) }

func TestOutboxBackoffUntilDead(t *testing.T) {
	clock := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	store := &memOutbox{}
	store.add(redress.Notification{ID: 1, Channel: redress.NotifyEmail, To: "li.qiang@bank.example"}, clock)
	var sends int
	sender := senderFunc(func(_ context.Context, n redress.Notification) error {
		sends++
		return errors.New("451 try later, " + n.To)
	})
	logs := &syncBuffer{}
	o := NewOutbox(store, map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: sender},
		func() time.Time { return clock }, slog.New(slog.NewTextHandler(logs, nil)))
	start := clock
	var waited time.Duration
	for attempt := 1; attempt <= redress.MaxAttempts; attempt++ {
		report, err := o.Once(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		row := store.rows[0]
		d := row.finished[len(row.finished)-1]
		if attempt < redress.MaxAttempts {
			if report != (OutboxReport{Retried: 1}) || d.Status != redress.NotifyPending || !d.RetryAt.Equal(clock.Add(redress.RetryDelay(attempt))) {
				t.Fatalf("attempt %d: %+v %+v", attempt, report, d)
			}
			if again, _ := o.Once(context.Background()); again != (OutboxReport{}) {
				t.Fatalf("attempt %d was retried before its time", attempt)
			}
			clock = d.RetryAt
			continue
		}
		if report != (OutboxReport{Dead: 1}) || d.Status != redress.NotifyDead || !strings.Contains(d.Error, "gave up after 10 attempts") {
			t.Fatalf("last attempt: %+v %+v", report, d)
		}
		waited = clock.Sub(start)
	}
	if sends != redress.MaxAttempts {
		t.Fatalf("%d sends, want %d", sends, redress.MaxAttempts)
	}
	// 1+2+4+8+16+32 minutes, then 3 hours at the cap.
	if want := 63*time.Minute + 3*time.Hour; waited != want {
		t.Fatalf("gave up after %v, want %v", waited, want)
	}
	clock = clock.Add(24 * time.Hour)
	if report, _ := o.Once(context.Background()); report != (OutboxReport{}) || sends != redress.MaxAttempts {
		t.Fatal("a dead notification was tried again")
	}
	for _, d := range store.rows[0].finished {
		if strings.Contains(d.Error, "li.qiang@bank.example") {
			t.Fatalf("a stored error shows the address: %s", d.Error)
		}
	}
	if strings.Contains(logs.String(), "li.qiang@bank.example") || !strings.Contains(logs.String(), "l***@bank.example") {
		t.Fatalf("log: %s", logs.String())
	}
}

func TestOutboxPermanentAndMissingAddress(t *testing.T) {
	clock := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	store := &memOutbox{}
	store.add(redress.Notification{ID: 1, Channel: redress.NotifySMS, To: "13912345678"}, clock)
	store.add(redress.Notification{ID: 2, Channel: redress.NotifySMS, To: ""}, clock)
	store.add(redress.Notification{ID: 3, Channel: redress.NotifyEmail, To: "li.qiang@bank.example"}, clock) // no e-mail sender
	var sent []int64
	sms := senderFunc(func(_ context.Context, n redress.Notification) error {
		sent = append(sent, n.ID)
		return redress.Permanent(errors.New("gateway: 400 invalid number 139****5678"))
	})
	o := NewOutbox(store, map[redress.NotifyChannel]redress.Sender{redress.NotifySMS: sms}, func() time.Time { return clock }, nil)
	report, err := o.Once(context.Background())
	if err != nil || report != (OutboxReport{Failed: 2}) {
		t.Fatalf("run: %+v %v", report, err)
	}
	if len(sent) != 1 || sent[0] != 1 {
		t.Fatalf("sent %v: a notification without an address must not reach the sender", sent)
	}
	if d := store.rows[1].finished; len(d) != 1 || d[0].Status != redress.NotifyFailed || !strings.Contains(d[0].Error, "no address") {
		t.Fatalf("missing address: %+v", d)
	}
	if store.rows[2].n.Status != redress.NotifyPending || store.rows[2].claimedBy != "" {
		t.Fatalf("a channel without a sender was claimed: %+v", store.rows[2])
	}
	clock = clock.Add(48 * time.Hour)
	if report, _ := o.Once(context.Background()); report != (OutboxReport{}) || len(sent) != 1 {
		t.Fatal("a failed notification was tried again")
	}
	if report, err := NewOutbox(store, nil, nil, nil).Once(context.Background()); err != nil || report != (OutboxReport{}) {
		t.Fatalf("an outbox without senders: %+v %v", report, err)
	}
}

func TestOutboxRecordFailureIsLogged(t *testing.T) {
	clock := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	store := &memOutbox{finishErr: errors.New("database is locked")}
	store.add(redress.Notification{ID: 1, Channel: redress.NotifyEmail, To: "li.qiang@bank.example"}, clock)
	logs := &syncBuffer{}
	o := NewOutbox(store, map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: senderFunc(func(context.Context, redress.Notification) error { return nil })},
		func() time.Time { return clock }, slog.New(slog.NewTextHandler(logs, nil)))
	if report, err := o.Once(context.Background()); err != nil || report != (OutboxReport{}) {
		t.Fatalf("run: %+v %v", report, err)
	}
	if !strings.Contains(logs.String(), "database is locked") || !strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("log: %s", logs.String())
	}
}

func TestOutboxShutdownLeavesTheClaim(t *testing.T) {
	clock := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	store := &memOutbox{}
	store.add(redress.Notification{ID: 1, Channel: redress.NotifyEmail, To: "li.qiang@bank.example"}, clock)
	store.add(redress.Notification{ID: 2, Channel: redress.NotifyEmail, To: "li.qiang@bank.example"}, clock)
	ctx, cancel := context.WithCancel(context.Background())
	o := NewOutbox(store, map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: senderFunc(func(ctx context.Context, n redress.Notification) error {
		cancel() // the server shuts down while the first one is being sent
		return ctx.Err()
	})}, func() time.Time { return clock }, nil)
	if report, err := o.Once(ctx); !errors.Is(err, context.Canceled) || report != (OutboxReport{}) {
		t.Fatalf("run: %+v %v", report, err)
	}
	for _, r := range store.rows {
		if len(r.finished) != 0 || r.n.Attempts != 0 {
			t.Fatalf("a shutdown counted as an attempt: %+v", r)
		}
	}
}

func TestOutboxLeaveTheRestWhenTheLeaseRunsLow(t *testing.T) {
	clock := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	store := &memOutbox{}
	for id := int64(1); id <= 3; id++ {
		store.add(redress.Notification{ID: id, Channel: redress.NotifyEmail, To: "li.qiang@bank.example"}, clock)
	}
	var o *Outbox
	o = NewOutbox(store, map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: senderFunc(func(context.Context, redress.Notification) error {
		clock = clock.Add(o.Lease / 3) // a slow server
		return nil
	})}, func() time.Time { return clock }, nil)
	o.Batch = 3
	report, err := o.Once(context.Background())
	if err != nil || report.Sent != 2 {
		t.Fatalf("run: %+v %v", report, err)
	}
	// The one left is still claimed until its lease ends, then sent.
	if store.rows[2].claimedBy == "" {
		t.Fatal("the row left behind lost its claim early")
	}
	clock = clock.Add(o.Lease)
	if report, err := o.Once(context.Background()); err != nil || report.Sent != 1 {
		t.Fatalf("after the lease: %+v %v", report, err)
	}
}

func TestOutboxRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	store := &memOutbox{}
	o := NewOutbox(store, map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: senderFunc(func(context.Context, redress.Notification) error { return nil })}, nil, nil)
	o.Interval = time.Millisecond
	done := make(chan struct{})
	go func() {
		o.Run(ctx)
		close(done)
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when its context was cancelled")
	}
}
