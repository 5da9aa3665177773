package redress

import (
	"strings"
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

// TestDueWarningsByMeaning_CivilCodeArt203: a petition received on Friday
// 2026-11-20 is to be told of its acceptance in 15 days, Saturday 5
// December, which moves to Monday the 7th (民法典 Art.203); its 60 days end
// in 2027, a year without a schedule here. Both warnings come by key for
// the pages, and the recorded English text is unchanged.
func TestDueWarningsByMeaning_CivilCodeArt203(t *testing.T) {
	cals, err := EmbeddedCalendars()
	if err != nil {
		t.Fatal(err)
	}
	d := &Deadlines{Calendars: cals, Policies: DefaultPolicies()}
	c := &Case{No: "XF1", Kind: KindPetition, ReceivedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, Beijing)}
	if err := d.StartClocks(c); err != nil {
		t.Fatal(err)
	}
	got, err := d.DueWarnings(c)
	if err != nil || len(got) != 2 {
		t.Fatalf("warnings: %+v %v", got, err)
	}
	if got[0].Key != ReasonMovedOff || strings.Join(got[0].Args, "|") != "2026-12-05|weekend||rest_day|2026-12-07" {
		t.Errorf("moved off: %+v", got[0])
	}
	if got[1].Key != ReasonNoSchedule || strings.Join(got[1].Args, "|") != "CN|2027|2027-01-19" {
		t.Errorf("no schedule: %+v", got[1])
	}
	want := "the last day, 2026-12-05 (Saturday), is a weekend day: the deadline moves to the next working day, 2026-12-07 (民法典 Art.203) " +
		"no CN holiday schedule for 2027: 2027-01-19 was not checked against holidays; an admin must add that year's calendar"
	if c.DueWarning != want {
		t.Errorf("the recorded warning changed:\n%s\n%s", c.DueWarning, want)
	}
}
