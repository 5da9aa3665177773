package web

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"time"

	"redress"
)

// intakeRoutes are the registration of a case: the API operation and the
// registration page.
func (s *Server) intakeRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/cases", summary: "Register a case; the caller is its first responder",
			status: http.StatusCreated, body: redress.NewCase{}, out: redress.Case{}, handle: s.handleCaseCreate},
		{method: "GET", path: "/cases/new", access: pageAuth, handle: s.handleNewCasePage},
		{method: "POST", path: "/cases/new", access: pageAuth, handle: s.handleNewCaseSubmit},
	}
}

func (s *Server) handleCaseCreate(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewCase
	if err := readJSON(w, r, &n); err != nil {
		return err
	}
	c, err := s.svc.Cases.CreateCase(r.Context(), n)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.No)
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// newCaseForm is the data of the registration page.
type newCaseForm struct {
	Kinds    []redress.Kind
	Channels []redress.Channel
	IDTypes  []redress.IDType
	Codes    []*redress.Code
	Orgs     []*redress.OrgUnit
	// Repeats are the earlier cases this one may repeat, each with why it
	// matched; a re-examined petition's carries its refusal (信访工作条例
	// Art.36: the same matter is not accepted again).
	Repeats *redress.RepeatCandidates
	Risks   []redress.RiskLevel
	Prios   []redress.Priority
	// NoticeMethods are the ways the customer may choose to be told.
	NoticeMethods []redress.NoticeMethod
}

func (s *Server) newCaseForm(r *http.Request) (*newCaseForm, error) {
	codes, err := s.svc.Codes.ListCodes(r.Context(), "")
	if err != nil {
		return nil, err
	}
	orgs, err := s.svc.Orgs.ListOrgs(r.Context())
	if err != nil {
		return nil, err
	}
	return &newCaseForm{Kinds: redress.Kinds, Channels: redress.Channels, IDTypes: redress.IDTypes, Codes: codes, Orgs: orgs,
		Risks: redress.RiskLevels, Prios: redress.Priorities, NoticeMethods: redress.CustomerNoticeMethods}, nil
}

func (s *Server) handleNewCasePage(w http.ResponseWriter, r *http.Request) error {
	if !redress.MayRegister(redress.UserFrom(r.Context()).Role) {
		return redress.Errorf(redress.EFORBIDDEN, "your role does not register cases")
	}
	form, err := s.newCaseForm(r)
	if err != nil {
		return err
	}
	now := s.now().In(redress.Beijing).Format("2006-01-02T15:04")
	values := url.Values{"kind": {"complaint"}, "channel": {r.URL.Query().Get("channel")}, "received_at": {now}}
	if values.Get("channel") == "" {
		values.Set("channel", "counter")
	}
	if kind := redress.Kind(r.URL.Query().Get("kind")); kind.Valid() {
		values.Set("kind", string(kind)) // a petition's form speaks of the 信访人
	}
	s.render(w, r, http.StatusOK, "new", &pageData{Title: "new.title", Data: form, Form: values})
	return nil
}

// handleNewCaseSubmit registers a case from the form. Until the receiver
// confirms that the problem was restated to the customer, and whenever the
// input has a problem, the form comes back as typed; a possible repeat
// complaint by the same complainant is shown for the receiver to confirm.
func (s *Server) handleNewCaseSubmit(w http.ResponseWriter, r *http.Request) error {
	scan, release, err := s.evidenceFromRequest(w, r, "scan")
	defer release()
	scanProblems := map[string]string{}
	if redress.ErrorCode(err) == redress.EINVALID && r.PostForm != nil {
		scanProblems, err = pageFields(err), nil // too large: the form comes back with the problem
	}
	if err != nil {
		return err
	}
	f := r.PostForm
	form, err := s.newCaseForm(r)
	if err != nil {
		return err
	}
	n, fields := newCaseFromForm(f)
	maps.Copy(fields, scanProblems)
	if f.Get("restated") != "yes" {
		fields["restated"] = "@" + redress.ProblemRestatement
	}
	// Every problem the domain finds comes back in the same round.
	for field, problem := range pageFields(n.Validate(s.now())) {
		if _, seen := fields[field]; !seen {
			fields[field] = problem
		}
	}
	// The form comes back, as typed, with its problems: a page like any other (200).
	again := func(msg string, fields map[string]string) error {
		if scan != nil { // a browser does not send a file again by itself: say so
			if fields == nil {
				fields = map[string]string{}
			}
			fields["scan"] = "new.scan_again"
		}
		s.render(w, r, http.StatusOK, "new", &pageData{Title: "new.title", Data: form, Form: f, Error: msg, Fields: fields})
		return nil
	}
	if len(fields) > 0 {
		return again("invalid input", fields)
	}
	if f.Get("repeat_ok") != "yes" && s.svc.Repeats != nil {
		// Possible repeats (redress repeat.go): the same complainant, a
		// similar text, the same respondent, within the window, best first;
		// the form stops for the receiver when one shares the complainant.
		if found, err := s.svc.Repeats.RepeatCandidates(r.Context(), redress.RepeatDraftOf(n)); err == nil && found.SameComplainant() {
			form.Repeats = found
			return again("", nil)
		} else if err != nil && redress.ErrorCode(err) != redress.EINVALID {
			return err
		}
	}
	c, err := s.svc.Cases.CreateCase(r.Context(), n)
	if err != nil {
		if code := redress.ErrorCode(err); code == redress.EINVALID || code == redress.EFORBIDDEN {
			return again(pageMessage(err), pageFields(err))
		}
		return err
	}
	if scan != nil {
		// The registration form's "kind" is the case's, not the file's: a
		// scanned letter is filed as other material.
		scan.Note, scan.Kind = "信函扫描件", redress.EvidenceOther
		if _, err := s.svc.Evidence.AddEvidence(r.Context(), c.No, *scan); err != nil {
			// The case is registered; the scan can be added on its page.
			t := newT(s.ui.bundle, pageLang(r))
			flash(w, t.Get("new.scan_failed", "Problem", t.Problem(pageMessage(err))))
		}
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.No)+"/receipt", http.StatusSeeOther)
	return nil
}

// newCaseFromForm reads the registration form.
func newCaseFromForm(f url.Values) (redress.NewCase, map[string]string) {
	fields := map[string]string{}
	n := redress.NewCase{Kind: redress.Kind(f.Get("kind")), Channel: redress.Channel(f.Get("channel")),
		Complainant: redress.Complainant{Name: f.Get("name"), IDType: redress.IDType(f.Get("id_type")), IDNumber: f.Get("id_number"),
			Phone: f.Get("phone"), Account: f.Get("account"), OrgName: f.Get("org_name"), CreditCode: f.Get("credit_code"),
			LegalRep: f.Get("legal_rep"), Address: f.Get("address"), Email: f.Get("email"),
			NoticeBy: redress.NoticeMethod(f.Get("notice_by"))},
		Respondent: redress.Respondent{Org: f.Get("respondent_org"), Staff: strings.TrimSpace(f.Get("respondent_staff"))},
		Accusation: f.Get("accusation") == "yes", KeyCustomer: f.Get("key_customer") == "yes",
		Subject: f.Get("subject"), Description: f.Get("description"), Request: f.Get("request"),
		Amount: strings.TrimSpace(f.Get("amount")), CodeA: f.Get("code_a"), CodeB: f.Get("code_b"), CodeC: f.Get("code_c"),
		Risk: redress.RiskLevel(f.Get("risk")), Priority: redress.Priority(f.Get("priority")), Org: f.Get("org"),
		RegulatorRef: strings.TrimSpace(f.Get("regulator_ref")), RegulatorDue: f.Get("regulator_due"),
		MajorCause: redress.MajorCause(f.Get("major_cause"))}
	regulatorFromForm(f, &n) // regulator.go
	if n.Complainant.IDNumber == "" {
		n.Complainant.IDType = ""
	}
	at, err := time.ParseInLocation("2006-01-02T15:04", f.Get("received_at"), redress.Beijing)
	if err != nil {
		fields["received_at"] = "must be a date and time"
	}
	n.ReceivedAt = at
	if n.Channel == redress.ChannelVisit || n.Channel == redress.ChannelCounter {
		// The visit registration: the domain validates it (redress.Visit), as for the API.
		n.Visit = visitFromForm(f, "", "visit_id_type")
	}
	return n, fields
}
