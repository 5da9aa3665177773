package sqldb

import (
	"context"
	"sync"
	"testing"
	"time"

	"redress"
)

// TestRateLimitsSharedAcrossNodesAndRestart_Issue14Item4 (issue 14 item 4:
// a rate-limited submit per address and per phone): the portal's limits
// are counted in the database, so a second server on it and a server
// started again see the same count; twenty concurrent attempts on two
// nodes take exactly Burst; the key is kept only as a digest; ended
// windows are deleted.
func TestRateLimitsSharedAcrossNodesAndRestart_Issue14Item4(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	l := redress.Limit{Burst: 3, Per: 10 * time.Minute}
	now := time.Date(2026, 11, 21, 10, 1, 0, 0, redress.Beijing) // one minute into a window
	a, b := NewRateLimits(f.db), NewRateLimits(f.secondNode(t))
	allow := func(r *RateLimits, key string, at time.Time) (bool, time.Duration) {
		t.Helper()
		ok, after, err := r.Allow(ctx, "code_phone", key, l, at)
		if err != nil {
			t.Fatal(err)
		}
		return ok, after
	}
	for i, r := range []*RateLimits{a, b, a} {
		if ok, _ := allow(r, "13900005555", now); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	restarted := NewRateLimits(f.secondNode(t))
	ok, after := allow(restarted, "13900005555", now)
	if ok || after != 9*time.Minute {
		t.Fatalf("the fourth attempt, on a restarted node: %v, retry after %v (want 9m: the window ends at 10:10)", ok, after)
	}
	if ok, _ := allow(b, "13900006666", now); !ok {
		t.Fatal("another phone was refused")
	}
	if n := f.count(t, `SELECT COUNT(*) FROM rate_windows WHERE bucket LIKE '%13900005555%'`); n != 0 {
		t.Fatal("a phone number is kept in the clear")
	}
	// Just after the window's end the previous window still counts almost
	// whole (no second burst at the edge); a window later it is forgotten.
	if ok, _ := allow(a, "13900005555", now.Add(9*time.Minute+time.Second)); ok {
		t.Fatal("a second burst at the window's edge")
	}
	if ok, _ := allow(a, "13900005555", now.Add(19*time.Minute)); !ok {
		t.Fatal("refused once the previous window has slid out")
	}

	// Twenty concurrent attempts on two nodes: exactly Burst are taken.
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := []*RateLimits{a, b}[i%2]
			ok, _, err := r.Allow(ctx, "submit_address", "203.0.113.7", l, now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				taken++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if taken != l.Burst {
		t.Fatalf("%d of 20 concurrent attempts taken, want %d", taken, l.Burst)
	}

	// The sweep deletes what no estimate reads: a day later only the new window is left.
	later := now.Add(24 * time.Hour)
	fresh := NewRateLimits(f.db)
	if ok, _, err := fresh.Allow(ctx, "code_phone", "13900007777", l, later); err != nil || !ok {
		t.Fatalf("a day later: %v %v", ok, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM rate_windows`); n != 1 {
		t.Fatalf("%d windows left after the sweep, want 1", n)
	}
	// An off limit allows everything and writes nothing.
	if ok, _, err := fresh.Allow(ctx, "x", "y", redress.Limit{}, later); err != nil || !ok {
		t.Fatalf("an off limit: %v %v", ok, err)
	}
}
