package redress

import (
	"context"
	"strings"
	"time"
)

// A referral (调解/仲裁/诉讼) is a case sent beyond the bank: to a mediation
// organisation (the one the decision letter names is admin data,
// settings.go), to arbitration or to a court (seeds 000 §6, 003: 引导客户通过
// 调解、仲裁、诉讼等途径解决). The
// case records the body, the dates it was sent and answered, the outcome and
// any agreement; a mediation may pause the decision clock (the pause action,
// cause mediation), which the case page offers beside it.

// ReferralKind is where a case is referred.
type ReferralKind string

// The kinds of referral.
const (
	ReferralMediation   ReferralKind = "mediation"   // 调解
	ReferralArbitration ReferralKind = "arbitration" // 仲裁
	ReferralLitigation  ReferralKind = "litigation"  // 诉讼
)

// ReferralKinds lists every kind.
var ReferralKinds = []ReferralKind{ReferralMediation, ReferralArbitration, ReferralLitigation}

// ReferralOutcome is what came of a referral.
type ReferralOutcome string

// The outcomes of a referral.
const (
	ReferralPending   ReferralOutcome = "pending"   // 处理中
	ReferralAgreed    ReferralOutcome = "agreed"    // 达成调解协议 / 和解
	ReferralFailed    ReferralOutcome = "failed"    // 调解不成
	ReferralDecided   ReferralOutcome = "decided"   // 仲裁裁决或判决已作出
	ReferralWithdrawn ReferralOutcome = "withdrawn" // 撤回
)

// ReferralOutcomes lists every outcome; ReferralAnswers those that answer a
// referral (all but pending).
var (
	ReferralOutcomes = []ReferralOutcome{ReferralPending, ReferralAgreed, ReferralFailed, ReferralDecided, ReferralWithdrawn}
	ReferralAnswers  = []ReferralOutcome{ReferralAgreed, ReferralFailed, ReferralDecided, ReferralWithdrawn}
)

// Referral is one referral of a case.
type Referral struct {
	ID         int64           `json:"id"`
	Kind       ReferralKind    `json:"kind"`
	Body       string          `json:"body"`              // the organisation, arbitration commission or court
	Contact    string          `json:"contact,omitempty"` // how to reach it
	SentOn     Date            `json:"sent_on"`
	AnsweredOn Date            `json:"answered_on,omitempty"`
	Outcome    ReferralOutcome `json:"outcome"`
	Agreement  string          `json:"agreement,omitempty"` // the agreement, award or judgment in short
	RecordedBy string          `json:"recorded_by"`
	RecordedAt time.Time       `json:"recorded_at"`
}

// NewReferral records a referral.
type NewReferral struct {
	Kind    ReferralKind `json:"kind"`
	Body    string       `json:"body"`
	Contact string       `json:"contact,omitempty"`
	SentOn  string       `json:"sent_on"` // YYYY-MM-DD, not in the future
}

// Validate checks a referral as it is recorded, every problem at once.
func (n *NewReferral) Validate(today Date) error {
	var p Problems
	if !oneOf(n.Kind, ReferralKinds) {
		p.AddKey("kind", ProblemChoice, valueList(ReferralKinds))
	}
	n.Body, n.Contact = strings.TrimSpace(n.Body), strings.TrimSpace(n.Contact)
	checkText(&p, "body", n.Body, 2, 200)
	checkText(&p, "contact", n.Contact, 0, 200)
	if d, err := ParseDate(n.SentOn); err != nil {
		p.AddKey("sent_on", ProblemDate)
	} else if d.After(today) {
		p.AddKey("sent_on", ProblemFuture)
	}
	return p.Err()
}

// ReferralAnswer records what came of a referral.
type ReferralAnswer struct {
	AnsweredOn string          `json:"answered_on"` // YYYY-MM-DD, on or after it was sent, not in the future
	Outcome    ReferralOutcome `json:"outcome"`
	Agreement  string          `json:"agreement,omitempty"` // required when agreed or decided
}

// Validate checks an answer to the referral r, every problem at once.
func (a *ReferralAnswer) Validate(r *Referral, today Date) error {
	if r.Outcome != ReferralPending {
		return Errorf(ECONFLICT, "referral %d is already answered (%s)", r.ID, r.Outcome)
	}
	var p Problems
	if !oneOf(a.Outcome, ReferralAnswers) {
		p.AddKey("outcome", ProblemChoice, valueList(ReferralAnswers))
	}
	if d, err := ParseDate(a.AnsweredOn); err != nil {
		p.AddKey("answered_on", ProblemDate)
	} else if d.After(today) {
		p.AddKey("answered_on", ProblemFuture)
	} else if d.Before(r.SentOn) {
		p.AddKey("answered_on", ProblemRange, r.SentOn.String(), today.String())
	}
	a.Agreement = strings.TrimSpace(a.Agreement)
	min := 0
	if a.Outcome == ReferralAgreed || a.Outcome == ReferralDecided {
		min = 2
	}
	checkText(&p, "agreement", a.Agreement, min, 2000)
	return p.Err()
}

// MayRefer reports whether u records a case's referrals: the roles that
// handle cases above the counter, and the case's handler.
func MayRefer(u *User, c *Case) bool {
	if u == nil || !InScope(u, c) {
		return false
	}
	return oneOf(u.Role, []Role{RoleManager, RoleBranchHead, RoleHQService}) || (c.Handler != "" && c.Handler == u.Login)
}

// ReferralSummary counts the referrals sent in a period by kind and outcome.
type ReferralSummary struct {
	Sent      map[ReferralKind]int    `json:"sent"`
	ByOutcome map[ReferralOutcome]int `json:"by_outcome"`
}

// ReferralService keeps the cases' referrals.
type ReferralService interface {
	// Referrals lists a case's referrals, oldest first.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	Referrals(ctx context.Context, no string) ([]Referral, error)
	// Refer records a referral of a case (MayRefer), audited on the case
	// as case.refer.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID.
	Refer(ctx context.Context, no string, n NewReferral) (*Referral, error)
	// AnswerReferral records what came of a referral, once, audited as
	// case.referral_answer.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
	AnswerReferral(ctx context.Context, no string, id int64, a ReferralAnswer) (*Referral, error)
	// ReferralSummary counts the referrals of the cases in scope (under
	// org when given) sent in [from, to].
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	ReferralSummary(ctx context.Context, org string, from, to Date) (*ReferralSummary, error)
}
