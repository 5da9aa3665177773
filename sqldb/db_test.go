package sqldb

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"redress"
	"redress/sqldb/sqldbtest"
)

// testEngine is the database engine of this run of the package's tests:
// TestMain runs them all on SQLite, then on PostgreSQL when
// REDRESS_TEST_POSTGRES names a server (see sqldbtest).
var testEngine sqldbtest.Engine

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m, &testEngine)) }

// fixture is a migrated database with a small bank: HQ → BJ branch → BJ-HD
// sub-branch → BJ-HD-01 outlet, and SH branch beside it, with users.
type fixture struct {
	db    *DB
	dsn   string // the database: a SQLite file path, or a PostgreSQL URL
	cases *CaseService
	users map[string]*redress.User
	clock time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	dsn := testEngine.NewDatabase(t)
	keys, err := redress.NewKeyring(map[int][]byte{1: bytes.Repeat([]byte{7}, redress.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, dsn, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, dsn: dsn, cases: NewCaseService(db), users: map[string]*redress.User{},
		clock: time.Date(2026, 11, 21, 10, 0, 0, 0, redress.Beijing)}
	db.Now = func() time.Time { return f.clock }
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("a second migrate must do nothing: %d %v", n, err)
	}
	if _, err := db.Bootstrap(ctx, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
	admin := redress.WithUser(ctx, &redress.User{Login: "admin", Role: redress.RoleAdmin})
	orgs := NewOrgService(db)
	for _, o := range []redress.NewOrgUnit{
		{Code: "BJ", Name: "北京分行", Kind: redress.OrgBranch, Parent: "HQ"},
		{Code: "BJ-HD", Name: "海淀支行", Kind: redress.OrgSubBranch, Parent: "BJ"},
		{Code: "BJ-HD-01", Name: "中关村网点", Kind: redress.OrgOutlet, Parent: "BJ-HD"},
		{Code: "SH", Name: "上海分行", Kind: redress.OrgBranch, Parent: "HQ"},
	} {
		if _, err := orgs.CreateOrg(admin, o); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []redress.NewUser{
		{Login: "staff.bj", Name: "王芳", Role: redress.RoleStaff, Org: "BJ-HD-01"},
		{Login: "staff2.bj", Name: "刘洋", Role: redress.RoleStaff, Org: "BJ-HD-01"},
		{Login: "mgr.bj", Name: "李强", Role: redress.RoleManager, Org: "BJ-HD"},
		{Login: "head.bj", Name: "张伟", Role: redress.RoleBranchHead, Org: "BJ-HD"},
		{Login: "mgr.sh", Name: "陈静", Role: redress.RoleManager, Org: "SH"},
		{Login: "hq.svc", Name: "赵敏", Role: redress.RoleHQService, Org: "HQ"},
		{Login: "auditor", Name: "钱进", Role: redress.RoleAuditor, Org: "HQ"},
	} {
		created, err := NewUserService(db).CreateUser(admin, u)
		if err != nil {
			t.Fatal(err)
		}
		f.users[u.Login] = created
	}
	f.users["admin"] = &redress.User{Login: "admin", Role: redress.RoleAdmin}
	return f
}

// as returns a context acting as the named fixture user.
func (f *fixture) as(login string) context.Context {
	return redress.WithUser(context.Background(), f.users[login])
}

func sampleCase() redress.NewCase {
	return redress.NewCase{Kind: redress.KindComplaint, Channel: redress.ChannelCounter,
		ReceivedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, redress.Beijing),
		Complainant: redress.Complainant{Name: "张三", IDType: redress.IDResident, IDNumber: "110101199003071234",
			Phone: "13812345678", Account: "6222021234567890123"},
		Subject: "理财产品收益与宣传不符", Description: "客户称购买的理财产品实际收益远低于宣传。", Request: "赔偿差额",
		Amount: "5000.00", CodeA: "A01", CodeB: "B06", CodeC: "C08"}
}

func (f *fixture) register(t *testing.T, login string) *redress.Case {
	t.Helper()
	c, err := f.cases.CreateCase(f.as(login), sampleCase())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// act takes an action and fails the test on error.
func (f *fixture) act(t *testing.T, login string, c *redress.Case, req redress.ActionRequest) *redress.Case {
	t.Helper()
	req.Version = c.Version
	next, err := f.cases.Act(f.as(login), c.No, req)
	if err != nil {
		t.Fatalf("%s by %s: %v", req.Action, login, err)
	}
	return next
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if redress.ErrorCode(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

// count runs a query written with ? placeholders that answers one number.
func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.read.QueryRowContext(context.Background(), f.db.dialect.rebind(query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
