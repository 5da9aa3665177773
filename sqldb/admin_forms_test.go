package sqldb

import (
	"context"
	"strings"
	"testing"

	"redress"
)

// Issue 13 item 7: an admin's reset gives a one-time password shown once
// (never stored or audited in clear), the user must change it (their
// session says so until they do), their sessions close and their tokens
// are revoked, they are told in-app; an admin does not reset their own, and
// nobody but an admin resets anyone's.
func TestResetPasswordOneTimeAndForcedChange_Issue13Item7(t *testing.T) {
	t.Parallel()
	f := newSignInFixture(t)
	users, sessions := NewUserService(f.db), NewSessionService(f.db)
	ctx := context.Background()
	old, _, err := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: mgrPassword})
	if err != nil {
		t.Fatal(err)
	}
	tokens := issueTokens(t, f, "mgr.bj", 1)
	for _, refused := range []struct {
		who, login, code string
	}{{"mgr.sh", "mgr.bj", redress.EFORBIDDEN}, {"auditor", "mgr.bj", redress.EFORBIDDEN}, {"admin", "admin", redress.EINVALID},
		{"admin", "nobody", redress.ENOTFOUND}} {
		if _, err := users.ResetPassword(f.as(refused.who), refused.login); redress.ErrorCode(err) != refused.code {
			t.Errorf("%s resets %s: %v, want %s", refused.who, refused.login, err, refused.code)
		}
	}
	if p := redress.ErrorProblems(func() error { _, err := users.ResetPassword(f.as("admin"), "admin"); return err }())["password"]; p.Key != redress.ProblemResetSelf {
		t.Errorf("an admin's own reset: %+v", p)
	}
	oneTime, err := users.ResetPassword(f.as("admin"), "mgr.bj")
	if err != nil || len(oneTime) < 16 {
		t.Fatalf("reset: %q %v", oneTime, err)
	}
	if _, err := sessions.SessionUser(ctx, old); err == nil {
		t.Error("the user's session survived the reset")
	}
	wantTokens(t, f, tokens, false, "after the reset")
	if _, _, err := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: mgrPassword}); err == nil {
		t.Error("the old password still signs in")
	}
	token, u, err := sessions.SignIn(ctx, redress.SignIn{Login: "mgr.bj", Password: oneTime})
	if err != nil || !u.MustChangePassword {
		t.Fatalf("sign-in with the one-time password: %+v %v", u, err)
	}
	if su, err := sessions.SessionUser(ctx, token); err != nil || !su.MustChangePassword {
		t.Fatalf("the session must say the password is to change: %+v %v", su, err)
	}
	e := lastEvent(t, f, "user.reset_password")
	if e.Actor != "admin" || e.Subject != redress.NewSubject(redress.SubjectUser, "mgr.bj") || changed(e, "must_change_password") == nil ||
		changed(e, "api_tokens") == nil || changed(e, "password") == nil {
		t.Fatalf("the reset's audit event: %+v", e)
	}
	for _, c := range e.Changes {
		if strings.Contains(c.Before+c.After, oneTime) {
			t.Fatalf("the audit event holds the one-time password: %+v", c)
		}
	}
	if n := f.count(t, `SELECT COUNT(*) FROM users WHERE password_hash LIKE ?`, "%"+oneTime+"%"); n != 0 {
		t.Fatal("the one-time password is stored in clear")
	}
	if n := f.count(t, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = ? AND n.kind = ?`,
		"mgr.bj", redress.NotifyPasswordReset); n < 1 {
		t.Fatal("the user was not told in-app")
	}
	// The change clears the mark; this session stays open.
	me := redress.WithUser(ctx, u)
	if err := sessions.ChangePassword(me, token, redress.PasswordChange{Current: "not it at all", New: "my own passphrase 1"}); redress.ErrorProblems(err)["current"].Key != redress.ProblemPasswordWrong {
		t.Fatalf("a wrong current password: %v", err)
	}
	if err := sessions.ChangePassword(me, token, redress.PasswordChange{Current: oneTime, New: "my own passphrase 1"}); err != nil {
		t.Fatal(err)
	}
	su, err := sessions.SessionUser(ctx, token)
	if err != nil || su.MustChangePassword {
		t.Fatalf("after the change: %+v %v", su, err)
	}
	if c := changed(lastEvent(t, f, "user.password"), "must_change_password"); c == nil || c.After != "false" {
		t.Fatalf("the change's audit event: %+v", c)
	}
}

// Issue 13 item 7: a user's edit (name, unit, role, contact) is one audited
// change with before and after; an admin never demotes or disables
// themselves (a keyed problem the pages translate).
func TestUserEditAudited_Issue13Item7(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	users := NewUserService(f.db)
	name, org, role, email, mobile := "李强强", "SH", redress.RoleBranchHead, "li.q@bank.example", "13812345678"
	u, err := users.UpdateUser(f.as("admin"), "mgr.bj", redress.UserUpdate{Name: &name, Org: &org, Role: &role, Email: &email, Mobile: &mobile})
	if err != nil || u.Name != name || u.OrgCode != "SH" || u.Role != role || u.Mobile != "138****5678" {
		t.Fatalf("update: %+v %v", u, err)
	}
	e := lastEvent(t, f, "user.update")
	for field, want := range map[string][2]string{"name": {"李强", name}, "org": {"BJ-HD", "SH"}, "role": {"manager", "branch_head"}} {
		if c := changed(e, field); c == nil || c.Before != want[0] || c.After != want[1] {
			t.Errorf("%s: %+v, want %v", field, c, want)
		}
	}
	if c := changed(e, "mobile"); c == nil || strings.Contains(c.After, mobile) {
		t.Errorf("the mobile in the audit trail: %+v", c)
	}
	staff := redress.RoleStaff
	_, err = users.UpdateUser(f.as("admin"), "admin", redress.UserUpdate{Role: &staff})
	if redress.ErrorProblems(err)["role"].Key != redress.ProblemSelfAdmin {
		t.Fatalf("an admin demoting themselves: %v", err)
	}
}

// Issue 13 item 7: a unit moves with its subtree under another parent in
// one transaction: every path below follows, so the scope of its people and
// cases follows at once; a move under itself or a unit below it, a kind out
// of order and a change of head office are refused with the reason; audited
// org.update with before and after.
func TestMoveUnitRecomputesSubtreePaths_Issue13Item7(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	orgs := NewOrgService(f.db)
	c := f.register(t, "staff.bj") // registered at BJ-HD-01, under BJ-HD
	pathOf := func(code string) string {
		o, err := f.db.orgByCode(context.Background(), f.db.reads(), "org", code)
		if err != nil {
			t.Fatal(err)
		}
		return o.Path
	}
	refusals := []struct {
		name, field, key string
		up               redress.OrgUpdate
		code             string
	}{
		{"under itself", "parent", redress.ProblemOrgUnderItself, redress.OrgUpdate{Parent: ptr("BJ-HD")}, "BJ-HD"},
		{"under its own outlet", "parent", redress.ProblemOrgUnderItself, redress.OrgUpdate{Parent: ptr("BJ-HD-01")}, "BJ"},
		{"a branch under a branch", "kind", redress.ProblemOrgParent, redress.OrgUpdate{Parent: ptr("BJ")}, "SH"},
		{"an outlet above an outlet", "kind", redress.ProblemOrgChildKind, redress.OrgUpdate{Kind: ptr(redress.OrgOutlet)}, "BJ-HD"},
		{"head office moved", "parent", redress.ProblemOrgRoot, redress.OrgUpdate{Parent: ptr("BJ")}, "HQ"},
		{"an unknown parent", "parent", redress.ProblemNoSuchOrg, redress.OrgUpdate{Parent: ptr("ZZ")}, "BJ-HD"},
		{"an empty name", "name", redress.ProblemRequired, redress.OrgUpdate{Name: ptr("")}, "BJ-HD"},
	}
	for _, r := range refusals {
		_, err := orgs.UpdateOrg(f.as("admin"), r.code, r.up)
		if got := redress.ErrorProblems(err)[r.field]; got.Key != r.key {
			t.Errorf("%s: %v (%+v), want %s on %s", r.name, err, got, r.key, r.field)
		}
	}
	if _, err := orgs.UpdateOrg(f.as("mgr.bj"), "BJ-HD", redress.OrgUpdate{Parent: ptr("SH")}); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Errorf("a manager moves a unit: %v", err)
	}
	if _, err := orgs.UpdateOrg(f.as("admin"), "NOPE", redress.OrgUpdate{Name: ptr("x")}); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Errorf("an unknown unit: %v", err)
	}
	before, outletBefore := pathOf("BJ-HD"), pathOf("BJ-HD-01")
	moved, err := orgs.UpdateOrg(f.as("admin"), "BJ-HD", redress.OrgUpdate{Parent: ptr("SH"), Name: ptr("海淀支行（划转）")})
	if err != nil {
		t.Fatal(err)
	}
	sh := pathOf("SH")
	if moved.ParentCode != "SH" || pathOf("BJ-HD") != redress.OrgPath(sh, moved.ID) || moved.Path != pathOf("BJ-HD") {
		t.Fatalf("moved: %+v, path %s", moved, pathOf("BJ-HD"))
	}
	if got, want := pathOf("BJ-HD-01"), redress.MovedPath(outletBefore, before, moved.Path); got != want {
		t.Fatalf("the outlet's path %s, want %s", got, want)
	}
	// Shanghai's manager now sees the case registered at the outlet moved under Shanghai.
	if _, err := f.cases.Case(f.as("mgr.sh"), c.No); err != nil {
		t.Errorf("the new parent's manager does not see the case: %v", err)
	}
	e := lastEvent(t, f, "org.update")
	if e.Subject != redress.NewSubject(redress.SubjectOrg, "BJ-HD") || changed(e, "parent") == nil || changed(e, "parent").Before != "BJ" ||
		changed(e, "name") == nil || changed(e, "path") == nil {
		t.Fatalf("the audit event: %+v", e)
	}
}

// Issue 13 item 7: the audit trail by unit: the events of the people of a
// unit's subtree; an unknown unit is a problem of the field.
func TestAuditByUnit_Issue13Item7(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.register(t, "staff.bj")
	f.register(t, "mgr.sh")
	audit := NewAuditService(f.db)
	page, err := audit.ListEvents(f.as("auditor"), redress.AuditFilter{Org: "BJ", Action: "case.register"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 1 || page.Events[0].Actor != "staff.bj" {
		t.Fatalf("BJ's events: %+v", page.Events)
	}
	_, err = audit.ListEvents(f.as("auditor"), redress.AuditFilter{Org: "ZZ", From: "x"})
	if p := redress.ErrorProblems(err); p["org"].Key != redress.ProblemNoSuchOrg || p["from"].Key != redress.ProblemDate {
		t.Fatalf("an unknown unit and a bad date at once: %v", err)
	}
}
