package sqldb

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"redress"
)

// receptionVisitFixture is a visit as a lobby manager logs it (seed 004
// 三、客户接待流程: 客户到达, 需求确认, 业务引导, 资料准备, 业务办理, 后续跟进).
func receptionVisitFixture(at time.Time) redress.NewReceptionVisit {
	return redress.NewReceptionVisit{Org: "BJ-HD-01", ArrivedAt: at,
		Visitor: redress.ReceptionVisitor{Name: "赵敏", Phone: "13812345678", IDType: redress.IDResident, IDNumber: "110101199003071234"},
		Purpose: "咨询理财产品赎回，对收益不满", Needs: "赎回到期理财并了解收益计算", Guidance: "介绍赎回流程及所需材料",
		Materials: redress.MaterialsMissing, MaterialsMissing: "身份证复印件", Business: "理财赎回", Counter: "3 号窗口",
		WaitMinutes: 25, FollowUp: "三个工作日内电话告知收益核算结果",
		Visit: &redress.Visit{Visitors: 1, IDChecked: true, IDType: redress.IDResident, IDCheckedBy: "大堂经理 王芳",
			SecurityChecked: true, SecurityCheckedBy: "保安 李强", Room: "一号接待室"}}
}

// TestReceptionLog_Seed004_来访接待登记: a visit is logged with what seed 004
// asks of each step, the visitor's phone and ID number sealed at rest and
// masked on every read; another branch sees nothing; edits and the survey
// (客户离开后，应通过电话或短信等方式进行后续的客户满意度调查) go under the version,
// every change audited as reception.<verb>; key rotation re-seals the
// visitor's data.
func TestReceptionLog_Seed004_来访接待登记(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewReceptionService(f.db)
	n := receptionVisitFixture(f.clock.Add(-time.Hour))
	if _, err := svc.LogVisit(f.as("auditor"), n); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("an auditor logs a visit: %v", err)
	}
	bad := redress.NewReceptionVisit{Org: "BJ-HD-01", ArrivedAt: f.clock.Add(time.Hour), Visitor: redress.ReceptionVisitor{Phone: "12"},
		Materials: redress.MaterialsMissing, WaitMinutes: -1}
	fields := redress.ErrorFields(func() error { _, err := svc.LogVisit(f.as("staff.bj"), bad); return err }())
	for _, field := range []string{"arrived_at", "visitor.name", "visitor.phone", "purpose", "materials_missing", "wait_minutes"} {
		if fields[field] == "" {
			t.Errorf("no problem on %s: %v", field, fields)
		}
	}
	other := n
	other.Org = "SH"
	if fields := redress.ErrorFields(func() error { _, err := svc.LogVisit(f.as("staff.bj"), other); return err }()); fields["org"] == "" {
		t.Fatalf("a visit logged in another branch: %v", fields)
	}
	v, err := svc.LogVisit(f.as("staff.bj"), n)
	if err != nil || v.Ref != "JD-000001" || v.Version != 1 || v.Visitor.Phone != "138****5678" || v.Visitor.IDNumber != "110***********1234" {
		t.Fatalf("logged: %+v %v", v, err)
	}
	if v.Visit == nil || v.Visit.IDCheckedBy != "大堂经理 王芳" || v.Visit.SecurityCheckedBy != "保安 李强" || v.Visit.Room != "一号接待室" {
		t.Fatalf("the visitor registration: %+v", v.Visit)
	}
	if v.Survey == nil || v.Survey.Status != redress.VisitOpen || v.Survey.Due != redress.DateOf(n.ArrivedAt).AddDays(redress.ReceptionSurveyDays).String() {
		t.Fatalf("the survey task: %+v", v.Survey)
	}
	if _, err := svc.ReceptionVisit(f.as("mgr.sh"), v.ID); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another branch reads it: %v", err)
	}
	if list, err := svc.ReceptionVisits(f.as("mgr.sh"), redress.ReceptionFilter{}); err != nil || len(list) != 0 {
		t.Fatalf("another branch lists it: %v %v", list, err)
	}
	if list, err := svc.ReceptionVisits(f.as("mgr.sh"), redress.ReceptionFilter{Org: "BJ-HD-01"}); err != nil || len(list) != 0 {
		t.Fatalf("another branch asks for the outlet: %v %v", list, err)
	}
	day := redress.DateOf(n.ArrivedAt).String()
	list, err := svc.ReceptionVisits(f.as("head.bj"), redress.ReceptionFilter{Org: "BJ-HD-01", Day: day})
	if err != nil || len(list) != 1 || list[0].Visitor.Phone != "138****5678" {
		t.Fatalf("the day's list: %+v %v", list, err)
	}
	if list, _ := svc.ReceptionVisits(f.as("head.bj"), redress.ReceptionFilter{Day: redress.DateOf(n.ArrivedAt).AddDays(1).String()}); len(list) != 0 {
		t.Fatalf("the next day's list: %+v", list)
	}
	if _, err := svc.ReceptionVisits(f.as("head.bj"), redress.ReceptionFilter{Day: "yesterday"}); redress.ErrorFields(err)["day"] == "" {
		t.Fatalf("a bad day: %v", err)
	}

	edit := redress.ReceptionUpdate{Version: 1, NewReceptionVisit: n}
	edit.WaitMinutes, edit.FollowUp = 30, "次日上午电话告知"
	if v, err = svc.UpdateVisit(f.as("staff.bj"), v.ID, edit); err != nil || v.Version != 2 || v.WaitMinutes != 30 {
		t.Fatalf("edited: %+v %v", v, err)
	}
	if _, err := svc.UpdateVisit(f.as("staff.bj"), v.ID, edit); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a stale edit: %v", err)
	}
	moved := edit
	moved.Version, moved.Org = v.Version, "BJ"
	if fields := redress.ErrorFields(func() error { _, err := svc.UpdateVisit(f.as("staff.bj"), v.ID, moved); return err }()); fields["org"] == "" {
		t.Fatalf("a visit moved to another unit: %v", fields)
	}
	keep := edit // the answers carry the phone and ID masked: an edit leaving them empty keeps them
	keep.Version, keep.Visitor.Phone, keep.Visitor.IDType, keep.Visitor.IDNumber = v.Version, "", "", ""
	if v, err = svc.UpdateVisit(f.as("staff.bj"), v.ID, keep); err != nil || v.Visitor.Phone != "138****5678" || v.Visitor.IDNumber != "110***********1234" || v.Survey == nil {
		t.Fatalf("an edit without the phone and ID: %+v %v", v, err)
	}

	survey := redress.ReceptionSurveyRequest{Version: v.Version, VisitMethod: redress.VisitByPhone, VisitOutcome: redress.VisitReached}
	if fields := redress.ErrorFields(func() error { _, err := svc.RecordSurvey(f.as("staff.bj"), v.ID, survey); return err }()); fields["satisfaction"] == "" {
		t.Fatalf("an answer without a satisfaction: %v", fields)
	}
	survey.VisitOutcome = redress.VisitNoAnswer
	if v, err = svc.RecordSurvey(f.as("staff.bj"), v.ID, survey); err != nil || v.Survey.Status != redress.VisitOpen || len(v.Survey.Attempts) != 1 {
		t.Fatalf("no answer: %+v %v", v, err)
	}
	survey = redress.ReceptionSurveyRequest{Version: v.Version, VisitMethod: redress.VisitBySMS, VisitOutcome: redress.VisitReached,
		Satisfaction: redress.SatisfactionBasically, Text: "客户回复基本满意，希望缩短等候时间"}
	if v, err = svc.RecordSurvey(f.as("staff.bj"), v.ID, survey); err != nil || v.Survey.Status != redress.VisitAnswered || v.Survey.Satisfaction != redress.SatisfactionBasically {
		t.Fatalf("answered: %+v %v", v, err)
	}
	survey.Version = v.Version
	if _, err := svc.RecordSurvey(f.as("staff.bj"), v.ID, survey); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a survey answered twice: %v", err)
	}
	if list, _ := svc.ReceptionVisits(f.as("head.bj"), redress.ReceptionFilter{Survey: redress.VisitOpen}); len(list) != 0 {
		t.Fatalf("the surveys waiting: %+v", list)
	}

	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Events {
		if e.Subject.Kind == redress.SubjectReception && e.Subject.ID == v.Ref {
			actions = append([]string{e.Action}, actions...)
			for _, c := range e.Changes {
				if strings.Contains(c.Before+c.After, "13812345678") {
					t.Errorf("the audit trail holds the phone in clear: %+v", c)
				}
			}
		}
	}
	if strings.Join(actions, " ") != "reception.log reception.update reception.update reception.survey reception.survey" {
		t.Fatalf("audit: %v", actions)
	}
	if contents := testEngine.Contents(t, f.dsn); bytes.Contains(contents, []byte("110101199003071234")) || bytes.Contains(contents, []byte("13812345678")) {
		t.Fatal("the visitor's ID number or phone is stored in clear")
	}

	rotated, err := redress.NewKeyring(map[int][]byte{1: bytes.Repeat([]byte{7}, redress.KeySize), 2: bytes.Repeat([]byte{8}, redress.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	f.db.keys.Store(rotated)
	report, err := f.db.RotateKeys(f.as("admin"))
	if err != nil || report.Reception != 1 {
		t.Fatalf("rotate: %+v %v", report, err)
	}
	var old int
	f.db.read.QueryRow(`SELECT COUNT(*) FROM reception_visits WHERE phone_enc LIKE 'v1:%' OR id_number_enc LIKE 'v1:%'`).Scan(&old)
	if old != 0 {
		t.Fatalf("%d visits still under key 1", old)
	}
	if v, err = svc.ReceptionVisit(f.as("staff.bj"), v.ID); err != nil || v.Visitor.Phone != "138****5678" {
		t.Fatalf("after rotation: %+v %v", v, err)
	}
}

// TestVisitToCase_Seed004_Seed000_4_1: one click turns a visit into a case
// of channel visit carrying the visitor (sealed and masked as any
// complainant), what was recorded and the visitor registration (来访登记与安全
// 检查: ID type, checked by, security checked by, the room); the two are
// linked both ways; a second click is a conflict; the summary counts it.
func TestVisitToCase_Seed004_Seed000_4_1(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewReceptionService(f.db)
	n := receptionVisitFixture(f.clock.Add(-2 * time.Hour))
	v, err := svc.LogVisit(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	plain := n
	plain.Visitor = redress.ReceptionVisitor{Name: "钱多多"}
	plain.WaitMinutes, plain.Visit = 5, nil
	if _, err := svc.LogVisit(f.as("staff.bj"), plain); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.VisitToCase(f.as("staff.bj"), v.ID, redress.ReceptionCaseRequest{Version: v.Version + 1}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a stale version: %v", err)
	}
	if _, err := svc.VisitToCase(f.as("mgr.sh"), v.ID, redress.ReceptionCaseRequest{Version: v.Version}); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another branch converts it: %v", err)
	}
	c, err := svc.VisitToCase(f.as("staff.bj"), v.ID, redress.ReceptionCaseRequest{Version: v.Version, Request: "核实收益计算"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Channel != redress.ChannelVisit || c.Kind != redress.KindComplaint || c.Org != "BJ-HD-01" || c.Subject != n.Purpose ||
		c.Complainant.Name != "赵敏" || c.Complainant.Phone != "138****5678" || c.Complainant.IDNumber != "110***********1234" {
		t.Fatalf("the case: %+v", c)
	}
	for _, want := range []string{"JD-000001", "身份证复印件", "3 号窗口", "25 分钟", "三个工作日内"} {
		if !strings.Contains(c.Description, want) {
			t.Errorf("the description does not carry %q: %s", want, c.Description)
		}
	}
	got, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil || got.Visit == nil || got.Visit.IDType != redress.IDResident || got.Visit.IDCheckedBy != "大堂经理 王芳" ||
		got.Visit.SecurityCheckedBy != "保安 李强" || got.Visit.Room != "一号接待室" || !got.Visit.SecurityChecked {
		t.Fatalf("the case's registration: %+v %v", got, err)
	}
	if v, err = svc.ReceptionVisit(f.as("staff.bj"), v.ID); err != nil || v.CaseNo != c.No {
		t.Fatalf("the visit shows its case: %+v %v", v, err)
	}
	back, err := svc.VisitOfCase(f.as("mgr.bj"), c.No)
	if err != nil || back == nil || back.Ref != v.Ref {
		t.Fatalf("the case shows its visit: %+v %v", back, err)
	}
	if _, err := svc.VisitOfCase(f.as("mgr.sh"), c.No); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another branch asks for the case's visit: %v", err)
	}
	if _, err := svc.VisitToCase(f.as("staff.bj"), v.ID, redress.ReceptionCaseRequest{Version: v.Version}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("converted twice: %v", err)
	}
	day := redress.DateOf(n.ArrivedAt)
	sum, err := svc.ReceptionSummary(f.as("head.bj"), "", day, day)
	if err != nil || sum.Total.Visits != 2 || sum.Total.Cases != 1 || sum.Total.Complaints != 1 || sum.Total.AverageWait != 15 ||
		len(sum.Units) != 1 || sum.Units[0].Org != "BJ-HD-01" {
		t.Fatalf("the summary: %+v %v", sum, err)
	}
	if sum, err := svc.ReceptionSummary(f.as("mgr.sh"), "", day, day); err != nil || sum.Total.Visits != 0 {
		t.Fatalf("another branch's summary: %+v %v", sum, err)
	}
	if _, err := svc.ReceptionSummary(f.as("mgr.sh"), "BJ-HD-01", day, day); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another branch asks for the outlet's summary: %v", err)
	}
	events, err := f.cases.CaseEvents(f.as("mgr.bj"), c.No)
	if err != nil || len(events) == 0 || events[0].Action != "case.register" || events[0].Detail != v.Ref {
		t.Fatalf("the case's registration event: %+v %v", events, err)
	}
}

// TestReceptionVisitOf25OpensIncident_Order2020No3Art29: a visit of 20 or
// more logged in the reception log opens its major-complaint incident at
// once, and the case registered from it joins that incident instead of
// opening a second one (DOMAIN.md: ≥20 people complaining in person).
func TestReceptionVisitOf25OpensIncident_Order2020No3Art29(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewReceptionService(f.db)
	n := receptionVisitFixture(f.clock.Add(-time.Hour))
	n.Visit.Visitors, n.Visit.Representatives = 25, 5
	v, err := svc.LogVisit(f.as("staff.bj"), n)
	if err != nil || v.Incident == "" {
		t.Fatalf("a visit of 25: %+v %v", v, err)
	}
	c, err := svc.VisitToCase(f.as("staff.bj"), v.ID, redress.ReceptionCaseRequest{Version: v.Version})
	if err != nil || c.Incident != v.Incident || !c.MajorComplaint {
		t.Fatalf("its case: incident %q (the visit's %q), major %v, %v", c.Incident, v.Incident, c.MajorComplaint, err)
	}
	id, _ := redress.ParseIncidentRef(v.Incident)
	inc, err := NewIncidentService(f.db).Incident(f.as("mgr.bj"), id)
	if err != nil || len(inc.Cases) != 1 || inc.Cases[0] != c.No {
		t.Fatalf("the incident's cases: %+v %v", inc, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM incidents`); n != 1 {
		t.Fatalf("%d incidents for one visit and its case", n)
	}
	one := receptionVisitFixture(f.clock.Add(-time.Hour))
	if v, err := svc.LogVisit(f.as("staff.bj"), one); err != nil || v.Incident != "" {
		t.Fatalf("a visit of one: %+v %v", v, err)
	}
}

// TestReceptionVisitsExpire_DOMAIN6_PIPLArt19: a visit logged longer ago
// than its retention period (3 years by default) is anonymised by the
// retention run: the visitor's name, phone and ID number and the free texts
// go, the outlet, day and wait stay, its events are redacted and the audit
// chain still verifies; a recent visit is left alone.
func TestReceptionVisitsExpire_DOMAIN6_PIPLArt19(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewReceptionService(f.db)
	old, err := svc.LogVisit(f.as("staff.bj"), receptionVisitFixture(f.clock.AddDate(-4, 0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	recent, err := svc.LogVisit(f.as("staff.bj"), receptionVisitFixture(f.clock.Add(-time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	run, err := NewRetentionService(f.db).RunRetention(f.as("admin"), false)
	if err != nil {
		t.Fatal(err)
	}
	if c := countOf(run, redress.RetainReception); c.Expired != 1 {
		t.Fatalf("reception visits expired: %+v", c)
	}
	gone, err := svc.ReceptionVisit(f.as("staff.bj"), old.ID)
	if err != nil || gone.Visitor.Name != redress.RetentionRedacted || gone.Visitor.Phone != "" || gone.Purpose != redress.RetentionRedacted ||
		gone.WaitMinutes != old.WaitMinutes || gone.Org != old.Org {
		t.Fatalf("the old visit: %+v %v", gone, err)
	}
	if kept, err := svc.ReceptionVisit(f.as("staff.bj"), recent.ID); err != nil || kept.Visitor.Name != "赵敏" {
		t.Fatalf("the recent visit: %+v %v", kept, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE subject_kind = 'reception' AND subject_id = ? AND detail LIKE '%理财%'`, old.Ref); n != 0 {
		t.Fatalf("%d events of the old visit keep its text", n)
	}
	f.verify(t)
}
