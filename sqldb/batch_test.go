package sqldb

import (
	"context"
	"errors"
	"sync"
	"testing"

	"redress"
)

// TestGroupCommit: concurrent intakes share commits, each is on disk when
// it returns, and one that fails inside a batch rolls back alone.
func TestGroupCommit(t *testing.T) {
	// Not in parallel with the other tests, and on disk: intakes come to
	// share a commit while one is being synced, and neither a SQLite file in
	// memory (it syncs too fast) nor a CPU busy with other tests (the intakes
	// then reach the queue one by one) lets them meet.
	f := newFixtureOn(t, testEngine.OnDisk(), "bank", nil)
	before := f.db.batch.commits.Load()
	const n = 48
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := sampleCase()
			if i%8 == 0 {
				c.CodeB = "B98" // no such code: this intake fails inside its batch
			}
			_, err := f.cases.CreateCase(f.as("staff.bj"), c)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			if redress.ErrorCode(err) != redress.EINVALID {
				t.Fatalf("unexpected %v", err)
			}
			failed++
		}
	}
	var stored int
	f.db.read.QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&stored)
	commits := f.db.batch.commits.Load() - before
	if failed != n/8 || stored != n-n/8 {
		t.Fatalf("failed %d, stored %d", failed, stored)
	}
	if commits >= int64(n) {
		t.Fatalf("%d intakes took %d commits: no sharing", n, commits)
	}
	t.Logf("%d intakes, %d commits", n, commits)
	report, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
	if err != nil || !report.OK {
		t.Fatalf("audit after batched intake: %+v %v", report, err)
	}
	// A job that writes and then fails leaves nothing behind, and does not
	// disturb the job batched with it.
	var wg2 sync.WaitGroup
	results := make([]error, 2)
	for i := range 2 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			results[i] = f.db.inBatch(context.Background(), func(ctx context.Context, tx *Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO case_counters (day, last) VALUES (?, 1)`, []string{"x-fail", "x-ok"}[i]); err != nil {
					return err
				}
				if i == 0 {
					return errors.New("changed my mind")
				}
				return nil
			})
		}()
	}
	wg2.Wait()
	var kept []string
	rows, _ := f.db.read.Query(`SELECT day FROM case_counters WHERE day LIKE 'x-%'`)
	for rows.Next() {
		var day string
		rows.Scan(&day)
		kept = append(kept, day)
	}
	rows.Close()
	if results[0] == nil || results[1] != nil || len(kept) != 1 || kept[0] != "x-ok" {
		t.Fatalf("results %v, kept %v", results, kept)
	}
	f.db.Close()
	if _, err := f.cases.CreateCase(f.as("staff.bj"), sampleCase()); err == nil {
		t.Fatal("a closed database must refuse intake")
	}
}
