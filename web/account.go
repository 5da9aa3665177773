package web

import (
	"net/http"
	"net/url"

	"redress"
)

// accountRoutes are the signed-in user's own account: the change-password
// page, which every user reaches from the header and which a user whose
// password an admin reset is sent to from every other page.
func (s *Server) accountRoutes() []route {
	return []route{
		{method: "GET", path: accountPasswordPath, access: pageAuth, handle: s.handleAccountPassword},
		{method: "POST", path: accountPasswordPath, access: pageAuth, handle: s.handleAccountPasswordSave},
	}
}

// accountPasswordPath is the change-password page.
const accountPasswordPath = "/account/password"

// mustChangeAllows reports whether a request of a user who must change their
// password may go on: the change-password page itself and, on the API, the
// change and the caller's own record; everything else waits for the change.
func mustChangeAllows(u *redress.User, method, path string) bool {
	if u == nil || !u.MustChangePassword {
		return true
	}
	switch path {
	case accountPasswordPath, "/api/v1/me/password":
		return true
	case "/api/v1/me":
		return method == http.MethodGet
	}
	return false
}

func (s *Server) handleAccountPassword(w http.ResponseWriter, r *http.Request) error {
	return s.accountPasswordPage(w, r, &pageData{})
}

func (s *Server) accountPasswordPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	if _, err := redress.RequireUser(r.Context()); err != nil {
		return err
	}
	d.Title = "account.password"
	d.Form = url.Values{} // a password is never sent back
	s.render(w, r, http.StatusOK, "account_password", d)
	return nil
}

// handleAccountPasswordSave changes the user's own password: the form's
// problems all at once (redress.PasswordChange.ValidateTyped), then the
// store's check of the current password; this session stays open, the
// others close and the API tokens are revoked.
func (s *Server) handleAccountPasswordSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	in := redress.PasswordChange{Current: r.PostForm.Get("current"), New: r.PostForm.Get("new")}
	err := in.ValidateTyped(r.PostForm.Get("confirm"))
	if err == nil {
		keep := ""
		if cookie, cerr := r.Cookie(SessionCookie); cerr == nil {
			keep = cookie.Value
		}
		err = s.svc.Sessions.ChangePassword(r.Context(), keep, in)
	}
	if err == nil {
		flash(w, newT(s.ui.bundle, pageLang(r)).Get("account.password_changed"))
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	if redress.ErrorCode(err) == redress.EINVALID {
		return s.accountPasswordPage(w, r, &pageData{Error: pageMessage(err), Fields: pageFields(err), FieldScope: "password."})
	}
	return err
}
