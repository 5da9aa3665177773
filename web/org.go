package web

import (
	"net/http"
	"strings"

	"redress"
)

// orgRoutes are the org units: the API and the admin page.
func (s *Server) orgRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/orgs", summary: "Every org unit, parents before children",
			out: listAnswer[redress.OrgUnit]{}, handle: s.handleOrgList},
		{method: "POST", path: "/api/v1/orgs", summary: "Create an org unit (admin)", status: http.StatusCreated,
			body: redress.NewOrgUnit{}, out: redress.OrgUnit{}, handle: s.handleOrgCreate},
		{method: "GET", path: "/admin/orgs", access: pageAuth, handle: s.handleAdminOrgs},
		{method: "POST", path: "/admin/orgs", access: pageAuth, handle: s.handleAdminOrgCreate},
	}
}

func (s *Server) handleOrgList(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.OrgUnit]{Items: orgs})
	return nil
}

func (s *Server) handleOrgCreate(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewOrgUnit
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	o, err := s.svc.Orgs.CreateOrg(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
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
		rows[i] = orgRow{OrgUnit: o, Depth: o.Depth()}
	}
	d.Title, d.FieldScope, d.Data = "admin.orgs", "unit.", map[string]any{"Orgs": rows, "Kinds": redress.ChildOrgKinds()}
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
