package web

import (
	"encoding/json"
	"net/http"

	"redress"
)

// policyRoutes are the deadline policies: the API and the admin page.
func (s *Server) policyRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/policies", summary: "The deadline policies in force", out: listAnswer[redress.Policy]{}, handle: s.handlePolicies},
		{method: "PUT", path: "/api/v1/policies/{name}", summary: "Replace a deadline policy (admin)",
			body: redress.Policy{}, out: redress.Policy{}, handle: s.handlePolicySave},
		{method: "GET", path: "/admin/policies", access: pageAuth, handle: s.handleAdminPolicies},
		{method: "POST", path: "/admin/policies/{name}", access: pageAuth, handle: s.handleAdminPolicySave},
	}
}

// policyView is a policy with its JSON for editing.
type policyView struct {
	redress.Policy
	JSON string
}

func (s *Server) handlePolicies(w http.ResponseWriter, r *http.Request) error {
	policies, err := s.svc.Deadlines.Policies(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.Policy]{Items: policies})
	return nil
}

func (s *Server) handlePolicySave(w http.ResponseWriter, r *http.Request) error {
	var p redress.Policy
	if err := readJSON(w, r, &p); err != nil {
		return err
	}
	if p.Name != r.PathValue("name") {
		return invalid("invalid input", map[string]string{"name": "must be " + r.PathValue("name")})
	}
	saved, err := s.svc.Deadlines.SavePolicy(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
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
