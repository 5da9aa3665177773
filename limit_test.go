package redress

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestLimiterTokenBucket_Issue11Item3(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	type try struct {
		key   string
		at    time.Duration // after start
		ok    bool
		after time.Duration // when refused
	}
	for _, c := range []struct {
		name  string
		limit Limit
		keys  int
		tries []try
	}{
		{"off allows everything", Limit{}, 1, []try{{"a", 0, true, 0}, {"a", 0, true, 0}, {"b", 0, true, 0}}},
		{"the burst, then the wait for one token", Limit{Burst: 2, Per: time.Minute}, 10, []try{
			{"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, false, 30 * time.Second}, {"a", 10 * time.Second, false, 20 * time.Second},
			{"a", 30 * time.Second, true, 0}, {"a", 30 * time.Second, false, 30 * time.Second}}},
		{"keys apart", Limit{Burst: 1, Per: time.Minute}, 10, []try{{"a", 0, true, 0}, {"b", 0, true, 0}, {"a", 0, false, time.Minute}}},
		{"never more than the burst after a long pause", Limit{Burst: 2, Per: time.Minute}, 10, []try{
			{"a", 0, true, 0}, {"a", time.Hour, true, 0}, {"a", time.Hour, true, 0}, {"a", time.Hour, false, 30 * time.Second}}},
		{"full: a refilled key makes room", Limit{Burst: 1, Per: time.Minute}, 1, []try{
			{"a", 0, true, 0}, {"b", time.Second, false, time.Minute}, {"b", time.Minute, true, 0}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := NewLimiter(c.limit, c.keys)
			for i, tr := range c.tries {
				ok, after := l.Allow(tr.key, start.Add(tr.at))
				if ok != tr.ok || (!ok && after != tr.after) {
					t.Errorf("try %d (%s at %v) = %v %v, want %v %v", i, tr.key, tr.at, ok, after, tr.ok, tr.after)
				}
			}
			if l.Keys() > c.keys {
				t.Errorf("holds %d keys, at most %d", l.Keys(), c.keys)
			}
		})
	}
}

func TestRetryAfterRoundsUpToSeconds_Issue11Item3(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		want time.Duration
		ok   bool
	}{
		{TooMany(0, "busy"), time.Second, true},
		{TooMany(1500*time.Millisecond, "busy"), 2 * time.Second, true},
		{fmt.Errorf("sign in: %w", TooMany(30*time.Second, "busy")), 30 * time.Second, true},
		{Errorf(EUNAUTHORIZED, "no"), 0, false},
		{errors.New("other"), 0, false},
	} {
		got, ok := RetryAfter(c.err)
		if got != c.want || ok != c.ok {
			t.Errorf("RetryAfter(%v) = %v %v, want %v %v", c.err, got, ok, c.want, c.ok)
		}
	}
	if code := ErrorCode(fmt.Errorf("wrapped: %w", TooMany(time.Second, "busy"))); code != ETOOMANY {
		t.Errorf("the code of a TooManyError is %q, want %q", code, ETOOMANY)
	}
}
