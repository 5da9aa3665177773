package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"redress"
)

// correctiveRoutes are the corrective actions (整改): the API and the pages.
func (s *Server) correctiveRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/corrective-actions", summary: "Corrective actions (整改) in the caller's scope, newest first",
			query: []param{{"org", "string", "a unit's code: its subtree (default: the caller's scope)"},
				{"status", "string", "open, done (awaiting verification) or verified"},
				{"overdue", "boolean", "true: only open actions past their due date"},
				{"limit", "integer", "1-200, default 50"}, {"before", "integer", "cursor: the next_before of the previous page"},
				{"format", "string", "json (default), or csv or xlsx: every action of the filter as a file (also by Accept)"}},
			out: redress.CorrectivePage{}, handle: s.handleCorrectiveList},
		{method: "POST", path: "/api/v1/corrective-actions", summary: "Open a corrective action from a root cause, cases, a report figure or an incident (managers, unit heads, head office)",
			status: http.StatusCreated, body: redress.NewCorrectiveAction{}, out: redress.CorrectiveAction{}, handle: s.handleCorrectiveOpen},
		{method: "GET", path: "/api/v1/corrective-actions/summary", summary: "Counts of a unit's corrective actions: open, overdue, awaiting verification, verified, effective, sent back; opened in the period",
			query: []param{{"org", "string", "a unit's code (default: the caller's unit)"}, {"from", "string", "YYYY-MM-DD (required)"}, {"to", "string", "YYYY-MM-DD (required)"}},
			out:   redress.CorrectiveSummary{}, handle: s.handleCorrectiveSummary},
		{method: "GET", path: "/api/v1/corrective-actions/{id}", summary: "One corrective action with its progress, verifications and the accountability of its cases",
			out: redress.CorrectiveAction{}, handle: s.handleCorrectiveView},
		{method: "GET", path: "/api/v1/corrective-actions/{id}/effect", summary: "The effect as of today: cases with the action's cause and business in its unit, months before against months after",
			out: redress.CorrectiveEffect{}, handle: s.handleCorrectiveEffect},
		{method: "POST", path: "/api/v1/corrective-actions/{id}/steps", summary: "Take a step at the version seen: progress, done (with what was done), verify (effective, or not with a new due date)",
			body: redress.CorrectiveRequest{}, out: redress.CorrectiveAction{}, handle: s.handleCorrectiveStep},
		{method: "GET", path: "/corrective", access: pageAuth, handle: s.handleCorrectivePage},
		{method: "GET", path: "/corrective/new", access: pageAuth, handle: s.handleCorrectiveNewPage},
		{method: "POST", path: "/corrective/new", access: pageAuth, handle: s.handleCorrectiveNewSubmit},
		{method: "GET", path: "/corrective/{id}", access: pageAuth, handle: s.handleCorrectiveItemPage},
		{method: "POST", path: "/corrective/{id}/step", access: pageAuth, handle: s.handleCorrectiveStepSubmit},
	}
}

// correctiveID reads the {id} of a path: a number or a reference ZG-000012.
func correctiveID(r *http.Request) (int64, error) {
	id, ok := redress.ParseCorrectiveRef(r.PathValue("id"))
	if !ok {
		return 0, redress.Errorf(redress.ENOTFOUND, "corrective action %q not found", r.PathValue("id"))
	}
	return id, nil
}

func correctiveFilterFrom(q url.Values) (redress.CorrectiveFilter, error) {
	f := redress.CorrectiveFilter{Org: q.Get("org"), Status: redress.CorrectiveStatus(q.Get("status")), Overdue: q.Get("overdue") == "true"}
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
	if v := q.Get("overdue"); v != "" && v != "true" && v != "false" {
		p.AddKey("overdue", redress.ProblemChoice, "true, false")
	}
	return f, p.Err()
}

func (s *Server) handleCorrectiveList(w http.ResponseWriter, r *http.Request) error {
	f, err := correctiveFilterFrom(r.URL.Query())
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" {
		return s.exportCorrective(w, r, format, f)
	}
	page, err := s.svc.Corrective.ListCorrective(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) handleCorrectiveOpen(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewCorrectiveAction
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	a, err := s.svc.Corrective.OpenCorrective(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) handleCorrectiveSummary(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, to, err := periodDates(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	sum, err := s.svc.Corrective.CorrectiveSummary(r.Context(), q.Get("org"), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// periodDates reads a period's from and to (YYYY-MM-DD, both required, in order).
func periodDates(fromText, toText string) (from, to redress.Date, err error) {
	var p redress.Problems
	from, ferr := redress.ParseDate(fromText)
	to, terr := redress.ParseDate(toText)
	if ferr != nil {
		p.AddKey("from", redress.ProblemDate)
	}
	if terr != nil {
		p.AddKey("to", redress.ProblemDate)
	}
	if ferr == nil && terr == nil && to.Before(from) {
		p.Add("to", "is before from")
	}
	return from, to, p.Err()
}

func (s *Server) handleCorrectiveView(w http.ResponseWriter, r *http.Request) error {
	id, err := correctiveID(r)
	if err != nil {
		return err
	}
	a, err := s.svc.Corrective.Corrective(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) handleCorrectiveEffect(w http.ResponseWriter, r *http.Request) error {
	id, err := correctiveID(r)
	if err != nil {
		return err
	}
	e, err := s.svc.Corrective.Effect(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) handleCorrectiveStep(w http.ResponseWriter, r *http.Request) error {
	id, err := correctiveID(r)
	if err != nil {
		return err
	}
	var req redress.CorrectiveRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	a, err := s.svc.Corrective.StepCorrective(r.Context(), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// correctivePage is what the pages of corrective actions show: the list
// with its filter, the opening form's choices, or one action with the steps
// the user may take and its effect as of today.
type correctivePage struct {
	List     *redress.CorrectivePage
	Filter   redress.CorrectiveFilter
	MayOpen  bool
	Action   *redress.CorrectiveAction
	Steps    []redress.CorrectiveStep
	Effect   *redress.CorrectiveEffect
	Sources  []redress.CorrectiveSource
	Causes   []*redress.Code
	Business []*redress.Code
	Statuses []redress.CorrectiveStatus
	Today    string
}

func (s *Server) handleCorrectivePage(w http.ResponseWriter, r *http.Request) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	d := &pageData{Title: "corrective.title"}
	p := &correctivePage{MayOpen: redress.MayOpenCorrective(u.Role), Statuses: redress.CorrectiveStatuses}
	d.Data = p
	f, err := correctiveFilterFrom(r.URL.Query())
	if err == nil {
		p.Filter = f
		p.List, err = s.svc.Corrective.ListCorrective(r.Context(), f)
	}
	switch {
	case redress.ErrorCode(err) == redress.EINVALID:
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	case err != nil:
		return err
	}
	s.render(w, r, http.StatusOK, "corrective", d)
	return nil
}

// correctiveChoices fills the opening form's code lists.
func (s *Server) correctiveChoices(r *http.Request, p *correctivePage) error {
	codes, err := s.svc.Codes.ListCodes(r.Context(), "")
	if err != nil {
		return err
	}
	for _, c := range codes {
		switch {
		case !c.Active:
		case c.Dimension == redress.DimensionRootCause:
			p.Causes = append(p.Causes, c)
		case c.Dimension == redress.DimensionBusiness:
			p.Business = append(p.Business, c)
		}
	}
	p.Sources, p.Today = redress.CorrectiveSources, s.now().In(redress.Beijing).Format("2006-01-02")
	return nil
}

// handleCorrectiveNewPage shows the opening form, filled from the query
// when it is opened from a case (source, case, root cause, business, unit).
func (s *Server) handleCorrectiveNewPage(w http.ResponseWriter, r *http.Request) error {
	form := url.Values{}
	for _, name := range []string{"source", "cases", "root_cause_code", "code_b", "org", "source_note"} {
		if v := r.URL.Query().Get(name); v != "" {
			form.Set(name, v)
		}
	}
	return s.correctiveNewPage(w, r, &pageData{Form: form})
}

func (s *Server) correctiveNewPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	if !redress.MayOpenCorrective(u.Role) {
		return redress.Errorf(redress.EFORBIDDEN, "role %s does not open corrective actions", u.Role)
	}
	p := &correctivePage{MayOpen: true}
	if err := s.correctiveChoices(r, p); err != nil {
		return err
	}
	d.Title, d.Data = "corrective.new", p
	s.render(w, r, http.StatusOK, "corrective_new", d)
	return nil
}

func (s *Server) handleCorrectiveNewSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	n := redress.NewCorrectiveAction{Source: redress.CorrectiveSource(f.Get("source")), SourceNote: f.Get("source_note"),
		RootCauseCode: f.Get("root_cause_code"), CodeB: f.Get("code_b"), Org: strings.TrimSpace(f.Get("org")),
		Owner: strings.TrimSpace(f.Get("owner")), Problem: f.Get("problem"), Measures: f.Get("measures"), Due: f.Get("due"),
		Cases: strings.FieldsFunc(f.Get("cases"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '，' })}
	if v := f.Get("effect_months"); v != "" {
		months, err := strconv.Atoi(v)
		if err != nil {
			months = -1 // a problem of the range, shown with the others
		}
		n.EffectMonths = months
	}
	a, err := s.svc.Corrective.OpenCorrective(r.Context(), n)
	if err == nil {
		flash(w, newT(s.ui.bundle, pageLang(r)).Get("admin.saved"))
		http.Redirect(w, r, "/corrective/"+a.Ref, http.StatusSeeOther)
		return nil
	}
	switch redress.ErrorCode(err) {
	case redress.EINVALID, redress.ECONFLICT, redress.ENOTFOUND:
		return s.correctiveNewPage(w, r, &pageData{Error: pageMessage(err), Fields: pageFields(err), Form: f})
	}
	return err
}

func (s *Server) handleCorrectiveItemPage(w http.ResponseWriter, r *http.Request) error {
	return s.correctiveItemPage(w, r, &pageData{})
}

func (s *Server) correctiveItemPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	id, err := correctiveID(r)
	if err != nil {
		return err
	}
	a, err := s.svc.Corrective.Corrective(r.Context(), id)
	if err != nil {
		return err
	}
	p := &correctivePage{Action: a, Steps: redress.CorrectiveStepsFor(a, u, redress.DateOf(s.now().In(redress.Beijing))),
		Today: s.now().In(redress.Beijing).Format("2006-01-02")}
	if a.Status != redress.CorrectiveVerified {
		if p.Effect, err = s.svc.Corrective.Effect(r.Context(), id); err != nil {
			return err
		}
	}
	d.Title, d.Data = "corrective.item", p
	s.render(w, r, http.StatusOK, "corrective_item", d)
	return nil
}

func (s *Server) handleCorrectiveStepSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := correctiveID(r)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	req := redress.CorrectiveRequest{Step: redress.CorrectiveStep(f.Get("step")), Version: version, Text: f.Get("text"), NewDue: f.Get("new_due")}
	switch f.Get("effective") {
	case "yes":
		yes := true
		req.Effective = &yes
	case "no":
		no := false
		req.Effective = &no
	}
	_, err = s.svc.Corrective.StepCorrective(r.Context(), id, req)
	return s.afterPost(w, r, err, "/corrective/"+redress.CorrectiveRef(id), func(d *pageData) error { return s.correctiveItemPage(w, r, d) })
}
