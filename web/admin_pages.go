package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"redress"
)

func (s *Server) adminPageRoutes() {
	s.mux.Handle("GET /admin/orgs", s.page(s.handleAdminOrgs))
	s.mux.Handle("POST /admin/orgs", s.page(s.handleAdminOrgCreate))
	s.mux.Handle("GET /admin/users", s.page(s.handleAdminUsers))
	s.mux.Handle("POST /admin/users", s.page(s.handleAdminUserCreate))
	s.mux.Handle("POST /admin/users/{login}", s.page(s.handleAdminUserUpdate))
	s.mux.Handle("GET /admin/codes", s.page(s.handleAdminCodes))
	s.mux.Handle("POST /admin/codes", s.page(s.handleAdminCodeSave))
	s.mux.Handle("GET /admin/calendar", s.page(s.handleAdminCalendar))
	s.mux.Handle("POST /admin/calendar", s.page(s.handleAdminCalendarSave))
	s.mux.Handle("POST /admin/calendar/{region}/{year}/delete", s.page(s.handleAdminCalendarDelete))
	s.mux.Handle("GET /admin/policies", s.page(s.handleAdminPolicies))
	s.mux.Handle("POST /admin/policies/{name}", s.page(s.handleAdminPolicySave))
	s.mux.Handle("GET /admin/tokens", s.page(s.handleAdminTokens))
	s.mux.Handle("POST /admin/tokens", s.page(s.handleAdminTokenIssue))
	s.mux.Handle("POST /admin/tokens/{id}/revoke", s.page(s.handleAdminTokenRevoke))
}

// parseSmallForm reads a form of at most 1 MiB.
func parseSmallForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read (too large?)", nil)
	}
	return nil
}

// afterPost redirects back with a message when err is nil, shows a user
// error on the page given by again, and passes other errors on.
func (s *Server) afterPost(w http.ResponseWriter, r *http.Request, err error, back string, again func(d *pageData) error) error {
	if err == nil {
		flash(w, newT(s.ui.bundle, pageLang(r)).Get("admin.saved"))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	switch redress.ErrorCode(err) {
	case redress.EINVALID, redress.ECONFLICT, redress.ENOTFOUND:
		return again(&pageData{Error: redress.ErrorMessage(err), Fields: redress.ErrorFields(err), Form: r.PostForm})
	}
	return err
}

// orgRow is an org unit with its depth, for the tree.
type orgRow struct {
	*redress.OrgUnit
	Depth int
}

func (s *Server) handleAdminOrgs(w http.ResponseWriter, r *http.Request) error {
	return s.adminOrgsPage(w, r, &pageData{})
}

func (s *Server) adminOrgsPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	rows := make([]orgRow, len(orgs))
	for i, o := range orgs {
		rows[i] = orgRow{OrgUnit: o, Depth: strings.Count(o.Path, "/") - 2}
	}
	d.Title, d.Data = "admin.orgs", map[string]any{"Orgs": rows, "Kinds": redress.OrgKinds[1:]}
	s.render(w, r, http.StatusOK, "admin_orgs", d)
	return nil
}

func (s *Server) handleAdminOrgCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	_, err := s.svc.Orgs.CreateOrg(r.Context(), redress.NewOrgUnit{Code: strings.TrimSpace(f.Get("code")), Name: f.Get("name"),
		Kind: redress.OrgKind(f.Get("kind")), Parent: f.Get("parent")})
	return s.afterPost(w, r, err, "/admin/orgs", func(d *pageData) error { return s.adminOrgsPage(w, r, d) })
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

func (s *Server) handleAdminCodes(w http.ResponseWriter, r *http.Request) error {
	return s.adminCodesPage(w, r, &pageData{})
}

func (s *Server) adminCodesPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	codes, err := s.svc.Codes.ListCodes(r.Context(), "")
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.codes", codes
	s.render(w, r, http.StatusOK, "admin_codes", d)
	return nil
}

func (s *Server) handleAdminCodeSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	code := strings.ToUpper(strings.TrimSpace(f.Get("code")))
	dim := ""
	if code != "" {
		dim = code[:1]
	}
	_, err := s.svc.Codes.SaveCode(r.Context(), redress.Code{Dimension: redress.Dimension(dim), Code: code, Name: f.Get("name"),
		NameEN: f.Get("name_en"), Parent: strings.ToUpper(strings.TrimSpace(f.Get("parent"))), Active: f.Get("active") == "yes"})
	return s.afterPost(w, r, err, "/admin/codes", func(d *pageData) error { return s.adminCodesPage(w, r, d) })
}

func (s *Server) handleAdminCalendar(w http.ResponseWriter, r *http.Request) error {
	return s.adminCalendarPage(w, r, &pageData{})
}

func (s *Server) adminCalendarPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	region := r.URL.Query().Get("region")
	if region == "" {
		region = redress.RegionCN
	}
	list, err := s.svc.Deadlines.Schedules(r.Context(), region)
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.calendar", map[string]any{"Region": region, "Schedules": list}
	s.render(w, r, http.StatusOK, "admin_calendar", d)
	return nil
}

func (s *Server) handleAdminCalendarSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	sched, err := redress.ParseSchedule([]byte(r.PostForm.Get("schedule")))
	if err == nil {
		_, err = s.svc.Deadlines.SaveSchedule(r.Context(), sched)
	} else if redress.ErrorCode(err) == redress.EINTERNAL {
		err = invalid("the schedule is not valid JSON: "+err.Error(), nil)
	}
	return s.afterPost(w, r, err, "/admin/calendar", func(d *pageData) error { return s.adminCalendarPage(w, r, d) })
}

func (s *Server) handleAdminCalendarDelete(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.PathValue("year"))
	err := s.svc.Deadlines.DeleteSchedule(r.Context(), r.PathValue("region"), year)
	return s.afterPost(w, r, err, "/admin/calendar", func(d *pageData) error { return s.adminCalendarPage(w, r, d) })
}

// policyView is a policy with its JSON for editing.
type policyView struct {
	redress.Policy
	JSON string
}

func (s *Server) handleAdminPolicies(w http.ResponseWriter, r *http.Request) error {
	return s.adminPoliciesPage(w, r, &pageData{})
}

func (s *Server) adminPoliciesPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	policies, err := s.svc.Deadlines.Policies(r.Context())
	if err != nil {
		return err
	}
	views := make([]policyView, len(policies))
	for i, p := range policies {
		raw, _ := json.MarshalIndent(p, "", "  ")
		views[i] = policyView{Policy: p, JSON: string(raw)}
	}
	d.Title, d.Data = "admin.policies", views
	s.render(w, r, http.StatusOK, "admin_policies", d)
	return nil
}

func (s *Server) handleAdminPolicySave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	var p redress.Policy
	err := decodeStrict([]byte(r.PostForm.Get("policy")), &p)
	if err == nil && p.Name != r.PathValue("name") {
		err = invalid("invalid input", map[string]string{"name": "must stay " + r.PathValue("name")})
	}
	if err == nil {
		_, err = s.svc.Deadlines.SavePolicy(r.Context(), p)
	}
	return s.afterPost(w, r, err, "/admin/policies", func(d *pageData) error { return s.adminPoliciesPage(w, r, d) })
}

func (s *Server) handleAdminTokens(w http.ResponseWriter, r *http.Request) error {
	return s.adminTokensPage(w, r, &pageData{}, nil)
}

func (s *Server) adminTokensPage(w http.ResponseWriter, r *http.Request, d *pageData, issued *redress.IssuedToken) error {
	login := r.URL.Query().Get("login")
	tokens, err := s.svc.Tokens.ListTokens(r.Context(), login)
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.tokens", map[string]any{"Tokens": tokens, "Issued": issued, "Login": login}
	s.render(w, r, http.StatusOK, "admin_tokens", d)
	return nil
}

func (s *Server) handleAdminTokenIssue(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	issued, err := s.svc.Tokens.IssueToken(r.Context(), redress.NewToken{Label: r.PostForm.Get("label")})
	if err != nil {
		return s.afterPost(w, r, err, "/admin/tokens", func(d *pageData) error { return s.adminTokensPage(w, r, d, nil) })
	}
	// The token is shown on this answer only; it is never stored in clear.
	return s.adminTokensPage(w, r, &pageData{}, issued)
}

func (s *Server) handleAdminTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return redress.Errorf(redress.ENOTFOUND, "no token %s", r.PathValue("id"))
	}
	err = s.svc.Tokens.RevokeToken(r.Context(), id)
	back := "/admin/tokens"
	if login := r.URL.Query().Get("login"); login != "" {
		back += "?login=" + url.QueryEscape(login)
	}
	return s.afterPost(w, r, err, back, func(d *pageData) error { return s.adminTokensPage(w, r, d, nil) })
}
