package web

import (
	"context"
	"sync"
	"time"

	"redress"
)

// portalLimit is one of the portal's rate limits and its name in the
// shared store (rate_windows).
type portalLimit struct {
	name  string
	limit redress.Limit
}

// memoryLimits counts the portal's limits in this server's memory, as
// token buckets (redress.Limiter), when it has no shared store: a restart
// forgets them and another server counts its own.
type memoryLimits struct {
	mu       sync.Mutex
	limiters map[string]*redress.Limiter
}

func newMemoryLimits() *memoryLimits { return &memoryLimits{limiters: map[string]*redress.Limiter{}} }

// Allow takes one attempt from the limiter of name, made on first use.
func (m *memoryLimits) Allow(_ context.Context, name, key string, l redress.Limit, now time.Time) (bool, time.Duration, error) {
	m.mu.Lock()
	lim, ok := m.limiters[name]
	if !ok {
		lim = redress.NewLimiter(l, limiterKeys)
		m.limiters[name] = lim
	}
	m.mu.Unlock()
	ok, after := lim.Allow(key, now)
	return ok, after, nil
}
