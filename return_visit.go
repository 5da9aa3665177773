package redress

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"time"
)

// Return visits (回访): after a case is closed the bank asks the customer
// whether they are satisfied with how it was handled (seed 000 4.4 反馈和回访:
// 对于重要客户及处理结果较长的问题，可以进行回访; seed 001 满意确认; seed 004
// 客户离开后，应通过电话或短信等方式进行后续的客户满意度调查). Which cases get one
// and when is the bank's policy (admin data); closing never waits for it.

// ReturnVisitPolicy decides which closed cases get a return visit and when.
type ReturnVisitPolicy struct {
	// Enabled turns return visits on; off, no case gets one.
	Enabled bool `json:"enabled"`
	// From is the day the delay counts from: "close" (the day the case was
	// closed) or "reply" (the day the decision was notified).
	From string `json:"from"`
	// DelayDays is how many calendar days after From the visit is due.
	DelayDays int `json:"delay_days"`
	// The cases that always get one: forwarded by a regulator; the customer
	// dissatisfied or unreachable at closing; closed without the customer's
	// answer; decided more than LongerThanDays after receipt (0: none by
	// duration); a key customer's (Case.KeyCustomer).
	Regulator      bool `json:"regulator"`
	Dissatisfied   bool `json:"dissatisfied"`
	Unasked        bool `json:"unasked"`
	LongerThanDays int  `json:"longer_than_days"`
	KeyCustomers   bool `json:"key_customers"`
	// SamplePercent of the other closed cases get one, drawn by the case's
	// tracking number (ReturnVisitSample), so the draw is the same each time.
	SamplePercent int `json:"sample_percent"`
	// Attempts is how many unanswered attempts end the task as unreachable.
	Attempts int `json:"attempts"`
	// SurveyDays is how long an SMS survey link may be answered.
	SurveyDays int `json:"survey_days"`
	// Script is what the staff member says (回访话术), shown on the task.
	Script string `json:"script"`
}

// The days a return visit's delay counts from.
const (
	ReturnVisitFromClose = "close"
	ReturnVisitFromReply = "reply"
)

// DefaultReturnVisitPolicy is the policy until an admin sets one: every
// regulator-forwarded case, every dissatisfied, unreachable or unasked
// customer, every case decided after more than 15 days (Order 2020 No.3
// Art.18's decision clock), every key customer and one in ten of the rest,
// 3 days after closing, 3 attempts, a survey link valid 7 days.
func DefaultReturnVisitPolicy() ReturnVisitPolicy {
	return ReturnVisitPolicy{Enabled: true, From: ReturnVisitFromClose, DelayDays: 3, Regulator: true, Dissatisfied: true,
		Unasked: true, LongerThanDays: 15, KeyCustomers: true, SamplePercent: 10, Attempts: 3, SurveyDays: 7,
		Script: "您好，这里是本行客户服务回访。您此前反映的问题已处理完毕，请问您对处理过程和结果是否满意？"}
}

// Validate checks a policy, every problem at once.
func (p *ReturnVisitPolicy) Validate() error {
	var pr Problems
	if p.From != ReturnVisitFromClose && p.From != ReturnVisitFromReply {
		pr.AddKey("from", ProblemOneOf, "close, reply")
	}
	for _, n := range []struct {
		field    string
		v, lo, h int
	}{{"delay_days", p.DelayDays, 0, 90}, {"longer_than_days", p.LongerThanDays, 0, 365},
		{"sample_percent", p.SamplePercent, 0, 100}, {"attempts", p.Attempts, 1, 10}, {"survey_days", p.SurveyDays, 1, 30}} {
		if n.v < n.lo || n.v > n.h {
			pr.AddKey(n.field, ProblemRange, strconv.Itoa(n.lo), strconv.Itoa(n.h))
		}
	}
	checkText(&pr, "script", p.Script, 0, 2000)
	return pr.Err()
}

// ReturnVisitReason says why a case gets a return visit.
type ReturnVisitReason string

// The reasons, in the order PlanReturnVisit checks them.
const (
	VisitRegulator    ReturnVisitReason = "regulator"    // forwarded by a regulator
	VisitDissatisfied ReturnVisitReason = "dissatisfied" // dissatisfied at closing
	VisitUnreachable  ReturnVisitReason = "unreachable"  // unreachable at closing
	VisitUnasked      ReturnVisitReason = "unasked"      // closed without the customer's answer
	VisitLong         ReturnVisitReason = "long"         // decided after more than LongerThanDays
	VisitKeyCustomer  ReturnVisitReason = "key_customer" // a key customer (重点客户)
	VisitSample       ReturnVisitReason = "sample"       // drawn among the rest
)

// ReturnVisitReasons lists every reason.
var ReturnVisitReasons = []ReturnVisitReason{VisitRegulator, VisitDissatisfied, VisitUnreachable, VisitUnasked,
	VisitLong, VisitKeyCustomer, VisitSample}

// ReturnVisitStatus is where a return visit stands.
type ReturnVisitStatus string

// The return visit statuses.
const (
	VisitOpen       ReturnVisitStatus = "open"        // waiting in the unit's 待回访 queue
	VisitAnswered   ReturnVisitStatus = "answered"    // the customer answered
	VisitNotReached ReturnVisitStatus = "unreachable" // the policy's attempts went unanswered
	VisitWithdrawn  ReturnVisitStatus = "cancelled"   // the case was reopened before the visit
)

// ReturnVisitStatuses lists every status.
var ReturnVisitStatuses = []ReturnVisitStatus{VisitOpen, VisitAnswered, VisitNotReached, VisitWithdrawn}

// ReturnVisitMethod is how an attempt reached (or tried to reach) the customer.
type ReturnVisitMethod string

// The methods. Survey is the customer's own answer to an SMS survey link.
const (
	VisitByPhone  ReturnVisitMethod = "phone"
	VisitBySMS    ReturnVisitMethod = "sms"
	VisitInPerson ReturnVisitMethod = "visit"
	VisitBySurvey ReturnVisitMethod = "survey"
)

// ReturnVisitMethods lists the methods a staff member records.
var ReturnVisitMethods = []ReturnVisitMethod{VisitByPhone, VisitBySMS, VisitInPerson}

// ReturnVisitOutcome is what one attempt came to.
type ReturnVisitOutcome string

// The outcomes.
const (
	VisitReached    ReturnVisitOutcome = "answered"    // the customer answered (a satisfaction is recorded)
	VisitNoAnswer   ReturnVisitOutcome = "no_answer"   // not reached, or no answer
	VisitSurveySent ReturnVisitOutcome = "survey_sent" // an SMS survey link was sent (method sms)
)

// ReturnVisitOutcomes lists every outcome.
var ReturnVisitOutcomes = []ReturnVisitOutcome{VisitReached, VisitNoAnswer, VisitSurveySent}

// ReturnVisitAttempt is one attempt: by whom ("customer" for a survey
// answer), when, how, what came of it, the customer's satisfaction when
// they answered, and a note.
type ReturnVisitAttempt struct {
	By           string             `json:"by"`
	At           time.Time          `json:"at"`
	Method       ReturnVisitMethod  `json:"method"`
	Outcome      ReturnVisitOutcome `json:"outcome"`
	Satisfaction Satisfaction       `json:"satisfaction,omitempty"`
	Text         string             `json:"text,omitempty"`
}

// ReturnVisit is a case's return visit: why, when it is due, the script,
// the attempts so far and what the customer said. Proposal is set when the
// customer was dissatisfied: the manager is asked to reopen the case or to
// open a 核查 (ProposalReopenOrReview).
type ReturnVisit struct {
	Status       ReturnVisitStatus    `json:"status"`
	Reasons      []ReturnVisitReason  `json:"reasons"`
	Due          string               `json:"due"` // YYYY-MM-DD, Beijing
	Script       string               `json:"script,omitempty"`
	MaxAttempts  int                  `json:"max_attempts"`
	Attempts     []ReturnVisitAttempt `json:"attempts"`
	Satisfaction Satisfaction         `json:"satisfaction,omitempty"`
	Proposal     string               `json:"proposal,omitempty"`
	EndedAt      *time.Time           `json:"ended_at,omitempty"`
}

// ProposalReopenOrReview is the proposal a dissatisfied answer makes to the
// manager: reopen the case, or open a 核查.
const ProposalReopenOrReview = "reopen_or_review"

// ReturnVisitSample is the case's place in the random share, 0–99: the
// FNV-1a hash of its tracking number, so the same case is always drawn or
// not for the same share, and a test can tell which.
func ReturnVisitSample(no string) int {
	h := fnv.New32a()
	h.Write([]byte(no))
	return int(h.Sum32() % 100)
}

// PlanReturnVisit decides, for a case just closed, whether it gets a
// return visit under the policy, why, and when it is due (From's day plus
// DelayDays, never before the day of closing); nil when it gets none. A
// petition forwarded to another body (转送) and a closure without a decision
// get none.
func PlanReturnVisit(c *Case, p ReturnVisitPolicy) *ReturnVisit {
	if !p.Enabled || c.Status != StatusClosed || c.ClosedAt == nil || c.RepliedAt == nil {
		return nil
	}
	var why []ReturnVisitReason
	add := func(ok bool, r ReturnVisitReason) {
		if ok {
			why = append(why, r)
		}
	}
	add(p.Regulator && (c.Channel == ChannelRegulator || c.RegulatorRef != ""), VisitRegulator)
	add(p.Dissatisfied && c.Satisfaction == SatisfactionDissatisfed, VisitDissatisfied)
	add(p.Dissatisfied && c.Satisfaction == SatisfactionUnreachable, VisitUnreachable)
	add(p.Unasked && c.Satisfaction == "", VisitUnasked)
	add(p.LongerThanDays > 0 && DateOf(*c.RepliedAt).Sub(DateOf(c.ReceivedAt)) > p.LongerThanDays, VisitLong)
	add(p.KeyCustomers && c.KeyCustomer, VisitKeyCustomer)
	add(len(why) == 0 && ReturnVisitSample(c.No) < p.SamplePercent, VisitSample)
	if len(why) == 0 {
		return nil
	}
	closed := DateOf(*c.ClosedAt)
	from := closed
	if p.From == ReturnVisitFromReply {
		from = DateOf(*c.RepliedAt)
	}
	due := from.AddDays(p.DelayDays)
	if due.Before(closed) {
		due = closed
	}
	return &ReturnVisit{Status: VisitOpen, Reasons: why, Due: due.String(), Script: p.Script, MaxAttempts: p.Attempts,
		Attempts: []ReturnVisitAttempt{}}
}

// ReturnVisitRequest is what a staff member records of one attempt (the
// action return_visit), or the customer's answer to a survey.
type ReturnVisitRequest struct {
	VisitMethod  ReturnVisitMethod  `json:"visit_method,omitempty"`
	VisitOutcome ReturnVisitOutcome `json:"visit_outcome,omitempty"`
	// IssueSurvey is set by ReturnVisitService.IssueSurvey alone (never
	// decoded): the attempt is an SMS survey link the store issues.
	IssueSurvey bool `json:"-"`
}

// validateAttempt checks an attempt as a staff member records it: a method,
// an outcome (answered or not), a satisfaction when the customer answered
// and none otherwise.
func (r *ActionRequest) validateAttempt(p *Problems) {
	if !oneOf(r.VisitMethod, ReturnVisitMethods) {
		p.AddKey("visit_method", ProblemOneOf, "phone, sms, visit")
	}
	switch r.VisitOutcome {
	case VisitReached:
		if r.Satisfaction == SatisfactionUnreachable || !oneOf(r.Satisfaction, Satisfactions) {
			p.AddKey("satisfaction", ProblemOneOf, "satisfied, basically_satisfied, dissatisfied")
		}
	case VisitNoAnswer, VisitSurveySent:
		if r.Satisfaction != "" {
			p.Add("satisfaction", "only when the customer answered")
		}
	default:
		p.AddKey("visit_outcome", ProblemOneOf, "answered, no_answer")
	}
	// A survey link is issued by IssueSurvey, which records its own attempt.
	if (r.VisitOutcome == VisitSurveySent) != r.IssueSurvey || r.IssueSurvey && r.VisitMethod != VisitBySMS {
		p.AddKey("visit_outcome", ProblemOneOf, "answered, no_answer")
	}
	checkText(p, "text", r.Text, 0, 2000)
}

// Record adds an attempt to an open return visit and says whether it ended
// it: an answer ends it with the customer's satisfaction (dissatisfied
// proposes reopening or 核查 to the manager); the policy's number of
// unanswered attempts ends it as unreachable. A survey link sent keeps it
// open for the answer. Recording on a visit that is not open is a conflict.
func (v *ReturnVisit) Record(a ReturnVisitAttempt) (ended bool, err error) {
	if v == nil || v.Status != VisitOpen {
		return false, Errorf(ECONFLICT, "the case has no return visit waiting")
	}
	v.Attempts = append(v.Attempts, a)
	at := a.At
	switch a.Outcome {
	case VisitReached:
		v.Status, v.Satisfaction, v.EndedAt = VisitAnswered, a.Satisfaction, &at
		if a.Satisfaction == SatisfactionDissatisfed {
			v.Proposal = ProposalReopenOrReview
		}
		return true, nil
	case VisitNoAnswer:
		if v.unanswered() >= v.MaxAttempts {
			v.Status, v.Satisfaction, v.EndedAt = VisitNotReached, SatisfactionUnreachable, &at
			return true, nil
		}
	}
	return false, nil
}

// unanswered counts the attempts that reached no one.
func (v *ReturnVisit) unanswered() int {
	n := 0
	for _, a := range v.Attempts {
		if a.Outcome == VisitNoAnswer {
			n++
		}
	}
	return n
}

// CaseSatisfaction is a case's satisfaction as the reports and the
// assessment count it: the answer at its return visit when the visit ended
// with one (answered, or unreachable), else the answer at closing ("" when
// the customer was never asked). One answer per case, the latest.
func CaseSatisfaction(closing, visit Satisfaction) Satisfaction {
	if visit != "" {
		return visit
	}
	return closing
}

// ReturnVisitStats counts the return visits of the cases of a period: how
// many were planned, where they stand, and the customers' answers
// (unreachable included) beside the answers at closing (Stats.BySatisfaction).
type ReturnVisitStats struct {
	Planned        int                       `json:"planned"`
	ByStatus       map[ReturnVisitStatus]int `json:"by_status"`
	BySatisfaction map[string]int            `json:"by_satisfaction"`
	// ByCaseSatisfaction is each case's satisfaction (CaseSatisfaction):
	// the return visit's answer where there is one, else the closing answer.
	ByCaseSatisfaction map[string]int `json:"by_case_satisfaction"`
}

// Overdue reports whether an open return visit's due date is before today.
func (v *ReturnVisit) Overdue(today Date) bool {
	due, err := ParseDate(v.Due)
	return v != nil && v.Status == VisitOpen && err == nil && due.Before(today)
}

// ReturnVisitDissatisfiedNotice is the in-app notice to the managers of the
// case's unit when the customer said at a return visit that they are
// dissatisfied: the proposal to reopen the case or open a 核查. It quotes no
// complaint text.
func ReturnVisitDissatisfiedNotice(c *Case) (subject, body string) {
	prefix, who := "【投诉管理】", "客户"
	if c.Kind == KindPetition {
		prefix, who = "【信访管理】", "信访人"
	}
	return fmt.Sprintf("%s案件 %s 回访不满意", prefix, c.No),
		fmt.Sprintf("%s在回访中表示不满意。建议重新处理（重新办理）或启动核查，请审阅案件 %s。", who, c.No)
}
