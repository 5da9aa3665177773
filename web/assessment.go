package web

import (
	"net/http"
	"strconv"

	"redress"
	"redress/export"
)

// This file is the staff assessment (考核, CBIRC Order 2020 No.3 Art.27): the
// month's sheet by API, page and export, and the admin's scheme by API and
// form. It computes nothing: the figures and scores are the assessment
// service's (sqldb/assessment.go, scored by redress.AssessmentScheme.Score).

// assessmentRoutes are the assessment's operations and pages.
func (s *Server) assessmentRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/assessment", summary: "The staff assessment (考核) of a month, per person and per unit, within the caller's scope (managers, branch heads, head office)",
			query: []param{{"month", "string", "YYYY-MM"}, {"org", "string", "a unit code: its subtree"},
				{"format", "string", "json (default), or csv or xlsx: the monthly sheet as a file (also by Accept)"}},
			out: redress.Assessment{}, handle: s.handleAssessment},
		{method: "GET", path: "/api/v1/assessment/scheme", summary: "The assessment scheme in force: the points of each item and the veto",
			out: redress.AssessmentScheme{}, handle: s.handleAssessmentScheme},
		{method: "PUT", path: "/api/v1/assessment/scheme", summary: "Replace the assessment scheme (admin)",
			body: redress.AssessmentScheme{}, out: redress.AssessmentScheme{}, handle: s.handleAssessmentSchemeSave},
		{method: "GET", path: "/assessment", access: pageAuth, handle: s.handleAssessmentPage},
		{method: "GET", path: "/admin/assessment", access: pageAuth, handle: s.handleAdminAssessment},
		{method: "POST", path: "/admin/assessment", access: pageAuth, handle: s.handleAdminAssessmentSave},
	}
}

func (s *Server) handleAssessment(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	a, err := s.svc.Assessment.Assessment(r.Context(), redress.AssessmentQuery{Month: q.Get("month"), Org: q.Get("org")})
	if err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" {
		return s.exportAssessment(w, r, format, a)
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) handleAssessmentScheme(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.svc.Assessment.AssessmentScheme(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sc)
	return nil
}

func (s *Server) handleAssessmentSchemeSave(w http.ResponseWriter, r *http.Request) error {
	var sc redress.AssessmentScheme
	if err := readJSON(w, r, &sc); err != nil {
		return err
	}
	saved, err := s.svc.Assessment.SetAssessmentScheme(r.Context(), sc)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

// assessmentPage is what the assessment page shows.
type assessmentPage struct {
	Month, Org string
	Units      []*redress.OrgUnit // the units of the caller's scope to pick from
	Assessment *redress.Assessment
	Items      []string
	Measures   []redress.AccountabilityMeasure
}

func (s *Server) handleAssessmentPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return err
	}
	if !u.Role.Assesses() {
		return redress.Errorf(redress.EFORBIDDEN, "role %s may not read the assessment", u.Role)
	}
	q := r.URL.Query()
	p := &assessmentPage{Month: q.Get("month"), Org: q.Get("org"), Items: redress.AssessmentItems}
	if p.Month == "" {
		p.Month = redress.LastMonth(redress.DateOf(s.now().In(redress.Beijing)))
	}
	orgs, err := s.svc.Orgs.ListOrgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if redress.InSubtree(o.Path, u.OrgPath) {
			p.Units = append(p.Units, o)
		}
	}
	d := &pageData{Title: "assessment.title", Data: p}
	a, err := s.svc.Assessment.Assessment(ctx, redress.AssessmentQuery{Month: p.Month, Org: p.Org})
	switch code := redress.ErrorCode(err); {
	case err == nil:
		p.Assessment = a
	case code == redress.EINVALID || code == redress.ENOTFOUND:
		d.Error, d.Fields = redress.ErrorMessage(err), pageFields(err)
	default:
		return err
	}
	s.render(w, r, http.StatusOK, "assessment", d)
	return nil
}

func (s *Server) handleAdminAssessment(w http.ResponseWriter, r *http.Request) error {
	return s.adminAssessmentPage(w, r, &pageData{})
}

func (s *Server) adminAssessmentPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	sc, err := s.svc.Assessment.AssessmentScheme(r.Context())
	if err != nil {
		return err
	}
	d.Title = "assessment.scheme"
	d.Data = &assessmentPage{Assessment: &redress.Assessment{Scheme: *sc}, Items: redress.AssessmentItems,
		Measures: redress.AccountabilityMeasures}
	s.render(w, r, http.StatusOK, "admin_assessment", d)
	return nil
}

// handleAdminAssessmentSave reads the scheme's form: a number per item,
// the veto's measure, mode and cap, and whether an upheld complaint vetoes.
// A number that does not parse is left out, so the scheme names it missing.
func (s *Server) handleAdminAssessmentSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	sc := redress.AssessmentScheme{Weights: map[string]float64{}, Veto: redress.AssessmentVeto{
		Measure: redress.AccountabilityMeasure(f.Get("veto_measure")), UpheldComplaint: f.Get("veto_upheld") == "1",
		Mode: f.Get("veto_mode")}}
	for _, item := range redress.AssessmentItems {
		if v, err := strconv.ParseFloat(f.Get("w_"+item), 64); err == nil {
			sc.Weights[item] = v
		}
	}
	sc.Veto.Cap, _ = strconv.ParseFloat(f.Get("veto_cap"), 64)
	_, err := s.svc.Assessment.SetAssessmentScheme(r.Context(), sc)
	return s.afterPost(w, r, err, "/admin/assessment", func(d *pageData) error { return s.adminAssessmentPage(w, r, d) })
}

// exportAssessment streams the monthly sheet: a sheet of units and one of
// people, every figure and score as the assessment service gave it.
func (s *Server) exportAssessment(w http.ResponseWriter, r *http.Request, f export.Format, a *redress.Assessment) error {
	t := newT(s.ui.bundle, pageLang(r))
	figures := []export.Column{{Title: t.Get("assessment.handled"), Kind: export.Int}, {Title: t.Get("stats.closed"), Kind: export.Int},
		{Title: t.Get("stats.on_time_reply"), Kind: export.Share}, {Title: t.Get("stats.on_time_decision"), Kind: export.Share},
		{Title: t.Get("assessment.overdue"), Kind: export.Int}, {Title: t.Get("assessment.reopened"), Kind: export.Int}}
	for _, sat := range redress.Satisfactions {
		figures = append(figures, export.Column{Title: t.Label("satisfaction", string(sat)), Kind: export.Int})
	}
	figures = append(figures, export.Column{Title: t.Get("assessment.complaints"), Kind: export.Int},
		export.Column{Title: t.Get("assessment.upheld"), Kind: export.Int}, export.Column{Title: t.Get("assessment.measures"), Kind: export.Int},
		export.Column{Title: t.Get("assessment.training_sessions"), Kind: export.Int}, export.Column{Title: t.Get("assessment.training_hours"), Kind: export.Amount},
		export.Column{Title: t.Get("assessment.training_absent"), Kind: export.Int},
		export.Column{Title: t.Get("assessment.score"), Kind: export.Amount}, export.Column{Title: t.Get("assessment.veto"), Width: 20})
	values := func(fig redress.AssessmentFigures, sc redress.AssessmentScore) []any {
		out := []any{fig.Handled, fig.Closed, fig.ReplyOnTime.Rate, fig.DecisionOnTime.Rate, fig.Overdue, fig.Reopened}
		for _, sat := range redress.Satisfactions {
			out = append(out, fig.Satisfaction[string(sat)])
		}
		measures := 0
		for m, n := range fig.Measures {
			if m.HoldsSomeone() {
				measures += n
			}
		}
		return append(out, fig.Complaints, fig.Upheld, measures, fig.Training.Sessions, strconv.FormatFloat(fig.Training.Hours, 'f', 2, 64),
			fig.Training.Absent, strconv.FormatFloat(sc.Score, 'f', 2, 64), vetoText(t, sc))
	}
	return s.streamExport(w, r, f, "assessment-"+a.Month, redress.ExportRecord{What: redress.ExportAssessment, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			rows := 0
			unitCols := append([]export.Column{{Title: t.Get("field.org"), Width: 20}, {Title: t.Get("field.code")}}, figures...)
			if err := ew.Table(t.Get("assessment.units"), unitCols); err != nil {
				return rows, err
			}
			for _, u := range a.Units {
				if err := ew.Row(append([]any{u.Name, u.Org}, values(u.AssessmentFigures, u.AssessmentScore)...)...); err != nil {
					return rows, err
				}
				rows++
			}
			personCols := append([]export.Column{{Title: t.Get("assessment.person"), Width: 14}, {Title: t.Get("field.login"), Width: 14},
				{Title: t.Get("field.org")}}, figures...)
			if err := ew.Table(t.Get("assessment.people"), personCols); err != nil {
				return rows, err
			}
			for _, p := range a.People {
				if err := ew.Row(append([]any{p.Name, p.Login, p.Org}, values(p.AssessmentFigures, p.AssessmentScore)...)...); err != nil {
					return rows, err
				}
				rows++
			}
			return rows, nil
		})
}

// vetoText says what vetoed a score, in the page's language; "" for none.
func vetoText(t *T, sc redress.AssessmentScore) string {
	switch {
	case !sc.Vetoed:
		return ""
	case sc.VetoBy == "upheld_complaint":
		return t.Get("assessment.veto_upheld")
	}
	return t.Get("assessment.veto_measure", "Measure", t.Label("accountability", sc.VetoBy[len("measure:"):]))
}
