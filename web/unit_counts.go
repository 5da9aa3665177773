package web

import (
	"net/http"
	"strconv"
	"strings"

	"redress"
)

// unitCountsRoutes are the units' outlet and personal-customer counts (the
// denominators of the regulator's ratios): the API and the admin page.
func (s *Server) unitCountsRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/unit-counts", summary: "Every unit's outlet and personal-customer counts, by unit, newest first",
			out: listAnswer[redress.UnitCounts]{}, handle: s.handleUnitCounts},
		{method: "POST", path: "/api/v1/unit-counts", summary: "Record a unit's outlets and personal customers from a day on (admin; the same day replaces)",
			body: redress.UnitCounts{}, out: redress.UnitCounts{}, handle: s.handleUnitCountsSave},
		{method: "GET", path: "/admin/unit-counts", access: pageAuth, handle: s.handleAdminUnitCounts},
		{method: "POST", path: "/admin/unit-counts", access: pageAuth, handle: s.handleAdminUnitCountsSave},
	}
}

func (s *Server) handleUnitCounts(w http.ResponseWriter, r *http.Request) error {
	counts, err := s.svc.Reports.UnitCounts(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.UnitCounts]{Items: counts})
	return nil
}

func (s *Server) handleUnitCountsSave(w http.ResponseWriter, r *http.Request) error {
	var c redress.UnitCounts
	if err := readJSON(w, r, &c); err != nil {
		return err
	}
	saved, err := s.svc.Reports.SaveUnitCounts(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

// unitCountsPage is what the admin page shows: the units to pick from and
// every unit's counts.
type unitCountsPage struct {
	Units  []*redress.OrgUnit
	Names  map[string]string
	Counts []redress.UnitCounts
}

func (s *Server) handleAdminUnitCounts(w http.ResponseWriter, r *http.Request) error {
	return s.adminUnitCountsPage(w, r, &pageData{})
}

func (s *Server) adminUnitCountsPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	counts, err := s.svc.Reports.UnitCounts(r.Context())
	if err != nil {
		return err
	}
	p := &unitCountsPage{Units: orgs, Names: map[string]string{}, Counts: counts}
	for _, o := range orgs {
		p.Names[o.Code] = o.Name
	}
	d.Title, d.Data = "admin.unit_counts", p
	s.render(w, r, http.StatusOK, "admin_unit_counts", d)
	return nil
}

func (s *Server) handleAdminUnitCountsSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	c := redress.UnitCounts{Org: f.Get("org"), EffectiveFrom: strings.TrimSpace(f.Get("effective_from"))}
	// A count that is not a number is 0, which the service refuses by field
	// with every other problem of the form.
	c.Outlets, _ = strconv.Atoi(strings.TrimSpace(f.Get("outlets")))
	c.PersonalCustomers, _ = strconv.ParseInt(strings.TrimSpace(f.Get("personal_customers")), 10, 64)
	_, err := s.svc.Reports.SaveUnitCounts(r.Context(), c)
	return s.afterPost(w, r, err, "/admin/unit-counts", func(d *pageData) error { return s.adminUnitCountsPage(w, r, d) })
}
