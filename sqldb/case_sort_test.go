package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"redress"
)

// TestListSortsEveryColumnBothWays: the workbench's sortable columns
// (deadline, received, level, priority) each sort both ways, ties broken by
// id, and keyset pages of 2 walk the same order as one page of all, with
// no case twice and none left out, on both engines.
func TestListSortsEveryColumnBothWays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	prios := []redress.Priority{redress.PriorityUrgent, redress.PriorityLow, redress.PriorityHigh, redress.PriorityNormal}
	var cases []*redress.Case
	for i := range 9 {
		n := sampleCase()
		// Days repeat (1, 1, 2, 2, …) so that received, due, level and
		// priority all have ties for the id to break.
		n.ReceivedAt = time.Date(2026, 11, 1+i/2, 9, 0, 0, 0, redress.Beijing)
		n.Priority = prios[i%len(prios)]
		c, err := f.cases.CreateCase(f.as("staff.bj"), n)
		if err != nil {
			t.Fatal(err)
		}
		f.exec(t, `UPDATE cases SET level = ? WHERE id = ?`, 1+i%3, c.ID)
		c.Level = 1 + i%3
		cases = append(cases, c)
	}
	ctx := f.as("mgr.bj")
	for _, value := range redress.CaseSortValues() {
		sort, _ := redress.ParseCaseSort(value)
		t.Run(value, func(t *testing.T) {
			want := slices.Clone(cases)
			slices.SortFunc(want, func(a, b *redress.Case) int {
				c := cmp.Or(compareKey(a, b, sort.Key), cmp.Compare(a.ID, b.ID))
				if sort.Desc {
					return -c
				}
				return c
			})
			var got []string
			cursors := []string{""}
			for {
				page, err := f.cases.ListCases(ctx, redress.CaseFilter{Sort: value, Limit: 2, Cursor: cursors[len(cursors)-1]})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page.Cases {
					got = append(got, c.No)
				}
				if page.NextCursor == "" {
					break
				}
				cursors = append(cursors, page.NextCursor)
			}
			var wantNos []string
			for _, c := range want {
				wantNos = append(wantNos, c.No)
			}
			if !slices.Equal(got, wantNos) {
				t.Fatalf("pages of 2 walk\n%v\nwant\n%v", got, wantNos)
			}
			// A previous page is its cursor again (the workbench keeps the
			// cursors behind it): the second page once more is the same.
			again, err := f.cases.ListCases(ctx, redress.CaseFilter{Sort: value, Limit: 2, Cursor: cursors[1]})
			if err != nil || len(again.Cases) != 2 || again.Cases[0].No != wantNos[2] || again.Cases[1].No != wantNos[3] {
				t.Fatalf("page 2 again: %v %v", again, err)
			}
		})
	}
	// A cursor of a date sort is no cursor of a number sort.
	page, err := f.cases.ListCases(ctx, redress.CaseFilter{Sort: "due_asc", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.cases.ListCases(ctx, redress.CaseFilter{Sort: "level_desc", Limit: 2, Cursor: page.NextCursor})
	wantCode(t, err, redress.EINVALID)
}

// compareKey compares two cases by one sort column.
func compareKey(a, b *redress.Case, key redress.SortKey) int {
	switch key {
	case redress.SortDue:
		return cmp.Compare(a.DecisionDue, b.DecisionDue)
	case redress.SortLevel:
		return cmp.Compare(a.Level, b.Level)
	case redress.SortPriority:
		return cmp.Compare(redress.PriorityRank(a.Priority), redress.PriorityRank(b.Priority))
	}
	return a.ReceivedAt.Compare(b.ReceivedAt)
}

// TestPriorityIndexMatchesTheSort: the index that serves the priority order
// (migration 0042, after 0041, both engines) is on the very expression the list sorts
// by; were they to drift apart, the index would silently stop serving it.
func TestPriorityIndexMatchesTheSort(t *testing.T) {
	t.Parallel()
	want := strings.ReplaceAll(sortColumn(redress.SortPriority), "c.priority", "priority")
	for _, engine := range []string{"sqlite", "postgres"} {
		body, err := migrations.ReadFile("migrations/" + engine + "/0042_list_orders_scope.sql")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), "ON cases ("+want+", id, ") {
			t.Errorf("%s: the priority index is not on %s", engine, want)
		}
	}
}

// TestOverdueIndexMatchesTheFilter: PostgreSQL's index of the cases an
// overdue list can show (migration 0048) has the very condition overdueSQL
// writes, so that the planner can prove a list's condition implies it; and
// on PostgreSQL the overdue list in deadline order reads that index. Were
// the open statuses to change without the index, the list would silently
// fall back to the whole deadline index.
func TestOverdueIndexMatchesTheFilter(t *testing.T) {
	t.Parallel()
	body, err := migrations.ReadFile("migrations/postgres/0048_overdue_index.sql")
	if err != nil {
		t.Fatal(err)
	}
	cond, _ := overdueSQL("2026-11-20")
	want := strings.ReplaceAll(strings.TrimSuffix(cond, " AND c.decision_due < ?"), "c.", "")
	if !strings.Contains(strings.Join(strings.Fields(string(body)), " "), "WHERE "+want+";") {
		t.Fatalf("the overdue index's condition is not %q:\n%s", want, body)
	}
	f := newFixture(t)
	if f.db.dialect.name != "postgres" {
		return
	}
	ctx := context.Background()
	overdue := true
	filter := redress.CaseFilter{Overdue: &overdue, Sort: "due"}
	where, args, err := f.db.caseFilterSQL(ctx, f.users["hq.svc"], &filter)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := f.db.read.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil { // the fixture's table is tiny
		t.Fatal(err)
	}
	rows, err := tx.QueryContext(ctx, f.db.dialect.rebind(`EXPLAIN SELECT c.id FROM cases c WHERE 1 = 1`+where+caseOrder(filter.Sort)+` LIMIT ?`),
		append(args, 51)...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "cases_overdue") {
		t.Fatalf("the overdue list does not read cases_overdue:\n%s", strings.Join(plan, "\n"))
	}
}

// TestSmallUnitQueueGathersByUnit (issue 17 items 2 and 3: a sub-branch's
// queue stays fast at 1,000,000 cases): on SQLite, which keeps no
// statistics, a list of a small subtree's cases in some statuses is read by
// unit and status (cases_org_status) and sorted, not by walking the status's
// index in the list's order, which read every investigating case of the
// bank for one sub-branch's 50. A branch (a large share of the bank) and
// PostgreSQL, whose planner has statistics, keep the index order. The page
// is the same either way.
func TestSmallUnitQueueGathersByUnit(t *testing.T) {
	t.Parallel()
	f := newFixtureOf(t, "bank+220 outlets", func(admin context.Context, db *DB) error {
		orgs := NewOrgService(db)
		for i := range 220 { // a bank in which a sub-branch (two units) is under a hundredth of the units
			if _, err := orgs.CreateOrg(admin, redress.NewOrgUnit{Code: fmt.Sprintf("SH-%03d", i), Name: "上海网点",
				Kind: redress.OrgOutlet, Parent: "SH"}); err != nil {
				return err
			}
		}
		return nil
	})
	ctx := f.as("mgr.bj")
	for range 3 {
		f.act(t, "mgr.bj", f.register(t, "staff.bj"), redress.ActionRequest{Action: redress.ActionAccept})
	}
	for _, c := range []struct {
		org    string
		gather bool
	}{{"BJ-HD", f.db.dialect.name == "sqlite"}, {"BJ", false}} {
		filter := redress.CaseFilter{Org: c.org, Status: []redress.Status{redress.StatusAccepted}}
		cond, err := f.db.caseConditionsOf(ctx, f.users["mgr.bj"], &filter, true)
		if err != nil {
			t.Fatal(err)
		}
		if cond.gatherByUnit != c.gather {
			t.Errorf("%s: gathers by unit %v, want %v", c.org, cond.gatherByUnit, c.gather)
		}
		page, err := f.cases.ListCases(ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Cases) != 3 {
			t.Fatalf("%s: %d cases, want 3", c.org, len(page.Cases))
		}
		for i := 1; i < len(page.Cases); i++ {
			if a, b := page.Cases[i-1], page.Cases[i]; a.ReceivedAt.Before(b.ReceivedAt) {
				t.Errorf("%s: %s before %s, out of the newest-first order", c.org, a.No, b.No)
			}
		}
		if f.db.dialect.name != "sqlite" {
			continue
		}
		plan := sqlitePlan(t, f.db, `SELECT c.id FROM cases c WHERE 1 = 1`+cond.where+listOrder(filter.Sort, cond)+` LIMIT 51`, cond.args...)
		if uses := strings.Contains(plan, "cases_org_status"); uses != c.gather {
			t.Errorf("%s: the plan reads cases_org_status: %v, want %v:\n%s", c.org, uses, c.gather, plan)
		}
	}
}

// sqlitePlan is SQLite's EXPLAIN QUERY PLAN of a query, one step a line.
func sqlitePlan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.reads().QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var step string
		if err := rows.Scan(&id, &parent, &unused, &step); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, step)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
