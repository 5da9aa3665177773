package sqldb

import (
	"context"
	"strings"
	"testing"
	"time"

	"redress"
)

// visitPolicy is the policy of the return-visit tests: key customers and
// dissatisfied customers, 3 days after closing, 2 attempts, no random share.
func visitPolicy() redress.ReturnVisitPolicy {
	p := redress.DefaultReturnVisitPolicy()
	p.Unasked, p.SamplePercent, p.Attempts = false, 0, 2
	return p
}

// closeCase walks a new case received 11-20 to closed with the customer's
// answer at closing (none when s is ""), handled by mgr.bj.
func (f *fixture) closeCase(t *testing.T, key bool, s redress.Satisfaction) *redress.Case {
	t.Helper()
	n := sampleCase()
	n.KeyCustomer = key
	return f.closeCaseOf(t, n, s)
}

// closeCaseOf walks the new case n as closeCase does.
func (f *fixture) closeCaseOf(t *testing.T, n redress.NewCase, s redress.Satisfaction) *redress.Case {
	t.Helper()
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	c = f.act(t, "head.bj", c, redress.ActionRequest{Action: redress.ActionSignOff})
	return f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionClose, Satisfaction: s})
}

// attempt records one return-visit attempt.
func (f *fixture) attempt(t *testing.T, login string, c *redress.Case, m redress.ReturnVisitMethod, o redress.ReturnVisitOutcome,
	s redress.Satisfaction) *redress.Case {
	t.Helper()
	return f.act(t, login, c, redress.ActionRequest{Action: redress.ActionReturnVisit, Satisfaction: s,
		ReturnVisitRequest: redress.ReturnVisitRequest{VisitMethod: m, VisitOutcome: o}})
}

// TestReturnVisitFromPolicyToAssessment_Seed000Art4_4 walks return visits
// from the policy to the figures (seed 000 4.4 反馈和回访; seed 004: 通过电话或
// 短信等方式进行后续的客户满意度调查): four cases received 11-20 and closed
// 11-21 by mgr.bj — A a key customer, satisfied at closing; B dissatisfied
// at closing; C satisfied, no reason for a visit; D a key customer,
// satisfied at closing. A is reached by phone and is dissatisfied (the
// managers are told, the case shows the proposal); B answers the SMS
// survey satisfied; D is not reached twice (unreachable). By hand: 3 visits
// planned, due 11-24; visit answers dissatisfied 1, satisfied 1,
// unreachable 1; closing answers satisfied 3, dissatisfied 1; each case's
// answer (the visit's where there is one) satisfied 2 (B, C), dissatisfied 1
// (A), unreachable 1 (D); mgr.bj's satisfied rate 2/3, so 20 × 2/3 = 13.33
// points (at closing alone it would have been 3/4: 15).
func TestReturnVisitFromPolicyToAssessment_Seed000Art4_4(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	visits := NewReturnVisitService(f.db)
	if _, err := visits.SetReturnVisitPolicy(f.as("mgr.bj"), visitPolicy()); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("a manager set the policy: %v", err)
	}
	bad := visitPolicy()
	bad.Attempts = 0
	if _, err := visits.SetReturnVisitPolicy(f.as("admin"), bad); redress.ErrorFields(err)["attempts"] == "" {
		t.Fatalf("0 attempts: %v", err)
	}
	if _, err := visits.SetReturnVisitPolicy(f.as("admin"), visitPolicy()); err != nil {
		t.Fatal(err)
	}
	if p, err := visits.ReturnVisitPolicy(f.as("staff.bj")); err != nil || p.Attempts != 2 || p.SamplePercent != 0 {
		t.Fatalf("policy read back: %+v, %v", p, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'system.set_return_visit_policy'`); n != 1 {
		t.Fatalf("%d policy events", n)
	}

	a := f.closeCase(t, true, redress.SatisfactionSatisfied)
	b := f.closeCase(t, false, redress.SatisfactionDissatisfed)
	c := f.closeCase(t, false, redress.SatisfactionSatisfied)
	d := f.closeCase(t, true, redress.SatisfactionSatisfied)
	for _, x := range []*redress.Case{a, b, d} {
		if x.ReturnVisit == nil || x.ReturnVisit.Status != redress.VisitOpen || x.ReturnVisit.Due != "2026-11-24" ||
			x.ReturnVisit.MaxAttempts != 2 || x.ReturnVisit.Script == "" {
			t.Fatalf("%s: visit %+v", x.No, x.ReturnVisit)
		}
	}
	if b.ReturnVisit.Reasons[0] != redress.VisitDissatisfied || a.ReturnVisit.Reasons[0] != redress.VisitKeyCustomer || c.ReturnVisit != nil {
		t.Fatalf("reasons: A %v, B %v, C %+v", a.ReturnVisit.Reasons, b.ReturnVisit.Reasons, c.ReturnVisit)
	}
	queue := func() []string {
		t.Helper()
		page, err := f.cases.ListCases(f.as("staff.bj"), redress.QueueReturnVisit.Filter(f.users["staff.bj"]))
		if err != nil {
			t.Fatal(err)
		}
		var nos []string
		for _, x := range page.Cases {
			nos = append(nos, x.No)
		}
		return nos
	}
	if got := strings.Join(queue(), " "); got != strings.Join([]string{a.No, b.No, d.No}, " ") {
		t.Fatalf("待回访 queue: %s", got)
	}
	if _, err := f.cases.Act(f.as("staff.bj"), c.No, redress.ActionRequest{Action: redress.ActionReturnVisit, Version: c.Version,
		ReturnVisitRequest: redress.ReturnVisitRequest{VisitMethod: redress.VisitByPhone, VisitOutcome: redress.VisitNoAnswer}}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("an attempt on a case without a visit: %v", err)
	}

	// A: reached by phone, dissatisfied: the proposal and the managers' notice.
	a = f.attempt(t, "staff.bj", a, redress.VisitByPhone, redress.VisitReached, redress.SatisfactionDissatisfed)
	if v := a.ReturnVisit; v.Status != redress.VisitAnswered || v.Proposal != redress.ProposalReopenOrReview || len(v.Attempts) != 1 ||
		v.Attempts[0].By != "staff.bj" {
		t.Fatalf("A after the call: %+v", v)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM notifications WHERE kind = ? AND case_no = ? AND channel = 'in_app'`,
		redress.NotifyVisitDissatisfied, a.No); n == 0 {
		t.Fatal("no manager was told of the dissatisfied answer")
	}

	// B: the SMS survey, answered once.
	token, err := visits.IssueSurvey(f.as("staff.bj"), b.No, b.Version)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(token, b.No) || strings.Contains(token, "13812345678") {
		t.Fatalf("token %s carries the case", token)
	}
	customer := context.Background()
	if err := visits.CheckSurvey(customer, token); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	tampered := token[:5] + map[bool]string{true: "1", false: "0"}[token[5] == '0'] + token[6:]
	if err := visits.AnswerSurvey(customer, tampered, redress.SurveyAnswer{Satisfaction: redress.SatisfactionSatisfied}, "192.0.2.1"); redress.ErrorCode(err) != redress.EUNAUTHORIZED {
		t.Fatalf("tampered token: %v", err)
	}
	if err := visits.AnswerSurvey(customer, token, redress.SurveyAnswer{Satisfaction: redress.SatisfactionSatisfied, Comment: "处理及时"}, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if err := visits.AnswerSurvey(customer, token, redress.SurveyAnswer{Satisfaction: redress.SatisfactionDissatisfed}, "192.0.2.1"); redress.ErrorCode(err) != redress.EUNAUTHORIZED {
		t.Fatalf("second answer: %v", err)
	}
	if err := visits.CheckSurvey(customer, token); redress.ErrorCode(err) != redress.EUNAUTHORIZED {
		t.Fatalf("used token checked: %v", err)
	}
	b, _ = f.cases.Case(f.as("staff.bj"), b.No)
	if v := b.ReturnVisit; v.Status != redress.VisitAnswered || v.Satisfaction != redress.SatisfactionSatisfied || len(v.Attempts) != 2 ||
		v.Attempts[0].Outcome != redress.VisitSurveySent || v.Attempts[1].Method != redress.VisitBySurvey || v.Attempts[1].By != "customer" {
		t.Fatalf("B after the survey: %+v", v)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'case.return_visit' AND case_no = ? AND actor = 'customer'
		AND detail LIKE '%192.0.2.1%'`, b.No); n != 1 {
		t.Fatalf("%d survey events with the client address", n)
	}

	// D: a survey link that expires, then two unanswered calls end it.
	expiring, err := visits.IssueSurvey(f.as("staff.bj"), d.No, d.Version)
	if err != nil {
		t.Fatal(err)
	}
	start := f.clock
	f.clock = start.Add(7 * 24 * time.Hour) // SurveyDays 7: expired at that instant
	if err := visits.AnswerSurvey(customer, expiring, redress.SurveyAnswer{Satisfaction: redress.SatisfactionSatisfied}, "192.0.2.1"); redress.ErrorCode(err) != redress.EUNAUTHORIZED {
		t.Fatalf("expired token: %v", err)
	}
	f.clock = start
	d, _ = f.cases.Case(f.as("staff.bj"), d.No)
	d = f.attempt(t, "staff.bj", d, redress.VisitByPhone, redress.VisitNoAnswer, "")
	if d.ReturnVisit.Status != redress.VisitOpen {
		t.Fatalf("D ended after one unanswered call: %+v", d.ReturnVisit)
	}
	d = f.attempt(t, "mgr.bj", d, redress.VisitInPerson, redress.VisitNoAnswer, "")
	if v := d.ReturnVisit; v.Status != redress.VisitNotReached || v.Satisfaction != redress.SatisfactionUnreachable {
		t.Fatalf("D after two unanswered attempts: %+v", v)
	}
	if err := visits.AnswerSurvey(customer, expiring, redress.SurveyAnswer{Satisfaction: redress.SatisfactionSatisfied}, "192.0.2.1"); redress.ErrorCode(err) != redress.EUNAUTHORIZED {
		t.Fatalf("a token of an ended visit: %v", err)
	}
	if q := queue(); len(q) != 0 {
		t.Fatalf("queue after the visits: %v", q)
	}

	st, err := NewStatsService(f.db).Stats(f.as("mgr.bj"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	rv := st.ReturnVisits
	if st.Received != 4 || rv.Planned != 3 || rv.ByStatus[redress.VisitAnswered] != 2 || rv.ByStatus[redress.VisitNotReached] != 1 ||
		rv.BySatisfaction["dissatisfied"] != 1 || rv.BySatisfaction["satisfied"] != 1 || rv.BySatisfaction["unreachable"] != 1 ||
		st.BySatisfaction["satisfied"] != 3 || st.BySatisfaction["dissatisfied"] != 1 ||
		rv.ByCaseSatisfaction["satisfied"] != 2 || rv.ByCaseSatisfaction["dissatisfied"] != 1 || rv.ByCaseSatisfaction["unreachable"] != 1 {
		t.Fatalf("stats: received %d, closing %v, visits %+v", st.Received, st.BySatisfaction, rv)
	}
	as, err := NewAssessmentService(f.db).Assessment(f.as("hq.svc"), redress.AssessmentQuery{Month: "2026-11", Org: "BJ"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range as.People {
		if p.Login != "mgr.bj" {
			continue
		}
		if s := p.Satisfaction; s["satisfied"] != 2 || s["dissatisfied"] != 1 || s["unreachable"] != 1 || p.Parts[redress.AssessSatisfied] != 13.33 {
			t.Fatalf("mgr.bj: satisfaction %v, points %v", s, p.Parts[redress.AssessSatisfied])
		}
		return
	}
	t.Fatalf("mgr.bj has no row: %+v", as.People)
}

// TestReopenCancelsReturnVisit: a case reopened before its visit asks
// nothing until it is closed again, when the policy plans a new visit.
func TestReopenCancelsReturnVisit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := NewReturnVisitService(f.db).SetReturnVisitPolicy(f.as("admin"), visitPolicy()); err != nil {
		t.Fatal(err)
	}
	c := f.closeCase(t, true, "") // closing does not wait for the customer's answer
	if c.Satisfaction != "" || c.ReturnVisit == nil {
		t.Fatalf("closed: satisfaction %q, visit %+v", c.Satisfaction, c.ReturnVisit)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReopen, Reason: "回访前客户补充材料"})
	if c.ReturnVisit.Status != redress.VisitWithdrawn {
		t.Fatalf("reopened: %+v", c.ReturnVisit)
	}
	if _, err := NewReturnVisitService(f.db).IssueSurvey(f.as("staff.bj"), c.No, c.Version); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a survey of a reopened case: %v", err)
	}
}
