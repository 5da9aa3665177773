package redress

import (
	"testing"
	"time"
)

// TestExportJobLimitsAdmit_Item5 (issue 12 item 5: a bounded number of
// jobs at once per user and overall, a clear 429 beyond).
func TestExportJobLimitsAdmit_Item5(t *testing.T) {
	t.Parallel()
	l := ExportJobLimits{PerUser: 2, Total: 4, Keep: time.Hour}
	for _, tc := range []struct {
		mine, all int
		want      string
	}{
		{0, 0, ""}, {1, 3, ""}, {2, 2, ETOOMANY}, {0, 4, ETOOMANY}, {1, 5, ETOOMANY},
	} {
		if got := ErrorCode(l.Admit(tc.mine, tc.all)); got != tc.want {
			t.Errorf("Admit(%d, %d) = %q, want %q", tc.mine, tc.all, got, tc.want)
		}
	}
}

// TestExportJobPercent_Item5: the progress bar's share.
func TestExportJobPercent_Item5(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		j    ExportJob
		want int
	}{
		{ExportJob{State: JobRunning, Rows: 0, Total: 0}, 0},
		{ExportJob{State: JobRunning, Rows: 50, Total: 200}, 25},
		{ExportJob{State: JobRunning, Rows: 200, Total: 200}, 99}, // the file is not closed yet
		{ExportJob{State: JobDone, Rows: 3, Total: 0}, 100},
		{ExportJob{State: JobFailed, Rows: 3, Total: 6}, 50},
	} {
		if got := tc.j.Percent(); got != tc.want {
			t.Errorf("%+v: %d, want %d", tc.j, got, tc.want)
		}
	}
	if id := NewExportJobID(); !ValidExportJobID(id) || ValidExportJobID(id[:31]) || ValidExportJobID("../"+id[3:]) || NewExportJobID() == id {
		t.Errorf("job IDs: %s", id)
	}
}
