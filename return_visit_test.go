package redress

import (
	"slices"
	"testing"
	"time"
)

// visitCase is a complaint received 2026-11-01, decided on reply, closed
// the day after, as PlanReturnVisit sees it.
func visitCase(no string, repliedDay int, set func(c *Case)) *Case {
	received := time.Date(2026, 11, 1, 10, 0, 0, 0, Beijing)
	replied := time.Date(2026, 11, repliedDay, 10, 0, 0, 0, Beijing)
	closed := replied.AddDate(0, 0, 1)
	c := &Case{No: no, Kind: KindComplaint, Channel: ChannelCounter, ReceivedAt: received, Status: StatusClosed,
		RepliedAt: &replied, ClosedAt: &closed, Satisfaction: SatisfactionSatisfied}
	if set != nil {
		set(c)
	}
	return c
}

// TestPlanReturnVisit_Seed000Art4_4 decides which closed cases get a return
// visit (seed 000 4.4: 对于重要客户及处理结果较长的问题，可以进行回访) under the
// default policy, with hand-checked draws of the 10% share: FNV-1a of
// TS20261120-00010 is 2 (drawn), of -00001 is 92 (not drawn).
func TestPlanReturnVisit_Seed000Art4_4(t *testing.T) {
	t.Parallel()
	p := DefaultReturnVisitPolicy()
	if ReturnVisitSample("TS20261120-00010") != 2 || ReturnVisitSample("TS20261120-00001") != 92 {
		t.Fatalf("draws: %d, %d", ReturnVisitSample("TS20261120-00010"), ReturnVisitSample("TS20261120-00001"))
	}
	tests := []struct {
		name   string
		c      *Case
		policy func(p *ReturnVisitPolicy)
		want   []ReturnVisitReason // nil: no visit
		due    string
	}{
		{name: "satisfied, quick, not drawn", c: visitCase("TS20261120-00001", 5, nil)},
		{name: "satisfied, quick, drawn", c: visitCase("TS20261120-00010", 5, nil), want: []ReturnVisitReason{VisitSample}, due: "2026-11-09"},
		{name: "forwarded by the regulator", c: visitCase("TS20261120-00001", 5, func(c *Case) { c.Channel = ChannelRegulator }),
			want: []ReturnVisitReason{VisitRegulator}, due: "2026-11-09"},
		{name: "a regulator's reference on another channel", c: visitCase("TS20261120-00001", 5, func(c *Case) { c.RegulatorRef = "12378-1" }),
			want: []ReturnVisitReason{VisitRegulator}, due: "2026-11-09"},
		{name: "dissatisfied", c: visitCase("TS20261120-00001", 5, func(c *Case) { c.Satisfaction = SatisfactionDissatisfed }),
			want: []ReturnVisitReason{VisitDissatisfied}, due: "2026-11-09"},
		{name: "unreachable", c: visitCase("TS20261120-00001", 5, func(c *Case) { c.Satisfaction = SatisfactionUnreachable }),
			want: []ReturnVisitReason{VisitUnreachable}, due: "2026-11-09"},
		{name: "closed without an answer", c: visitCase("TS20261120-00001", 5, func(c *Case) { c.Satisfaction = "" }),
			want: []ReturnVisitReason{VisitUnasked}, due: "2026-11-09"},
		// received 11-01, decided 11-16: 15 days, not over 15; 11-17: 16 days.
		{name: "decided on day 15", c: visitCase("TS20261120-00001", 16, nil)},
		{name: "decided on day 16", c: visitCase("TS20261120-00001", 17, nil), want: []ReturnVisitReason{VisitLong}, due: "2026-11-21"},
		{name: "a key customer", c: visitCase("TS20261120-00001", 5, func(c *Case) { c.KeyCustomer = true }),
			want: []ReturnVisitReason{VisitKeyCustomer}, due: "2026-11-09"},
		{name: "every reason, the draw not needed", c: visitCase("TS20261120-00010", 20, func(c *Case) {
			c.Channel, c.Satisfaction, c.KeyCustomer = ChannelRegulator, SatisfactionDissatisfed, true
		}), want: []ReturnVisitReason{VisitRegulator, VisitDissatisfied, VisitLong, VisitKeyCustomer}, due: "2026-11-24"},
		{name: "counted from the reply", c: visitCase("TS20261120-00010", 5, nil),
			policy: func(p *ReturnVisitPolicy) { p.From, p.DelayDays = ReturnVisitFromReply, 0 },
			want:   []ReturnVisitReason{VisitSample}, due: "2026-11-06"}, // never before the day of closing
		{name: "share 0", c: visitCase("TS20261120-00010", 5, nil), policy: func(p *ReturnVisitPolicy) { p.SamplePercent = 0 }},
		{name: "share 100", c: visitCase("TS20261120-00001", 5, nil), policy: func(p *ReturnVisitPolicy) { p.SamplePercent = 100 },
			want: []ReturnVisitReason{VisitSample}, due: "2026-11-09"},
		{name: "disabled", c: visitCase("TS20261120-00001", 5, func(c *Case) { c.Channel = ChannelRegulator }),
			policy: func(p *ReturnVisitPolicy) { p.Enabled = false }},
		{name: "not decided (a petition forwarded)", c: visitCase("TS20261120-00001", 5, func(c *Case) {
			c.Channel, c.RepliedAt = ChannelRegulator, nil
		})},
		{name: "not closed", c: visitCase("TS20261120-00001", 5, func(c *Case) { c.Channel, c.Status = ChannelRegulator, StatusReplied })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := p
			if tt.policy != nil {
				tt.policy(&pol)
			}
			v := PlanReturnVisit(tt.c, pol)
			if tt.want == nil {
				if v != nil {
					t.Fatalf("visit %+v, want none", v)
				}
				return
			}
			if v == nil {
				t.Fatalf("no visit, want %v", tt.want)
			}
			if !slices.Equal(v.Reasons, tt.want) || v.Due != tt.due || v.Status != VisitOpen || v.MaxAttempts != 3 || v.Script == "" {
				t.Errorf("visit %+v, want reasons %v due %s", v, tt.want, tt.due)
			}
		})
	}
}

// TestReturnVisitRecord_Seed004 walks attempts: the task ends with the
// customer's answer, or after the policy's unanswered attempts; a
// dissatisfied answer proposes reopening or 核查; a survey link sent keeps it open.
func TestReturnVisitRecord_Seed004(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, Beijing)
	attempt := func(o ReturnVisitOutcome, s Satisfaction) ReturnVisitAttempt {
		return ReturnVisitAttempt{By: "staff.bj", At: at, Method: VisitByPhone, Outcome: o, Satisfaction: s}
	}
	v := &ReturnVisit{Status: VisitOpen, MaxAttempts: 3}
	for i, o := range []ReturnVisitOutcome{VisitNoAnswer, VisitSurveySent, VisitNoAnswer} {
		if ended, err := v.Record(attempt(o, "")); err != nil || ended {
			t.Fatalf("attempt %d: ended %v, %v", i+1, ended, err)
		}
	}
	if ended, err := v.Record(attempt(VisitNoAnswer, "")); err != nil || !ended || v.Status != VisitNotReached ||
		v.Satisfaction != SatisfactionUnreachable || v.Proposal != "" {
		t.Fatalf("third unanswered attempt: ended %v, %v, %+v", ended, err, v)
	}
	if _, err := v.Record(attempt(VisitReached, SatisfactionSatisfied)); ErrorCode(err) != ECONFLICT {
		t.Fatalf("attempt on an ended visit: %v", err)
	}
	v = &ReturnVisit{Status: VisitOpen, MaxAttempts: 3}
	if ended, err := v.Record(attempt(VisitReached, SatisfactionDissatisfed)); err != nil || !ended ||
		v.Status != VisitAnswered || v.Satisfaction != SatisfactionDissatisfed || v.Proposal != ProposalReopenOrReview || v.EndedAt == nil {
		t.Fatalf("dissatisfied: ended %v, %v, %+v", ended, err, v)
	}
	v = &ReturnVisit{Status: VisitOpen, MaxAttempts: 1}
	if ended, _ := v.Record(attempt(VisitReached, SatisfactionBasically)); !ended || v.Proposal != "" {
		t.Fatalf("basically satisfied: %+v", v)
	}
}

// TestReturnVisitAttemptValidate checks what a staff member's attempt must carry.
func TestReturnVisitAttemptValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  ReturnVisitRequest
		sat  Satisfaction
		bad  []string
	}{
		{name: "answered", req: ReturnVisitRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitReached}, sat: SatisfactionSatisfied},
		{name: "no answer", req: ReturnVisitRequest{VisitMethod: VisitInPerson, VisitOutcome: VisitNoAnswer}},
		{name: "answered without satisfaction", req: ReturnVisitRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitReached}, bad: []string{"satisfaction"}},
		{name: "answered unreachable", req: ReturnVisitRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitReached}, sat: SatisfactionUnreachable, bad: []string{"satisfaction"}},
		{name: "no answer with satisfaction", req: ReturnVisitRequest{VisitMethod: VisitBySMS, VisitOutcome: VisitNoAnswer}, sat: SatisfactionSatisfied, bad: []string{"satisfaction"}},
		{name: "survey sent by hand", req: ReturnVisitRequest{VisitMethod: VisitBySMS, VisitOutcome: VisitSurveySent}, bad: []string{"visit_outcome"}},
		{name: "survey issued", req: ReturnVisitRequest{VisitMethod: VisitBySMS, VisitOutcome: VisitSurveySent, IssueSurvey: true}},
		{name: "survey issued by phone", req: ReturnVisitRequest{VisitMethod: VisitByPhone, VisitOutcome: VisitSurveySent, IssueSurvey: true}, bad: []string{"visit_outcome"}},
		{name: "the survey method", req: ReturnVisitRequest{VisitMethod: VisitBySurvey, VisitOutcome: VisitReached}, sat: SatisfactionSatisfied, bad: []string{"visit_method"}},
		{name: "nothing", bad: []string{"visit_method", "visit_outcome"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ActionRequest{Action: ActionReturnVisit, Version: 1, Satisfaction: tt.sat, ReturnVisitRequest: tt.req}
			err := r.Validate(time.Now())
			fields := ErrorFields(err)
			if len(fields) != len(tt.bad) {
				t.Fatalf("problems %v, want %v", fields, tt.bad)
			}
			for _, f := range tt.bad {
				if fields[f] == "" {
					t.Errorf("no problem on %s: %v", f, fields)
				}
			}
		})
	}
}

// TestCloseWithoutSatisfaction: closing no longer waits for the customer's
// answer (the return visit asks it); an answer given is still checked.
func TestCloseWithoutSatisfaction(t *testing.T) {
	t.Parallel()
	if err := (&ActionRequest{Action: ActionClose, Version: 1}).Validate(time.Now()); err != nil {
		t.Errorf("close without satisfaction: %v", err)
	}
	if err := (&ActionRequest{Action: ActionClose, Version: 1, Satisfaction: "happy"}).Validate(time.Now()); ErrorFields(err)["satisfaction"] == "" {
		t.Errorf("close with an unknown satisfaction: %v", err)
	}
}

// TestReturnVisitPolicyValidate checks every bound at once.
func TestReturnVisitPolicyValidate(t *testing.T) {
	t.Parallel()
	p := DefaultReturnVisitPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("default: %v", err)
	}
	p = ReturnVisitPolicy{From: "later", DelayDays: -1, LongerThanDays: 400, SamplePercent: 101, Attempts: 0, SurveyDays: 31}
	fields := ErrorFields(p.Validate())
	for _, f := range []string{"from", "delay_days", "longer_than_days", "sample_percent", "attempts", "survey_days"} {
		if fields[f] == "" {
			t.Errorf("no problem on %s: %v", f, fields)
		}
	}
}
