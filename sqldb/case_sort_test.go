package sqldb

import (
	"cmp"
	"context"
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
