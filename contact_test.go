package redress

import (
	"testing"
	"time"
)

func testDeadlines(t *testing.T) *Deadlines {
	t.Helper()
	cals, err := EmbeddedCalendars()
	if err != nil {
		t.Fatal(err)
	}
	return &Deadlines{Calendars: cals, Policies: DefaultPolicies()}
}

// TestClockRunning: a satisfied reply clock, a paused decision clock and a
// closed case's clocks do not run, so they are never overdue (MarkOverdue).
func TestClockRunning(t *testing.T) {
	t.Parallel()
	told := time.Date(2026, 11, 21, 9, 0, 0, 0, Beijing)
	late := time.Date(2026, 12, 30, 9, 0, 0, 0, Beijing) // after every date below
	tests := []struct {
		name                     string
		change                   func(c *Case)
		reply, decision, agreed  bool // running
		replyLate, late, agreedL bool // overdue on the late day
	}{
		{"plain", nil, true, true, false, true, true, false},
		{"reply satisfied", func(c *Case) { c.ReplySatisfiedAt, c.ReplySatisfiedBy = &told, ActionContact },
			false, true, false, false, true, false},
		{"agreed date", func(c *Case) { c.ReplySatisfiedAt, c.AgreedReplyDue = &told, "2026-11-28" },
			false, true, true, false, true, true},
		{"paused", func(c *Case) { c.PausedSince = "2026-11-22" }, true, false, false, true, false, false},
		{"replied", func(c *Case) { c.Status, c.AgreedReplyDue = StatusReplied, "2026-11-28" },
			false, false, false, false, false, false},
	}
	for _, tt := range tests {
		c := guardCase(StatusAccepted, tt.change)
		c.ReplyDue, c.DecisionDue = "2026-11-23", "2026-12-05"
		if got := [3]bool{c.ClockRunning(DueReply), c.ClockRunning(DueDecision), c.ClockRunning(DueAgreedReply)}; got != [3]bool{tt.reply, tt.decision, tt.agreed} {
			t.Errorf("%s: running reply, decision, agreed = %v", tt.name, got)
		}
		c.MarkOverdue(late)
		if got := [3]bool{c.ReplyOverdue, c.Overdue, c.AgreedReplyOverdue}; got != [3]bool{tt.replyLate, tt.late, tt.agreedL} {
			t.Errorf("%s: overdue reply, decision, agreed = %v", tt.name, got)
		}
	}
}

// TestFirstContactSatisfiesReplyClock_Seed002Art7_三日内回复客户 (seed 002
// Art.7(二): 对当场不能答复的，应在三日内回复客户; Art.8(三): 和客户约定回复时限):
// the first contact satisfies the branch-reply clock and sets the agreed
// reply date; an extension notice and the final reply satisfy it too, the
// earliest answer being the one recorded.
func TestFirstContactSatisfiesReplyClock_Seed002Art7_三日内回复客户(t *testing.T) {
	t.Parallel()
	d := testDeadlines(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, Beijing)
	told := now.Add(-time.Hour)
	notice := Reply{NoticeMethod: NoticePhone, NoticeAt: told, NoticeProof: "电话录音 001"}

	c := guardCase(StatusAccepted, nil)
	if err := d.Apply(c); err != nil {
		t.Fatal(err)
	}
	req := &ActionRequest{Action: ActionContact, Version: 3, Text: "已向客户说明正在调查", AgreedReplyDate: "2026-11-30", Reply: notice}
	if err := req.Validate(now); err != nil {
		t.Fatal(err)
	}
	if _, err := Permit(ActionContact, c, uSubManager); err != nil {
		t.Fatal(err)
	}
	if _, err := ApplyAction(c, c.Status, ActionInput{Request: req, Actor: uSubManager, Deadlines: d, Now: now}); err != nil {
		t.Fatal(err)
	}
	if c.ReplySatisfiedAt == nil || !c.ReplySatisfiedAt.Equal(told) || c.ReplySatisfiedBy != ActionContact ||
		c.AgreedReplyDue != "2026-11-30" || c.Contact == nil || c.Contact.Text != req.Text || c.Contact.By != "mgr.sub" {
		t.Fatalf("after contact: satisfied %v by %s, agreed %s, contact %+v", c.ReplySatisfiedAt, c.ReplySatisfiedBy, c.AgreedReplyDue, c.Contact)
	}
	c.MarkOverdue(time.Date(2026, 11, 27, 9, 0, 0, 0, Beijing)) // after reply_due 2026-11-23
	if c.ReplyOverdue {
		t.Fatal("a contacted case is reply-overdue")
	}
	// A petition has no contact (its acceptance notice answers).
	petition := guardCase(StatusRegistered, func(c *Case) { c.Kind = KindPetition })
	if _, err := Permit(ActionContact, petition, uSubManager); ErrorCode(err) != ECONFLICT {
		t.Fatalf("contact on a petition: %v", err)
	}

	// An agreed date before the day the customer was told is refused.
	bad := &ActionRequest{Action: ActionContact, Version: 3, Text: "已联系", AgreedReplyDate: "2026-11-20", Reply: notice}
	if ErrorFields(bad.Validate(now))["agreed_reply_date"] == "" {
		t.Fatal("an agreed reply date before the notice was accepted")
	}

	// An extension with a notice satisfies the clock; one without does not.
	for _, withNotice := range []bool{false, true} {
		c := guardCase(StatusAccepted, nil)
		ext := &ActionRequest{Action: ActionExtend, Version: 3, Reason: "需调取外部证据"}
		if withNotice {
			ext.Reply = notice
		}
		if _, err := ApplyAction(c, c.Status, ActionInput{Request: ext, Actor: uSubManager, Deadlines: d, Now: now}); err != nil {
			t.Fatal(err)
		}
		if (c.ReplySatisfiedBy == ActionExtend) != withNotice {
			t.Errorf("extend with notice %v: satisfied by %q", withNotice, c.ReplySatisfiedBy)
		}
	}
}

// TestPetitionHandlingFromAcceptance_信访条例Art34_自受理之日起60日: a petition
// received on 2026-07-25 and accepted on day 10 (2026-08-04) with its
// written notice is handled within 60 days of acceptance: 2026-10-03, in the
// National Day holiday, moves to the first working day, 2026-10-08 (the
// policy's MoveOffHoliday). Counted from receipt it would have been
// 2026-09-23. The acceptance notice stops the 15-day clock.
func TestPetitionHandlingFromAcceptance_信访条例Art34_自受理之日起60日(t *testing.T) {
	t.Parallel()
	d := testDeadlines(t)
	c := guardCase(StatusRegistered, func(c *Case) {
		c.No, c.Kind, c.ClockStart = "XF20260725-00001", KindPetition, "2026-07-25"
	})
	c.ReceivedAt = time.Date(2026, 7, 25, 9, 0, 0, 0, Beijing)
	if err := d.StartClocks(c); err != nil {
		t.Fatal(err)
	}
	if c.ReplyDue != "2026-08-10" || c.DecisionDue != "2026-09-23" { // 08-09 is a Sunday: moved to Monday
		t.Fatalf("received: acceptance notice due %s, handling due %s", c.ReplyDue, c.DecisionDue)
	}
	now := time.Date(2026, 8, 4, 15, 0, 0, 0, Beijing)
	// Without its notice a petition's acceptance is refused.
	req := &ActionRequest{Action: ActionAccept, Version: 3}
	if _, err := ApplyAction(c, StatusAccepted, ActionInput{Request: req, Actor: uSubManager, Handler: uSubManager, Deadlines: d, Now: now}); ErrorFields(err)["notice_method"] == "" {
		t.Fatalf("petition accepted without its notice: %v", err)
	}
	req.Reply = Reply{NoticeMethod: NoticeLetter, NoticeAt: now.Add(-time.Hour), NoticeProof: "受理告知书 XF-001 挂号信"}
	if err := req.Validate(now); err != nil {
		t.Fatal(err)
	}
	fx, err := ApplyAction(c, StatusAccepted, ActionInput{Request: req, Actor: uSubManager, Handler: uSubManager, Deadlines: d, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusAccepted || c.AcceptDecision != DecisionAccepted || c.DecisionStart != "2026-08-04" || c.DecisionDue != "2026-10-08" {
		t.Fatalf("accepted: status %s, decision %s, from %s, handling due %s", c.Status, c.AcceptDecision, c.DecisionStart, c.DecisionDue)
	}
	if fx.Deadline == nil || fx.Deadline.Before != "2026-09-23" || fx.Deadline.After != "2026-10-08" || fx.Deadline.Notice == nil {
		t.Fatalf("deadline history: %+v", fx.Deadline)
	}
	c.MarkOverdue(time.Date(2026, 8, 20, 9, 0, 0, 0, Beijing)) // after the 15-day notice clock
	if c.ReplyOverdue || c.ReplySatisfiedBy != ActionAccept {
		t.Fatalf("accepted with notice: reply overdue %v, satisfied by %q", c.ReplyOverdue, c.ReplySatisfiedBy)
	}
	// The extension to 90 days still counts from acceptance.
	ext := &ActionRequest{Action: ActionExtend, Version: 4, Reason: "情况复杂", Approval: "SP-1", Reply: req.Reply}
	if _, err := ApplyAction(c, c.Status, ActionInput{Request: ext, Actor: uSubHead, Deadlines: d, Now: now}); err != nil {
		t.Fatal(err)
	}
	if c.DecisionDue != "2026-11-02" { // 2026-08-04 + 90 days
		t.Fatalf("extended: handling due %s", c.DecisionDue)
	}
}

// TestPetitionAcceptDecision_信访条例Art23: not accepted (不予受理) rejects
// the petition and forwarded (转送) closes it, each with its reason; a
// complaint has no such decision.
func TestPetitionAcceptDecision_信访条例Art23(t *testing.T) {
	t.Parallel()
	d := testDeadlines(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, Beijing)
	notice := Reply{NoticeMethod: NoticeLetter, NoticeAt: now.Add(-time.Hour), NoticeProof: "告知书"}
	for decision, want := range map[AcceptDecision]Status{DecisionNotAccepted: StatusRejected, DecisionForwarded: StatusClosed} {
		c := guardCase(StatusRegistered, func(c *Case) { c.Kind, c.DeadlinePolicy, c.DecisionClock = KindPetition, PolicyPetition, ClockHandling })
		req := &ActionRequest{Action: ActionAccept, Version: 3, Decision: decision, Reply: notice}
		if ErrorFields(req.Validate(now))["reason"] == "" {
			t.Errorf("%s without a reason was accepted", decision)
		}
		req.Reason = "不属于本行职责范围"
		if _, err := ApplyAction(c, StatusAccepted, ActionInput{Request: req, Actor: uSubManager, Handler: uSubManager, Deadlines: d, Now: now}); err != nil {
			t.Fatal(err)
		}
		if c.Status != want || c.EndReason != req.Reason || c.ClosedAt == nil || c.AcceptDecision != decision || c.DecisionStart != "" {
			t.Errorf("%s: status %s, reason %q, decision %s", decision, c.Status, c.EndReason, c.AcceptDecision)
		}
	}
	c := guardCase(StatusRegistered, nil)
	req := &ActionRequest{Action: ActionAccept, Version: 3, Decision: DecisionNotAccepted, Reason: "不属于投诉"}
	if ErrorFields(req.CheckRequest(c))["decision"] == "" {
		t.Fatal("a complaint took a not_accepted decision")
	}
}

// TestLaterContactRenegotiatesAgreedDate_Seed002Art8_和客户约定回复时限 (seed
// 002 Art.8(三): 和客户约定回复时限): a later contact agrees a new reply date;
// the first contact stays the one that answered the reply clock, the agreed
// clock moves with an entry in the deadline history, and a date agreed after
// the decision deadline is flagged, since the agreement does not move the
// law's deadline (CBIRC Order 2020 No.3 Art.18).
func TestLaterContactRenegotiatesAgreedDate_Seed002Art8_和客户约定回复时限(t *testing.T) {
	t.Parallel()
	d := testDeadlines(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, Beijing)
	c := guardCase(StatusAccepted, nil)
	if err := d.Apply(c); err != nil {
		t.Fatal(err)
	}
	contactOn := func(at time.Time, agreed string) *ActionEffect {
		t.Helper()
		req := &ActionRequest{Action: ActionContact, Version: 3, Text: "电话沟通处理进展", AgreedReplyDate: agreed,
			Reply: Reply{NoticeMethod: NoticePhone, NoticeAt: at.Add(-time.Hour), NoticeProof: "录音"}}
		if err := req.Validate(at); err != nil {
			t.Fatal(err)
		}
		if _, err := Permit(ActionContact, c, uSubManager); err != nil {
			t.Fatalf("contact on %s: %v", at, err)
		}
		fx, err := ApplyAction(c, c.Status, ActionInput{Request: req, Actor: uSubManager, Deadlines: d, Now: at})
		if err != nil {
			t.Fatal(err)
		}
		return fx
	}
	contactOn(now, "2026-11-28")
	first := *c.Contact
	fx := contactOn(now.AddDate(0, 0, 3), "2026-12-02")
	if c.AgreedReplyDue != "2026-12-02" || *c.Contact != first || !c.ReplySatisfiedAt.Equal(first.Notice.At) {
		t.Fatalf("after the second contact: agreed %s, contact %+v, satisfied %v", c.AgreedReplyDue, c.Contact, c.ReplySatisfiedAt)
	}
	if fx.Deadline == nil || fx.Deadline.Clock != ClockAgreedReply || fx.Deadline.Before != "2026-11-28" || fx.Deadline.After != "2026-12-02" {
		t.Fatalf("deadline history of the new agreed date: %+v", fx.Deadline)
	}
	c.MarkOverdue(now)
	if c.AgreedReplyLate {
		t.Fatalf("agreed %s within the decision deadline %s is flagged", c.AgreedReplyDue, c.DecisionDue)
	}
	// A date after the decision deadline is kept and flagged; the decision stays due on its day.
	due := c.DecisionDue
	contactOn(now.AddDate(0, 0, 4), "2027-01-15")
	c.MarkOverdue(now.AddDate(0, 0, 4))
	if !c.AgreedReplyLate || c.DecisionDue != due {
		t.Fatalf("agreed 2027-01-15 against decision due %s (was %s): flagged %v", c.DecisionDue, due, c.AgreedReplyLate)
	}
	// A contact that agrees nothing new leaves the history alone.
	if fx := contactOn(now.AddDate(0, 0, 5), ""); fx.Deadline != nil {
		t.Fatalf("a contact without a new date changed the history: %+v", fx.Deadline)
	}
}
