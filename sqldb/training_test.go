package sqldb

import (
	"testing"
	"time"

	"redress"
)

// TestTrainingRecorded_Seed004Sec6_培训与考核: a manager plans a session of
// their unit for people in their scope (培训管理: 定期开展投诉处理的专业培训),
// records after the day who attended and their test scores (考核), under the
// version; staff read the sessions they are on, another branch nothing; the
// month's attendance stands beside each person's and unit's figures in the
// assessment, every step audited.
func TestTrainingRecorded_Seed004Sec6_培训与考核(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewTrainingService(f.db)
	plan := redress.NewTrainingSession{Org: "BJ-HD", Title: "客户投诉处理规范与沟通技巧", Topics: []redress.TrainingTopic{redress.TopicComplaintRules, redress.TopicCommunication},
		HeldOn: "2026-11-23", Hours: 2.5, Trainer: "消保部 李老师", Form: redress.TrainingInPerson, Attendees: []string{"staff.bj", "staff2.bj", "mgr.bj"}}
	if _, err := svc.PlanTraining(f.as("staff.bj"), plan); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("staff plan: %v", err)
	}
	foreign := plan
	foreign.Attendees = []string{"staff.bj", "mgr.sh", "nobody"}
	if fields := redress.ErrorFields(func() error { _, err := svc.PlanTraining(f.as("mgr.bj"), foreign); return err }()); fields["attendees"] == "" {
		t.Fatalf("a roster out of scope: %v", fields)
	}
	elsewhere := plan
	elsewhere.Org = "SH"
	if fields := redress.ErrorFields(func() error { _, err := svc.PlanTraining(f.as("mgr.bj"), elsewhere); return err }()); fields["org"] == "" {
		t.Fatalf("a unit out of scope: %v", fields)
	}
	s, err := svc.PlanTraining(f.as("mgr.bj"), plan)
	if err != nil || s.Ref != "PX-000001" || s.Status != redress.TrainingPlanned || s.Hours != 2.5 || len(s.Attendees) != 3 || s.PassMark != 60 {
		t.Fatalf("planned: %+v %v", s, err)
	}
	if _, err := svc.Training(f.as("mgr.sh"), s.ID); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Fatalf("another branch reads it: %v", err)
	}
	mine, err := svc.TrainingSessions(f.as("staff.bj"), redress.TrainingFilter{})
	if err != nil || len(mine) != 1 {
		t.Fatalf("staff see theirs: %+v %v", mine, err)
	}
	if other, err := svc.TrainingSessions(f.as("mgr.sh"), redress.TrainingFilter{}); err != nil || len(other) != 0 {
		t.Fatalf("another branch lists: %+v %v", other, err)
	}
	score := func(n int) *int { return &n }
	all := []redress.AttendanceRecord{{Login: "staff.bj", Attended: true, Score: score(85)}, {Login: "staff2.bj"}, {Login: "mgr.bj", Attended: true, Score: score(55)}}
	if _, err := svc.RecordAttendance(f.as("mgr.bj"), s.ID, redress.TrainingAttendance{Version: 1, Attendees: all}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("recorded before the day: %v", err)
	}
	f.clock = f.clock.Add(3 * 24 * time.Hour) // 2026-11-24
	if _, err := svc.RecordAttendance(f.as("mgr.bj"), s.ID, redress.TrainingAttendance{Version: 1, Attendees: all[:2]}); redress.ErrorCode(err) != redress.EINVALID {
		t.Fatalf("a roster half recorded: %v", err)
	}
	if _, err := svc.RecordAttendance(f.as("mgr.bj"), s.ID, redress.TrainingAttendance{Version: 7, Attendees: all}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a stale version: %v", err)
	}
	s, err = svc.RecordAttendance(f.as("head.bj"), s.ID, redress.TrainingAttendance{Version: 1, Attendees: all})
	if err != nil || s.Status != redress.TrainingHeld || s.Version != 2 || s.AttendanceBy != "head.bj" {
		t.Fatalf("recorded: %+v %v", s, err)
	}
	seats := map[string]redress.TrainingSeat{}
	for _, seat := range s.Attendees {
		seats[seat.Login] = seat
	}
	if !seats["staff.bj"].Passed || seats["staff2.bj"].Attended || seats["mgr.bj"].Passed || *seats["mgr.bj"].Score != 55 {
		t.Fatalf("seats: %+v", seats)
	}
	held, err := svc.TrainingSessions(f.as("hq.svc"), redress.TrainingFilter{Status: redress.TrainingHeld, Topic: redress.TopicCommunication, From: "2026-11-01", To: "2026-11-30"})
	if err != nil || len(held) != 1 {
		t.Fatalf("head office filters: %+v %v", held, err)
	}
	if none, err := svc.TrainingSessions(f.as("hq.svc"), redress.TrainingFilter{Topic: redress.TopicPrivacy}); err != nil || len(none) != 0 {
		t.Fatalf("another topic: %+v %v", none, err)
	}
	a, err := NewAssessmentService(f.db).Assessment(f.as("hq.svc"), redress.AssessmentQuery{Month: "2026-11", Org: "BJ"})
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]redress.TrainingFigures{}
	for _, p := range a.People {
		people[p.Login] = p.Training
	}
	if people["staff.bj"] != (redress.TrainingFigures{Sessions: 1, Hours: 2.5, Passed: 1}) || people["staff2.bj"] != (redress.TrainingFigures{Absent: 1}) ||
		people["mgr.bj"] != (redress.TrainingFigures{Sessions: 1, Hours: 2.5, Failed: 1}) {
		t.Fatalf("the assessment's training: %+v", people)
	}
	for _, u := range a.Units {
		want := map[string]redress.TrainingFigures{"BJ-HD": {Sessions: 1, Hours: 2.5, Failed: 1}, "BJ-HD-01": {Sessions: 1, Hours: 2.5, Absent: 1, Passed: 1}}[u.Org]
		if u.Training != want {
			t.Fatalf("unit %s: %+v, want %+v", u.Org, u.Training, want)
		}
	}
	if dec, _ := NewAssessmentService(f.db).Assessment(f.as("hq.svc"), redress.AssessmentQuery{Month: "2026-12", Org: "BJ"}); dec.People[0].Training != (redress.TrainingFigures{}) {
		t.Fatalf("another month: %+v", dec.People[0].Training)
	}
	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Events {
		if e.Subject.Kind == redress.SubjectTraining {
			actions = append([]string{e.Action}, actions...)
		}
	}
	if len(actions) != 2 || actions[0] != "training.plan" || actions[1] != "training.attendance" {
		t.Fatalf("audit: %v", actions)
	}
}
