package web

import (
	"net/http"
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
		{method: "GET", path: "/api/v1/me", summary: "The caller", out: redress.User{}, handle: s.handleMe},
		{method: "GET", path: "/admin/users", access: pageAuth, handle: s.handleAdminUsers},
		{method: "POST", path: "/admin/users", access: pageAuth, handle: s.handleAdminUserCreate},
		{method: "POST", path: "/admin/users/{login}", access: pageAuth, handle: s.handleAdminUserUpdate},
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

func (s *Server) handleAdminUserUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	var up redress.UserUpdate
	if v := f.Get("role"); v != "" {
		role := redress.Role(v)
		up.Role = &role
	}
	if v := f.Get("org"); v != "" {
		up.Org = &v
	}
	if v := f.Get("password"); v != "" {
		up.Password = &v
	}
	if v := f.Get("disabled"); v != "" {
		disabled := v == "yes"
		up.Disabled = &disabled
	}
	_, err := s.svc.Users.UpdateUser(r.Context(), r.PathValue("login"), up)
	return s.afterPost(w, r, err, "/admin/users", func(d *pageData) error { return s.adminUsersPage(w, r, d) })
}
