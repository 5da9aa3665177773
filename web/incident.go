package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"redress"
)

// incidentRoutes are the emergency incidents (突发事件) and the emergency
// plans (应急预案): the API and the pages.
func (s *Server) incidentRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/incidents", summary: "Emergency incidents (突发事件) in the caller's scope or reported to them, newest first",
			query: []param{{"status", "string", "open or closed"}, {"limit", "integer", "1-200, default 50"},
				{"before", "integer", "cursor: the next_before of the previous page"},
				{"format", "string", "json (default), or csv or xlsx: every incident of the filter as a file, with its chain (also by Accept)"}},
			out: redress.IncidentPage{}, handle: s.handleIncidentList},
		{method: "POST", path: "/api/v1/incidents", summary: "Register an incident (a quarrel or a major complaint) and start its report chain",
			status: http.StatusCreated, body: redress.NewIncident{}, out: redress.Incident{}, handle: s.handleIncidentOpen},
		{method: "GET", path: "/api/v1/incidents/{id}", summary: "One incident with its report chain, timeline, progress reports and closing report",
			out: redress.Incident{}, handle: s.handleIncidentView},
		{method: "POST", path: "/api/v1/incidents/{id}/commands", summary: "At the version seen: acknowledge a step of the chain, record an action, report progress, close with the closing report",
			body: redress.IncidentRequest{}, out: redress.Incident{}, handle: s.handleIncidentCommand},
		{method: "GET", path: "/api/v1/emergency-plans/{org}", summary: "The emergency plan in force for a unit (its own, else the nearest above), or one version of its own",
			query: []param{{"version", "integer", "a version of the unit's own plan (default: the plan in force)"}},
			out:   redress.EmergencyPlan{}, handle: s.handlePlanView},
		{method: "PUT", path: "/api/v1/emergency-plans/{org}", summary: "Save a new version of a unit's emergency plan (admins, unit heads, managers)",
			body: redress.NewEmergencyPlan{}, out: redress.EmergencyPlan{}, handle: s.handlePlanSave},
		{method: "GET", path: "/incidents", access: pageAuth, handle: s.handleIncidentsPage},
		{method: "POST", path: "/incidents", access: pageAuth, handle: s.handleIncidentNewSubmit},
		{method: "GET", path: "/incidents/{id}", access: pageAuth, handle: s.handleIncidentPage},
		{method: "POST", path: "/incidents/{id}", access: pageAuth, handle: s.handleIncidentSubmit},
		{method: "GET", path: "/incidents/{id}/print", access: pageAuth, handle: s.handleIncidentPrint},
		{method: "GET", path: "/admin/emergency-plan", access: pageAuth, handle: s.handlePlanPage},
		{method: "POST", path: "/admin/emergency-plan", access: pageAuth, handle: s.handlePlanSubmit},
	}
}

// incidentID reads the {id} of a path: a number or a reference TF-000012.
func incidentID(r *http.Request) (int64, error) {
	id, ok := redress.ParseIncidentRef(r.PathValue("id"))
	if !ok {
		return 0, redress.Errorf(redress.ENOTFOUND, "incident %q not found", r.PathValue("id"))
	}
	return id, nil
}

func incidentFilterFrom(q url.Values) (redress.IncidentFilter, error) {
	f := redress.IncidentFilter{Status: redress.IncidentStatus(q.Get("status"))}
	var p redress.Problems
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			p.AddKey("before", redress.ProblemOneOf, "a next_before of a previous page")
		}
		f.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			p.AddKey("limit", redress.ProblemRange, "1", "200")
		}
		f.Limit = n
	}
	return f, p.Err()
}

func (s *Server) handleIncidentList(w http.ResponseWriter, r *http.Request) error {
	f, err := incidentFilterFrom(r.URL.Query())
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" {
		return s.exportIncidents(w, r, format, f)
	}
	page, err := s.svc.Incidents.ListIncidents(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) handleIncidentOpen(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewIncident
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	i, err := s.svc.Incidents.OpenIncident(r.Context(), n)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/incidents/"+i.Ref)
	writeJSON(w, http.StatusCreated, i)
	return nil
}

func (s *Server) handleIncidentView(w http.ResponseWriter, r *http.Request) error {
	id, err := incidentID(r)
	if err != nil {
		return err
	}
	i, err := s.svc.Incidents.Incident(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, i)
	return nil
}

func (s *Server) handleIncidentCommand(w http.ResponseWriter, r *http.Request) error {
	id, err := incidentID(r)
	if err != nil {
		return err
	}
	var req redress.IncidentRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	i, err := s.svc.Incidents.ActIncident(r.Context(), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, i)
	return nil
}

// planVersion reads the version query parameter (absent: 0, the plan in force).
func planVersion(q url.Values) (int, error) {
	v := q.Get("version")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > math.MaxInt32 { // the column's range on every engine
		var p redress.Problems
		p.AddKey("version", redress.ProblemRange, "1", strconv.Itoa(math.MaxInt32))
		return 0, p.Err()
	}
	return n, nil
}

func (s *Server) handlePlanView(w http.ResponseWriter, r *http.Request) error {
	version, err := planVersion(r.URL.Query())
	if err != nil {
		return err
	}
	plan, err := s.svc.Incidents.Plan(r.Context(), r.PathValue("org"), version)
	if err != nil {
		return err
	}
	if plan == nil {
		return redress.Errorf(redress.ENOTFOUND, "no emergency plan covers unit %s", r.PathValue("org"))
	}
	writeJSON(w, http.StatusOK, plan)
	return nil
}

func (s *Server) handlePlanSave(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewEmergencyPlan
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	if n.Org != "" && n.Org != r.PathValue("org") {
		var p redress.Problems
		p.AddKey("org", redress.ProblemOneOf, r.PathValue("org"))
		return p.Err()
	}
	n.Org = r.PathValue("org")
	plan, err := s.svc.Incidents.SavePlan(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, plan)
	return nil
}

// incidentPage is what the incident pages show: the list and the
// registration form's choices, or one incident with what the reader may do.
type incidentPage struct {
	List     *redress.IncidentPage
	Filter   redress.IncidentFilter
	MayOpen  bool
	Kinds    []redress.IncidentKind
	Statuses []redress.IncidentStatus
	Now      string
	Incident *redress.Incident
	Commands []redress.IncidentCommand
	Ack      []redress.ChainStep
	Measures []redress.IncidentMeasure
	Steps    []redress.ChainStep
}

func (s *Server) handleIncidentsPage(w http.ResponseWriter, r *http.Request) error {
	return s.incidentsPage(w, r, &pageData{})
}

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	p := &incidentPage{MayOpen: redress.MayOpenIncident(u.Role), Kinds: redress.IncidentKinds, Statuses: redress.IncidentStatuses,
		Now: s.now().In(redress.Beijing).Format("2006-01-02T15:04")}
	d.Title, d.Data = "incident.title", p
	f, err := incidentFilterFrom(r.URL.Query())
	if err == nil {
		p.Filter = f
		p.List, err = s.svc.Incidents.ListIncidents(r.Context(), f)
	}
	switch {
	case redress.ErrorCode(err) == redress.EINVALID:
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	case err != nil:
		return err
	}
	s.render(w, r, http.StatusOK, "incidents", d)
	return nil
}

func (s *Server) handleIncidentNewSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	n := redress.NewIncident{Kind: redress.IncidentKind(f.Get("kind")), Org: strings.TrimSpace(f.Get("org")), Place: f.Get("place"),
		PeopleNote: f.Get("people_note"), Cases: strings.FieldsFunc(f.Get("cases"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '，' })}
	n.People, _ = strconv.Atoi(strings.TrimSpace(f.Get("people"))) // not a number: 0, the domain's range problem
	if at, err := time.ParseInLocation("2006-01-02T15:04", f.Get("occurred_at"), redress.Beijing); err == nil {
		n.OccurredAt = at
	}
	i, err := s.svc.Incidents.OpenIncident(r.Context(), n)
	if err == nil {
		flash(w, newT(s.ui.bundle, pageLang(r)).Get("admin.saved"))
		http.Redirect(w, r, "/incidents/"+i.Ref, http.StatusSeeOther)
		return nil
	}
	switch redress.ErrorCode(err) {
	case redress.EINVALID, redress.ENOTFOUND:
		return s.incidentsPage(w, r, &pageData{Error: pageMessage(err), Fields: pageFields(err), Form: f})
	}
	return err
}

func (s *Server) handleIncidentPage(w http.ResponseWriter, r *http.Request) error {
	return s.incidentPage(w, r, &pageData{}, "incident")
}

func (s *Server) handleIncidentPrint(w http.ResponseWriter, r *http.Request) error {
	return s.incidentPage(w, r, &pageData{}, "incident_print")
}

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, d *pageData, name string) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	id, err := incidentID(r)
	if err != nil {
		return err
	}
	i, err := s.svc.Incidents.Incident(r.Context(), id)
	if err != nil {
		return err
	}
	p := &incidentPage{Incident: i, Commands: redress.IncidentCommandsFor(i, u), Ack: redress.AckSteps(i, u),
		Measures: redress.IncidentMeasures, Steps: redress.ChainFor(i.Kind)}
	d.Title, d.Data = "incident.item", p
	s.render(w, r, http.StatusOK, name, d)
	return nil
}

func (s *Server) handleIncidentSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := incidentID(r)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	req := redress.IncidentRequest{Command: redress.IncidentCommand(f.Get("command")), Version: version, Step: redress.ChainStep(f.Get("step")),
		Measure: redress.IncidentMeasure(f.Get("measure")), Text: f.Get("text"), Cause: f.Get("cause"), Actions: f.Get("actions"),
		Outcome: f.Get("outcome"), FollowUp: f.Get("follow_up")}
	_, err = s.svc.Incidents.ActIncident(r.Context(), id, req)
	return s.afterPost(w, r, err, "/incidents/"+redress.IncidentRef(id), func(d *pageData) error { return s.incidentPage(w, r, d, "incident") })
}

// planPage is the emergency plan's form: the unit, its plan in force and
// the departments.
type planPage struct {
	Org   string
	Plan  *redress.EmergencyPlan
	Depts []redress.PlanDept
	Rows  []int // the member rows of the form
}

func (s *Server) handlePlanPage(w http.ResponseWriter, r *http.Request) error {
	return s.planPage(w, r, &pageData{})
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	if !redress.MayEditPlan(u.Role) {
		return redress.Errorf(redress.EFORBIDDEN, "role %s does not edit emergency plans", u.Role)
	}
	org := strings.TrimSpace(r.URL.Query().Get("org"))
	if d.Form != nil && d.Form.Get("org") != "" {
		org = d.Form.Get("org")
	}
	if org == "" {
		org = u.OrgCode
	}
	p := &planPage{Org: org, Depts: redress.PlanDepts, Rows: []int{0, 1, 2, 3, 4, 5}}
	if org != "" {
		if p.Plan, err = s.svc.Incidents.Plan(r.Context(), org, 0); err != nil && redress.ErrorCode(err) != redress.ENOTFOUND {
			return err
		}
	}
	if d.Form == nil && p.Plan != nil { // the form starts from the plan in force
		d.Form = url.Values{"org": {org}, "leader": {p.Plan.Leader}, "leadership": {strings.Join(p.Plan.Leadership, " ")},
			"team_leader": {p.Plan.TeamLeader}, "team_deputy": {p.Plan.TeamDeputy},
			"ack_minutes": {strconv.Itoa(p.Plan.AckMinutes)}, "regulator_hours": {strconv.Itoa(p.Plan.RegulatorHours)}}
		for k, m := range p.Plan.TeamMembers {
			if k < len(p.Rows) {
				d.Form.Set("member_"+strconv.Itoa(k), m.Login)
				d.Form.Set("dept_"+strconv.Itoa(k), string(m.Dept))
			}
		}
	}
	d.Title, d.Data = "plan.title", p
	s.render(w, r, http.StatusOK, "admin_emergency_plan", d)
	return nil
}

func (s *Server) handlePlanSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	n := redress.NewEmergencyPlan{Org: strings.TrimSpace(f.Get("org")), Leader: f.Get("leader"), Leadership: strings.Fields(strings.ReplaceAll(f.Get("leadership"), ",", " ")),
		TeamLeader: f.Get("team_leader"), TeamDeputy: f.Get("team_deputy")}
	for k := range 6 {
		if login := strings.TrimSpace(f.Get("member_" + strconv.Itoa(k))); login != "" {
			n.TeamMembers = append(n.TeamMembers, redress.PlanMember{Login: login, Dept: redress.PlanDept(f.Get("dept_" + strconv.Itoa(k)))})
		}
	}
	for _, field := range []struct {
		name string
		to   *int
	}{{"ack_minutes", &n.AckMinutes}, {"regulator_hours", &n.RegulatorHours}} {
		if v := strings.TrimSpace(f.Get(field.name)); v != "" {
			if *field.to, _ = strconv.Atoi(v); *field.to == 0 {
				*field.to = -1 // not a number: the domain's range problem
			}
		}
	}
	_, err := s.svc.Incidents.SavePlan(r.Context(), n)
	return s.afterPost(w, r, err, "/admin/emergency-plan?org="+url.QueryEscape(n.Org), func(d *pageData) error { return s.planPage(w, r, d) })
}
