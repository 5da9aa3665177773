package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"redress"
)

// UnitReportService keeps the units' monthly reports to their superiors
// (redress.UnitReportService). A report's figures are the statistics
// engine's (StatsService.Stats of the month for the unit), frozen as JSON.
type UnitReportService struct {
	db    *DB
	stats *StatsService
}

// NewUnitReportService returns the unit report service of db.
func NewUnitReportService(db *DB) *UnitReportService {
	return &UnitReportService{db: db, stats: NewStatsService(db)}
}

var _ redress.UnitReportService = (*UnitReportService)(nil)

// SubmitUnitReport freezes the month's statistics of the head's unit.
func (s *UnitReportService) SubmitUnitReport(ctx context.Context, month string) (*redress.UnitReport, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MaySubmitUnitReport(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not submit the unit's report: its head does", u.Role)
	}
	now := s.db.now()
	if err := redress.ReportableMonth(month, redress.DateOf(now.In(redress.Beijing))); err != nil {
		return nil, err
	}
	from, to, _ := redress.PeriodOf(redress.PeriodMonth, month) // checked
	st, err := s.stats.Stats(ctx, redress.StatsQuery{From: from.String(), To: to.String(), Org: u.OrgCode})
	if err != nil {
		return nil, err
	}
	snapshot, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("unit report: %w", err)
	}
	err = s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO unit_reports (org_id, month, snapshot, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?)`,
			u.OrgID, month, string(snapshot), u.Login, timeText(now))
		if s.db.dialect.isUnique(err) {
			return redress.Errorf(redress.ECONFLICT, "the report of %s for %s is already submitted", u.OrgCode, month)
		}
		if err != nil {
			return fmt.Errorf("submit unit report: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectOrg, u.OrgCode), Actor: u.Login,
			Action: "org.submit_report", At: now, Detail: fmt.Sprintf("month %s, %d cases received", month, st.Received)})
	})
	if err != nil {
		return nil, wrap("submit unit report", err)
	}
	at := now.In(redress.Beijing)
	return &redress.UnitReport{Org: u.OrgCode, Month: month, Submitted: true, SubmittedBy: u.Login, SubmittedAt: &at, Snapshot: st}, nil
}

// UnitReports lists the caller's unit and the units directly under it,
// each with its report of the month or missing.
func (s *UnitReportService) UnitReports(ctx context.Context, month string) ([]redress.UnitReport, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, err := redress.PeriodOf(redress.PeriodMonth, month); err != nil {
		var p redress.Problems
		p.AddKey("month", redress.ProblemOneOf, "YYYY-MM")
		return nil, p.Err()
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT o.code, o.name, COALESCE(r.submitted_by, ''), COALESCE(r.submitted_at, '')
		FROM org_units o LEFT JOIN unit_reports r ON r.org_id = o.id AND r.month = ?
		WHERE o.id = ? OR o.parent_id = ? ORDER BY o.path`, month, u.OrgID, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("unit reports: %w", err)
	}
	defer rows.Close()
	var out []redress.UnitReport
	for rows.Next() {
		r := redress.UnitReport{Month: month}
		var at string
		if err := rows.Scan(&r.Org, &r.Name, &r.SubmittedBy, &at); err != nil {
			return nil, fmt.Errorf("unit reports: %w", err)
		}
		if at != "" {
			t, err := parseTime(at)
			if err != nil {
				return nil, err
			}
			t = t.In(redress.Beijing)
			r.Submitted, r.SubmittedAt = true, &t
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unit reports: %w", err)
	}
	return out, nil
}

// UnitReport reads one unit's submitted report with its snapshot.
func (s *UnitReportService) UnitReport(ctx context.Context, org, month string) (*redress.UnitReport, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.db.orgByCode(ctx, s.db.reads(), "org", org)
	if err != nil {
		return nil, err
	}
	notFound := redress.Errorf(redress.ENOTFOUND, "no report of %s for %s", org, month)
	if !redress.InSubtree(o.Path, u.OrgPath) {
		return nil, notFound
	}
	r := &redress.UnitReport{Org: o.Code, Name: o.Name, Month: month, Submitted: true}
	var snapshot, at string
	err = s.db.reads().QueryRowContext(ctx, `SELECT snapshot, submitted_by, submitted_at FROM unit_reports WHERE org_id = ? AND month = ?`,
		o.ID, month).Scan(&snapshot, &r.SubmittedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("unit report: %w", err)
	}
	t, err := parseTime(at)
	if err != nil {
		return nil, err
	}
	t = t.In(redress.Beijing)
	r.SubmittedAt, r.Snapshot = &t, &redress.Stats{}
	if err := json.Unmarshal([]byte(snapshot), r.Snapshot); err != nil {
		return nil, fmt.Errorf("unit report %s %s: %w", org, month, err)
	}
	return r, nil
}
