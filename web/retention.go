package web

import (
	"net/http"
	"strconv"
	"strings"

	"redress"
)

// retentionRoutes are the retention policy, the retention job, the legal
// holds and a complainant's erasure (PIPL Art.47): the API, the admin page
// (/admin/retention), the holds page (/holds) and the case page's holds.
func (s *Server) retentionRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/retention/policy", summary: "The retention period in years of each kind of record (from its closing or its day)",
			out: redress.RetentionPolicy{}, handle: s.handleRetentionPolicy},
		{method: "PUT", path: "/api/v1/retention/policy", summary: "Replace the retention periods (admin); a kind left out keeps its default; cases and evidence at least 3 years",
			body: redress.RetentionPolicy{}, out: redress.RetentionPolicy{}, handle: s.handleRetentionPolicySave},
		{method: "GET", path: "/api/v1/retention/dry-run", summary: "What the retention job would anonymise now, counted by kind, and what a hold keeps; changes nothing (admin)",
			out: redress.RetentionReport{}, handle: s.handleRetentionDryRun},
		{method: "POST", path: "/api/v1/retention/run", summary: "Run the retention job now: anonymise what expired, delete expired evidence files, redact their audit events (admin)",
			out: redress.RetentionReport{}, handle: s.handleRetentionRun},
		{method: "POST", path: "/api/v1/retention/erasure", summary: "Erase a complainant's personal data on every case (PIPL Art.47), by ID number or phone in the body; refused while a hold stands or a case is open (head office)",
			body: redress.ErasureRequest{}, out: redress.ErasureResult{}, handle: s.handleErasure},
		{method: "GET", path: "/api/v1/holds", summary: "The legal holds standing: on the cases in scope and on complainants",
			out: listAnswer[redress.LegalHold]{}, handle: s.handleHoldList},
		{method: "POST", path: "/api/v1/holds", summary: "Place a legal hold on a complainant, by ID number or phone in the body, with the reason (head office)",
			status: http.StatusCreated, body: redress.NewLegalHold{}, out: redress.LegalHold{}, handle: s.handleHoldCreate},
		{method: "POST", path: "/api/v1/holds/{id}/release", summary: "Release a legal hold, with the reason",
			body: redress.HoldRelease{}, out: redress.LegalHold{}, handle: s.handleHoldRelease},
		{method: "GET", path: "/api/v1/cases/{no}/holds", summary: "The case's legal holds, placed and released",
			out: listAnswer[redress.LegalHold]{}, handle: s.handleCaseHolds},
		{method: "POST", path: "/api/v1/cases/{no}/holds", summary: "Place a legal hold on the case, with the reason: it does not expire while the hold stands",
			status: http.StatusCreated, body: redress.NewLegalHold{}, out: redress.LegalHold{}, handle: s.handleCaseHoldCreate},
		{method: "GET", path: "/admin/retention", access: pageAuth, handle: s.handleAdminRetention},
		{method: "POST", path: "/admin/retention", access: pageAuth, handle: s.handleAdminRetentionSave},
		{method: "POST", path: "/admin/retention/run", access: pageAuth, handle: s.handleAdminRetentionRun},
		{method: "GET", path: "/holds", access: pageAuth, handle: s.handleHoldsPage},
		{method: "POST", path: "/holds", access: pageAuth, handle: s.handleHoldsPageCreate},
		{method: "POST", path: "/holds/erasure", access: pageAuth, handle: s.handleErasurePage},
		{method: "POST", path: "/holds/{id}/release", access: pageAuth, handle: s.handleHoldReleasePage},
		{method: "POST", path: "/cases/{no}/holds", access: pageAuth, handle: s.handleCaseHoldSubmit},
	}
}

func (s *Server) handleRetentionPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.Retention.RetentionPolicy(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) handleRetentionPolicySave(w http.ResponseWriter, r *http.Request) error {
	p := redress.RetentionPolicy{}
	if err := readJSON(w, r, &p); err != nil {
		return err
	}
	saved, err := s.svc.Retention.SetRetentionPolicy(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleRetentionDryRun(w http.ResponseWriter, r *http.Request) error {
	return s.retentionRun(w, r, true)
}

func (s *Server) handleRetentionRun(w http.ResponseWriter, r *http.Request) error {
	return s.retentionRun(w, r, false)
}

func (s *Server) retentionRun(w http.ResponseWriter, r *http.Request, dryRun bool) error {
	report, err := s.svc.Retention.RunRetention(r.Context(), dryRun)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, report)
	return nil
}

func (s *Server) handleErasure(w http.ResponseWriter, r *http.Request) error {
	var e redress.ErasureRequest
	if err := readJSON(w, r, &e); err != nil {
		return err
	}
	done, err := s.svc.Retention.Erase(r.Context(), e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, done)
	return nil
}

func (s *Server) handleHoldList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Retention.Holds(r.Context(), "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.LegalHold]{Items: list})
	return nil
}

func (s *Server) handleCaseHolds(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Retention.Holds(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.LegalHold]{Items: list})
	return nil
}

func (s *Server) handleHoldCreate(w http.ResponseWriter, r *http.Request) error {
	return s.holdCreate(w, r, "")
}

func (s *Server) handleCaseHoldCreate(w http.ResponseWriter, r *http.Request) error {
	return s.holdCreate(w, r, r.PathValue("no"))
}

func (s *Server) holdCreate(w http.ResponseWriter, r *http.Request, no string) error {
	var n redress.NewLegalHold
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	h, err := s.svc.Retention.PlaceHold(r.Context(), no, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, h)
	return nil
}

// holdID reads a hold's {id}: LH-000012 or 12.
func holdID(r *http.Request) (int64, error) {
	id, ok := redress.ParseHoldRef(r.PathValue("id"))
	if !ok {
		return 0, redress.Errorf(redress.ENOTFOUND, "hold %q not found", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) handleHoldRelease(w http.ResponseWriter, r *http.Request) error {
	id, err := holdID(r)
	if err != nil {
		return err
	}
	var rel redress.HoldRelease
	if err := readJSON(w, r, &rel); err != nil {
		return err
	}
	h, err := s.svc.Retention.ReleaseHold(r.Context(), id, rel)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

// retentionPage is what the admin's retention page shows: each kind's
// period and rule, and the dry run's counts as of now.
type retentionPage struct {
	Kinds  []redress.RetentionRule
	Policy redress.RetentionPolicy
	DryRun *redress.RetentionReport
	// Done is the report of the run just made, shown once (nil otherwise).
	Done *redress.RetentionReport
}

func (s *Server) handleAdminRetention(w http.ResponseWriter, r *http.Request) error {
	return s.adminRetentionPage(w, r, &pageData{}, nil)
}

func (s *Server) adminRetentionPage(w http.ResponseWriter, r *http.Request, d *pageData, done *redress.RetentionReport) error {
	if err := redress.Require(redress.UserFrom(r.Context()), redress.PermRetentionManage); err != nil {
		return err
	}
	p, err := s.svc.Retention.RetentionPolicy(r.Context())
	if err != nil {
		return err
	}
	dry, err := s.svc.Retention.RunRetention(r.Context(), true)
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.retention", retentionPage{Kinds: redress.RetentionKinds, Policy: p, DryRun: dry, Done: done}
	s.render(w, r, http.StatusOK, "admin_retention", d)
	return nil
}

func (s *Server) handleAdminRetentionSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	// A period that is no number is refused by the policy's own check,
	// with every other problem of the form.
	p := redress.RetentionPolicy{}
	for _, k := range redress.RetentionKinds {
		years, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get(string(k.Kind))))
		if err != nil {
			years = -1
		}
		p[k.Kind] = years
	}
	_, err := s.svc.Retention.SetRetentionPolicy(r.Context(), p)
	return s.afterPost(w, r, err, "/admin/retention", func(d *pageData) error { return s.adminRetentionPage(w, r, d, nil) })
}

func (s *Server) handleAdminRetentionRun(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	done, err := s.svc.Retention.RunRetention(r.Context(), false)
	if err != nil {
		return err
	}
	return s.adminRetentionPage(w, r, &pageData{Flash: newT(s.ui.bundle, pageLang(r)).Get("retention.done")}, done)
}

// holdsPage is what the holds page shows: the holds standing, and whether
// the user may place a complainant's hold and erase (head office).
type holdsPage struct {
	Holds    []redress.LegalHold
	MayErase bool
	Erased   *redress.ErasureResult
}

func (s *Server) handleHoldsPage(w http.ResponseWriter, r *http.Request) error {
	return s.holdsPage(w, r, &pageData{}, nil)
}

func (s *Server) holdsPage(w http.ResponseWriter, r *http.Request, d *pageData, erased *redress.ErasureResult) error {
	u := redress.UserFrom(r.Context())
	list, err := s.svc.Retention.Holds(r.Context(), "")
	if err != nil {
		return err
	}
	d.Title, d.Data = "holds.title", holdsPage{Holds: list, MayErase: u != nil && redress.Can(u.Role, redress.PermErasure), Erased: erased}
	s.render(w, r, http.StatusOK, "holds", d)
	return nil
}

func (s *Server) handleHoldsPageCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	_, err := s.svc.Retention.PlaceHold(r.Context(), "", redress.NewLegalHold{IDNumber: strings.TrimSpace(f.Get("id_number")),
		Phone: strings.TrimSpace(f.Get("phone")), Reason: f.Get("reason")})
	return s.holdsAfterPost(w, r, err)
}

// holdsAfterPost answers a form of the holds page: back to it, or the page
// again with the problems and what was typed, numbers left out.
func (s *Server) holdsAfterPost(w http.ResponseWriter, r *http.Request, err error) error {
	r.PostForm.Del("id_number")
	r.PostForm.Del("phone")
	return s.afterPost(w, r, err, "/holds", func(d *pageData) error { return s.holdsPage(w, r, d, nil) })
}

func (s *Server) handleErasurePage(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	done, err := s.svc.Retention.Erase(r.Context(), redress.ErasureRequest{IDNumber: strings.TrimSpace(f.Get("id_number")),
		Phone: strings.TrimSpace(f.Get("phone")), Reason: f.Get("reason")})
	if err != nil {
		return s.holdsAfterPost(w, r, err)
	}
	return s.holdsPage(w, r, &pageData{Flash: newT(s.ui.bundle, pageLang(r)).Get("holds.erased")}, done)
}

func (s *Server) handleHoldReleasePage(w http.ResponseWriter, r *http.Request) error {
	id, err := holdID(r)
	if err != nil {
		return err
	}
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	h, err := s.svc.Retention.ReleaseHold(r.Context(), id, redress.HoldRelease{Reason: r.PostForm.Get("reason")})
	if err == nil && h.CaseNo != "" && r.PostForm.Get("back") == "case" {
		http.Redirect(w, r, "/cases/"+h.CaseNo+"#holds", http.StatusSeeOther)
		return nil
	}
	return s.holdsAfterPost(w, r, err)
}

func (s *Server) handleCaseHoldSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	no := r.PathValue("no")
	_, err := s.svc.Retention.PlaceHold(r.Context(), no, redress.NewLegalHold{Reason: r.PostForm.Get("reason")})
	if err != nil {
		return s.referralFailed(w, r, err)
	}
	http.Redirect(w, r, "/cases/"+no+"#holds", http.StatusSeeOther)
	return nil
}

// loadHolds reads the case's holds for its page.
func (s *Server) loadHolds(r *http.Request, p *casePage, u *redress.User) error {
	if s.svc.Retention == nil {
		return nil
	}
	list, err := s.svc.Retention.Holds(r.Context(), p.Case.No)
	if err != nil {
		return err
	}
	p.Holds, p.MayHold = list, redress.Can(u.Role, redress.PermLegalHold) && p.Case.AnonymisedAt == nil
	return nil
}
