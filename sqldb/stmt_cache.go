package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedStatements bounds the statements one pool keeps prepared. The
// store's SQL is a few hundred fixed texts; the filters of lists and
// statistics make more, and past the bound they are compiled each time, as
// without a cache.
const maxCachedStatements = 400

// stmtCache keeps one pool's prepared statements by their SQL, for SQLite:
// its driver compiles every statement that is run without one, and the
// compilation of the intake's wide INSERT … RETURNING and the audit chain's
// statements was a quarter of the CPU of a registration. (pgx caches
// prepared statements per connection itself, so PostgreSQL has none.)
//
// A statement is prepared on the pool, never inside a transaction: on
// SQLite the write pool has one connection, which the transaction holds, so
// preparing there would wait for itself. A transaction's statement that is
// not cached yet runs unprepared and is marked wanted; the transaction's
// end prepares what was wanted (prepareWanted), once the connection is
// free. A transaction runs a cached statement through sql.Tx.StmtContext,
// which reuses the statement already prepared on its connection.
type stmtCache struct {
	pool *sql.DB

	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	seen   map[string]bool // run once, unprepared
	wanted map[string]bool // run twice: to prepare
	closed bool
}

// newStmtCache returns an empty cache of pool's statements.
func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, seen: map[string]bool{}, wanted: map[string]bool{}}
}

// lookup returns the prepared statement of query, or nil after noting that
// it ran. A statement is wanted (to be prepared) the second time it runs,
// while the cache has room: one that runs once (a short-lived database's,
// a rare filter's) is compiled once, not twice. A nil cache has nothing.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.stmts[query]; st != nil {
		return st
	}
	switch {
	case c.closed || len(c.stmts)+len(c.wanted) >= maxCachedStatements:
	case c.seen[query]:
		delete(c.seen, query)
		c.wanted[query] = true
	case len(c.seen) < 4*maxCachedStatements:
		c.seen[query] = true
	}
	return nil
}

// prepare returns the prepared statement of query, preparing it on the
// pool when it is not cached yet and there is room: for a statement run on
// the pool itself, outside any transaction. A nil statement means: run it
// unprepared.
func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if st := c.lookup(query); st != nil {
		return st
	}
	c.prepareWanted(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

// prepareWanted prepares the statements marked wanted. One that fails to
// prepare (a statement only a migration's later step makes valid, say) is
// left to run unprepared; it is not tried again until it is wanted again.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.wanted) == 0 {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.wanted))
	for q := range c.wanted {
		queries = append(queries, q)
	}
	clear(c.wanted)
	c.mu.Unlock()
	for _, q := range queries {
		st, err := c.pool.PrepareContext(context.WithoutCancel(ctx), q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if c.closed || c.stmts[q] != nil {
			c.mu.Unlock()
			st.Close()
			continue
		}
		c.stmts[q] = st
		c.mu.Unlock()
	}
}

// close closes every cached statement; later lookups find none.
func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	clear(c.wanted)
	clear(c.seen)
	return errors.Join(errs...)
}
