package redress

import (
	"errors"
	"testing"
)

// TestReportableMonth_Seed002Art4 (seed 002 Art.4: 统计、分析、上报, by the
// unit's head): a month is reported once it has ended; a malformed one is
// refused on "month"; only the head submits.
func TestReportableMonth_Seed002Art4(t *testing.T) {
	t.Parallel()
	today := NewDate(2026, 12, 1)
	for month, ok := range map[string]bool{"2026-11": true, "2025-12": true, "2026-12": false, "2027-01": false, "2026-13": false, "x": false} {
		err := ReportableMonth(month, today)
		if (err == nil) != ok {
			t.Errorf("ReportableMonth(%s) = %v, want ok %v", month, err, ok)
		}
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.Fields["month"] == "") {
			t.Errorf("ReportableMonth(%s) does not name the month: %v", month, err)
		}
	}
	if ReportableMonth("2026-11", NewDate(2026, 11, 30)) == nil {
		t.Errorf("November is reported on its last day")
	}
	for _, r := range Roles {
		if MaySubmitUnitReport(r) != (r == RoleBranchHead) {
			t.Errorf("MaySubmitUnitReport(%s)", r)
		}
	}
}
