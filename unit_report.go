package redress

import (
	"context"
	"time"
)

// UnitReport is a unit's monthly report to its superior (统计、分析、上报
// 客户投诉处理情况: the bank's complaint rules, seed 002 Art.4; CBIRC Order
// 2020 No.3 Art.26): the statistics of the month for the unit's subtree,
// frozen as the unit's head submitted them. Head office (any unit, for the
// units under it) sees each unit's report as submitted or missing.
type UnitReport struct {
	Org         string     `json:"org"`
	Name        string     `json:"name"`
	Month       string     `json:"month"` // YYYY-MM
	Submitted   bool       `json:"submitted"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	// Snapshot is the statistics as submitted (nil in a list, and while
	// missing): the engine's figures of that moment, never recomputed.
	Snapshot *Stats `json:"snapshot,omitempty"`
}

// MaySubmitUnitReport reports whether a role submits its unit's monthly
// report: the unit's head (负责人), the person the rules make responsible.
func MaySubmitUnitReport(r Role) bool { return r == RoleBranchHead }

// ReportableMonth checks a month a report is submitted for: a month
// (YYYY-MM) that has ended by today (Beijing), so its figures are whole.
func ReportableMonth(month string, today Date) error {
	_, to, err := PeriodOf(PeriodMonth, month)
	if err != nil {
		var p Problems
		p.AddKey("month", ProblemOneOf, "YYYY-MM")
		return p.Err()
	}
	if !to.Before(today) {
		var p Problems
		p.Add("month", "has not ended yet")
		return p.Err()
	}
	return nil
}

// UnitReportService keeps the units' monthly reports to their superiors.
type UnitReportService interface {
	// SubmitUnitReport freezes the statistics of a month that has ended
	// for the caller's unit, with who and when, and an audit event
	// org.submit_report. The unit's head only; once per unit and month.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ECONFLICT.
	SubmitUnitReport(ctx context.Context, month string) (*UnitReport, error)
	// UnitReports lists, for a month, the caller's unit and each unit
	// directly under it, submitted or missing (without snapshots). Case
	// readers only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	UnitReports(ctx context.Context, month string) ([]UnitReport, error)
	// UnitReport is one unit's report of a month with its snapshot; a unit
	// outside the caller's scope, or a report not submitted, is not found.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ENOTFOUND.
	UnitReport(ctx context.Context, org, month string) (*UnitReport, error)
}
