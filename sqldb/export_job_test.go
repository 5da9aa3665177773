package sqldb

import (
	"testing"
	"time"

	"redress"
)

// TestExportJobLifecycle_Item5 (issue 12 item 5: a long export runs as a
// background job): a job starts running for its owner with the filter
// frozen, records its progress, ends done and expires Keep later; only its
// owner reads it (another user: not found, as a missing job); the limits
// per user and on the server answer too_many_requests (429) and count only
// running jobs; a restart marks the jobs left running on that server failed
// (interrupted), never another server's; expired jobs are deleted, running
// ones never.
func TestExportJobLifecycle_Item5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.db.Now = func() time.Time { return f.clock }
	jobs := NewExportService(f.db)
	limits := redress.ExportJobLimits{PerUser: 2, Total: 3, Keep: time.Hour}
	start := func(login, node string) (*redress.ExportJob, error) {
		return jobs.StartExportJob(f.as(login), redress.ExportJob{ID: redress.NewExportJobID(), What: redress.ExportCases,
			Format: "csv", Filter: "kind=complaint", Total: 10, Node: node}, limits)
	}
	a, err := start("mgr.bj", "n1")
	if err != nil || a.State != redress.JobRunning || a.Owner != "mgr.bj" {
		t.Fatalf("start: %+v %v", a, err)
	}
	if err := jobs.ExportJobProgress(f.as("mgr.bj"), a.ID, 4); err != nil {
		t.Fatal(err)
	}
	if got, err := jobs.ExportJob(f.as("mgr.bj"), a.ID); err != nil || got.Rows != 4 || got.Percent() != 40 || got.Filter != "kind=complaint" {
		t.Fatalf("progress: %+v %v", got, err)
	}
	if _, err := jobs.ExportJob(f.as("hq.svc"), a.ID); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another user reads the job: %v", err)
	}
	b, err := start("mgr.bj", "n1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := start("mgr.bj", "n1"); redress.ErrorCode(err) != redress.ETOOMANY {
		t.Fatalf("a third job of one user: %v", err)
	}
	c, err := start("hq.svc", "n2") // another server
	if err != nil {
		t.Fatal(err)
	}
	if _, err := start("auditor", "n1"); redress.ErrorCode(err) != redress.ETOOMANY {
		t.Fatalf("a fourth job on the server: %v", err)
	}
	if err := jobs.FinishExportJob(f.as("mgr.bj"), a.ID, 10, "", limits.Keep); err != nil {
		t.Fatal(err)
	}
	done, err := jobs.ExportJob(f.as("mgr.bj"), a.ID)
	if err != nil || done.State != redress.JobDone || done.Rows != 10 || done.Percent() != 100 || done.ExpiresAt == nil ||
		!done.ExpiresAt.Equal(f.clock.Add(time.Hour).UTC().Truncate(time.Microsecond)) {
		t.Fatalf("done: %+v %v", done, err)
	}
	if _, err := start("auditor", "n1"); err != nil { // a finished job frees its place
		t.Fatalf("a job after one finished: %v", err)
	}
	n, err := jobs.FailInterruptedExportJobs(f.as("admin"), "n1")
	if err != nil || n != 2 {
		t.Fatalf("interrupted on n1: %d %v", n, err)
	}
	if got, _ := jobs.ExportJob(f.as("mgr.bj"), b.ID); got.State != redress.JobFailed || got.Error != redress.ReasonJobInterrupted {
		t.Fatalf("a job cut by the restart: %+v", got)
	}
	if got, _ := jobs.ExportJob(f.as("hq.svc"), c.ID); got.State != redress.JobRunning {
		t.Fatalf("another server's job: %+v", got)
	}
	f.clock = f.clock.Add(2 * time.Hour)
	ids, err := jobs.DeleteExpiredExportJobs(f.as("admin"), "n1")
	if err != nil || len(ids) != 3 {
		t.Fatalf("expired on n1: %v %v", ids, err)
	}
	if _, err := jobs.ExportJob(f.as("mgr.bj"), a.ID); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("an expired job: %v", err)
	}
	if ids, _ := jobs.DeleteExpiredExportJobs(f.as("admin"), "n2"); len(ids) != 0 {
		t.Fatalf("a running job expired: %v", ids)
	}
}
