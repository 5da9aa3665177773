package redress

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Beijing is China Standard Time. China has kept UTC+8 without daylight
// saving since 1991, so a fixed zone is exact and needs no tz database.
var Beijing = time.FixedZone("CST", 8*60*60)

// CaseClocks names the deadline policy a kind of case follows and the
// clocks it runs: the reply clock, and the decision clock with the longer
// clocks an extension steps up to, shortest first.
type CaseClocks struct {
	Policy string
	Reply  string
	Ladder []string
}

// ClocksFor returns the clocks of a kind of case: petitions follow 信访工作条例
// (acceptance notice in 15 days, handling in 60, extended to 90); every other
// kind follows the complaint rules (branch reply in 3 days, decision in 15,
// extended to 30, at most 60).
func ClocksFor(kind Kind) CaseClocks {
	if kind == KindPetition {
		return CaseClocks{Policy: PolicyPetition, Reply: ClockAcceptanceNotice,
			Ladder: []string{ClockHandling, ClockHandlingExtended}}
	}
	return CaseClocks{Policy: PolicyComplaint, Reply: ClockBranchReply,
		Ladder: []string{ClockDecision, ClockDecisionExtended, ClockDecisionMax}}
}

// ExtensionNeeds says what stepping a case's decision clock up to the given
// clock requires besides a reason: an approval by a superior (the branch
// head's superior institution or head office, or for a petition the unit
// head) and a recorded notice to the customer. Complaint 15 → 30 days needs
// neither; 30 → 60 needs both (CBIRC Order 2020 No.3 Art.18); a petition's
// 60 → 90 needs both (信访工作条例 Art.34: approval, and the reason told).
func ExtensionNeeds(to string) (approval, notice bool) {
	switch to {
	case ClockDecisionMax, ClockHandlingExtended:
		return true, true
	}
	return false, false
}

// Deadlines is the deadline engine in force: the holiday calendars (the
// embedded State Council schedules with admin overrides) and the deadline
// policies (built-in, each replaced by an admin's stored version). It is
// immutable once built, so one value may be shared by every request.
type Deadlines struct {
	Calendars Calendars
	Policies  []Policy
}

// Due computes a clock of a policy started on start, shifted by paused
// days. When the calendar lacks the year of the last day, a clock of
// calendar days falls back to the unmoved date with a warning (a complaint
// is never refused for want of next year's holiday notice); a working-day
// clock has no such fallback and fails with a *MissingYearError.
func (d *Deadlines) Due(policyName, clockName string, start Date, paused int) (Due, error) {
	policy, err := FindPolicy(d.Policies, policyName)
	if err != nil {
		return Due{}, err
	}
	clock, err := policy.Clock(clockName)
	if err != nil {
		return Due{}, err
	}
	due, err := clock.Due(d.Calendars, start.AddDays(paused))
	var missing *MissingYearError
	if errors.As(err, &missing) && clock.Unit == UnitCalendar {
		last := start.AddDays(paused + clock.Days)
		r := Problem{Key: ReasonNoSchedule, Args: []string{missing.Region, strconv.Itoa(missing.Year), last.String()}}
		return Due{Date: last, Unmoved: last, Warning: r.text(reasonTexts), Reason: r}, nil
	}
	return due, err
}

// Apply recomputes a case's reply and decision due dates from its policy,
// clock start (the decision clock from DecisionStart when set: a petition's
// acceptance), decision clock and paused days. A regulator's due date wins
// for the decision: a forwarded case keeps the date the regulator set.
func (d *Deadlines) Apply(c *Case) error {
	reply, decision, err := d.dues(c)
	if err != nil {
		return err
	}
	c.ReplyDue = reply.Date.String()
	c.DecisionDue, c.DueWarning = decision.Date.String(), strings.TrimSpace(reply.Warning+" "+decision.Warning)
	if c.RegulatorDue != "" {
		c.DecisionDue = c.RegulatorDue
	}
	return nil
}

// dues computes a case's reply and decision deadlines (see Apply).
func (d *Deadlines) dues(c *Case) (reply, decision Due, err error) {
	start, err := ParseDate(c.ClockStart)
	if err != nil {
		return reply, decision, fmt.Errorf("case %s clock start: %w", c.No, err)
	}
	if reply, err = d.Due(c.DeadlinePolicy, ClocksFor(c.Kind).Reply, start, 0); err != nil {
		return reply, decision, err
	}
	decisionStart := start
	if c.DecisionStart != "" {
		if decisionStart, err = ParseDate(c.DecisionStart); err != nil {
			return reply, decision, fmt.Errorf("case %s decision start: %w", c.No, err)
		}
	}
	decision, err = d.Due(c.DeadlinePolicy, c.DecisionClock, decisionStart, c.PausedDays)
	return reply, decision, err
}

// DueWarnings are the warnings of a case's due dates by meaning (Due.Reason),
// as Apply computes them from the calendars and policies given: the case's
// DueWarning is their English text, recorded when its dates were computed.
func (d *Deadlines) DueWarnings(c *Case) ([]Problem, error) {
	reply, decision, err := d.dues(c)
	if err != nil {
		return nil, err
	}
	var out []Problem
	for _, due := range []Due{reply, decision} {
		if due.Reason.Key != "" {
			out = append(out, due.Reason)
		}
	}
	return out, nil
}

// StartClocks sets the deadline state of a case just received: its kind's
// policy, the first clock of its ladder, the clocks started on the day of
// receipt; then its due dates.
func (d *Deadlines) StartClocks(c *Case) error {
	clocks := ClocksFor(c.Kind)
	c.DeadlinePolicy, c.DecisionClock = clocks.Policy, clocks.Ladder[0]
	c.ClockStart, c.PausedSince, c.PausedDays = DateOf(c.ReceivedAt).String(), "", 0
	return d.Apply(c)
}

// PauseCause is why a decision clock stops: only an external appraisal or a
// mediation stops it (CBIRC Order 2020 No.3 Art.18, 23–24).
type PauseCause string

// The pause causes.
const (
	PauseAppraisal PauseCause = "appraisal" // 鉴定、检测、评估
	PauseMediation PauseCause = "mediation" // 调解
)

// PauseCauses lists the causes that may stop a clock.
var PauseCauses = []PauseCause{PauseAppraisal, PauseMediation}

// DeadlineChange is one entry of a case's deadline history.
type DeadlineChange struct {
	At       time.Time     `json:"at"`
	Actor    string        `json:"actor"`
	Action   string        `json:"action"` // register, extend, pause, resume, new_facts
	Clock    string        `json:"clock"`
	Before   string        `json:"before,omitempty"` // decision due date before
	After    string        `json:"after,omitempty"`  // and after
	Reason   string        `json:"reason,omitempty"`
	Approval string        `json:"approval,omitempty"`
	Notice   *NoticeRecord `json:"notice,omitempty"`
}

// NoticeRecord is a notice given to the customer: how, when, and its proof.
type NoticeRecord struct {
	Method NoticeMethod `json:"method"`
	At     time.Time    `json:"at"`
	Proof  string       `json:"proof"`
}

// Today returns the date of t in Beijing time as YYYY-MM-DD.
func Today(t time.Time) string {
	return t.In(Beijing).Format(time.DateOnly)
}

// MarkOverdue sets the case's overdue flags as of now, its reviews' too: a
// clock is late when it runs (ClockRunning) and its last day has passed.
func (c *Case) MarkOverdue(now time.Time) {
	today := Today(now)
	c.ReplyOverdue = c.ClockRunning(DueReply) && today > c.ReplyDue
	c.AgreedReplyOverdue = c.ClockRunning(DueAgreedReply) && today > c.AgreedReplyDue
	c.AgreedReplyLate = c.AgreedReplyAfterDeadline()
	c.Overdue = c.DecisionOverdue(today)
	c.markReviewsOverdue(now)
}

// DecisionOverdue reports whether the case's decision clock runs and its
// last day is before today (YYYY-MM-DD in Beijing, Today): the Overdue flag.
func (c *Case) DecisionOverdue(today string) bool {
	return c.ClockRunning(DueDecision) && today > c.DecisionDue
}

// ClockRunning reports whether a watched clock of the case runs, so that it
// may be due soon or overdue: the case is open and the clock has a date;
// the reply clock is not satisfied yet (first contact, extension notice,
// acceptance notice, final reply); the decision clock is not paused. The
// sweep and MarkOverdue share it; sqldb/sweep.go and sqldb/case_filter.go
// say the same in SQL.
func (c *Case) ClockRunning(clock DueClock) bool {
	if clock == DueReview { // a review runs on a decided case, until its opinion
		r := c.OpenReview()
		return r != nil && r.Due != ""
	}
	if !c.Status.Open() || c.MergedInto != "" { // a merged case's clocks follow its survivor's (repeat.go)
		return false
	}
	switch clock {
	case DueReply:
		return c.ReplyDue != "" && c.ReplySatisfiedAt == nil
	case DueAgreedReply:
		return c.AgreedReplyDue != ""
	case DueDecision:
		return c.DecisionDue != "" && c.PausedSince == ""
	}
	return false
}

// Due returns the case's due date of a watched clock ("" when it has none).
func (c *Case) Due(clock DueClock) string {
	switch clock {
	case DueReply:
		return c.ReplyDue
	case DueAgreedReply:
		return c.AgreedReplyDue
	case DueDecision:
		return c.DecisionDue
	case DueReview:
		if r := c.OpenReview(); r != nil {
			return r.Due
		}
	}
	return ""
}

// DueQuery asks for one deadline: either a clock of a named policy, or a
// number of days of a unit in a calendar region, started on From.
type DueQuery struct {
	From   Date
	Days   int
	Unit   Unit   // calendar or working
	Region string // default CN
	Policy string // with Clock: use that policy's clock instead of Days/Unit
	Clock  string
}

// ScheduleInfo is one year of a region's holiday calendar and where it comes
// from: the embedded State Council data, or an admin's override.
type ScheduleInfo struct {
	YearSchedule
	Origin    string     `json:"origin"` // "embedded" or "override"
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// DeadlineService answers deadline questions and keeps the holiday calendar
// and the deadline policies, which admins may override.
type DeadlineService interface {
	// Due computes one deadline. Any signed-in user.
	// Errors: EUNAUTHORIZED, EINVALID (also a year without calendar data), ENOTFOUND (policy or clock).
	Due(ctx context.Context, q DueQuery) (*Due, error)
	// Schedules lists the calendar years of a region, embedded and overridden.
	// Errors: EUNAUTHORIZED, EINVALID.
	Schedules(ctx context.Context, region string) ([]ScheduleInfo, error)
	// SaveSchedule stores an admin's schedule for one year of a region,
	// replacing the embedded one or adding a year (next year's notice).
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SaveSchedule(ctx context.Context, s YearSchedule) (*ScheduleInfo, error)
	// DeleteSchedule removes an override, restoring the embedded year if any.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	DeleteSchedule(ctx context.Context, region string, year int) error
	// Calendars returns the holiday calendars in force, embedded and overridden.
	// Errors: EUNAUTHORIZED.
	Calendars(ctx context.Context) (Calendars, error)
	// Policies lists the deadline policies in force.
	// Errors: EUNAUTHORIZED.
	Policies(ctx context.Context) ([]Policy, error)
	// SavePolicy stores an admin's version of a policy.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SavePolicy(ctx context.Context, p Policy) (*Policy, error)
}

// DefaultDueSoonDays is the due-soon window when none is configured: a clock
// whose last day is within this many working days is due soon, for the
// sweep's notices and the workbench alike (REDRESS_DUE_SOON_DAYS).
const DefaultDueSoonDays = 2

// DueSoonEnd returns the last due date that counts as due soon on today:
// today plus days working days of the calendar (nil when the region has
// none), or plus days calendar days, with calendarDays set, when the
// calendar lacks a year it needs. The sweep and the pages share it.
func DueSoonEnd(cal *Calendar, today Date, days int) (end Date, calendarDays bool, err error) {
	if days < 0 {
		return Date{}, false, Errorf(EINVALID, "due-soon window of %d days: want 0 or more", days)
	}
	if cal != nil {
		end, err := cal.AddWorkdays(today, days)
		var missing *MissingYearError
		if !errors.As(err, &missing) {
			return end, false, err
		}
	}
	return today.AddDays(days), true, nil
}

// DaysLeft returns the working days after today up to due by the calendar,
// or the calendar days (and calendarDays set) when it cannot count them.
func DaysLeft(cal *Calendar, today, due Date) (n int, calendarDays bool) {
	if cal != nil {
		if n, err := cal.CountWorkdays(today, due); err == nil {
			return n, false
		}
	}
	return due.Sub(today), true
}

// TimeLeft is where a case stands against its decision deadline today.
type TimeLeft struct {
	Running      bool // the case is open and its decision date known: the rest applies
	Paused       bool // the clock stands still
	Late         bool // the decision date has passed
	Days         int  // days late, or days left (working days unless CalendarDays)
	CalendarDays bool // Days counts calendar days (late, or the calendar lacks the year)
}

// DecisionTimeLeft says how much time the case has left before its
// decision date on today: days late in calendar days; days left in the unit
// of the case's decision clock in its policy (the 15, 30 and 60 days of
// Order 2020 No.3 Art.18 and the petition's 60 and 90 are calendar days),
// working days only for a working-day clock and where the calendar can
// count them.
func DecisionTimeLeft(c *Case, policies []Policy, cal *Calendar, today Date) TimeLeft {
	due, err := ParseDate(c.DecisionDue)
	switch {
	case !c.Status.Open() || err != nil:
		return TimeLeft{}
	case c.PausedSince != "":
		return TimeLeft{Running: true, Paused: true}
	case due.Before(today):
		return TimeLeft{Running: true, Late: true, Days: today.Sub(due), CalendarDays: true}
	}
	if DecisionUnit(c, policies) == UnitCalendar {
		return TimeLeft{Running: true, Days: due.Sub(today), CalendarDays: true}
	}
	n, calendarDays := DaysLeft(cal, today, due)
	return TimeLeft{Running: true, Days: n, CalendarDays: calendarDays}
}

// DecisionUnit is the unit of a case's decision clock in its policy;
// calendar days when the policy or the clock is not among policies.
func DecisionUnit(c *Case, policies []Policy) Unit {
	p, err := FindPolicy(policies, c.DeadlinePolicy)
	if err != nil {
		return UnitCalendar
	}
	clock, err := p.Clock(c.DecisionClock)
	if err != nil {
		return UnitCalendar
	}
	return clock.Unit
}
