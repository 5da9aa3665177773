package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"redress"
)

// This file is the review of a decision on the pages (核查, 复查, 复核;
// redress review.go): the fields of request_review and decide_review read
// from their forms, and what the case page and the decision letter need to
// show a review and say where to apply for one.

// reviewFromForm reads the fields of request_review and decide_review.
func reviewFromForm(req *redress.ActionRequest, f url.Values, fields map[string]string) {
	req.ReviewProcess, req.ReviewTimeliness, req.ReviewMerits = f.Get("process"), f.Get("timeliness"), f.Get("merits")
	req.ReviewResult = redress.ReviewResult(f.Get("result"))
	if v := f.Get("received_at"); v != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, redress.Beijing)
		if err != nil {
			fields["received_at"] = "must be a date and time"
		}
		req.ReceivedAt = t
	}
}

// reviewPage is what the case page and the decision letter show of reviews.
type reviewPage struct {
	Results []redress.ReviewResult
	// Unit is the unit a review of the decision goes to (the unit above the
	// one that decided), Kind the review the next request would open ("" when
	// none may be).
	UnitName string
	Kind     redress.ReviewKind
	// Mediation is the mediation body the decision letter names (admin
	// data, redress.MediationBody); nil when none is set.
	Mediation *redress.MediationBody
}

// loadReviewPage finds the reviewing unit and the next review's kind.
func (s *Server) loadReviewPage(ctx context.Context, c *redress.Case) (reviewPage, error) {
	p := reviewPage{Results: redress.ReviewResults}
	if c.Reply == nil {
		return p, nil
	}
	p.Kind, _ = redress.NextReviewKind(c)
	orgs, err := s.svc.Orgs.ListOrgs(ctx)
	if err != nil {
		return p, err
	}
	path := redress.ReviewParentPath(c.OrgPath)
	for _, o := range orgs {
		if o.Path == path {
			p.UnitName = o.Name
		}
	}
	if s.svc.Settings != nil {
		if p.Mediation, err = s.svc.Settings.MediationBody(ctx); err != nil {
			return p, err
		}
	}
	return p, nil
}

// reviewRequestRoutes are the page on which any unit records a customer's
// request for a review of a case it cannot see (redress
// MayReceiveReviewRequest): the case's number, when the request came and
// what it says; the answer is the review opened, its unit and due date.
func (s *Server) reviewRequestRoutes() []route {
	return []route{
		{method: "GET", path: "/reviews/new", access: pageAuth, handle: s.handleReviewRequestPage},
		{method: "POST", path: "/reviews/new", access: pageAuth, handle: s.handleReviewRequestSubmit},
	}
}

// reviewRequestPage is the review request page: the form's default time
// and, after a request, the receipt of the case (redress Case.ReviewReceipt).
type reviewRequestPage struct {
	Now     string
	Receipt *redress.ReviewReceipt
}

func (s *Server) handleReviewRequestPage(w http.ResponseWriter, r *http.Request) error {
	return s.reviewRequestPage(w, r, http.StatusOK, &pageData{}, nil)
}

func (s *Server) reviewRequestPage(w http.ResponseWriter, r *http.Request, status int, d *pageData, receipt *redress.ReviewReceipt) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	if !redress.MayRegister(u.Role) {
		return redress.Errorf(redress.EFORBIDDEN, "%s may not record requests from customers", u.Login)
	}
	d.Title = "review.request_title"
	d.Data = reviewRequestPage{Now: s.now().In(redress.Beijing).Format("2006-01-02T15:04"), Receipt: receipt}
	s.render(w, r, status, "review_request", d)
	return nil
}

func (s *Server) handleReviewRequestSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	req := redress.ActionRequest{Action: redress.ActionRequestReview, Text: f.Get("text")}
	fields := map[string]string{}
	reviewFromForm(&req, f, fields)
	no := strings.TrimSpace(f.Get("no"))
	// Every problem of the form in one round: the number, the form's own
	// parsing, and the request's fields as the store would check them.
	var p redress.Problems
	if no == "" {
		p.AddKey("no", redress.ProblemRequired)
	}
	for name, problem := range fields {
		p.Add(name, problem)
	}
	verr := req.Validate(s.now())
	keyed := redress.ErrorProblems(verr)
	for name, problem := range redress.ErrorFields(verr) {
		switch k, ok := keyed[name]; {
		case fields[name] != "":
		case ok:
			p.AddKey(name, k.Key, k.Args...)
		default:
			p.Add(name, problem)
		}
	}
	err := p.Err()
	if err == nil {
		var receipt *redress.Case
		if receipt, err = s.svc.Cases.Act(r.Context(), no, req); err == nil {
			return s.reviewRequestPage(w, r, http.StatusOK, &pageData{}, receipt.Receipt())
		}
	}
	switch redress.ErrorCode(err) {
	case redress.ENOTFOUND:
		var p redress.Problems
		p.AddKey("no", redress.ProblemNoSuchCase)
		err = p.Err()
	case redress.EINVALID, redress.ECONFLICT:
	default:
		return err
	}
	return s.reviewRequestPage(w, r, http.StatusOK, &pageData{Error: pageMessage(err), Fields: pageFields(err), Form: f}, nil)
}
