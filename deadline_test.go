package redress

import (
	"testing"
	"time"
)

// TestComplaintClocks checks the complaint clocks of the default policy,
// which count natural days and need no calendar: the day of receipt is not
// counted, the last day is included, and the date is Beijing's.
func TestComplaintClocks(t *testing.T) {
	complaint, err := FindPolicy(DefaultPolicies(), ClocksFor(KindComplaint).Policy)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		received string
		clock    string
		want     string
	}{
		{"2024-03-01T10:00:00+08:00", ClockDecision, "2024-03-16"}, // DOMAIN.md §3's example
		{"2024-03-01T10:00:00+08:00", ClockDecisionExtended, "2024-03-31"},
		{"2024-03-01T10:00:00+08:00", ClockDecisionMax, "2024-04-30"},
		{"2026-11-20T09:30:00+08:00", ClockBranchReply, "2026-11-23"}, // the lifecycle issue's example
		{"2026-11-20T09:30:00+08:00", ClockDecision, "2026-12-05"},
		{"2026-11-20T20:00:00Z", ClockBranchReply, "2026-11-24"},   // 04:00 on the 21st in Beijing
		{"2026-11-20T15:59:59Z", ClockBranchReply, "2026-11-23"},   // 23:59:59 on the 20th in Beijing
		{"2026-12-25T12:00:00+08:00", ClockDecision, "2027-01-09"}, // across the year
		{"2028-02-20T12:00:00+08:00", ClockDecision, "2028-03-06"}, // leap year
		{"2027-02-20T12:00:00+08:00", ClockDecision, "2027-03-07"},
	}
	for _, tt := range tests {
		at, err := time.Parse(time.RFC3339, tt.received)
		if err != nil {
			t.Fatal(err)
		}
		clock, err := complaint.Clock(tt.clock)
		if err != nil {
			t.Fatal(err)
		}
		due, err := clock.Due(nil, DateOf(at))
		if err != nil || due.Date.String() != tt.want {
			t.Errorf("%s from %s = %v %v, want %s", tt.clock, tt.received, due.Date, err, tt.want)
		}
	}
}

func TestMarkOverdue(t *testing.T) {
	c := &Case{Status: StatusAccepted, ReplyDue: "2026-11-23", DecisionDue: "2026-12-05"}
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	c.MarkOverdue(at("2026-11-23T23:59:00+08:00")) // the last day itself is still on time
	if c.ReplyOverdue || c.Overdue {
		t.Fatalf("on the due day: %+v", c)
	}
	c.MarkOverdue(at("2026-11-24T00:01:00+08:00"))
	if !c.ReplyOverdue || c.Overdue {
		t.Fatalf("a day after the reply date: reply %v decision %v", c.ReplyOverdue, c.Overdue)
	}
	c.MarkOverdue(at("2026-12-06T08:00:00+08:00"))
	if !c.Overdue {
		t.Fatal("after the decision date the case is overdue")
	}
	c.Status = StatusReplied
	c.MarkOverdue(at("2026-12-06T08:00:00+08:00"))
	if c.Overdue || c.ReplyOverdue {
		t.Fatal("a replied case is not overdue")
	}
}
