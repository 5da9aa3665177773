package sqldb

import (
	"context"
	"strings"
	"testing"
	"time"

	"redress"
)

// mgrPassword is the password of mgr.bj in the fixtures of newSignInFixture.
const mgrPassword = "correct horse battery"

// newSignInFixture returns a fixture whose mgr.bj has the password
// mgrPassword, set by the admin in the template: the tests hash only what
// they test (sign-in, password change), not the setup. Its hashes are of
// FixturePasswordCost, like every fixture's.
func newSignInFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOf(t, "bank, mgr.bj with a password", func(admin context.Context, db *DB) error {
		password := mgrPassword
		_, err := NewUserService(db).UpdateUser(admin, "mgr.bj", redress.UserUpdate{Password: &password})
		return err
	})
}

// newProductionSignInFixture is newSignInFixture at DefaultPasswordCost,
// the template's hash of mgr.bj's password included: for the tests of the
// hash gate and of the lockout around the slow hash.
func newProductionSignInFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixtureOf(t, "bank, mgr.bj with a password of the production cost", func(admin context.Context, db *DB) error {
		if err := db.SetPasswordCost(DefaultPasswordCost); err != nil {
			return err
		}
		password := mgrPassword
		_, err := NewUserService(db).UpdateUser(admin, "mgr.bj", redress.UserUpdate{Password: &password})
		return err
	})
	if err := f.db.SetPasswordCost(DefaultPasswordCost); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM users WHERE login = ? AND password_hash LIKE ?`, "mgr.bj", "$argon2id$v=19$m=65536,t=3,p=2$%"); n != 1 {
		t.Fatal("mgr.bj's password is not hashed at the production cost")
	}
	return f
}

func TestSessions(t *testing.T) {
	t.Parallel()
	f := newSignInFixture(t)
	sessions := NewSessionService(f.db)
	ctx := context.Background()
	token, u, err := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery", Remote: "10.1.2.3"})
	if err != nil || u.Login != "mgr.bj" || len(token) < 40 {
		t.Fatalf("sign in: %v %v", u, err)
	}
	if got, err := sessions.SessionUser(ctx, token); err != nil || got.Login != "mgr.bj" || got.OrgCode != "BJ-HD" {
		t.Fatalf("session user: %v %v", got, err)
	}
	var stored int
	f.db.read.QueryRow(f.db.dialect.rebind(`SELECT COUNT(*) FROM sessions WHERE digest = ?`), token).Scan(&stored)
	if stored != 0 {
		t.Fatal("the session token must not be stored in clear")
	}
	// Idle timeout: 31 minutes without a request ends the session.
	f.clock = f.clock.Add(31 * time.Minute)
	_, err = sessions.SessionUser(ctx, token)
	wantCode(t, err, redress.EUNAUTHORIZED)
	// Absolute timeout: active every 20 minutes, the session still ends after 12 hours.
	token, _, _ = sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery"})
	for elapsed := time.Duration(0); elapsed < redress.AbsoluteTimeout-20*time.Minute; elapsed += 20 * time.Minute {
		f.clock = f.clock.Add(20 * time.Minute)
		if _, err := sessions.SessionUser(ctx, token); err != nil {
			t.Fatalf("active session ended after %v: %v", elapsed, err)
		}
	}
	f.clock = f.clock.Add(40 * time.Minute)
	_, err = sessions.SessionUser(ctx, token)
	wantCode(t, err, redress.EUNAUTHORIZED)
	// Sign out.
	token, _, _ = sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery"})
	if err := sessions.SignOut(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, err = sessions.SessionUser(ctx, token)
	wantCode(t, err, redress.EUNAUTHORIZED)
}

func TestLockout(t *testing.T) {
	t.Parallel()
	f := newSignInFixture(t)
	sessions := NewSessionService(f.db)
	ctx := context.Background()
	for i := 1; i <= redress.LockoutThreshold; i++ {
		_, _, err := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "wrong password"})
		wantCode(t, err, redress.EUNAUTHORIZED)
	}
	_, _, err := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery"})
	if redress.ErrorCode(err) != redress.EUNAUTHORIZED || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("the right password during the lockout must be refused: %v", err)
	}
	f.clock = f.clock.Add(61 * time.Second)
	_, _, err = sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "wrong again"}) // sixth failure: 2 minutes
	wantCode(t, err, redress.EUNAUTHORIZED)
	f.clock = f.clock.Add(61 * time.Second)
	if _, _, err := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery"}); err == nil {
		t.Fatal("the delay must grow: still locked a minute after the sixth failure")
	}
	f.clock = f.clock.Add(61 * time.Second)
	if _, _, err := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery"}); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Action: "session."})
	if err != nil {
		t.Fatal(err)
	}
	failed, signedIn := 0, 0
	for _, e := range page.Events {
		switch e.Action {
		case "session.failed":
			failed++
		case "session.sign_in":
			signedIn++
		}
	}
	if failed != 8 || signedIn != 1 {
		t.Fatalf("audited %d failures and %d sign-ins", failed, signedIn)
	}
	for _, d := range []struct {
		failures int
		want     time.Duration
	}{{4, 0}, {5, time.Minute}, {6, 2 * time.Minute}, {7, 4 * time.Minute}, {20, time.Hour}} {
		if got := redress.LockoutDelay(d.failures); got != d.want {
			t.Errorf("LockoutDelay(%d) = %v, want %v", d.failures, got, d.want)
		}
	}
}

func TestPasswordChangeAndDisable(t *testing.T) {
	t.Parallel()
	f := newSignInFixture(t)
	sessions := NewSessionService(f.db)
	ctx := context.Background()
	first, _, _ := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery"})
	second, _, _ := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "correct horse battery"})
	err := sessions.ChangePassword(f.as("mgr.bj"), first, redress.PasswordChange{Current: "wrong", New: "a brand new passphrase"})
	wantCode(t, err, redress.EINVALID)
	err = sessions.ChangePassword(f.as("mgr.bj"), first, redress.PasswordChange{Current: "correct horse battery", New: "short"})
	wantCode(t, err, redress.EINVALID)
	if err := sessions.ChangePassword(f.as("mgr.bj"), first, redress.PasswordChange{Current: "correct horse battery", New: "a brand new passphrase"}); err != nil {
		t.Fatal(err)
	}
	if _, err := sessions.SessionUser(ctx, first); err != nil {
		t.Fatalf("the session that changed the password stays: %v", err)
	}
	_, err = sessions.SessionUser(ctx, second)
	wantCode(t, err, redress.EUNAUTHORIZED)
	// A role change by the admin closes the user's sessions; disabling stops tokens too.
	token, err := NewTokenService(f.db).CreateToken(ctx, "mgr.bj", "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	role := redress.RoleBranchHead
	if _, err := NewUserService(f.db).UpdateUser(f.as("admin"), "mgr.bj", redress.UserUpdate{Role: &role}); err != nil {
		t.Fatal(err)
	}
	_, err = sessions.SessionUser(ctx, first)
	wantCode(t, err, redress.EUNAUTHORIZED)
	disabled := true
	if _, err := NewUserService(f.db).UpdateUser(f.as("admin"), "mgr.bj", redress.UserUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	_, err = NewTokenService(f.db).Authenticate(ctx, token)
	wantCode(t, err, redress.EUNAUTHORIZED)
	_, _, err = sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: "a brand new passphrase"})
	wantCode(t, err, redress.EUNAUTHORIZED)
	_, err = NewUserService(f.db).UpdateUser(f.as("mgr.sh"), "mgr.bj", redress.UserUpdate{Disabled: &disabled})
	wantCode(t, err, redress.EFORBIDDEN)
	page, _ := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Action: "user.update"})
	roleChanged := false
	for _, e := range page.Events {
		for _, c := range e.Changes {
			if c.Field == "role" && c.Before == "manager" && c.After == "branch_head" {
				roleChanged = true
			}
		}
	}
	if !roleChanged {
		t.Fatal("the role change must be in the audit trail")
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tokens := NewTokenService(f.db)
	ctx := context.Background()
	expires := f.clock.Add(24 * time.Hour)
	issued, err := tokens.IssueToken(f.as("mgr.bj"), redress.NewToken{Label: "hotline", ExpiresAt: &expires})
	if err != nil || !strings.HasPrefix(issued.Token, "rdr_") {
		t.Fatalf("issue: %v %v", issued, err)
	}
	if u, err := tokens.Authenticate(ctx, issued.Token); err != nil || u.Login != "mgr.bj" {
		t.Fatalf("authenticate: %v %v", u, err)
	}
	list, err := tokens.ListTokens(f.as("mgr.bj"), "")
	if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || list[0].ExpiresAt == nil {
		t.Fatalf("list: %+v %v", list, err)
	}
	_, err = tokens.ListTokens(f.as("mgr.sh"), "mgr.bj")
	wantCode(t, err, redress.EFORBIDDEN)
	if admin, err := tokens.ListTokens(f.as("admin"), "mgr.bj"); err != nil || len(admin) != 1 {
		t.Fatalf("admin lists: %v %v", admin, err)
	}
	wantCode(t, tokens.RevokeToken(f.as("mgr.sh"), issued.ID), redress.ENOTFOUND)
	f.clock = f.clock.Add(25 * time.Hour)
	_, err = tokens.Authenticate(ctx, issued.Token)
	wantCode(t, err, redress.EUNAUTHORIZED) // expired
	second, _ := tokens.IssueToken(f.as("mgr.bj"), redress.NewToken{Label: "second"})
	if err := tokens.RevokeToken(f.as("admin"), second.ID); err != nil {
		t.Fatal(err)
	}
	_, err = tokens.Authenticate(ctx, second.Token)
	wantCode(t, err, redress.EUNAUTHORIZED)
	past := f.clock.Add(-time.Hour)
	_, err = tokens.IssueToken(f.as("mgr.bj"), redress.NewToken{ExpiresAt: &past})
	wantCode(t, err, redress.EINVALID)
	var clear int
	f.db.read.QueryRow(f.db.dialect.rebind(`SELECT COUNT(*) FROM api_tokens WHERE digest = ? OR digest = ?`), issued.Token, second.Token).Scan(&clear)
	if clear != 0 {
		t.Fatal("tokens must be stored only as digests")
	}
}
