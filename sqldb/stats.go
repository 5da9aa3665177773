package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"redress"
)

// StatsService computes statistics over the cases in scope.
type StatsService struct{ db *DB }

// NewStatsService returns the statistics service of db.
func NewStatsService(db *DB) *StatsService { return &StatsService{db: db} }

var _ redress.StatsService = (*StatsService)(nil)

// Stats counts the cases received in a period, and the same counts for the
// prior period and the same period last year beside them: one grouped pass
// over each period's rows (the received_at index bounds it), summed in Go
// into the totals, the breakdowns and each child unit's figures (tally), so
// every figure has one computation. The trend and the reviews are a query
// each.
func (s *StatsService) Stats(ctx context.Context, q redress.StatsQuery) (*redress.Stats, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	from, _ := redress.ParseDate(q.From) // validated
	to, _ := redress.ParseDate(q.To)
	cur, units, err := s.tallyPeriod(ctx, u, q, from, to)
	if err != nil {
		return nil, err
	}
	pf, pt := redress.PriorPeriod(from, to)
	prior, priorUnits, err := s.tallyPeriod(ctx, u, q, pf, pt)
	if err != nil {
		return nil, err
	}
	lf, lt := redress.SamePeriodLastYear(from, to)
	lastYear, lastYearUnits, err := s.tallyPeriod(ctx, u, q, lf, lt)
	if err != nil {
		return nil, err
	}

	st := cur.stats()
	st.From, st.To, st.Org = q.From, q.To, q.Org
	st.Prior, st.LastYear = prior.totals(pf, pt), lastYear.totals(lf, lt)
	st.Breakdowns = map[string][]redress.Figure{}
	for name, counts := range cur.breakdowns {
		st.Breakdowns[name] = redress.Figures(counts, prior.breakdowns[name], lastYear.breakdowns[name], cur.received)
	}
	tree, err := s.unitTree(ctx, u, q.Org)
	if err != nil {
		return nil, err
	}
	st.Units = tree.stats(units, cur.received)
	st.Breakdowns["unit"] = redress.Figures(unitCounts(st.Units), unitCounts(tree.stats(priorUnits, prior.received)),
		unitCounts(tree.stats(lastYearUnits, lastYear.received)), cur.received)
	st.TrendBy = q.Trend
	if st.TrendBy == "" {
		st.TrendBy = redress.DefaultTrend(from, to)
	}
	if st.Trend, err = s.trend(ctx, u, q, from, to, st.TrendBy); err != nil {
		return nil, err
	}
	if st.Reviews, err = s.reviewStats(ctx, u, q); err != nil { // review.go
		return nil, err
	}
	st.Took = time.Since(start)
	return st, nil
}

// statsColumns are what a period's cases are grouped by: every attribute a
// figure counts. The day counts are -1 when they do not apply; the on-time
// flags are 1 (kept), 0 (missed) or -1 (the clock has not ended). The
// repeat columns (redress repeat.go) identify a complainant by the blind
// index of the ID number, else of the phone, else of the account: whether
// they had an earlier case, whether one of those was closed before this
// one came in (a probe of each blind index, index-only: migration 0039),
// and how many cases they brought in the period [start, end) (bank-wide;
// 1 for a case with none of the three), read from the period's
// repeat_keys (statsRepeatKeys: the with, before SELECT, and the join,
// after FROM cases c).
func (db *DB) statsColumns(today string, start, end time.Time) (with, cols, join string, withArgs, colArgs []any) {
	overdue, overdueArgs := overdueSQL(today)
	open, openArgs := statusIn("c.status", redress.OpenStatuses)
	d := db.dialect
	with, withArgs = statsRepeatKeys(start, end)
	cols = `c.status, c.kind, c.channel, COALESCE(c.code_a, ''), COALESCE(c.code_b, ''), COALESCE(c.code_c, ''),
		COALESCE(c.root_cause_code, ''), c.outcome, c.satisfaction,
		CASE WHEN c.closed_at IS NULL THEN -1 ELSE ` + d.daysBetween("c.received_at", "c.closed_at") + ` END,
		CASE WHEN ` + overdue + ` THEN 1 ELSE 0 END,
		CASE WHEN c.regulator_ref <> '' THEN 1 ELSE 0 END, c.regulator_source, c.regulator_finding,
		CASE WHEN c.level >= 3 THEN 1 ELSE 0 END,
		CASE WHEN c.repeat_kept = 1 OR ` + earlierCase("p.received_at < c.received_at") + ` THEN 1 ELSE 0 END,
		CASE WHEN c.reply_due = '' THEN -1
			WHEN c.reply_satisfied_at IS NOT NULL THEN CASE WHEN ` + d.beijingDate("c.reply_satisfied_at") + ` <= c.reply_due THEN 1 ELSE 0 END
			WHEN ` + open + ` AND c.reply_due < ? THEN 0 ELSE -1 END,
		CASE WHEN c.decision_due = '' THEN -1
			WHEN c.replied_at IS NOT NULL THEN CASE WHEN ` + d.beijingDate("c.replied_at") + ` <= c.decision_due THEN 1 ELSE 0 END
			WHEN ` + overdue + ` THEN 0 ELSE -1 END,
		CASE WHEN c.replied_at IS NULL THEN -1 ELSE ` + d.daysBetween("c.received_at", "c.replied_at") + ` END,
		c.org_id, c.return_visit_status, c.return_visit_satisfaction,
		CASE WHEN ` + earlierCase("p.closed_at IS NOT NULL AND p.closed_at < c.received_at") + ` THEN 1 ELSE 0 END,
		COALESCE(rk.cases, 1)`
	join = ` LEFT JOIN repeat_keys rk ON rk.k = ` + complainantKey("c")
	colArgs = append(append(append(append([]any{}, overdueArgs...), openArgs...), today), overdueArgs...)
	return with, cols, join, withArgs, colArgs
}

// statsRepeatKeys is the table repeat_keys of the complainants
// (complainantKey) with two or more cases received in [start, end),
// bank-wide, and how many: one aggregate over the period's cases instead
// of a count per case (which, on the phone and the account, SQLite without
// ANALYZE's statistics ran through the index of the ID number, every case
// without one: 26 s of CPU for a month of the 100,000-case bench).
func statsRepeatKeys(start, end time.Time) (string, []any) {
	return `WITH repeat_keys (k, cases) AS (SELECT ` + complainantKey("x") + `, COUNT(*) FROM cases x
			WHERE x.received_at >= ? AND x.received_at < ? GROUP BY 1 HAVING COUNT(*) > 1)`,
		[]any{timeText(start), timeText(end)}
}

// complainantKey is the SQL key of the complainant of the case t: the
// blind index of the ID number, else of the phone, else of the account,
// marked by which it is; NULL when the case has none of the three.
func complainantKey(t string) string {
	return `CASE WHEN ` + t + `.c_id_number_idx <> '' THEN 'i' || ` + t + `.c_id_number_idx
		WHEN ` + t + `.c_phone_idx <> '' THEN 'p' || ` + t + `.c_phone_idx
		WHEN ` + t + `.c_account_idx <> '' THEN 'a' || ` + t + `.c_account_idx END`
}

// earlierCase is the SQL condition that the case c's complainant (the same
// ID number, phone or account: the blind indexes) has another case p
// meeting cond.
func earlierCase(cond string) string {
	var ors []string
	for _, col := range []string{"c_id_number_idx", "c_phone_idx", "c_account_idx"} {
		ors = append(ors, `(c.`+col+` <> '' AND EXISTS (SELECT 1 FROM cases p WHERE p.`+col+` = c.`+col+` AND p.id <> c.id AND `+cond+`))`)
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// targets are where the statsColumns of a row are scanned to, in order.
func (g *statsGroup) targets() []any {
	return []any{&g.status, &g.kind, &g.channel, &g.codeA, &g.codeB, &g.codeC, &g.rootCause, &g.outcome, &g.satisfaction,
		&g.closedDays, &g.overdue, &g.regulator, &g.source, &g.finding, &g.escalated, &g.repeat,
		&g.replyOnTime, &g.decisionOnTime, &g.decisionDays, &g.orgID, &g.visitStatus, &g.visitSatisfaction,
		&g.afterClosed, &g.complainantCases}
}

// tallyPeriod sums the cases received from–to in scope (and in q's unit's
// subtree, of q's kind): the whole, and per unit of the case.
func (s *StatsService) tallyPeriod(ctx context.Context, u *redress.User, q redress.StatsQuery, from, to redress.Date) (*tally, map[int64]*tally, error) {
	rows, err := s.db.groupPeriod(ctx, u, q, from, to, "", nil)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	total, units := newTally(), map[int64]*tally{}
	for rows.Next() {
		var g statsGroup
		if err := rows.Scan(append(g.targets(), &g.n, &g.fen)...); err != nil {
			return nil, nil, fmt.Errorf("stats: %w", err)
		}
		total.add(&g)
		if units[g.orgID] == nil {
			units[g.orgID] = newTally()
		}
		units[g.orgID].add(&g)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("stats: %w", err)
	}
	return total, units, nil
}

// groupPeriod runs the one pass over the cases received from–to in scope
// (and in q's unit's subtree, of q's kind): the statsColumns, then more
// columns (with their arguments), then the count (1) and the redress paid of
// each case. It is a row per case, not a GROUP BY: the day counts among the
// columns make nearly every case a group of its own (13,742 groups of 13,752
// cases in a quarter of the bench's bank), so grouping only added a sort of
// every row on all its columns, half the pass's time; tally sums the rows in Go.
func (db *DB) groupPeriod(ctx context.Context, u *redress.User, q redress.StatsQuery, from, to redress.Date,
	moreCols string, moreArgs []any) (*sql.Rows, error) {
	f := redress.CaseFilter{ReceivedFrom: from.String(), ReceivedTo: to.String(), Org: q.Org, Kind: q.Kind}
	where, args, err := db.caseFilterSQL(ctx, u, &f)
	if err != nil {
		return nil, err
	}
	start, end, _ := redress.DayRange(from.String(), to.String()) // valid dates
	with, cols, join, withArgs, colArgs := db.statsColumns(redress.Today(db.now()), start, end)
	rows, err := db.reads().QueryContext(ctx, with+` SELECT `+cols+moreCols+`, 1, COALESCE(c.redress_fen, 0)
		FROM cases c`+join+` WHERE 1 = 1`+where, append(append(append(withArgs, colArgs...), moreArgs...), args...)...)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return rows, nil
}

// unitTree is the asked unit's children (the caller's own unit when none
// is asked; the unit itself when it has no children) and every unit with
// its path, to sum the tallies per case unit into each child's subtree.
type unitTree struct {
	children []orgRef
	all      []orgRef
}

// orgRef is a unit as the statistics name it.
type orgRef struct {
	id               int64
	code, name, path string
}

func (s *StatsService) unitTree(ctx context.Context, u *redress.User, org string) (*unitTree, error) {
	rows, err := s.db.reads().QueryContext(ctx, `SELECT id, code, name, path FROM org_units ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("stats by unit: %w", err)
	}
	defer rows.Close()
	tree := &unitTree{}
	rootPath := u.OrgPath
	for rows.Next() {
		var x orgRef
		if err := rows.Scan(&x.id, &x.code, &x.name, &x.path); err != nil {
			return nil, fmt.Errorf("stats by unit: %w", err)
		}
		if org != "" && x.code == org {
			rootPath = x.path
		}
		tree.all = append(tree.all, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats by unit: %w", err)
	}
	for _, x := range tree.all {
		if rest, ok := strings.CutPrefix(x.path, rootPath); ok && rest != "" && strings.Count(rest, "/") == 1 {
			tree.children = append(tree.children, x)
		}
	}
	if len(tree.children) == 0 {
		for _, x := range tree.all {
			if x.path == rootPath {
				tree.children = append(tree.children, x)
			}
		}
	}
	return tree, nil
}

// stats gives each child the figures of its subtree, from the tallies per
// case unit, its share of received.
func (tree *unitTree) stats(byOrg map[int64]*tally, received int) []redress.UnitStats {
	out := make([]redress.UnitStats, 0, len(tree.children))
	for _, ch := range tree.children {
		t := newTally()
		for _, x := range tree.all {
			if sub := byOrg[x.id]; sub != nil && strings.HasPrefix(x.path, ch.path) {
				t.merge(sub)
			}
		}
		out = append(out, t.unit(ch.code, ch.name, received))
	}
	return out
}

// unitCounts are the cases received per unit, for the breakdown by unit.
func unitCounts(units []redress.UnitStats) map[string]int {
	out := make(map[string]int, len(units))
	for _, us := range units {
		out[us.Org] = us.Received
	}
	return out
}

// trend counts the cases received per Beijing day from–to, summed into the
// buckets of by.
func (s *StatsService) trend(ctx context.Context, u *redress.User, q redress.StatsQuery, from, to redress.Date, by string) ([]redress.TrendPoint, error) {
	f := redress.CaseFilter{ReceivedFrom: from.String(), ReceivedTo: to.String(), Org: q.Org, Kind: q.Kind}
	where, args, err := s.db.caseFilterSQL(ctx, u, &f)
	if err != nil {
		return nil, err
	}
	day := s.db.dialect.beijingDate("c.received_at")
	rows, err := s.db.reads().QueryContext(ctx, `SELECT `+day+`, COUNT(*) FROM cases c WHERE 1 = 1`+where+` GROUP BY 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("stats trend: %w", err)
	}
	defer rows.Close()
	byDay := map[string]int{}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, fmt.Errorf("stats trend: %w", err)
		}
		byDay[d] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats trend: %w", err)
	}
	return redress.Trend(byDay, from, to, by), nil
}
