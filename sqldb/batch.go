package sqldb

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// maxBatch bounds how many intakes share one commit. Eight already spread
// the commit's fixed cost (an fsync of about 0.1 ms) over jobs whose own
// serial work is about 0.7 ms each at 1,000,000 cases, so a larger batch
// saves little more; and a batch that takes every waiting intake makes the
// callers wait together and come back together, so that the committer
// idles while their requests are decoded and the other core idles while it
// commits. With at most eight, at concurrency 16 one batch commits while
// the next one's requests are being read: on SQLite at 1,000,000 cases that
// raised intake from 807–890 to 1,009–1,115 cases/s at concurrency 16, with
// less CPU a case (1.27 → 1.03–1.12 ms; docs/benchmarks.md, 16:26–16:35).
const maxBatch = 8

// queueDepth is how many jobs may wait for the committer before a caller
// waits to queue.
const queueDepth = 256

// batchTimeout bounds one shared transaction, from its BEGIN to its COMMIT.
// The batch runs on a context of its own, which no caller's cancellation
// reaches, so this is the bound that remains: a batch that takes longer
// fails as a whole.
const batchTimeout = 30 * time.Second

// batchJob is one unit of work waiting for a shared commit.
type batchJob struct {
	ctx  context.Context // the caller's: its cancellation is looked at, never passed to a statement
	fn   func(ctx context.Context, tx *Tx) error
	done chan error
}

// committer runs queued jobs in shared transactions (group commit): it
// takes whatever is queued, up to maxBatch, runs the jobs (again each in
// its own savepoint when one failed, so that a failing job rolls back
// alone; see commit), and commits once. With
// synchronous=FULL one fsync then covers the whole batch; while it runs,
// the next batch queues up. A job's caller learns its outcome only after
// the commit, so success still means the data is on disk.
//
// No caller's cancellation reaches the shared transaction: a statement
// interrupted by a client that hung up would abort it (SQLite rolls the whole
// transaction back, pgx breaks the connection) and fail every job of the
// batch. The jobs run on a context without the caller's cancellation (its
// values kept), bounded by the batch's own deadline; a job whose caller gave
// up before it ran is skipped, and one whose caller gave up while it ran is
// rolled back to its savepoint, and that caller alone is told so.
type committer struct {
	db      *DB
	jobs    chan *batchJob
	quit    chan struct{} // closed by stop
	exited  chan struct{} // closed when run has returned
	commits atomic.Int64  // transactions committed, for tests and metrics
	// observer hears of each commit (SetBatchObserver); nil: nobody.
	observer atomic.Pointer[BatchObserver]
	ran      atomic.Int64 // jobs run (a batch run again counts its jobs again)
}

var errCommitterStopped = errors.New("sqldb: the database is closing")

// newCommitter starts the committer of db; Close stops it.
func newCommitter(db *DB) *committer {
	c := &committer{db: db, jobs: make(chan *batchJob, queueDepth), quit: make(chan struct{}), exited: make(chan struct{})}
	go c.run()
	return c
}

// inBatch runs fn in a shared write transaction and returns after it commits.
// fn must run its statements on the context it is given, not on ctx: that
// one has the caller's values without its cancellation (see committer).
func (db *DB) inBatch(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	c := db.batch
	select {
	case <-c.quit:
		return errCommitterStopped
	default:
	}
	job := &batchJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case c.jobs <- job:
	case <-c.quit:
		return errCommitterStopped
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the job's outcome is awaited even if the caller gives up,
	// so that no caller is told "failed" about a case that was committed. A
	// job queued as the committer stopped is answered by the drain, or, if it
	// slipped in after, by the committer's exit: it never ran.
	select {
	case err := <-job.done:
		return err
	case <-c.exited:
		select {
		case err := <-job.done:
			return err
		default:
			return errCommitterStopped
		}
	}
}

func (c *committer) run() {
	defer close(c.exited)
	for {
		var first *batchJob
		select {
		case first = <-c.jobs:
		case <-c.quit:
			c.drain()
			return
		}
		batch := []*batchJob{first}
	gather:
		for len(batch) < maxBatch {
			select {
			case job := <-c.jobs:
				batch = append(batch, job)
			default:
				break gather
			}
		}
		c.commit(batch)
	}
}

// drain fails the jobs still queued when the database closes.
func (c *committer) drain() {
	for {
		select {
		case job := <-c.jobs:
			job.done <- errCommitterStopped
		default:
			return
		}
	}
}

// errRerun ends the first, optimistic run of a batch: one of its jobs
// failed, or its caller gave up while it ran.
var errRerun = errors.New("sqldb: a job of the batch failed")

// commit runs one batch and commits it once. It first runs every job
// straight in the shared transaction: a failing job is rare (the input was
// validated before it queued), and a savepoint around each job costs SQLite
// a statement journal of every page the job touches and the full-text
// index a flush of its pending terms at each release, a sixth of an
// intake's CPU. When a job fails, or its caller gives up while it runs,
// that transaction is rolled back, and the batch runs again with each job
// in its own savepoint, so that the failing job rolls back alone. A batch
// of one job needs no second run: the rollback was the job's own.
func (c *committer) commit(batch []*batchJob) {
	results := make([]error, len(batch))
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(batch[0].ctx), batchTimeout)
	defer cancel()
	run := func(jobs func(ctx context.Context, tx *Tx, batch []*batchJob, results []error) error) error {
		return c.db.inTx(ctx, func(tx *Tx) error {
			writes := &batchWrites{}
			tx.batch = writes
			if err := jobs(ctx, tx, batch, results); err != nil {
				return err
			}
			tx.batch = nil
			return writes.write(ctx, tx)
		})
	}
	err := run(c.runStraight)
	if errors.Is(err, errRerun) && len(batch) > 1 {
		clear(results)
		err = run(c.runInSavepoints)
	} else if errors.Is(err, errRerun) {
		err = nil // the one job's own error is in results
	}
	if err == nil {
		c.commits.Add(1)
	}
	if o := c.observer.Load(); o != nil {
		(*o).ObserveBatch(len(batch), time.Since(start), err)
	}
	for i, job := range batch {
		if err != nil && results[i] == nil {
			results[i] = err // the shared commit failed: nothing of this job was kept
		}
		job.done <- results[i]
	}
}

// runStraight runs the batch's jobs one after another in tx, without
// savepoints; the first that fails (or whose caller gave up meanwhile)
// ends it with errRerun, its own error in results.
func (c *committer) runStraight(batchCtx context.Context, tx *Tx, batch []*batchJob, results []error) error {
	deadline, _ := batchCtx.Deadline()
	for i, job := range batch {
		if err := job.ctx.Err(); err != nil {
			results[i] = err // the caller gave up before its turn
			continue
		}
		tx.batch.jobsLeft = len(batch) - i
		ctx, cancel := context.WithDeadline(context.WithoutCancel(job.ctx), deadline)
		result := job.fn(ctx, tx)
		cancel()
		if result == nil && job.ctx.Err() != nil {
			result = job.ctx.Err() // the caller hung up: keep nothing it would not hear of
		}
		if result != nil {
			results[i] = result
			return errRerun
		}
		c.ran.Add(1)
	}
	return nil
}

// runInSavepoints runs the batch's jobs in tx, each in its own savepoint.
func (c *committer) runInSavepoints(ctx context.Context, tx *Tx, batch []*batchJob, results []error) error {
	for i, job := range batch {
		if err := job.ctx.Err(); err != nil {
			results[i] = err // the caller gave up before its turn
			continue
		}
		tx.batch.jobsLeft = len(batch) - i
		var err error
		if results[i], err = c.runJob(ctx, tx, job); err != nil {
			return err
		}
		c.ran.Add(1)
	}
	return nil
}

// runJob runs one job in its savepoint of the batch's transaction, on the
// caller's context values under the batch's deadline. result is the job's
// own error, or the caller's cancellation when it gave up meanwhile (the job
// is then rolled back); err is the shared transaction's: the batch cannot go on.
func (c *committer) runJob(batchCtx context.Context, tx *Tx, job *batchJob) (result, err error) {
	deadline, _ := batchCtx.Deadline()
	ctx, cancel := context.WithDeadline(context.WithoutCancel(job.ctx), deadline)
	defer cancel()
	if _, err := tx.ExecContext(batchCtx, `SAVEPOINT intake`); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	mark := tx.batch.mark()
	result = job.fn(ctx, tx)
	if result == nil && job.ctx.Err() != nil {
		result = job.ctx.Err() // the caller hung up: keep nothing it would not hear of
	}
	if result != nil {
		tx.batch.undo(mark) // the job's events, deadline entries and search documents go with it
		if _, err := tx.ExecContext(batchCtx, `ROLLBACK TO SAVEPOINT intake`); err != nil {
			return nil, fmt.Errorf("rollback to savepoint: %w", err)
		}
	}
	if _, err := tx.ExecContext(batchCtx, `RELEASE SAVEPOINT intake`); err != nil {
		return nil, fmt.Errorf("release savepoint: %w", err)
	}
	return result, nil
}

// stop ends the committer after the batch in progress.
func (c *committer) stop() {
	select {
	case <-c.quit:
	default:
		close(c.quit)
	}
	<-c.exited
}
