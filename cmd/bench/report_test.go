package main

import (
	"strings"
	"testing"
	"time"
)

// TestReportHasTheIssueTargets (issue 12 item 7: make bench adds the
// monthly statistics, the quarterly form and the streaming export, with
// their targets): each engine's table has a row for the monthly and
// quarterly statistics and the quarterly JR/T form (max under 1 s on
// SQLite, 2 s on PostgreSQL) and for each export (rows/s and peak RSS).
func TestReportHasTheIssueTargets(t *testing.T) {
	t.Parallel()
	slow := &result{latencies: []time.Duration{1500 * time.Millisecond}}
	rep := &report{cfg: &config{size: 1000}}
	for _, engine := range []string{"sqlite", "postgres"} {
		e := &engineResult{engine: engine}
		for _, name := range []string{mStats, mQuarter, mJRT} {
			e.measures = append(e.measures, &measurement{name: name, res: slow})
		}
		for _, name := range []string{mExportCSV, mExportXLSX} {
			e.measures = append(e.measures, &measurement{name: name, res: &result{}, rowsPerSec: 25000, peakRSS: 100 << 20})
		}
		rep.engines = append(rep.engines, e)
	}
	rows, _ := rep.lines()
	got := map[string]line{}
	for _, l := range rows {
		got[l.engine+" "+l.name] = l
	}
	for key, want := range map[string]string{
		"sqlite " + mJRT: "max < 1 s NO", "postgres " + mJRT: "max < 2 s yes", "sqlite " + mStats: "max < 1 s NO",
		"postgres " + mQuarter: "max < 2 s yes", "sqlite " + mExportXLSX: "≥ 20,000 rows/s, RSS < 150 MB yes",
	} {
		l, ok := got[key]
		if !ok {
			t.Errorf("no row %q", key)
			continue
		}
		if have := l.target + " " + strings.Fields(l.met)[0]; have != strings.Replace(want, " NO", " NO:", 1) {
			t.Errorf("%s: %q, want %q", key, have, want)
		}
	}
}
