package sqldb

import (
	"strings"
	"testing"
	"time"

	"redress"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDeadlinesAtRegistration(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj") // a complaint received 2026-11-20 09:30
	if c.ReplyDue != "2026-11-23" || c.DecisionDue != "2026-12-05" || c.DecisionClock != "decision" ||
		c.DeadlinePolicy != "complaint" || c.ClockStart != "2026-11-20" || c.DueWarning != "" {
		t.Fatalf("complaint: %s %s %s %s %s %q", c.ReplyDue, c.DecisionDue, c.DecisionClock, c.DeadlinePolicy, c.ClockStart, c.DueWarning)
	}
	if len(c.DeadlineHistory) != 1 || c.DeadlineHistory[0].After != "2026-12-05" || c.DeadlineHistory[0].Action != "register" {
		t.Fatalf("history: %+v", c.DeadlineHistory)
	}
	// A petition: acceptance notice in 15 days, handling in 60, moved off a weekend.
	f.clock = at("2026-11-21T10:00:00+08:00")
	p := sampleCase()
	p.Kind, p.Channel, p.ReceivedAt = redress.KindPetition, redress.ChannelVisit, at("2026-09-01T10:00:00+08:00")
	pc, err := f.cases.CreateCase(f.as("staff.bj"), p)
	if err != nil {
		t.Fatal(err)
	}
	// 2026-09-01 + 60 = 2026-10-31, a Saturday: moved to Monday 2026-11-02.
	if pc.ReplyDue != "2026-09-16" || pc.DecisionDue != "2026-11-02" || pc.DecisionClock != "handling" || pc.DeadlinePolicy != "petition" {
		t.Fatalf("petition: %s %s %s", pc.ReplyDue, pc.DecisionDue, pc.DecisionClock)
	}
	// A regulator's case keeps the regulator's date.
	r := sampleCase()
	r.Channel, r.RegulatorRef, r.RegulatorDue = redress.ChannelRegulator, "12378-2026-000123", "2026-11-30"
	r.RegulatorSource = redress.Source12378
	rc, err := f.cases.CreateCase(f.as("staff.bj"), r)
	if err != nil || rc.DecisionDue != "2026-11-30" || rc.RegulatorRef != "12378-2026-000123" {
		t.Fatalf("regulator case: %+v %v", rc, err)
	}
	r.RegulatorDue = ""
	_, err = f.cases.CreateCase(f.as("staff.bj"), r)
	wantCode(t, err, redress.EINVALID)
	rc = f.act(t, "mgr.bj", rc, redress.ActionRequest{Action: redress.ActionAccept})
	_, err = f.cases.Act(f.as("mgr.bj"), rc.No, redress.ActionRequest{Action: redress.ActionExtend, Version: rc.Version, Reason: "案情复杂"})
	wantCode(t, err, redress.ECONFLICT)
}

func TestMissingCalendarYearAtIntake(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := sampleCase()
	p.Kind = redress.KindPetition // handling 60 days from 2026-11-20 ends in 2027, which has no calendar yet
	c, err := f.cases.CreateCase(f.as("staff.bj"), p)
	if err != nil {
		t.Fatalf("a petition must be registered even without next year's calendar: %v", err)
	}
	if c.DecisionDue != "2027-01-19" || !strings.Contains(c.DueWarning, "no CN holiday schedule for 2027") {
		t.Fatalf("fallback: %s %q", c.DecisionDue, c.DueWarning)
	}
	// The admin adds 2027 (a schedule in which 2027-01-19 is a holiday, for the test).
	deadlines := NewDeadlineService(f.db)
	y2027 := redress.YearSchedule{Region: "CN", Year: 2027, Source: "测试日历",
		Holidays: []redress.Holiday{{Name: "测试假日", From: redress.NewDate(2027, 1, 19), To: redress.NewDate(2027, 1, 20)}}}
	_, err = deadlines.SaveSchedule(f.as("mgr.bj"), y2027)
	wantCode(t, err, redress.EFORBIDDEN)
	if _, err := deadlines.SaveSchedule(f.as("admin"), y2027); err != nil {
		t.Fatal(err)
	}
	c2, err := f.cases.CreateCase(f.as("staff.bj"), p)
	// The acceptance notice (15 days) lands on Saturday 12-05 and moves to
	// Monday; the handling clock lands on the test holiday and moves too. The
	// warning names both unmoved dates and no longer a missing year.
	if err != nil || c2.ReplyDue != "2026-12-07" || c2.DecisionDue != "2027-01-21" ||
		!strings.Contains(c2.DueWarning, "2027-01-19") || !strings.Contains(c2.DueWarning, "2026-12-05") ||
		strings.Contains(c2.DueWarning, "no CN holiday schedule") {
		t.Fatalf("with the 2027 calendar: %s %s %q %v", c2.ReplyDue, c2.DecisionDue, c2.DueWarning, err)
	}
	due, err := deadlines.Due(f.as("staff.bj"), redress.DueQuery{From: redress.NewDate(2027, 1, 15), Days: 3, Unit: redress.UnitWorking})
	if err != nil || due.Date.String() != "2027-01-22" {
		t.Fatalf("working days in 2027: %v %v", due, err)
	}
	list, err := deadlines.Schedules(f.as("staff.bj"), "CN")
	if err != nil || len(list) != 3 || list[2].Origin != "override" || list[0].Origin != "embedded" {
		t.Fatalf("schedules: %+v %v", list, err)
	}
	if err := deadlines.DeleteSchedule(f.as("admin"), "CN", 2027); err != nil {
		t.Fatal(err)
	}
	_, err = deadlines.Due(f.as("staff.bj"), redress.DueQuery{From: redress.NewDate(2027, 1, 15), Days: 3, Unit: redress.UnitWorking})
	if redress.ErrorCode(err) != redress.EINVALID || !strings.Contains(err.Error(), "2027") {
		t.Fatalf("a working-day deadline in a year without data must fail explicitly: %v", err)
	}
	bad := y2027
	bad.Workdays = []redress.Workday{{Date: redress.NewDate(2027, 3, 3), Name: "周三"}} // a Wednesday is no make-up day
	_, err = deadlines.SaveSchedule(f.as("admin"), bad)
	wantCode(t, err, redress.EINVALID)
}

func TestDeadlineQuery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	deadlines := NewDeadlineService(f.db)
	tests := []struct {
		q    redress.DueQuery
		want string
	}{
		{redress.DueQuery{From: redress.NewDate(2026, 2, 12), Days: 5, Unit: redress.UnitWorking}, "2026-02-26"},
		{redress.DueQuery{From: redress.NewDate(2026, 2, 12), Days: 5, Unit: redress.UnitCalendar}, "2026-02-17"},
		{redress.DueQuery{From: redress.NewDate(2024, 3, 1), Policy: "complaint", Clock: "decision"}, "2024-03-16"},
		{redress.DueQuery{From: redress.NewDate(2026, 9, 30), Policy: "petition", Clock: "wrong_forward_objection"}, "2026-10-13"},
	}
	for _, tt := range tests {
		due, err := deadlines.Due(f.as("staff.bj"), tt.q)
		if err != nil || due.Date.String() != tt.want {
			t.Errorf("%+v: %v %v, want %s", tt.q, due, err, tt.want)
		}
	}
	for _, bad := range []redress.DueQuery{{Days: 5, Unit: redress.UnitWorking}, {From: redress.NewDate(2026, 1, 1), Days: 5, Unit: "fortnights"},
		{From: redress.NewDate(2026, 1, 1), Policy: "complaint"}} {
		if _, err := deadlines.Due(f.as("staff.bj"), bad); redress.ErrorCode(err) != redress.EINVALID {
			t.Errorf("%+v: want invalid, got %v", bad, err)
		}
	}
	_, err := deadlines.Due(f.as("staff.bj"), redress.DueQuery{From: redress.NewDate(2026, 1, 1), Policy: "nope", Clock: "x"})
	wantCode(t, err, redress.ENOTFOUND)
}

func TestExtend(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	_, err := f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionExtend, Version: c.Version})
	wantCode(t, err, redress.EINVALID) // a reason is required
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionExtend, Reason: "案情复杂，需调取多方证据"})
	if c.DecisionClock != "decision_extended" || c.DecisionDue != "2026-12-20" {
		t.Fatalf("15 → 30: %s %s", c.DecisionClock, c.DecisionDue)
	}
	notice := redress.Reply{NoticeMethod: redress.NoticePhone, NoticeAt: f.clock, NoticeProof: "电话录音 R-9"}
	// 30 → 60: the manager and the sub-branch head are not the superior institution.
	for _, login := range []string{"mgr.bj", "head.bj"} {
		_, err := f.cases.Act(f.as(login), c.No, redress.ActionRequest{Action: redress.ActionExtend, Version: c.Version,
			Reason: "特别复杂", Approval: "审批-001", Reply: notice})
		wantCode(t, err, redress.EFORBIDDEN)
	}
	// Head office approves, but without a notice to the customer it is refused.
	_, err = f.cases.Act(f.as("hq.svc"), c.No, redress.ActionRequest{Action: redress.ActionExtend, Version: c.Version,
		Reason: "特别复杂", Approval: "审批-001"})
	if _, ok := redress.ErrorFields(err)["notice_method"]; !ok {
		t.Fatalf("an extension to 60 days needs a notice: %v", err)
	}
	_, err = f.cases.Act(f.as("hq.svc"), c.No, redress.ActionRequest{Action: redress.ActionExtend, Version: c.Version,
		Reason: "特别复杂", Reply: notice})
	if _, ok := redress.ErrorFields(err)["approval"]; !ok {
		t.Fatalf("an extension to 60 days needs the approval's reference: %v", err)
	}
	c = f.act(t, "hq.svc", c, redress.ActionRequest{Action: redress.ActionExtend, Reason: "特别复杂", Approval: "审批-001", Reply: notice})
	if c.DecisionClock != "decision_max" || c.DecisionDue != "2027-01-19" {
		t.Fatalf("30 → 60: %s %s", c.DecisionClock, c.DecisionDue)
	}
	last := c.DeadlineHistory[len(c.DeadlineHistory)-1]
	if len(c.DeadlineHistory) != 3 || last.Before != "2026-12-20" || last.After != "2027-01-19" || last.Approval != "审批-001" ||
		last.Notice == nil || last.Notice.Proof != "电话录音 R-9" || last.Actor != "hq.svc" {
		t.Fatalf("history: %+v", c.DeadlineHistory)
	}
	_, err = f.cases.Act(f.as("hq.svc"), c.No, redress.ActionRequest{Action: redress.ActionExtend, Version: c.Version, Reason: "再延", Approval: "x", Reply: notice})
	wantCode(t, err, redress.ECONFLICT)
	events, _ := f.cases.CaseEvents(f.as("auditor"), c.No)
	lastEvent := events[len(events)-1]
	found := false
	for _, ch := range lastEvent.Changes {
		if ch.Field == "decision_due" && ch.Before == "2026-12-20" && ch.After == "2027-01-19" {
			found = true
		}
	}
	if lastEvent.Action != "case.extend" || !found {
		t.Fatalf("the extension's audit event: %+v", lastEvent)
	}
}

func TestPauseResumeAndNewFacts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	notice := redress.Reply{NoticeMethod: redress.NoticeLetter, NoticeAt: f.clock, NoticeProof: "挂号信 XA123"}
	_, err := f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionPause, Version: c.Version, Reason: "等待", Reply: notice})
	if _, ok := redress.ErrorFields(err)["cause"]; !ok {
		t.Fatalf("only appraisal or mediation stops the clock: %v", err)
	}
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionPause, Version: c.Version, Cause: redress.PauseMediation, Reason: "进入调解"})
	wantCode(t, err, redress.EINVALID) // each stop has a notice
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionPause, Cause: redress.PauseMediation, Reason: "提交调解组织调解", Reply: notice})
	if c.PausedSince != "2026-11-21" {
		t.Fatalf("paused since %s", c.PausedSince)
	}
	f.clock = at("2026-12-10T10:00:00+08:00") // past the old due date of 12-05, but the clock stood still
	c, _ = f.cases.Case(f.as("mgr.bj"), c.No)
	if c.Overdue {
		t.Fatal("a paused clock is not overdue")
	}
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionPause, Version: c.Version, Cause: redress.PauseAppraisal, Reason: "再停", Reply: notice})
	wantCode(t, err, redress.ECONFLICT)
	notice.NoticeAt = f.clock
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionResume, Reason: "调解未成", Reply: notice})
	// Paused from 11-21 to 12-10: 19 days; 12-05 + 19 = 12-24.
	if c.PausedSince != "" || c.PausedDays != 19 || c.DecisionDue != "2026-12-24" || c.Overdue {
		t.Fatalf("resumed: since %q days %d due %s overdue %v", c.PausedSince, c.PausedDays, c.DecisionDue, c.Overdue)
	}
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionResume, Version: c.Version, Reply: notice})
	wantCode(t, err, redress.ECONFLICT)
	c = f.act(t, "staff.bj", c, redress.ActionRequest{Action: redress.ActionNote, Text: "客户补充材料"})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionNewFacts, Reason: "客户提交新的交易凭证",
		FactsReceivedAt: at("2026-12-08T15:00:00+08:00")})
	if c.ClockStart != "2026-12-08" || c.ReplyDue != "2026-12-11" || c.DecisionDue != "2026-12-23" || c.PausedDays != 0 {
		t.Fatalf("new facts: start %s reply %s decision %s paused %d", c.ClockStart, c.ReplyDue, c.DecisionDue, c.PausedDays)
	}
	_, err = f.cases.Act(f.as("mgr.bj"), c.No, redress.ActionRequest{Action: redress.ActionNewFacts, Version: c.Version, Reason: "更早的材料",
		FactsReceivedAt: at("2026-12-01T15:00:00+08:00")})
	wantCode(t, err, redress.EINVALID)
	actions := []string{}
	for _, d := range c.DeadlineHistory {
		actions = append(actions, d.Action+":"+d.After)
	}
	if got := strings.Join(actions, " "); got != "register:2026-12-05 pause:2026-12-05 resume:2026-12-24 new_facts:2026-12-23" {
		t.Fatalf("deadline history: %s", got)
	}
	report, err := NewAuditService(f.db).VerifyAudit(f.as("auditor"))
	if err != nil || !report.OK {
		t.Fatalf("audit: %+v %v", report, err)
	}
}

func TestPolicyOverride(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	deadlines := NewDeadlineService(f.db)
	policies, err := deadlines.Policies(f.as("staff.bj"))
	if err != nil || len(policies) != 5 {
		t.Fatalf("policies: %d %v", len(policies), err)
	}
	complaint, _ := redress.FindPolicy(policies, "complaint")
	for i := range complaint.Clocks {
		complaint.Clocks[i].MoveOffHoliday = true // the bank decides to apply Civil Code Art.203
	}
	_, err = deadlines.SavePolicy(f.as("mgr.bj"), complaint)
	wantCode(t, err, redress.EFORBIDDEN)
	// An intake before the change fills the server's deadline cache; the
	// admin's change must reach the next intake at once all the same.
	if c := f.register(t, "staff.bj"); c.DecisionDue != "2026-12-05" {
		t.Fatalf("before the override the decision is due on the Saturday: %s", c.DecisionDue)
	}
	if _, err := deadlines.SavePolicy(f.as("admin"), complaint); err != nil {
		t.Fatal(err)
	}
	c := f.register(t, "staff.bj")
	if c.DecisionDue != "2026-12-07" || c.ReplyDue != "2026-11-23" {
		t.Fatalf("with moving clocks the Saturday 12-05 moves to Monday: %s %s", c.DecisionDue, c.ReplyDue)
	}
	broken := complaint
	broken.Clocks = broken.Clocks[:1]
	_, err = deadlines.SavePolicy(f.as("admin"), broken)
	wantCode(t, err, redress.EINVALID)
}
