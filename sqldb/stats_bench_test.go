package sqldb

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"redress"
)

// BenchmarkStatsDataset times the statistics on a kept benchmark dataset
// (cmd/bench), as its head-office user asks them: the month and the
// quarter of the bench, the quarter's JR/T form, the month's assessment,
// the unit queue of a sub-branch's manager (unitqueue) and the read half of
// the export of every case (casesheet). It runs only when REDRESS_STATS_DSN names the database (a
// copy: the store may migrate it) and REDRESS_STATS_KEY its key file; it
// reports the CPU time of this process and, on PostgreSQL, of the
// cluster's processes per request (every process named postgres, or only
// the children of the postmaster whose process id is
// REDRESS_STATS_POSTMASTER). With
// REDRESS_STATS_DUMP set to a directory, it writes each answer there as
// JSON, to compare two versions' figures.
func BenchmarkStatsDataset(b *testing.B) {
	dsn, keyPath := os.Getenv("REDRESS_STATS_DSN"), os.Getenv("REDRESS_STATS_KEY")
	if dsn == "" || keyPath == "" {
		b.Skip("REDRESS_STATS_DSN and REDRESS_STATS_KEY name a benchmark dataset")
	}
	kf, err := os.Open(keyPath)
	if err != nil {
		b.Fatal(err)
	}
	keys, err := redress.ReadKeyFile(kf)
	kf.Close()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := Open(ctx, dsn, keys, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC) } // the dataset's day
	hq, err := db.userByLogin(ctx, db.reads(), "user", "hq.svc1")                     // the bench's head office
	if err != nil {
		b.Fatal(err)
	}
	asHQ := redress.WithUser(ctx, hq)
	stats, reports, assessment, exports := NewStatsService(db), NewReportService(db), NewAssessmentService(db), NewExportService(db)
	// The unit queue as the bench asks it: the first sub-branch manager's
	// own unit's cases under investigation, newest first.
	var managerLogin, unitCode string
	if err := db.reads().QueryRowContext(ctx, `SELECT u.login, o.code FROM users u JOIN org_units o ON o.id = u.org_id
		WHERE u.role = ? AND o.path LIKE '/%/%/%/' AND o.path NOT LIKE '/%/%/%/%/' ORDER BY u.id LIMIT 1`, redress.RoleManager).Scan(&managerLogin, &unitCode); err != nil {
		b.Fatal(err)
	}
	manager, err := db.userByLogin(ctx, db.reads(), "user", managerLogin)
	if err != nil {
		b.Fatal(err)
	}
	cases := NewCaseService(db)
	postgres := strings.HasPrefix(dsn, "postgres")
	for _, c := range []struct {
		name string
		run  func() (any, error)
	}{
		{"month", func() (any, error) {
			return stats.Stats(asHQ, redress.StatsQuery{From: "2026-10-01", To: "2026-10-31"})
		}},
		{"quarter", func() (any, error) {
			return stats.Stats(asHQ, redress.StatsQuery{From: "2026-07-01", To: "2026-09-30"})
		}},
		{"jrt", func() (any, error) {
			return reports.JRT(asHQ, redress.ReportQuery{From: "2026-07-01", To: "2026-09-30"})
		}},
		{"assessment", func() (any, error) {
			return assessment.Assessment(asHQ, redress.AssessmentQuery{Month: "2026-10"})
		}},
		{"unitqueue", func() (any, error) {
			return cases.ListCases(redress.WithUser(ctx, manager), redress.CaseFilter{Org: unitCode,
				Status: []redress.Status{redress.StatusInvestigating}, Limit: 50})
		}},
		{"casesheet", func() (any, error) { // the read half of the export of every case, 2,000 rows a page
			rows, cursor := 0, ""
			for {
				page, err := exports.CaseSheet(asHQ, redress.CaseFilter{Cursor: cursor})
				if err != nil {
					return nil, err
				}
				rows += len(page.Rows)
				if cursor = page.NextCursor; cursor == "" {
					return map[string]int{"rows": rows}, nil
				}
			}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			out, err := c.run() // warm, and the answer to dump
			if err != nil {
				b.Fatal(err)
			}
			if dir := os.Getenv("REDRESS_STATS_DUMP"); dir != "" {
				data, err := json.MarshalIndent(out, "", " ")
				if err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, c.name+".json"), data, 0o644); err != nil {
					b.Fatal(err)
				}
			}
			own, server := processCPU(), time.Duration(0)
			if postgres {
				server = postgresCPU()
			}
			b.ResetTimer()
			for range b.N {
				if _, err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(processCPU()-own)/float64(b.N)/1e6, "go-cpu-ms/op")
			if postgres {
				b.ReportMetric(float64(postgresCPU()-server)/float64(b.N)/1e6, "pg-cpu-ms/op")
			}
		})
	}
}

// processCPU is the user and system time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresCPU is the user and system time so far of every process named
// postgres (the children of REDRESS_STATS_POSTMASTER when set), from /proc,
// in clock ticks of 10 ms.
func postgresCPU() time.Duration {
	parent := os.Getenv("REDRESS_STATS_POSTMASTER")
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, path := range dirs {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		s := string(data)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open || s[open+1:close] != "postgres" {
			continue
		}
		fields := strings.Fields(s[close+1:])
		if len(fields) < 13 || parent != "" && fields[1] != parent {
			continue
		}
		utime, _ := strconv.ParseInt(fields[11], 10, 64)
		stime, _ := strconv.ParseInt(fields[12], 10, 64)
		ticks += utime + stime
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}
