package sqldb

import (
	"context"
	"errors"
	"sync"
	"testing"

	"redress"
)

// TestGroupCommit: concurrent intakes share commits, each is on disk when
// it returns, one refused leaves no trace or gap, and a job that fails
// inside a batch rolls back alone.
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
				c.Respondent.Org = "NO-SUCH-UNIT" // refused before its batch, which goes on without it
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
	// The batches reserved the day's tracking numbers together and gave
	// back what failed or went unused: the stored cases are numbered 1 to
	// n-n/8 without a gap, and the day's counter stands at the last.
	nos, err := f.db.read.Query(`SELECT no FROM cases ORDER BY no`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for nos.Next() {
		var no string
		nos.Scan(&no)
		got = append(got, no)
	}
	nos.Close()
	day := redress.BankDay(sampleCase().ReceivedAt)
	for i, no := range got {
		if want := redress.TrackingNumber(sampleCase().Kind, sampleCase().ReceivedAt, int64(i+1)); no != want {
			t.Fatalf("case %d of the day is %s, want %s (all: %v)", i+1, no, want, got)
		}
	}
	var last int
	f.db.read.QueryRow(`SELECT last FROM case_counters WHERE day = '` + day + `'`).Scan(&last)
	if last != len(got) {
		t.Fatalf("the day's counter stands at %d after %d cases", last, len(got))
	}
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
