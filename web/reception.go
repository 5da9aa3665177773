package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"redress"
	"redress/export"
)

// receptionRoutes are the reception log (来访接待登记, seed 004) and its
// visitor registration (来访登记与安全检查, seed 000 4.1): the API, the daily
// list per outlet (printable), one visit with its survey and its case.
func (s *Server) receptionRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/reception/visits", summary: "The reception log in the caller's scope, in arrival order (at most 1,000 visits); the visitor's phone and ID number masked",
			query: []param{{"org", "string", "an outlet or a unit above it (default: the caller's scope)"},
				{"day", "string", "the day of the visits, YYYY-MM-DD (Beijing)"},
				{"survey", "string", "the survey's status: open (waiting), answered, unreachable"}},
			schemas: map[string]object{"day": {"format": "date"}, "survey": {"enum": stringsOf(redress.ReturnVisitStatuses)}},
			out:     listAnswer[redress.ReceptionVisit]{}, handle: s.handleReceptionList},
		{method: "POST", path: "/api/v1/reception/visits", summary: "Log a visit: arrival, who, purpose, needs, guidance, materials, business and window, waiting time, follow-up, the visitor registration (ID and security checks); a visitor with a phone gets a satisfaction survey task",
			status: http.StatusCreated, body: redress.NewReceptionVisit{}, out: redress.ReceptionVisit{}, handle: s.handleReceptionLog},
		{method: "GET", path: "/api/v1/reception/visits/{id}", summary: "One visit (the visitor's phone and ID number masked)",
			out: redress.ReceptionVisit{}, handle: s.handleReceptionView},
		{method: "PUT", path: "/api/v1/reception/visits/{id}", summary: "Edit a visit at the version seen (the outlet stays)",
			body: redress.ReceptionUpdate{}, out: redress.ReceptionVisit{}, handle: s.handleReceptionUpdate},
		{method: "POST", path: "/api/v1/reception/visits/{id}/survey", summary: "Record an attempt of the visit's satisfaction survey (by phone or SMS): answered with the satisfaction, or no answer",
			body: redress.ReceptionSurveyRequest{}, out: redress.ReceptionVisit{}, handle: s.handleReceptionSurvey},
		{method: "POST", path: "/api/v1/reception/visits/{id}/case", summary: "Register the case the visit turns into (channel visit, the visitor, what was recorded, the visitor registration), linked both ways",
			status: http.StatusCreated, body: redress.ReceptionCaseRequest{}, out: redress.Case{}, handle: s.handleReceptionCase},
		{method: "GET", path: "/api/v1/cases/{no}/reception-visit", summary: "The reception visit a case was registered from (404 when none)",
			out: redress.ReceptionVisit{}, handle: s.handleCaseReception},
		{method: "GET", path: "/api/v1/reception/summary", summary: "The reception log's summary of a period by outlet: visits, turned into cases and complaints, average waiting time, surveyed and satisfied; format=csv or xlsx downloads it",
			query: []param{{"from", "string", "YYYY-MM-DD"}, {"to", "string", "YYYY-MM-DD"}, {"org", "string", "a unit (default: the caller's)"},
				{"format", "string", "json, csv or xlsx"}},
			schemas: map[string]object{"from": {"format": "date", "required": true}, "to": {"format": "date", "required": true},
				"format": {"enum": exportFormats}},
			out: redress.ReceptionSummary{}, handle: s.handleReceptionSummary},
		{method: "GET", path: "/registers/reception", access: pageAuth, handle: s.handleReceptionPage},
		{method: "POST", path: "/registers/reception", access: pageAuth, handle: s.handleReceptionLogSubmit},
		{method: "GET", path: "/registers/reception/{id}", access: pageAuth, handle: s.handleReceptionVisitPage},
		{method: "POST", path: "/registers/reception/{id}", access: pageAuth, handle: s.handleReceptionEditSubmit},
		{method: "POST", path: "/registers/reception/{id}/survey", access: pageAuth, handle: s.handleReceptionSurveySubmit},
		{method: "POST", path: "/registers/reception/{id}/case", access: pageAuth, handle: s.handleReceptionCaseSubmit},
	}
}

// receptionID reads the {id} of a path: a number or a reference JD-000012.
func receptionID(r *http.Request) (int64, error) {
	id, ok := redress.ParseReceptionRef(r.PathValue("id"))
	if !ok {
		return 0, redress.Errorf(redress.ENOTFOUND, "reception visit %q not found", r.PathValue("id"))
	}
	return id, nil
}

func receptionFilterFrom(r *http.Request) redress.ReceptionFilter {
	q := r.URL.Query()
	return redress.ReceptionFilter{Org: q.Get("org"), Day: q.Get("day"), Survey: redress.ReturnVisitStatus(q.Get("survey"))}
}

func (s *Server) handleReceptionList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Reception.ReceptionVisits(r.Context(), receptionFilterFrom(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.ReceptionVisit]{Items: derefAll(list)})
	return nil
}

func (s *Server) handleReceptionLog(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewReceptionVisit
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	v, err := s.svc.Reception.LogVisit(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) handleReceptionView(w http.ResponseWriter, r *http.Request) error {
	id, err := receptionID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Reception.ReceptionVisit(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// receptionOp answers an operation on the visit of the path's {id} that
// takes a JSON body: op's answer with the status.
func receptionOp[T, A any](w http.ResponseWriter, r *http.Request, status int, op func(context.Context, int64, T) (A, error)) error {
	id, err := receptionID(r)
	if err != nil {
		return err
	}
	var req T
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	out, err := op(r.Context(), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) handleReceptionUpdate(w http.ResponseWriter, r *http.Request) error {
	return receptionOp(w, r, http.StatusOK, s.svc.Reception.UpdateVisit)
}

func (s *Server) handleReceptionSurvey(w http.ResponseWriter, r *http.Request) error {
	return receptionOp(w, r, http.StatusOK, s.svc.Reception.RecordSurvey)
}

func (s *Server) handleReceptionCase(w http.ResponseWriter, r *http.Request) error {
	return receptionOp(w, r, http.StatusCreated, s.svc.Reception.VisitToCase)
}

func (s *Server) handleCaseReception(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.Reception.VisitOfCase(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	if v == nil {
		return redress.Errorf(redress.ENOTFOUND, "case %s was not registered from a reception visit", r.PathValue("no"))
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) handleReceptionSummary(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := exportFormat(r)
	if err != nil {
		return err
	}
	from, to, err := periodDates(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	sum, err := s.svc.Reception.ReceptionSummary(r.Context(), q.Get("org"), from, to)
	if err != nil {
		return err
	}
	if f == "" {
		writeJSON(w, http.StatusOK, sum)
		return nil
	}
	return s.exportReception(w, r, f, sum)
}

// exportReception streams the reception summary: the total, then a row per outlet.
func (s *Server) exportReception(w http.ResponseWriter, r *http.Request, f export.Format, sum *redress.ReceptionSummary) error {
	t := newT(s.ui.bundle, pageLang(r))
	return s.streamExport(w, r, f, "reception-"+sum.From+"-"+sum.To, redress.ExportRecord{What: redress.ExportReception, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(t.Get("reception.summary")+" "+sum.From+" – "+sum.To, []export.Column{{Title: t.Get("field.org"), Width: 24},
				{Title: t.Get("field.code")}, {Title: t.Get("reception.visits"), Kind: export.Int}, {Title: t.Get("reception.to_cases"), Kind: export.Int},
				{Title: t.Get("reception.to_complaints"), Kind: export.Int}, {Title: t.Get("reception.average_wait")},
				{Title: t.Get("reception.surveyed"), Kind: export.Int}, {Title: t.Get("reception.satisfied"), Kind: export.Int}}); err != nil {
				return 0, err
			}
			rows := 0
			for _, u := range append([]*redress.ReceptionFigures{&sum.Total}, sum.Units...) {
				name := u.OrgName
				if u == &sum.Total {
					name = t.Get("reception.total")
				}
				if err := ew.Row(name, u.Org, u.Visits, u.Cases, u.Complaints, ftoa(u.AverageWait), u.Surveyed, u.Satisfied); err != nil {
					return rows, err
				}
				rows++
			}
			return rows, nil
		})
}

// receptionPage is what the reception pages show: the day's list with its
// filter and the form to log a visit, or one visit with its survey, its
// case and its edit form.
type receptionPage struct {
	Visits        []*redress.ReceptionVisit
	Filter        redress.ReceptionFilter
	Day           *redress.ReceptionSummary // the day's counts
	Units         []*redress.OrgUnit
	Visit         *redress.ReceptionVisit
	Materials     []redress.ReceptionMaterials
	IDTypes       []redress.IDType
	VisitMethods  []redress.ReturnVisitMethod
	VisitOutcomes []redress.ReturnVisitOutcome
	Sats          []redress.Satisfaction
	Kinds         []redress.Kind
	Surveys       []redress.ReturnVisitStatus
	Now           string
	Me            string // the signed-in user's name, the default of who checked
	MayAct        bool
}

func (s *Server) newReceptionPage(ctx context.Context, u *redress.User) (*receptionPage, error) {
	p := &receptionPage{Materials: redress.ReceptionMaterialsList, IDTypes: redress.IDTypes, MayAct: redress.MayRegister(u.Role),
		VisitMethods:  []redress.ReturnVisitMethod{redress.VisitByPhone, redress.VisitBySMS},
		VisitOutcomes: []redress.ReturnVisitOutcome{redress.VisitReached, redress.VisitNoAnswer},
		Sats:          []redress.Satisfaction{redress.SatisfactionSatisfied, redress.SatisfactionBasically, redress.SatisfactionDissatisfed},
		Kinds:         []redress.Kind{redress.KindComplaint, redress.KindPetition, redress.KindInquiry, redress.KindSuggestion, redress.KindOther},
		Surveys:       []redress.ReturnVisitStatus{redress.VisitOpen, redress.VisitAnswered, redress.VisitNotReached},
		Now:           s.now().In(redress.Beijing).Format("2006-01-02T15:04"), Me: u.Name}
	if p.Me == "" {
		p.Me = u.Login
	}
	orgs, err := s.svc.Orgs.ListOrgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if o.Kind == redress.OrgOutlet && redress.InSubtree(o.Path, u.OrgPath) {
			p.Units = append(p.Units, o)
		}
	}
	return p, nil
}

func (s *Server) handleReceptionPage(w http.ResponseWriter, r *http.Request) error {
	return s.receptionPage(w, r, &pageData{})
}

func (s *Server) receptionPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	p, err := s.newReceptionPage(r.Context(), u)
	if err != nil {
		return err
	}
	p.Filter = receptionFilterFrom(r)
	if p.Filter.Day == "" {
		p.Filter.Day = redress.DateOf(s.now().In(redress.Beijing)).String()
	}
	p.Visits, err = s.svc.Reception.ReceptionVisits(r.Context(), p.Filter)
	if code := redress.ErrorCode(err); code == redress.EINVALID && d.Error == "" {
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	} else if err != nil && code != redress.EINVALID {
		return err
	}
	if day, derr := redress.ParseDate(p.Filter.Day); derr == nil && err == nil {
		if p.Day, err = s.svc.Reception.ReceptionSummary(r.Context(), p.Filter.Org, day, day); err != nil && redress.ErrorCode(err) != redress.ENOTFOUND {
			return err
		}
	}
	if s.svc.Settings != nil {
		if d.Bank, err = s.svc.Settings.BankProfile(r.Context()); err != nil {
			return err
		}
	}
	d.Title, d.Data = "reception.title", p
	s.render(w, r, http.StatusOK, "reception", d)
	return nil
}

// receptionFromForm reads a visit as the page's form sends it; the field
// names are the problems' fields (visit.visitors, …) but for the visitor's (visitor_name).
func receptionFromForm(f url.Values) redress.NewReceptionVisit {
	number := func(name string, fallback int) int {
		text := strings.TrimSpace(f.Get(name))
		if text == "" {
			return fallback
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			return -1 // not a number: the domain's range problem
		}
		return n
	}
	n := redress.NewReceptionVisit{Org: f.Get("org"),
		Visitor: redress.ReceptionVisitor{Name: f.Get("visitor_name"), Phone: f.Get("visitor_phone"),
			IDType: redress.IDType(f.Get("visitor_id_type")), IDNumber: f.Get("visitor_id_number")},
		Purpose: f.Get("purpose"), Needs: f.Get("needs"), Guidance: f.Get("guidance"),
		Materials: redress.ReceptionMaterials(f.Get("materials")), MaterialsMissing: f.Get("materials_missing"),
		Business: f.Get("business"), Counter: f.Get("counter"), WaitMinutes: number("wait_minutes", 0), FollowUp: f.Get("follow_up"),
		Visit: visitFromForm(f, "visit.", "visit.id_type")}
	if n.Visitor.IDNumber == "" {
		n.Visitor.IDType = ""
	}
	if v := f.Get("arrived_at"); v != "" {
		if t, err := time.ParseInLocation("2006-01-02T15:04", v, redress.Beijing); err == nil {
			n.ArrivedAt = t
		}
	}
	return n
}

// visitFromForm reads a visitor registration from a form, its fields named
// with the prefix ("visit." on the reception page, "" on the registration
// page) but for the document's type (idType: the registration page's
// id_type is the complainant's): a count that is not a number is -1, the
// domain's count problem.
func visitFromForm(f url.Values, prefix, idType string) *redress.Visit {
	v := &redress.Visit{Visitors: 1, IDChecked: f.Get(prefix+"id_checked") == "yes", IDType: redress.IDType(f.Get(idType)),
		IDCheckedBy: f.Get(prefix + "id_checked_by"), SecurityChecked: f.Get(prefix+"security_checked") == "yes",
		SecurityCheckedBy: f.Get(prefix + "security_checked_by"), Room: f.Get(prefix + "room")}
	if !v.IDChecked {
		v.IDType, v.IDCheckedBy = "", ""
	}
	if !v.SecurityChecked {
		v.SecurityCheckedBy = ""
	}
	var err error
	if text := strings.TrimSpace(f.Get(prefix + "visitors")); text != "" {
		if v.Visitors, err = strconv.Atoi(text); err != nil {
			v.Visitors = -1
		}
	}
	if text := strings.TrimSpace(f.Get(prefix + "representatives")); text != "" && v.Visitors >= redress.RepresentedVisit {
		if v.Representatives, err = strconv.Atoi(text); err != nil {
			v.Representatives = -1
		}
	}
	return v
}

func (s *Server) handleReceptionLogSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	n := receptionFromForm(r.PostForm)
	v, err := s.svc.Reception.LogVisit(r.Context(), n)
	back := "/registers/reception"
	if err == nil {
		back = "/registers/reception?" + url.Values{"org": {v.Org}, "day": {redress.DateOf(v.ArrivedAt).String()}}.Encode()
	}
	return s.afterPost(w, r, err, back, func(d *pageData) error { return s.receptionPage(w, r, d) })
}

func (s *Server) handleReceptionVisitPage(w http.ResponseWriter, r *http.Request) error {
	return s.receptionVisitPage(w, r, &pageData{})
}

func (s *Server) receptionVisitPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	id, err := receptionID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Reception.ReceptionVisit(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := s.newReceptionPage(r.Context(), u)
	if err != nil {
		return err
	}
	p.Visit = v
	if s.svc.Settings != nil {
		if d.Bank, err = s.svc.Settings.BankProfile(r.Context()); err != nil {
			return err
		}
	}
	d.Title, d.Data = "reception.visit", p
	s.render(w, r, http.StatusOK, "reception_visit", d)
	return nil
}

// receptionForm reads a visit page's form: the visit of the path and the
// version the form was drawn at.
func receptionForm(w http.ResponseWriter, r *http.Request) (id int64, version int, f url.Values, err error) {
	if id, err = receptionID(r); err != nil {
		return 0, 0, nil, err
	}
	if err = parseSmallForm(w, r); err != nil {
		return 0, 0, nil, err
	}
	version, _ = strconv.Atoi(r.PostForm.Get("version"))
	return id, version, r.PostForm, nil
}

func (s *Server) handleReceptionEditSubmit(w http.ResponseWriter, r *http.Request) error {
	id, version, f, err := receptionForm(w, r)
	if err != nil {
		return err
	}
	req := redress.ReceptionUpdate{Version: version, NewReceptionVisit: receptionFromForm(f)}
	_, err = s.svc.Reception.UpdateVisit(r.Context(), id, req)
	return s.afterPost(w, r, err, "/registers/reception/"+redress.ReceptionRef(id), func(d *pageData) error { return s.receptionVisitPage(w, r, d) })
}

func (s *Server) handleReceptionSurveySubmit(w http.ResponseWriter, r *http.Request) error {
	id, version, f, err := receptionForm(w, r)
	if err != nil {
		return err
	}
	req := redress.ReceptionSurveyRequest{Version: version, VisitMethod: redress.ReturnVisitMethod(f.Get("visit_method")),
		VisitOutcome: redress.ReturnVisitOutcome(f.Get("visit_outcome")), Satisfaction: redress.Satisfaction(f.Get("satisfaction")), Text: f.Get("text")}
	if req.VisitOutcome != redress.VisitReached {
		req.Satisfaction = ""
	}
	_, err = s.svc.Reception.RecordSurvey(r.Context(), id, req)
	return s.afterPost(w, r, err, "/registers/reception/"+redress.ReceptionRef(id)+"#reception-survey", func(d *pageData) error { return s.receptionVisitPage(w, r, d) })
}

func (s *Server) handleReceptionCaseSubmit(w http.ResponseWriter, r *http.Request) error {
	id, version, f, err := receptionForm(w, r)
	if err != nil {
		return err
	}
	c, err := s.svc.Reception.VisitToCase(r.Context(), id, redress.ReceptionCaseRequest{Version: version, Kind: redress.Kind(f.Get("kind")),
		Subject: f.Get("subject"), Request: f.Get("request")})
	back := ""
	if err == nil {
		back = "/cases/" + url.PathEscape(c.No)
	}
	return s.afterPost(w, r, err, back, func(d *pageData) error { return s.receptionVisitPage(w, r, d) })
}
