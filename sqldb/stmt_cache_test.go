package sqldb

import (
	"context"
	"fmt"
	"testing"
)

// TestStatementCache: on SQLite a statement is prepared once it has run
// twice, then reused by transactions and the pools; the cache is bounded
// and empty once closed; PostgreSQL has none (pgx caches its own).
func TestStatementCache(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if f.db.dialect.name == "postgres" {
		if f.db.writeStmts != nil || f.db.readStmts != nil {
			t.Fatal("PostgreSQL keeps a statement cache of its own; the store should keep none")
		}
		return
	}
	f.register(t, "staff.bj")
	if st := f.db.writeStmts.lookup(caseInsert); st != nil {
		t.Fatal("the case INSERT was prepared after one run; want it compiled once, unprepared")
	}
	f.register(t, "staff.bj")
	f.register(t, "staff.bj")
	st := f.db.writeStmts.lookup(caseInsert)
	if st == nil {
		t.Fatal("the case INSERT was not prepared after three intakes")
	}
	f.register(t, "staff.bj")
	if again := f.db.writeStmts.lookup(caseInsert); again != st {
		t.Fatal("the case INSERT was prepared again: want the cached statement reused")
	}

	// The reader pool prepares a statement run twice outside a transaction.
	ctx := context.Background()
	const q = `SELECT COUNT(*) FROM cases WHERE status = ?`
	for i := range 3 {
		var n int
		if err := f.db.reads().QueryRowContext(ctx, q, "registered").Scan(&n); err != nil || n != 4 {
			t.Fatalf("run %d: %d cases, %v; want 4", i, n, err)
		}
	}
	if f.db.readStmts.lookup(q) == nil {
		t.Fatal("a read run three times was not prepared")
	}

	// Bounded: past maxCachedStatements distinct texts, none is kept.
	c := newStmtCache(f.db.read)
	for i := range maxCachedStatements + 50 {
		text := fmt.Sprintf("SELECT %d", i)
		c.lookup(text)
		c.lookup(text)
	}
	c.prepareWanted(ctx)
	if len(c.stmts) != maxCachedStatements {
		t.Fatalf("%d statements kept, want the bound %d", len(c.stmts), maxCachedStatements)
	}
	if err := c.close(); err != nil {
		t.Fatal(err)
	}
	if c.lookup("SELECT 1") != nil || len(c.stmts) != 0 {
		t.Fatal("a closed cache still answers")
	}
}
