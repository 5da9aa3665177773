package redress

import (
	"context"
	"math"
	"strconv"
)

// This file is the staff assessment (考核, CBIRC Order 2020 No.3 Art.27:
// the bank assesses the people and units that handle complaints): the
// figures of a month per person and per unit, and the score an admin's
// scheme gives them. The figures come from the statistics engine's columns
// (sqldb/assessment.go); the arithmetic of the score is here.

// The items of an assessment scheme. The first five are rates: the item's
// points times the rate (a rate with nothing to measure counts as 1: nothing
// was missed). The last four are deductions: the item's points off per
// case. The score is their sum, between 0 and 100.
const (
	AssessReplyOnTime    = "reply_on_time"    // × reply clocks kept / ended
	AssessDecisionOnTime = "decision_on_time" // × decision clocks kept / ended
	AssessClosed         = "closed"           // × closed / handled
	AssessSatisfied      = "satisfied"        // × (satisfied + basically satisfied) / answered (unreachable left out)
	AssessNotReopened    = "not_reopened"     // × (1 − reopened / handled)
	AssessOverdue        = "overdue"          // − per case past its decision date (closed late or still open)
	AssessComplaint      = "complaint"        // − per complaint against the person (the unit: against the unit)
	AssessUpheld         = "upheld"           // − per complaint against them upheld (or partly)
	AssessMeasure        = "measure"          // − per accountability measure (问责) taken
)

// AssessmentRateItems are the items that weigh a rate; AssessmentDeductions
// those that take points off per case. AssessmentItems is both, in order.
var (
	AssessmentRateItems  = []string{AssessReplyOnTime, AssessDecisionOnTime, AssessClosed, AssessSatisfied, AssessNotReopened}
	AssessmentDeductions = []string{AssessOverdue, AssessComplaint, AssessUpheld, AssessMeasure}
	AssessmentItems      = append(append([]string{}, AssessmentRateItems...), AssessmentDeductions...)
)

// The veto modes: a vetoed score is zero, or at most the scheme's cap.
const (
	VetoZero = "zero"
	VetoCap  = "cap"
)

// AssessmentScheme is how the figures become a score: the points of each
// item and the veto (一票否决), as an admin sets them.
type AssessmentScheme struct {
	Weights map[string]float64 `json:"weights"`
	Veto    AssessmentVeto     `json:"veto"`
}

// AssessmentVeto is what zeroes or caps a person's score whatever the rest:
// an accountability measure at least as severe as Measure taken against them
// ("" or none: no veto by measure), or an upheld complaint against them (a
// major complaint the person caused) when UpheldComplaint is set. Units are
// not vetoed: their upheld complaints are deductions.
type AssessmentVeto struct {
	Measure         AccountabilityMeasure `json:"measure"`
	UpheldComplaint bool                  `json:"upheld_complaint"`
	Mode            string                `json:"mode"` // zero or cap
	Cap             float64               `json:"cap"`  // the most a vetoed score may be, with mode cap
}

// DefaultAssessmentScheme is the scheme migration 0018 seeds: 100 points
// over the rates, 2 off per overdue case, 5 per complaint against, 10 per
// upheld one and per measure; a disciplinary measure (纪律处分) zeroes the
// score.
func DefaultAssessmentScheme() AssessmentScheme {
	return AssessmentScheme{
		Weights: map[string]float64{AssessReplyOnTime: 20, AssessDecisionOnTime: 30, AssessClosed: 20, AssessSatisfied: 20,
			AssessNotReopened: 10, AssessOverdue: 2, AssessComplaint: 5, AssessUpheld: 10, AssessMeasure: 10},
		Veto: AssessmentVeto{Measure: AccountabilityDiscipline, Mode: VetoZero},
	}
}

// Validate checks the scheme: every item has its points, 0 to 100, and no
// other; the rates' points add up to at most 100; the veto's measure is one
// of the list, its mode zero or cap, its cap 0 to 100.
func (s AssessmentScheme) Validate() error {
	var p Problems
	sum := 0.0
	for _, item := range AssessmentItems {
		w, ok := s.Weights[item]
		switch {
		case !ok:
			p.AddKey("weights."+item, ProblemRequired)
		case w < 0 || w > 100 || math.IsNaN(w):
			p.AddKey("weights."+item, ProblemRange, "0", "100")
		}
		if oneOf(item, AssessmentRateItems) {
			sum += w
		}
	}
	for item := range s.Weights {
		if !oneOf(item, AssessmentItems) {
			p.AddKey("weights."+item, ProblemUnknown, item)
		}
	}
	if sum > 100 {
		p.Add("weights", "the rates' points add up to "+strconv.FormatFloat(sum, 'f', -1, 64)+": at most 100")
	}
	if s.Veto.Measure != "" && !oneOf(s.Veto.Measure, AccountabilityMeasures) {
		p.AddKey("veto.measure", ProblemOneOf, "none, criticism, circular, fine, transfer, discipline")
	}
	if s.Veto.Mode != VetoZero && s.Veto.Mode != VetoCap {
		p.AddKey("veto.mode", ProblemOneOf, "zero, cap")
	}
	if s.Veto.Cap < 0 || s.Veto.Cap > 100 || math.IsNaN(s.Veto.Cap) {
		p.AddKey("veto.cap", ProblemRange, "0", "100")
	}
	return p.Err()
}

// AssessmentFigures are what one person or unit did in a month, counted
// over the cases received in it (the period the statistics count): the
// cases handled, closed, each clock kept, past their decision date,
// reopened; the satisfaction answers (closing and return visits,
// CaseSatisfaction); complaints against them,
// those upheld; the accountability measures taken against the person (a
// unit: in its cases).
type AssessmentFigures struct {
	Handled        int                           `json:"handled"`
	Closed         int                           `json:"closed"`
	ReplyOnTime    ClockOnTime                   `json:"reply_on_time"`
	DecisionOnTime ClockOnTime                   `json:"decision_on_time"`
	Overdue        int                           `json:"overdue"`
	Reopened       int                           `json:"reopened"`
	Satisfaction   map[string]int                `json:"satisfaction"`
	Complaints     int                           `json:"complaints_against"`
	Upheld         int                           `json:"upheld_against"`
	Measures       map[AccountabilityMeasure]int `json:"measures"`
	// Training is the month's training (培训与考核, seed 004 §6): the
	// sessions held in the month the person attended or missed (a unit: its
	// own staff's). It stands beside the score and does not enter it.
	Training TrainingFigures `json:"training"`
}

// AssessmentScore is a score with what made it: each item's points, and
// the veto when one applied.
type AssessmentScore struct {
	Score  float64            `json:"score"`
	Parts  map[string]float64 `json:"parts"`
	Vetoed bool               `json:"vetoed"`
	// VetoBy says what vetoed: "measure:discipline" or "upheld_complaint".
	VetoBy string `json:"veto_by,omitempty"`
}

// satisfiedRate is the share of the answers that were satisfied or
// basically satisfied, the unreachable left out; ok false when none answered.
func (f AssessmentFigures) satisfiedRate() (float64, bool) {
	yes := f.Satisfaction[string(SatisfactionSatisfied)] + f.Satisfaction[string(SatisfactionBasically)]
	answered := yes + f.Satisfaction[string(SatisfactionDissatisfed)]
	return Share(yes, answered), answered > 0
}

// rateOr is part / whole, or 1 when there is nothing to measure.
func rateOr(part, whole int) float64 {
	if whole == 0 {
		return 1
	}
	return Share(part, whole)
}

// Score is the scheme applied to the figures of a person (person true:
// the veto applies) or a unit: rates and deductions summed, kept within
// 0–100, rounded to two decimals, then the veto.
func (s AssessmentScheme) Score(f AssessmentFigures, person bool) AssessmentScore {
	sat, answered := f.satisfiedRate()
	if !answered {
		sat = 1
	}
	rates := map[string]float64{
		AssessReplyOnTime:    rateOr(f.ReplyOnTime.OnTime, f.ReplyOnTime.Ended),
		AssessDecisionOnTime: rateOr(f.DecisionOnTime.OnTime, f.DecisionOnTime.Ended),
		AssessClosed:         rateOr(f.Closed, f.Handled),
		AssessSatisfied:      sat,
		AssessNotReopened:    1 - Share(f.Reopened, f.Handled),
	}
	measures := 0
	for m, n := range f.Measures {
		if m.HoldsSomeone() {
			measures += n
		}
	}
	counts := map[string]int{AssessOverdue: f.Overdue, AssessComplaint: f.Complaints, AssessUpheld: f.Upheld, AssessMeasure: measures}
	out := AssessmentScore{Parts: map[string]float64{}}
	total := 0.0
	for _, item := range AssessmentRateItems {
		out.Parts[item] = round2(s.Weights[item] * rates[item])
		total += s.Weights[item] * rates[item]
	}
	for _, item := range AssessmentDeductions {
		out.Parts[item] = round2(-s.Weights[item] * float64(counts[item]))
		total -= s.Weights[item] * float64(counts[item])
	}
	out.Score = round2(math.Max(0, math.Min(100, total)))
	if person {
		out.VetoBy = s.Veto.by(f)
	}
	if out.VetoBy != "" {
		out.Vetoed = true
		if s.Veto.Mode == VetoCap {
			out.Score = math.Min(out.Score, s.Veto.Cap)
		} else {
			out.Score = 0
		}
	}
	return out
}

// by says what in the figures the veto applies to: the most severe measure
// at least as severe as the veto's, else an upheld complaint; "" for none.
func (v AssessmentVeto) by(f AssessmentFigures) string {
	if v.Measure.HoldsSomeone() {
		least := severity(v.Measure)
		for i := len(AccountabilityMeasures) - 1; i >= least; i-- {
			if m := AccountabilityMeasures[i]; f.Measures[m] > 0 {
				return "measure:" + string(m)
			}
		}
	}
	if v.UpheldComplaint && f.Upheld > 0 {
		return "upheld_complaint"
	}
	return ""
}

// severity is a measure's place in AccountabilityMeasures (mildest first).
func severity(m AccountabilityMeasure) int {
	for i, x := range AccountabilityMeasures {
		if x == m {
			return i
		}
	}
	return len(AccountabilityMeasures)
}

// round2 rounds to two decimals (and never answers -0).
func round2(f float64) float64 {
	if r := math.Round(f*100) / 100; r != 0 {
		return r
	}
	return 0
}

// AssessmentQuery asks for the assessment of a month ("2026-11") within
// the caller's scope, optionally for one unit's subtree.
type AssessmentQuery struct {
	Month string
	Org   string
}

// Period is the month's first and last day; EINVALID naming month when it
// is not YYYY-MM.
func (q AssessmentQuery) Period() (Date, Date, error) {
	from, to, err := PeriodOf(PeriodMonth, q.Month)
	if err != nil {
		var p Problems
		p.AddKey("month", ProblemOneOf, "YYYY-MM")
		return Date{}, Date{}, p.Err()
	}
	return from, to, nil
}

// Assessment is a month's sheet: the scheme it was scored with, a row per
// person and per unit. Satisfaction counts each case's latest answer: at its
// return visit (回访) when it had one, else at closing (CaseSatisfaction);
// ReturnVisits says so (false only on sheets made before return visits).
type Assessment struct {
	Month        string             `json:"month"`
	From         string             `json:"from"`
	To           string             `json:"to"`
	Org          string             `json:"org,omitempty"`
	Scheme       AssessmentScheme   `json:"scheme"`
	ReturnVisits bool               `json:"return_visits"`
	People       []PersonAssessment `json:"people"`
	Units        []UnitAssessment   `json:"units"`
}

// PersonAssessment is one staff member's row.
type PersonAssessment struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Org   string `json:"org"`
	AssessmentFigures
	AssessmentScore
}

// UnitAssessment is one unit's row: the cases it is responsible for (not
// its subtree's).
type UnitAssessment struct {
	Org  string `json:"org"`
	Name string `json:"name"`
	AssessmentFigures
	AssessmentScore
}

// AssessmentService computes the assessment and keeps its scheme.
type AssessmentService interface {
	// Assessment is the sheet of a month. Managers, branch heads and head
	// office only. Errors: EFORBIDDEN, EINVALID, ENOTFOUND (org).
	Assessment(ctx context.Context, q AssessmentQuery) (*Assessment, error)
	// AssessmentScheme is the scheme in force.
	AssessmentScheme(ctx context.Context) (*AssessmentScheme, error)
	// SetAssessmentScheme replaces the scheme (admin), an audit event.
	// Errors: EFORBIDDEN, EINVALID.
	SetAssessmentScheme(ctx context.Context, s AssessmentScheme) (*AssessmentScheme, error)
}

// ExportAssessment names the assessment sheet in an export's audit event.
const ExportAssessment = "assessment"

// Assesses reports whether the role reads the staff assessment: complaint
// managers, branch heads and head office (not the staff assessed, the
// auditors or the admin, who sets the scheme but reads no cases).
func (r Role) Assesses() bool {
	return r == RoleManager || r == RoleBranchHead || r == RoleHQService
}
