package redress

import "time"

// Status is where a case stands in its lifecycle.
type Status string

// The statuses.
const (
	StatusRegistered    Status = "registered"    // 已登记
	StatusAccepted      Status = "accepted"      // 已受理
	StatusInvestigating Status = "investigating" // 调查中
	StatusReplied       Status = "replied"       // 已答复
	StatusSignedOff     Status = "signed_off"    // 已签字确认
	StatusClosed        Status = "closed"        // 已办结
	StatusWithdrawn     Status = "withdrawn"     // 已撤回
	StatusRejected      Status = "rejected"      // 不予受理
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{StatusRegistered, StatusAccepted, StatusInvestigating, StatusReplied,
	StatusSignedOff, StatusClosed, StatusWithdrawn, StatusRejected}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return oneOf(s, Statuses) }

// OpenStatuses are the statuses in which the customer is still waiting for
// the bank's answer and the reply and decision clocks run. This list is the
// one definition: SQL that needs it is generated from it.
var OpenStatuses = []Status{StatusRegistered, StatusAccepted, StatusInvestigating}

// ArchivedStatuses are the statuses that end a case's file: closed,
// withdrawn, rejected. An archived file takes no more evidence.
var ArchivedStatuses = []Status{StatusClosed, StatusWithdrawn, StatusRejected}

// Open reports whether the customer is still waiting for the bank's answer
// (one of OpenStatuses).
func (s Status) Open() bool { return oneOf(s, OpenStatuses) }

// Archived reports whether the case's file is closed for good (one of
// ArchivedStatuses): no more evidence until it is reopened.
func (s Status) Archived() bool { return oneOf(s, ArchivedStatuses) }

// Action is one step a user takes on a case.
type Action string

// The actions.
const (
	ActionRegister      Action = "register"
	ActionResolveOnSpot Action = "resolve_on_spot"
	ActionAccept        Action = "accept"
	ActionAssign        Action = "assign"
	ActionEscalate      Action = "escalate"
	ActionInvestigate   Action = "investigate"
	ActionDetermine     Action = "determine"
	ActionReply         Action = "reply"
	ActionSignOff       Action = "sign_off"
	ActionClose         Action = "close"
	ActionReopen        Action = "reopen"
	ActionWithdraw      Action = "withdraw"
	ActionReject        Action = "reject"
	ActionNote          Action = "note"
	// ActionDeclareConflict records the acting user's conflict of interest:
	// from then on they may not handle or sign off the case.
	ActionDeclareConflict Action = "declare_conflict"
	// ActionExtend steps the decision clock up to the next longer clock.
	ActionExtend Action = "extend"
	// ActionPause stops the decision clock for an appraisal or a mediation.
	ActionPause Action = "pause"
	// ActionResume restarts a paused clock; the deadline moves by the days paused.
	ActionResume Action = "resume"
	// ActionNewFacts restarts the clocks from the receipt of new facts or grounds.
	ActionNewFacts Action = "new_facts"
	// ActionContact records the first contact with the customer (what was
	// said, how, when, the proof, the reply date agreed): it satisfies the
	// branch-reply clock.
	ActionContact Action = "contact"

	// --- review (核查 / 复查 / 复核): review.go ---

	// ActionRequestReview records the customer's request for a review of the
	// decision by the superior institution (核查, 复查, 复核).
	ActionRequestReview Action = "request_review"
	// ActionDecideReview records the superior institution's review opinion.
	ActionDecideReview Action = "decide_review"
	// --- end review ---

	// ActionReturnVisit records one attempt of a closed case's return visit
	// (回访, return_visit.go): how, what came of it, the customer's satisfaction.
	ActionReturnVisit Action = "return_visit"
)

// Actions lists every action in the order a case usually meets them.
var Actions = []Action{ActionRegister, ActionResolveOnSpot, ActionAccept, ActionAssign, ActionEscalate,
	ActionInvestigate, ActionDetermine, ActionReply, ActionSignOff, ActionClose, ActionReopen,
	ActionWithdraw, ActionReject, ActionNote, ActionDeclareConflict, ActionExtend, ActionPause, ActionResume, ActionNewFacts, ActionContact,
	ActionRequestReview, ActionDecideReview, // review
	ActionRecordRegulatorFinding, // regulator.go
	ActionReturnVisit,            // return_visit.go
}

// OnCase reports whether a is an action taken on an existing case: a known
// action other than register.
func (a Action) OnCase() bool {
	_, ok := Lifecycle[a]
	return ok && a != ActionRegister
}

// CaseActions lists the actions taken on an existing case: every action but
// register, in the order of Actions.
func CaseActions() []Action {
	out := make([]Action, 0, len(Actions)-1)
	for _, a := range Actions {
		if a != ActionRegister {
			out = append(out, a)
		}
	}
	return out
}

// Rule says who may take an action, from which statuses, and where it leads.
type Rule struct {
	From    []Status // statuses the action may start from; empty for register
	To      Status   // the status after the action; "" when it stays
	Roles   []Role   // roles that may take it on any case in their scope
	Handler bool     // the case's handler may also take it, whatever their role
	Fields  []string // the request fields the action accepts besides version
}

var (
	caseRoles    = []Role{RoleStaff, RoleManager, RoleBranchHead, RoleHQService}
	managerRoles = []Role{RoleManager, RoleBranchHead, RoleHQService}
	signRoles    = []Role{RoleBranchHead, RoleHQService}

	determinationFields = []string{"liability", "responsible_party", "root_cause", "accountability",
		"root_cause_code", "accountability_measure", "accountable_staff"} // accountability.go
	noticeFields = []string{"notice_method", "notice_at", "notice_proof"}
	replyFields  = []string{"facts", "basis", "outcome", "redress", "redress_amount", "remedies",
		"notice_method", "notice_at", "notice_proof"}
)

// Lifecycle is the transition table: the whole of what may happen to a case.
var Lifecycle = map[Action]Rule{
	ActionRegister: {To: StatusRegistered, Roles: caseRoles},
	ActionResolveOnSpot: {From: []Status{StatusRegistered}, To: StatusReplied, Roles: caseRoles,
		Fields: append(append([]string{}, determinationFields...), replyFields...)},
	// A petition's accept carries its written decision and the notice of it;
	// not_accepted leads to rejected and forwarded to closed (ApplyAction).
	ActionAccept: {From: []Status{StatusRegistered}, To: StatusAccepted, Roles: managerRoles,
		Fields: append([]string{"handler", "decision", "reason"}, noticeFields...)},
	ActionAssign: {From: []Status{StatusAccepted, StatusInvestigating}, Roles: managerRoles,
		Fields: []string{"handler"}},
	ActionEscalate: {From: OpenStatuses, Roles: caseRoles, Fields: []string{"reason"}},
	ActionInvestigate: {From: []Status{StatusAccepted, StatusInvestigating}, To: StatusInvestigating,
		Roles: managerRoles, Handler: true, Fields: []string{"text"}},
	ActionDetermine: {From: []Status{StatusAccepted, StatusInvestigating}, To: StatusInvestigating,
		Roles: managerRoles, Handler: true, Fields: determinationFields},
	ActionReply: {From: []Status{StatusInvestigating}, To: StatusReplied, Roles: managerRoles,
		Handler: true, Fields: replyFields},
	ActionSignOff: {From: []Status{StatusReplied}, To: StatusSignedOff, Roles: signRoles,
		Fields: []string{"text"}},
	ActionClose: {From: []Status{StatusSignedOff}, To: StatusClosed, Roles: managerRoles,
		Fields: []string{"satisfaction", "text"}},
	ActionReopen: {From: []Status{StatusReplied, StatusSignedOff, StatusClosed}, To: StatusInvestigating,
		Roles: managerRoles, Fields: []string{"reason"}},
	ActionWithdraw: {From: OpenStatuses, To: StatusWithdrawn, Roles: caseRoles, Fields: []string{"reason"}},
	ActionReject: {From: []Status{StatusRegistered, StatusAccepted}, To: StatusRejected, Roles: managerRoles,
		Fields: []string{"reason"}},
	ActionNote:            {From: Statuses, Roles: caseRoles, Handler: true, Fields: []string{"text"}},
	ActionDeclareConflict: {From: append(append([]Status{}, OpenStatuses...), StatusReplied, StatusSignedOff), Roles: caseRoles, Fields: []string{"reason"}},
	ActionExtend: {From: OpenStatuses, Roles: managerRoles,
		Fields: append([]string{"reason", "approval"}, noticeFields...)},
	ActionPause: {From: OpenStatuses, Roles: managerRoles, Handler: true,
		Fields: append([]string{"cause", "reason"}, noticeFields...)},
	ActionResume: {From: OpenStatuses, Roles: managerRoles, Handler: true,
		Fields: append([]string{"reason"}, noticeFields...)},
	ActionNewFacts: {From: OpenStatuses, Roles: caseRoles, Handler: true,
		Fields: []string{"reason", "facts_received_at"}},
	ActionContact: {From: OpenStatuses, Roles: caseRoles, Handler: true,
		Fields: append([]string{"text", "agreed_reply_date"}, noticeFields...)},

	// --- review (核查 / 复查 / 复核): review.go ---
	ActionRequestReview: {From: reviewStatuses, Roles: caseRoles, Fields: []string{"received_at", "text"}},
	ActionDecideReview: {From: reviewStatuses, Roles: managerRoles,
		Fields: append([]string{"process", "timeliness", "merits", "result", "text"}, noticeFields...)},
	// --- end review ---
	ActionRecordRegulatorFinding: {From: Statuses, Roles: managerRoles, Handler: true, Fields: regulatorFindingFields},
	// return_visit.go: an attempt of the return visit of a closed case.
	ActionReturnVisit: {From: []Status{StatusClosed}, Roles: caseRoles, Handler: true,
		Fields: []string{"visit_method", "visit_outcome", "satisfaction", "text"}},
}

// reviewStatuses are the statuses of a decided case whose decision may be
// reviewed (核查, 复查, 复核).
var reviewStatuses = []Status{StatusReplied, StatusSignedOff, StatusClosed}

// Transition checks that a user with the given role (and whether they are
// the case's handler) may take action a on a case in status from, and returns
// the status after it. A role that may not take the action at all is
// EFORBIDDEN; an action not allowed in the current status is ECONFLICT naming
// the status. Register is not a transition of an existing case.
func Transition(a Action, from Status, role Role, isHandler bool) (Status, error) {
	rule, ok := Lifecycle[a]
	if !ok || a == ActionRegister {
		return "", Errorf(EINVALID, "unknown action %q", a)
	}
	if !oneOf(role, rule.Roles) && !(rule.Handler && isHandler && role.ReadsCases() && role != RoleAuditor) {
		return "", Errorf(EFORBIDDEN, "role %s may not %s a case", role, a)
	}
	if !oneOf(from, rule.From) {
		return "", Errorf(ECONFLICT, "action %s is not allowed in status %s", a, from)
	}
	if rule.To == "" {
		return from, nil
	}
	return rule.To, nil
}

// MayRegister reports whether the role may register cases.
func MayRegister(role Role) bool { return oneOf(role, Lifecycle[ActionRegister].Roles) }

// ActionRequest is the input of one lifecycle action. Which fields an action
// takes is listed in its Rule; the others must stay empty.
type ActionRequest struct {
	Action       Action       `json:"-"`
	Version      int          `json:"version"`
	Handler      string       `json:"handler,omitempty"`
	Reason       string       `json:"reason,omitempty"`
	Text         string       `json:"text,omitempty"`
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	Approval     string       `json:"approval,omitempty"` // extend: the approval's reference (审批单号)
	Cause        PauseCause   `json:"cause,omitempty"`    // pause: appraisal or mediation
	// FactsReceivedAt is when new facts or grounds reached the bank (new_facts).
	FactsReceivedAt time.Time `json:"facts_received_at,omitempty"`
	// AgreedReplyDate is the reply date agreed with the customer (contact), YYYY-MM-DD.
	AgreedReplyDate string `json:"agreed_reply_date,omitempty"`
	// Decision is a petition's acceptance decision (accept); "" is accepted.
	Decision AcceptDecision `json:"decision,omitempty"`
	// --- review (request_review, decide_review): review.go ---
	ReceivedAt       time.Time    `json:"received_at,omitempty"` // request_review: when the request reached the bank
	ReviewProcess    string       `json:"process,omitempty"`     // decide_review: the check of the process
	ReviewTimeliness string       `json:"timeliness,omitempty"`  // decide_review: the check of timeliness
	ReviewMerits     string       `json:"merits,omitempty"`      // decide_review: the check of the result
	ReviewResult     ReviewResult `json:"result,omitempty"`      // decide_review: upheld, changed, partly
	// --- end review ---
	Determination
	Reply
	RegulatorFindingInput // record_regulator_finding (regulator.go)
	ReturnVisitRequest    // return_visit (return_visit.go)
}

// Validate checks the request's own fields for its action, given the current time.
func (r *ActionRequest) Validate(now time.Time) error {
	var p Problems
	// A review request only adds a review (one at a time, NextReviewKind):
	// its version may be left out, so that a unit that cannot see the case
	// can record it (MayReceiveReviewRequest).
	if r.Version < 1 && (r.Action != ActionRequestReview || r.Version < 0) {
		p.Add("version", "required: the version of the case you are acting on")
	}
	switch r.Action {
	case ActionAccept:
		switch r.Decision {
		case "", DecisionAccepted:
			checkText(&p, "reason", r.Reason, 0, 2000)
		case DecisionNotAccepted, DecisionForwarded:
			checkText(&p, "reason", r.Reason, 2, 2000)
		default:
			p.AddKey("decision", ProblemOneOf, "accepted, not_accepted, forwarded")
		}
		if r.NoticeMethod != "" || !r.NoticeAt.IsZero() || r.NoticeProof != "" {
			r.Reply.validateNotice(&p, now)
		}
	case ActionContact:
		checkText(&p, "text", r.Text, 2, 20000)
		r.Reply.validateNotice(&p, now)
		if r.AgreedReplyDate != "" {
			agreed, err := ParseDate(r.AgreedReplyDate)
			switch {
			case err != nil:
				p.AddKey("agreed_reply_date", ProblemDate)
			case !r.NoticeAt.IsZero() && agreed.Before(DateOf(r.NoticeAt)):
				p.Add("agreed_reply_date", "is before the day the customer was told ("+DateOf(r.NoticeAt).String()+")")
			}
		}
	case ActionAssign:
		if r.Handler == "" {
			p.Add("handler", "required: the login of the new handler")
		}
	case ActionEscalate, ActionReopen, ActionWithdraw, ActionReject, ActionDeclareConflict:
		checkText(&p, "reason", r.Reason, 2, 2000)
	case ActionInvestigate, ActionNote:
		checkText(&p, "text", r.Text, 2, 20000)
	case ActionDetermine:
		r.Determination.validate(&p)
	case ActionRecordRegulatorFinding: // regulator.go
		r.RegulatorFindingInput.validate(&p, now)
	case ActionReply:
		r.Reply.validate(&p, now)
	case ActionResolveOnSpot:
		r.Reply.validate(&p, now)
		if r.Liability != "" || r.RootCause != "" {
			r.Determination.validate(&p)
		}
	case ActionExtend:
		checkText(&p, "reason", r.Reason, 2, 2000)
		checkText(&p, "approval", r.Approval, 0, 200)
		if r.NoticeMethod != "" || !r.NoticeAt.IsZero() || r.NoticeProof != "" {
			r.Reply.validateNotice(&p, now)
		}
	case ActionPause:
		if !oneOf(r.Cause, PauseCauses) {
			p.Add("cause", "required: appraisal (鉴定/检测/评估) or mediation (调解); nothing else stops the clock")
		}
		checkText(&p, "reason", r.Reason, 2, 2000)
		r.Reply.validateNotice(&p, now)
	case ActionResume:
		checkText(&p, "reason", r.Reason, 0, 2000)
		r.Reply.validateNotice(&p, now)
	case ActionNewFacts:
		checkText(&p, "reason", r.Reason, 2, 2000)
		switch {
		case r.FactsReceivedAt.IsZero():
			p.Add("facts_received_at", "required: when the new facts or grounds reached the bank")
		case r.FactsReceivedAt.After(now.Add(5 * time.Minute)):
			p.AddKey("facts_received_at", ProblemFuture)
		}
	case ActionClose:
		// Closing does not wait for the customer's answer: the return visit
		// asks it (return_visit.go). An answer given at closing is recorded.
		if r.Satisfaction != "" && !oneOf(r.Satisfaction, Satisfactions) {
			p.AddKey("satisfaction", ProblemOneOf, "satisfied, basically_satisfied, dissatisfied, unreachable")
		}
		checkText(&p, "text", r.Text, 0, 5000)
	case ActionReturnVisit:
		r.validateAttempt(&p)
	case ActionSignOff:
		checkText(&p, "text", r.Text, 0, 5000)
	// --- review ---
	case ActionRequestReview:
		r.validateReviewRequest(&p, now)
	case ActionDecideReview:
		r.validateReviewDecision(&p, now)
		// --- end review ---
	}
	return p.Err()
}

func (d *Determination) validate(p *Problems) {
	if !oneOf(d.Liability, Liabilities) {
		p.Add("liability", "required: bank_fault, no_fault or partial")
	}
	checkText(p, "responsible_party", d.ResponsibleParty, 0, 200)
	checkText(p, "root_cause", d.RootCause, 2, 2000)
	checkText(p, "accountability", d.Accountability, 0, 2000)
	d.validateCodes(p) // accountability.go
	if d.Liability != LiabilityNoFault && d.Liability != "" && d.ResponsibleParty == "" {
		p.Add("responsible_party", "required when the bank is at fault")
	}
}

func (r *Reply) validate(p *Problems, now time.Time) {
	checkText(p, "facts", r.Facts, 2, 20000)
	checkText(p, "basis", r.Basis, 2, 20000)
	if !oneOf(r.Outcome, Outcomes) {
		p.Add("outcome", "required: upheld, partly_upheld or not_upheld")
	}
	checkText(p, "redress", r.Redress, 0, 5000)
	if r.RedressPaid != "" {
		if _, err := ParseAmount(r.RedressPaid); err != nil {
			p.Add("redress_amount", err.Error())
		}
	}
	for _, remedy := range r.Remedies {
		if !oneOf(remedy, Remedies) {
			p.Add("remedies", "each must be review, mediation, arbitration or litigation")
		}
	}
	r.validateNotice(p, now)
}

// validateNotice checks the notice to the customer: method, time, proof.
func (r *Reply) validateNotice(p *Problems, now time.Time) {
	if !oneOf(r.NoticeMethod, NoticeMethods) {
		p.Add("notice_method", "required: in_person, phone, sms, letter, email or app")
	}
	if r.NoticeAt.IsZero() {
		p.Add("notice_at", "required: when the customer was told")
	} else if r.NoticeAt.After(now.Add(5 * time.Minute)) {
		p.AddKey("notice_at", ProblemFuture)
	}
	checkText(p, "notice_proof", r.NoticeProof, 2, 2000)
}
