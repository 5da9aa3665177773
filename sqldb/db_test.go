package sqldb

import (
	"bytes"
	"context"
	"fmt"
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

// fixtureClock is the fixture's time when a test starts: the bank was made
// then, and tests move f.clock on from it.
var fixtureClock = time.Date(2026, 11, 21, 10, 0, 0, 0, redress.Beijing)

// fixtureKeys returns the keyring every fixture database is sealed under
// (the templates were made with it).
func fixtureKeys() (*redress.Keyring, error) {
	return redress.NewKeyring(map[int][]byte{1: bytes.Repeat([]byte{7}, redress.KeySize)})
}

// newFixture returns a fixture on a copy of the "bank" template.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureOf(t, "bank", nil)
}

// newFixtureOf returns a fixture on a copy of the template key: the bank,
// then what more adds to it as the admin (more is nil for the plain bank).
// The template is made once per engine run, so that no test pays for the
// migrations and the bootstrap's password hash.
func newFixtureOf(t testing.TB, key string, more func(admin context.Context, db *DB) error) *fixture {
	t.Helper()
	return newFixtureOn(t, testEngine, key, more)
}

// newFixtureOn is newFixtureOf on the given engine (testEngine.OnDisk(), for
// a test that needs real fsyncs).
func newFixtureOn(t testing.TB, engine sqldbtest.Engine, key string, more func(admin context.Context, db *DB) error) *fixture {
	t.Helper()
	ctx := context.Background()
	dsn, users := sqldbtest.CloneWith(t, engine, key, func(dsn string) (map[string]*redress.User, error) {
		return buildBank(dsn, more)
	})
	keys, err := fixtureKeys()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, dsn, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// The cost of the hashes is tested by the sign-in tests, at the
	// production cost (newProductionSignInFixture), not by every fixture.
	if err := db.SetPasswordCost(FixturePasswordCost); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, dsn: dsn, cases: NewCaseService(db), users: map[string]*redress.User{}, clock: fixtureClock}
	db.Now = func() time.Time { return f.clock }
	if n, err := db.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("migrating the migrated template must do nothing: %d %v", n, err)
	}
	for login, u := range users {
		copied := *u // the template's users are shared by every test
		f.users[login] = &copied
	}
	return f
}

// buildBank makes the bank of the fixture in the empty database of dsn, then
// applies more, and returns the users it created by login.
func buildBank(dsn string, more func(admin context.Context, db *DB) error) (map[string]*redress.User, error) {
	ctx := context.Background()
	keys, err := fixtureKeys()
	if err != nil {
		return nil, err
	}
	db, err := Open(ctx, dsn, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.Now = func() time.Time { return fixtureClock }
	if err := db.SetPasswordCost(FixturePasswordCost); err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	if n, err := db.Migrate(ctx); err != nil || n != 0 {
		return nil, fmt.Errorf("a second migrate must do nothing: %d %v", n, err)
	}
	if _, err := db.Bootstrap(ctx, "admin-password-1"); err != nil {
		return nil, err
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
			return nil, fmt.Errorf("org %s: %w", o.Code, err)
		}
	}
	users := map[string]*redress.User{}
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
			return nil, fmt.Errorf("user %s: %w", u.Login, err)
		}
		users[u.Login] = created
	}
	users["admin"] = &redress.User{Login: "admin", Role: redress.RoleAdmin}
	if more != nil {
		if err := more(admin, db); err != nil {
			return nil, err
		}
	}
	return users, nil
}

// as returns a context acting as the named fixture user.
func (f *fixture) as(login string) context.Context {
	return redress.WithUser(context.Background(), f.users[login])
}

func sampleCase() redress.NewCase {
	return redress.NewCase{Kind: redress.KindComplaint, Channel: redress.ChannelCounter,
		ReceivedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, redress.Beijing),
		Complainant: redress.Complainant{Name: "张三", IDType: redress.IDResident, IDNumber: "110101199003071234",
			Phone: "13812345678", Account: "6222021234567890123",
			Address: "北京市海淀区中关村大街1号院3号楼502", Email: "zhang.san@mail.example"},
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

// TestSQLiteWriterKeepsItsTemporaryFilesInMemory: the writer's statement
// journals stay in memory (an intake's INSERT journals a page of every
// index it changes), the readers' sorts still spill to files, and Migrate
// leaves the writer as it found it.
func TestSQLiteWriterKeepsItsTemporaryFilesInMemory(t *testing.T) {
	t.Parallel()
	f := newFixtureOn(t, testEngine.OnDisk(), "bank", nil)
	if f.db.dialect.name != "sqlite" {
		t.Skip("a SQLite setting")
	}
	if _, err := f.db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	var write, read int
	if err := f.db.write.QueryRow(`PRAGMA temp_store`).Scan(&write); err != nil {
		t.Fatal(err)
	}
	if err := f.db.read.QueryRow(`PRAGMA temp_store`).Scan(&read); err != nil {
		t.Fatal(err)
	}
	if write != 2 || read != 0 {
		t.Fatalf("temp_store: writer %d, readers %d; want 2 (memory) and 0 (the default)", write, read)
	}
}
