package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// signInWith signs in on the sign-in page with a password of the test's choosing.
func signInWith(base, login, password string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", login, chromedp.ByID),
		chromedp.SendKeys("#password", password, chromedp.ByID),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("header nav", chromedp.ByQuery),
	}
}

// TestBrowserUserEditResetAndForcedChange_Issue13Item7 walks, in headless
// Chromium against the built binary, the admin editing a user on the user
// form, resetting their password (the one-time value shown once), and the
// user signing in with it: every page leads to the change-password page
// until they choose their own, the page refusing a mistyped copy next to
// its field; then the workbench, under the new name.
func TestBrowserUserEditResetAndForcedChange_Issue13Item7(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	base, _ := serveBrowserBank(t, [][]string{
		{"--login", "it.admin", "--name", "孙立", "--role", "admin", "--org", "HQ"},
		{"--login", "zhang.lei", "--name", "张磊", "--role", "staff", "--org", "HQ"},
	})

	var oneTime, shown, where, problem, who string
	b.run(t, "the admin edits the user", signInWith(base, "it.admin", "browser-pass-2026"),
		chromedp.Navigate(base+"/admin/users"),
		chromedp.Click(`a[href="/admin/users/zhang.lei"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#user-form", chromedp.ByID),
		chromedp.SetValue("#ue-name", "张磊磊", chromedp.ByID),
		chromedp.SetValue("#ue-email", "zhang.lei@bank.example", chromedp.ByID),
		chromedp.Click(`#user-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".flash", chromedp.ByQuery),
		chromedp.Value("#ue-name", &shown, chromedp.ByID),
	)
	if shown != "张磊磊" {
		t.Fatalf("the name after the edit: %q", shown)
	}
	b.run(t, "the admin resets the password", chromedp.Click(`#reset-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#one-time-password", chromedp.ByID),
		chromedp.Text("#one-time-password", &oneTime, chromedp.ByID),
		// Shown once: the form again does not show it.
		chromedp.Navigate(base+"/admin/users/zhang.lei"), chromedp.WaitVisible("#user-form", chromedp.ByID),
		chromedp.OuterHTML("main", &shown, chromedp.ByQuery),
		signOut())
	if len(oneTime) < 16 || strings.Contains(shown, oneTime) {
		t.Fatalf("the one-time password %q, shown again: %v", oneTime, strings.Contains(shown, oneTime))
	}
	b.run(t, "the user signs in with it and is sent to change it", chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", "zhang.lei", chromedp.ByID),
		chromedp.SendKeys("#password", oneTime, chromedp.ByID),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#must-change", chromedp.ByID),
		chromedp.Navigate(base+"/cases/new"), chromedp.WaitVisible("#password-form", chromedp.ByID),
		chromedp.Location(&where))
	if !strings.HasSuffix(where, "/account/password") {
		t.Fatalf("the registration page before the change: %s", where)
	}
	b.run(t, "a mistyped copy is refused next to its field",
		chromedp.SendKeys("#pw-current", oneTime, chromedp.ByID),
		chromedp.SendKeys("#pw-new", "my own passphrase 2026", chromedp.ByID),
		chromedp.SendKeys("#pw-confirm", "my own passphrase 2062", chromedp.ByID),
		chromedp.Click(`#password-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#err-confirm", chromedp.ByID),
		chromedp.Text("#err-confirm", &problem, chromedp.ByID))
	if problem != "两次输入的新密码不一致" {
		t.Fatalf("the mistyped copy: %q", problem)
	}
	b.run(t, "the change", chromedp.SendKeys("#pw-current", oneTime, chromedp.ByID),
		chromedp.SendKeys("#pw-new", "my own passphrase 2026", chromedp.ByID),
		chromedp.SendKeys("#pw-confirm", "my own passphrase 2026", chromedp.ByID),
		chromedp.Click(`#password-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".flash", chromedp.ByQuery),
		chromedp.Navigate(base+"/cases/new"), chromedp.WaitVisible("#regform", chromedp.ByID),
		chromedp.Text("header .who span", &who, chromedp.ByQuery),
		signOut(),
		signInWith(base, "zhang.lei", "my own passphrase 2026"))
	if !strings.HasPrefix(who, "张磊磊") {
		t.Fatalf("the header after the change: %q", who)
	}
}
