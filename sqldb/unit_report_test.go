package sqldb

import (
	"testing"
	"time"

	"redress"
)

// TestUnitReportFrozen_Seed002Art4 (the bank's rules, seed 002 Art.4:
// 统计、分析、上报客户投诉处理情况; CBIRC Order 2020 No.3 Art.26): the head of
// BJ-HD submits September (one case received then, 09-30); a case
// registered for September afterwards does not change what was submitted;
// the superior sees the unit as submitted and the outlet as missing; a
// second submission, a month not ended and a manager's submission are
// refused; the submission is audited.
func TestUnitReportFrozen_Seed002Art4(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	reportCases(t, f)
	reports := NewUnitReportService(f.db)
	r, err := reports.SubmitUnitReport(f.as("head.bj"), "2026-09")
	if err != nil || r.Snapshot.Received != 1 || r.SubmittedBy != "head.bj" || r.SubmittedAt == nil {
		t.Fatalf("submit: %+v %v", r, err)
	}
	late := sampleCase()
	late.ReceivedAt = time.Date(2026, 9, 15, 9, 0, 0, 0, redress.Beijing)
	if _, err := f.cases.CreateCase(f.as("staff.bj"), late); err != nil {
		t.Fatal(err)
	}
	got, err := reports.UnitReport(f.as("hq.svc"), "BJ-HD", "2026-09")
	if err != nil || got.Snapshot.Received != 1 || got.Snapshot.From != "2026-09-01" || got.Name != "海淀支行" {
		t.Fatalf("the frozen report: %+v %v", got, err)
	}
	if st, _ := f.statsOf("mgr.bj", redress.StatsQuery{From: "2026-09-01", To: "2026-09-30"}); st.Received != 2 {
		t.Fatalf("the engine now counts %d", st.Received)
	}
	list, err := reports.UnitReports(f.as("mgr.bj"), "2026-09")
	if err != nil || len(list) != 2 || list[0].Org != "BJ-HD" || !list[0].Submitted || list[0].SubmittedBy != "head.bj" ||
		list[1].Org != "BJ-HD-01" || list[1].Submitted || list[0].Snapshot != nil {
		t.Fatalf("the superior's list: %+v %v", list, err)
	}
	_, err = reports.SubmitUnitReport(f.as("head.bj"), "2026-09")
	wantCode(t, err, redress.ECONFLICT)
	_, err = reports.SubmitUnitReport(f.as("head.bj"), "2026-11") // the fixture's today is 2026-11-21
	wantCode(t, err, redress.EINVALID)
	_, err = reports.SubmitUnitReport(f.as("mgr.bj"), "2026-10")
	wantCode(t, err, redress.EFORBIDDEN)
	_, err = reports.UnitReport(f.as("mgr.sh"), "BJ-HD", "2026-09")
	wantCode(t, err, redress.ENOTFOUND)
	events, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Action: "org.submit_report"})
	if err != nil || len(events.Events) != 1 || events.Events[0].Actor != "head.bj" || events.Events[0].Subject != redress.NewSubject(redress.SubjectOrg, "BJ-HD") {
		t.Fatalf("audit: %+v %v", events, err)
	}
}
