package sqldb

import (
	"context"
	"strings"
	"testing"
	"time"

	"redress"
)

// contactRequest is a first contact told by phone at the given time, with
// the reply date agreed.
func contactRequest(at time.Time, agreed string) redress.ActionRequest {
	return redress.ActionRequest{Action: redress.ActionContact, Text: "已向客户说明正在调取销售录音录像，约定答复时间",
		AgreedReplyDate: agreed,
		Reply:           redress.Reply{NoticeMethod: redress.NoticePhone, NoticeAt: at, NoticeProof: "电话录音 R-20261121-07"}}
}

// TestContactStopsBranchReplyClock_Seed002Art7_三日内回复客户: seed 002
// Art.7(二) "对当场不能答复的，应在三日内回复客户" and Art.8(三) "和客户约定回复时限".
// A complaint received Friday 2026-11-20 (branch reply due 2026-11-23) is
// contacted on 2026-11-21 with a reply agreed for 2026-11-27: on Tuesday the
// reply clock is satisfied, not overdue and not escalated; the agreed date
// has its own reminder (due soon, then overdue, notified without escalation).
func TestContactStopsBranchReplyClock_Seed002Art7_三日内回复客户(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept, Handler: "staff.bj"})
	told := f.clock.Add(-time.Hour) // Saturday 2026-11-21 09:00, within 3 days
	c = f.act(t, "staff.bj", c, contactRequest(told, "2026-11-27"))
	if c.ReplySatisfiedAt == nil || !c.ReplySatisfiedAt.Equal(told) || c.ReplySatisfiedBy != redress.ActionContact ||
		c.AgreedReplyDue != "2026-11-27" || c.Contact == nil || c.Contact.By != "staff.bj" ||
		c.Contact.Notice.Proof != "电话录音 R-20261121-07" || c.ReplyDue != "2026-11-23" {
		t.Fatalf("contacted: %+v %s %s %+v", c.ReplySatisfiedAt, c.ReplySatisfiedBy, c.AgreedReplyDue, c.Contact)
	}
	events, err := f.cases.CaseEvents(f.as("auditor"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Action != "case.contact" || !strings.Contains(last.Detail, "约定答复时间") {
		t.Fatalf("last event: %s %q", last.Action, last.Detail)
	}

	// Tuesday 2026-11-24: the branch reply's last day has passed, but the
	// customer was answered: nothing is due, nothing escalated.
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 24, 9), SweepOptions{}), 0, 0, 0, 0)
	got, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	if got.ReplyOverdue || got.Level != 2 || got.Version != c.Version {
		t.Fatalf("after the sweep: reply overdue %v, level %d, version %d", got.ReplyOverdue, got.Level, got.Version)
	}

	// Thursday 2026-11-26: the agreed date (Friday) is due soon.
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 26, 9), SweepOptions{}), 1, 0, 0, 2)
	if n := f.inbox(t, "staff.bj")[0]; n.Subject != "【投诉管理】案件 "+c.No+" 约定答复期限将至" {
		t.Fatalf("due-soon notice: %s", n.Subject)
	}
	// Saturday 2026-11-28: the agreed date passed: notified, not escalated.
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 28, 9), SweepOptions{}), 0, 1, 0, 2)
	n := f.inbox(t, "staff.bj")[0]
	if n.Kind != redress.NotifyOverdue || !strings.Contains(n.Body, "约定答复期限为 2026-11-27，已超期 1 天，请尽快答复客户。") {
		t.Fatalf("overdue notice: %s / %s", n.Subject, n.Body)
	}
	if got, err = f.cases.Case(f.as("mgr.bj"), c.No); err != nil || got.Level != 2 || !got.AgreedReplyOverdue || got.ReplyOverdue {
		t.Fatalf("after the agreed date: level %d, agreed overdue %v, reply overdue %v, %v", got.Level, got.AgreedReplyOverdue, got.ReplyOverdue, err)
	}
}

// TestExtensionNoticeSatisfiesReplyClock_Order3Art18: an extension with a
// recorded notice to the customer (CBIRC Order 2020 No.3 Art.18: 告知投诉人)
// answers the customer: the branch reply is satisfied and the sweep neither
// reports nor escalates it; the same case extended without a notice is
// escalated as before.
func TestExtensionNoticeSatisfiesReplyClock_Order3Art18(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var cases [2]*redress.Case
	for i, withNotice := range []bool{true, false} {
		c := f.register(t, "staff.bj")
		c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept, Handler: "staff.bj"})
		req := redress.ActionRequest{Action: redress.ActionExtend, Reason: "需调取外部证据"}
		if withNotice {
			req.Reply = redress.Reply{NoticeMethod: redress.NoticeSMS, NoticeAt: f.clock.Add(-time.Hour), NoticeProof: "短信 SMS-001"}
		}
		cases[i] = f.act(t, "mgr.bj", c, req)
	}
	if cases[0].ReplySatisfiedBy != redress.ActionExtend || cases[1].ReplySatisfiedAt != nil {
		t.Fatalf("satisfied by %q / %v", cases[0].ReplySatisfiedBy, cases[1].ReplySatisfiedAt)
	}
	r := f.sweep(t, bjTime(2026, 11, 24, 9), SweepOptions{})
	wantCounts(t, r, 0, 1, 1, 2) // only the case without a notice
	for i, want := range []int{2, 3} {
		got, err := f.cases.Case(f.as("mgr.bj"), cases[i].No)
		if err != nil {
			t.Fatal(err)
		}
		if got.Level != want || got.ReplyOverdue != (i == 1) {
			t.Errorf("case %d: level %d, reply overdue %v", i, got.Level, got.ReplyOverdue)
		}
	}
}

// TestPetitionAcceptedOnDay10_信访条例Art34_自受理之日起60日: a petition
// received 2026-07-25 and accepted on day 10 (2026-08-04) with its written
// notice (信访工作条例 Art.23) is handled within 60 days of acceptance
// (Art.34): 2026-10-03 falls in the National Day holiday and moves to
// 2026-10-08 (the policy moves it off the holiday). The acceptance notice
// stops the 15-day clock: the sweep after it reports nothing.
func TestPetitionAcceptedOnDay10_信访条例Art34_自受理之日起60日(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.Kind, n.ReceivedAt = redress.KindPetition, time.Date(2026, 7, 25, 9, 0, 0, 0, redress.Beijing)
	f.clock = time.Date(2026, 7, 25, 10, 0, 0, 0, redress.Beijing)
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	if c.ReplyDue != "2026-08-10" || c.DecisionDue != "2026-09-23" {
		t.Fatalf("received: acceptance notice due %s, handling due %s", c.ReplyDue, c.DecisionDue)
	}
	f.clock = time.Date(2026, 8, 4, 15, 0, 0, 0, redress.Beijing)
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionAccept, Version: c.Version})
	if redress.ErrorFields(err)["notice_method"] == "" {
		t.Fatalf("a petition accepted without its notice: %v", err)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept, Handler: "staff.bj",
		Reply: redress.Reply{NoticeMethod: redress.NoticeLetter, NoticeAt: f.clock.Add(-time.Hour), NoticeProof: "受理告知书 挂号信 XA001"}})
	if c.Status != redress.StatusAccepted || c.AcceptDecision != redress.DecisionAccepted || c.DecisionStart != "2026-08-04" ||
		c.DecisionDue != "2026-10-08" || c.ReplySatisfiedBy != redress.ActionAccept {
		t.Fatalf("accepted: %s %s from %s, due %s, satisfied by %q", c.Status, c.AcceptDecision, c.DecisionStart, c.DecisionDue, c.ReplySatisfiedBy)
	}
	last := c.DeadlineHistory[len(c.DeadlineHistory)-1]
	if last.Action != "accept" || last.Before != "2026-09-23" || last.After != "2026-10-08" || last.Notice == nil ||
		last.Notice.Proof != "受理告知书 挂号信 XA001" {
		t.Fatalf("deadline history: %+v", last)
	}
	// 2026-08-12: past the 15-day notice clock, which the notice stopped.
	wantCounts(t, f.sweep(t, bjTime(2026, 8, 12, 9), SweepOptions{}), 0, 0, 0, 0)
	if got, err := f.cases.Case(f.as("mgr.bj"), c.No); err != nil || got.ReplyOverdue || got.Level != 2 {
		t.Fatalf("after the sweep: %+v %v", got, err)
	}

	// Not accepted (不予受理): the petition is rejected with the reason.
	f.clock = time.Date(2026, 8, 4, 16, 0, 0, 0, redress.Beijing)
	other, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	other = f.act(t, "mgr.bj", other, redress.ActionRequest{Action: redress.ActionAccept, Decision: redress.DecisionNotAccepted,
		Reason: "已经或者依法应当通过诉讼解决", Reply: redress.Reply{NoticeMethod: redress.NoticeLetter, NoticeAt: f.clock, NoticeProof: "不予受理告知书"}})
	if other.Status != redress.StatusRejected || other.EndReason != "已经或者依法应当通过诉讼解决" || other.AcceptDecision != redress.DecisionNotAccepted {
		t.Fatalf("not accepted: %s %q %s", other.Status, other.EndReason, other.AcceptDecision)
	}
}

// TestMigrationSatisfiesContactedCases: migration 0009 marks the reply
// clock of the cases already answered satisfied: extended with a notice (at
// the notice's time), or replied (at the reply's).
func TestMigrationSatisfiesContactedCases(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	plain := f.register(t, "staff.bj")
	extended := f.register(t, "staff.bj")
	extended = f.act(t, "mgr.bj", extended, redress.ActionRequest{Action: redress.ActionExtend, Reason: "需调取外部证据",
		Reply: redress.Reply{NoticeMethod: redress.NoticeSMS, NoticeAt: f.clock.Add(-time.Hour), NoticeProof: "短信 SMS-001"}})
	bare := f.register(t, "staff.bj")
	f.act(t, "mgr.bj", bare, redress.ActionRequest{Action: redress.ActionExtend, Reason: "需调取外部证据"})
	replied := f.register(t, "staff.bj")
	replied = f.act(t, "staff.bj", replied, redress.ActionRequest{Action: redress.ActionResolveOnSpot, Determination: redress.Determination{
		Liability: redress.LiabilityNoFault, RootCause: "客户误解产品说明"}, Reply: replyAt(f.clock)})
	f.exec(t, `UPDATE cases SET reply_satisfied_at = NULL, reply_satisfied_by = ''`)

	script, err := migrations.ReadFile("migrations/" + f.db.dialect.name + "/0009_contact.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, data, ok := strings.Cut(string(script), "-- Existing cases")
	data, _, _ = strings.Cut(data, "-- The sweep")
	if !ok {
		t.Fatal("the migration has no data step")
	}
	err = f.db.inTx(context.Background(), func(tx *Tx) error { return tx.execScript(context.Background(), "-- "+data) })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{plain.No: "", extended.No: "extend", bare.No: "", replied.No: "reply"}
	for no, by := range want {
		c, err := f.cases.Case(f.as("mgr.bj"), no)
		if err != nil {
			t.Fatal(err)
		}
		if string(c.ReplySatisfiedBy) != by || (c.ReplySatisfiedAt != nil) != (by != "") {
			t.Errorf("%s: satisfied by %q at %v, want %q", no, c.ReplySatisfiedBy, c.ReplySatisfiedAt, by)
		}
	}
	if c, _ := f.cases.Case(f.as("mgr.bj"), extended.No); c.ReplySatisfiedAt == nil || !c.ReplySatisfiedAt.Equal(f.clock.Add(-time.Hour)) {
		t.Errorf("extended: satisfied at %v", c.ReplySatisfiedAt)
	}
}

// TestLaterContactMovesAgreedDate_Seed002Art8_和客户约定回复时限: seed 002
// Art.8(三) "和客户约定回复时限". The customer calls again and a new reply
// date is agreed: the first contact stays the one that answered the reply
// clock, the agreed clock moves (in the deadline history, with a fresh
// reminder on its new date), and a date agreed after the decision deadline
// is kept but flagged: the agreement does not extend CBIRC Order 2020 No.3
// Art.18's deadline.
func TestLaterContactMovesAgreedDate_Seed002Art8_和客户约定回复时限(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept, Handler: "staff.bj"})
	told := f.clock.Add(-time.Hour)
	c = f.act(t, "staff.bj", c, contactRequest(told, "2026-11-27"))
	first := *c.Contact
	c = f.act(t, "staff.bj", c, contactRequest(told.Add(30*time.Minute), "2026-12-01"))
	if c.AgreedReplyDue != "2026-12-01" || !c.Contact.Notice.At.Equal(first.Notice.At) || !c.ReplySatisfiedAt.Equal(told) || c.AgreedReplyLate {
		t.Fatalf("after the second contact: agreed %s, contact at %v, satisfied %v, flagged %v",
			c.AgreedReplyDue, c.Contact.Notice.At, c.ReplySatisfiedAt, c.AgreedReplyLate)
	}
	last := c.DeadlineHistory[len(c.DeadlineHistory)-1]
	if last.Action != string(redress.ActionContact) || last.Clock != redress.ClockAgreedReply || last.Before != "2026-11-27" || last.After != "2026-12-01" {
		t.Fatalf("deadline history: %+v", last)
	}
	// The old date passes without a notice; the new one is reminded.
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 28, 9), SweepOptions{}), 0, 0, 0, 0)
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 30, 9), SweepOptions{}), 1, 0, 0, 2)

	c, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	c = f.act(t, "staff.bj", c, contactRequest(told.Add(time.Hour), "2027-01-20"))
	if !c.AgreedReplyLate || c.DecisionDue >= "2027-01-20" {
		t.Fatalf("agreed 2027-01-20 against decision due %s: flagged %v", c.DecisionDue, c.AgreedReplyLate)
	}
}
