package jobs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"time"

	"redress"
)

// OutboxStore is the notification outbox in the database.
type OutboxStore interface {
	// ClaimNotifications claims for claimant, until now+lease, up to limit
	// pending notifications of the channels that are due at now, and
	// returns them with their recipient's address in To.
	ClaimNotifications(ctx context.Context, claimant string, channels []redress.NotifyChannel, now time.Time,
		limit int, lease time.Duration) ([]*redress.Notification, error)
	// FinishNotification records the outcome of an attempt and releases
	// the claim; it fails when claimant no longer holds it.
	FinishNotification(ctx context.Context, id int64, claimant string, d redress.Delivery) error
}

// Defaults of the outbox loop.
const (
	DefaultOutboxInterval = 30 * time.Second
	DefaultOutboxBatch    = 20
	// DefaultOutboxLease is how long a claim holds. A runner sends a batch
	// within half of it (each send is bounded by the sender's timeout) and
	// leaves the rest, so a claim never runs out while its runner sends.
	DefaultOutboxLease = 10 * time.Minute
)

// Outbox sends the pending e-mail and SMS notifications of the outbox,
// through one Sender per channel, and records each outcome: sent; retried
// with exponential backoff after a temporary failure (redress.NextDelivery),
// until it is dead; failed at once after a permanent one.
type Outbox struct {
	store   OutboxStore
	senders map[redress.NotifyChannel]redress.Sender
	now     func() time.Time
	log     *slog.Logger

	// Claimant names this runner in the claims it takes; NewOutbox makes a
	// unique one from the host, the process and a random part.
	Claimant string
	Batch    int           // notifications claimed at a time
	Lease    time.Duration // how long a claim holds
	Interval time.Duration // between runs

	// Observe, when set, hears of each run of the loop: how long it took
	// and its error (the metrics).
	Observe func(took time.Duration, err error)
}

// NewOutbox returns the outbox loop of store, sending through senders (the
// channels without a sender are left pending), with the clock now (nil
// means time.Now) and log (nil discards), and the default batch, lease and
// interval.
func NewOutbox(store OutboxStore, senders map[redress.NotifyChannel]redress.Sender, now func() time.Time, log *slog.Logger) *Outbox {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "redress"
	}
	return &Outbox{store: store, senders: senders, now: clockOr(now), log: loggerOr(log),
		Claimant: fmt.Sprintf("%s:%d:%s", host, os.Getpid(), rand.Text()[:8]),
		Batch:    DefaultOutboxBatch, Lease: DefaultOutboxLease, Interval: DefaultOutboxInterval}
}

// OutboxReport counts what one run of the outbox did.
type OutboxReport struct {
	Sent    int // handed over to the SMTP server or the SMS gateway
	Retried int // failed for now; tried again later
	Failed  int // failed permanently
	Dead    int // failed for the last allowed time
}

// Run sends at once and then every Interval until ctx is done.
func (o *Outbox) Run(ctx context.Context) {
	every(ctx, o.Interval, func(ctx context.Context) {
		start := time.Now()
		_, err := o.Once(ctx)
		observe(o.Observe, start, err)
	})
}

// Once sends what is due: it claims batches until none is left and sends
// each notification of a batch in turn. An error of the store is logged
// here and ends the run; failures to send are recorded on their
// notifications and logged with the recipient masked.
func (o *Outbox) Once(ctx context.Context) (OutboxReport, error) {
	var report OutboxReport
	channels := make([]redress.NotifyChannel, 0, len(o.senders))
	for ch := range o.senders {
		channels = append(channels, ch)
	}
	if len(channels) == 0 {
		return report, nil
	}
	sort.Slice(channels, func(i, j int) bool { return channels[i] < channels[j] })
	for ctx.Err() == nil {
		claimedAt := o.now()
		batch, err := o.store.ClaimNotifications(ctx, o.Claimant, channels, claimedAt, o.Batch, o.Lease)
		if err != nil {
			if ctx.Err() == nil {
				o.log.ErrorContext(ctx, "outbox: claim failed", slog.String("error", err.Error()))
			}
			return report, err
		}
		if len(batch) == 0 {
			return report, nil
		}
		for _, n := range batch {
			if ctx.Err() != nil {
				break // the claims run out and another run sends the rest
			}
			if o.now().After(claimedAt.Add(o.Lease / 2)) {
				break // claimed again, by anyone, once the lease is over
			}
			o.deliver(ctx, n, &report)
		}
	}
	return report, ctx.Err()
}

// deliver sends one notification and records the outcome.
func (o *Outbox) deliver(ctx context.Context, n *redress.Notification, report *OutboxReport) {
	var err error
	if n.To == "" {
		err = redress.Permanent(errors.New("the recipient has no address on this channel, or is disabled"))
	} else {
		err = o.senders[n.Channel].Send(ctx, *n)
	}
	if err != nil && ctx.Err() != nil {
		return // shutting down: not the message's fault; the claim runs out and it is sent later
	}
	d := redress.NextDelivery(*n, err, o.now())
	attrs := []any{slog.Int64("id", n.ID), slog.String("channel", string(n.Channel)), slog.String("to", n.MaskedTo()),
		slog.String("case", n.CaseNo), slog.Int("attempt", n.Attempts+1)}
	if ferr := o.store.FinishNotification(ctx, n.ID, o.Claimant, d); ferr != nil {
		o.log.ErrorContext(ctx, "outbox: record the outcome", append(attrs, slog.String("status", string(d.Status)),
			slog.String("error", ferr.Error()))...)
		return
	}
	switch d.Status {
	case redress.NotifySent:
		report.Sent++
		o.log.InfoContext(ctx, "notification sent", attrs...)
	case redress.NotifyPending:
		report.Retried++
		o.log.WarnContext(ctx, "notification not sent; will retry", append(attrs,
			slog.Time("retry_at", d.RetryAt), slog.String("error", d.Error))...)
	case redress.NotifyFailed:
		report.Failed++
		o.log.ErrorContext(ctx, "notification failed permanently", append(attrs, slog.String("error", d.Error))...)
	case redress.NotifyDead:
		report.Dead++
		o.log.ErrorContext(ctx, "notification given up", append(attrs, slog.String("error", d.Error))...)
	}
}
