package sqldb

import (
	"context"
	"testing"
	"time"
)

// TestSQLiteCheckpointsBesideTheWriter: the writer checkpoints the
// write-ahead log only past writerCheckpointPages; the checkpointer's
// connection copies the log into the database file on its own, in the
// background, while registrations go on.
func TestSQLiteCheckpointsBesideTheWriter(t *testing.T) {
	t.Parallel()
	f := newFixtureOn(t, testEngine.OnDisk(), "bank", nil)
	if f.db.dialect.name != "sqlite" {
		if f.db.checkpoints != nil {
			t.Fatal("a checkpointer on PostgreSQL, which checkpoints itself")
		}
		t.Skip("a SQLite setting")
	}
	var pages int
	if err := f.db.write.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if pages != writerCheckpointPages {
		t.Fatalf("the writer checkpoints every %d pages; want %d (the checkpointer does it before)", pages, writerCheckpointPages)
	}
	ctx := f.as("staff.bj")
	for range 20 {
		if _, err := f.cases.CreateCase(ctx, sampleCase()); err != nil {
			t.Fatal(err)
		}
	}
	logFrames, copied, err := f.db.checkpoints.checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if logFrames == 0 || copied != logFrames {
		t.Fatalf("checkpoint: %d of %d log frames in the database file; want all, and some", copied, logFrames)
	}
	before := f.db.checkpoints.passes.Load()
	if _, err := f.cases.CreateCase(ctx, sampleCase()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * checkpointEvery)
	for f.db.checkpoints.passes.Load() == before {
		if time.Now().After(deadline) {
			t.Fatalf("no background checkpoint within %s", 10*checkpointEvery)
		}
		time.Sleep(checkpointEvery / 10)
	}
}
