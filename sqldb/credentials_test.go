package sqldb

import (
	"context"
	"strings"
	"testing"

	"redress"
)

// issueTokens issues n tokens for login, as login, and returns their secrets.
func issueTokens(t *testing.T, f *fixture, login string, n int) []string {
	t.Helper()
	var secrets []string
	for range n {
		issued, err := NewTokenService(f.db).IssueToken(f.as(login), redress.NewToken{Label: "integration"})
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, issued.Token)
	}
	return secrets
}

// wantTokens checks that each token authenticates or not, as want says.
func wantTokens(t *testing.T, f *fixture, secrets []string, want bool, why string) {
	t.Helper()
	for i, secret := range secrets {
		_, err := NewTokenService(f.db).Authenticate(context.Background(), secret)
		if (err == nil) != want {
			t.Fatalf("%s: token %d authenticates: %v, want %v (%v)", why, i, err == nil, want, err)
		}
	}
}

// lastEvent returns the newest audit event of an action.
func lastEvent(t *testing.T, f *fixture, action string) *redress.Event {
	t.Helper()
	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Action: action})
	if err != nil || len(page.Events) == 0 {
		t.Fatalf("no %s event: %v", action, err)
	}
	return page.Events[0]
}

// changed returns the change of field in e, or nil.
func changed(e *redress.Event, field string) *redress.Change {
	for i := range e.Changes {
		if e.Changes[i].Field == field {
			return &e.Changes[i]
		}
	}
	return nil
}

// Issue 11 item 7: one's own password change revokes one's API tokens (all
// of them: the page says so), audited with the change; others' tokens stay.
func TestOwnPasswordChangeRevokesTokens_Issue11Item7(t *testing.T) {
	t.Parallel()
	f := newSignInFixture(t)
	mine := issueTokens(t, f, "mgr.bj", 2)
	theirs := issueTokens(t, f, "mgr.sh", 1)
	wantTokens(t, f, mine, true, "before the change")
	err := NewSessionService(f.db).ChangePassword(f.as("mgr.bj"), "", redress.PasswordChange{Current: mgrPassword, New: "a brand new passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	wantTokens(t, f, mine, false, "after one's own password change")
	wantTokens(t, f, theirs, true, "another user's token")
	e := lastEvent(t, f, "user.password")
	if c := changed(e, "api_tokens"); c == nil || c.After != "(revoked)" || c.Before == "" {
		t.Fatalf("the audit event must list the revoked tokens: %+v", e.Changes)
	}
	fresh := issueTokens(t, f, "mgr.bj", 1)
	wantTokens(t, f, fresh, true, "a token issued after the change")
}

// Issue 11 item 7: an admin's reset of another user's password revokes the
// user's tokens, is audited (actor, password, tokens) and is notified to the
// user in-app; an admin resetting their own is not notified.
func TestAdminResetRevokesNotifiesAudits_Issue11Item7(t *testing.T) {
	t.Parallel()
	f := newSignInFixture(t)
	tokens := issueTokens(t, f, "mgr.bj", 2)
	inboxSize := func() int {
		return f.count(t, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = ? AND n.kind = ? AND n.channel = ?`,
			"mgr.bj", redress.NotifyPasswordReset, redress.NotifyInApp)
	}
	before := inboxSize() // the template's own setting of the password
	password := "reset by the admin 1"
	if _, err := NewUserService(f.db).UpdateUser(f.as("admin"), "mgr.bj", redress.UserUpdate{Password: &password}); err != nil {
		t.Fatal(err)
	}
	wantTokens(t, f, tokens, false, "after an admin's reset")
	e := lastEvent(t, f, "user.update")
	if e.Actor != "admin" || e.Subject != redress.NewSubject(redress.SubjectUser, "mgr.bj") || changed(e, "password") == nil || changed(e, "api_tokens") == nil {
		t.Fatalf("the reset's audit event: actor %s subject %v changes %+v", e.Actor, e.Subject, e.Changes)
	}
	inbox, err := NewNotificationService(f.db).ListNotifications(f.as("mgr.bj"), redress.NotificationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if inboxSize() != before+1 || len(inbox.Notifications) == 0 || inbox.Notifications[0].Kind != redress.NotifyPasswordReset ||
		!strings.Contains(inbox.Notifications[0].Body, "admin") {
		t.Fatalf("the user's inbox after the reset: %d more notices of it, inbox %+v", inboxSize()-before, inbox.Notifications)
	}
	// The admin's own password, reset on the admin page, tells nobody.
	own := "the admin's own new 1"
	if _, err := NewUserService(f.db).UpdateUser(f.as("admin"), "admin", redress.UserUpdate{Password: &own}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = ? AND n.kind = ?`,
		"admin", redress.NotifyPasswordReset); n != 0 {
		t.Fatalf("an admin's own reset notified %d times", n)
	}
}

// Issue 11 item 7: enabling a disabled user again revives none of the
// tokens issued before they were disabled.
func TestReenabledUserKeepsOldTokensDead_Issue11Item7(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	users := NewUserService(f.db)
	old := issueTokens(t, f, "mgr.bj", 2)
	disabled, enabled := true, false
	if _, err := users.UpdateUser(f.as("admin"), "mgr.bj", redress.UserUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	wantTokens(t, f, old, false, "while disabled")
	if _, err := users.UpdateUser(f.as("admin"), "mgr.bj", redress.UserUpdate{Disabled: &enabled}); err != nil {
		t.Fatal(err)
	}
	wantTokens(t, f, old, false, "enabled again")
	if c := changed(lastEvent(t, f, "user.update"), "api_tokens"); c != nil {
		t.Fatalf("enabling revoked tokens again: %+v", c)
	}
	wantTokens(t, f, issueTokens(t, f, "mgr.bj", 1), true, "a token issued after enabling")
}

// Issue 11 item 7: migration 0014 revokes the tokens that users disabled
// under the old rule still hold (they would come back with the user), at a
// time in the stored format, and leaves enabled users' tokens alone.
func TestMigrationRevokesDisabledUsersTokens_Issue11Item7(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	disabledTokens := issueTokens(t, f, "mgr.bj", 1)
	enabledTokens := issueTokens(t, f, "mgr.sh", 1)
	// As the old rule left it: disabled, the token not revoked.
	for _, q := range []string{`UPDATE users SET disabled = ? WHERE login = 'mgr.bj'`,
		`DELETE FROM schema_migrations WHERE version = '0014_disabled_tokens'`} {
		args := []any{}
		if strings.Contains(q, "?") {
			args = append(args, true)
		}
		if _, err := f.db.write.ExecContext(ctx, f.db.dialect.rebind(q), args...); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := f.db.Migrate(ctx); err != nil || n != 1 {
		t.Fatalf("migrate: %d %v", n, err)
	}
	if _, err := f.db.write.ExecContext(ctx, f.db.dialect.rebind(`UPDATE users SET disabled = ? WHERE login = 'mgr.bj'`), false); err != nil {
		t.Fatal(err)
	}
	wantTokens(t, f, disabledTokens, false, "a disabled user's token after the migration, enabled again")
	wantTokens(t, f, enabledTokens, true, "an enabled user's token after the migration")
	list, err := NewTokenService(f.db).ListTokens(f.as("admin"), "mgr.bj")
	if err != nil || len(list) != 1 || list[0].RevokedAt == nil {
		t.Fatalf("the revoked token reads back with its time: %+v %v", list, err)
	}
}
