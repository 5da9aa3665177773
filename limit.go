package redress

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// TooManyError refuses a request for now: a rate limit is reached, or the
// server is busy with as much of the work as it allows at once. Its *Error
// (ETOOMANY) is what the caller is shown; After is when to try again.
type TooManyError struct {
	Message string
	After   time.Duration
}

// TooMany returns a TooManyError that says to try again after the given time.
func TooMany(after time.Duration, format string, args ...any) *TooManyError {
	return &TooManyError{Message: fmt.Sprintf(format, args...), After: after}
}

// Error implements the error interface.
func (e *TooManyError) Error() string { return e.Message }

// Unwrap gives the *Error of the refusal, so ErrorCode is ETOOMANY.
func (e *TooManyError) Unwrap() error { return &Error{Code: ETOOMANY, Message: e.Message} }

// RetryAfter returns how long the caller of a request refused with a
// TooManyError should wait, rounded up to whole seconds (at least one), and
// false for any other error.
func RetryAfter(err error) (time.Duration, bool) {
	var e *TooManyError
	if !errors.As(err, &e) {
		return 0, false
	}
	return max(time.Second, (e.After + time.Second - 1).Truncate(time.Second)), true
}

// Limit is a rate: at most Burst attempts at once, the allowance coming back
// at Burst per Per (30 a minute: Burst 30, Per time.Minute). A zero Limit
// allows everything.
type Limit struct {
	Burst int
	Per   time.Duration
}

// Off reports whether the limit allows everything.
func (l Limit) Off() bool { return l.Burst <= 0 || l.Per <= 0 }

// String is how a limit is written in the configuration: "30/1m0s".
func (l Limit) String() string {
	if l.Off() {
		return "off"
	}
	return fmt.Sprintf("%d/%v", l.Burst, l.Per)
}

// Limiter counts attempts per key (a client address, a login) against one
// Limit, as token buckets: each key starts with Burst tokens, an attempt
// takes one, and they come back at the limit's rate. It holds at most
// MaxKeys keys: a full bucket carries no memory and is dropped when room is
// needed (a sweep at most once a second); when every bucket is in use, a new
// key is refused (the limiter fails closed rather than grow without bound).
// Safe for concurrent use.
type Limiter struct {
	limit   Limit
	maxKeys int
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time // when full buckets were last dropped: at most once a second
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was counted
}

// NewLimiter returns a limiter of l over at most maxKeys keys.
func NewLimiter(l Limit, maxKeys int) *Limiter {
	return &Limiter{limit: l, maxKeys: max(1, maxKeys), buckets: map[string]*bucket{}}
}

// Allow takes one attempt for key at now. It returns true, or false with
// how long until the next attempt would be allowed.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	if l.limit.Off() {
		return true, 0
	}
	rate := float64(l.limit.Burst) / float64(l.limit.Per) // tokens per nanosecond
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.dropFull(now, rate)
		}
		if len(l.buckets) >= l.maxKeys {
			return false, time.Duration(math.Ceil(1 / rate))
		}
		b = &bucket{tokens: float64(l.limit.Burst), at: now}
		l.buckets[key] = b
	}
	l.refill(b, now, rate)
	if b.tokens < 1 {
		return false, time.Duration(math.Ceil((1 - b.tokens) / rate))
	}
	b.tokens--
	return true, 0
}

// refill adds the tokens that came back since the bucket was last counted.
func (l *Limiter) refill(b *bucket, now time.Time, rate float64) {
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = min(float64(l.limit.Burst), b.tokens+float64(elapsed)*rate)
		b.at = now
	}
}

// dropFull forgets the keys whose bucket has filled up again: they are as if
// never seen.
func (l *Limiter) dropFull(now time.Time, rate float64) {
	if now.Sub(l.swept) < time.Second {
		return
	}
	l.swept = now
	for key, b := range l.buckets {
		l.refill(b, now, rate)
		if b.tokens >= float64(l.limit.Burst) {
			delete(l.buckets, key)
		}
	}
}

// Keys returns how many keys the limiter holds.
func (l *Limiter) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
