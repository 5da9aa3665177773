package redress

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDefaultPolicies(t *testing.T) {
	policies := DefaultPolicies()
	names := map[string]bool{}
	for _, p := range policies {
		if err := p.Validate(); err != nil {
			t.Errorf("policy %s: %v", p.Name, err)
		}
		if names[p.Name] {
			t.Errorf("two policies named %s", p.Name)
		}
		names[p.Name] = true
		for _, c := range p.Clocks {
			if c.Title == "" || c.Source == "" {
				t.Errorf("%s.%s has no title or source", p.Name, c.Name)
			}
		}
	}
	tests := []struct {
		policy, clock string
		days          int
		unit          Unit
		region        string
		move          bool
	}{
		{PolicyComplaint, ClockBranchReply, 3, UnitCalendar, RegionCN, false},
		{PolicyComplaint, ClockDecision, 15, UnitCalendar, RegionCN, false},
		{PolicyComplaint, ClockDecisionExtended, 30, UnitCalendar, RegionCN, false},
		{PolicyComplaint, ClockDecisionMax, 60, UnitCalendar, RegionCN, false},
		{PolicyPetition, ClockAcceptanceNotice, 15, UnitCalendar, RegionCN, true},
		{PolicyPetition, ClockHandling, 60, UnitCalendar, RegionCN, true},
		{PolicyPetition, ClockHandlingExtended, 90, UnitCalendar, RegionCN, true},
		{PolicyPetition, ClockWrongForwardObjection, 5, UnitWorking, RegionCN, true},
		{PolicyReview, ClockRequestWindow, 30, UnitCalendar, RegionCN, true},
		{PolicyReview, ClockDecision, 30, UnitCalendar, RegionCN, true},
		{PolicyUKFCA, ClockSummaryResolution, 3, UnitWorking, RegionGB, false},
		{PolicyUKFCA, ClockFinal, 56, UnitCalendar, RegionGB, false},
		{PolicyUKFCA, ClockPSD, 15, UnitWorking, RegionGB, false},
		{PolicyUKFCA, ClockPSDExceptional, 35, UnitWorking, RegionGB, false},
		{PolicyUSCFPB, ClockResponse, 15, UnitCalendar, "US", false},
		{PolicyUSCFPB, ClockFinal, 60, UnitCalendar, "US", false},
	}
	count := 0
	for _, p := range policies {
		count += len(p.Clocks)
	}
	if count != len(tests) {
		t.Errorf("%d clocks in DefaultPolicies, %d in this table", count, len(tests))
	}
	for _, tt := range tests {
		p, err := FindPolicy(policies, tt.policy)
		if err != nil {
			t.Errorf("FindPolicy(%s): %v", tt.policy, err)
			continue
		}
		c, err := p.Clock(tt.clock)
		if err != nil {
			t.Errorf("%s.Clock(%s): %v", tt.policy, tt.clock, err)
			continue
		}
		if c.Days != tt.days || c.Unit != tt.unit || c.Region != tt.region || c.MoveOffHoliday != tt.move {
			t.Errorf("%s.%s = %d %s %s move=%v; want %d %s %s move=%v", tt.policy, tt.clock,
				c.Days, c.Unit, c.Region, c.MoveOffHoliday, tt.days, tt.unit, tt.region, tt.move)
		}
		if p.Comparator != (tt.policy == PolicyUKFCA || tt.policy == PolicyUSCFPB) {
			t.Errorf("%s comparator = %v", p.Name, p.Comparator)
		}
	}

	if _, err := FindPolicy(policies, "nope"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("FindPolicy(nope) error = %v, want ENOTFOUND", err)
	}
	if _, err := policies[0].Clock("nope"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("Clock(nope) error = %v, want ENOTFOUND", err)
	}
	// Each call returns a fresh copy.
	policies[0].Clocks[0].Days = 99
	if again := DefaultPolicies(); again[0].Clocks[0].Days == 99 {
		t.Error("DefaultPolicies shares state between calls")
	}
}

func TestClockDue(t *testing.T) {
	cals := calEmbedded(t)
	policies := DefaultPolicies()
	clock := func(policy, name string) Clock {
		p, err := FindPolicy(policies, policy)
		if err != nil {
			t.Fatal(err)
		}
		c, err := p.Clock(name)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	moving := func(policy, name string) Clock {
		c := clock(policy, name)
		c.MoveOffHoliday = true
		return c
	}
	plain := func(days int, unit Unit, region string) Clock {
		return Clock{Name: "test", Days: days, Unit: unit, Region: region}
	}
	tests := []struct {
		name    string
		clock   Clock
		cals    Calendars
		start   string
		want    string
		unmoved string // "" when the same as want
		warning []string
	}{
		// DOMAIN.md §3's example needs no calendar: 2024 has none.
		{"2024 calendar days, no calendar", plain(15, UnitCalendar, ""), nil, "2024-03-01", "2024-03-16", "", nil},
		{"2024 extended", plain(30, UnitCalendar, ""), nil, "2024-03-01", "2024-03-31", "", nil},
		{"2024 maximum", plain(60, UnitCalendar, ""), nil, "2024-03-01", "2024-04-30", "", nil},
		{"branch reply does not move", clock(PolicyComplaint, ClockBranchReply), cals, "2025-09-28", "2025-10-01", "", nil},
		{"US comparator needs no calendar", clock(PolicyUSCFPB, ClockResponse), nil, "2026-11-20", "2026-12-05", "", nil},
		{"UK 8 weeks", clock(PolicyUKFCA, ClockFinal), nil, "2026-11-20", "2027-01-15", "", nil},

		// The complaint decision does not move by default: natural days (Order 3 Art.43).
		{"complaint decision on a Saturday stays", clock(PolicyComplaint, ClockDecision), cals, "2026-11-20", "2026-12-05", "", nil},
		{"complaint decision on National Day stays", clock(PolicyComplaint, ClockDecision), cals, "2025-09-16", "2025-10-01", "", nil},

		// A last day on a holiday moves to the next working day (民法典 Art.203)
		// when the policy says so: here the complaint clock switched to moving.
		{"decision on National Day 2025", moving(PolicyComplaint, ClockDecision), cals, "2025-09-16", "2025-10-09", "2025-10-01",
			[]string{"2025-10-01", "国庆节、中秋节", "2025-10-09", "Art.203"}},
		{"decision on National Day 2026", moving(PolicyComplaint, ClockDecision), cals, "2026-09-16", "2026-10-08", "2026-10-01",
			[]string{"2026-10-01", "国庆节", "2026-10-08"}},
		{"decision in Spring Festival 2026", moving(PolicyComplaint, ClockDecision), cals, "2026-02-01", "2026-02-24", "2026-02-16",
			[]string{"2026-02-16", "春节"}},
		{"decision on a plain Saturday", moving(PolicyComplaint, ClockDecision), cals, "2026-03-06", "2026-03-23", "2026-03-21",
			[]string{"2026-03-21", "Saturday", "weekend"}},
		{"decision on a make-up Saturday stays", moving(PolicyComplaint, ClockDecision), cals, "2026-02-13", "2026-02-28", "", nil},
		{"petition handling", clock(PolicyPetition, ClockHandling), cals, "2026-03-06", "2026-05-06", "2026-05-05",
			[]string{"劳动节"}},
		{"review on a working day", clock(PolicyReview, ClockDecision), cals, "2026-03-01", "2026-03-31", "", nil},

		// Working days. GET /calendar/due?from=2026-02-12&days=5&unit=working.
		{"5 working days over Spring Festival", plain(5, UnitWorking, RegionCN), cals, "2026-02-12", "2026-02-26", "", nil},
		{"0 working days from a holiday stays", plain(0, UnitWorking, RegionCN), cals, "2026-02-16", "2026-02-16", "", nil},
		{"wrong-forward objection over National Day", clock(PolicyPetition, ClockWrongForwardObjection), cals, "2026-09-30", "2026-10-13", "", nil},
		{"working days across the year", plain(5, UnitWorking, RegionCN), cals, "2025-12-29", "2026-01-06", "", nil},
		{"UK summary resolution over Christmas", clock(PolicyUKFCA, ClockSummaryResolution), cals, "2025-12-24", "2025-12-31", "", nil},
		{"UK PSD over Easter", clock(PolicyUKFCA, ClockPSD), cals, "2026-04-01", "2026-04-24", "", nil},
	}
	for _, tt := range tests {
		due, err := tt.clock.Due(tt.cals, calDate(tt.start))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		unmoved := tt.unmoved
		if unmoved == "" {
			unmoved = tt.want
		}
		if due.Date.String() != tt.want || due.Unmoved.String() != unmoved || due.Moved != (tt.unmoved != "") {
			t.Errorf("%s: Due(%s) = %+v, want %s (unmoved %s)", tt.name, tt.start, due, tt.want, unmoved)
		}
		if (due.Warning != "") != due.Moved {
			t.Errorf("%s: warning %q with moved=%v", tt.name, due.Warning, due.Moved)
		}
		for _, w := range tt.warning {
			if !strings.Contains(due.Warning, w) {
				t.Errorf("%s: warning %q does not mention %q", tt.name, due.Warning, w)
			}
		}
	}
}

func TestClockDueErrors(t *testing.T) {
	cals := calEmbedded(t)
	decision, err := DefaultPolicies()[1].Clock(ClockHandling)
	if err != nil {
		t.Fatal(err)
	}
	// The petition handling clock moves off holidays, so it needs the
	// calendar of the year it ends in, which is not there: an explicit
	// error, never a guess.
	for _, start := range []string{"2024-03-01", "2026-11-20"} {
		_, err := decision.Due(cals, calDate(start))
		var missing *MissingYearError
		if !errors.As(err, &missing) || ErrorCode(err) != EINVALID {
			t.Errorf("decision from %s: error = %v, want *MissingYearError", start, err)
		}
	}
	// Without calendars at all the region itself is missing.
	if _, err := decision.Due(nil, calDate("2026-03-01")); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), `"CN"`) {
		t.Errorf("decision with no calendars: error = %v", err)
	}
	if _, err := (Clock{Name: "x", Days: 5, Unit: UnitWorking, Region: "US"}).Due(cals, calDate("2026-03-01")); ErrorCode(err) != EINVALID {
		t.Errorf("working days in a region without a calendar: error = %v", err)
	}
	if _, err := decision.Due(cals, Date{}); ErrorCode(err) != EINVALID {
		t.Errorf("zero start: error = %v", err)
	}

	bad := []struct {
		clock Clock
		field string
	}{
		{Clock{Name: "", Days: 1, Unit: UnitCalendar}, "name"},
		{Clock{Name: "Decision", Days: 1, Unit: UnitCalendar}, "name"},
		{Clock{Name: "x", Days: -1, Unit: UnitCalendar}, "days"},
		{Clock{Name: "x", Days: 3661, Unit: UnitCalendar}, "days"},
		{Clock{Name: "x", Days: 1, Unit: "weeks"}, "unit"},
		{Clock{Name: "x", Days: 1, Unit: UnitWorking}, "region"},
		{Clock{Name: "x", Days: 1, Unit: UnitCalendar, MoveOffHoliday: true}, "region"},
	}
	for _, b := range bad {
		if _, ok := ErrorFields(b.clock.Validate())[b.field]; !ok {
			t.Errorf("Validate(%+v) fields = %v, want %s", b.clock, ErrorFields(b.clock.Validate()), b.field)
		}
		if _, err := b.clock.Due(cals, calDate("2026-03-01")); ErrorCode(err) != EINVALID {
			t.Errorf("Due with %+v: error = %v, want EINVALID", b.clock, err)
		}
	}

	dup := Policy{Name: "p", Clocks: []Clock{{Name: "a", Unit: UnitCalendar}, {Name: "a", Unit: UnitCalendar}}}
	if err := dup.Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("duplicate clock names: error = %v", err)
	}
	if err := (Policy{Name: "Bad Name"}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("bad policy name: error = %v", err)
	}
}

func TestDueJSON(t *testing.T) {
	due := Due{Date: calDate("2025-10-09"), Unmoved: calDate("2025-10-01"), Moved: true, Warning: "w"}
	b, err := json.Marshal(due)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"date":"2025-10-09","unmoved":"2025-10-01","moved":true,"warning":"w"}`
	if string(b) != want {
		t.Errorf("Marshal(Due) = %s, want %s", b, want)
	}
	b, err = json.Marshal(DefaultPolicies())
	if err != nil {
		t.Fatal(err)
	}
	var back []Policy
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != 5 || back[1].Clocks[3].Unit != UnitWorking {
		t.Errorf("policies JSON round trip = %+v", back)
	}
}
