package sqldb

import (
	"testing"
	"time"

	"redress"
)

func TestStats(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	closed := f.register(t, "staff.bj") // received 2026-11-20
	closed = f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionAccept})
	closed = f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionInvestigate, Text: "调查"})
	closed = f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	closed = f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	closed = f.act(t, "head.bj", closed, redress.ActionRequest{Action: redress.ActionSignOff})
	f.act(t, "mgr.bj", closed, redress.ActionRequest{Action: redress.ActionClose, Satisfaction: redress.SatisfactionSatisfied})
	old := sampleCase()
	old.ReceivedAt = time.Date(2026, 11, 1, 9, 0, 0, 0, redress.Beijing) // open past its decision date (11-16)
	old.Kind, old.Channel = redress.KindPetition, redress.ChannelLetter
	if _, err := f.cases.CreateCase(f.as("staff.bj"), old); err != nil {
		t.Fatal(err)
	}
	late := sampleCase()
	late.ReceivedAt = time.Date(2026, 11, 2, 9, 0, 0, 0, redress.Beijing)
	if _, err := f.cases.CreateCase(f.as("staff.bj"), late); err != nil {
		t.Fatal(err)
	}
	outside := sampleCase()
	outside.ReceivedAt = time.Date(2026, 10, 31, 9, 0, 0, 0, redress.Beijing)
	if _, err := f.cases.CreateCase(f.as("staff.bj"), outside); err != nil {
		t.Fatal(err)
	}
	stats := NewStatsService(f.db)
	st, err := stats.Stats(f.as("mgr.bj"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Received != 3 || st.ByStatus[redress.StatusClosed] != 1 || st.ByStatus[redress.StatusRegistered] != 2 ||
		st.ByKind[redress.KindPetition] != 1 || st.ByChannel[redress.ChannelLetter] != 1 || st.ByCodeB["B06"] != 3 ||
		st.Closed != 1 || st.ClosedIn15 != 1 || st.PartlyUpheld != 1 || st.RedressPaid != "1200.00" ||
		st.BySatisfaction["satisfied"] != 1 || st.OpenOverdue != 1 {
		t.Fatalf("stats: %+v", st)
	}
	if st, _ := stats.Stats(f.as("mgr.sh"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"}); st.Received != 0 {
		t.Fatal("statistics keep the scope")
	}
	for _, bad := range []redress.StatsQuery{{From: "2026-11-30", To: "2026-11-01"}, {From: "x", To: "2026-11-01"}, {From: "2025-01-01", To: "2026-11-01"}} {
		if _, err := stats.Stats(f.as("mgr.bj"), bad); redress.ErrorCode(err) != redress.EINVALID {
			t.Errorf("%+v: want invalid, got %v", bad, err)
		}
	}
	_, err = stats.Stats(f.as("admin"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"})
	wantCode(t, err, redress.EFORBIDDEN)
}

// TestStatsFiguresByHand_Order3Art26 (CBIRC Order 2020 No.3 Art.26: 投诉
// 统计分析): every figure the engine adds, for a fixed set of cases whose
// answers are worked out here from the cases themselves. The same
// complainant (one ID and phone) complains on 10-31, 11-01, 11-02 and
// 11-20: the three November cases are repeats. The 11-20 complaint is
// answered the next day (reply and decision on time, 1 day to decision);
// the 10-31 one is open past its decision date in the prior period
// with root cause R04; the 11-02 complaint is escalated to level 3 and,
// like the 11-01 petition, has let its reply clock run out by 11-21.
func TestStatsFiguresByHand_Order3Art26(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	at := func(day int) time.Time { return time.Date(2026, 11, day, 9, 30, 0, 0, redress.Beijing) }
	create := func(received time.Time, kind redress.Kind) *redress.Case {
		t.Helper()
		n := sampleCase()
		n.ReceivedAt, n.Kind = received, kind
		c, err := f.cases.CreateCase(f.as("staff.bj"), n)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	create(time.Date(2026, 10, 31, 9, 0, 0, 0, redress.Beijing), redress.KindComplaint) // the prior period's one case
	petition := create(at(1), redress.KindPetition)
	escalated := create(at(2), redress.KindComplaint)
	answered := create(at(20), redress.KindComplaint)

	escalated = f.act(t, "mgr.bj", escalated, redress.ActionRequest{Action: redress.ActionEscalate, Reason: "客户情绪激动"})
	escalated = f.act(t, "mgr.bj", escalated, redress.ActionRequest{Action: redress.ActionEscalate, Reason: "涉及金额较大"})
	answered = f.act(t, "mgr.bj", answered, redress.ActionRequest{Action: redress.ActionAccept})
	d := determined
	d.RootCauseCode = "R04"
	answered = f.act(t, "mgr.bj", answered, redress.ActionRequest{Action: redress.ActionDetermine, Determination: d})
	answered = f.act(t, "mgr.bj", answered, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})

	st, err := NewStatsService(f.db).Stats(f.as("mgr.bj"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	november := []*redress.Case{petition, escalated, answered}
	// Worked out from the cases: which reached level 3, which clocks ended and were kept.
	var wantEscalated, replyEnded, replyKept, decisionEnded, decisionKept int
	today := redress.Today(f.clock)
	for _, c := range november {
		c, err := f.cases.Case(f.as("mgr.bj"), c.No)
		if err != nil {
			t.Fatal(err)
		}
		if c.Level >= 3 {
			wantEscalated++
		}
		switch {
		case c.ReplySatisfiedAt != nil:
			replyEnded++
			if redress.Today(*c.ReplySatisfiedAt) <= c.ReplyDue {
				replyKept++
			}
		case c.Status.Open() && c.ReplyDue < today:
			replyEnded++
		}
		switch {
		case c.RepliedAt != nil:
			decisionEnded++
			if redress.Today(*c.RepliedAt) <= c.DecisionDue {
				decisionKept++
			}
		case c.Overdue:
			decisionEnded++
		}
	}
	if wantEscalated != 1 || replyEnded != 3 || replyKept != 1 || decisionKept != 1 {
		t.Fatalf("the cases are not as the test means them: escalated %d, reply %d/%d, decision %d/%d",
			wantEscalated, replyKept, replyEnded, decisionKept, decisionEnded)
	}

	if st.Received != 3 || st.Repeat != 3 || st.Escalated != wantEscalated {
		t.Errorf("received %d repeat %d escalated %d", st.Received, st.Repeat, st.Escalated)
	}
	if got := st.OnTime["reply"]; got != (redress.ClockOnTime{Ended: replyEnded, OnTime: replyKept, Rate: redress.Share(replyKept, replyEnded)}) {
		t.Errorf("reply on time: %+v", got)
	}
	if got := st.OnTime["decision"]; got != (redress.ClockOnTime{Ended: decisionEnded, OnTime: decisionKept, Rate: redress.Share(decisionKept, decisionEnded)}) {
		t.Errorf("decision on time: %+v", got)
	}
	wantDays := float64(int(answered.RepliedAt.Sub(answered.ReceivedAt).Hours() / 24))
	if st.DaysToDecision != (redress.DaysStats{Cases: 1, Mean: wantDays, Median: wantDays}) {
		t.Errorf("days to decision: %+v, want %v", st.DaysToDecision, wantDays)
	}
	// One complainant brought the three November cases (and one in the prior period): 1 of 1 with two or more.
	if st.Repeats != (redress.RepeatStats{Complainants: 1, RepeatComplainants: 1, RepeatComplainantShare: 1}) {
		t.Errorf("repeat figures: %+v", st.Repeats)
	}
	if st.Prior != (redress.PeriodTotals{From: "2026-10-02", To: "2026-10-31", Received: 1, OpenOverdue: 1,
		Repeats: redress.RepeatStats{Complainants: 1}}) ||
		st.LastYear != (redress.PeriodTotals{From: "2025-11-01", To: "2025-11-30"}) {
		t.Errorf("prior %+v, last year %+v", st.Prior, st.LastYear)
	}
	figure := func(name, key string) redress.Figure {
		for _, fg := range st.Breakdowns[name] {
			if fg.Key == key {
				return fg
			}
		}
		return redress.Figure{}
	}
	for _, tt := range []struct {
		name, key string
		want      redress.Figure
	}{
		{"code_b", "B06", redress.Figure{Key: "B06", Count: 3, Share: 1, Prior: 1}},
		{"kind", "petition", redress.Figure{Key: "petition", Count: 1, Share: 0.3333}},
		{"kind", "complaint", redress.Figure{Key: "complaint", Count: 2, Share: 0.6667, Prior: 1}},
		{"root_cause", "R04", redress.Figure{Key: "R04", Count: 1, Share: 0.3333}},
		{"unit", "BJ-HD-01", redress.Figure{Key: "BJ-HD-01", Count: 3, Share: 1, Prior: 1}},
	} {
		if got := figure(tt.name, tt.key); got != tt.want {
			t.Errorf("%s %s: %+v, want %+v", tt.name, tt.key, got, tt.want)
		}
	}
	if len(st.Units) != 1 || st.Units[0].Org != "BJ-HD-01" || st.Units[0].Received != 3 || st.Units[0].Escalated != 1 ||
		st.Units[0].DecisionOnTime != st.OnTime["decision"] {
		t.Errorf("units: %+v", st.Units)
	}
	if st.TrendBy != redress.TrendDay || len(st.Trend) != 30 || st.Trend[0] != (redress.TrendPoint{Start: "2026-11-01", Count: 1}) ||
		st.Trend[1].Count != 1 || st.Trend[19] != (redress.TrendPoint{Start: "2026-11-20", Count: 1}) || st.Trend[2].Count != 0 {
		t.Errorf("trend by %s: %v", st.TrendBy, st.Trend)
	}
	weeks, err := NewStatsService(f.db).Stats(f.as("mgr.bj"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30", Trend: redress.TrendWeek})
	if err != nil || len(weeks.Trend) != 6 || weeks.Trend[0] != (redress.TrendPoint{Start: "2026-10-26", Count: 1}) {
		t.Errorf("trend by week: %v %v", weeks.Trend, err)
	}
}

// TestStatsBankWideCountComplainantsInTheirOwnPass_Order3Art18 (重复投诉):
// head office's bank-wide statistics count the complainants' cases in the
// figures' own pass (foldsComplainants), and must agree with the separate
// count that any narrower query makes. An accusation against the asking
// user stays out of every figure, yet its complainant did bring it: their
// other case is a repeat complainant's.
func TestStatsBankWideCountComplainantsInTheirOwnPass_Order3Art18(t *testing.T) {
	t.Parallel()
	f := repeatFixture(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, redress.Beijing) }
	x := redress.Complainant{Name: "张三", Phone: "13900000002"}
	f.registerWith(t, "staff.bj", func(n *redress.NewCase) { n.ReceivedAt, n.Complainant = day(3), x })
	f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.ReceivedAt, n.Complainant = day(4), x
		n.Respondent, n.Accusation = redress.Respondent{Staff: "hq.svc"}, true
	})
	f.registerWith(t, "staff.bj", func(n *redress.NewCase) {
		n.ReceivedAt, n.Complainant = day(5), redress.Complainant{Name: "李四", Phone: "13900000003"}
	})
	stats := NewStatsService(f.db)
	bankWide, err := stats.Stats(f.as("hq.svc"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	// 张三's shown case is half of them (they brought two), 李四's case all
	// of 李四: 1.5 complainants, 0.5 of them a repeat complainant, each
	// figure rounded half away from zero.
	want := redress.RepeatStats{Complainants: 2, RepeatComplainants: 1, RepeatComplainantShare: 0.5}
	if bankWide.Received != 2 || bankWide.Repeats != want {
		t.Fatalf("bank-wide: received %d, repeats %+v; want 2, %+v", bankWide.Received, bankWide.Repeats, want)
	}
	underHQ, err := stats.Stats(f.as("hq.svc"), redress.StatsQuery{From: "2026-11-01", To: "2026-11-30", Org: "HQ"})
	if err != nil {
		t.Fatal(err)
	}
	if underHQ.Received != bankWide.Received || underHQ.Repeats != bankWide.Repeats || underHQ.Repeat != bankWide.Repeat {
		t.Fatalf("counted apart: received %d, repeats %+v; counted in the pass: %d, %+v",
			underHQ.Received, underHQ.Repeats, bankWide.Received, bankWide.Repeats)
	}
}
