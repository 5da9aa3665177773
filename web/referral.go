package web

import (
	"net/http"
	"strconv"

	"redress"
)

// referralRoutes are a case's referrals beyond the bank (调解/仲裁/诉讼): the
// API and the case page's forms.
func (s *Server) referralRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/cases/{no}/referrals", summary: "The case's referrals to mediation, arbitration or a court, oldest first",
			out: listAnswer[redress.Referral]{}, handle: s.handleReferralList},
		{method: "POST", path: "/api/v1/cases/{no}/referrals", summary: "Record a referral of the case: the body, its contact, the day sent (the handler or a manager)",
			status: http.StatusCreated, body: redress.NewReferral{}, out: redress.Referral{}, handle: s.handleReferralCreate},
		{method: "POST", path: "/api/v1/cases/{no}/referrals/{id}/answer", summary: "Record what came of a referral, once: the day answered, the outcome and the agreement, award or judgment",
			body: redress.ReferralAnswer{}, out: redress.Referral{}, handle: s.handleReferralAnswer},
		{method: "GET", path: "/api/v1/referrals/summary", summary: "The referrals of the cases in scope sent in a period, by kind and outcome",
			query: []param{{"org", "string", "a unit's code (default: the caller's scope)"}, {"from", "string", "YYYY-MM-DD (required)"}, {"to", "string", "YYYY-MM-DD (required)"}},
			out:   redress.ReferralSummary{}, handle: s.handleReferralSummary},
		{method: "POST", path: "/cases/{no}/referrals", access: pageAuth, handle: s.handleReferralSubmit},
		{method: "POST", path: "/cases/{no}/referrals/{id}/answer", access: pageAuth, handle: s.handleReferralAnswerSubmit},
	}
}

func (s *Server) handleReferralList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Referrals.Referrals(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.Referral]{Items: list})
	return nil
}

func (s *Server) handleReferralCreate(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewReferral
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	ref, err := s.svc.Referrals.Refer(r.Context(), r.PathValue("no"), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ref)
	return nil
}

// referralID reads a referral's {id}.
func referralID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, redress.Errorf(redress.ENOTFOUND, "referral %q not found", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) handleReferralAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := referralID(r)
	if err != nil {
		return err
	}
	var a redress.ReferralAnswer
	if err := readJSON(w, r, &a); err != nil {
		return err
	}
	ref, err := s.svc.Referrals.AnswerReferral(r.Context(), r.PathValue("no"), id, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ref)
	return nil
}

func (s *Server) handleReferralSummary(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, to, err := periodDates(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	sum, err := s.svc.Referrals.ReferralSummary(r.Context(), q.Get("org"), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// referralFailed shows the case page again with a referral form's problems.
func (s *Server) referralFailed(w http.ResponseWriter, r *http.Request, err error) error {
	switch redress.ErrorCode(err) {
	case redress.EINVALID, redress.ECONFLICT:
	default:
		return err
	}
	p, lerr := s.loadCasePage(r)
	if lerr != nil {
		return lerr
	}
	s.render(w, r, http.StatusOK, "case", &pageData{Title: "case.title", Data: p, Form: r.PostForm, Error: pageMessage(err), Fields: pageFields(err)})
	return nil
}

func (s *Server) handleReferralSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	no := r.PathValue("no")
	_, err := s.svc.Referrals.Refer(r.Context(), no, redress.NewReferral{Kind: redress.ReferralKind(f.Get("kind")), Body: f.Get("body"),
		Contact: f.Get("contact"), SentOn: f.Get("sent_on")})
	if err != nil {
		return s.referralFailed(w, r, err)
	}
	http.Redirect(w, r, "/cases/"+no+"#referrals", http.StatusSeeOther)
	return nil
}

func (s *Server) handleReferralAnswerSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := referralID(r)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	no := r.PathValue("no")
	_, err = s.svc.Referrals.AnswerReferral(r.Context(), no, id, redress.ReferralAnswer{AnsweredOn: f.Get("answered_on"),
		Outcome: redress.ReferralOutcome(f.Get("outcome")), Agreement: f.Get("agreement")})
	if err != nil {
		return s.referralFailed(w, r, err)
	}
	http.Redirect(w, r, "/cases/"+no+"#referrals", http.StatusSeeOther)
	return nil
}
