package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"redress"
)

// dueLine is how a list shows one case's deadline.
type dueLine struct {
	Case  *redress.Case
	Left  string // 剩余 2 个工作日 / 已超期 1 天
	Late  bool
	Reply bool // the branch reply is late while the decision is not
}

// workbench is the data of the workbench page.
type workbench struct {
	Mine     map[redress.Status]int
	Unit     map[redress.Status]int
	Statuses []redress.Status
	Overdue  []dueLine
	DueSoon  []dueLine
	List     []dueLine
	Next     string
	Codes    []*redress.Code
	Kinds    []redress.Kind
	Channels []redress.Channel
}

func (s *Server) handleWorkbench(w http.ResponseWriter, r *http.Request) error {
	u := redress.UserFrom(r.Context())
	if !u.Role.ReadsCases() {
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
		return nil
	}
	ctx := r.Context()
	t := newT(s.ui.bundle, pageLang(r))
	f, err := caseFilterFrom(r)
	if err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = 25
	}
	cals, err := s.svc.Deadlines.Calendars(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	wb := &workbench{Statuses: redress.Statuses, Kinds: redress.Kinds, Channels: redress.Channels}
	if wb.Mine, err = s.svc.Cases.CountCases(ctx, redress.CaseFilter{Handler: u.Login}); err != nil {
		return err
	}
	if wb.Unit, err = s.svc.Cases.CountCases(ctx, redress.CaseFilter{}); err != nil {
		return err
	}
	yes, no := true, false
	overdue, err := s.svc.Cases.ListCases(ctx, redress.CaseFilter{Overdue: &yes, Sort: "due", Limit: 10})
	if err != nil {
		return err
	}
	soonBy := today(now).AddDays(3)
	if cal, err := cals.Calendar(redress.RegionCN); err == nil {
		if d, err := cal.AddWorkdays(today(now), 2); err == nil {
			soonBy = d
		}
	}
	soon, err := s.svc.Cases.ListCases(ctx, redress.CaseFilter{Overdue: &no, DueBy: soonBy.String(), Sort: "due", Limit: 10})
	if err != nil {
		return err
	}
	list, err := s.svc.Cases.ListCases(ctx, f)
	if err != nil {
		return err
	}
	wb.Overdue, wb.DueSoon, wb.List = dueLines(t, cals, now, overdue.Cases), dueLines(t, cals, now, soon.Cases), dueLines(t, cals, now, list.Cases)
	wb.Next = list.NextCursor
	if wb.Codes, err = s.svc.Codes.ListCodes(ctx, ""); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "workbench", &pageData{T: t, Title: "workbench.title", Data: wb})
	return nil
}

// dueLines words each case's time left against its decision deadline:
// working days by the PRC calendar, or calendar days where it has no data.
func dueLines(t *T, cals redress.Calendars, now time.Time, cases []*redress.Case) []dueLine {
	lines := make([]dueLine, 0, len(cases))
	day := today(now)
	cal, _ := cals.Calendar(redress.RegionCN)
	for _, c := range cases {
		line := dueLine{Case: c, Reply: c.ReplyOverdue && !c.Overdue}
		due, err := redress.ParseDate(c.DecisionDue)
		switch {
		case !c.Status.Open() || err != nil:
		case c.PausedSince != "":
			line.Left = t.Get("due.paused")
		case due.Before(day):
			line.Late, line.Left = true, t.Get("due.late", "N", day.Sub(due))
		default:
			if n, err := cal.CountWorkdays(day, due); cal != nil && err == nil {
				line.Left = t.Get("due.workdays_left", "N", n)
			} else {
				line.Left = t.Get("due.days_left", "N", due.Sub(day))
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// casePage is the data of the case page.
type casePage struct {
	Case     *redress.Case
	Events   []*redress.Event
	Actions  []redress.Action
	Users    []*redress.User
	Revealed *redress.Revealed
	Conflict string // a version conflict to explain: who changed the case
	Now      string // for the datetime-local defaults
	Remedies []redress.Remedy
	Notices  []redress.NoticeMethod
	Sats     []redress.Satisfaction
	Liab     []redress.Liability
	Outcomes []redress.Outcome
	Causes   []redress.PauseCause
	Evidence []*redress.Evidence
	Archived bool // closed, withdrawn or rejected: no more evidence
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
		Now: time.Now().In(redress.Beijing).Format("2006-01-02T15:04"), Remedies: redress.Remedies,
		Notices: redress.NoticeMethods, Sats: redress.Satisfactions, Liab: redress.Liabilities, Outcomes: redress.Outcomes,
		Causes: redress.PauseCauses}
	if p.Evidence, err = s.svc.Evidence.ListEvidence(ctx, no); err != nil {
		return nil, err
	}
	p.Archived = c.Status == redress.StatusClosed || c.Status == redress.StatusWithdrawn || c.Status == redress.StatusRejected
	if containsAction(p.Actions, redress.ActionAccept) || containsAction(p.Actions, redress.ActionAssign) {
		if p.Users, err = s.svc.Users.ListUsers(ctx, redress.UserFilter{}); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) handleCasePage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadCasePage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "case", &pageData{Title: "case.title", Data: p})
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
	if _, ok := redress.Lifecycle[action]; !ok || action == redress.ActionRegister {
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
	d := &pageData{Title: "case.title", Data: p, Error: redress.ErrorMessage(err), Fields: redress.ErrorFields(err), Form: form}
	if code == redress.ECONFLICT && redress.ErrorFields(err)["version"] != "" {
		p.Conflict = redress.ErrorMessage(err)
	}
	s.render(w, r, http.StatusOK, "case", d) // the form comes back with its problem, as a page
	return nil
}

// actionFromForm reads an action's fields from its form.
func actionFromForm(action redress.Action, f url.Values) (redress.ActionRequest, error) {
	req := redress.ActionRequest{Action: action, Handler: f.Get("handler"), Reason: f.Get("reason"), Text: f.Get("text"),
		Satisfaction: redress.Satisfaction(f.Get("satisfaction")), Approval: f.Get("approval"), Cause: redress.PauseCause(f.Get("cause"))}
	fields := map[string]string{}
	var err error
	if req.Version, err = strconv.Atoi(f.Get("version")); err != nil {
		fields["version"] = "missing"
	}
	req.Determination = redress.Determination{Liability: redress.Liability(f.Get("liability")),
		ResponsibleParty: f.Get("responsible_party"), RootCause: f.Get("root_cause"), Accountability: f.Get("accountability")}
	req.Reply = redress.Reply{Facts: f.Get("facts"), Basis: f.Get("basis"), Outcome: redress.Outcome(f.Get("outcome")),
		Redress: f.Get("redress"), RedressPaid: strings.TrimSpace(f.Get("redress_amount")),
		NoticeMethod: redress.NoticeMethod(f.Get("notice_method")), NoticeProof: f.Get("notice_proof")}
	for _, v := range f["remedies"] {
		req.Remedies = append(req.Remedies, redress.Remedy(v))
	}
	for name, dst := range map[string]*time.Time{"notice_at": &req.NoticeAt, "facts_received_at": &req.FactsReceivedAt} {
		if v := f.Get(name); v != "" {
			if *dst, err = time.ParseInLocation("2006-01-02T15:04", v, redress.Beijing); err != nil {
				fields[name] = "must be a date and time"
			}
		}
	}
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
	d := &pageData{Title: "case.title", Data: p, Form: r.PostForm}
	if err != nil {
		if redress.ErrorCode(err) == redress.EINTERNAL {
			return err
		}
		d.Error, d.Fields = redress.ErrorMessage(err), redress.ErrorFields(err)
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
	s.render(w, r, http.StatusOK, "receipt", &pageData{Title: "receipt.title", Data: c})
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
	s.render(w, r, http.StatusOK, name, &pageData{Title: "print.title", Data: p})
	return nil
}

// newCaseForm is the data of the registration page.
type newCaseForm struct {
	Kinds    []redress.Kind
	Channels []redress.Channel
	IDTypes  []redress.IDType
	Codes    []*redress.Code
	Orgs     []*redress.OrgUnit
	Repeats  []*redress.Case // earlier cases of the same complainant
	Risks    []redress.RiskLevel
	Prios    []redress.Priority
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
		Risks: redress.RiskLevels, Prios: redress.Priorities}, nil
}

func (s *Server) handleNewCasePage(w http.ResponseWriter, r *http.Request) error {
	if !redress.MayRegister(redress.UserFrom(r.Context()).Role) {
		return redress.Errorf(redress.EFORBIDDEN, "your role does not register cases")
	}
	form, err := s.newCaseForm(r)
	if err != nil {
		return err
	}
	now := time.Now().In(redress.Beijing).Format("2006-01-02T15:04")
	values := url.Values{"kind": {"complaint"}, "channel": {r.URL.Query().Get("channel")}, "received_at": {now}}
	if values.Get("channel") == "" {
		values.Set("channel", "counter")
	}
	s.render(w, r, http.StatusOK, "new", &pageData{Title: "new.title", Data: form, Form: values})
	return nil
}

// handleNewCaseSubmit registers a case from the form. Until the receiver
// confirms that the problem was restated to the customer, and whenever the
// input has a problem, the form comes back as typed; a possible repeat
// complaint by the same complainant is shown for the receiver to confirm.
func (s *Server) handleNewCaseSubmit(w http.ResponseWriter, r *http.Request) error {
	scan, err := evidenceFromRequest(w, r, "scan")
	if err != nil {
		return err
	}
	f := r.PostForm
	form, err := s.newCaseForm(r)
	if err != nil {
		return err
	}
	n, fields := newCaseFromForm(f)
	if f.Get("restated") != "yes" {
		fields["restated"] = "new.restate_required"
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
	if f.Get("repeat_ok") != "yes" && (n.Complainant.Phone != "" || n.Complainant.IDNumber != "") {
		page, err := s.svc.Cases.ListCases(r.Context(), redress.CaseFilter{Phone: n.Complainant.Phone, Limit: 5})
		if err == nil && n.Complainant.Phone == "" {
			page.Cases = nil
		}
		if n.Complainant.IDNumber != "" {
			if byID, err2 := s.svc.Cases.ListCases(r.Context(), redress.CaseFilter{IDNumber: n.Complainant.IDNumber, Limit: 5}); err2 == nil {
				page = mergePages(page, byID)
			}
		}
		if page != nil && len(page.Cases) > 0 {
			form.Repeats = page.Cases
			return again("", nil)
		}
	}
	c, err := s.svc.Cases.CreateCase(r.Context(), n)
	if err != nil {
		if code := redress.ErrorCode(err); code == redress.EINVALID || code == redress.EFORBIDDEN {
			return again(redress.ErrorMessage(err), redress.ErrorFields(err))
		}
		return err
	}
	if scan != nil {
		scan.Note = "信函扫描件"
		if _, err := s.svc.Evidence.AddEvidence(r.Context(), c.No, *scan); err != nil {
			// The case is registered; the scan can be added on its page.
			flash(w, newT(s.ui.bundle, pageLang(r)).Get("new.scan_failed", "Problem", redress.ErrorMessage(err)))
		}
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.No)+"/receipt", http.StatusSeeOther)
	return nil
}

func mergePages(a, b *redress.CasePage) *redress.CasePage {
	if a == nil {
		return b
	}
	seen := map[string]bool{}
	for _, c := range a.Cases {
		seen[c.No] = true
	}
	for _, c := range b.Cases {
		if !seen[c.No] {
			a.Cases = append(a.Cases, c)
		}
	}
	return a
}

// newCaseFromForm reads the registration form.
func newCaseFromForm(f url.Values) (redress.NewCase, map[string]string) {
	fields := map[string]string{}
	n := redress.NewCase{Kind: redress.Kind(f.Get("kind")), Channel: redress.Channel(f.Get("channel")),
		Complainant: redress.Complainant{Name: f.Get("name"), IDType: redress.IDType(f.Get("id_type")), IDNumber: f.Get("id_number"),
			Phone: f.Get("phone"), Account: f.Get("account"), OrgName: f.Get("org_name"), CreditCode: f.Get("credit_code"),
			LegalRep: f.Get("legal_rep")},
		Respondent: redress.Respondent{Org: f.Get("respondent_org"), Staff: strings.TrimSpace(f.Get("respondent_staff"))},
		Accusation: f.Get("accusation") == "yes",
		Subject:    f.Get("subject"), Description: f.Get("description"), Request: f.Get("request"),
		Amount: strings.TrimSpace(f.Get("amount")), CodeA: f.Get("code_a"), CodeB: f.Get("code_b"), CodeC: f.Get("code_c"),
		Risk: redress.RiskLevel(f.Get("risk")), Priority: redress.Priority(f.Get("priority")), Org: f.Get("org"),
		RegulatorRef: strings.TrimSpace(f.Get("regulator_ref")), RegulatorDue: f.Get("regulator_due")}
	if n.Complainant.IDNumber == "" {
		n.Complainant.IDType = ""
	}
	at, err := time.ParseInLocation("2006-01-02T15:04", f.Get("received_at"), redress.Beijing)
	if err != nil {
		fields["received_at"] = "must be a date and time"
	}
	n.ReceivedAt = at
	if n.Channel == redress.ChannelVisit || n.Channel == redress.ChannelCounter {
		details := []string{}
		if f.Get("id_checked") == "yes" {
			details = append(details, "身份证件已核验")
		}
		if f.Get("security_checked") == "yes" {
			details = append(details, "已安检")
		}
		if v := f.Get("visitors"); v != "" {
			count, err := strconv.Atoi(v)
			if err != nil || count < 1 || count > 1000 {
				fields["visitors"] = "must be 1 to 1000"
			} else {
				details = append(details, "来访人数 "+v)
				if count >= 5 {
					reps, err := strconv.Atoi(f.Get("representatives"))
					if err != nil || reps < 1 || reps > 5 {
						fields["representatives"] = "new.representatives_rule"
					} else {
						details = append(details, "代表人数 "+strconv.Itoa(reps))
					}
				}
			}
		}
		if len(details) > 0 {
			n.Description = strings.TrimSpace(n.Description) + "\n\n【来访登记】" + strings.Join(details, "；")
		}
	}
	return n, fields
}
