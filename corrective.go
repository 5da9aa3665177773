package redress

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A corrective action (整改) is what a unit does about the cause of its
// complaints, tracked until it is shown to work: CBIRC Order 2020 No.3 Art.9
// (溯源整改) and the bank's rules (seeds 001, 002 Art.7(五), 003: 查找原因、
// 落实整改、举一反三). It is opened from a root cause, a set of cases, a
// report figure or an incident; it names the problem, the measures, an owner
// (a unit and a person in it) and a due date; the owner records progress and
// then what was done; a manager above the owner verifies it against the
// system's count of the cases with the same cause and business in the unit
// for the months after, beside the same months before. An ineffective
// verification sends it back, with a new due date.

// The notices of corrective actions, in-app.
const (
	NotifyCorrectiveOpened  NotifyKind = "corrective_opened"  // to the owner and the owner unit's managers
	NotifyCorrectiveDone    NotifyKind = "corrective_done"    // to the managers: verify it
	NotifyCorrectiveBack    NotifyKind = "corrective_back"    // to the owner: found ineffective
	NotifyCorrectiveOverdue NotifyKind = "corrective_overdue" // to the owner and the superior's managers
	// NotifyOpinionBookMissed: to the managers above an outlet that has not
	// checked its opinion book for OpinionBookEscalateDays working days.
	NotifyOpinionBookMissed NotifyKind = "opinion_book_missed"
)

// CorrectiveStatus is where a corrective action stands.
type CorrectiveStatus string

// The statuses of a corrective action.
const (
	CorrectiveOpen     CorrectiveStatus = "open"     // 整改中: the owner is at work
	CorrectiveDone     CorrectiveStatus = "done"     // 待验证: the owner reports it done, with what was done
	CorrectiveVerified CorrectiveStatus = "verified" // 已验证有效: a manager signed that it worked
)

// CorrectiveStatuses lists every status.
var CorrectiveStatuses = []CorrectiveStatus{CorrectiveOpen, CorrectiveDone, CorrectiveVerified}

// Valid reports whether s is a known status.
func (s CorrectiveStatus) Valid() bool { return oneOf(s, CorrectiveStatuses) }

// CorrectiveSource says what a corrective action was opened from.
type CorrectiveSource string

// The sources of a corrective action.
const (
	SourceRootCause CorrectiveSource = "root_cause" // a root cause found in determinations (the code list R)
	SourceCases     CorrectiveSource = "cases"      // a set of cases
	SourceReport    CorrectiveSource = "report"     // a figure of the statistics or a regulator's form
	SourceIncident  CorrectiveSource = "incident"   // an emergency incident (突发事件)
)

// CorrectiveSources lists every source.
var CorrectiveSources = []CorrectiveSource{SourceRootCause, SourceCases, SourceReport, SourceIncident}

// Effect windows: the months of cases counted before and after the action,
// DefaultEffectMonths unless the action says otherwise.
const (
	DefaultEffectMonths = 3
	MaxEffectMonths     = 12
)

// MaxCorrectiveCases bounds the cases one action links.
const MaxCorrectiveCases = 200

// CorrectiveAction is one corrective action as stored and answered.
type CorrectiveAction struct {
	ID      int64            `json:"id"`
	Ref     string           `json:"ref"` // ZG-000012, as people quote it
	Status  CorrectiveStatus `json:"status"`
	Version int              `json:"version"`
	Source  CorrectiveSource `json:"source"`
	// SourceNote names the report figure or incident the action came from.
	SourceNote string `json:"source_note,omitempty"`
	// RootCauseCode (list R) and CodeB (the JR/T business) are what the
	// effect is counted by; either may be empty (then not narrowed by it).
	RootCauseCode string   `json:"root_cause_code,omitempty"`
	CodeB         string   `json:"code_b,omitempty"`
	Cases         []string `json:"cases"` // tracking numbers of the linked cases
	Org           string   `json:"org"`   // the owner unit's code
	OrgName       string   `json:"org_name"`
	OrgPath       string   `json:"-"`
	Owner         string   `json:"owner"` // login of the person responsible, in the owner unit
	Problem       string   `json:"problem"`
	Measures      string   `json:"measures"`
	Due           Date     `json:"due"`
	EffectMonths  int      `json:"effect_months"`
	Progress      []Entry  `json:"progress"`
	// Done: what was done, as its evidence, and when the owner reported it.
	Evidence string     `json:"evidence,omitempty"`
	DoneAt   *time.Time `json:"done_at,omitempty"`
	DoneBy   string     `json:"done_by,omitempty"`
	// Verifications, oldest first: each with the effect it was signed on.
	Verifications []CorrectiveVerification `json:"verifications"`
	CreatedBy     string                   `json:"created_by"`
	CreatedAt     time.Time                `json:"created_at"`
	UpdatedAt     time.Time                `json:"updated_at"`
	// Overdue is set on every answer: open (or sent back) past its due date.
	Overdue bool `json:"overdue"`
	// Accountability lists the accountability measures (问责) the linked
	// cases' determinations took, those the reader may see.
	Accountability []CorrectiveAccountability `json:"accountability"`
}

// CorrectiveAccountability is the accountability measure of one linked
// case's determination.
type CorrectiveAccountability struct {
	Case    string                `json:"case"`
	Measure AccountabilityMeasure `json:"measure"`
	Staff   string                `json:"staff,omitempty"`
}

// CorrectiveVerification is one verification of a corrective action: the
// effect the system counted, and the manager's finding.
type CorrectiveVerification struct {
	By        string           `json:"by"`
	At        time.Time        `json:"at"`
	Effective bool             `json:"effective"`
	Note      string           `json:"note"`
	Effect    CorrectiveEffect `json:"effect"`
	// NewDue is the due date set when it was found ineffective.
	NewDue Date `json:"new_due,omitempty"`
}

// CorrectiveEffect is the count of the cases with the action's cause and
// business in its unit's subtree, received in the months before the action
// was opened and in as many months after it was done (or up to today when
// that window has not ended), so a manager can see whether it worked.
type CorrectiveEffect struct {
	Months       int  `json:"months"`
	BeforeFrom   Date `json:"before_from"`
	BeforeTo     Date `json:"before_to"`
	Before       int  `json:"before"`
	AfterFrom    Date `json:"after_from"`
	AfterTo      Date `json:"after_to"`
	After        int  `json:"after"`
	AfterPartial bool `json:"after_partial"` // the after window has not ended yet: counted up to today
	// AfterNotStarted: the after window starts after today (the action was
	// done today, or is not done yet): nothing is counted after.
	AfterNotStarted bool `json:"after_not_started"`
	// Fewer says whether the after count is below the before count, scaled
	// to the days counted when the window is partial.
	Fewer bool `json:"fewer"`
}

// EffectWindows returns the windows an action's effect is counted in:
// before = the months whole months before opened (ending the day before),
// after = as many months from the day after done (or, before it is done,
// from today), cut at today when they have not ended.
func EffectWindows(months int, opened, done, today Date) (beforeFrom, beforeTo, afterFrom, afterTo Date, partial bool) {
	if months <= 0 {
		months = DefaultEffectMonths
	}
	beforeTo = opened.AddDays(-1)
	beforeFrom = opened.AddMonths(-months)
	afterFrom = done.AddDays(1)
	afterTo = done.AddMonths(months)
	if afterTo.After(today) {
		afterTo, partial = today, true
	}
	return
}

// FinishEffect sets Fewer: the after count is below the before count, the
// before count scaled by the days the after window covers when it is
// partial (an after window of 10 days is not compared with 90 days whole).
func (e *CorrectiveEffect) FinishEffect() {
	beforeDays := e.BeforeTo.Sub(e.BeforeFrom) + 1
	afterDays := e.AfterTo.Sub(e.AfterFrom) + 1
	e.AfterNotStarted = afterDays <= 0
	if afterDays <= 0 || beforeDays <= 0 {
		e.Fewer = false
		return
	}
	// after/afterDays < before/beforeDays, in integers.
	e.Fewer = e.After*beforeDays < e.Before*afterDays
}

// ExportCorrective names the corrective actions in an export's audit event.
const ExportCorrective = "corrective"

// CorrectiveRef is the reference people quote for an action: ZG-000012.
func CorrectiveRef(id int64) string { return fmt.Sprintf("ZG-%06d", id) }

// ParseCorrectiveRef reads a reference (ZG-000012) or a bare number.
func ParseCorrectiveRef(s string) (int64, bool) { return parseRef("ZG-", s) }

// parseRef reads a register's reference (its prefix, then the number) or a
// bare number: the id it names, if any.
func parseRef(prefix, s string) (int64, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), prefix)
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// MarkOverdue sets Overdue as of today.
func (a *CorrectiveAction) MarkOverdue(today Date) {
	a.Overdue = a.Status == CorrectiveOpen && a.Due.Before(today)
}

// MaySeeCorrective reports whether u sees an action: the owner always (who
// may sit in a unit below the owner unit), everyone else when the owner
// unit is in their scope.
func MaySeeCorrective(a *CorrectiveAction, u *User) bool {
	return u != nil && (u.Login == a.Owner || InSubtree(a.OrgPath, u.OrgPath))
}

// MayOpenCorrective reports whether a role opens corrective actions and
// verifies them: the complaint managers, the unit heads and head office
// (the people the rules make answer for 整改).
func MayOpenCorrective(r Role) bool {
	return r == RoleManager || r == RoleBranchHead || r == RoleHQService
}

// NewCorrectiveAction is a corrective action as it is opened.
type NewCorrectiveAction struct {
	Source        CorrectiveSource `json:"source"`
	SourceNote    string           `json:"source_note,omitempty"`
	RootCauseCode string           `json:"root_cause_code,omitempty"`
	CodeB         string           `json:"code_b,omitempty"`
	Cases         []string         `json:"cases,omitempty"`
	Org           string           `json:"org"`
	Owner         string           `json:"owner"`
	Problem       string           `json:"problem"`
	Measures      string           `json:"measures"`
	Due           string           `json:"due"`                     // YYYY-MM-DD
	EffectMonths  int              `json:"effect_months,omitempty"` // 1–12; 0 means DefaultEffectMonths
}

// Validate checks an action as it is opened, every problem at once; today
// is the Beijing date (a due date is today or later). It trims the texts and
// sets the default effect window.
func (n *NewCorrectiveAction) Validate(today Date) error {
	var p Problems
	if !oneOf(n.Source, CorrectiveSources) {
		p.AddKey("source", ProblemChoice, valueList(CorrectiveSources))
	}
	n.Problem, n.Measures, n.SourceNote = strings.TrimSpace(n.Problem), strings.TrimSpace(n.Measures), strings.TrimSpace(n.SourceNote)
	checkText(&p, "problem", n.Problem, 2, 2000)
	checkText(&p, "measures", n.Measures, 2, 4000)
	checkText(&p, "source_note", n.SourceNote, 0, 500)
	if strings.TrimSpace(n.Org) == "" {
		p.AddKey("org", ProblemRequired)
	}
	if strings.TrimSpace(n.Owner) == "" {
		p.AddKey("owner", ProblemRequired)
	}
	if d, err := ParseDate(n.Due); err != nil {
		p.AddKey("due", ProblemDate)
	} else if d.Before(today) {
		p.AddKey("due", ProblemBeforeToday)
	}
	if n.EffectMonths == 0 {
		n.EffectMonths = DefaultEffectMonths
	}
	if n.EffectMonths < 1 || n.EffectMonths > MaxEffectMonths {
		p.AddKey("effect_months", ProblemRange, "1", strconv.Itoa(MaxEffectMonths))
	}
	switch n.Source {
	case SourceRootCause:
		if n.RootCauseCode == "" {
			p.AddKey("root_cause_code", ProblemRequired)
		}
	case SourceCases:
		if len(n.Cases) == 0 {
			p.AddKey("cases", ProblemRequired)
		}
	case SourceReport, SourceIncident:
		if n.SourceNote == "" {
			p.AddKey("source_note", ProblemRequired)
		}
	}
	if len(n.Cases) > MaxCorrectiveCases {
		p.AddKey("cases", ProblemRange, "0", strconv.Itoa(MaxCorrectiveCases))
	}
	seen := map[string]bool{}
	cases := n.Cases[:0:0]
	for _, no := range n.Cases {
		no = strings.TrimSpace(no)
		if no == "" || seen[no] {
			continue
		}
		if !ValidTrackingNumber(no) {
			p.AddKey("cases", ProblemNoSuchCase, no)
			continue
		}
		seen[no] = true
		cases = append(cases, no)
	}
	n.Cases = cases
	return p.Err()
}

// CorrectiveStep is a step a corrective action takes after it is opened.
type CorrectiveStep string

// The steps.
const (
	StepProgress CorrectiveStep = "progress" // the owner (or a manager) records progress
	StepDone     CorrectiveStep = "done"     // the owner reports it done, with what was done
	StepVerify   CorrectiveStep = "verify"   // a manager above the owner signs the effect
)

// CorrectiveSteps lists every step.
var CorrectiveSteps = []CorrectiveStep{StepProgress, StepDone, StepVerify}

// CorrectiveRequest is one step, at the version the caller saw.
type CorrectiveRequest struct {
	Step    CorrectiveStep `json:"step"`
	Version int            `json:"version"`
	Text    string         `json:"text,omitempty"` // progress; what was done; the verification's note
	// Effective is the verification's finding; NewDue the new due date when
	// it is not effective (YYYY-MM-DD, today or later).
	Effective *bool  `json:"effective,omitempty"`
	NewDue    string `json:"new_due,omitempty"`
}

// CorrectiveRule checks a step against the action, the acting user and
// today, every problem at once where they are the caller's input. It is the
// one guard of a step: the store calls it inside the transaction, the pages
// call it to offer only the steps it allows (CorrectiveStepsFor).
func CorrectiveRule(a *CorrectiveAction, u *User, req CorrectiveRequest, today Date) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	owner := u.Login == a.Owner
	if !MaySeeCorrective(a, u) {
		return Errorf(ENOTFOUND, "corrective action %s not found", a.Ref)
	}
	switch req.Step {
	case StepProgress, StepDone:
		if !owner && !MayOpenCorrective(u.Role) {
			return Errorf(EFORBIDDEN, "only the owner %s or a manager of %s records the action's progress", a.Owner, a.Org)
		}
		if a.Status != CorrectiveOpen {
			return Errorf(ECONFLICT, "corrective action %s is %s: progress is recorded while it is open", a.Ref, a.Status)
		}
	case StepVerify:
		if !MayOpenCorrective(u.Role) {
			return Errorf(EFORBIDDEN, "role %s does not verify corrective actions", u.Role)
		}
		if owner || u.Login == a.DoneBy {
			return Errorf(EFORBIDDEN, "the owner does not verify their own action: a manager above them signs it")
		}
		if a.Status != CorrectiveDone {
			return Errorf(ECONFLICT, "corrective action %s is %s: it is verified once it is reported done", a.Ref, a.Status)
		}
	default:
		var p Problems
		p.AddKey("step", ProblemChoice, valueList(CorrectiveSteps))
		return p.Err()
	}
	var p Problems
	text := strings.TrimSpace(req.Text)
	switch req.Step {
	case StepProgress, StepDone:
		checkText(&p, "text", text, 2, 4000)
	case StepVerify:
		checkText(&p, "text", text, 0, 2000)
		if req.Effective == nil {
			p.AddKey("effective", ProblemRequired)
		} else if !*req.Effective {
			if d, err := ParseDate(req.NewDue); err != nil {
				p.AddKey("new_due", ProblemDate)
			} else if d.Before(today) {
				p.AddKey("new_due", ProblemBeforeToday)
			}
		}
	}
	return p.Err()
}

// CorrectiveStepsFor lists the steps u may take on a now, as CorrectiveRule
// allows them (the text and dates aside).
func CorrectiveStepsFor(a *CorrectiveAction, u *User, today Date) []CorrectiveStep {
	yes, note := true, "xx"
	var out []CorrectiveStep
	for _, step := range CorrectiveSteps {
		req := CorrectiveRequest{Step: step, Version: a.Version, Text: note, Effective: &yes}
		if err := CorrectiveRule(a, u, req, today); err == nil {
			out = append(out, step)
		}
	}
	return out
}

// CorrectiveFilter narrows a list of corrective actions.
type CorrectiveFilter struct {
	Org     string           // the unit's subtree; "" the caller's scope
	Status  CorrectiveStatus // "" any
	Overdue bool             // only open ones past their due date
	Limit   int              // 1–200, default 50
	Before  int64            // cursor: actions with a smaller id
}

// Validate checks a list's filter, every problem at once, and sets the
// default limit (50).
func (f *CorrectiveFilter) Validate() error {
	var p Problems
	if f.Status != "" && !f.Status.Valid() {
		p.AddKey("status", ProblemChoice, valueList(CorrectiveStatuses))
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 200 {
		p.AddKey("limit", ProblemRange, "1", "200")
	}
	return p.Err()
}

// CorrectivePage is a page of corrective actions, newest first.
type CorrectivePage struct {
	Actions    []*CorrectiveAction `json:"actions"`
	NextBefore int64               `json:"next_before,omitempty"`
}

// CorrectiveSummary counts the corrective actions of a unit's subtree, for
// the statistics page: open (of them overdue), awaiting verification,
// verified, and of the verified those whose effect showed fewer cases.
type CorrectiveSummary struct {
	Open       int `json:"open"`
	Overdue    int `json:"overdue"`
	Done       int `json:"done"`
	Verified   int `json:"verified"`
	Effective  int `json:"effective"`  // verified with fewer cases after than before
	SentBack   int `json:"sent_back"`  // verifications found ineffective
	OpenedFrom int `json:"opened_for"` // actions opened in the period
}

// CorrectiveService keeps the corrective actions. Every method checks the
// acting user's role and scope (the owner unit's subtree); an action outside
// the scope is not found.
type CorrectiveService interface {
	// OpenCorrective opens an action (managers, unit heads, head office);
	// the owner must be a user of the owner unit, the unit in the caller's
	// scope, the cases in scope; audited as corrective.open; the owner's
	// unit managers and the owner are told in-app.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	OpenCorrective(ctx context.Context, n NewCorrectiveAction) (*CorrectiveAction, error)
	// Corrective reads one action.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	Corrective(ctx context.Context, id int64) (*CorrectiveAction, error)
	// ListCorrective lists actions in scope, newest first.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	ListCorrective(ctx context.Context, f CorrectiveFilter) (*CorrectivePage, error)
	// Effect counts the action's effect as of today, as the verification
	// step shows it.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	Effect(ctx context.Context, id int64) (*CorrectiveEffect, error)
	// StepCorrective takes one step at the version the caller saw (a stale
	// version is ECONFLICT), audited as corrective.<step>.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	StepCorrective(ctx context.Context, id int64, req CorrectiveRequest) (*CorrectiveAction, error)
	// CorrectiveSummary counts the actions of a unit's subtree (the
	// caller's unit when org is ""), those opened in [from, to] apart.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ENOTFOUND.
	CorrectiveSummary(ctx context.Context, org string, from, to Date) (*CorrectiveSummary, error)
	// CorrectiveOfCase lists the actions that link a case, those the
	// caller may see.
	// Errors: EUNAUTHORIZED, EFORBIDDEN.
	CorrectiveOfCase(ctx context.Context, no string) ([]*CorrectiveAction, error)
}
