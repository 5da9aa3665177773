package sqldb

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"redress"
)

// bjTime returns a time of day on a date in Beijing.
func bjTime(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, redress.Beijing)
}

// sweep runs a sweep at the given time, which becomes the fixture's clock.
func (f *fixture) sweep(t *testing.T, at time.Time, opts SweepOptions) *redress.SweepReport {
	t.Helper()
	f.clock = at
	if opts.DueSoonDays == 0 {
		opts.DueSoonDays = 1 // these tests count the notices of a one-working-day window
	}
	report, err := f.db.Sweep(context.Background(), at, opts)
	if err != nil {
		t.Fatalf("sweep at %s: %v", at, err)
	}
	return report
}

// inbox returns a user's in-app notifications, newest first.
func (f *fixture) inbox(t *testing.T, login string) []*redress.Notification {
	t.Helper()
	page, err := NewNotificationService(f.db).ListNotifications(f.as(login), redress.NotificationFilter{Limit: 200})
	if err != nil {
		t.Fatalf("inbox of %s: %v", login, err)
	}
	return page.Notifications
}

// withAdmin gives the fixture's admin their stored ID, so that it has an inbox.
func (f *fixture) withAdmin(t *testing.T) {
	t.Helper()
	admin, err := f.db.userByLogin(context.Background(), f.db.reads(), "login", "admin")
	if err != nil {
		t.Fatal(err)
	}
	f.users["admin"] = admin
}

func wantCounts(t *testing.T, r *redress.SweepReport, dueSoon, overdue, escalated, notifications int) {
	t.Helper()
	if r.DueSoon != dueSoon || r.Overdue != overdue || r.Escalated != escalated || r.Notifications != notifications {
		t.Fatalf("sweep of %s: due soon %d, overdue %d, escalated %d, notifications %d; want %d, %d, %d, %d",
			r.Today, r.DueSoon, r.Overdue, r.Escalated, r.Notifications, dueSoon, overdue, escalated, notifications)
	}
}

func TestSweepDueSoonOverdueAndEscalation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c := f.register(t, "staff.bj") // received Friday 2026-11-20 09:30
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept, Handler: "staff.bj"})
	if c.ReplyDue != "2026-11-23" || c.Level != 2 {
		t.Fatalf("accepted case: reply due %s, level %d", c.ReplyDue, c.Level)
	}
	replied := f.register(t, "staff.bj")
	replied = f.act(t, "staff.bj", replied, redress.ActionRequest{Action: redress.ActionResolveOnSpot, Determination: redress.Determination{
		Liability: redress.LiabilityNoFault, RootCause: "客户误解产品说明"}, Reply: replyAt(f.clock)})

	// Sunday 2026-11-22: the branch reply, due Monday, is due soon. The
	// handler (staff.bj at the outlet) and the manager of the nearest unit
	// above with one (mgr.bj at the sub-branch) hear of it, in-app.
	r := f.sweep(t, bjTime(2026, 11, 22, 8), SweepOptions{})
	wantCounts(t, r, 1, 0, 0, 2)
	if r.WindowEnd.String() != "2026-11-23" || r.CalendarDays || len(r.MissingYears) != 0 {
		t.Fatalf("window: %+v", r)
	}
	for _, login := range []string{"staff.bj", "mgr.bj"} {
		inbox := f.inbox(t, login)
		if len(inbox) != 1 {
			t.Fatalf("%s has %d notifications, want 1", login, len(inbox))
		}
		n := inbox[0]
		if n.Kind != redress.NotifyDueSoon || n.CaseNo != c.No || n.Channel != redress.NotifyInApp || n.ReadAt != nil ||
			n.Subject != "【投诉管理】案件 "+c.No+" 网点答复期限将至" ||
			n.Body != "案件 "+c.No+"（理财产品收益与宣传不符）的网点答复期限为 2026-11-23，剩余 1 个工作日，请及时处理。" {
			t.Fatalf("due-soon notice to %s: %+v", login, n)
		}
	}
	for _, login := range []string{"staff2.bj", "head.bj", "mgr.sh", "hq.svc", "auditor"} {
		if inbox := f.inbox(t, login); len(inbox) != 0 {
			t.Fatalf("%s was told: %+v", login, inbox[0])
		}
	}

	// The same day again: nothing new.
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 22, 17), SweepOptions{}), 0, 0, 0, 0)

	// Tuesday 2026-11-24: the reply is late. The case is escalated once, by
	// the system, and the same two people are told once.
	r = f.sweep(t, bjTime(2026, 11, 24, 9), SweepOptions{})
	wantCounts(t, r, 0, 1, 1, 2)
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 24, 15), SweepOptions{}), 0, 0, 0, 0)
	got, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	if got.Level != 3 || got.Version != c.Version+1 || !got.ReplyOverdue || got.Overdue || got.Handler != "staff.bj" {
		t.Fatalf("after the late reply: level %d version %d (was %d), reply overdue %v, overdue %v, handler %s",
			got.Level, got.Version, c.Version, got.ReplyOverdue, got.Overdue, got.Handler)
	}
	events, err := f.cases.CaseEvents(f.as("mgr.bj"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if last.Actor != "system" || last.Action != "case.escalate" || !strings.Contains(last.Detail, "reply_due") ||
		!strings.Contains(last.Detail, "2026-11-23") || !slices.Contains(last.Changes, redress.Change{Field: "level", Before: "2", After: "3"}) {
		t.Fatalf("escalation event: %+v", last)
	}
	n := f.inbox(t, "staff.bj")[0]
	if n.Kind != redress.NotifyOverdue || n.Subject != "【投诉管理】案件 "+c.No+" 网点答复已超期" ||
		n.Body != "案件 "+c.No+"（理财产品收益与宣传不符）的网点答复期限为 2026-11-23，已超期 1 天，已自动升级至第 3 级。" {
		t.Fatalf("overdue notice: %+v", n)
	}

	// The day after the decision clock ends: escalated again, which takes the
	// case to head office; head-office service is told as well.
	decisionDue, err := redress.ParseDate(got.DecisionDue)
	if err != nil {
		t.Fatal(err)
	}
	after := decisionDue.AddDays(1)
	r = f.sweep(t, bjTime(after.Year(), after.Month(), after.Day(), 9), SweepOptions{})
	wantCounts(t, r, 0, 1, 1, 3)
	wantCounts(t, f.sweep(t, bjTime(after.Year(), after.Month(), after.Day(), 18), SweepOptions{}), 0, 0, 0, 0)
	got, err = f.cases.Case(f.as("hq.svc"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	if got.Level != 4 || got.Org != RootOrgCode || got.Handler != "" || got.Version != c.Version+2 || !got.Overdue {
		t.Fatalf("after the late decision: level %d org %s handler %q version %d overdue %v", got.Level, got.Org, got.Handler, got.Version, got.Overdue)
	}
	for _, login := range []string{"staff.bj", "mgr.bj", "hq.svc"} {
		n := f.inbox(t, login)[0]
		if n.Subject != "【投诉管理】案件 "+c.No+" 投诉处理已超期" ||
			n.Body != "案件 "+c.No+"（理财产品收益与宣传不符）的投诉处理期限为 "+got.DecisionDue+"，已超期 1 天，已自动升级至第 4 级（总行）。" {
			t.Fatalf("decision overdue notice to %s: %+v", login, n)
		}
	}
	if len(f.inbox(t, "staff.bj")) != 3 || len(f.inbox(t, "mgr.bj")) != 3 || len(f.inbox(t, "hq.svc")) != 1 {
		t.Fatalf("inboxes: staff.bj %d, mgr.bj %d, hq.svc %d", len(f.inbox(t, "staff.bj")), len(f.inbox(t, "mgr.bj")), len(f.inbox(t, "hq.svc")))
	}

	// A case already at head office is not escalated again: an extended
	// decision date that runs out again is only notified.
	_, err = f.db.write.ExecContext(ctx, f.db.dialect.rebind(`UPDATE cases SET decision_due = ? WHERE id = ?`), after.AddDays(2).String(), got.ID)
	if err != nil {
		t.Fatal(err)
	}
	later := after.AddDays(3)
	r = f.sweep(t, bjTime(later.Year(), later.Month(), later.Day(), 9), SweepOptions{})
	wantCounts(t, r, 0, 1, 0, 1) // head office now holds it with no handler and no manager: head-office service
	if n := f.inbox(t, "hq.svc")[0]; !strings.HasSuffix(n.Body, "已超期 1 天，案件已在总行（第 4 级），请尽快处理。") {
		t.Fatalf("notice at level 4: %s", n.Body)
	}
	if again, _ := f.cases.Case(f.as("hq.svc"), c.No); again.Level != 4 || again.Version != got.Version {
		t.Fatalf("a level-4 case changed: level %d version %d", again.Level, again.Version)
	}

	// The replied case was never swept.
	var alerts int
	if err := f.db.read.QueryRowContext(ctx, f.db.dialect.rebind(`SELECT COUNT(*) FROM deadline_alerts WHERE case_id = ?`), replied.ID).Scan(&alerts); err != nil {
		t.Fatal(err)
	}
	if alerts != 0 {
		t.Fatalf("the replied case has %d alerts", alerts)
	}
	if events, _ := f.cases.CaseEvents(f.as("mgr.bj"), replied.No); events[len(events)-1].Actor == "system" {
		t.Fatal("the replied case was escalated")
	}
	report, err := f.db.VerifyAuditAsOperator(ctx)
	if err != nil || !report.OK {
		t.Fatalf("audit chain: %+v %v", report, err)
	}
}

func TestSweepExtensionRearms(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c := f.register(t, "staff.bj") // no handler: the outlet's nearest manager is mgr.bj
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 22, 8), SweepOptions{}), 1, 0, 0, 1)
	if len(f.inbox(t, "mgr.bj")) != 1 || len(f.inbox(t, "staff.bj")) != 0 {
		t.Fatal("without a handler only the manager is told")
	}
	// A new reply date (as an extension sets it) arms the notice again.
	if _, err := f.db.write.ExecContext(ctx, f.db.dialect.rebind(`UPDATE cases SET reply_due = '2026-11-24' WHERE id = ?`), c.ID); err != nil {
		t.Fatal(err)
	}
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 23, 8), SweepOptions{}), 1, 0, 0, 1)
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 23, 9), SweepOptions{}), 0, 0, 0, 0)
	if n := f.inbox(t, "mgr.bj")[0]; !strings.Contains(n.Body, "期限为 2026-11-24，剩余 1 个工作日") {
		t.Fatalf("re-armed notice: %s", n.Body)
	}
	// Due today.
	if _, err := f.db.write.ExecContext(ctx, f.db.dialect.rebind(`UPDATE cases SET reply_due = '2026-11-23' WHERE id = ?`), c.ID); err != nil {
		t.Fatal(err)
	}
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 23, 10), SweepOptions{}), 0, 0, 0, 0) // that date's notice went out on the 22nd
	if _, err := f.db.write.ExecContext(ctx, f.db.dialect.rebind(`UPDATE cases SET reply_due = '2026-11-25' WHERE id = ?`), c.ID); err != nil {
		t.Fatal(err)
	}
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 25, 8), SweepOptions{}), 1, 0, 0, 1)
	if n := f.inbox(t, "mgr.bj")[0]; !strings.Contains(n.Body, "期限为 2026-11-25，今日到期，请及时处理。") {
		t.Fatalf("due today: %s", n.Body)
	}
}

func TestSweepMissingCalendar(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withAdmin(t)
	ctx := context.Background()
	c := f.register(t, "staff.bj")
	// The decision falls in 2027, a year the embedded calendar lacks.
	if _, err := f.db.write.ExecContext(ctx, f.db.dialect.rebind(`UPDATE cases SET decision_due = '2027-01-04' WHERE id = ?`), c.ID); err != nil {
		t.Fatal(err)
	}
	// A calendar with 2025 only: 2026 is missing too, so the due-soon window
	// is counted in calendar days.
	only2025 := SweepOptions{Calendars: func(context.Context) (redress.Calendars, error) {
		all, err := redress.EmbeddedSchedules()
		if err != nil {
			return nil, err
		}
		var keep []redress.YearSchedule
		for _, s := range all {
			if s.Region == redress.RegionCN && s.Year == 2025 {
				keep = append(keep, s)
			}
		}
		return redress.NewCalendars(keep...)
	}}
	r := f.sweep(t, bjTime(2026, 11, 22, 8), only2025)
	if !r.CalendarDays || !slices.Equal(r.MissingYears, []string{"CN 2026", "CN 2027"}) || !slices.Equal(r.NewAlerts, r.MissingYears) {
		t.Fatalf("missing years: %+v", r)
	}
	if n := f.inbox(t, "mgr.bj")[0]; !strings.Contains(n.Body, "剩余 1 天（节假日安排缺失，按自然日计算）") {
		t.Fatalf("due-soon notice in calendar days: %s", n.Body)
	}
	alerts := f.inbox(t, "admin")
	if len(alerts) != 2 || alerts[0].Kind != redress.NotifyCalendarMissing || alerts[0].Subject != "【投诉管理】缺少 2027 年节假日安排（CN）" ||
		!strings.Contains(alerts[0].Body, "请系统管理员") || alerts[0].CaseNo != "" {
		t.Fatalf("admin alerts: %+v", alerts)
	}
	// The embedded calendars have 2026 but not 2027: already alerted, so the
	// administrators are not told again, however often the sweep runs.
	for range 3 {
		r = f.sweep(t, bjTime(2026, 11, 22, 9), SweepOptions{})
		if r.CalendarDays || !slices.Equal(r.MissingYears, []string{"CN 2027"}) || len(r.NewAlerts) != 0 {
			t.Fatalf("second sweep: %+v", r)
		}
	}
	if alerts := f.inbox(t, "admin"); len(alerts) != 2 {
		t.Fatalf("admin has %d alerts, want 2", len(alerts))
	}
	// Nobody else hears of the calendar.
	for _, n := range f.inbox(t, "mgr.bj") {
		if n.Kind == redress.NotifyCalendarMissing {
			t.Fatal("a manager got the calendar alert")
		}
	}
	// On 31 December the one-working-day window reaches into 2027 itself.
	r = f.sweep(t, bjTime(2026, 12, 31, 9), SweepOptions{})
	if !r.CalendarDays || r.WindowEnd.String() != "2027-01-01" {
		t.Fatalf("window across the year: %+v", r)
	}
}

func TestSweepSkipsAccused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n := sampleCase()
	n.Accusation, n.Respondent.Staff = true, "mgr.bj"
	if _, err := f.cases.CreateCase(f.as("staff.bj"), n); err != nil {
		t.Fatal(err)
	}
	// The only manager above the outlet is the accused: the walk goes on to
	// head office, where nobody is a manager, so head-office service is told.
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 22, 8), SweepOptions{}), 1, 0, 0, 1)
	if len(f.inbox(t, "mgr.bj")) != 0 || len(f.inbox(t, "hq.svc")) != 1 {
		t.Fatal("the accused manager was told of the accusation, or nobody was")
	}
}

// TestSweepSkipsPausedClock: a decision clock stopped for a mediation is
// neither overdue nor escalated; after resuming, the moved date applies.
func TestSweepSkipsPausedClock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionPause, Cause: redress.PauseMediation,
		Reason: "提交调解", Reply: redress.Reply{NoticeMethod: redress.NoticePhone, NoticeAt: f.clock, NoticeProof: "录音"}})
	level := c.Level
	f.sweep(t, bjTime(2026, 12, 10, 8), SweepOptions{}) // long past the unpaused 12-05
	got, err := f.cases.Case(f.as("mgr.bj"), c.No)
	if err != nil {
		t.Fatal(err)
	}
	// The branch reply clock (due 11-23) does not pause: it escalates once.
	if got.Level != level+1 {
		t.Fatalf("level %d → %d, want one escalation for the reply clock only", level, got.Level)
	}
	var decisionAlerts int
	f.db.read.QueryRow(f.db.dialect.rebind(`SELECT COUNT(*) FROM deadline_alerts WHERE case_id = ? AND clock = 'decision_due'`), c.ID).Scan(&decisionAlerts)
	if decisionAlerts != 0 {
		t.Fatalf("a paused decision clock raised %d alerts", decisionAlerts)
	}
	for _, n := range f.inbox(t, "mgr.bj") {
		if strings.Contains(n.Subject, "超期") && strings.Contains(n.Body, "2026-12-05") {
			t.Fatalf("a paused decision clock was reported overdue: %s", n.Body)
		}
	}
}
