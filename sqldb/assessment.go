package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"redress"
)

// AssessmentService computes the staff assessment (考核) of a month from the
// statistics engine's columns (statsColumns, summed by tally) and keeps the
// scheme that scores it (assessment_weights, assessment_veto).
type AssessmentService struct{ db *DB }

// NewAssessmentService returns the assessment service of db.
func NewAssessmentService(db *DB) *AssessmentService { return &AssessmentService{db: db} }

var _ redress.AssessmentService = (*AssessmentService)(nil)

// assessmentGroup is a group of a month's cases: the statistics' columns
// and who the case names (handler, respondent, accountable staff member).
type assessmentGroup struct {
	statsGroup
	handlerID, respondentStaffID, respondentOrgID, accountableID int64
	measure                                                      redress.AccountabilityMeasure
	reopened                                                     int
}

// assessed is one person's or unit's tally and the counts the statistics
// do not keep.
type assessed struct {
	t                    *tally
	reopened, complaints int
	upheld               int
	measures             map[redress.AccountabilityMeasure]int
}

func newAssessed() *assessed {
	return &assessed{t: newTally(), measures: map[redress.AccountabilityMeasure]int{}}
}

// figures are the assessed counts as the domain's figures. Overdue is the
// decision clocks that ended missed (closed late, or open past the date).
func (a *assessed) figures() redress.AssessmentFigures {
	d := a.t.onTimeOf("decision")
	return redress.AssessmentFigures{Handled: a.t.received, Closed: a.t.closed, ReplyOnTime: a.t.onTimeOf("reply"),
		DecisionOnTime: d, Overdue: d.Ended - d.OnTime, Reopened: a.reopened, Satisfaction: a.t.visits.ByCaseSatisfaction,
		Complaints: a.complaints, Upheld: a.upheld, Measures: a.measures}
}

// Assessment is the month's sheet, over the cases received in the month
// within the caller's scope (caseFilterSQL: the org subtree and the
// accusation rule, so an accused staff member's own sheet never counts the
// accusations against them): one grouped pass, each group added to the
// handler's and the unit's tally, to the respondent's and the respondent
// unit's complaints, to the accountable staff member's measures.
func (s *AssessmentService) Assessment(ctx context.Context, q redress.AssessmentQuery) (*redress.Assessment, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !u.Role.Assesses() {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s may not read the assessment", u.Role)
	}
	from, to, err := q.Period()
	if err != nil {
		return nil, err
	}
	scheme, err := s.scheme(ctx, s.db.reads())
	if err != nil {
		return nil, err
	}
	root := u.OrgPath
	if q.Org != "" {
		org, err := s.db.orgByCode(ctx, s.db.reads(), "org", q.Org)
		if err != nil {
			return nil, err
		}
		if !redress.InSubtree(org.Path, u.OrgPath) {
			return nil, redress.Errorf(redress.ENOTFOUND, "unit %s is not in your scope", q.Org)
		}
		root = org.Path
	}
	people, units, err := s.tallyMonth(ctx, u, q.Org, from, to)
	if err != nil {
		return nil, err
	}
	trainedPeople, trainedUnits, err := s.db.trainingFigures(ctx, root, from, to)
	if err != nil {
		return nil, err
	}
	a := &redress.Assessment{Month: q.Month, From: from.String(), To: to.String(), Org: q.Org, Scheme: *scheme, ReturnVisits: true,
		People: []redress.PersonAssessment{}, Units: []redress.UnitAssessment{}}
	orgs, err := s.db.reads().QueryContext(ctx, `SELECT id, code, name, path FROM org_units WHERE path LIKE ? ORDER BY path`, root+"%")
	if err != nil {
		return nil, fmt.Errorf("assessment units: %w", err)
	}
	defer orgs.Close()
	for orgs.Next() {
		var x orgRef
		if err := orgs.Scan(&x.id, &x.code, &x.name, &x.path); err != nil {
			return nil, fmt.Errorf("assessment units: %w", err)
		}
		f := units[x.id]
		if f == nil {
			f = newAssessed()
		}
		figs := f.figures()
		if t := trainedUnits[x.id]; t != nil {
			figs.Training = *t
		}
		a.Units = append(a.Units, redress.UnitAssessment{Org: x.code, Name: x.name, AssessmentFigures: figs,
			AssessmentScore: scheme.Score(figs, false)})
	}
	if err := orgs.Err(); err != nil {
		return nil, fmt.Errorf("assessment units: %w", err)
	}
	// Every person who may handle a case in the subtree, and anyone else
	// the month's cases name (a respondent of another unit).
	ids := make([]string, 0, len(people))
	args := []any{root + "%", false}
	for id := range people {
		ids = append(ids, "?")
		args = append(args, id)
	}
	named := ""
	if len(ids) > 0 {
		named = ` OR u.id IN (` + strings.Join(ids, ", ") + `)`
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT u.id, u.login, u.name, o.code`+userFrom+`
		WHERE (o.path LIKE ? AND u.disabled = ? AND u.role IN ('staff', 'manager', 'branch_head', 'hq_service'))`+named+`
		ORDER BY o.path, u.login`, args...)
	if err != nil {
		return nil, fmt.Errorf("assessment people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p redress.PersonAssessment
		if err := rows.Scan(&id, &p.Login, &p.Name, &p.Org); err != nil {
			return nil, fmt.Errorf("assessment people: %w", err)
		}
		f := people[id]
		if f == nil {
			f = newAssessed()
		}
		p.AssessmentFigures = f.figures()
		if t := trainedPeople[id]; t != nil {
			p.Training = *t
		}
		p.AssessmentScore = scheme.Score(p.AssessmentFigures, true)
		a.People = append(a.People, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("assessment people: %w", err)
	}
	return a, nil
}

// tallyMonth sums the month's cases per person and per unit (of the case:
// its responsible unit; its complaints against: the respondent unit, or
// the responsible one when the case names none).
func (s *AssessmentService) tallyMonth(ctx context.Context, u *redress.User, org string, from, to redress.Date) (
	people, units map[int64]*assessed, err error) {
	reopen := redress.EventActionNames(redress.CaseEventAction(redress.ActionReopen))
	cols := `, COALESCE(c.handler_id, 0), COALESCE(c.respondent_staff_id, 0), COALESCE(c.respondent_org_id, c.org_id),
		COALESCE(c.accountable_staff_id, 0), c.accountability_measure,
		CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.case_no = c.no AND e.action IN (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(reopen)), ", ") + `)) THEN 1 ELSE 0 END`
	colArgs := make([]any, len(reopen))
	for i, a := range reopen {
		colArgs[i] = a
	}
	counts, err := s.db.complainantCounts(ctx, from, to)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.db.groupPeriod(ctx, u, redress.StatsQuery{Org: org}, from, to, counts, cols, colArgs)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	people, units = map[int64]*assessed{}, map[int64]*assessed{}
	of := func(m map[int64]*assessed, id int64) *assessed {
		if m[id] == nil {
			m[id] = newAssessed()
		}
		return m[id]
	}
	for rows.Next() {
		var g assessmentGroup
		if err := rows.scan(&g.statsGroup, &g.handlerID, &g.respondentStaffID, &g.respondentOrgID, &g.accountableID,
			&g.measure, &g.reopened); err != nil {
			return nil, nil, fmt.Errorf("assessment: %w", err)
		}
		upheld := 0
		if o := redress.Outcome(g.outcome); o == redress.OutcomeUpheld || o == redress.OutcomePartlyUpheld {
			upheld = g.n
		}
		unit := of(units, g.orgID)
		unit.t.add(&g.statsGroup)
		unit.reopened += g.reopened * g.n
		if g.handlerID != 0 {
			h := of(people, g.handlerID)
			h.t.add(&g.statsGroup)
			h.reopened += g.reopened * g.n
		}
		if g.respondentStaffID != 0 {
			r := of(people, g.respondentStaffID)
			r.complaints += g.n
			r.upheld += upheld
		}
		ru := of(units, g.respondentOrgID)
		ru.complaints += g.n
		ru.upheld += upheld
		if g.measure.HoldsSomeone() {
			unit.measures[g.measure] += g.n
			if g.accountableID != 0 {
				of(people, g.accountableID).measures[g.measure] += g.n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("assessment: %w", err)
	}
	return people, units, nil
}

// AssessmentScheme is the scheme in force.
func (s *AssessmentService) AssessmentScheme(ctx context.Context) (*redress.AssessmentScheme, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	return s.scheme(ctx, s.db.reads())
}

func (s *AssessmentService) scheme(ctx context.Context, q querier) (*redress.AssessmentScheme, error) {
	sc := &redress.AssessmentScheme{Weights: map[string]float64{}}
	rows, err := q.QueryContext(ctx, `SELECT item, points FROM assessment_weights`)
	if err != nil {
		return nil, fmt.Errorf("read assessment scheme: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var item string
		var w float64
		if err := rows.Scan(&item, &w); err != nil {
			return nil, fmt.Errorf("read assessment scheme: %w", err)
		}
		sc.Weights[item] = w
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read assessment scheme: %w", err)
	}
	var upheld int
	if err := q.QueryRowContext(ctx, `SELECT measure, upheld_complaint, mode, cap FROM assessment_veto WHERE id = 1`).Scan(
		&sc.Veto.Measure, &upheld, &sc.Veto.Mode, &sc.Veto.Cap); err != nil {
		return nil, fmt.Errorf("read assessment veto: %w", err)
	}
	sc.Veto.UpheldComplaint = upheld == 1
	return sc, nil
}

// SetAssessmentScheme replaces the scheme (admin only), with an audit event
// system.set_assessment_scheme recording it before and after.
func (s *AssessmentService) SetAssessmentScheme(ctx context.Context, sc redress.AssessmentScheme) (*redress.AssessmentScheme, error) {
	u, err := requireRole(ctx, "set the assessment scheme", redress.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		before, err := s.scheme(ctx, tx)
		if err != nil {
			return err
		}
		for _, item := range redress.AssessmentItems {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assessment_weights (item, points) VALUES (?, ?)
				ON CONFLICT (item) DO UPDATE SET points = excluded.points`, item, sc.Weights[item]); err != nil {
				return fmt.Errorf("save assessment weight %s: %w", item, err)
			}
		}
		upheld := 0
		if sc.Veto.UpheldComplaint {
			upheld = 1
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessment_veto SET measure = ?, upheld_complaint = ?, mode = ?, cap = ? WHERE id = 1`,
			sc.Veto.Measure, upheld, sc.Veto.Mode, sc.Veto.Cap); err != nil {
			return fmt.Errorf("save assessment veto: %w", err)
		}
		b, _ := json.Marshal(before)
		a, _ := json.Marshal(sc)
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectSystem, ""), Actor: u.Login,
			Action: "system.set_assessment_scheme", At: now,
			Changes: []redress.Change{{Field: "assessment_scheme", Before: string(b), After: string(a)}}})
	})
	if err != nil {
		return nil, wrap("set assessment scheme", err)
	}
	return &sc, nil
}
