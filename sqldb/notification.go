package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"redress"
)

// NotificationService lists and acknowledges the acting user's in-app
// notifications.
type NotificationService struct{ db *DB }

// NewNotificationService returns the notification service of db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

var _ redress.NotificationService = (*NotificationService)(nil)

const notificationColumns = `n.id, n.channel, n.kind, n.case_no, n.subject, n.body, n.status, n.attempts, n.created_at, n.read_at`

func scanNotification(row interface{ Scan(...any) error }, extra ...any) (*redress.Notification, error) {
	var n redress.Notification
	var created string
	var read sql.NullString
	dest := append([]any{&n.ID, &n.Channel, &n.Kind, &n.CaseNo, &n.Subject, &n.Body, &n.Status, &n.Attempts, &created, &read}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if n.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if n.ReadAt, err = parseNullTime(read); err != nil {
		return nil, err
	}
	return &n, nil
}

// ListNotifications returns the acting user's in-app notifications, newest
// first, by keyset over the ID.
func (s *NotificationService) ListNotifications(ctx context.Context, f redress.NotificationFilter) (*redress.NotificationPage, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	var p redress.Problems
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 200 {
		p.Add("limit", "must be 1 to 200")
	}
	if f.Before < 0 {
		p.Add("before", "must be a notification ID from a previous page")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	where, args := ` WHERE n.user_id = ? AND n.channel = ?`, []any{u.ID, redress.NotifyInApp}
	if f.Unread {
		where += ` AND n.read_at IS NULL`
	}
	if f.Before > 0 {
		where += ` AND n.id < ?`
		args = append(args, f.Before)
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications n`+where+
		` ORDER BY n.id DESC LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	page := &redress.NotificationPage{Notifications: []*redress.Notification{}}
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, fmt.Errorf("list notifications: %w", err)
		}
		if len(page.Notifications) == f.Limit {
			page.NextBefore = page.Notifications[len(page.Notifications)-1].ID
			break
		}
		page.Notifications = append(page.Notifications, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return page, nil
}

// MarkRead marks one of the acting user's in-app notifications read. Another
// user's notification, like a missing one, is ENOTFOUND; marking a read one
// again keeps the first time.
func (s *NotificationService) MarkRead(ctx context.Context, id int64) error {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return err
	}
	notFound := redress.Errorf(redress.ENOTFOUND, "notification %d not found", id)
	if id < 1 {
		return notFound
	}
	return wrap("mark notification read", s.db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = ?
			WHERE id = ? AND user_id = ? AND channel = ? AND read_at IS NULL`, timeText(s.db.now()), id, u.ID, redress.NotifyInApp)
		if err != nil {
			return fmt.Errorf("mark notification %d read: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var mine int
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE id = ? AND user_id = ? AND channel = ?`,
			id, u.ID, redress.NotifyInApp).Scan(&mine)
		if err != nil {
			return fmt.Errorf("mark notification %d read: %w", id, err)
		}
		if mine == 0 {
			return notFound
		}
		return nil
	}))
}

// MarkAllRead marks every one of the acting user's in-app notifications read.
func (s *NotificationService) MarkAllRead(ctx context.Context) (int, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND channel = ? AND read_at IS NULL`,
			timeText(s.db.now()), u.ID, redress.NotifyInApp)
		if err != nil {
			return fmt.Errorf("mark notifications read: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), wrap("mark notifications read", err)
}

// CountUnread counts the acting user's unread in-app notifications.
func (s *NotificationService) CountUnread(ctx context.Context) (int, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.reads().QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND channel = ? AND read_at IS NULL`,
		u.ID, redress.NotifyInApp).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// recipient is a user a notification goes to, with what decides the
// channels: whether they have an e-mail address and a mobile number.
type recipient struct {
	id        int64
	login     string
	orgID     int64
	hasEmail  bool
	hasMobile bool
}

// insertNotifications writes n to each recipient inside tx, the transaction
// of the event that causes it: always in-app (stored as sent: the row is the
// delivery), and on each channel of external (e-mail, SMS: the channels with
// a configured sender) for which the recipient has an address, as pending
// for the outbox. No address is copied: the outbox reads it when it sends.
// n's subject and body go out by e-mail and SMS as they are, so they must
// hold no complaint text: a notice about a case is written by
// insertMessages with each channel's text (redress.DeadlineNotice.Message).
// It returns the number of rows written.
func (db *DB) insertNotifications(ctx context.Context, tx *Tx, to []recipient, external []redress.NotifyChannel,
	n redress.Notification, now time.Time) (int, error) {
	return db.insertMessages(ctx, tx, to, external, n, func(redress.NotifyChannel) (string, string) { return n.Subject, n.Body }, now)
}

// insertMessages is insertNotifications with the subject and body of each
// channel from text (n's own are not used).
func (db *DB) insertMessages(ctx context.Context, tx *Tx, to []recipient, external []redress.NotifyChannel,
	n redress.Notification, text func(redress.NotifyChannel) (subject, body string), now time.Time) (int, error) {
	written := 0
	for _, r := range to {
		channels := []redress.NotifyChannel{redress.NotifyInApp}
		for _, ch := range external {
			if (ch == redress.NotifyEmail && r.hasEmail) || (ch == redress.NotifySMS && r.hasMobile) {
				channels = append(channels, ch)
			}
		}
		for _, ch := range channels {
			status, sentAt := redress.NotifyPending, any(nil)
			if ch == redress.NotifyInApp {
				status, sentAt = redress.NotifySent, timeText(now)
			}
			subject, body := text(ch)
			_, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, channel, kind, case_no, subject, body,
				status, attempts, next_attempt_at, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
				r.id, ch, n.Kind, n.CaseNo, subject, body, status, timeText(now), timeText(now), sentAt)
			if err != nil {
				return written, fmt.Errorf("insert %s notification for %s: %w", ch, r.login, err)
			}
			written++
		}
	}
	return written, nil
}

// ClaimNotifications claims for claimant up to limit pending notifications
// of the given channels that are due at now and not held under someone
// else's running lease, until now+lease, and returns them oldest first with
// To resolved from their user: the e-mail address, or the mobile number
// opened from its seal. A user who is disabled, or has since lost the
// address, gets To "" (the outbox fails such a notification).
//
// The claim is one UPDATE of a batch chosen once (a materialised WITH: on
// PostgreSQL a sub-SELECT with LIMIT inside the UPDATE may be run again and
// claim more than the batch), whose own WHERE repeats the conditions, so it
// holds on PostgreSQL too: a racing claimer that waited on a row lock
// re-checks the lease on the row as committed and skips it. On PostgreSQL
// the batch's SELECT also skips the rows another claimer has locked (FOR
// UPDATE SKIP LOCKED), so that a second server takes the next batch instead
// of waiting for the first one's.
func (db *DB) ClaimNotifications(ctx context.Context, claimant string, channels []redress.NotifyChannel, now time.Time,
	limit int, lease time.Duration) ([]*redress.Notification, error) {
	if claimant == "" || limit < 1 || lease <= 0 {
		return nil, fmt.Errorf("claim notifications: want a claimant, a positive limit and a positive lease")
	}
	if len(channels) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(channels)), ", ")
	due := `status = ? AND channel IN (` + marks + `) AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)`
	dueArgs := []any{redress.NotifyPending}
	for _, ch := range channels {
		dueArgs = append(dueArgs, ch)
	}
	dueArgs = append(dueArgs, timeText(now), timeText(now))
	args := append(append([]any{}, dueArgs...), limit, claimant, timeText(now.Add(lease)))
	args = append(args, dueArgs...)
	type claimed struct {
		n                   *redress.Notification
		login, email, phone string
		disabled            bool
	}
	var batch []claimed
	err := db.inTx(ctx, func(tx *Tx) error {
		ids, err := db.claimBatch(ctx, tx, "notifications", due, args)
		if err != nil || len(ids) == 0 {
			return err
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		rows, err := tx.QueryContext(ctx, `SELECT `+notificationColumns+`, u.login, u.email, u.mobile_enc, u.disabled
			FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id IN (`+marks+`) ORDER BY n.next_attempt_at, n.id`, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c claimed
			if c.n, err = scanNotification(rows, &c.login, &c.email, &c.phone, &c.disabled); err != nil {
				return err
			}
			batch = append(batch, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	out := make([]*redress.Notification, 0, len(batch))
	for _, c := range batch {
		switch {
		case c.disabled:
		case c.n.Channel == redress.NotifyEmail:
			c.n.To = c.email
		case c.n.Channel == redress.NotifySMS:
			mobile, err := db.open(c.phone, mobileAAD(c.login))
			if err != nil {
				return nil, fmt.Errorf("claim notifications: notification %d: %w", c.n.ID, err)
			}
			c.n.To = mobile
		}
		out = append(out, c.n)
	}
	return out, nil
}

// claimBatch claims one batch of an outbox table (notifications,
// customer_notices) in tx: the rows that are due (the condition due, whose
// arguments begin args, then the limit, the claimant and the lease's end,
// then due's arguments again) are chosen once (a materialised WITH) and
// claimed by one UPDATE that repeats the condition; it returns their ids.
func (db *DB) claimBatch(ctx context.Context, tx *Tx, table, due string, args []any) ([]any, error) {
	ids, err := queryIDs(ctx, tx, `WITH batch AS MATERIALIZED (SELECT id FROM `+table+`
			WHERE `+due+` ORDER BY next_attempt_at, id LIMIT ?`+db.dialect.skipLocked+`)
		UPDATE `+table+` SET claimed_by = ?, claimed_until = ?
		WHERE `+due+` AND id IN (SELECT id FROM batch) RETURNING id`, args...)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out, nil
}

// FinishNotification records the outcome of an attempt to send a
// notification that claimant holds, and releases the claim: sent, failed or
// dead for good, or pending again until d.RetryAt. It fails when the claim
// is no longer claimant's (its lease ran out and another runner took it).
func (db *DB) FinishNotification(ctx context.Context, id int64, claimant string, d redress.Delivery) error {
	next := d.At
	var sentAt any
	switch d.Status {
	case redress.NotifySent:
		sentAt = timeText(d.At)
	case redress.NotifyPending:
		next = d.RetryAt
	case redress.NotifyFailed, redress.NotifyDead:
	default:
		return fmt.Errorf("finish notification %d: unknown status %q", id, d.Status)
	}
	res, err := db.writes().ExecContext(ctx, `UPDATE notifications SET status = ?, attempts = attempts + 1,
		next_attempt_at = ?, sent_at = ?, last_error = ?, claimed_by = '', claimed_until = NULL
		WHERE id = ? AND claimed_by = ? AND status = ?`,
		d.Status, timeText(next), sentAt, d.Error, id, claimant, redress.NotifyPending)
	if err != nil {
		return fmt.Errorf("finish notification %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(fmt.Errorf("finish notification %d: no longer claimed by %s (its lease ran out)", id, claimant), err)
	}
	return nil
}
