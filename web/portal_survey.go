package web

import (
	"bytes"
	"log/slog"
	"net/http"

	"redress"
)

// The SMS survey page on the public handler: /survey/{token}, where a
// customer answers a return visit (回访) from the link in an SMS, in
// Chinese or English (?lang=en), on a phone. The token is the only thing in
// the URL (no case number, no personal data); every link that may not be
// answered — tampered, unknown, used, expired, its visit already ended —
// gets the same page.

// surveyPage is what the survey page shows.
type surveyPage struct {
	Valid   bool
	Done    bool
	Options []redress.Satisfaction
	Other   string // the other language, for the switch
}

func (s *Server) handleSurvey(w http.ResponseWriter, r *http.Request) error {
	err := s.svc.ReturnVisits.CheckSurvey(r.Context(), r.PathValue("token"))
	if err != nil && redress.ErrorCode(err) != redress.EUNAUTHORIZED {
		return err
	}
	s.renderSurvey(w, r, &surveyPage{Valid: err == nil}, nil)
	return nil
}

func (s *Server) handleSurveyAnswer(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	a := redress.SurveyAnswer{Satisfaction: redress.Satisfaction(r.PostForm.Get("satisfaction")), Comment: r.PostForm.Get("comment")}
	err := s.svc.ReturnVisits.AnswerSurvey(r.Context(), r.PathValue("token"), a, clientHost(r))
	switch redress.ErrorCode(err) {
	case "":
		s.renderSurvey(w, r, &surveyPage{Valid: true, Done: true}, nil)
	case redress.EUNAUTHORIZED:
		s.renderSurvey(w, r, &surveyPage{}, nil)
	case redress.EINVALID:
		s.renderSurvey(w, r, &surveyPage{Valid: true}, err)
	default:
		return err
	}
	return nil
}

// surveyLang is the survey page's language: ?lang=en (the link may carry
// it, the page switches with it), else the browser's cookie, else Chinese.
func surveyLang(r *http.Request) string {
	switch r.URL.Query().Get("lang") {
	case "en":
		return "en"
	case "zh-CN":
		return "zh-CN"
	}
	return pageLang(r)
}

// renderSurvey renders the survey page on its own small layout (no staff
// navigation), with the problem of an answer if any, always as 200.
func (s *Server) renderSurvey(w http.ResponseWriter, r *http.Request, p *surveyPage, problem error) {
	t := newT(s.ui.bundle, surveyLang(r))
	p.Options = []redress.Satisfaction{redress.SatisfactionSatisfied, redress.SatisfactionBasically, redress.SatisfactionDissatisfed}
	p.Other = "en"
	if t.Lang == "en" {
		p.Other = "zh-CN"
	}
	d := &pageData{T: t, Title: "survey.title", Data: p, Form: r.PostForm}
	if problem != nil {
		d.Error, d.Fields = pageMessage(problem), pageFields(problem)
	}
	var buf bytes.Buffer
	if err := s.ui.pages["survey"].ExecuteTemplate(&buf, "survey_page", d); err != nil {
		s.log.ErrorContext(r.Context(), "render survey", slog.String("error", err.Error()))
		http.Error(w, "page error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}
