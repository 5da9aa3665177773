package web

import (
	"net/http"
	"net/url"
	"strings"

	"redress"
)

// userRoutes are the users: the API, the caller, and the admin page.
func (s *Server) userRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/users", summary: "Users: all for an admin, else those in the caller's subtree",
			query: []param{{"org", "string", "org unit code: its subtree"}, {"role", "string", "role"}},
			out:   listAnswer[redress.User]{}, handle: s.handleUserList},
		{method: "POST", path: "/api/v1/users", summary: "Create a user (admin)", status: http.StatusCreated,
			body: redress.NewUser{}, out: redress.User{}, handle: s.handleUserCreate},
		{method: "PATCH", path: "/api/v1/users/{login}", summary: "Change a user's name, role, unit, password or disabled flag (admin); closes their sessions; a new password or disabling revokes all their API tokens, and a reset password is notified to the user in-app",
			body: redress.UserUpdate{}, out: redress.User{}, handle: s.handleUserUpdate},
		{method: "POST", path: "/api/v1/users/{login}/password-reset", summary: "Reset another user's password (admin): answers a one-time password, shown this once; the user must change it at their next sign-in, their sessions are closed, their API tokens revoked and they are told in-app",
			out: passwordResetAnswer{}, handle: s.handleUserReset},
		{method: "GET", path: "/api/v1/me", summary: "The caller", out: redress.User{}, handle: s.handleMe},
		{method: "GET", path: "/admin/users", access: pageAuth, handle: s.handleAdminUsers},
		{method: "POST", path: "/admin/users", access: pageAuth, handle: s.handleAdminUserCreate},
		{method: "GET", path: "/admin/users/{login}", access: pageAuth, handle: s.handleAdminUserEdit},
		{method: "POST", path: "/admin/users/{login}", access: pageAuth, handle: s.handleAdminUserUpdate},
		{method: "POST", path: "/admin/users/{login}/reset", access: pageAuth, handle: s.handleAdminUserReset},
	}
}

func (s *Server) handleUserList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	users, err := s.svc.Users.ListUsers(r.Context(), redress.UserFilter{Org: q.Get("org"), Role: redress.Role(q.Get("role"))})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.User]{Items: users})
	return nil
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewUser
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	u, err := s.svc.Users.CreateUser(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	var up redress.UserUpdate
	if err := readJSON(w, r, &up); err != nil {
		return err
	}
	u, err := s.svc.Users.UpdateUser(r.Context(), r.PathValue("login"), up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) handleAdminUsers(w http.ResponseWriter, r *http.Request) error {
	return s.adminUsersPage(w, r, &pageData{})
}

func (s *Server) adminUsersPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	users, err := s.svc.Users.ListUsers(r.Context(), redress.UserFilter{Org: r.URL.Query().Get("org")})
	if err != nil {
		return err
	}
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.users", map[string]any{"Users": users, "Orgs": orgs, "Roles": redress.Roles}
	s.render(w, r, http.StatusOK, "admin_users", d)
	return nil
}

func (s *Server) handleAdminUserCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	_, err := s.svc.Users.CreateUser(r.Context(), redress.NewUser{Login: strings.TrimSpace(f.Get("login")), Name: f.Get("name"),
		Role: redress.Role(f.Get("role")), Org: f.Get("org"), Password: f.Get("password")})
	return s.afterPost(w, r, err, "/admin/users", func(d *pageData) error { return s.adminUsersPage(w, r, d) })
}

// userUpdateFromForm reads the user form: a field the form sends is
// changed, one it leaves out is kept (the list's inline form sends role and
// disabled only); the mobile number is kept when left blank (the form shows
// it masked) and removed with mobile_clear.
func userUpdateFromForm(f map[string][]string) redress.UserUpdate {
	var up redress.UserUpdate
	get := func(name string) (string, bool) {
		v, ok := f[name]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	}
	if v, ok := get("name"); ok {
		v = strings.TrimSpace(v)
		up.Name = &v
	}
	if v, ok := get("role"); ok && v != "" {
		role := redress.Role(v)
		up.Role = &role
	}
	if v, ok := get("org"); ok && v != "" {
		up.Org = &v
	}
	if v, ok := get("password"); ok && v != "" {
		up.Password = &v
	}
	if v, ok := get("disabled"); ok && v != "" {
		disabled := v == "yes"
		up.Disabled = &disabled
	}
	if v, ok := get("email"); ok {
		up.Email = &v
	}
	if v, ok := get("mobile"); ok && strings.TrimSpace(v) != "" {
		up.Mobile = &v
	}
	if v, ok := get("mobile_clear"); ok && v == "yes" {
		none := ""
		up.Mobile = &none
	}
	return up
}

func (s *Server) handleAdminUserUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	login := r.PathValue("login")
	_, err := s.svc.Users.UpdateUser(r.Context(), login, userUpdateFromForm(r.PostForm))
	back := "/admin/users"
	if r.PostForm.Get("from") == "edit" {
		back = "/admin/users/" + url.PathEscape(login)
	}
	return s.afterPost(w, r, err, back, func(d *pageData) error {
		if r.PostForm.Get("from") == "edit" {
			return s.adminUserPage(w, r, d, nil)
		}
		return s.adminUsersPage(w, r, d)
	})
}

func (s *Server) handleAdminUserEdit(w http.ResponseWriter, r *http.Request) error {
	return s.adminUserPage(w, r, &pageData{}, nil)
}

// adminUserPage is the form of one user: name, unit, role, contact,
// enabled, and the password reset; reset is the one-time password just
// given, shown on this answer only.
func (s *Server) adminUserPage(w http.ResponseWriter, r *http.Request, d *pageData, reset *passwordResetAnswer) error {
	if err := redress.Require(redress.UserFrom(r.Context()), redress.PermUserManage); err != nil {
		return err
	}
	login := r.PathValue("login")
	users, err := s.svc.Users.ListUsers(r.Context(), redress.UserFilter{Logins: []string{login}})
	if err != nil {
		return err
	}
	if len(users) != 1 {
		return redress.Errorf(redress.ENOTFOUND, "no user has login %s", login)
	}
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	if d.Form == nil || d.Form.Get("from") != "edit" {
		u := users[0]
		disabled := "no"
		if u.Disabled {
			disabled = "yes"
		}
		d.Form = url.Values{"name": {u.Name}, "role": {string(u.Role)}, "org": {u.OrgCode}, "email": {u.Email}, "disabled": {disabled}}
	}
	d.Title, d.Data = "admin.user_edit", map[string]any{"Subject": users[0], "Orgs": orgs, "Roles": redress.Roles, "Reset": reset}
	s.render(w, r, http.StatusOK, "admin_user", d)
	return nil
}

// passwordResetAnswer is a reset password, shown once.
type passwordResetAnswer struct {
	Login    string `json:"login"`
	Password string `json:"password"` // the one-time password: the user must change it at their next sign-in
}

func (s *Server) handleUserReset(w http.ResponseWriter, r *http.Request) error {
	if r.URL.RawQuery != "" { // a reset costs a hash: nothing it would ignore is taken as asked
		return invalid("invalid input", map[string]string{"query": "this operation takes no query parameters"})
	}
	login := r.PathValue("login")
	password, err := s.svc.Users.ResetPassword(r.Context(), login)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, passwordResetAnswer{Login: login, Password: password})
	return nil
}

// handleAdminUserReset resets a user's password and shows the one-time
// value on this answer only: never in a redirect, a cookie or a log. Only
// the form's button resets (reset=yes): a post without it changes nothing.
func (s *Server) handleAdminUserReset(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	login := r.PathValue("login")
	if r.PostForm.Get("reset") != "yes" { // only the form's button resets
		http.Redirect(w, r, "/admin/users/"+url.PathEscape(login), http.StatusSeeOther)
		return nil
	}
	password, err := s.svc.Users.ResetPassword(r.Context(), login)
	switch redress.ErrorCode(err) {
	case "":
		return s.adminUserPage(w, r, &pageData{Flash: newT(s.ui.bundle, pageLang(r)).Get("admin.reset_done")},
			&passwordResetAnswer{Login: login, Password: password})
	case redress.EINVALID:
		return s.adminUserPage(w, r, &pageData{Error: pageMessage(err), Fields: pageFields(err)}, nil)
	}
	return err
}
