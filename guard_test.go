package redress

import (
	"slices"
	"testing"
	"time"
)

// Units of a small bank, as materialised paths.
const (
	pathHQ     = "/1/"
	pathBJ     = "/1/2/"
	pathBJHD   = "/1/2/3/"
	pathBJHD01 = "/1/2/3/4/"
	pathSH     = "/1/5/"
)

func guardUser(login string, role Role, path string, kind OrgKind) *User {
	return &User{Login: login, Role: role, OrgPath: path, OrgKind: kind}
}

var (
	uStaff      = guardUser("staff", RoleStaff, pathBJHD01, OrgOutlet)
	uSubManager = guardUser("mgr.sub", RoleManager, pathBJHD, OrgSubBranch)
	uSubHead    = guardUser("head.sub", RoleBranchHead, pathBJHD, OrgSubBranch)
	uBranchMgr  = guardUser("mgr.bj", RoleManager, pathBJ, OrgBranch)
	uBranchHead = guardUser("head.bj", RoleBranchHead, pathBJ, OrgBranch)
	uHQ         = guardUser("hq", RoleHQService, pathHQ, OrgHQ)
	uSHManager  = guardUser("mgr.sh", RoleManager, pathSH, OrgBranch)
)

// guardCase is a complaint registered at the Zhongguancun outlet.
func guardCase(status Status, change func(c *Case)) *Case {
	c := &Case{No: "TS20261120-00001", Kind: KindComplaint, Status: status, Level: 2, Version: 3,
		OrgPath: pathBJHD01, OriginOrgPath: pathBJHD01, DeadlinePolicy: PolicyComplaint, DecisionClock: ClockDecision,
		ClockStart: "2026-11-20"}
	if change != nil {
		change(c)
	}
	return c
}

func testDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCaseRules(t *testing.T) {
	determined := func(c *Case) { c.Determination = &Determination{Liability: LiabilityNoFault, RootCause: "误解"} }
	tests := []struct {
		name   string
		action Action
		c      *Case
		u      *User
		want   string // error code, "" for allowed
	}{
		{"sign-off by the branch head", ActionSignOff, guardCase(StatusReplied, nil), uSubHead, ""},
		{"Order 2020 No.3 Art.13: the handler never signs off", ActionSignOff,
			guardCase(StatusReplied, func(c *Case) { c.Handler = "head.sub" }), uSubHead, EFORBIDDEN},
		{"the staff member complained about never signs off", ActionSignOff,
			guardCase(StatusReplied, func(c *Case) { c.Respondent.Staff = "head.sub" }), uSubHead, EFORBIDDEN},
		{"a complaint is determined before its reply", ActionReply, guardCase(StatusInvestigating, nil), uSubManager, ECONFLICT},
		{"a determined complaint may be replied to", ActionReply, guardCase(StatusInvestigating, determined), uSubManager, ""},
		{"a petition needs no determination before its reply", ActionReply,
			guardCase(StatusInvestigating, func(c *Case) { c.Kind = KindPetition }), uSubManager, ""},
		{"回避: a declared conflict leaves only notes", ActionAccept,
			guardCase(StatusRegistered, func(c *Case) { c.Conflicts = []Entry{{Author: "mgr.sub"}} }), uSubManager, EFORBIDDEN},
		{"回避: notes stay open after a conflict", ActionNote,
			guardCase(StatusRegistered, func(c *Case) { c.Conflicts = []Entry{{Author: "mgr.sub"}} }), uSubManager, ""},
		{"a manager escalates to the branch head", ActionEscalate, guardCase(StatusAccepted, nil), uSubManager, ""},
		{"only the branch head or head office takes a case to head office", ActionEscalate,
			guardCase(StatusAccepted, func(c *Case) { c.Level = 3 }), uSubManager, EFORBIDDEN},
		{"the branch head takes a case to head office", ActionEscalate,
			guardCase(StatusAccepted, func(c *Case) { c.Level = 3 }), uSubHead, ""},
		{"level 4 is the top", ActionEscalate, guardCase(StatusAccepted, func(c *Case) { c.Level = 4 }), uHQ, ECONFLICT},
		{"Order 2020 No.3 Art.18: 15 → 30 days by a manager", ActionExtend, guardCase(StatusAccepted, nil), uSubManager, ""},
		{"Order 2020 No.3 Art.18: 30 → 60 days needs the superior institution", ActionExtend,
			guardCase(StatusAccepted, func(c *Case) { c.DecisionClock = ClockDecisionExtended }), uSubHead, EFORBIDDEN},
		{"Order 2020 No.3 Art.18: 30 → 60 days approved by the branch", ActionExtend,
			guardCase(StatusAccepted, func(c *Case) { c.DecisionClock = ClockDecisionExtended }), uBranchMgr, ""},
		{"no extension past the longest clock", ActionExtend,
			guardCase(StatusAccepted, func(c *Case) { c.DecisionClock = ClockDecisionMax }), uHQ, ECONFLICT},
		{"no extension while paused", ActionExtend,
			guardCase(StatusAccepted, func(c *Case) { c.PausedSince = "2026-11-21" }), uSubManager, ECONFLICT},
		{"the regulator's due date is not extended here", ActionExtend,
			guardCase(StatusAccepted, func(c *Case) { c.RegulatorDue = "2026-12-05" }), uSubManager, ECONFLICT},
		{"no second pause", ActionPause,
			guardCase(StatusAccepted, func(c *Case) { c.PausedSince = "2026-11-21" }), uSubManager, ECONFLICT},
		{"no resume without a pause", ActionResume, guardCase(StatusAccepted, nil), uSubManager, ECONFLICT},
		{"resume a pause", ActionResume,
			guardCase(StatusAccepted, func(c *Case) { c.PausedSince = "2026-11-21" }), uSubManager, ""},
		{"no new facts while paused", ActionNewFacts,
			guardCase(StatusAccepted, func(c *Case) { c.PausedSince = "2026-11-21" }), uStaff, ECONFLICT},
		{"the lifecycle table still decides: staff may not accept", ActionAccept, guardCase(StatusRegistered, nil), uStaff, EFORBIDDEN},
		{"the lifecycle table still decides: no sign-off before the reply", ActionSignOff,
			guardCase(StatusInvestigating, nil), uSubHead, ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Permit(tt.action, tt.c, tt.u)
			if got := ErrorCode(err); got != tt.want {
				t.Fatalf("Permit(%s) = %v, want code %q", tt.action, err, tt.want)
			}
			if offered := slices.Contains(AvailableActions(tt.c, tt.u), tt.action); offered != (tt.want == "") {
				t.Fatalf("AvailableActions offers %s: %v, but Permit says %v", tt.action, offered, err)
			}
		})
	}
}

// TestMayApproveExtension: Order 2020 No.3 Art.18 (a complaint's last
// extension by the branch head's superior institution or head office) and
// 信访工作条例 Art.34 (a petition's by the head of the handling unit).
func TestMayApproveExtension(t *testing.T) {
	complaint := guardCase(StatusAccepted, nil)
	petition := guardCase(StatusAccepted, func(c *Case) { c.Kind = KindPetition })
	tests := []struct {
		c    *Case
		u    *User
		want bool
	}{
		{complaint, uHQ, true},
		{complaint, uBranchMgr, true},
		{complaint, uBranchHead, true},
		{complaint, uSubHead, false},    // the branch head's own level: not the superior institution
		{complaint, uSubManager, false}, // likewise
		{complaint, uSHManager, false},  // another branch
		{complaint, uStaff, false},
		{petition, uSubHead, true},
		{petition, uBranchHead, true},
		{petition, uBranchMgr, false},
		{petition, uHQ, true},
	}
	for _, tt := range tests {
		if got := MayApproveExtension(tt.c, tt.u); got != tt.want {
			t.Errorf("%s approves the %s extension: %v, want %v", tt.u.Login, tt.c.Kind, got, tt.want)
		}
	}
}

func TestNextDecisionClockAndRaiseLevel(t *testing.T) {
	for _, tt := range []struct {
		kind       Kind
		from, want string
	}{
		{KindComplaint, ClockDecision, ClockDecisionExtended},
		{KindComplaint, ClockDecisionExtended, ClockDecisionMax},
		{KindComplaint, ClockDecisionMax, ""},
		{KindPetition, ClockHandling, ClockHandlingExtended},
		{KindPetition, ClockHandlingExtended, ""},
		{KindInquiry, ClockDecision, ClockDecisionExtended},
	} {
		if got := NextDecisionClock(&Case{Kind: tt.kind, DecisionClock: tt.from}); got != tt.want {
			t.Errorf("%s after %s: %q, want %q", tt.kind, tt.from, got, tt.want)
		}
	}
	c := &Case{No: "TS20261120-00001", Level: 2}
	if hq, err := RaiseLevel(c); err != nil || hq || c.Level != 3 {
		t.Fatalf("2 → 3: level %d, head office %v, %v", c.Level, hq, err)
	}
	if hq, err := RaiseLevel(c); err != nil || !hq || c.Level != 4 {
		t.Fatalf("3 → 4: level %d, head office %v, %v", c.Level, hq, err)
	}
	if _, err := RaiseLevel(c); ErrorCode(err) != ECONFLICT || c.Level != 4 {
		t.Fatalf("past 4: level %d, %v", c.Level, err)
	}
}

func TestInScopeAndMayHandle(t *testing.T) {
	c := guardCase(StatusAccepted, nil)
	for _, tt := range []struct {
		u    *User
		want bool
	}{{uStaff, true}, {uSubManager, true}, {uHQ, true}, {uSHManager, false}} {
		if got := InScope(tt.u, c); got != tt.want {
			t.Errorf("%s sees the outlet's case: %v, want %v", tt.u.Login, got, tt.want)
		}
	}
	moved := guardCase(StatusAccepted, func(c *Case) { c.OrgPath = pathHQ })
	if !InScope(uStaff, moved) {
		t.Error("the registering unit keeps sight of a case moved to head office")
	}
	accusation := guardCase(StatusAccepted, func(c *Case) { c.Accusation, c.Respondent.Staff = true, "mgr.sub" })
	if InScope(uSubManager, accusation) {
		t.Error("a report or accusation (检举控告) is hidden from the staff member it accuses")
	}
	for _, tt := range []struct {
		name string
		h    *User
		c    *Case
		ok   bool
	}{
		{"a manager in scope", uSubManager, c, true},
		{"an auditor cannot handle", guardUser("aud", RoleAuditor, pathHQ, OrgHQ), c, false},
		{"outside the case's units", uSHManager, c, false},
		{"回避: the staff member complained about", uSubManager,
			guardCase(StatusAccepted, func(c *Case) { c.Respondent.Staff = "mgr.sub" }), false},
		{"回避: a declared conflict", uSubManager,
			guardCase(StatusAccepted, func(c *Case) { c.Conflicts = []Entry{{Author: "mgr.sub"}} }), false},
	} {
		if why := MayHandle(tt.h, tt.c); (why == "") != tt.ok {
			t.Errorf("%s: MayHandle = %q", tt.name, why)
		}
	}
}

func TestApplyActionSetsWhatTheActionChanges(t *testing.T) {
	cals, err := EmbeddedCalendars()
	if err != nil {
		t.Fatal(err)
	}
	d := &Deadlines{Calendars: cals, Policies: DefaultPolicies()}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, Beijing)
	c := guardCase(StatusAccepted, nil)
	if err := d.Apply(c); err != nil {
		t.Fatal(err)
	}
	if c.DecisionDue != "2026-12-05" || c.ReplyDue != "2026-11-23" {
		t.Fatalf("received 2026-11-20: reply %s, decision %s", c.ReplyDue, c.DecisionDue)
	}
	req := &ActionRequest{Action: ActionExtend, Reason: "需调取外部证据"}
	fx, err := ApplyAction(c, c.Status, ActionInput{Request: req, Actor: uSubManager, Deadlines: d, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if c.DecisionClock != ClockDecisionExtended || c.DecisionDue != "2026-12-20" || fx.Deadline == nil ||
		fx.Deadline.Before != "2026-12-05" || fx.Deadline.After != "2026-12-20" {
		t.Fatalf("extended: clock %s, due %s, history %+v", c.DecisionClock, c.DecisionDue, fx.Deadline)
	}
	// The last step needs the approval's reference and a notice to the customer.
	req = &ActionRequest{Action: ActionExtend, Reason: "特别复杂"}
	_, err = ApplyAction(c, c.Status, ActionInput{Request: req, Actor: uBranchMgr, Deadlines: d, Now: now})
	if f := ErrorFields(err); f["approval"] == "" || f["notice_method"] == "" {
		t.Fatalf("the last extension without approval and notice: %v", err)
	}
	// A pause of 3 days moves the decision by 3 days on resume.
	c.PausedSince = "2026-11-22"
	req = &ActionRequest{Action: ActionResume, Reason: "鉴定完成"}
	if _, err := ApplyAction(c, c.Status, ActionInput{Request: req, Actor: uSubManager, Deadlines: d, Now: now}); err != nil {
		t.Fatal(err)
	}
	if c.PausedDays != 3 || c.PausedSince != "" || c.DecisionDue != "2026-12-23" {
		t.Fatalf("resumed: paused %d days, due %s", c.PausedDays, c.DecisionDue)
	}
	// Escalation to head office clears the handler.
	c.Level, c.Handler = 3, "mgr.sub"
	fx, err = ApplyAction(c, c.Status, ActionInput{Request: &ActionRequest{Action: ActionEscalate, Reason: "客户要求"},
		Actor: uSubHead, Deadlines: d, Now: now})
	if err != nil || !fx.ToHeadOffice || c.Handler != "" || c.Level != 4 {
		t.Fatalf("to head office: %+v, handler %q, level %d, %v", fx, c.Handler, c.Level, err)
	}
}

// TestDeadlinesApply: the missing-year fallback and "the regulator's due date wins".
func TestDeadlinesApply(t *testing.T) {
	cals, err := EmbeddedCalendars()
	if err != nil {
		t.Fatal(err)
	}
	d := &Deadlines{Calendars: cals, Policies: DefaultPolicies()}
	forwarded := &Case{No: "TS20261120-00002", Kind: KindComplaint, ClockStart: "2026-11-20", DeadlinePolicy: PolicyComplaint,
		DecisionClock: ClockDecision, RegulatorDue: "2026-11-30"}
	if err := d.Apply(forwarded); err != nil || forwarded.DecisionDue != "2026-11-30" {
		t.Fatalf("a regulator's due date wins: %s, %v", forwarded.DecisionDue, err)
	}
	// A petition received in December 2027 ends in a year without a holiday
	// schedule: the calendar-day clock keeps the unmoved date and warns.
	late := &Case{No: "XF20271220-00001", Kind: KindPetition, ClockStart: "2027-12-20", DeadlinePolicy: PolicyPetition,
		DecisionClock: ClockHandling}
	if err := d.Apply(late); err != nil {
		t.Fatal(err)
	}
	if late.DecisionDue != "2028-02-18" || late.DueWarning == "" {
		t.Fatalf("missing year: due %s, warning %q", late.DecisionDue, late.DueWarning)
	}
	// A working-day clock has no such fallback.
	if _, err := d.Due(PolicyPetition, ClockWrongForwardObjection, testDate(t, "2027-12-28"), 0); err == nil {
		t.Fatal("a working-day clock in a year without a schedule must fail")
	}
}

// embeddedCN is the embedded CN calendar.
func embeddedCN(t *testing.T) *Calendar {
	t.Helper()
	cals, err := EmbeddedCalendars()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := cals.Calendar(RegionCN)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestDueSoonAndTimeLeft(t *testing.T) {
	cal := embeddedCN(t)
	// Friday 2026-11-20: two working days on are Monday 23rd and Tuesday 24th.
	end, calendarDays, err := DueSoonEnd(cal, testDate(t, "2026-11-20"), 2)
	if err != nil || calendarDays || end.String() != "2026-11-24" {
		t.Fatalf("Friday + 2 working days: %s %v %v", end, calendarDays, err)
	}
	end, calendarDays, err = DueSoonEnd(cal, testDate(t, "2027-12-30"), 2)
	if err != nil || !calendarDays || end.String() != "2028-01-01" {
		t.Fatalf("into a year without a schedule: %s %v %v", end, calendarDays, err)
	}
	// A working-day clock counts working days left.
	working := []Policy{{Name: "bank_rules", Clocks: []Clock{{Name: "decision", Days: 10, Unit: UnitWorking, Region: RegionCN}}}}
	c := &Case{Status: StatusAccepted, DecisionDue: "2026-11-24", DeadlinePolicy: "bank_rules", DecisionClock: "decision"}
	if left := DecisionTimeLeft(c, working, cal, testDate(t, "2026-11-20")); !left.Running || left.Late || left.Days != 2 || left.CalendarDays {
		t.Fatalf("time left: %+v", left)
	}
	if left := DecisionTimeLeft(c, working, cal, testDate(t, "2026-11-27")); !left.Late || left.Days != 3 {
		t.Fatalf("late: %+v", left)
	}
	c.Status = StatusClosed
	if left := DecisionTimeLeft(c, working, cal, testDate(t, "2026-11-27")); left.Running {
		t.Fatalf("a closed case runs no clock: %+v", left)
	}
}

func TestOpenAndArchivedStatuses(t *testing.T) {
	for _, st := range Statuses {
		if st.Open() && st.Archived() {
			t.Errorf("%s is both open and archived", st)
		}
	}
	for st, want := range map[Status][2]bool{
		StatusRegistered: {true, false}, StatusInvestigating: {true, false}, StatusReplied: {false, false},
		StatusSignedOff: {false, false}, StatusClosed: {false, true}, StatusWithdrawn: {false, true}, StatusRejected: {false, true},
	} {
		if st.Open() != want[0] || st.Archived() != want[1] {
			t.Errorf("%s: open %v archived %v, want %v", st, st.Open(), st.Archived(), want)
		}
	}
}

// TestTimeLeftInTheClocksUnit_Order3Art18: the 15 days of Order 2020 No.3
// Art.18 (and the petition's 60 of 信访工作条例 Art.34) are calendar days,
// so the time left is counted in calendar days, over a weekend too; only a
// working-day clock counts working days.
func TestTimeLeftInTheClocksUnit_Order3Art18(t *testing.T) {
	cal := embeddedCN(t)
	working := Policy{Name: "bank_rules", Clocks: []Clock{{Name: "decision", Days: 10, Unit: UnitWorking, Region: RegionCN}}}
	policies := append(DefaultPolicies(), working)
	for _, tc := range []struct {
		policy, clock string
		days          int
		calendarDays  bool
	}{
		{PolicyComplaint, ClockDecision, 4, true}, // Fri 20th to Tue 24th: 4 calendar days
		{PolicyComplaint, ClockDecisionExtended, 4, true},
		{PolicyPetition, ClocksFor(KindPetition).Ladder[0], 4, true},
		{"bank_rules", "decision", 2, false}, // Mon 23rd and Tue 24th
		{"no_such_policy", "decision", 4, true},
	} {
		c := &Case{Status: StatusAccepted, DecisionDue: "2026-11-24", DeadlinePolicy: tc.policy, DecisionClock: tc.clock}
		left := DecisionTimeLeft(c, policies, cal, testDate(t, "2026-11-20"))
		if !left.Running || left.Days != tc.days || left.CalendarDays != tc.calendarDays {
			t.Errorf("%s/%s: %+v, want %d days (calendar %v)", tc.policy, tc.clock, left, tc.days, tc.calendarDays)
		}
	}
}
