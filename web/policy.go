package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

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

// policyView is a policy with the choices of its clocks' fields.
type policyView struct {
	redress.Policy
}

// policyMoves are the choices of a clock's move-off field: no move, off
// every rest day, off statutory holidays only.
var policyMoves = []string{"no", string(redress.MoveOffRestDay), string(redress.MoveOffStatutory)}

// moveChoice is a clock's move-off rule as the form's choice.
func moveChoice(c redress.Clock) string {
	switch {
	case !c.MoveOffHoliday:
		return "no"
	case c.MoveOff == "":
		return string(redress.MoveOffRestDay)
	}
	return string(c.MoveOff)
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
		views[i] = policyView{Policy: p}
	}
	d.Title, d.Data = "admin.policies", map[string]any{"Policies": views, "Units": []redress.Unit{redress.UnitCalendar, redress.UnitWorking},
		"Moves": policyMoves, "Failed": r.PathValue("name")}
	s.render(w, r, http.StatusOK, "admin_policies", d)
	return nil
}

// policyFromForm applies the policy form to the policy as stored: each
// clock's days, unit and move-off rule, from the fields
// <field>.<clock>; a clock the form does not name stays as it is. The
// problems of the form's own reading (days that are no number) come back
// by field, those of the rules come from redress.Policy.ValidateClocks.
func policyFromForm(p redress.Policy, f url.Values) (redress.Policy, map[string]string) {
	fields := map[string]string{}
	clocks := make([]redress.Clock, len(p.Clocks))
	copy(clocks, p.Clocks)
	for i := range clocks {
		c := &clocks[i]
		if v, ok := f["days."+c.Name]; ok && len(v) > 0 {
			n, err := strconv.Atoi(strings.TrimSpace(v[0]))
			if err != nil {
				fields[c.Name+".days"] = "@" + redress.ProblemRange + "|0|3660"
				continue
			}
			c.Days = n
		}
		if v := f.Get("unit." + c.Name); v != "" {
			c.Unit = redress.Unit(v)
		}
		switch v := f.Get("move." + c.Name); v {
		case "":
		case "no":
			c.MoveOffHoliday, c.MoveOff = false, ""
		default:
			c.MoveOffHoliday, c.MoveOff = true, redress.MoveOff(v)
		}
	}
	p.Clocks = clocks
	return p, fields
}

func (s *Server) handleAdminPolicySave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	policies, err := s.svc.Deadlines.Policies(r.Context())
	if err != nil {
		return err
	}
	p, err := redress.FindPolicy(policies, r.PathValue("name"))
	if err != nil {
		return err
	}
	p, fields := policyFromForm(p, r.PostForm)
	if err := p.ValidateClocks(); err != nil {
		for k, v := range pageFields(err) {
			if _, seen := fields[k]; !seen {
				fields[k] = v
			}
		}
	}
	if len(fields) > 0 {
		return s.adminPoliciesPage(w, r, &pageData{Error: "admin.policy_invalid", Fields: fields, Form: r.PostForm})
	}
	_, err = s.svc.Deadlines.SavePolicy(r.Context(), p)
	return s.afterPost(w, r, err, "/admin/policies", func(d *pageData) error { return s.adminPoliciesPage(w, r, d) })
}

// PolicyText shows a policy's title, a clock's title or a clock's source
// (依据) in the page's language: the catalogue's text while it is the
// built-in one (policy.<policy>.title, policy.<policy>.<clock>.title,
// policy.<policy>.<clock>.source), and what an admin stored otherwise.
func (t *T) PolicyText(policy, clock, field, stored string) string {
	builtIn := ""
	if p, err := redress.FindPolicy(redress.DefaultPolicies(), policy); err == nil {
		if clock == "" {
			builtIn = p.Title
		} else if c, err := p.Clock(clock); err == nil {
			builtIn = map[string]string{"title": c.Title, "source": c.Source}[field]
		}
	}
	if builtIn == "" || stored != builtIn {
		return stored
	}
	key := "policy." + policy + "." + field
	if clock != "" {
		key = "policy." + policy + "." + clock + "." + field
	}
	if msg := t.Get(key); msg != key {
		return msg
	}
	return stored
}
