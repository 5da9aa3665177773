package sqldb

import (
	"context"
	"testing"
	"time"

	"redress"
)

// TestOpinionBookChecked_Seed002Art9_每日查阅客户意见簿: the complaint manager
// records each day's check of an outlet's opinion book with what was found
// (a complaint registered as a case, a suggestion noted), once per day; the
// outlet's days show checked or missed; after three working days missed in a
// row the managers above are told, once for the streak.
func TestOpinionBookChecked_Seed002Art9_每日查阅客户意见簿(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	svc := NewOpinionBookService(f.db)
	f.clock = time.Date(2026, 11, 24, 17, 0, 0, 0, redress.Beijing) // Tue; BJ-HD-01 opened on Sat 11-21
	c := f.register(t, "staff.bj")
	check := redress.NewOpinionBookCheck{Org: "BJ-HD-01", Day: "2026-11-23", Entries: []redress.OpinionEntry{
		{Outcome: redress.OpinionCase, Text: "理财收益与宣传不符", CaseNo: c.No}, {Outcome: redress.OpinionSuggestion, Text: "建议增加座椅"}}}
	if _, err := svc.RecordCheck(f.as("staff.bj"), check); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("staff record the check: %v", err)
	}
	if _, err := svc.RecordCheck(f.as("mgr.sh"), check); redress.ErrorFields(err)["org"] == "" {
		t.Fatalf("another branch records it: %v", err)
	}
	got, err := svc.RecordCheck(f.as("mgr.bj"), check)
	if err != nil || got.CheckedBy != "mgr.bj" || len(got.Entries) != 2 || got.OrgName != "中关村网点" {
		t.Fatalf("recorded: %+v %v", got, err)
	}
	if _, err := svc.RecordCheck(f.as("mgr.bj"), check); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("the same day twice: %v", err)
	}
	wrong := check
	wrong.Day, wrong.Entries = "2026-11-24", []redress.OpinionEntry{{Outcome: redress.OpinionCase, Text: "x", CaseNo: "TS20991231-00001"}}
	if _, err := svc.RecordCheck(f.as("mgr.bj"), wrong); redress.ErrorFields(err)["entries.0.case_no"] == "" {
		t.Fatalf("an entry naming no case: %v", err)
	}

	outlets, err := svc.Outlets(f.as("mgr.bj"), "", redress.NewDate(2026, 11, 23), redress.NewDate(2026, 11, 24))
	if err != nil || len(outlets) != 1 || len(outlets[0].Days) != 2 || outlets[0].Days[0].Check == nil || outlets[0].Days[1].Check != nil ||
		outlets[0].MissedInARow != 0 {
		t.Fatalf("the outlet's days: %+v %v", outlets, err)
	}
	sweep := func(at time.Time) int {
		t.Helper()
		report, err := f.db.Sweep(context.Background(), at, SweepOptions{OpinionBooks: true})
		if err != nil {
			t.Fatal(err)
		}
		return report.OpinionBooksMissed
	}
	// Tue 24, Wed 25 missed by Thu 26: two days, no notice yet.
	f.clock = time.Date(2026, 11, 26, 9, 0, 0, 0, redress.Beijing)
	if n := sweep(f.clock); n != 0 {
		t.Fatalf("two days missed: %d", n)
	}
	f.clock = time.Date(2026, 11, 27, 9, 0, 0, 0, redress.Beijing)
	if n := sweep(f.clock); n != 1 {
		t.Fatalf("three days missed: %d", n)
	}
	if n := sweep(f.clock.Add(time.Hour)); n != 0 {
		t.Fatalf("the same streak again: %d", n)
	}
	outlets, _ = svc.Outlets(f.as("mgr.bj"), "BJ-HD", redress.NewDate(2026, 11, 23), redress.NewDate(2026, 11, 27))
	if len(outlets) != 1 || outlets[0].MissedInARow != 3 {
		t.Fatalf("missed in a row: %+v", outlets)
	}
	page, err := NewNotificationService(f.db).ListNotifications(f.as("mgr.bj"), redress.NotificationFilter{})
	found := false
	for _, n := range page.Notifications {
		found = found || n.Kind == redress.NotifyOpinionBookMissed
	}
	if err != nil || !found {
		t.Fatalf("the manager above is not told: %v", err)
	}
}
