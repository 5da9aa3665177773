package redress

import (
	"fmt"
	"strings"
	"time"
)

// ActionEffect is what an action did to a case besides the case's own
// fields, for the store to persist in the same transaction.
type ActionEffect struct {
	// Entry is "finding" or "note" when the action adds one (its text is the
	// request's Text).
	Entry string
	// Detail is the free text recorded on the audit event: reason, finding, note.
	Detail string
	// Deadline is the deadline history entry the action adds, if any.
	Deadline *DeadlineChange
	// Conflict is set when the actor declared a conflict of interest.
	Conflict bool
	// ToHeadOffice is set when the case reached level 4: the store moves it
	// to the head-office unit (its handler is already cleared).
	ToHeadOffice bool
	// Review is the review the action opened or decided (request_review,
	// decide_review): the store inserts or updates it.
	Review *Review
	// VisitProposal is set when a return visit found the customer
	// dissatisfied: the store tells the unit's managers (return_visit.go).
	VisitProposal bool
	// SurveyToken is the survey link's token the store issued for an
	// attempt of IssueSurvey (set by the store, not by ApplyAction).
	SurveyToken string
}

// ActionInput is what applying an action needs besides the case: the
// request, the acting user, the handler named by the request (accept,
// assign) once the store has found them, the deadline engine in force, and
// the time.
type ActionInput struct {
	Request   *ActionRequest
	Actor     *User
	Handler   *User // the user named by Request.Handler, or the actor for accept without one
	Deadlines *Deadlines
	Now       time.Time
	// ReturnVisits is the return-visit policy in force (close plans a visit by it).
	ReturnVisits ReturnVisitPolicy
}

// ApplyAction performs an action on a case in memory, after Permit and the
// version check: it runs CheckRequest, sets the next status and every field
// the action changes, and returns what the store must persist besides the
// case. It does not bump the version.
func ApplyAction(c *Case, next Status, in ActionInput) (*ActionEffect, error) {
	req := in.Request
	if err := req.CheckRequest(c); err != nil {
		return nil, err
	}
	fx := &ActionEffect{}
	c.Status = next
	switch req.Action {
	case ActionResolveOnSpot:
		if req.Determination.Liability != "" {
			d := req.Determination
			c.Determination = &d
		}
		setReply(c, req, in.Now)
		satisfyReply(c, req)
		if c.Handler == "" {
			c.Handler = in.Actor.Login
		}
	case ActionAccept:
		if err := setHandler(c, in.Handler); err != nil {
			return nil, err
		}
		c.Level = max(c.Level, 2)
		return fx, accept(c, fx, in)
	case ActionContact: // contact.go
		contact(c, fx, in)
	case ActionAssign:
		if err := setHandler(c, in.Handler); err != nil {
			return nil, err
		}
	case ActionEscalate:
		toHQ, err := RaiseLevel(c)
		if err != nil {
			return nil, err
		}
		if toHQ {
			c.Handler, fx.ToHeadOffice = "", true
		}
		fx.Detail = req.Reason
	case ActionInvestigate:
		fx.Entry, fx.Detail = "finding", req.Text
	case ActionRecordRegulatorFinding: // regulator.go
		applyRegulatorFinding(c, req, fx)
	case ActionDetermine:
		d := req.Determination
		c.Determination = &d
	case ActionReply:
		setReply(c, req, in.Now)
		satisfyReply(c, req)
	case ActionSignOff:
		now := in.Now
		c.SignedOffBy, c.SignedOffAt = in.Actor.Login, &now
		fx.Detail = req.Text
	case ActionClose:
		now := in.Now
		c.Satisfaction, c.ClosedAt = req.Satisfaction, &now
		c.ReturnVisit = PlanReturnVisit(c, in.ReturnVisits)
		fx.Detail = req.Text
	case ActionReopen:
		c.SignedOffBy, c.SignedOffAt = "", nil
		c.Satisfaction, c.ClosedAt = "", nil
		if c.ReturnVisit != nil && c.ReturnVisit.Status == VisitOpen {
			c.ReturnVisit.Status = VisitWithdrawn // a visit about a decision being redone asks nothing
		}
		fx.Detail = req.Reason
	case ActionReturnVisit: // return_visit.go
		fx.Detail = string(req.VisitMethod) + " " + string(req.VisitOutcome) + " " + string(req.Satisfaction)
		_, err := c.ReturnVisit.Record(ReturnVisitAttempt{By: in.Actor.Login, At: in.Now, Method: req.VisitMethod,
			Outcome: req.VisitOutcome, Satisfaction: req.Satisfaction, Text: req.Text})
		if err != nil {
			return nil, err
		}
		fx.VisitProposal = c.ReturnVisit.Proposal != "" && c.ReturnVisit.Status == VisitAnswered
	case ActionWithdraw, ActionReject:
		now := in.Now
		c.EndReason, c.ClosedAt = req.Reason, &now
		fx.Detail = req.Reason
	case ActionNote:
		fx.Entry, fx.Detail = "note", req.Text
	case ActionDeclareConflict:
		fx.Conflict, fx.Detail = true, req.Reason
		if c.IsHandler(in.Actor) {
			c.Handler = ""
		}
	case ActionExtend:
		c.DecisionClock = NextDecisionClock(c)
		satisfyReply(c, req)
		return fx, recompute(c, fx, in, DeadlineChange{Reason: req.Reason, Approval: req.Approval, Notice: notice(req)})
	case ActionPause:
		c.PausedSince = DateOf(in.Now).String()
		reason := string(req.Cause) + ": " + req.Reason
		return fx, recompute(c, fx, in, DeadlineChange{Reason: reason, Notice: notice(req)})
	case ActionResume:
		// The decision deadline moves by exactly the calendar days the clock stood still.
		since, err := ParseDate(c.PausedSince)
		if err != nil {
			return nil, fmt.Errorf("case %s paused since: %w", c.No, err)
		}
		days := max(DateOf(in.Now).Sub(since), 0)
		c.PausedDays += days
		c.PausedSince = ""
		reason := strings.TrimSpace(fmt.Sprintf("paused %d days. %s", days, req.Reason))
		return fx, recompute(c, fx, in, DeadlineChange{Reason: reason, Notice: notice(req)})
	case ActionNewFacts:
		// The reply and decision clocks count again from the day the new facts
		// were received; pauses are forgotten; the decision clock in force is kept.
		c.ClockStart, c.DecisionStart, c.PausedDays = DateOf(req.FactsReceivedAt).String(), "", 0
		return fx, recompute(c, fx, in, DeadlineChange{Reason: req.Reason})
	// --- review (核查 / 复查 / 复核): review.go ---
	case ActionRequestReview:
		r, err := openReview(c, in)
		if err != nil {
			return nil, err
		}
		c.Reviews = append(c.Reviews, *r)
		c.Review = c.LastReview()
		fx.Review, fx.Detail = c.Review, string(r.Kind)+", due "+r.Due+": "+req.Text // the store names its unit
	case ActionDecideReview:
		r, err := decideReview(c, in)
		if err != nil {
			return nil, err
		}
		fx.Review, fx.Detail = r, string(r.Kind)+" "+string(r.Result)
		if r.Decision != "" {
			fx.Detail += ": " + r.Decision
		}
		// --- end review ---
	}
	return fx, nil
}

// accept records an acceptance decision and its notice. The notice
// satisfies the reply clock (a petition's acceptance notice, 信访工作条例
// Art.23). A petition's decision: accepted starts its handling clock on the
// day of acceptance (Art.34: 自受理之日起60日内办结); not_accepted rejects it
// and forwarded (转送) closes it, with the reason. A decision or a notice is
// recorded in the deadline history.
func accept(c *Case, fx *ActionEffect, in ActionInput) error {
	req := in.Request
	satisfyReply(c, req)
	if c.Kind != KindPetition && req.NoticeMethod == "" {
		return nil
	}
	reason := req.Reason
	if c.Kind == KindPetition {
		c.AcceptDecision = req.Decision
		if c.AcceptDecision == "" {
			c.AcceptDecision = DecisionAccepted
		}
		now := in.Now
		switch c.AcceptDecision {
		case DecisionAccepted:
			c.DecisionStart = DateOf(in.Now).String()
		case DecisionNotAccepted:
			c.Status, c.EndReason, c.ClosedAt = StatusRejected, req.Reason, &now
		case DecisionForwarded:
			c.Status, c.EndReason, c.ClosedAt = StatusClosed, req.Reason, &now
		}
		reason = strings.TrimSpace(string(c.AcceptDecision) + ". " + req.Reason)
	}
	return recompute(c, fx, in, DeadlineChange{Reason: reason, Notice: notice(req)})
}

// satisfyReply marks the case's reply clock satisfied by the notice of the
// request, unless an earlier answer satisfied it already.
func satisfyReply(c *Case, req *ActionRequest) {
	n := notice(req)
	if n == nil || c.ReplySatisfiedAt != nil {
		return
	}
	at := n.At
	c.ReplySatisfiedAt, c.ReplySatisfiedBy = &at, req.Action
}

// setHandler makes h the case's handler, if they may handle it (MayHandle).
func setHandler(c *Case, h *User) error {
	if h == nil {
		return &Error{Code: EINVALID, Message: "invalid input", Fields: map[string]string{"handler": "required"}}
	}
	if why := MayHandle(h, c); why != "" {
		return &Error{Code: EINVALID, Message: "invalid input", Fields: map[string]string{"handler": why}}
	}
	c.Handler = h.Login
	return nil
}

// setReply records the reply of the request on the case.
func setReply(c *Case, req *ActionRequest, now time.Time) {
	reply := req.Reply
	reply.NoticeAt = reply.NoticeAt.UTC().Truncate(time.Microsecond)
	if reply.Remedies == nil {
		reply.Remedies = []Remedy{}
	}
	c.Reply, c.RepliedAt = &reply, &now
}

// notice returns the notice to the customer the request records, if any.
func notice(req *ActionRequest) *NoticeRecord {
	if req.NoticeMethod == "" {
		return nil
	}
	return &NoticeRecord{Method: req.NoticeMethod, At: req.NoticeAt.UTC().Truncate(time.Microsecond), Proof: req.NoticeProof}
}

// recompute sets the case's due dates from its clocks and fills the
// deadline history entry of the action.
func recompute(c *Case, fx *ActionEffect, in ActionInput, change DeadlineChange) error {
	change.Before = c.DecisionDue
	if err := in.Deadlines.Apply(c); err != nil {
		return err
	}
	change.After, change.At, change.Actor, change.Clock = c.DecisionDue, in.Now, in.Actor.Login, c.DecisionClock
	change.Action = string(in.Request.Action)
	fx.Deadline, fx.Detail = &change, change.Reason
	return nil
}
