package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"redress"
)

// RateLimits is the rate limiter every server on the database shares
// (redress.RateLimiter), kept in rate_windows: one row per limit, key and
// window with its hits, so that a limit holds across a restart and across
// servers. A key (an address, a phone number, a tracking number) is kept
// only as the keyring's blind index. Rows of windows that no estimate
// reads any more are deleted, at most once a minute per server.
type RateLimits struct {
	db *DB
	mu sync.Mutex
	// swept is when this server last deleted ended windows; longest is the
	// longest Per it has seen (what the sweep must keep).
	swept   time.Time
	longest time.Duration
}

// NewRateLimits returns the shared rate limiter of db.
func NewRateLimits(db *DB) *RateLimits { return &RateLimits{db: db} }

var _ redress.RateLimiter = (*RateLimits)(nil)

// rateSweepEvery is how often a server deletes the windows that have ended.
const rateSweepEvery = time.Minute

// Allow takes one attempt for key under the limit name at now, in one
// transaction: it reads the previous window's hits, then counts the attempt
// in the current window only while that window holds fewer than
// redress.RateWindowCap allows (one conditional upsert, so two servers
// never both take the last attempt).
func (r *RateLimits) Allow(ctx context.Context, name, key string, l redress.Limit, now time.Time) (bool, time.Duration, error) {
	if l.Off() {
		return true, 0, nil
	}
	bucket := name + ":" + r.db.keyring().BlindIndex("rate", key)
	end, weight := redress.RateWindow(l, now)
	prevEnd := end - int64(l.Per/time.Second)
	var ok bool
	var cur, prev int
	err := r.db.inTx(ctx, func(tx *Tx) error {
		ok, cur, prev = false, 0, 0
		err := tx.QueryRowContext(ctx, `SELECT hits FROM rate_windows WHERE bucket = ? AND window_end = ?`, bucket, prevEnd).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		limit := redress.RateWindowCap(l, prev, weight)
		if limit < 1 {
			return tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(hits), 0) FROM rate_windows WHERE bucket = ? AND window_end = ?`,
				bucket, end).Scan(&cur)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO rate_windows (bucket, window_end, hits) VALUES (?, ?, 1)
			ON CONFLICT (bucket, window_end) DO UPDATE SET hits = rate_windows.hits + 1 WHERE rate_windows.hits < ?
			RETURNING hits`, bucket, end, limit).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) { // the window is full
			cur = limit
			return nil
		}
		ok = err == nil
		return err
	})
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", name, err)
	}
	r.sweep(ctx, l.Per, now)
	if ok {
		return true, 0, nil
	}
	return false, redress.RateWindowRetry(l, now, cur, prev), nil
}

// sweep deletes the windows that ended before the longest limit's
// previous window, at most once a minute; a failure is left for the next.
func (r *RateLimits) sweep(ctx context.Context, per time.Duration, now time.Time) {
	r.mu.Lock()
	r.longest = max(r.longest, per)
	if now.Sub(r.swept) < rateSweepEvery {
		r.mu.Unlock()
		return
	}
	r.swept, per = now, r.longest
	r.mu.Unlock()
	_, _ = r.db.writes().ExecContext(ctx, `DELETE FROM rate_windows WHERE window_end < ?`, now.Add(-per).Unix())
}
