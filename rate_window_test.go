package redress

import (
	"testing"
	"time"
)

// TestRateWindow_Issue14Item4: windows align to Per; the previous
// window's weight falls from 1 to 0 across the current one; an attempt is
// allowed only once a whole earlier one has slid out; the retry waits for
// that, or for the window's end when the current window alone is full.
func TestRateWindow_Issue14Item4(t *testing.T) {
	t.Parallel()
	l := Limit{Burst: 3, Per: 10 * time.Minute}
	at := time.Date(2026, 11, 21, 10, 2, 30, 0, Beijing)
	end, w := RateWindow(l, at)
	if end != time.Date(2026, 11, 21, 10, 10, 0, 0, Beijing).Unix() || w != 0.75 {
		t.Fatalf("window end %v weight %v", time.Unix(end, 0).In(Beijing), w)
	}
	for _, tc := range []struct {
		prev int
		w    float64
		cap  int
	}{{0, 1, 3}, {3, 1, 0}, {3, 0.999, 0}, {3, 0.66, 1}, {3, 0.6, 1}, {3, 0.3, 2}, {3, 0, 3}, {10, 0.5, -2}} {
		if got := RateWindowCap(l, tc.prev, tc.w); got != tc.cap {
			t.Errorf("prev %d weight %v: cap %d, want %d", tc.prev, tc.w, got, tc.cap)
		}
	}
	if got := RateWindowRetry(l, at, 3, 0); got != 7*time.Minute+30*time.Second {
		t.Errorf("a full window: retry after %v", got)
	}
	// prev 3 at weight 0.75, cur 1: allowed once ⌈3w⌉ ≤ 1, w ≤ 1/3: 10:06:40.
	if got := RateWindowRetry(l, at, 1, 3); got != 4*time.Minute+10*time.Second {
		t.Errorf("retry after %v, want 4m10s", got)
	}
	if got := RateWindowRetry(l, time.Date(2026, 11, 21, 10, 9, 59, 500_000_000, Beijing), 3, 0); got != time.Second {
		t.Errorf("at least a second: %v", got)
	}
}
