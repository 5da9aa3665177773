package sqldb

import (
	"context"
	"fmt"
	"time"

	"redress"
)

// StatsService computes statistics over the cases in scope.
type StatsService struct{ db *DB }

// NewStatsService returns the statistics service of db.
func NewStatsService(db *DB) *StatsService { return &StatsService{db: db} }

var _ redress.StatsService = (*StatsService)(nil)

// Stats counts the cases received in a period with one grouped pass over
// the period's rows (the received_at index bounds it): every count is a
// GROUP BY of the same WHERE.
func (s *StatsService) Stats(ctx context.Context, q redress.StatsQuery) (*redress.Stats, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	f := redress.CaseFilter{ReceivedFrom: q.From, ReceivedTo: q.To, Org: q.Org}
	where, args, err := s.db.caseFilterSQL(ctx, u, &f)
	if err != nil {
		return nil, err
	}
	st := &redress.Stats{From: q.From, To: q.To, Org: q.Org, ByStatus: map[redress.Status]int{}, ByKind: map[redress.Kind]int{},
		ByChannel: map[redress.Channel]int{}, ByCodeB: map[string]int{}, BySatisfaction: map[string]int{},
		RegulatorBySource: map[redress.RegulatorSource]int{}}
	// One row per combination; the combinations are few (statuses × kinds × ...),
	// so grouping in SQL and summing in Go reads the period once.
	overdue, overdueArgs := overdueSQL(redress.Today(s.db.now()))
	rows, err := s.db.reads().QueryContext(ctx, `SELECT c.status, c.kind, c.channel, COALESCE(c.code_b, ''),
		c.outcome, c.satisfaction,
		CASE WHEN c.closed_at IS NULL THEN -1 ELSE `+s.db.dialect.daysBetween("c.received_at", "c.closed_at")+` END,
		CASE WHEN `+overdue+` THEN 1 ELSE 0 END,
		CASE WHEN c.regulator_ref <> '' THEN 1 ELSE 0 END,
		c.regulator_source, c.regulator_finding,
		COUNT(*), COALESCE(SUM(c.redress_fen), 0)
		FROM cases c WHERE 1 = 1`+where+` GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`, append(overdueArgs, args...)...)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	var redressFen int64
	for rows.Next() {
		var status redress.Status
		var kind redress.Kind
		var channel redress.Channel
		var codeB, outcome, satisfaction string
		var days, overdue, regulator, n int
		var fen int64
		var source redress.RegulatorSource
		var finding redress.RegulatorFinding
		if err := rows.Scan(&status, &kind, &channel, &codeB, &outcome, &satisfaction, &days, &overdue, &regulator,
			&source, &finding, &n, &fen); err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
		st.Received += n
		st.ByStatus[status] += n
		st.ByKind[kind] += n
		st.ByChannel[channel] += n
		if codeB != "" {
			st.ByCodeB[codeB] += n
		}
		if satisfaction != "" {
			st.BySatisfaction[satisfaction] += n
		}
		if status == redress.StatusClosed {
			st.Closed += n
			if days >= 0 && days <= 15 {
				st.ClosedIn15 += n
			}
			if days >= 0 && days <= 30 {
				st.ClosedIn30 += n
			}
			if days >= 0 && days <= 60 {
				st.ClosedIn60 += n
			}
		}
		switch redress.Outcome(outcome) {
		case redress.OutcomeUpheld:
			st.Upheld += n
		case redress.OutcomePartlyUpheld:
			st.PartlyUpheld += n
		}
		st.OpenOverdue += overdue * n
		st.Regulator += regulator * n
		if channel == redress.ChannelRegulator {
			countRegulator(st, source, finding, n)
		}
		redressFen += fen
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	st.RedressPaid = redress.FormatAmount(redressFen)
	if st.Reviews, err = s.reviewStats(ctx, u, q); err != nil { // review.go
		return nil, err
	}
	st.Took = time.Since(start)
	return st, nil
}

// countRegulator counts n cases the regulator forwarded through source with
// the regulator's finding (valid, invalid, or none yet).
func countRegulator(st *redress.Stats, source redress.RegulatorSource, finding redress.RegulatorFinding, n int) {
	st.RegulatorBySource[source] += n
	switch finding {
	case redress.FindingValid:
		st.RegulatorValid += n
	case redress.FindingInvalid:
		st.RegulatorInvalid += n
	default:
		st.RegulatorNoFinding += n
	}
}
