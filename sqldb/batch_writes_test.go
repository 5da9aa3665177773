package sqldb

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"redress"
)

// holdCommitter keeps db's committer busy with a job that waits, so that
// the jobs queued meanwhile meet in the next batch: queued(n) waits until
// n jobs are queued, release lets the waiting job end.
func holdCommitter(t *testing.T, db *DB) (queued func(n int), release func()) {
	t.Helper()
	started, done := make(chan struct{}), make(chan struct{})
	go db.inBatch(context.Background(), func(context.Context, *Tx) error {
		close(started)
		<-done
		return nil
	})
	<-started
	queued = func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); len(db.batch.jobs) < n; {
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d jobs queued", len(db.batch.jobs), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	return queued, func() { close(done) }
}

// TestBatchIntakeStatements: an intake runs one statement on a reader
// before it queues (its codes checked) and one of its own in its batch (the
// INSERT, with RETURNING id on PostgreSQL; the repeat flags carried onto
// the complainant's later cases are left out when no case was received
// after it); its
// tracking number, audit event, first deadline entry and search document
// are taken or inserted with the batch's others, which with the latest
// receipt and the chain's head read and written make 7 statements for the
// whole batch.
func TestBatchIntakeStatements(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.register(t, "staff.bj") // warms the deadline cache
	const n = 8
	before := f.db.statements.Load()
	queued, release := holdCommitter(t, f.db)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.cases.CreateCase(f.as("staff.bj"), sampleCase())
		}()
	}
	queued(n)
	commits := f.db.batch.commits.Load()
	release()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := f.db.batch.commits.Load() - commits; got != 2 {
		t.Fatalf("the held job and %d intakes took %d commits, want 2", n, got)
	}
	if got, want := f.db.statements.Load()-before, int64(2*n+7); got != want {
		t.Fatalf("a batch of %d intakes ran %d statements, want %d", n, got, want)
	}
	var events, entries, docs int
	f.db.read.QueryRow(`SELECT COUNT(*) FROM events WHERE action = 'case.register'`).Scan(&events)
	f.db.read.QueryRow(`SELECT COUNT(*) FROM case_deadline_changes WHERE action = 'register'`).Scan(&entries)
	if err := f.db.read.QueryRow(`SELECT COUNT(*) FROM ` + map[string]string{"sqlite": "case_fts", "postgres": "case_search"}[f.db.dialect.name]).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if events != n+1 || entries != n+1 || docs != n+1 {
		t.Fatalf("%d intakes left %d register events, %d deadline entries, %d search documents", n+1, events, entries, docs)
	}
	report, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
	if err != nil || !report.OK {
		t.Fatalf("audit after a batch: %+v %v", report, err)
	}
}

// TestBatchJobThatFailsTakesItsEventsWithIt: a job that took a tracking
// number, sealed an event and wrote a deadline entry and then failed leaves
// none of them (its number goes to the next job), and the jobs of its batch
// before and after it keep theirs, the chain unbroken.
func TestBatchJobThatFailsTakesItsEventsWithIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	var id int64
	if err := f.db.reads().QueryRowContext(context.Background(), `SELECT id FROM cases WHERE no = ?`, c.No).Scan(&id); err != nil {
		t.Fatal(err)
	}
	queued, release := holdCommitter(t, f.db)
	var wg sync.WaitGroup
	results := make([]error, 3)
	numbers := make([]int64, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = f.db.inBatch(context.Background(), func(ctx context.Context, tx *Tx) error {
				detail := []string{"first", "fails", "third"}[i]
				var err error
				if numbers[i], err = nextCaseNumber(ctx, tx, "x-day"); err != nil {
					return err
				}
				if err := f.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: "staff.bj",
					Action: redress.CaseEventAction(redress.ActionNote), At: f.db.now(), Detail: detail}); err != nil {
					return err
				}
				if err := f.db.insertDeadlineChange(ctx, tx, id, redress.DeadlineChange{At: f.db.now(), Actor: "staff.bj",
					Action: "test-" + detail, Clock: "decision"}); err != nil {
					return err
				}
				if i == 1 {
					return errors.New("changed my mind")
				}
				return nil
			})
		}()
		queued(i + 1) // in this order
	}
	release()
	wg.Wait()
	if results[0] != nil || results[1] == nil || results[2] != nil {
		t.Fatalf("results %v", results)
	}
	rows, err := f.db.read.Query(`SELECT detail FROM events WHERE detail IN ('first', 'fails', 'third') ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for rows.Next() {
		var d string
		rows.Scan(&d)
		kept = append(kept, d)
	}
	rows.Close()
	var entries int
	f.db.read.QueryRow(`SELECT COUNT(*) FROM case_deadline_changes WHERE action LIKE 'test-%'`).Scan(&entries)
	if len(kept) != 2 || kept[0] != "first" || kept[1] != "third" || entries != 2 {
		t.Fatalf("kept events %v and %d deadline entries, want first and third, 2", kept, entries)
	}
	// The failed job's tracking number went to the job after it.
	var last int64
	f.db.read.QueryRow(`SELECT last FROM case_counters WHERE day = 'x-day'`).Scan(&last)
	if numbers[0] != 1 || numbers[2] != 2 || last != 2 {
		t.Fatalf("the jobs took numbers %v and the counter stands at %d, want 1, 2 and 2", numbers, last)
	}
	report, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
	if err != nil || !report.OK {
		t.Fatalf("audit after a failed job: %+v %v", report, err)
	}
}
