package sqldb

import (
	"context"
	"strings"
	"testing"
	"time"

	"redress"
)

// repeatFixture is the bank with its profile set (a merge tells the
// complainant by a customer notice, which names the bank).
func repeatFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	if _, err := NewSettingsService(f.db).SetBankProfile(f.as("admin"), redress.BankProfile{Name: "示例银行", Hotline: "95500"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// registerWith registers a variant of the sample case.
func (f *fixture) registerWith(t *testing.T, login string, change func(n *redress.NewCase)) *redress.Case {
	t.Helper()
	n := sampleCase()
	change(&n)
	c, err := f.cases.CreateCase(f.as(login), n)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func reasonsOf(c redress.RepeatCandidate) []redress.RepeatReason {
	var out []redress.RepeatReason
	for _, r := range c.Reasons {
		out = append(out, r.Reason)
	}
	return out
}

func candidateOf(got *redress.RepeatCandidates, no string) *redress.RepeatCandidate {
	for i := range got.Candidates {
		if got.Candidates[i].Case.No == no {
			return &got.Candidates[i]
		}
	}
	return nil
}

// TestRepeatCandidatesEachReason_Order3Art18 finds, for a draft, an earlier
// case by each reason alone — the same ID number, account, phone (blind
// indexes), a similar text (the search index) and the same respondent unit —
// ranks them best first, and leaves out a case outside the window.
func TestRepeatCandidatesEachReason_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	other := redress.Complainant{Name: "李四", Phone: "13900000001"}
	byID := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.Complainant = redress.Complainant{Name: "张三", IDType: redress.IDResident, IDNumber: "110101199003071234"}
		n.Subject, n.Description = "信用卡年费争议", "年费未告知"
	})
	byAccount := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.Complainant = redress.Complainant{Name: "张三", Phone: "13700000002", Account: "6222021234567890123"}
		n.Subject, n.Description = "转账延迟到账", "汇款未到"
	})
	byPhone := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.Complainant = redress.Complainant{Name: "张三", Phone: "13812345678"}
		n.Subject, n.Description = "柜台排队时间长", "等候两小时"
	})
	byText := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.Complainant = other
		n.Subject, n.Description = "理财产品收益与宣传不符", "购买的理财产品收益低于宣传"
	})
	byRespondent := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.Complainant = redress.Complainant{Name: "王五", Phone: "13900000003"}
		n.Respondent = redress.Respondent{Org: "BJ-HD-01"}
		n.Subject, n.Description = "网点服务态度差", "柜员不耐烦"
	})
	old := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.ReceivedAt = time.Date(2026, 1, 5, 9, 0, 0, 0, redress.Beijing) // more than 180 days before
	})
	draft := redress.RepeatDraft{Kind: redress.KindComplaint, ReceivedAt: f.clock,
		Complainant: redress.Complainant{Name: "张三", IDNumber: "110101199003071234", Phone: "13812345678", Account: "6222021234567890123"},
		Respondent:  redress.Respondent{Org: "BJ-HD-01"},
		Subject:     "理财产品收益与宣传不符", Description: "理财产品收益低于宣传"}
	got, err := NewRepeatService(f.db).RepeatCandidates(f.as("staff.bj"), draft)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]redress.RepeatReason{byID.No: redress.RepeatSameID, byAccount.No: redress.RepeatSameAccount,
		byPhone.No: redress.RepeatSamePhone, byText.No: redress.RepeatSimilarText, byRespondent.No: redress.RepeatSameRespondent}
	for no, reason := range want {
		c := candidateOf(got, no)
		if c == nil {
			t.Fatalf("%s (%s) is no candidate: %+v", no, reason, got.Candidates)
		}
		if rs := reasonsOf(*c); len(rs) != 1 || rs[0] != reason {
			t.Errorf("%s: reasons %v, want only %s", no, rs, reason)
		}
		if !c.Mergeable {
			t.Errorf("%s: an open case within its handling period must be mergeable: %s", no, c.MergeRefusal)
		}
	}
	if candidateOf(got, old.No) != nil {
		t.Errorf("%s was received before the %d-day window (since %s)", old.No, got.WindowDays, got.Since)
	}
	for i := 1; i < len(got.Candidates); i++ {
		if got.Candidates[i-1].Score < got.Candidates[i].Score {
			t.Fatalf("not best first: %+v", got.Candidates)
		}
	}
	if got.Candidates[0].Case.No != byID.No || got.Candidates[0].Score != 40 {
		t.Errorf("the same ID number ranks first with 40 points: %+v", got.Candidates[0])
	}
	if got.Candidates[0].Case.Complainant.IDNumber == "110101199003071234" {
		t.Error("a candidate carries the ID number in clear")
	}

	// The window is an admin setting.
	repeats := NewRepeatService(f.db)
	if _, err := repeats.SetRepeatPolicy(f.as("staff.bj"), redress.RepeatPolicy{WindowDays: 400}); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("a staff member set the window: %v", err)
	}
	if _, err := repeats.SetRepeatPolicy(f.as("admin"), redress.RepeatPolicy{WindowDays: 0}); redress.ErrorCode(err) != redress.EINVALID {
		t.Fatalf("a window of 0 days: %v", err)
	}
	if _, err := repeats.SetRepeatPolicy(f.as("admin"), redress.RepeatPolicy{WindowDays: 400}); err != nil {
		t.Fatal(err)
	}
	got, err = repeats.RepeatCandidates(f.as("staff.bj"), draft)
	if err != nil {
		t.Fatal(err)
	}
	if candidateOf(got, old.No) == nil {
		t.Errorf("%s is within a 400-day window", old.No)
	}
	// A registered case finds its own earlier ones, never itself.
	mine, err := repeats.CaseRepeats(f.as("staff.bj"), byPhone.No)
	if err != nil {
		t.Fatal(err)
	}
	if candidateOf(mine, byPhone.No) != nil {
		t.Error("a case is its own repeat candidate")
	}
	// Outside the caller's scope nothing is found.
	got, err = repeats.RepeatCandidates(f.as("mgr.sh"), draft)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Candidates) != 0 {
		t.Errorf("mgr.sh sees Beijing's cases as candidates: %+v", got.Candidates)
	}
	if _, err := repeats.RepeatCandidates(f.as("auditor"), draft); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Errorf("an auditor does not register cases: %v", err)
	}
}

func mergeReq(into *redress.Case, version int) redress.MergeRequest {
	return redress.MergeRequest{Into: into.No, Version: version, Reason: "同一客户就同一事项再次投诉", Notice: redress.NoticeLetter}
}

// TestMergeWithinHandlingPeriodFollowsSurvivorClocks_Order3Art18 merges a
// repeat complaint into the surviving case within its handling period
// (处理期限内重复投诉的可合并处理): the complainant is told by a customer
// notice, both cases show the link, the merged case's own overdue decision
// clock is neither flagged nor swept, it closes with the survivor; an
// unmerge before that runs its own clocks again; every step is audited.
func TestMergeWithinHandlingPeriodFollowsSurvivorClocks_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	f.withAdmin(t)
	survivor := f.register(t, "staff.bj") // received 11-20, decision due 12-05
	survivor = f.act(t, "mgr.bj", survivor, redress.ActionRequest{Action: redress.ActionAccept})
	repeat := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.ReceivedAt = time.Date(2026, 11, 1, 9, 0, 0, 0, redress.Beijing) // its own clock: due 11-16, overdue now
	})
	if !repeat.Overdue {
		t.Fatalf("the repeat's own clock (due %s) should be overdue on %s", repeat.DecisionDue, f.clock)
	}
	repeats := NewRepeatService(f.db)
	if _, err := repeats.Merge(f.as("staff.bj"), repeat.No, mergeReq(survivor, repeat.Version+1)); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a stale version merged: %v", err)
	}
	if _, err := repeats.Merge(f.as("auditor"), repeat.No, mergeReq(survivor, repeat.Version)); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("an auditor merged: %v", err)
	}
	merged, err := repeats.Merge(f.as("staff.bj"), repeat.No, mergeReq(survivor, repeat.Version))
	if err != nil {
		t.Fatal(err)
	}
	if merged.MergedInto != survivor.No || merged.MergedDue != survivor.DecisionDue || merged.Overdue {
		t.Fatalf("merged: into %q due %q overdue %v", merged.MergedInto, merged.MergedDue, merged.Overdue)
	}
	s, err := f.cases.Case(f.as("mgr.bj"), survivor.No)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Merged) != 1 || s.Merged[0] != repeat.No {
		t.Fatalf("the survivor does not show the merged case: %v", s.Merged)
	}
	notices, err := NewCustomerNoticeService(f.db).ListNotices(f.as("staff.bj"), repeat.No)
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0].Kind != redress.NoticeMerged || !strings.Contains(notices[0].Body, survivor.DecisionDue) {
		t.Fatalf("the complainant is not told with the survivor's due date: %+v", notices)
	}
	// Neither the overdue filter nor the sweep sees the merged case's own clock.
	yes := true
	page, err := f.cases.ListCases(f.as("mgr.bj"), redress.CaseFilter{Overdue: &yes, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Cases {
		if c.No == repeat.No {
			t.Error("the overdue filter lists the merged case on its own clock")
		}
	}
	f.sweep(t, f.clock, SweepOptions{})
	if n := f.count(t, `SELECT COUNT(*) FROM deadline_alerts a JOIN cases c ON c.id = a.case_id WHERE c.no = ?`, repeat.No); n != 0 {
		t.Errorf("the sweep sent %d notices on the merged case's own clock", n)
	}
	// A merged case is handled on its survivor.
	_, err = f.cases.Act(f.as("mgr.bj"), repeat.No, redress.ActionRequest{Action: redress.ActionAccept, Version: merged.Version})
	if redress.ErrorCode(err) != redress.ECONFLICT || !strings.Contains(redress.ErrorMessage(err), survivor.No) {
		t.Fatalf("a merged case was accepted on its own: %v", err)
	}
	// Unmerge: its own clock runs again (and is overdue); audited on both.
	un, err := repeats.Unmerge(f.as("staff.bj"), repeat.No, redress.UnmergeRequest{Version: merged.Version, Reason: "并非同一事项"})
	if err != nil {
		t.Fatal(err)
	}
	if un.MergedInto != "" || !un.Overdue {
		t.Fatalf("after unmerge: into %q overdue %v", un.MergedInto, un.Overdue)
	}
	for _, action := range []string{"case.merge", "case.unmerge"} {
		if n := f.count(t, `SELECT COUNT(*) FROM events WHERE action = ?`, action); n != 2 {
			t.Errorf("%d %s events, want one on each case", n, action)
		}
	}
	// Merged again, it closes with the survivor and is archived with it.
	merged, err = repeats.Merge(f.as("staff.bj"), repeat.No, mergeReq(survivor, un.Version))
	if err != nil {
		t.Fatal(err)
	}
	s = f.act(t, "mgr.bj", s, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	s = f.act(t, "mgr.bj", s, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	s = f.act(t, "head.bj", s, redress.ActionRequest{Action: redress.ActionSignOff})
	f.act(t, "mgr.bj", s, redress.ActionRequest{Action: redress.ActionClose, Satisfaction: redress.SatisfactionSatisfied})
	closed, err := f.cases.Case(f.as("mgr.bj"), repeat.No)
	if err != nil {
		t.Fatal(err)
	}
	if closed.Status != redress.StatusClosed || closed.ArchivedAt == nil || !strings.Contains(closed.EndReason, survivor.No) {
		t.Fatalf("the merged case did not close with its survivor: %s %v %q", closed.Status, closed.ArchivedAt, closed.EndReason)
	}
	if _, err := repeats.Unmerge(f.as("staff.bj"), repeat.No, redress.UnmergeRequest{Version: closed.Version, Reason: "并非同一事项"}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a closed merged case was unmerged: %v", err)
	}
}

// TestMergeRefusedAfterHandlingPeriod_Order3Art18 refuses a merge into a
// case whose handling period has ended, or that was decided.
func TestMergeRefusedAfterHandlingPeriod_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	survivor := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.ReceivedAt = time.Date(2026, 11, 1, 9, 0, 0, 0, redress.Beijing) // due 11-16
	})
	repeat := f.register(t, "staff.bj")
	_, err := NewRepeatService(f.db).Merge(f.as("staff.bj"), repeat.No, mergeReq(survivor, repeat.Version))
	if redress.ErrorCode(err) != redress.ECONFLICT || !strings.Contains(redress.ErrorMessage(err), "Art.18") {
		t.Fatalf("merged after the handling period: %v", err)
	}
	got, err := NewRepeatService(f.db).CaseRepeats(f.as("staff.bj"), repeat.No)
	if err != nil {
		t.Fatal(err)
	}
	if c := candidateOf(got, survivor.No); c == nil || c.Mergeable || c.MergeRefusal == "" {
		t.Fatalf("the candidate must say why it cannot be merged into: %+v", c)
	}
}

// TestRepeatOfReexaminedPetitionRefused_PetitionRegulationArt36 finds a
// petition whose 复核 opinion was given as a candidate with the refusal
// (同一事项不再受理), and refuses to link or merge a new petition to it.
func TestRepeatOfReexaminedPetitionRefused_PetitionRegulationArt36(t *testing.T) {
	t.Parallel()
	f := reviewFixture(t)
	if _, err := NewSettingsService(f.db).SetBankProfile(f.as("admin"), redress.BankProfile{Name: "示例银行", Hotline: "95500"}); err != nil {
		t.Fatal(err)
	}
	p := decidedPetition(t, f)
	f.clock = time.Date(2026, 11, 25, 10, 0, 0, 0, redress.Beijing)
	p = f.act(t, "staff.bj", p, reviewRequest(f.clock)) // 复查
	p = f.act(t, "hq.svc", p, reviewDecision(redress.ReviewUpheld, f.clock))
	p = f.act(t, "staff.bj", p, reviewRequest(f.clock)) // 复核
	p = f.act(t, "hq.svc", p, reviewDecision(redress.ReviewUpheld, f.clock))
	if !p.Reexamined() {
		t.Fatalf("the petition was not re-examined: %+v", p.Reviews)
	}
	again := f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.Kind = redress.KindPetition
		n.ReceivedAt = f.clock
	})
	repeats := NewRepeatService(f.db)
	got, err := repeats.CaseRepeats(f.as("staff.bj"), again.No)
	if err != nil {
		t.Fatal(err)
	}
	c := candidateOf(got, p.No)
	if c == nil || !strings.Contains(c.Refusal, "Art.36") || c.Mergeable || !strings.Contains(got.Refusal, "不再受理") {
		t.Fatalf("the re-examined petition must come with the refusal: %+v / %q", c, got.Refusal)
	}
	_, err = repeats.Link(f.as("staff.bj"), again.No, redress.LinkRequest{To: p.No})
	if redress.ErrorCode(err) != redress.ECONFLICT || !strings.Contains(redress.ErrorMessage(err), "Art.36") {
		t.Fatalf("linked to a re-examined petition: %v", err)
	}
	_, err = repeats.Merge(f.as("staff.bj"), again.No, mergeReq(p, again.Version))
	if redress.ErrorCode(err) != redress.ECONFLICT || !strings.Contains(redress.ErrorMessage(err), "Art.36") {
		t.Fatalf("merged into a re-examined petition: %v", err)
	}
}

// TestLinkShowsOnBothCases_Order3Art18 records a plain link: the new case
// is a repeat of the earlier, both show it, the event is audited.
func TestLinkShowsOnBothCases_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	earlier := f.register(t, "staff.bj")
	later := f.register(t, "staff.bj")
	c, err := NewRepeatService(f.db).Link(f.as("staff.bj"), later.No, redress.LinkRequest{To: earlier.No, Reason: "同一事项"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.cases.Case(f.as("staff.bj"), earlier.No)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.RepeatOf) != 1 || c.RepeatOf[0] != earlier.No || len(e.RepeatedBy) != 1 || e.RepeatedBy[0] != later.No {
		t.Fatalf("links: %v / %v", c.RepeatOf, e.RepeatedBy)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'case.link'`); n != 1 {
		t.Errorf("%d case.link events", n)
	}
	if _, err := NewRepeatService(f.db).Link(f.as("mgr.sh"), later.No, redress.LinkRequest{To: earlier.No}); redress.ErrorCode(err) != redress.ENOTFOUND {
		t.Errorf("out of scope: %v", err)
	}
	_ = context.Background()
}

// TestRepeatFiguresInStatistics_Order3Art18 counts the repeat figures
// through the statistics engine's one grouped pass, worked out by hand:
// in November complainant X (ID) brings two cases, the second after the
// first was closed; Y (phone only) one; Z (account only) two. So 3
// complainants, 2 of them with two or more cases (0.6667); 1 case of the 5
// after a closed one (0.2); 2 cases had an earlier one.
func TestRepeatFiguresInStatistics_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, redress.Beijing) }
	with := func(received time.Time, p redress.Complainant) *redress.Case {
		return f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
			n.ReceivedAt, n.Complainant = received, p
			if p.IDNumber != "" {
				n.Complainant.IDType = redress.IDResident
			}
		})
	}
	x := redress.Complainant{Name: "张三", IDNumber: "110101199003071234"}
	x1 := with(day(2, 9), x)
	x1 = f.act(t, "mgr.bj", x1, redress.ActionRequest{Action: redress.ActionAccept})
	x1 = f.act(t, "mgr.bj", x1, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	x1 = f.act(t, "mgr.bj", x1, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	x1 = f.act(t, "head.bj", x1, redress.ActionRequest{Action: redress.ActionSignOff})
	f.act(t, "mgr.bj", x1, redress.ActionRequest{Action: redress.ActionClose}) // closed 11-21 10:00
	f.clock = day(23, 10)
	with(day(22, 9), x)
	with(day(5, 9), redress.Complainant{Name: "李四", Phone: "13900000001"})
	z := redress.Complainant{Name: "王五", Account: "6222020000000000001"}
	with(day(6, 9), z)
	with(day(7, 9), z)
	st, err := NewStatsService(f.db).Stats(f.as("mgr.bj"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	want := redress.RepeatStats{Complainants: 3, RepeatComplainants: 2, RepeatComplainantShare: 0.6667, AfterClosed: 1, AfterClosedShare: 0.2}
	if st.Received != 5 || st.Repeat != 2 || st.Repeats != want {
		t.Fatalf("received %d, repeat %d, repeats %+v; want 5, 2, %+v", st.Received, st.Repeat, st.Repeats, want)
	}
}

// TestRepeatJudgedWhenReceived_Order3Art18: a repeat complaint is the
// complainant's case received after another of theirs (重复投诉), judged by
// the times of receipt, not by the order of registration: a letter
// registered after a later complaint makes that complaint the repeat. A
// case received after the complainant's earlier case was closed stays
// counted so when that case is reopened or anonymised later.
func TestRepeatJudgedWhenReceived_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, redress.Beijing) }
	x := redress.Complainant{Name: "张三", Phone: "13900000002"}
	with := func(received time.Time) *redress.Case {
		return f.registerWith(t, "staff.bj", func(n *redress.NewCase) { n.ReceivedAt, n.Complainant = received, x })
	}
	figures := func() (repeat, afterClosed int) {
		t.Helper()
		st, err := NewStatsService(f.db).Stats(f.as("mgr.bj"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"})
		if err != nil {
			t.Fatal(err)
		}
		return st.Repeat, st.Repeats.AfterClosed
	}
	f.clock = day(12, 10)
	with(day(10, 9)) // the complaint of the 10th
	if r, a := figures(); r != 0 || a != 0 {
		t.Fatalf("one case: repeat %d, after closed %d; want 0, 0", r, a)
	}
	first := with(day(3, 9)) // a letter received on the 3rd, registered on the 12th
	if r, a := figures(); r != 1 || a != 0 {
		t.Fatalf("after the letter of the 3rd: repeat %d, after closed %d; want 1 (the complaint of the 10th), 0", r, a)
	}
	first = f.act(t, "mgr.bj", first, redress.ActionRequest{Action: redress.ActionAccept})
	first = f.act(t, "mgr.bj", first, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	first = f.act(t, "mgr.bj", first, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	first = f.act(t, "head.bj", first, redress.ActionRequest{Action: redress.ActionSignOff})
	first = f.act(t, "mgr.bj", first, redress.ActionRequest{Action: redress.ActionClose}) // closed on the 12th
	f.clock = day(20, 10)
	with(day(20, 9)) // received after the letter's case was closed
	if r, a := figures(); r != 2 || a != 1 {
		t.Fatalf("after the complaint of the 20th: repeat %d, after closed %d; want 2, 1", r, a)
	}
	f.act(t, "mgr.bj", first, redress.ActionRequest{Action: redress.ActionReopen, Reason: "客户提出新的事实"})
	if r, a := figures(); r != 2 || a != 1 {
		t.Fatalf("after the reopening: repeat %d, after closed %d; want 2, 1 (judged when received)", r, a)
	}
}
