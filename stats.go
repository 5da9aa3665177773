package redress

import (
	"context"
	"time"
)

// StatsQuery asks for the statistics of the cases received in a period,
// within the caller's scope, optionally for one unit's subtree.
type StatsQuery struct {
	From string // YYYY-MM-DD, Beijing time, inclusive
	To   string // YYYY-MM-DD, Beijing time, inclusive
	Org  string // unit code; its subtree
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
	RedressPaid    string          `json:"redress_paid"` // yuan
	BySatisfaction map[string]int  `json:"by_satisfaction"`
	Regulator      int             `json:"regulator_forwarded"`
	Took           time.Duration   `json:"-"`

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
