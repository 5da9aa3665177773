package sqldb

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"redress"
	"redress/jobs"
)

// Several nodes: two stores on one database, as two `redress serve`
// processes behind a load balancer would have (on SQLite, two processes on
// one file). Everything they coordinate on lives in the database: the
// counters of the tracking numbers, the head of the audit chain, the
// sessions, the deadline alerts and the outbox claims.

// secondNode opens another store on the fixture's database, with the same
// keys and clock.
func (f *fixture) secondNode(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), f.dsn, f.db.keyring(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = f.db.Now
	return db
}

// TestTwoNodesStartTogether: two servers started at once on an empty
// database migrate and bootstrap it once between them.
func TestTwoNodesStartTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := testEngine.NewDatabase(t)
	keys := mustRing(t, map[int][]byte{1: make([]byte, redress.KeySize)})
	nodes := make([]*DB, 2)
	for i := range nodes {
		db, err := Open(ctx, dsn, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		nodes[i] = db
	}
	passwords := make([]string, len(nodes))
	applied := make([]int, len(nodes))
	var wg sync.WaitGroup
	for i, db := range nodes {
		wg.Go(func() {
			var err error
			if applied[i], err = db.Migrate(ctx); err != nil {
				t.Errorf("node %d: migrate: %v", i, err)
				return
			}
			if passwords[i], err = db.Bootstrap(ctx, ""); err != nil {
				t.Errorf("node %d: bootstrap: %v", i, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	files, err := migrations.ReadDir("migrations/" + nodes[0].dialect.name)
	if err != nil {
		t.Fatal(err)
	}
	if applied[0]+applied[1] != len(files) {
		t.Errorf("the nodes applied %d and %d migrations, want %d in all", applied[0], applied[1], len(files))
	}
	if (passwords[0] == "") == (passwords[1] == "") {
		t.Errorf("exactly one node bootstraps: passwords %q and %q", passwords[0], passwords[1])
	}
	var units, admins int
	if err := nodes[1].read.QueryRow(`SELECT (SELECT COUNT(*) FROM org_units), (SELECT COUNT(*) FROM users)`).Scan(&units, &admins); err != nil {
		t.Fatal(err)
	}
	if units != 1 || admins != 1 {
		t.Errorf("%d units and %d users after two bootstraps, want 1 and 1", units, admins)
	}
	report, err := nodes[0].VerifyAuditAsOperator(ctx)
	if err != nil || !report.OK || report.Events != 1 {
		t.Fatalf("audit: %+v %v", report, err)
	}
}

// TestTwoNodesIntake: concurrent intake through both nodes gives unique,
// gapless tracking numbers, and the audit chain stays whole, also for an
// auditor verifying it while the cases come in.
func TestTwoNodesIntake(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	nodes := []*CaseService{NewCaseService(f.db), NewCaseService(f.secondNode(t))}
	const perNode = 25
	numbers := make(chan string, 2*perNode)
	stop := make(chan struct{})
	var verifier sync.WaitGroup
	verifier.Go(func() {
		audit := NewAuditService(f.secondNode(t))
		for checks := 0; ; checks++ {
			select {
			case <-stop:
				t.Logf("verified the growing chain %d times", checks)
				return
			default:
			}
			report, err := audit.VerifyAudit(f.as("auditor"))
			if err != nil || !report.OK {
				t.Errorf("verifying while the chain grows: %+v %v", report, err)
				return
			}
		}
	})
	var wg sync.WaitGroup
	for node, cases := range nodes {
		for i := range perNode {
			wg.Go(func() {
				c, err := cases.CreateCase(f.as([]string{"staff.bj", "staff2.bj"}[i%2]), sampleCase())
				if err != nil {
					t.Errorf("node %d: %v", node, err)
					return
				}
				numbers <- c.No
			})
		}
	}
	wg.Wait()
	close(stop)
	verifier.Wait()
	close(numbers)
	seen := map[string]bool{}
	for no := range numbers {
		if seen[no] {
			t.Errorf("tracking number %s given twice", no)
		}
		seen[no] = true
	}
	for i := 1; i <= 2*perNode; i++ {
		if no := fmt.Sprintf("TS20261120-%05d", i); !seen[no] {
			t.Errorf("%s is missing: %d numbers", no, len(seen))
		}
	}
	report, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
	if err != nil || !report.OK {
		t.Fatalf("audit after concurrent intake: %+v %v", report, err)
	}
	registered := f.count(t, `SELECT COUNT(*) FROM events WHERE action = ?`, redress.CaseEventAction(redress.ActionRegister))
	if registered != 2*perNode || report.HeadSeq != report.Events {
		t.Fatalf("%d register events, head %d of %d events", registered, report.HeadSeq, report.Events)
	}
}

// TestTwoNodesShareSessions: a session or a token opened through one node
// holds through the other, and ends on both.
func TestTwoNodesShareSessions(t *testing.T) {
	t.Parallel()
	f := newSignInFixture(t)
	other := f.secondNode(t)
	ctx := context.Background()
	token, _, err := NewSessionService(f.db).SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := NewSessionService(other).SessionUser(ctx, token); err != nil || u.Login != "mgr.bj" {
		t.Fatalf("the session through the other node: %v %v", u, err)
	}
	if err := NewSessionService(other).SignOut(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, err = NewSessionService(f.db).SessionUser(ctx, token)
	wantCode(t, err, redress.EUNAUTHORIZED)
	apiToken, err := NewTokenService(f.db).CreateToken(ctx, "mgr.bj", "two nodes", nil)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := NewTokenService(other).Authenticate(ctx, apiToken); err != nil || u.Login != "mgr.bj" {
		t.Fatalf("the token through the other node: %v %v", u, err)
	}
}

// countingSender counts what it sends, by notification ID, taking a little
// time over each as a real server does.
type countingSender struct {
	mu   sync.Mutex
	sent map[int64]int
}

func (s *countingSender) Send(ctx context.Context, n redress.Notification) error {
	time.Sleep(5 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[n.ID]++
	return nil
}

// TestTwoNodesBackgroundWorkOnce: both nodes sweep the deadlines at the same
// moment and run their outboxes at once; every notice and escalation
// happens once, and every notification is sent once.
func TestTwoNodesBackgroundWorkOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setContact(t, "mgr.bj", "li.qiang@bank.example", "")
	other := f.secondNode(t)
	const cases = 12
	for range cases {
		f.register(t, "staff.bj") // received 2026-11-20: the branch reply is due 2026-11-23
	}
	// 2026-11-24: every reply clock is overdue; each case escalates once.
	now := bjTime(2026, 11, 24, 8)
	f.clock = now
	opts := SweepOptions{Channels: []redress.NotifyChannel{redress.NotifyEmail}}
	reports := make([]*redress.SweepReport, 2)
	var wg sync.WaitGroup
	for i, db := range []*DB{f.db, other} {
		wg.Go(func() {
			var err error
			if reports[i], err = db.Sweep(context.Background(), now, opts); err != nil {
				t.Errorf("node %d sweep: %v", i, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	t.Logf("sweep reports: %+v %+v", *reports[0], *reports[1])
	if got := reports[0].Overdue + reports[1].Overdue; got != cases {
		t.Errorf("the nodes sent %d overdue notices, want %d", got, cases)
	}
	if got := reports[0].Escalated + reports[1].Escalated; got != cases {
		t.Errorf("the nodes escalated %d times, want %d", got, cases)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM deadline_alerts`); n != cases {
		t.Errorf("%d deadline alerts, want %d", n, cases)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE actor = ? AND action = ?`, "system", redress.CaseEventAction(redress.ActionEscalate)); n != cases {
		t.Errorf("%d escalation events, want %d", n, cases)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM cases WHERE level = 2 AND version = 2`); n != cases {
		t.Errorf("%d cases at level 2, version 2; want %d", n, cases)
	}
	if inbox := f.inbox(t, "mgr.bj"); len(inbox) != cases {
		t.Errorf("mgr.bj has %d in-app notices, want %d", len(inbox), cases)
	}
	pending := f.count(t, `SELECT COUNT(*) FROM notifications WHERE channel = ? AND status = ?`, redress.NotifyEmail, redress.NotifyPending)
	if pending != cases {
		t.Fatalf("%d e-mails pending, want %d", pending, cases)
	}

	// A claim takes its batch and no more, and the other node's claim at the
	// same moment takes the next one.
	email := []redress.NotifyChannel{redress.NotifyEmail}
	first, err := f.db.ClaimNotifications(context.Background(), "node-a", email, now, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	second, err := other.ClaimNotifications(context.Background(), "node-b", email, now, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || len(second) != 2 || first[0].ID == second[0].ID || first[1].ID == second[1].ID {
		t.Fatalf("claims of 2: %d and %d notifications", len(first), len(second))
	}
	if n := f.count(t, `SELECT COUNT(*) FROM notifications WHERE claimed_by <> ''`); n != 4 {
		t.Fatalf("%d notifications claimed by two claims of 2", n)
	}

	// Once those leases have run out, both nodes' outboxes run at once.
	now = now.Add(2 * time.Minute)
	sender := &countingSender{sent: map[int64]int{}}
	senders := map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: sender}
	clock := func() time.Time { return now }
	outboxes := []*jobs.Outbox{jobs.NewOutbox(f.db, senders, clock, nil), jobs.NewOutbox(other, senders, clock, nil)}
	sent := make([]int, len(outboxes))
	for i, o := range outboxes {
		o.Batch = 2
		wg.Go(func() {
			report, err := o.Once(context.Background())
			if err != nil {
				t.Errorf("node %d outbox: %v", i, err)
			}
			sent[i] = report.Sent
		})
	}
	wg.Wait()
	t.Logf("the nodes sent %d and %d e-mails", sent[0], sent[1])
	if sent[0]+sent[1] != cases || len(sender.sent) != cases {
		t.Fatalf("sent %d and %d, %d distinct; want %d in all", sent[0], sent[1], len(sender.sent), cases)
	}
	if sent[0] == 0 || sent[1] == 0 {
		t.Errorf("one node sent everything (%d and %d): the claims do not share the work", sent[0], sent[1])
	}
	for id, n := range sender.sent {
		if n != 1 {
			t.Errorf("notification %d sent %d times", id, n)
		}
	}
	if n := f.count(t, `SELECT COUNT(*) FROM notifications WHERE channel = ? AND status = ? AND attempts = 1`, redress.NotifyEmail, redress.NotifySent); n != cases {
		t.Errorf("%d e-mails recorded sent after one attempt, want %d", n, cases)
	}
	// A second sweep by either node finds nothing new.
	again, err := other.Sweep(context.Background(), now, opts)
	if err != nil || again.Overdue+again.DueSoon+again.Escalated != 0 {
		t.Fatalf("a second sweep: %+v %v", again, err)
	}
	report, err := NewAuditService(other).VerifyAudit(f.as("auditor"))
	if err != nil || !report.OK {
		t.Fatalf("audit: %+v %v", report, err)
	}
}
