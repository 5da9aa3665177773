package redress

import (
	"context"
	"math"
	"time"
)

// A shared rate limit (the portal's, issue 14 item 4) counts attempts in
// fixed windows of the limit's Per kept in the database, so that it holds
// across a restart and across every server on one database. It judges an
// attempt by the sliding-window estimate: the attempts of the current
// window plus those of the previous one weighted by the share of it still
// inside the last Per. A burst at a window's edge thus gets no second
// allowance, as it would with plain fixed windows.

// RateWindow is the window of limit l that now falls in: its end (Unix
// seconds; windows are aligned to the Unix epoch) and the weight of the
// previous window in the estimate (1 at the window's start, 0 at its end).
func RateWindow(l Limit, now time.Time) (end int64, prevWeight float64) {
	per := l.Per.Nanoseconds()
	at := now.UnixNano()
	start := at - ((at%per)+per)%per
	elapsed := float64(at-start) / float64(per)
	return (start + per) / int64(time.Second), 1 - elapsed
}

// RateWindowCap is how many attempts the current window may hold, given
// the previous window's hits at its weight, rounded up so that an attempt
// is allowed only once a whole earlier one has slid out: current +
// ⌈previous × weight⌉ < Burst. 0 or less refuses outright.
func RateWindowCap(l Limit, prevHits int, prevWeight float64) int {
	return l.Burst - int(math.Ceil(float64(prevHits)*prevWeight-1e-9))
}

// RateWindowRetry is how long a refused caller should wait: until the
// previous window's weight has fallen enough for one more attempt, or,
// when the current window alone is full, until it ends; at least a second.
func RateWindowRetry(l Limit, now time.Time, curHits, prevHits int) time.Duration {
	end, weight := RateWindow(l, now)
	untilEnd := time.Unix(end, 0).Sub(now)
	wait := untilEnd
	if curHits < l.Burst && prevHits > 0 {
		// cur + ⌈prev × w⌉ < Burst once w ≤ (Burst − cur − 1) / prev.
		target := float64(l.Burst-curHits-1) / float64(prevHits)
		wait = time.Duration((weight - target) * float64(l.Per))
	}
	return max(time.Second, min(wait, untilEnd))
}

// RateLimiter counts attempts per limit name and key against a Limit for
// every server on one store; a key is digested before it is kept.
type RateLimiter interface {
	// Allow takes one attempt for key under the limit named name at now:
	// true, or false with how long until one would be allowed. An error
	// refuses (the limiter fails closed).
	Allow(ctx context.Context, name, key string, l Limit, now time.Time) (bool, time.Duration, error)
}
