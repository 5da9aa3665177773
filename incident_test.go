package redress

import (
	"testing"
	"time"
)

// TestMajorComplaint_Order2020No3Art29 checks the predicate of a major
// complaint (重大消费投诉) as DOMAIN.md §3 states CBIRC Order 2020 No.3
// Art.29: 20 or more people complaining in person, or caused by a disaster,
// accident or public-health event, or so declared by the regulator.
func TestMajorComplaint_Order2020No3Art29(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		visitors int
		cause    MajorCause
		want     IncidentKind
		major    bool
	}{
		{"one visitor", 1, "", "", false},
		{"19 visitors: below the threshold", 19, "", "", false},
		{"20 visitors: 二十人以上 includes 20", 20, "", IncidentMajor, true},
		{"25 visitors", 25, "", IncidentMajor, true},
		{"no visit, a disaster", 0, MajorCause(IncidentDisaster), IncidentDisaster, true},
		{"a public-health event, 3 visitors", 3, MajorCause(IncidentPublicHealth), IncidentPublicHealth, true},
		{"declared by the regulator", 1, MajorCause(IncidentRegulator), IncidentRegulator, true},
		{"30 visitors and a disaster: the cause names the kind", 30, MajorCause(IncidentDisaster), IncidentDisaster, true},
		{"an unknown cause is no cause", 2, "flood", "", false},
		{"a quarrel is not a cause", 2, MajorCause(IncidentQuarrel), "", false},
	} {
		got, major := MajorComplaint(tc.visitors, tc.cause)
		if got != tc.want || major != tc.major {
			t.Errorf("%s: MajorComplaint(%d, %q) = %q, %v; want %q, %v", tc.name, tc.visitors, tc.cause, got, major, tc.want, tc.major)
		}
	}
}

// TestMajorComplaintCaseRaised_Order2020No3Art29_Seed003: a major
// complaint starts at the branch head's level (seed 003: 领导小组由行长担任
// 组长), urgent and of high risk; an unknown cause is refused at
// registration.
func TestMajorComplaintCaseRaised_Order2020No3Art29_Seed003(t *testing.T) {
	t.Parallel()
	c := &Case{Level: 1, Priority: PriorityNormal, Risk: RiskLow}
	MarkMajorComplaint(c)
	if !c.MajorComplaint || c.Level != MajorComplaintLevel || c.Priority != PriorityUrgent || c.Risk != RiskHigh {
		t.Fatalf("marked: %+v", c)
	}
	n := NewCase{MajorCause: "flood"}
	var p Problems
	n.validateMajorCause(&p)
	if ErrorFields(p.Err())["major_cause"] == "" {
		t.Fatal("an unknown cause is accepted")
	}
	n = NewCase{Channel: ChannelVisit, Visit: &Visit{Visitors: 25, Representatives: 5}}
	if k, ok := n.MajorComplaintOf(); !ok || k != IncidentMajor {
		t.Fatalf("a visit of 25: %q %v", k, ok)
	}
}

// TestIncidentChain_Seed003_信息报告: the chain of a quarrel is team →
// leadership → superior; a major complaint adds the regulator's report,
// notified on opening with its deadline counted from the opening.
func TestIncidentChain_Seed003_信息报告(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind   IncidentKind
		chain  int
		onOpen []ChainStep
	}{
		{IncidentQuarrel, 3, []ChainStep{StepTeam}},
		{IncidentMajor, 4, []ChainStep{StepTeam, StepRegulator}},
		{IncidentPublicHealth, 4, []ChainStep{StepTeam, StepRegulator}},
	} {
		if got := ChainFor(tc.kind); len(got) != tc.chain || got[0] != StepTeam {
			t.Errorf("%s: chain %v", tc.kind, got)
		}
		if got := StepsOnOpen(tc.kind); len(got) != len(tc.onOpen) || got[len(got)-1] != tc.onOpen[len(tc.onOpen)-1] {
			t.Errorf("%s: on open %v", tc.kind, got)
		}
	}
	for step, next := range map[ChainStep]ChainStep{StepTeam: StepLeadership, StepLeadership: StepSuperior, StepSuperior: "", StepRegulator: ""} {
		if NextStep(step) != next {
			t.Errorf("after %s: %s, want %s", step, NextStep(step), next)
		}
	}
	opened := time.Date(2026, 11, 20, 10, 0, 0, 0, Beijing)
	if got := StepDue(StepTeam, opened, opened.Add(time.Hour), 30, 24); !got.Equal(opened.Add(90 * time.Minute)) {
		t.Errorf("team due %v", got)
	}
	if got := StepDue(StepRegulator, opened, opened.Add(time.Hour), 30, 24); !got.Equal(opened.Add(24 * time.Hour)) {
		t.Errorf("regulator due %v", got)
	}
}

// TestEmergencyPlanValidate_Seed003_组织机构: the plan names the leadership
// group's leader (a branch head), the team's leader and deputy, and a team
// member from customer service, security and operations.
func TestEmergencyPlanValidate_Seed003_组织机构(t *testing.T) {
	t.Parallel()
	good := func() NewEmergencyPlan {
		return NewEmergencyPlan{Org: "BJ-HD", Leader: "head", TeamLeader: "mgr", TeamDeputy: "mgr2",
			TeamMembers: []PlanMember{{"cs", DeptCustomerService}, {"guard", DeptSecurity}, {"ops", DeptOperations}}}
	}
	for _, tc := range []struct {
		name   string
		edit   func(*NewEmergencyPlan)
		fields []string
	}{
		{"complete", func(*NewEmergencyPlan) {}, nil},
		{"no leader", func(n *NewEmergencyPlan) { n.Leader = " " }, []string{"leader"}},
		{"deputy is the leader", func(n *NewEmergencyPlan) { n.TeamDeputy = "mgr" }, []string{"team_deputy"}},
		{"no security member", func(n *NewEmergencyPlan) { n.TeamMembers = n.TeamMembers[:1] }, []string{"team_members"}},
		{"unknown department", func(n *NewEmergencyPlan) { n.TeamMembers[0].Dept = "it" }, []string{"team_members"}},
		{"ack out of range", func(n *NewEmergencyPlan) { n.AckMinutes = -1; n.RegulatorHours = 100 }, []string{"ack_minutes", "regulator_hours"}},
	} {
		n := good()
		tc.edit(&n)
		fields := ErrorFields(n.Validate())
		if len(fields) != len(tc.fields) {
			t.Errorf("%s: %v, want %v", tc.name, fields, tc.fields)
		}
		for _, f := range tc.fields {
			if fields[f] == "" {
				t.Errorf("%s: no problem on %s: %v", tc.name, f, fields)
			}
		}
		if tc.fields == nil && (n.AckMinutes != DefaultAckMinutes || n.RegulatorHours != DefaultRegulatorHours) {
			t.Errorf("defaults not set: %+v", n)
		}
	}
	users := map[string]*User{"head": {Login: "head", Role: RoleBranchHead, OrgPath: "/1/2/"}, "mgr": {Login: "mgr", Role: RoleStaff, OrgPath: "/1/2/"},
		"mgr2": {Login: "mgr2", Role: RoleManager, OrgPath: "/1/9/"}, "cs": {Login: "cs", OrgPath: "/1/2/3/"}, "guard": {Login: "guard", OrgPath: "/1/2/", Disabled: true},
		"ops": {Login: "ops", OrgPath: "/1/"}}
	n := good()
	fields := ErrorFields(CheckPlan(&n, "/1/2/", users))
	for _, f := range []string{"team_leader", "team_deputy", "team_members"} {
		if fields[f] == "" {
			t.Errorf("CheckPlan: no problem on %s (a staff team leader, a deputy of another unit, a disabled member): %v", f, fields)
		}
	}
	if fields["leader"] != "" {
		t.Errorf("the branch head refused as leader: %v", fields)
	}
}

// TestIncidentRule_Seed003: who acknowledges, records and closes; the
// regulator's step needs what was reported; people described without
// personal data.
func TestIncidentRule_Seed003(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, Beijing)
	inc := &Incident{Ref: "TF-000001", Kind: IncidentMajor, Status: IncidentOpen, OrgPath: "/1/2/3/", Chain: []IncidentStep{
		{Step: StepTeam, To: []string{"lead"}, NotifiedAt: &now}, {Step: StepLeadership, To: []string{"head"}},
		{Step: StepSuperior}, {Step: StepRegulator, To: []string{"head"}, NotifiedAt: &now}}}
	staff := &User{Login: "staff", Role: RoleStaff, OrgPath: "/1/2/3/"}
	lead := &User{Login: "lead", Role: RoleStaff, OrgPath: "/1/2/3/"}
	head := &User{Login: "head", Role: RoleBranchHead, OrgPath: "/1/2/"}
	other := &User{Login: "other", Role: RoleManager, OrgPath: "/1/9/"}
	for _, tc := range []struct {
		name string
		u    *User
		req  IncidentRequest
		want string
	}{
		{"the team leader acknowledges", lead, IncidentRequest{Command: CmdAcknowledge, Step: StepTeam}, ""},
		{"staff do not acknowledge the team's step", staff, IncidentRequest{Command: CmdAcknowledge, Step: StepTeam}, EFORBIDDEN},
		{"not reported yet", head, IncidentRequest{Command: CmdAcknowledge, Step: StepLeadership}, ECONFLICT},
		{"the regulator's report says what was reported", head, IncidentRequest{Command: CmdAcknowledge, Step: StepRegulator}, EINVALID},
		{"another branch sees nothing", other, IncidentRequest{Command: CmdRecord, Measure: MeasureSoothe}, ENOTFOUND},
		{"staff record 安抚情绪", staff, IncidentRequest{Command: CmdRecord, Measure: MeasureSoothe}, ""},
		{"other needs a text", staff, IncidentRequest{Command: CmdRecord, Measure: MeasureOther}, EINVALID},
		{"staff do not close", staff, IncidentRequest{Command: CmdClose, Cause: "原因", Actions: "措施", Outcome: "结果", FollowUp: "跟进"}, EFORBIDDEN},
		{"the team leader closes", lead, IncidentRequest{Command: CmdClose, Cause: "原因", Actions: "措施", Outcome: "结果", FollowUp: "跟进"}, ""},
		{"a closing report is complete", head, IncidentRequest{Command: CmdClose, Cause: "原因"}, EINVALID},
		{"unknown command", head, IncidentRequest{Command: "delete"}, EINVALID},
	} {
		if got := ErrorCode(IncidentRule(inc, tc.u, tc.req)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if steps := AckSteps(inc, head); len(steps) != 1 || steps[0] != StepRegulator {
		t.Errorf("the head acknowledges %v", steps)
	}
	n := NewIncident{Kind: IncidentQuarrel, Place: "营业大厅", OccurredAt: now, People: 2, PeopleNote: "两名客户，其一手机13812345678"}
	if ErrorFields(n.Validate(now))["people_note"] == "" {
		t.Error("a mobile number in the people's description is accepted")
	}
	n = NewIncident{Kind: "riot", Place: "", OccurredAt: now.Add(time.Hour), People: 0, Cases: []string{"nope"}}
	fields := ErrorFields(n.Validate(now))
	for _, f := range []string{"kind", "place", "occurred_at", "people", "cases"} {
		if fields[f] == "" {
			t.Errorf("no problem on %s: %v", f, fields)
		}
	}
	inc.MarkOverdue(now.Add(time.Hour))
	if !inc.Major || inc.Chain[0].Overdue {
		t.Errorf("a step without a due time is overdue, or the incident not major: %+v", inc)
	}
}
