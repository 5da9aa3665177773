package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"redress"
)

// The customer portal's pages (网上投诉/信访), under /portal/ on the public
// handler: phone-first, Chinese first, no script needed. Nothing personal
// travels in a URL: the number, phone and code are posted, and after the
// code the case is the session's.

// maxPortalForm bounds a portal page's URL-encoded form.
const maxPortalForm = 256 << 10

func (s *Server) portalPageRoutes() []route {
	return []route{
		{method: "GET", path: "/{$}", access: portalPublic, handle: func(w http.ResponseWriter, r *http.Request) error {
			http.Redirect(w, r, "/portal/", http.StatusSeeOther)
			return nil
		}},
		{method: "GET", path: "/portal/{$}", access: portalPublic, handle: s.handlePortalHome},
		{method: "GET", path: "/portal/lang/{lang}", access: portalPublic, handle: s.handlePortalLang},
		{method: "GET", path: "/portal/submit", access: portalPublic, handle: s.handlePortalSubmitPage},
		{method: "POST", path: "/portal/submit", access: portalPublic, handle: s.handlePortalSubmitCheck},
		{method: "POST", path: "/portal/submit/confirm", access: portalPublic, handle: s.handlePortalSubmitConfirm},
		{method: "GET", path: "/portal/track", access: portalPublic, handle: s.handlePortalTrackPage},
		{method: "POST", path: "/portal/track/code", access: portalPublic, handle: s.handlePortalCodePage},
		{method: "POST", path: "/portal/track", access: portalPublic, handle: s.handlePortalTrackSubmit},
		{method: "GET", path: "/portal/case", access: portalCustomer, handle: s.handlePortalCasePage},
		{method: "POST", path: "/portal/case/material", access: portalCustomer, handle: s.handlePortalMaterialPage},
		{method: "POST", path: "/portal/case/{action}", access: portalCustomer, handle: s.handlePortalActPage},
		{method: "POST", path: "/portal/logout", access: portalPublic, handle: s.handlePortalLogout},
	}
}

// portalPage is what the portal's templates receive in pageData.Data.
type portalPage struct {
	Units   []*redress.OrgUnit
	Kinds   []redress.Kind
	IDTypes []redress.IDType
	Ratings []redress.Satisfaction
	Receipt *redress.PortalReceipt
	Case    *redress.PortalView
	CSRF    string
	Done    string // the action just done, for the message on the case page
	Consent string // the consent's version
}

func (s *Server) renderPortal(w http.ResponseWriter, r *http.Request, status int, name, title string, d *pageData) {
	d.Title = title
	if d.Data == nil {
		d.Data = &portalPage{}
	}
	p := d.Data.(*portalPage)
	p.Kinds, p.IDTypes, p.Ratings, p.Consent = redress.PortalKinds, redress.IDTypes, redress.PortalRatings, redress.PortalConsentVersion
	s.render(w, r, status, name, d)
}

func (s *Server) handlePortalHome(w http.ResponseWriter, r *http.Request) error {
	s.renderPortal(w, r, http.StatusOK, "portal_home", "portal.title", &pageData{})
	return nil
}

// handlePortalLang sets the language and goes back to a portal page.
func (s *Server) handlePortalLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if lang != "en" {
		lang = "zh-CN"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
	back := r.URL.Query().Get("back")
	if !strings.HasPrefix(back, "/portal/") || safeNext(back) != back {
		back = "/portal/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) handlePortalSubmitPage(w http.ResponseWriter, r *http.Request) error {
	units, err := s.svc.Portal.PortalUnits(r.Context())
	if err != nil {
		return err
	}
	s.renderPortal(w, r, http.StatusOK, "portal_submit", "portal.submit.title",
		&pageData{Data: &portalPage{Units: units}, Form: url.Values{"kind": {"complaint"}}})
	return nil
}

// submissionFrom reads a submission from a form.
func submissionFrom(f url.Values) redress.PortalSubmission {
	return redress.PortalSubmission{Kind: redress.Kind(f.Get("kind")), Org: f.Get("org"), Subject: f.Get("subject"),
		Description: f.Get("description"), Request: f.Get("request"), Amount: strings.TrimSpace(f.Get("amount")),
		Complainant: redress.Complainant{Name: f.Get("name"), IDType: redress.IDType(f.Get("id_type")),
			IDNumber: f.Get("id_number"), Phone: f.Get("phone")},
		Consent: f.Get("consent") == "yes"}
}

// formField is the form control of a submission's field.
var formField = map[string]string{"complainant.name": "name", "complainant.id_type": "id_type",
	"complainant.id_number": "id_number", "complainant.phone": "phone"}

func portalFields(err error) map[string]string {
	fields := pageFields(err)
	for field, control := range formField {
		if text, ok := fields[field]; ok {
			fields[control] = text
		}
	}
	return fields
}

// handlePortalSubmitCheck checks the form and shows it back for the
// customer to confirm: the restatement (复述) of what they wrote, the
// consent to the handling of their personal data, and a file to add.
func (s *Server) handlePortalSubmitCheck(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxPortalForm)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read", nil)
	}
	sub := submissionFrom(r.PostForm)
	sub.Consent = true // asked on the next page
	units, err := s.svc.Portal.PortalUnits(r.Context())
	if err != nil {
		return err
	}
	if _, err := sub.NewCase(s.now()); err != nil {
		s.renderPortal(w, r, http.StatusOK, "portal_submit", "portal.submit.title",
			&pageData{Data: &portalPage{Units: units}, Form: r.PostForm, Error: "portal.submit.check", Fields: portalFields(err)})
		return nil
	}
	s.renderPortal(w, r, http.StatusOK, "portal_confirm", "portal.confirm.title", &pageData{Data: &portalPage{Units: units}, Form: r.PostForm})
	return nil
}

// handlePortalSubmitConfirm registers the confirmed submission with its
// file, if any, and shows the tracking number and what happens next.
func (s *Server) handlePortalSubmitConfirm(w http.ResponseWriter, r *http.Request) error {
	files, release, err := s.uploadsFromRequest(w, r, "file", redress.PortalMaxFiles)
	defer release()
	units, uerr := s.svc.Portal.PortalUnits(r.Context())
	if uerr != nil {
		return uerr
	}
	again := func(err error) error {
		s.renderPortal(w, r, http.StatusOK, "portal_confirm", "portal.confirm.title",
			&pageData{Data: &portalPage{Units: units}, Form: r.PostForm, Error: pageMessage(err), Fields: portalFields(err)})
		return nil
	}
	if err != nil {
		if r.PostForm == nil {
			return err
		}
		return again(err)
	}
	sub := submissionFrom(r.PostForm)
	contents := make([][]byte, len(files))
	for i, file := range files { // every file is checked before the case is registered
		if contents[i], err = io.ReadAll(file.Body); err != nil { // in memory already (uploadsFromRequest)
			return err
		}
		if _, err := redress.PortalFileType("file", contents[i]); err != nil {
			return again(err)
		}
	}
	if err := s.allowPortal(r, "portal.too_many.submit", s.submitLimits(r, sub.Complainant.Phone)...); err != nil {
		return err
	}
	receipt, err := s.svc.Portal.SubmitCase(r.Context(), sub)
	if err != nil {
		if redress.ErrorCode(err) == redress.EINVALID {
			return again(err)
		}
		return err
	}
	d := &pageData{Data: &portalPage{Receipt: receipt}}
	ctx := redress.WithCustomer(r.Context(), &redress.PortalCustomer{CaseNo: receipt.No})
	for i, file := range files {
		file.Body = bytes.NewReader(contents[i])
		if _, err := s.svc.Portal.AddMaterial(ctx, *file); err != nil {
			d.Error = pageMessage(err) // the case is registered; a file may be added again when tracking
		}
	}
	s.renderPortal(w, r, http.StatusCreated, "portal_done", "portal.done.title", d)
	return nil
}

func (s *Server) handlePortalTrackPage(w http.ResponseWriter, r *http.Request) error {
	s.renderPortal(w, r, http.StatusOK, "portal_track", "portal.track.title", &pageData{})
	return nil
}

// handlePortalCodePage sends a code and asks for it: the same page whether
// the number and phone match a case or not.
func (s *Server) handlePortalCodePage(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxPortalForm)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read", nil)
	}
	req := redress.PortalCodeRequest{No: r.PostFormValue("no"), Phone: r.PostFormValue("phone")}
	if err := s.requestCode(r, req); err != nil {
		return err
	}
	s.renderPortal(w, r, http.StatusOK, "portal_code", "portal.code.title", &pageData{Form: r.PostForm, Flash: "portal.code.sent"})
	return nil
}

func (s *Server) handlePortalTrackSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxPortalForm)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read", nil)
	}
	req := redress.PortalTrackRequest{No: r.PostFormValue("no"), Phone: r.PostFormValue("phone"), Code: r.PostFormValue("code")}
	if _, err := s.track(w, r, req); err != nil {
		if redress.ErrorCode(err) == redress.EFORBIDDEN {
			s.renderPortal(w, r, http.StatusOK, "portal_code", "portal.code.title", &pageData{Form: r.PostForm, Error: "portal.code.refused"})
			return nil
		}
		return err
	}
	http.Redirect(w, r, "/portal/case", http.StatusSeeOther)
	return nil
}

// portalDone are the actions whose success the case page reports.
var portalDone = map[string]bool{"material": true, "withdraw": true, "review": true, "rating": true}

func (s *Server) handlePortalCasePage(w http.ResponseWriter, r *http.Request) error {
	done := r.URL.Query().Get("done")
	if !portalDone[done] {
		done = ""
	}
	return s.renderPortalCase(w, r, &pageData{}, done)
}

func (s *Server) renderPortalCase(w http.ResponseWriter, r *http.Request, d *pageData, done string) error {
	v, err := s.svc.Portal.PortalCase(r.Context())
	if err != nil {
		return err
	}
	d.Data = &portalPage{Case: v, CSRF: redress.CustomerFrom(r.Context()).CSRF, Done: done}
	s.renderPortal(w, r, http.StatusOK, "portal_case", "portal.case.title", d)
	return nil
}

func (s *Server) handlePortalMaterialPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.addMaterial(w, r, true); err != nil {
		return s.portalActProblem(w, r, err)
	}
	http.Redirect(w, r, "/portal/case?done=material", http.StatusSeeOther)
	return nil
}

// handlePortalActPage takes a follow-up action from the case page.
func (s *Server) handlePortalActPage(w http.ResponseWriter, r *http.Request) error {
	action := r.PathValue("action")
	if !portalDone[action] || action == "material" {
		return redress.Errorf(redress.ENOTFOUND, "no page %s", r.URL.Path)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPortalForm)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read", nil)
	}
	if err := checkCSRF(r); err != nil {
		return err
	}
	if err := s.allowAct(r); err != nil {
		return err
	}
	ctx, f := r.Context(), r.PostForm
	var err error
	switch action {
	case "withdraw":
		err = s.svc.Portal.Withdraw(ctx, redress.PortalWithdrawal{Reason: f.Get("reason")})
	case "review":
		err = s.svc.Portal.RequestReview(ctx, redress.PortalReviewRequest{Text: f.Get("text")})
	case "rating":
		err = s.svc.Portal.Rate(ctx, redress.PortalRating{Satisfaction: redress.Satisfaction(f.Get("satisfaction")), Comment: f.Get("comment")})
	}
	if err != nil {
		return s.portalActProblem(w, r, err)
	}
	http.Redirect(w, r, "/portal/case?done="+action, http.StatusSeeOther)
	return nil
}

// portalActProblem shows the case page again with an action's problem;
// an error that is not the customer's to fix is the error page.
func (s *Server) portalActProblem(w http.ResponseWriter, r *http.Request, err error) error {
	switch redress.ErrorCode(err) {
	case redress.EINVALID, redress.ECONFLICT:
		return s.renderPortalCase(w, r, &pageData{Form: r.PostForm, Error: pageMessage(err), Fields: pageFields(err)}, "")
	}
	return err
}

func (s *Server) handlePortalLogout(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: PortalCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secureRequest(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/portal/", http.StatusSeeOther)
	return nil
}

// portalPageError shows a portal page's error: without a customer, the
// tracking page; a rate limit, 429 with its message in the customer's
// language; anything else, the portal's error page.
func (s *Server) portalPageError(w http.ResponseWriter, r *http.Request, err error) {
	code := redress.ErrorCode(err)
	if code == redress.EUNAUTHORIZED {
		http.Redirect(w, r, "/portal/track", http.StatusSeeOther)
		return
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	msg := pageMessage(err)
	var many *redress.TooManyError
	if errors.As(err, &many) {
		retryAfter(w, err)
		status, msg = http.StatusTooManyRequests, many.Message
	}
	if code == redress.EINTERNAL {
		s.log.ErrorContext(r.Context(), "portal page failed", "path", r.URL.Path, "error", err.Error())
	}
	s.renderPortal(w, r, status, "portal_error", "portal.error.title", &pageData{Error: msg})
}
