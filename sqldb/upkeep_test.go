package sqldb

import (
	"context"
	"testing"
	"time"
)

// TestUpkeepRunsBesideTheWriter: the engine's housekeeping runs on the
// upkeep's own connection, in the background, while registrations go on.
// On SQLite the writer checkpoints its log only past writerCheckpointPages
// and a pass leaves every frame of the log in the database file; on
// PostgreSQL a pass leaves the search index's pending list empty.
func TestUpkeepRunsBesideTheWriter(t *testing.T) {
	t.Parallel()
	f := newFixtureOn(t, testEngine.OnDisk(), "bank", nil)
	if f.db.upkeep == nil {
		t.Fatal("no upkeep")
	}
	if f.db.dialect.name == "sqlite" {
		var pages int
		if err := f.db.write.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if pages != writerCheckpointPages {
			t.Fatalf("the writer checkpoints every %d pages; want %d (the upkeep does it before)", pages, writerCheckpointPages)
		}
	}
	ctx := f.as("staff.bj")
	for range 20 {
		if _, err := f.cases.CreateCase(ctx, sampleCase()); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.db.upkeep.once(context.Background()); err != nil {
		t.Fatal(err)
	}
	switch f.db.dialect.name {
	case "sqlite":
		var busy, logFrames, copied int64
		if err := f.db.upkeep.conn.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &copied); err != nil {
			t.Fatal(err)
		}
		if logFrames == 0 || copied != logFrames {
			t.Fatalf("after the upkeep's pass %d of %d log frames are in the database file; want all, and some", copied, logFrames)
		}
	case "postgres":
		var left int64
		if err := f.db.upkeep.conn.QueryRow(`SELECT gin_clean_pending_list('case_search_body')`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Fatalf("after the upkeep's pass the search index's pending list had %d pages; want none", left)
		}
	}
	before := f.db.upkeep.passes.Load()
	deadline := time.Now().Add(10 * f.db.upkeep.every)
	for f.db.upkeep.passes.Load() == before {
		if time.Now().After(deadline) {
			t.Fatalf("no background pass within %s", 10*f.db.upkeep.every)
		}
		time.Sleep(f.db.upkeep.every / 10)
	}
}
