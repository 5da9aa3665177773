package sqldb

import (
	"testing"
	"time"

	"redress"
)

// incidentPlan is the emergency plan of BJ-HD: the branch head leads the
// leadership group and the team, the manager is the deputy, the outlet's
// staff the members.
func incidentPlan() redress.NewEmergencyPlan {
	return redress.NewEmergencyPlan{Org: "BJ-HD", Leader: "head.bj", TeamLeader: "head.bj", TeamDeputy: "mgr.bj",
		TeamMembers: []redress.PlanMember{{Login: "staff2.bj", Dept: redress.DeptCustomerService}, {Login: "staff2.bj", Dept: redress.DeptSecurity},
			{Login: "staff2.bj", Dept: redress.DeptOperations}}}
}

func (f *fixture) hasNotice(t *testing.T, login string, kind redress.NotifyKind) bool {
	t.Helper()
	for _, n := range f.inbox(t, login) {
		if n.Kind == kind {
			return true
		}
	}
	return false
}

// TestVisitOf25OpensMajorComplaintIncident_Order2020No3Art29_Seed003: a
// case registered with a visit of 25 people is a major complaint: it
// starts at the branch head's level, urgent, and opens its emergency
// incident at once under the unit's plan version in force; the chain runs
// (team → leadership group → superior, and the regulator's report), each
// step notified and acknowledged by its recipients; an overdue
// acknowledgement is escalated once by the sweep (fake clock); the timeline,
// progress reports and the closing report are recorded under the version,
// each an audit event. Before, the case stayed at level 1 and no one was told.
func TestVisitOf25OpensMajorComplaintIncident_Order2020No3Art29_Seed003(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewIncidentService(f.db)
	f.clock = time.Date(2026, 11, 20, 10, 0, 0, 0, redress.Beijing)

	if _, err := svc.SavePlan(f.as("staff.bj"), incidentPlan()); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("staff edit the plan: %v", err)
	}
	bad := incidentPlan()
	bad.Leader, bad.TeamDeputy = "mgr.bj", "mgr.sh"
	if fields := redress.ErrorFields(func() error { _, err := svc.SavePlan(f.as("mgr.bj"), bad); return err }()); fields["leader"] == "" || fields["team_deputy"] == "" {
		t.Fatalf("a manager as the group's leader and a deputy of another branch: %v", fields)
	}
	if _, err := svc.SavePlan(f.as("mgr.bj"), incidentPlan()); err != nil {
		t.Fatal(err)
	}
	second := incidentPlan()
	second.AckMinutes = 15
	plan, err := svc.SavePlan(f.as("admin"), second)
	if err != nil || plan.Version != 2 || plan.AckMinutes != 15 || plan.RegulatorHours != redress.DefaultRegulatorHours {
		t.Fatalf("second version: %+v %v", plan, err)
	}
	if inForce, err := svc.Plan(f.as("staff.bj"), "BJ-HD-01", 0); err != nil || inForce.Org != "BJ-HD" || inForce.Version != 2 {
		t.Fatalf("the outlet's plan in force: %+v %v", inForce, err)
	}
	if first, err := svc.Plan(f.as("mgr.bj"), "BJ-HD", 1); err != nil || first.AckMinutes != redress.DefaultAckMinutes {
		t.Fatalf("version 1 kept: %+v %v", first, err)
	}

	small := sampleCase()
	small.Channel, small.Visit = redress.ChannelVisit, &redress.Visit{Visitors: 19, Representatives: 5, IDChecked: true, IDType: redress.IDResident, IDCheckedBy: "王芳", SecurityChecked: true, SecurityCheckedBy: "李强"}
	c, err := f.cases.CreateCase(f.as("staff.bj"), small)
	if err != nil || c.MajorComplaint || c.Incident != "" || c.Level != 1 {
		t.Fatalf("a visit of 19 is no major complaint: %+v %v", c, err)
	}

	n := sampleCase()
	n.Channel, n.Visit = redress.ChannelVisit, &redress.Visit{Visitors: 25, Representatives: 5, IDChecked: true, IDType: redress.IDResident, IDCheckedBy: "王芳", SecurityChecked: true, SecurityCheckedBy: "李强"}
	c, err = f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	if !c.MajorComplaint || c.Incident != "TF-000001" || c.Level != redress.MajorComplaintLevel || c.Priority != redress.PriorityUrgent {
		t.Fatalf("a visit of 25: major %v, incident %q, level %d, priority %s", c.MajorComplaint, c.Incident, c.Level, c.Priority)
	}
	if read, err := f.cases.Case(f.as("mgr.bj"), c.No); err != nil || !read.MajorComplaint || read.Level != redress.MajorComplaintLevel {
		t.Fatalf("read back: %+v %v", read, err)
	}
	list, err := svc.IncidentsOfCase(f.as("mgr.bj"), c.No)
	if err != nil || len(list) != 1 {
		t.Fatalf("incidents of the case: %v %v", list, err)
	}
	inc := list[0]
	if inc.Kind != redress.IncidentMajor || inc.People != 25 || inc.PlanOrg != "BJ-HD" || inc.PlanVersion != 2 || len(inc.Chain) != 4 || !inc.Major {
		t.Fatalf("the incident: %+v", inc)
	}
	team, regulator := inc.StepOf(redress.StepTeam), inc.StepOf(redress.StepRegulator)
	if team.NotifiedAt == nil || !team.DueAt.Equal(f.clock.Add(15*time.Minute)) || len(team.To) != 3 ||
		regulator.NotifiedAt == nil || !regulator.DueAt.Equal(f.clock.Add(24*time.Hour)) || inc.StepOf(redress.StepLeadership).NotifiedAt != nil {
		t.Fatalf("the chain on opening: %+v", inc.Chain)
	}
	for _, login := range []string{"mgr.bj", "staff2.bj", "head.bj"} {
		if !f.hasNotice(t, login, redress.NotifyIncidentStep) {
			t.Errorf("%s is not told of the incident", login)
		}
	}

	act := func(login string, req redress.IncidentRequest) (*redress.Incident, error) {
		return svc.ActIncident(f.as(login), inc.ID, req)
	}
	if _, err := act("staff.bj", redress.IncidentRequest{Command: redress.CmdAcknowledge, Version: 1, Step: redress.StepTeam}); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("the registering staff acknowledge for the team: %v", err)
	}
	f.clock = f.clock.Add(5 * time.Minute)
	if inc, err = act("mgr.bj", redress.IncidentRequest{Command: redress.CmdAcknowledge, Version: 1, Step: redress.StepTeam}); err != nil {
		t.Fatal(err)
	}
	leadership := inc.StepOf(redress.StepLeadership)
	if inc.StepOf(redress.StepTeam).AckBy != "mgr.bj" || leadership.NotifiedAt == nil || len(leadership.To) != 1 || leadership.To[0] != "head.bj" {
		t.Fatalf("the team's acknowledgement reports to the leadership group: %+v", inc.Chain)
	}

	sweep := func(at time.Time) int {
		t.Helper()
		return f.sweep(t, at, SweepOptions{}).IncidentsEscalated
	}
	if n := sweep(f.clock.Add(10 * time.Minute)); n != 0 {
		t.Fatalf("before the leadership's limit: %d escalated", n)
	}
	f.clock = f.clock.Add(30 * time.Minute)
	if n := sweep(f.clock); n != 1 {
		t.Fatalf("the leadership's acknowledgement overdue: %d escalated", n)
	}
	if n := sweep(f.clock.Add(time.Hour)); n != 0 {
		t.Fatalf("a second sweep: %d escalated", n)
	}
	if !f.hasNotice(t, "head.bj", redress.NotifyIncidentEscalated) || !f.hasNotice(t, "mgr.bj", redress.NotifyIncidentEscalated) {
		t.Error("the escalation does not reach the leader and the superior unit's managers")
	}
	if inc, err = svc.Incident(f.as("head.bj"), inc.ID); err != nil || !inc.StepOf(redress.StepLeadership).Overdue || inc.StepOf(redress.StepLeadership).EscalatedAt == nil {
		t.Fatalf("the step is not shown overdue and escalated: %+v %v", inc, err)
	}

	if inc, err = act("head.bj", redress.IncidentRequest{Command: redress.CmdAcknowledge, Version: 2, Step: redress.StepLeadership}); err != nil {
		t.Fatal(err)
	}
	if s := inc.StepOf(redress.StepSuperior); s.NotifiedAt == nil || len(s.To) != 1 || s.To[0] != "hq.svc" {
		t.Fatalf("the group reports to the superior (BJ has no manager: head office): %+v", s)
	}
	steps := []struct {
		login string
		req   redress.IncidentRequest
	}{
		{"staff.bj", redress.IncidentRequest{Command: redress.CmdRecord, Measure: redress.MeasureSoothe, Text: "大堂经理安抚客户情绪"}},
		{"staff2.bj", redress.IncidentRequest{Command: redress.CmdRecord, Measure: redress.MeasureQuiet, Text: "代表 5 人带至贵宾室"}},
		{"mgr.bj", redress.IncidentRequest{Command: redress.CmdReport, Text: "客户情绪已平复，正在核实理财产品收益"}},
		{"head.bj", redress.IncidentRequest{Command: redress.CmdAcknowledge, Step: redress.StepRegulator, Text: "已电话报告北京监管局消保处"}},
		{"hq.svc", redress.IncidentRequest{Command: redress.CmdAcknowledge, Step: redress.StepSuperior}},
	}
	for _, s := range steps {
		s.req.Version = inc.Version
		if inc, err = act(s.login, s.req); err != nil {
			t.Fatalf("%s %s: %v", s.login, s.req.Command, err)
		}
	}
	if !f.hasNotice(t, "hq.svc", redress.NotifyIncidentReport) {
		t.Error("the progress report does not go up")
	}
	closing := redress.IncidentRequest{Command: redress.CmdClose, Version: inc.Version - 1, Cause: "理财产品到期收益低于预期", Actions: "安抚、分流、核实",
		Outcome: "客户代表接受解释，人群散去", FollowUp: "三日内逐户回访"}
	if _, err := act("mgr.bj", closing); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a stale version: %v", err)
	}
	closing.Version = inc.Version
	if _, err := act("staff.bj", closing); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("staff close: %v", err)
	}
	if inc, err = act("mgr.bj", closing); err != nil || inc.Status != redress.IncidentClosed || len(inc.Timeline) != 2 || len(inc.Reports) != 1 || inc.Closing.By != "mgr.bj" {
		t.Fatalf("closed: %+v %v", inc, err)
	}
	if _, err := svc.Incident(f.as("mgr.sh"), inc.ID); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another branch reads it: %v", err)
	}
	if page, err := svc.ListIncidents(f.as("mgr.sh"), redress.IncidentFilter{}); err != nil || len(page.Incidents) != 0 {
		t.Fatalf("another branch lists it: %+v %v", page, err)
	}
	if page, err := svc.ListIncidents(f.as("staff.bj"), redress.IncidentFilter{Status: redress.IncidentClosed}); err != nil || len(page.Incidents) != 1 {
		t.Fatalf("the outlet lists it: %+v %v", page, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE subject_kind = ? AND subject_id = ?`, redress.SubjectIncident, "TF-000001"); n != 10 {
		t.Errorf("%d audit events of the incident, want 10 (open, escalate, 3 acknowledgements + 2 more, 2 records, report, close)", n)
	}
}

// TestCaseCauseOpensIncident_Order2020No3Art29: a case registered as caused
// by a public-health event is a major complaint without any visit; an
// unknown cause is refused; without any plan the chain goes to the nearest
// managers.
func TestCaseCauseOpensIncident_Order2020No3Art29(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.MajorCause = "flood"
	if _, err := f.cases.CreateCase(f.as("staff.bj"), n); redress.ErrorFields(err)["major_cause"] == "" {
		t.Fatalf("an unknown cause: %v", err)
	}
	n.MajorCause = redress.MajorCause(redress.IncidentPublicHealth)
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil || !c.MajorComplaint || c.Incident == "" {
		t.Fatalf("a public-health cause: %+v %v", c, err)
	}
	inc, err := NewIncidentService(f.db).Incident(f.as("mgr.bj"), 1)
	if err != nil || inc.Kind != redress.IncidentPublicHealth || inc.PlanVersion != 0 || len(inc.StepOf(redress.StepTeam).To) != 1 || inc.StepOf(redress.StepTeam).To[0] != "mgr.bj" {
		t.Fatalf("incident without a plan: %+v %v", inc, err)
	}
	if _, err := NewIncidentService(f.db).OpenIncident(f.as("staff.bj"), redress.NewIncident{Kind: redress.IncidentQuarrel, Place: "营业厅",
		OccurredAt: f.clock, People: 2, Cases: []string{"TS20991231-00001"}}); redress.ErrorFields(err)["cases"] == "" {
		t.Fatalf("an unknown case linked: %v", err)
	}
}

// TestIncidentTextsExpire_DOMAIN6: a closed incident past its retention
// period (3 years from closing) keeps its kind, unit, times and counts but
// loses the texts that may name people (the people's description, the
// timeline, the closing report); its events are redacted and the audit
// chain still verifies.
func TestIncidentTextsExpire_DOMAIN6(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewIncidentService(f.db)
	inc, err := svc.OpenIncident(f.as("staff.bj"), redress.NewIncident{Kind: redress.IncidentQuarrel, Place: "营业厅", OccurredAt: f.clock,
		People: 2, PeopleNote: "两位客户与保安王某争执"})
	if err != nil {
		t.Fatal(err)
	}
	inc, err = svc.ActIncident(f.as("mgr.bj"), inc.ID, redress.IncidentRequest{Command: redress.CmdClose, Version: inc.Version,
		Cause: "排队过久", Actions: "安抚、分流", Outcome: "客户离开", FollowUp: "次日电话回访王先生"})
	if err != nil {
		t.Fatal(err)
	}
	f.clock = f.clock.AddDate(4, 0, 0)
	run, err := NewRetentionService(f.db).RunRetention(f.as("admin"), false)
	if err != nil {
		t.Fatal(err)
	}
	if c := countOf(run, redress.RetainIncident); c.Expired != 1 {
		t.Fatalf("incidents expired: %+v", c)
	}
	gone, err := svc.Incident(f.as("mgr.bj"), inc.ID)
	if err != nil || gone.PeopleNote != redress.RetentionRedacted || gone.Closing.FollowUp != redress.RetentionRedacted ||
		gone.People != 2 || gone.Kind != redress.IncidentQuarrel || gone.Status != redress.IncidentClosed {
		t.Fatalf("the incident after its period: %+v %v", gone, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE subject_kind = 'incident' AND (detail LIKE '%王%' OR changes LIKE '%王%')`); n != 0 {
		t.Fatalf("%d events keep a name", n)
	}
	f.verify(t)
}
