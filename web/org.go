package web

import (
	"net/http"
	"net/url"
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
		{method: "PATCH", path: "/api/v1/orgs/{code}", summary: "Rename an org unit, change its kind or move it with its subtree under another parent (admin); never under itself or a unit below it",
			body: redress.OrgUpdate{}, out: redress.OrgUnit{}, handle: s.handleOrgUpdate},
		{method: "GET", path: "/admin/orgs", access: pageAuth, handle: s.handleAdminOrgs},
		{method: "GET", path: "/admin/orgs/{code}", access: pageAuth, handle: s.handleAdminOrgEdit},
		{method: "POST", path: "/admin/orgs/{code}", access: pageAuth, handle: s.handleAdminOrgUpdate},
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

func (s *Server) handleOrgUpdate(w http.ResponseWriter, r *http.Request) error {
	var up redress.OrgUpdate
	if err := readJSON(w, r, &up); err != nil {
		return err
	}
	o, err := s.svc.Orgs.UpdateOrg(r.Context(), r.PathValue("code"), up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (s *Server) handleAdminOrgEdit(w http.ResponseWriter, r *http.Request) error {
	return s.adminOrgPage(w, r, &pageData{})
}

// adminOrgPage is the form of one unit: its name, its kind and its parent.
// The parents offered are every unit outside its own subtree; the store
// refuses the others all the same (redress.CheckOrgPlace).
func (s *Server) adminOrgPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	if err := redress.Require(redress.UserFrom(r.Context()), redress.PermOrgManage); err != nil {
		return err
	}
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	var unit *redress.OrgUnit
	for _, o := range orgs {
		if o.Code == r.PathValue("code") {
			unit = o
		}
	}
	if unit == nil {
		return redress.Errorf(redress.ENOTFOUND, "no org unit has code %s", r.PathValue("code"))
	}
	var parents []*redress.OrgUnit
	for _, o := range orgs {
		if !redress.InSubtree(o.Path, unit.Path) {
			parents = append(parents, o)
		}
	}
	if d.Form == nil || len(d.Form) == 0 {
		d.Form = url.Values{"name": {unit.Name}, "kind": {string(unit.Kind)}, "parent": {unit.ParentCode}}
	}
	kinds := redress.ChildOrgKinds()
	if unit.Kind == redress.OrgHQ {
		kinds = []redress.OrgKind{redress.OrgHQ}
	}
	d.Title, d.FieldScope = "admin.org_edit", "unit."
	d.Data = map[string]any{"Unit": unit, "Parents": parents, "Kinds": kinds}
	s.render(w, r, http.StatusOK, "admin_org", d)
	return nil
}

func (s *Server) handleAdminOrgUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	var up redress.OrgUpdate
	if v, ok := f["name"]; ok && len(v) > 0 {
		name := strings.TrimSpace(v[0])
		up.Name = &name
	}
	if v := f.Get("kind"); v != "" {
		kind := redress.OrgKind(v)
		up.Kind = &kind
	}
	if v, ok := f["parent"]; ok && len(v) > 0 && v[0] != "" {
		up.Parent = &v[0]
	}
	code := r.PathValue("code")
	_, err := s.svc.Orgs.UpdateOrg(r.Context(), code, up)
	return s.afterPost(w, r, err, "/admin/orgs", func(d *pageData) error { return s.adminOrgPage(w, r, d) })
}
