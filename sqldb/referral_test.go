package sqldb

import (
	"testing"

	"redress"
)

// TestReferralToMediation_Seed000Sec6_调解仲裁诉讼: a case referred to a
// mediation organisation records the body, the day sent and, once, the day
// answered with the outcome and the agreement; each is an event on the case;
// the summary counts it by kind and outcome; staff who do not handle the case
// and other branches cannot refer it.
func TestReferralToMediation_Seed000Sec6_调解仲裁诉讼(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewReferralService(f.db)
	c := f.register(t, "staff.bj")
	n := redress.NewReferral{Kind: redress.ReferralMediation, Body: "北京银行业保险业消费纠纷调解中心", Contact: "010-12345678", SentOn: "2026-11-20"}
	if _, err := svc.Refer(f.as("staff2.bj"), c.No, n); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("staff who do not handle it: %v", err)
	}
	if _, err := svc.Refer(f.as("mgr.sh"), c.No, n); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another branch: %v", err)
	}
	bad := redress.NewReferral{Kind: "court", SentOn: "2027-01-01"}
	if fields := redress.ErrorFields(func() error { _, err := svc.Refer(f.as("mgr.bj"), c.No, bad); return err }()); fields["kind"] == "" || fields["body"] == "" || fields["sent_on"] == "" {
		t.Fatalf("a bad referral: %v", fields)
	}
	r, err := svc.Refer(f.as("mgr.bj"), c.No, n)
	if err != nil || r.Outcome != redress.ReferralPending {
		t.Fatalf("referred: %+v %v", r, err)
	}
	if _, err := svc.AnswerReferral(f.as("mgr.bj"), c.No, r.ID, redress.ReferralAnswer{AnsweredOn: "2026-11-19", Outcome: redress.ReferralAgreed}); redress.ErrorFields(err)["answered_on"] == "" || redress.ErrorFields(err)["agreement"] == "" {
		t.Fatalf("an answer before it was sent, without the agreement: %v", err)
	}
	a, err := svc.AnswerReferral(f.as("mgr.bj"), c.No, r.ID, redress.ReferralAnswer{AnsweredOn: "2026-11-21", Outcome: redress.ReferralAgreed, Agreement: "银行补偿 1,200 元，客户撤回投诉"})
	if err != nil || a.Outcome != redress.ReferralAgreed || a.AnsweredOn.String() != "2026-11-21" {
		t.Fatalf("answered: %+v %v", a, err)
	}
	if _, err := svc.AnswerReferral(f.as("mgr.bj"), c.No, r.ID, redress.ReferralAnswer{AnsweredOn: "2026-11-21", Outcome: redress.ReferralFailed}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("answered twice: %v", err)
	}
	list, err := svc.Referrals(f.as("head.bj"), c.No)
	if err != nil || len(list) != 1 || list[0].Agreement == "" {
		t.Fatalf("the case's referrals: %+v %v", list, err)
	}
	events, _ := f.cases.CaseEvents(f.as("mgr.bj"), c.No)
	var refer, answer bool
	for _, e := range events {
		refer = refer || e.Action == "case.refer"
		answer = answer || e.Action == "case.referral_answer"
	}
	if !refer || !answer {
		t.Fatal("the referral is not in the case's events")
	}
	sum, err := svc.ReferralSummary(f.as("mgr.bj"), "", redress.NewDate(2026, 11, 1), redress.NewDate(2026, 11, 30))
	if err != nil || sum.Sent[redress.ReferralMediation] != 1 || sum.ByOutcome[redress.ReferralAgreed] != 1 {
		t.Fatalf("summary: %+v %v", sum, err)
	}
	if other, _ := svc.ReferralSummary(f.as("mgr.sh"), "", redress.NewDate(2026, 11, 1), redress.NewDate(2026, 11, 30)); other.Sent[redress.ReferralMediation] != 0 {
		t.Fatal("another branch counts the referral")
	}
}
