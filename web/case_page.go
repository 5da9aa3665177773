package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"redress"
)

// casePageRoutes are the case page, its forms, the receipt and the printed forms.
func (s *Server) casePageRoutes() []route {
	return []route{
		{method: "GET", path: "/cases/{no}", access: pageAuth, handle: s.handleCasePage},
		{method: "POST", path: "/cases/{no}/act/{action}", access: pageAuth, handle: s.handleCaseActSubmit},
		{method: "POST", path: "/cases/{no}/reveal", access: pageAuth, handle: s.handleRevealSubmit},
		{method: "GET", path: "/cases/{no}/receipt", access: pageAuth, handle: s.handleReceiptPage},
		{method: "GET", path: "/cases/{no}/print/{form}", access: pageAuth, handle: s.handlePrintPage},
	}
}

// casePage is the data of the case page.
type casePage struct {
	Case     *redress.Case
	Events   []*redress.Event
	Actions  []redress.Action
	Users    []*redress.User
	Revealed *redress.Revealed
	Conflict string // a version conflict to explain: who changed the case
	// Warnings are the case's due-date warnings by meaning, for T.Problem
	// ("#key|args"; redress.Deadlines.DueWarnings), when it has a DueWarning.
	Warnings []string
	Now      string // for the datetime-local defaults
	Remedies []redress.Remedy
	Notices  []redress.NoticeMethod
	// Decisions are a petition's acceptance decisions (accept).
	Decisions []redress.AcceptDecision
	Sats      []redress.Satisfaction
	Liab      []redress.Liability
	Outcomes  []redress.Outcome
	Causes    []redress.PauseCause
	Evidence  []*redress.Evidence
	Archived  bool // closed, withdrawn or rejected: no more evidence
	// RootCauses (the code list R) and Measures are the determination's
	// choices (redress accountability.go); RootCauseName names the case's.
	RootCauses    []*redress.Code
	Measures      []redress.AccountabilityMeasure
	RootCauseName string

	Review reviewPage // review.go: the reviewing unit, the next review, the results

	// Corrective lists the corrective actions (整改) linking the case;
	// CorrectiveLink opens one from it, filled with its cause, business
	// and unit, when the user may open one and the case is determined.
	Corrective []*redress.CorrectiveAction
	// Incidents are the emergency incidents (突发事件) linking the case.
	Incidents      []*redress.Incident
	CorrectiveLink string

	// referral.go: the case's referrals beyond the bank, whether the user
	// may record one, the form's choices and the mediation body the bank
	// names (admin data) to fill it with.
	Referrals                       []redress.Referral
	MayRefer                        bool
	ReferralKinds                   []redress.ReferralKind
	ReferralAnswers                 []redress.ReferralOutcome
	MediationName, MediationContact string

	// retention.go: the case's legal holds and whether the user may place one.
	Holds   []redress.LegalHold
	MayHold bool
	// reception.go: the reception visit the case was registered from, and
	// the kinds of evidence file (笔录, 录音, 录像).
	Reception     *redress.ReceptionVisit
	EvidenceKinds []redress.EvidenceKind

	// return_visit.go: the attempt's choices, and the survey link just issued.
	VisitMethods  []redress.ReturnVisitMethod
	VisitOutcomes []redress.ReturnVisitOutcome
	SurveyLink    string

	// customer_notice.go: the notices to the customer with their proof, a
	// preview just asked for, and the form's choices.
	CustomerNotices []*redress.CustomerNotice
	NoticePreview   *redress.CustomerNotice
	NoticeKinds     []redress.CustomerNoticeKind
	NoticeMethodsTo []redress.NoticeMethod
	// NoticeTasks marks the notices waiting for a staff member: a letter to
	// print and post, a call or a talk to record (redress.NoticeTask).
	NoticeTasks map[int64]bool
	NoticeLangs []string
}

func (s *Server) loadCasePage(r *http.Request) (*casePage, error) {
	ctx := r.Context()
	no := r.PathValue("no")
	c, err := s.svc.Cases.Case(ctx, no)
	if err != nil {
		return nil, err
	}
	events, err := s.svc.Cases.CaseEvents(ctx, no)
	if err != nil {
		return nil, err
	}
	u := redress.UserFrom(ctx)
	p := &casePage{Case: c, Events: events, Actions: redress.AvailableActions(c, u),
		Now: s.now().In(redress.Beijing).Format("2006-01-02T15:04"), Remedies: redress.Remedies,
		Notices: redress.NoticeMethods, Sats: redress.Satisfactions, Liab: redress.Liabilities, Outcomes: redress.Outcomes,
		Causes: redress.PauseCauses, Decisions: redress.AcceptDecisions,
		VisitMethods: redress.ReturnVisitMethods, VisitOutcomes: []redress.ReturnVisitOutcome{redress.VisitReached, redress.VisitNoAnswer}}
	if p.Evidence, err = s.svc.Evidence.ListEvidence(ctx, no); err != nil {
		return nil, err
	}
	p.Archived = c.Status.Archived()
	if p.Warnings, err = s.dueWarnings(ctx, c); err != nil {
		return nil, err
	}
	if p.Review, err = s.loadReviewPage(ctx, c); err != nil { // review.go
		return nil, err
	}
	if s.svc.Notices != nil { // customer_notice.go
		if p.CustomerNotices, err = s.svc.Notices.ListNotices(ctx, no); err != nil {
			return nil, err
		}
		p.NoticeKinds, p.NoticeMethodsTo, p.NoticeLangs = redress.CustomerNoticeKinds, redress.CustomerNoticeMethods, redress.NoticeLangs
		p.NoticeTasks = map[int64]bool{}
		for _, n := range p.CustomerNotices {
			p.NoticeTasks[n.ID] = redress.NoticeTask(n)
		}
	}
	if err := s.loadDeterminationChoices(ctx, p, pageLang(r)); err != nil {
		return nil, err
	}
	if err := s.loadCorrective(ctx, p, u); err != nil {
		return nil, err
	}
	if s.svc.Incidents != nil { // incident.go
		if p.Incidents, err = s.svc.Incidents.IncidentsOfCase(ctx, no); err != nil {
			return nil, err
		}
	}
	if err := s.loadReferrals(ctx, p, u); err != nil {
		return nil, err
	}
	if err := s.loadHolds(r, p, u); err != nil { // retention.go
		return nil, err
	}
	p.EvidenceKinds = redress.EvidenceKinds
	if s.svc.Reception != nil {
		if p.Reception, err = s.svc.Reception.VisitOfCase(ctx, no); err != nil {
			return nil, err
		}
	}
	if slices.Contains(p.Actions, redress.ActionAccept) || slices.Contains(p.Actions, redress.ActionAssign) ||
		slices.Contains(p.Actions, redress.ActionDetermine) || slices.Contains(p.Actions, redress.ActionResolveOnSpot) {
		if p.Users, err = s.svc.Users.ListUsers(ctx, redress.UserFilter{}); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// loadCorrective reads the corrective actions that link the case and, for
// a user who opens them, the link that opens one from a determined case.
func (s *Server) loadCorrective(ctx context.Context, p *casePage, u *redress.User) error {
	if s.svc.Corrective == nil {
		return nil
	}
	list, err := s.svc.Corrective.CorrectiveOfCase(ctx, p.Case.No)
	if err != nil {
		return err
	}
	p.Corrective = list
	if d := p.Case.Determination; d != nil && u != nil && redress.MayOpenCorrective(u.Role) {
		org := p.Case.Respondent.Org
		if org == "" {
			org = p.Case.OriginOrg
		}
		q := url.Values{"source": {string(redress.SourceCases)}, "cases": {p.Case.No}, "root_cause_code": {d.RootCauseCode},
			"code_b": {p.Case.CodeB}, "org": {org}}
		p.CorrectiveLink = "/corrective/new?" + q.Encode()
	}
	return nil
}

// loadReferrals reads the case's referrals and, for a user who records
// them, the form's choices filled with the bank's mediation body.
func (s *Server) loadReferrals(ctx context.Context, p *casePage, u *redress.User) error {
	if s.svc.Referrals == nil {
		return nil
	}
	list, err := s.svc.Referrals.Referrals(ctx, p.Case.No)
	if err != nil {
		return err
	}
	p.Referrals, p.MayRefer = list, redress.MayRefer(u, p.Case)
	p.ReferralKinds, p.ReferralAnswers = redress.ReferralKinds, redress.ReferralAnswers
	if p.MayRefer && s.svc.Settings != nil {
		m, err := s.svc.Settings.MediationBody(ctx)
		if err != nil {
			return err
		}
		if m != nil {
			p.MediationName, p.MediationContact = m.Name, m.Contact
		}
	}
	return nil
}

// dueWarnings words the warnings of a case's due dates by meaning, from the
// calendars and policies in force (the English DueWarning was recorded when
// the dates were computed; a warning that no longer holds is not shown).
func (s *Server) dueWarnings(ctx context.Context, c *redress.Case) ([]string, error) {
	if c.DueWarning == "" {
		return nil, nil
	}
	cals, err := s.svc.Deadlines.Calendars(ctx)
	if err != nil {
		return nil, err
	}
	policies, err := s.svc.Deadlines.Policies(ctx)
	if err != nil {
		return nil, err
	}
	d := redress.Deadlines{Calendars: cals, Policies: policies}
	reasons, err := d.DueWarnings(c)
	if err != nil {
		return nil, nil // the dates stand as recorded; the English warning is shown
	}
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = "#" + strings.Join(append([]string{r.Key}, r.Args...), "|")
	}
	return out, nil
}

// loadDeterminationChoices reads the root-cause list when the page shows
// a determination or offers one, and names the case's root cause.
func (s *Server) loadDeterminationChoices(ctx context.Context, p *casePage, lang string) error {
	d := p.Case.Determination
	if d == nil && !slices.Contains(p.Actions, redress.ActionDetermine) && !slices.Contains(p.Actions, redress.ActionResolveOnSpot) {
		return nil
	}
	codes, err := s.svc.Codes.ListCodes(ctx, redress.DimensionRootCause)
	if err != nil {
		return err
	}
	for _, c := range codes {
		if c.Active {
			p.RootCauses = append(p.RootCauses, c)
		}
		if d != nil && c.Code == d.RootCauseCode {
			p.RootCauseName = c.Name
			if lang == "en" {
				p.RootCauseName = c.NameEN
			}
		}
	}
	p.Measures = redress.AccountabilityMeasures
	return nil
}

func (s *Server) handleCasePage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadCasePage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "case", &pageData{Title: "case.title", Data: p, About: p.Case})
	return nil
}

// handleCaseActSubmit takes one action from its form. A problem re-renders
// the case page with the form as typed and the problem named; a version
// conflict says who changed the case.
func (s *Server) handleCaseActSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read", nil)
	}
	action := redress.Action(r.PathValue("action"))
	if !action.OnCase() {
		return redress.Errorf(redress.ENOTFOUND, "unknown action %q", action)
	}
	req, perr := actionFromForm(action, r.PostForm)
	var err error
	if perr == nil {
		_, err = s.svc.Cases.Act(r.Context(), r.PathValue("no"), req)
	} else {
		err = perr
	}
	if err == nil {
		t := newT(s.ui.bundle, pageLang(r))
		flash(w, t.Get("case.done", "Action", t.Label("action", action)))
		http.Redirect(w, r, "/cases/"+url.PathEscape(r.PathValue("no")), http.StatusSeeOther)
		return nil
	}
	code := redress.ErrorCode(err)
	if code != redress.EINVALID && code != redress.ECONFLICT && code != redress.EFORBIDDEN {
		return err
	}
	p, lerr := s.loadCasePage(r)
	if lerr != nil {
		return lerr
	}
	form := r.PostForm
	form.Set("_action", string(action))
	d := &pageData{Title: "case.title", Data: p, Error: pageMessage(err), Fields: pageFields(err), Form: form, About: p.Case}
	if code == redress.ECONFLICT && redress.ErrorFields(err)["version"] != "" {
		p.Conflict, d.Error, d.Fields = d.Error, "", nil // said once, in the conflict's own box
	}
	s.render(w, r, http.StatusOK, "case", d) // the form comes back with its problem, as a page
	return nil
}

// actionFromForm reads an action's fields from its form.
func actionFromForm(action redress.Action, f url.Values) (redress.ActionRequest, error) {
	req := redress.ActionRequest{Action: action, Handler: f.Get("handler"), Reason: f.Get("reason"), Text: f.Get("text"),
		Satisfaction: redress.Satisfaction(f.Get("satisfaction")), Approval: f.Get("approval"), Cause: redress.PauseCause(f.Get("cause")),
		AgreedReplyDate: f.Get("agreed_reply_date"), Decision: redress.AcceptDecision(f.Get("decision"))}
	fields := map[string]string{}
	var err error
	if req.Version, err = strconv.Atoi(f.Get("version")); err != nil {
		fields["version"] = "missing"
	}
	req.RegulatorFindingInput = regulatorFindingFromForm(f) // regulator.go
	req.Determination = redress.Determination{Liability: redress.Liability(f.Get("liability")),
		ResponsibleParty: f.Get("responsible_party"), RootCause: f.Get("root_cause"), Accountability: f.Get("accountability"),
		RootCauseCode: f.Get("root_cause_code"), AccountabilityMeasure: redress.AccountabilityMeasure(f.Get("accountability_measure")),
		AccountableStaff: f.Get("accountable_staff")}
	req.Reply = redress.Reply{Facts: f.Get("facts"), Basis: f.Get("basis"), Outcome: redress.Outcome(f.Get("outcome")),
		Redress: f.Get("redress"), RedressPaid: strings.TrimSpace(f.Get("redress_amount")),
		NoticeMethod: redress.NoticeMethod(f.Get("notice_method")), NoticeProof: f.Get("notice_proof")}
	for _, v := range f["remedies"] {
		req.Remedies = append(req.Remedies, redress.Remedy(v))
	}
	for name, dst := range map[string]*time.Time{"notice_at": &req.NoticeAt, "facts_received_at": &req.FactsReceivedAt} {
		if name == "notice_at" && f.Get("notice_method") == "" && f.Get("notice_proof") == "" {
			continue // the form prefills the time: no method and no proof is no notice
		}
		if v := f.Get(name); v != "" {
			if *dst, err = time.ParseInLocation("2006-01-02T15:04", v, redress.Beijing); err != nil {
				fields[name] = "must be a date and time"
			}
		}
	}
	reviewFromForm(&req, f, fields) // review.go
	req.ReturnVisitRequest = redress.ReturnVisitRequest{VisitMethod: redress.ReturnVisitMethod(f.Get("visit_method")),
		VisitOutcome: redress.ReturnVisitOutcome(f.Get("visit_outcome"))} // return_visit.go
	if len(fields) > 0 {
		return req, invalid("invalid input", fields)
	}
	return req, nil
}

func (s *Server) handleRevealSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return invalid("the form could not be read", nil)
	}
	revealed, err := s.svc.Cases.Reveal(r.Context(), r.PathValue("no"), redress.RevealRequest{
		Field: redress.PIIField(r.PostForm.Get("field")), Reason: r.PostForm.Get("reason")})
	p, lerr := s.loadCasePage(r)
	if lerr != nil {
		return lerr
	}
	d := &pageData{Title: "case.title", Data: p, Form: r.PostForm, About: p.Case}
	if err != nil {
		if redress.ErrorCode(err) == redress.EINTERNAL {
			return err
		}
		d.Error, d.Fields = pageMessage(err), pageFields(err)
		s.render(w, r, http.StatusOK, "case", d)
		return nil
	}
	p.Revealed = revealed
	s.render(w, r, http.StatusOK, "case", d)
	return nil
}

func (s *Server) handleReceiptPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Cases.Case(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	d := &pageData{Title: "receipt.heading", Data: c, About: c}
	if err := s.caseIncident(r.Context(), c); err != nil {
		return err
	}
	if err := s.printNames(r.Context(), d, c); err != nil {
		return err
	}
	if err := s.printFooter(r, d, c); err != nil { // notice_template.go
		return err
	}
	s.render(w, r, http.StatusOK, "receipt", d)
	return nil
}

// printNames fills what a print needs to name the bank, people and units:
// the bank's profile, the names of the users the printer may list (others
// stay as logins) and of every unit.
func (s *Server) printNames(ctx context.Context, d *pageData, c *redress.Case) error {
	d.People = s.userNames(ctx, c.FirstResponder, c.Handler, c.SignedOffBy)
	if s.svc.Settings != nil {
		b, err := s.svc.Settings.BankProfile(ctx)
		if err != nil {
			return err
		}
		d.Bank = b
	}
	orgs, err := s.svc.Orgs.ListOrgs(ctx)
	if err != nil {
		return err
	}
	d.Units = make(map[string]string, len(orgs))
	for _, o := range orgs {
		d.Units[o.Code] = o.Name
	}
	return nil
}

func (s *Server) handlePrintPage(w http.ResponseWriter, r *http.Request) error {
	name := map[string]string{"registration": "print_registration", "decision": "print_decision"}[r.PathValue("form")]
	if name == "" {
		return redress.Errorf(redress.ENOTFOUND, "no printed form %s", r.PathValue("form"))
	}
	p, err := s.loadCasePage(r)
	if err != nil {
		return err
	}
	if name == "print_decision" && p.Case.Reply == nil {
		return redress.Errorf(redress.ECONFLICT, "case %s has no reply yet", p.Case.No)
	}
	d := &pageData{Title: map[string]string{"print_registration": "print.registration", "print_decision": "print.decision"}[name], Data: p, About: p.Case}
	if err := s.printNames(r.Context(), d, p.Case); err != nil {
		return err
	}
	if err := s.printFooter(r, d, p.Case); err != nil { // notice_template.go
		return err
	}
	s.render(w, r, http.StatusOK, name, d)
	return nil
}

// caseIncident sets the case's incident to the first emergency incident
// linking it that the reader may see (the receipt after registering names
// the incident a major complaint opened).
func (s *Server) caseIncident(ctx context.Context, c *redress.Case) error {
	if s.svc.Incidents == nil || !c.MajorComplaint {
		return nil
	}
	list, err := s.svc.Incidents.IncidentsOfCase(ctx, c.No)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		c.Incident = list[0].Ref
	}
	return nil
}
