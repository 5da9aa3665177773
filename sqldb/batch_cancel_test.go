package sqldb

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowPrefix marks the subject of an intake whose INSERT slowIntakes makes
// slow.
const slowPrefix = "慢："

// slowIntakes installs, behind the store's back, a trigger that makes the
// INSERT of a case whose subject starts with slowPrefix take a while: on
// PostgreSQL a pg_sleep of 0.8 s, on SQLite a join of 36 million rows (a
// trigger there may not use a WITH clause, nor sleep). A cancellation that
// arrives meanwhile lands inside that statement, where a driver interrupts
// it.
func slowIntakes(t *testing.T, f *fixture) {
	t.Helper()
	raw := testEngine.Raw(t, f.dsn)
	statements := []string{
		`CREATE TABLE slow_rows (n INTEGER)`,
		`WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 6000) INSERT INTO slow_rows SELECT n FROM r`,
		`CREATE TRIGGER slow_intake AFTER INSERT ON cases WHEN NEW.subject LIKE '` + slowPrefix + `%'
			BEGIN SELECT count(*) FROM slow_rows a, slow_rows b; END`,
	}
	if testEngine.Name == "postgres" {
		statements = []string{
			`CREATE FUNCTION slow_intake() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.8); RETURN NEW; END $$`,
			`CREATE TRIGGER slow_intake AFTER INSERT ON cases FOR EACH ROW WHEN (NEW.subject LIKE '` + slowPrefix + `%')
				EXECUTE FUNCTION slow_intake()`,
		}
	}
	for _, s := range statements {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestHangUpFailsOnlyItsOwnIntake_Issue11Item4: a caller that gives up
// while its intake runs inside a shared commit (a client that hangs up)
// gets its own cancellation, its case is not kept, and the intakes batched
// with it are stored and acknowledged. Before, the cancellation reached the
// shared transaction's statement (SQLite interrupts it and rolls the whole
// transaction back, "rollback to savepoint: no such savepoint"; pgx breaks
// the connection) and every case of the batch failed.
func TestHangUpFailsOnlyItsOwnIntake_Issue11Item4(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	slowIntakes(t, f)
	ctx := f.as("staff.bj")
	intake := func(ctx context.Context, subject string) error {
		c := sampleCase()
		c.Subject = subject
		_, err := f.cases.CreateCase(ctx, c)
		return err
	}
	// A first intake loads the deadline engine, so that from then on an
	// intake's statements are all in the committer.
	if err := intake(ctx, "先行"); err != nil {
		t.Fatal(err)
	}
	// Then one slow, honest intake keeps the committer busy while the next
	// batch queues: eight honest intakes, then one whose caller hangs up.
	before := f.db.statements.Load()
	first := make(chan error, 1)
	go func() { first <- intake(ctx, slowPrefix+"先到的投诉") }()
	// Its third statement (the codes, the day's counter, the INSERT) is the slow one.
	waitFor(t, "the committer to run the slow intake", func() bool { return f.db.statements.Load() >= before+3 })
	const honest = 8
	var wg sync.WaitGroup
	results := make([]error, honest)
	for i := range honest {
		wg.Go(func() { results[i] = intake(ctx, "理财产品收益与宣传不符") })
	}
	waitFor(t, "the honest intakes to queue", func() bool { return len(f.db.batch.jobs) == honest })
	hangUp, cancel := context.WithCancel(ctx)
	defer cancel()
	aborted := make(chan error, 1)
	go func() { aborted <- intake(hangUp, slowPrefix+"挂断的客户") }()
	waitFor(t, "the aborting intake to queue", func() bool { return len(f.db.batch.jobs) == honest+1 })
	if err := <-first; err != nil {
		t.Fatalf("the first intake: %v", err)
	}
	// Batch 2 runs the honest intakes (fast), then the aborting one's slow
	// INSERT: the caller hangs up in the middle of it.
	waitFor(t, "the honest intakes to run", func() bool { return f.db.batch.ran.Load() == 2+honest })
	time.Sleep(150 * time.Millisecond)
	cancel()
	wg.Wait()
	for i, err := range results {
		if err != nil {
			t.Errorf("honest intake %d, batched with a caller that hung up: %v", i, err)
		}
	}
	if err := <-aborted; !errors.Is(err, context.Canceled) {
		t.Errorf("the caller that hung up: %v, want its own cancellation", err)
	}
	var stored, slow int
	f.db.read.QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&stored)
	f.db.reads().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM cases WHERE subject LIKE ?`, slowPrefix+"%").Scan(&slow)
	if stored != 2+honest || slow != 1 {
		t.Errorf("stored %d cases (%d slow), want %d (1 slow): the honest ones and not the abandoned one", stored, slow, 2+honest)
	}
	report, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
	if err != nil || !report.OK || report.Events == 0 {
		t.Fatalf("audit: %+v %v", report, err)
	}
	// The committer goes on: the next intake is stored.
	if err := intake(ctx, strings.Repeat("后", 3)); err != nil {
		t.Fatalf("an intake after the hang-up: %v", err)
	}
}
