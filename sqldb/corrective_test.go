package sqldb

import (
	"context"
	"testing"
	"time"

	"redress"
)

// correctiveBank registers, as staff of the outlet under BJ-HD, cases of
// root cause R04 (营销宣传) and business B06 received on the given days, each
// determined; and one each of another cause and of the same cause before the
// window, which no effect counts.
func correctiveCase(t *testing.T, f *fixture, received time.Time, rootCause string) *redress.Case {
	t.Helper()
	n := sampleCase()
	n.ReceivedAt = received
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	d := determined
	d.RootCauseCode = rootCause
	if rootCause == "R04" {
		d.AccountabilityMeasure, d.AccountableStaff = redress.AccountabilityCriticism, "staff2.bj"
	}
	return f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDetermine, Determination: d})
}

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, redress.Beijing)
}

// TestCorrectiveActionVerifiedByEffect_Order2020No3Art9_溯源整改: an action
// opened from a root cause found in cases names an owner and a due date; the
// owner records progress and reports it done; a manager above the owner
// verifies it on the system's count of the cases with the same cause and
// business in the unit for the months after it was done against the months
// before it was opened (counted here by hand from the cases registered); an
// ineffective verification sends it back with a new due date; every step is
// audited under its version.
func TestCorrectiveActionVerifiedByEffect_Order2020No3Art9_溯源整改(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewCorrectiveService(f.db)
	f.clock = day(2026, 11, 21)
	// The before window of an action opened on 11-21 is 08-21 … 11-20.
	var linked *redress.Case
	for _, received := range []time.Time{day(2026, 9, 1), day(2026, 10, 15), day(2026, 11, 20)} {
		linked = correctiveCase(t, f, received, "R04")
	}
	correctiveCase(t, f, day(2026, 10, 1), "R01") // another cause
	correctiveCase(t, f, day(2026, 8, 1), "R04")  // before the window
	n := redress.NewCorrectiveAction{Source: redress.SourceRootCause, RootCauseCode: "R04", CodeB: "B06", Org: "BJ-HD", Owner: "staff.bj",
		Problem: "理财产品营销话术不规范，未充分揭示风险", Measures: "修订营销话术，组织全员培训，抽查双录", Due: "2026-12-15", Cases: []string{linked.No}}

	if _, err := svc.OpenCorrective(f.as("staff.bj"), n); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("staff open an action: %v", err)
	}
	wrong := n
	wrong.Owner, wrong.RootCauseCode = "mgr.sh", "R77"
	err := func() error { _, err := svc.OpenCorrective(f.as("mgr.bj"), wrong); return err }()
	if fields := redress.ErrorFields(err); fields["owner"] == "" || fields["root_cause_code"] == "" {
		t.Fatalf("an owner outside the unit and an unknown cause: %v", err)
	}
	a, err := svc.OpenCorrective(f.as("mgr.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	if a.Ref != redress.CorrectiveRef(a.ID) || a.Status != redress.CorrectiveOpen || a.Version != 1 || len(a.Cases) != 1 ||
		len(a.Accountability) != 1 || a.Accountability[0].Staff != "staff2.bj" {
		t.Fatalf("opened: %+v", a)
	}
	for login, want := range map[string]string{"staff.bj": "", "head.bj": "", "hq.svc": "", "mgr.sh": redress.ENOTFOUND, "staff2.bj": redress.ENOTFOUND} {
		if _, err := svc.Corrective(f.as(login), a.ID); redress.ErrorCode(err) != want {
			t.Errorf("%s reads the action: %v, want %q", login, err, want)
		}
	}

	step := func(login string, req redress.CorrectiveRequest) (*redress.CorrectiveAction, error) {
		return svc.StepCorrective(f.as(login), a.ID, req)
	}
	if a, err = step("staff.bj", redress.CorrectiveRequest{Step: redress.StepProgress, Version: 1, Text: "话术已修订，培训已排期"}); err != nil {
		t.Fatal(err)
	}
	if _, err := step("staff.bj", redress.CorrectiveRequest{Step: redress.StepProgress, Version: 1, Text: "重复提交"}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a stale version: %v", err)
	}
	f.clock = day(2026, 11, 25)
	if a, err = step("staff.bj", redress.CorrectiveRequest{Step: redress.StepDone, Version: a.Version, Text: "完成培训 32 人次，抽查录音 50 条"}); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	if _, err := step("staff.bj", redress.CorrectiveRequest{Step: redress.StepVerify, Version: a.Version, Effective: &yes}); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("the owner verifies: %v", err)
	}
	f.clock = day(2026, 11, 26)
	effect, err := svc.Effect(f.as("mgr.bj"), a.ID)
	if err != nil || effect.Before != 3 || effect.After != 0 || !effect.AfterPartial || effect.BeforeFrom.String() != "2026-08-21" {
		t.Fatalf("the effect one day after: %+v %v", effect, err)
	}
	a, err = step("mgr.bj", redress.CorrectiveRequest{Step: redress.StepVerify, Version: a.Version, Effective: &no, Text: "观察期太短", NewDue: "2026-12-20"})
	if err != nil || a.Status != redress.CorrectiveOpen || a.Due.String() != "2026-12-20" || len(a.Verifications) != 1 || a.DoneBy != "" {
		t.Fatalf("sent back: %+v %v", a, err)
	}

	f.clock = day(2026, 12, 1)
	if a, err = step("staff.bj", redress.CorrectiveRequest{Step: redress.StepDone, Version: a.Version, Text: "补充培训，复查双录"}); err != nil {
		t.Fatal(err)
	}
	// Three months on, one case of the cause came in after it was done.
	f.clock = day(2027, 3, 5)
	correctiveCase(t, f, day(2027, 1, 10), "R04")
	correctiveCase(t, f, day(2027, 1, 11), "R01")
	a, err = step("head.bj", redress.CorrectiveRequest{Step: redress.StepVerify, Version: a.Version, Effective: &yes, Text: "同类投诉明显减少"})
	if err != nil || a.Status != redress.CorrectiveVerified {
		t.Fatalf("verified: %+v %v", a, err)
	}
	v := a.Verifications[1].Effect
	if v.Before != 3 || v.After != 1 || v.AfterPartial || !v.Fewer || v.AfterFrom.String() != "2026-12-02" || v.AfterTo.String() != "2027-03-01" {
		t.Fatalf("the effect it was verified on: %+v", v)
	}

	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Events {
		if e.Subject.Kind == redress.SubjectCorrective {
			actions = append([]string{e.Action}, actions...)
		}
	}
	want := []string{"corrective.open", "corrective.progress", "corrective.done", "corrective.verify", "corrective.done", "corrective.verify"}
	if len(actions) != len(want) {
		t.Fatalf("audit events: %v", actions)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("audit events: %v, want %v", actions, want)
		}
	}
	sum, err := svc.CorrectiveSummary(f.as("mgr.bj"), "", redress.NewDate(2026, 11, 1), redress.NewDate(2026, 11, 30))
	if err != nil || sum.Verified != 1 || sum.Effective != 1 || sum.SentBack != 1 || sum.OpenedFrom != 1 || sum.Open != 0 {
		t.Fatalf("summary: %+v %v", sum, err)
	}
	if list, err := NewCorrectiveService(f.db).CorrectiveOfCase(f.as("mgr.bj"), linked.No); err != nil || len(list) != 1 {
		t.Fatalf("the case's actions: %v %v", list, err)
	}
}

// TestCorrectiveOverdueEscalates_Order2020No3Art9: an open action past its
// due date is noticed once per due date by the sweep: its owner and the
// managers above the owner unit are told, and the list's overdue filter
// finds it.
func TestCorrectiveOverdueEscalates_Order2020No3Art9(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewCorrectiveService(f.db)
	f.clock = day(2026, 11, 21)
	a, err := svc.OpenCorrective(f.as("head.bj"), redress.NewCorrectiveAction{Source: redress.SourceReport, SourceNote: "11月投诉量环比上升 40%",
		Org: "BJ-HD", Owner: "mgr.bj", Problem: "排队时间过长引发投诉", Measures: "高峰期增开窗口", Due: "2026-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	sweep := func(at time.Time) int {
		t.Helper()
		report, err := f.db.Sweep(context.Background(), at, SweepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return report.CorrectiveOverdue
	}
	if n := sweep(day(2026, 11, 25)); n != 0 {
		t.Fatalf("on its due date: %d", n)
	}
	f.clock = day(2026, 11, 27)
	if n := sweep(f.clock); n != 1 {
		t.Fatalf("past its due date: %d", n)
	}
	if n := sweep(f.clock.Add(time.Hour)); n != 0 {
		t.Fatalf("a second sweep: %d", n)
	}
	for _, login := range []string{"mgr.bj", "hq.svc"} { // BJ has no manager: head office is next above
		page, err := NewNotificationService(f.db).ListNotifications(f.as(login), redress.NotificationFilter{})
		found := false
		for _, n := range page.Notifications {
			found = found || n.Kind == redress.NotifyCorrectiveOverdue
		}
		if err != nil || !found {
			t.Errorf("%s is not told the action is overdue: %v", login, err)
		}
	}
	list, err := svc.ListCorrective(f.as("head.bj"), redress.CorrectiveFilter{Overdue: true})
	if err != nil || len(list.Actions) != 1 || list.Actions[0].ID != a.ID || !list.Actions[0].Overdue {
		t.Fatalf("overdue list: %+v %v", list, err)
	}
	if list, _ := svc.ListCorrective(f.as("mgr.sh"), redress.CorrectiveFilter{}); len(list.Actions) != 0 {
		t.Fatal("another branch lists the action")
	}
}
