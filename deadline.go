package redress

import "time"

// Beijing is China Standard Time. China has kept UTC+8 without daylight
// saving since 1991, so a fixed zone is exact and needs no tz database.
var Beijing = time.FixedZone("CST", 8*60*60)

// The first-cut clocks, in calendar days (DOMAIN.md §3).
const (
	ReplyDays    = 3  // branch reply: on the spot, else within 3 days
	DecisionDays = 15 // complaint decision: 15 days (CBIRC Order 2020 No.3 Art.18)
)

// DueDate returns the last day, as YYYY-MM-DD in Beijing time, of a clock of
// the given number of calendar days that starts at t. The day of t is not
// counted and the last day is included: received 2024-03-01, 15 days → due
// 2024-03-16 (民法典 Art.201; CBIRC Order 2020 No.3 Art.43).
//
// This is the first cut: calendar days only, no holidays.
func DueDate(t time.Time, days int) string {
	y, m, d := t.In(Beijing).Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Today returns the date of t in Beijing time as YYYY-MM-DD.
func Today(t time.Time) string {
	return t.In(Beijing).Format(time.DateOnly)
}

// MarkOverdue sets the case's overdue flags as of now: the reply clock and
// the decision clock are late when their last day has passed and the case is
// still open.
func (c *Case) MarkOverdue(now time.Time) {
	today := Today(now)
	open := c.Status.Open()
	c.ReplyOverdue = open && c.ReplyDue != "" && today > c.ReplyDue
	c.Overdue = open && c.DecisionDue != "" && today > c.DecisionDue
}
