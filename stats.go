package redress

import (
	"context"
	"time"
)

// StatsQuery asks for the statistics of the cases received in a period,
// within the caller's scope, optionally for one unit's subtree.
type StatsQuery struct {
	From  string // YYYY-MM-DD, Beijing time, inclusive
	To    string // YYYY-MM-DD, Beijing time, inclusive
	Org   string // unit code; its subtree
	Trend string // the trend's buckets: day, week or month; "" for DefaultTrend
	Kind  Kind   // only the cases of this kind (the regulator's forms: complaints); "" for all
}

// Validate checks the period: both dates, in order, at most 366 days.
func (q StatsQuery) Validate() error {
	var p Problems
	from, err1 := ParseDate(q.From)
	to, err2 := ParseDate(q.To)
	if err1 != nil {
		p.AddKey("from", ProblemDate)
	}
	if err2 != nil {
		p.AddKey("to", ProblemDate)
	}
	if err1 == nil && err2 == nil {
		switch days := to.Sub(from); {
		case days < 0:
			p.Add("to", "is before from")
		case days > 366:
			p.Add("to", "a period is at most 366 days")
		}
	}
	if q.Kind != "" && !q.Kind.Valid() {
		p.AddKey("kind", ProblemUnknown, string(q.Kind))
	}
	switch q.Trend {
	case "", TrendDay, TrendWeek, TrendMonth:
	default:
		p.AddKey("trend", ProblemOneOf, "day, week, month")
	}
	return p.Err()
}

// Stats are the counts of the cases received in a period (DOMAIN.md §7):
// by status, kind, channel and business code; closed within 15, 30 and 60
// days and still open past their decision date; upheld; redress paid;
// satisfaction; and the time the query took.
type Stats struct {
	From           string          `json:"from"`
	To             string          `json:"to"`
	Org            string          `json:"org,omitempty"`
	Received       int             `json:"received"`
	ByStatus       map[Status]int  `json:"by_status"`
	ByKind         map[Kind]int    `json:"by_kind"`
	ByChannel      map[Channel]int `json:"by_channel"`
	ByCodeB        map[string]int  `json:"by_code_b"`
	Closed         int             `json:"closed"`
	ClosedIn15     int             `json:"closed_in_15_days"`
	ClosedIn30     int             `json:"closed_in_30_days"`
	ClosedIn60     int             `json:"closed_in_60_days"`
	OpenOverdue    int             `json:"open_overdue"`
	Upheld         int             `json:"upheld"`
	PartlyUpheld   int             `json:"partly_upheld"`
	RedressPaid    string          `json:"redress_paid"`    // yuan
	BySatisfaction map[string]int  `json:"by_satisfaction"` // the answers at closing
	// ReturnVisits are the period's return visits and their answers (回访).
	ReturnVisits ReturnVisitStats `json:"return_visits"`
	Regulator    int              `json:"regulator_forwarded"`
	Took         time.Duration    `json:"-"`

	// The cases the regulator forwarded (channel regulator), by the
	// regulator's channel and by its finding: valid (有效投诉), invalid
	// (无效投诉), no finding yet.
	RegulatorBySource  map[RegulatorSource]int `json:"regulator_by_source"`
	RegulatorValid     int                     `json:"regulator_valid"`
	RegulatorInvalid   int                     `json:"regulator_invalid"`
	RegulatorNoFinding int                     `json:"regulator_no_finding"`
	// Reviews counts the reviews of decisions (核查, 复查, 复核) requested and
	// decided in the period, whenever their case was received.
	Reviews ReviewStats `json:"reviews"`

	// Escalated counts the cases that reached level 3 or 4; Repeat those
	// whose complainant (the same ID or phone number) had an earlier case.
	Escalated int `json:"escalated"`
	Repeat    int `json:"repeat"`
	// Repeats are the repeat complaints' figures (repeat.go): complainants
	// with two or more cases in the period, and cases after a closed one.
	Repeats RepeatStats `json:"repeats"`
	// OnTime is, per clock (reply, decision), how many cases' clocks have
	// ended (answered, or run out while open) and how many of those were
	// answered by their last day.
	OnTime map[string]ClockOnTime `json:"on_time"`
	// DaysToDecision is the mean and median of the days from receipt to the
	// decision (the reply) of the cases decided.
	DaysToDecision DaysStats `json:"days_to_decision"`
	// Breakdowns are the counts by status, kind, channel, code_a, code_b,
	// code_c, root_cause (the determination's code; "" when none) and unit
	// (each child unit of the asked unit), each with its share and the
	// prior period's and last year's count beside it.
	Breakdowns map[string][]Figure `json:"breakdowns"`
	// Prior and LastYear are the main counts of the prior period of the
	// same length and of the same period a year before.
	Prior    PeriodTotals `json:"prior"`
	LastYear PeriodTotals `json:"last_year"`
	// Units are the same figures for each child unit of the asked unit (the
	// caller's own unit when none is asked), so a user drills down the tree.
	Units []UnitStats `json:"units"`
	// Trend is the cases received per bucket of TrendBy (day, week, month).
	TrendBy string       `json:"trend_by"`
	Trend   []TrendPoint `json:"trend"`
}

// ClockOnTime counts one clock's ended clocks and those kept.
type ClockOnTime struct {
	Ended  int     `json:"ended"`
	OnTime int     `json:"on_time"`
	Rate   float64 `json:"rate"` // OnTime / Ended, 0 to 1
}

// DaysStats are the mean and median of a number of days, and how many
// cases they are of.
type DaysStats struct {
	Cases  int     `json:"cases"`
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
}

// PeriodTotals are the main counts of a comparison period.
type PeriodTotals struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Received    int    `json:"received"`
	Closed      int    `json:"closed"`
	Upheld      int    `json:"upheld"`
	Escalated   int    `json:"escalated"`
	Repeat      int    `json:"repeat"`
	OpenOverdue int    `json:"open_overdue"`
	Regulator   int    `json:"regulator_forwarded"`
	// Repeats are the period's repeat figures.
	Repeats RepeatStats `json:"repeats"`
}

// RepeatStats are the repeat figures of a period (repeat.go). A
// complainant is identified by their ID number, else their phone, else
// their account (the blind indexes); a case with none of them is its own
// complainant. Complainants counts those who brought a case in the period,
// RepeatComplainants those of them with two or more, and their share;
// AfterClosed the cases received whose complainant had a case closed
// before, and their share of the cases received.
type RepeatStats struct {
	Complainants           int     `json:"complainants"`
	RepeatComplainants     int     `json:"repeat_complainants"`
	RepeatComplainantShare float64 `json:"repeat_complainant_share"`
	AfterClosed            int     `json:"after_closed"`
	AfterClosedShare       float64 `json:"after_closed_share"`
}

// UnitStats are the main figures of one child unit in the period.
type UnitStats struct {
	Org            string      `json:"org"`
	Name           string      `json:"name"`
	Received       int         `json:"received"`
	Share          float64     `json:"share"`
	Closed         int         `json:"closed"`
	Upheld         int         `json:"upheld"`
	Escalated      int         `json:"escalated"`
	Repeat         int         `json:"repeat"`
	OpenOverdue    int         `json:"open_overdue"`
	DecisionOnTime ClockOnTime `json:"decision_on_time"`
}

// ReviewStats are the reviews requested in a period, those decided in it,
// and of these the decisions changed (wholly or partly).
type ReviewStats struct {
	Requested int `json:"requested"`
	Decided   int `json:"decided"`
	Changed   int `json:"changed"`
}

// StatsService computes statistics over the cases in scope.
type StatsService interface {
	// Stats counts the cases received in a period. Case readers only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	Stats(ctx context.Context, q StatsQuery) (*Stats, error)
}
