package web

import (
	"context"
	"net/url"
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
