package web

import (
	"net/http"
	"net/url"
	"strconv"

	"redress"
)

// returnVisitRoutes are the return visits (回访) on the staff handler: the
// policy as admin data (API and page, audited) and the SMS survey link of a
// case's open visit. The attempts are the lifecycle action return_visit;
// the customer answers the survey on the public handler (portal_survey.go).
func (s *Server) returnVisitRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/settings/return-visits", summary: "The return-visit policy: which closed cases get a return visit (回访) and when",
			out: redress.ReturnVisitPolicy{}, handle: s.handleReturnVisitPolicy},
		{method: "PUT", path: "/api/v1/settings/return-visits", summary: "Replace the return-visit policy (admin)",
			body: redress.ReturnVisitPolicy{}, out: redress.ReturnVisitPolicy{}, handle: s.handleReturnVisitPolicySave},
		{method: "POST", path: "/api/v1/cases/{no}/survey", summary: "Issue an SMS survey link for the case's open return visit (records the attempt); answers its path on the portal",
			body: surveyRequest{}, out: surveyAnswer{}, handle: s.handleSurveyIssue},
		{method: "GET", path: "/admin/return-visits", access: pageAuth, handle: s.handleAdminReturnVisits},
		{method: "POST", path: "/admin/return-visits", access: pageAuth, handle: s.handleAdminReturnVisitsSave},
		{method: "POST", path: "/cases/{no}/survey", access: pageAuth, handle: s.handleSurveyIssuePage},
	}
}

// surveyRequest is the version of the case a survey link is issued on.
type surveyRequest struct {
	Version int `json:"version"`
}

// surveyAnswer is an issued survey link: its path on the portal (the
// token: no personal data, one use, expiring).
type surveyAnswer struct {
	Path string `json:"path"`
}

// surveyPath is where the customer answers a survey link on the portal.
func surveyPath(token string) string { return "/survey/" + url.PathEscape(token) }

func (s *Server) handleReturnVisitPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.ReturnVisits.ReturnVisitPolicy(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) handleReturnVisitPolicySave(w http.ResponseWriter, r *http.Request) error {
	var p redress.ReturnVisitPolicy
	if err := readJSON(w, r, &p); err != nil {
		return err
	}
	saved, err := s.svc.ReturnVisits.SetReturnVisitPolicy(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleSurveyIssue(w http.ResponseWriter, r *http.Request) error {
	var req surveyRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	token, err := s.svc.ReturnVisits.IssueSurvey(r.Context(), r.PathValue("no"), req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, surveyAnswer{Path: surveyPath(token)})
	return nil
}

// returnVisitsPage is the policy form's data and its choices.
type returnVisitsPage struct {
	Policy *redress.ReturnVisitPolicy
	From   []string
}

func (s *Server) handleAdminReturnVisits(w http.ResponseWriter, r *http.Request) error {
	return s.adminReturnVisitsPage(w, r, &pageData{})
}

func (s *Server) adminReturnVisitsPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	p, err := s.svc.ReturnVisits.ReturnVisitPolicy(r.Context())
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.return_visits", returnVisitsPage{Policy: p,
		From: []string{redress.ReturnVisitFromClose, redress.ReturnVisitFromReply}}
	s.render(w, r, http.StatusOK, "admin_return_visits", d)
	return nil
}

// returnVisitPolicyFromForm reads the policy form; a number that is not one
// is named by its field.
func returnVisitPolicyFromForm(f url.Values) (redress.ReturnVisitPolicy, error) {
	p := redress.ReturnVisitPolicy{Enabled: f.Get("enabled") == "on", From: f.Get("from"), Regulator: f.Get("regulator") == "on",
		Dissatisfied: f.Get("dissatisfied") == "on", Unasked: f.Get("unasked") == "on", KeyCustomers: f.Get("key_customers") == "on",
		Script: f.Get("script")}
	fields := map[string]string{}
	for name, dst := range map[string]*int{"delay_days": &p.DelayDays, "longer_than_days": &p.LongerThanDays,
		"sample_percent": &p.SamplePercent, "attempts": &p.Attempts, "survey_days": &p.SurveyDays} {
		n, err := strconv.Atoi(f.Get(name))
		if err != nil {
			fields[name] = "must be a whole number"
		}
		*dst = n
	}
	if len(fields) > 0 {
		return p, invalid("invalid input", fields)
	}
	return p, nil
}

func (s *Server) handleAdminReturnVisitsSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	p, err := returnVisitPolicyFromForm(r.PostForm)
	if err == nil {
		_, err = s.svc.ReturnVisits.SetReturnVisitPolicy(r.Context(), p)
	}
	return s.afterPost(w, r, err, "/admin/return-visits", func(d *pageData) error { return s.adminReturnVisitsPage(w, r, d) })
}

// handleSurveyIssuePage issues a survey link from the case page and shows
// the case with the link to send; a problem shows the case with it named.
func (s *Server) handleSurveyIssuePage(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	token, err := s.svc.ReturnVisits.IssueSurvey(r.Context(), r.PathValue("no"), version)
	if err != nil && redress.ErrorCode(err) != redress.EINVALID && redress.ErrorCode(err) != redress.ECONFLICT {
		return err
	}
	p, lerr := s.loadCasePage(r)
	if lerr != nil {
		return lerr
	}
	d := &pageData{Title: "case.title", Data: p}
	if err != nil {
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	} else {
		p.SurveyLink = surveyPath(token)
	}
	s.render(w, r, http.StatusOK, "case", d)
	return nil
}
