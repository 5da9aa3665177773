package redress

import (
	"fmt"
	"regexp"
	"strings"
)

// Unit is what a clock counts: calendar days or working days.
type Unit string

// The units of a clock.
const (
	UnitCalendar Unit = "calendar" // every day counts
	UnitWorking  Unit = "working"  // only working days of the clock's region count
)

// Valid reports whether u is a known unit.
func (u Unit) Valid() bool { return u == UnitCalendar || u == UnitWorking }

// Names of the policies DefaultPolicies returns.
const (
	PolicyComplaint = "complaint" // CBIRC Order 2020 No.3 (银行业保险业消费投诉处理管理办法)
	PolicyPetition  = "petition"  // 信访工作条例 (2022)
	PolicyReview    = "review"    // 核查 (Order 3 Art.20) and 复查/复核 (信访工作条例 Art.35–36)
	PolicyUKFCA     = "uk_fca"    // comparator: UK FCA DISP 1.5–1.6
	PolicyUSCFPB    = "us_cfpb"   // comparator: US CFPB company response
)

// Names of the clocks of DefaultPolicies. A name is unique within a policy,
// not across policies: "decision" is a clock of both complaint and review.
const (
	ClockBranchReply           = "branch_reply"
	ClockDecision              = "decision"
	ClockDecisionExtended      = "decision_extended"
	ClockDecisionMax           = "decision_max"
	ClockAcceptanceNotice      = "acceptance_notice"
	ClockHandling              = "handling"
	ClockHandlingExtended      = "handling_extended"
	ClockWrongForwardObjection = "wrong_forward_objection"
	ClockRequestWindow         = "request_window"
	ClockSummaryResolution     = "summary_resolution"
	ClockFinal                 = "final"
	ClockPSD                   = "psd"
	ClockPSDExceptional        = "psd_exceptional"
	ClockResponse              = "response"
)

// Clock is one deadline rule as data: Days days of Unit counted from a start
// date. The start day itself is not counted and the last day is included
// (民法典 Art.201; CBIRC Order 2020 No.3 Art.43): received 2024-03-01, 15
// calendar days → due 2024-03-16.
//
// Region names the calendar the clock needs: always for working days, and
// for calendar days only when MoveOffHoliday is set. MoveOff says what a
// clock with MoveOffHoliday set moves off (民法典 Art.203: a period whose
// last day is a 法定休假日 ends on the day after it):
//
//   - MoveOffRestDay (the default when MoveOff is empty): a last day that is
//     not a working day — a statutory holiday, a moved rest day of the block
//     (调休休息日) or a weekend — moves to the next working day;
//   - MoveOffStatutory: only a last day that is a statutory holiday
//     (法定节假日) moves, to the first day after it that is not one, which may
//     be a weekend or a moved rest day.
type Clock struct {
	Name           string  `json:"name"`   // e.g. "decision"; unique within its policy
	Title          string  `json:"title"`  // for people, e.g. 投诉处理决定
	Days           int     `json:"days"`   // 0 means the start day itself
	Unit           Unit    `json:"unit"`   // calendar or working
	Region         string  `json:"region"` // calendar region, e.g. "CN"
	MoveOffHoliday bool    `json:"move_off_holiday"`
	MoveOff        MoveOff `json:"move_off,omitempty"` // with MoveOffHoliday: what the last day moves off; empty is rest_day; ignored without it
	Source         string  `json:"source"`             // the rule the clock implements
}

// MoveOff is what a clock's last day moves off: every rest day, or
// statutory holidays only.
type MoveOff string

// The scopes of moving off a holiday.
const (
	MoveOffRestDay   MoveOff = "rest_day"  // every day that is not a working day
	MoveOffStatutory MoveOff = "statutory" // statutory holidays (法定节假日) only
)

// Valid reports whether m is a known scope; the empty one is rest_day.
func (m MoveOff) Valid() bool { return m == "" || m == MoveOffRestDay || m == MoveOffStatutory }

// scope returns the clock's move-off scope, rest_day when unset.
func (c Clock) scope() MoveOff {
	if c.MoveOff == "" {
		return MoveOffRestDay
	}
	return c.MoveOff
}

// maxClockDays bounds a clock: ten years of days is far beyond any rule.
const maxClockDays = 3660

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// Validate checks the clock: a lower-case name, a known unit, 0 to 3660
// days, and a region when the clock needs a calendar.
func (c Clock) Validate() error {
	var p Problems
	if !namePattern.MatchString(c.Name) {
		p.Add("name", "must be lower-case letters, digits and _, starting with a letter")
	}
	if !c.Unit.Valid() {
		p.AddKey("unit", ProblemChoice, valueList([]Unit{UnitCalendar, UnitWorking}))
	}
	if c.Days < 0 || c.Days > maxClockDays {
		p.AddKey("days", ProblemRange, "0", fmt.Sprint(maxClockDays))
	}
	if !c.MoveOff.Valid() {
		p.AddKey("move_off", ProblemChoice, valueList([]MoveOff{MoveOffRestDay, MoveOffStatutory}))
	}
	if (c.Unit == UnitWorking || c.MoveOffHoliday) && strings.TrimSpace(c.Region) == "" {
		p.AddKey("region", ProblemRequired)
	}
	if err := p.Err(); err != nil {
		return &Error{Code: EINVALID, Message: fmt.Sprintf("invalid clock %q", c.Name), Fields: ErrorFields(err), Problems: ErrorProblems(err)}
	}
	return nil
}

// Due is a computed deadline: Date is the last day to act. Unmoved is the
// last day before any move off a holiday; when they differ Moved is set and
// Warning says why.
type Due struct {
	Date    Date   `json:"date"`
	Unmoved Date   `json:"unmoved"`
	Moved   bool   `json:"moved"`
	Warning string `json:"warning,omitempty"`
	// Reason is Warning by meaning (ReasonMovedOff, ReasonNoSchedule), for
	// the pages to translate.
	Reason Problem `json:"-"`
}

// Due returns the deadline of the clock started on start. A clock of
// calendar days that does not move off holidays needs no calendar (cals may
// be nil); any other clock needs the calendar of its region, which must
// cover every year it looks at: otherwise the error is a *MissingYearError,
// never a guess.
func (c Clock) Due(cals Calendars, start Date) (Due, error) {
	if err := c.Validate(); err != nil {
		return Due{}, err
	}
	if start.IsZero() {
		return Due{}, Errorf(EINVALID, "clock %s: no start date given", c.Name)
	}
	var cal *Calendar
	if c.Unit == UnitWorking || c.MoveOffHoliday {
		var err error
		if cal, err = cals.Calendar(c.Region); err != nil {
			return Due{}, fmt.Errorf("clock %s: %w", c.Name, err)
		}
	}
	last := start.AddDays(c.Days)
	if c.Unit == UnitWorking {
		var err error
		if last, err = cal.AddWorkdays(start, c.Days); err != nil {
			return Due{}, fmt.Errorf("clock %s: %w", c.Name, err)
		}
	}
	due := Due{Date: last, Unmoved: last}
	if !c.MoveOffHoliday {
		return due, nil
	}
	day, err := cal.Day(last)
	if err != nil {
		return Due{}, fmt.Errorf("clock %s: %w", c.Name, err)
	}
	var next Date
	if c.scope() == MoveOffStatutory {
		if !day.Statutory() {
			return due, nil
		}
		next, err = cal.NextNonStatutory(last)
	} else {
		if day.Kind.Working() {
			return due, nil
		}
		next, err = cal.NextWorkday(last)
	}
	if err != nil {
		return Due{}, fmt.Errorf("clock %s: %w", c.Name, err)
	}
	what, kind := "a weekend day", MovedOffWeekend
	switch {
	case day.Statutory():
		what, kind = "a public holiday ("+day.Name+")", MovedOffStatutory
	case day.Kind == DayHoliday:
		what, kind = "a rest day of the holiday ("+day.Name+", 调休休息日)", MovedOffRestDay
	}
	to := "the next working day"
	if c.scope() == MoveOffStatutory {
		to = "the day after the statutory holiday"
	}
	due.Date, due.Moved = next, true
	due.Warning = fmt.Sprintf("the last day, %s (%s), is %s: the deadline moves to %s, %s (民法典 Art.203)",
		last, last.Weekday(), what, to, next)
	due.Reason = Problem{Key: ReasonMovedOff, Args: []string{last.String(), kind, day.Name, string(c.scope()), next.String()}}
	return due, nil
}

// Policy is a named set of clocks: the deadlines of one kind of case under
// one body of rules. Comparator marks a foreign profile shown for
// comparison, never applied to a case by default.
type Policy struct {
	Name       string  `json:"name"`
	Title      string  `json:"title"`
	Comparator bool    `json:"comparator"`
	Clocks     []Clock `json:"clocks"`
}

// Validate checks the policy's name and every clock, and that clock names
// are unique.
func (p Policy) Validate() error {
	if !namePattern.MatchString(p.Name) {
		return Errorf(EINVALID, "invalid policy name %q: want lower-case letters, digits and _", p.Name)
	}
	seen := map[string]bool{}
	for _, c := range p.Clocks {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("policy %s: %w", p.Name, err)
		}
		if seen[c.Name] {
			return Errorf(EINVALID, "policy %s: two clocks named %q", p.Name, c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// ValidateClocks checks every clock of the policy at once, each problem
// under "<clock>.<field>" (decision.days), for a form that edits the
// clocks as fields.
func (p Policy) ValidateClocks() error {
	var probs Problems
	for _, c := range p.Clocks {
		err := c.Validate()
		keyed := ErrorProblems(err)
		for field, text := range ErrorFields(err) {
			if pr, ok := keyed[field]; ok {
				probs.AddKey(c.Name+"."+field, pr.Key, pr.Args...)
			} else {
				probs.Add(c.Name+"."+field, text)
			}
		}
	}
	return probs.Err()
}

// Clock returns the clock of the policy with the given name, or an
// ENOTFOUND *Error.
func (p Policy) Clock(name string) (Clock, error) {
	for _, c := range p.Clocks {
		if c.Name == name {
			return c, nil
		}
	}
	return Clock{}, Errorf(ENOTFOUND, "policy %s has no clock %q", p.Name, name)
}

// FindPolicy returns the policy with the given name from policies, or an
// ENOTFOUND *Error.
func FindPolicy(policies []Policy, name string) (Policy, error) {
	for _, p := range policies {
		if p.Name == name {
			return p, nil
		}
	}
	return Policy{}, Errorf(ENOTFOUND, "no deadline policy %q", name)
}

// DefaultPolicies returns the built-in deadline policies (DOMAIN.md §3), a
// fresh slice on every call, so a caller may change its copy.
//
// Moving off holidays: the petition and review clocks move a last day that
// is a holiday or weekend to the next working day, the general rule for
// periods of 民法典 Art.203. The complaint clocks do not move by default:
// CBIRC Order 2020 No.3 Art.43 counts its periods in natural days (自然日),
// banks apply the stricter reading, and a complaint due on a Saturday is
// answered by that Saturday; an admin may switch a policy's clocks to move.
// The branch reply is an internal service standard and outlets open at
// weekends. Working-day clocks always end on a working day, so the switch
// changes nothing for them. The foreign comparators count as their own rules
// do, without moving.
//
// What the moving clocks move off: every rest day (MoveOffRestDay), today's
// behaviour kept. 民法典 Art.203 speaks of 法定休假日, the days the law gives
// as rest — the weekly rest days (公休日) and the holidays with the days the
// State Council's notice moves into them (放假调休) — not only the 13
// 法定节假日 of Order No.795; a petition due on a Saturday or on 2025-10-04
// (a moved rest day of National Day) is due on the next working day. An
// admin may narrow a clock to statutory holidays only (MoveOffStatutory).
func DefaultPolicies() []Policy {
	const (
		order3   = "CBIRC Order 2020 No.3 (银行业保险业消费投诉处理管理办法)"
		petition = "信访工作条例 (2022)"
	)
	cn := func(name, title string, days int, unit Unit, move bool, source string) Clock {
		c := Clock{Name: name, Title: title, Days: days, Unit: unit, Region: RegionCN, MoveOffHoliday: move, Source: source}
		if move {
			c.MoveOff = MoveOffRestDay
		}
		return c
	}
	return []Policy{
		{
			Name:  PolicyComplaint,
			Title: "银行业保险业消费投诉 (CBIRC Order 2020 No.3)",
			Clocks: []Clock{
				cn(ClockBranchReply, "网点答复", 3, UnitCalendar, false,
					"branch complaint rules: on the spot, else within 3 days"),
				cn(ClockDecision, "投诉处理决定", 15, UnitCalendar, false, order3+" Art.18: 15 days"),
				cn(ClockDecisionExtended, "复杂投诉处理决定", 30, UnitCalendar, false,
					order3+" Art.18: complex cases may be extended to 30 days"),
				cn(ClockDecisionMax, "特别复杂投诉处理决定", 60, UnitCalendar, false,
					order3+" Art.18: especially complex cases, a further 30 days with approval and notice to the customer"),
			},
		},
		{
			Name:  PolicyPetition,
			Title: "信访事项 (信访工作条例)",
			Clocks: []Clock{
				cn(ClockAcceptanceNotice, "受理告知", 15, UnitCalendar, true,
					petition+" Art.23: written notice on the spot or within 15 days"),
				cn(ClockHandling, "信访事项办理", 60, UnitCalendar, true,
					petition+" Art.34: 60 days from acceptance"),
				cn(ClockHandlingExtended, "信访事项办理(延长)", 90, UnitCalendar, true,
					petition+" Art.34: a further 30 days with the unit head's approval, the reason told"),
				cn(ClockWrongForwardObjection, "转送错误异议", 5, UnitWorking, true,
					petition+" Art.23: objection to a wrongly forwarded petition within 5 working days"),
			},
		},
		{
			Name:  PolicyReview,
			Title: "核查 / 复查 / 复核",
			Clocks: []Clock{
				cn(ClockRequestWindow, "申请期限", 30, UnitCalendar, true,
					order3+" Art.20 (核查); "+petition+" Art.35–36 (复查, 复核): request within 30 days of the decision"),
				cn(ClockDecision, "核查/复查/复核意见", 30, UnitCalendar, true,
					order3+" Art.20; "+petition+" Art.35–36: opinion within 30 days"),
			},
		},
		{
			Name:       PolicyUKFCA,
			Title:      "UK FCA complaint handling (comparator)",
			Comparator: true,
			Clocks: []Clock{
				{Name: ClockSummaryResolution, Title: "Summary resolution communication", Days: 3, Unit: UnitWorking, Region: RegionGB,
					Source: "FCA DISP 1.5: resolved by the close of the third business day after receipt"},
				{Name: ClockFinal, Title: "Final response", Days: 56, Unit: UnitCalendar, Region: RegionGB,
					Source: "FCA DISP 1.6: final response within 8 weeks of receipt"},
				{Name: ClockPSD, Title: "Payment services final response", Days: 15, Unit: UnitWorking, Region: RegionGB,
					Source: "FCA DISP 1.6.2A: payment services complaints, 15 business days"},
				{Name: ClockPSDExceptional, Title: "Payment services final response (exceptional)", Days: 35, Unit: UnitWorking, Region: RegionGB,
					Source: "FCA DISP 1.6.2A: exceptional circumstances, 35 business days"},
			},
		},
		{
			Name:       PolicyUSCFPB,
			Title:      "US CFPB company response (comparator)",
			Comparator: true,
			Clocks: []Clock{
				{Name: ClockResponse, Title: "Company response", Days: 15, Unit: UnitCalendar, Region: "US",
					Source: "CFPB complaint process: respond within 15 days"},
				{Name: ClockFinal, Title: "Final response", Days: 60, Unit: UnitCalendar, Region: "US",
					Source: "CFPB complaint process: close within 60 days"},
			},
		},
	}
}
