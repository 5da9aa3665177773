package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"redress"
	"redress/demo"
	"redress/sqldb"
	"redress/sqldb/sqldbtest"
)

// TestLoad loads the demo bank into a real database and checks that it
// covers every status and channel and leaves an intact audit chain.
func TestLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	keys, err := redress.NewKeyring(map[int][]byte{1: bytes.Repeat([]byte{3}, redress.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.Open(ctx, filepath.Join(sqldbtest.TempDir(t), "demo.db"), keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Bootstrap(ctx, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 18, 0, 0, 0, redress.Beijing)
	admin := &redress.User{Login: "admin", Role: redress.RoleAdmin}
	users := &unhashedUsers{UserService: sqldb.NewUserService(db)}
	sweep := func(ctx context.Context, now time.Time) (*redress.SweepReport, error) {
		return db.Sweep(ctx, now, sqldb.SweepOptions{Calendars: db.Calendars})
	}
	svc := demo.Services{Orgs: sqldb.NewOrgService(db), Users: users, Cases: sqldb.NewCaseService(db), Sweep: sweep}
	summary, err := demo.Load(redress.WithUser(ctx, admin), svc, admin, func(t time.Time) { db.Now = func() time.Time { return t } }, now, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if users.created != len(summary.Logins) {
		t.Fatalf("the demo created %d users and lists %d logins", users.created, len(summary.Logins))
	}
	if len(summary.Logins) < 20 {
		t.Fatalf("demo logins: %d", len(summary.Logins))
	}
	auditor := redress.WithUser(ctx, &redress.User{Login: "probe", Role: redress.RoleAuditor, OrgPath: "/1/"})
	statuses, channels, levels := map[redress.Status]int{}, map[redress.Channel]int{}, map[int]int{}
	total := 0
	for cursor := ""; ; {
		page, err := svc.Cases.ListCases(auditor, redress.CaseFilter{Limit: 200, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Cases {
			statuses[c.Status]++
			channels[c.Channel]++
			levels[c.Level]++
			total++
			if c.ReceivedAt.After(now) {
				t.Fatalf("case %s received in the future", c.No)
			}
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if total < 200 {
		t.Fatalf("%d cases", total)
	}
	for _, s := range redress.Statuses {
		if statuses[s] == 0 {
			t.Errorf("no %s case", s)
		}
	}
	for _, c := range redress.Channels {
		if channels[c] == 0 {
			t.Errorf("no case by %s", c)
		}
	}
	// The summary counts the bank the server will show: the sweep at now
	// has made the escalations the history calls for, and the server's
	// first sweep has nothing new to do.
	if summary.Swept == nil || summary.Swept.Escalated == 0 || summary.Swept.Overdue == 0 {
		t.Fatalf("the load's sweep: %+v", summary.Swept)
	}
	for level := 1; level <= 4; level++ {
		if levels[level] != summary.ByLevel[level] {
			t.Errorf("level %d: %d cases, the summary says %d", level, levels[level], summary.ByLevel[level])
		}
	}
	again, err := sweep(ctx, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if again.DueSoon+again.Overdue+again.Escalated+again.Notifications != 0 {
		t.Fatalf("the first sweep after the demo still finds work: %+v", again)
	}
	report, err := db.VerifyAuditAsOperator(ctx)
	if err != nil || !report.OK {
		t.Fatalf("audit after the demo: %+v %v", report, err)
	}
}

// unhashedUsers creates the demo's users as the store does, but without
// their password: TestLoad signs no one in, and an argon2id hash (64 MiB)
// per demo user would be most of its time. It checks instead that each user
// gets demo.Password and that the password is valid.
type unhashedUsers struct {
	redress.UserService
	created int
}

// CreateUser checks the password of n, then creates the user without it.
func (u *unhashedUsers) CreateUser(ctx context.Context, n redress.NewUser) (*redress.User, error) {
	if n.Password != demo.Password {
		return nil, fmt.Errorf("demo user %s: password %q, want demo.Password", n.Login, n.Password)
	}
	if err := n.Validate(); err != nil {
		return nil, fmt.Errorf("demo user %s: %w", n.Login, err)
	}
	n.Password = ""
	created, err := u.UserService.CreateUser(ctx, n)
	if err == nil {
		u.created++
	}
	return created, err
}
