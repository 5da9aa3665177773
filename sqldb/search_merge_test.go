package sqldb

import "testing"

// TestSQLiteSearchIndexMergesSixteenSegmentsALevel: migration 0047 leaves
// FTS5's automerge at 16, so that intake rewrites each document through
// fewer levels of the full-text index.
func TestSQLiteSearchIndexMergesSixteenSegmentsALevel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if f.db.dialect.name != "sqlite" {
		t.Skip("an FTS5 setting")
	}
	var automerge int
	if err := f.db.read.QueryRow(`SELECT v FROM case_fts_config WHERE k = 'automerge'`).Scan(&automerge); err != nil {
		t.Fatal(err)
	}
	if automerge != 16 {
		t.Fatalf("FTS5 automerge %d; want 16", automerge)
	}
}
