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
