package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"hash/maphash"
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

// statsColumns are what each case of a period is read with: every
// attribute a figure counts, all held by the index cases_stats (migration
// 0045), so the pass never reads a case's row. The day counts are -1 when
// they do not apply; the on-time flags are 1 (kept), 0 (missed) or -1 (the
// clock has not ended). The repeat columns (redress repeat.go) are whether
// the complainant had an earlier case, and one closed before this one came
// in (the flags written with the case: migration 0044, repeat_flags.go),
// and the complainant's key, to count their cases in the period
// (complainantCounts).
func (db *DB) statsColumns(today string) (cols string, args []any) {
	overdue, overdueArgs := overdueSQL(today)
	open, openArgs := statusIn("c.status", redress.OpenStatuses)
	d := db.dialect
	cols = `c.status, c.kind, c.channel, COALESCE(c.code_a, ''), COALESCE(c.code_b, ''), COALESCE(c.code_c, ''),
		COALESCE(c.root_cause_code, ''), c.outcome, c.satisfaction,
		CASE WHEN c.closed_at IS NULL THEN -1 ELSE ` + d.daysBetween("c.received_at", "c.closed_at") + ` END,
		CASE WHEN ` + overdue + ` THEN 1 ELSE 0 END,
		CASE WHEN c.regulator_ref <> '' THEN 1 ELSE 0 END, c.regulator_source, c.regulator_finding,
		CASE WHEN c.level >= 3 THEN 1 ELSE 0 END,
		c.repeat_prior,
		CASE WHEN c.reply_due = '' THEN -1
			WHEN c.reply_satisfied_at IS NOT NULL THEN CASE WHEN ` + d.beijingDate("c.reply_satisfied_at") + ` <= c.reply_due THEN 1 ELSE 0 END
			WHEN ` + open + ` AND c.reply_due < ? THEN 0 ELSE -1 END,
		CASE WHEN c.decision_due = '' THEN -1
			WHEN c.replied_at IS NOT NULL THEN CASE WHEN ` + d.beijingDate("c.replied_at") + ` <= c.decision_due THEN 1 ELSE 0 END
			WHEN ` + overdue + ` THEN 0 ELSE -1 END,
		CASE WHEN c.replied_at IS NULL THEN -1 ELSE ` + d.daysBetween("c.received_at", "c.replied_at") + ` END,
		c.org_id, c.return_visit_status, c.return_visit_satisfaction,
		c.repeat_after_closed, c.complainant_key`
	args = append(append(append(append([]any{}, overdueArgs...), openArgs...), today), overdueArgs...)
	return cols, args
}

// complainantCounts are how many cases each complainant (complainant_key)
// brought in a period, bank-wide, by the key's hash: one walk of the
// period in cases_stats, counted here.
type complainantCounts struct {
	seed  maphash.Seed
	cases map[uint64]int
}

// complainantCounts counts the complainants' cases received in [start, end).
func (db *DB) complainantCounts(ctx context.Context, start, end time.Time) (*complainantCounts, error) {
	rows, err := db.reads().QueryContext(ctx, `SELECT complainant_key FROM cases
		WHERE received_at >= ? AND received_at < ? AND complainant_key <> ''`, timeText(start), timeText(end))
	if err != nil {
		return nil, fmt.Errorf("stats complainants: %w", err)
	}
	defer rows.Close()
	cc := &complainantCounts{seed: maphash.MakeSeed(), cases: map[uint64]int{}}
	var key sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&key); err != nil {
			return nil, fmt.Errorf("stats complainants: %w", err)
		}
		cc.cases[maphash.Bytes(cc.seed, key)]++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats complainants: %w", err)
	}
	return cc, nil
}

// of is how many cases the complainant of key brought in the period: 1
// for a case without one.
func (cc *complainantCounts) of(key []byte) int {
	if len(key) == 0 {
		return 1
	}
	return max(cc.cases[maphash.Bytes(cc.seed, key)], 1)
}

// targets are where the statsColumns of a row are scanned to, in order.
func (g *statsGroup) targets() []any {
	return []any{&g.status, &g.kind, &g.channel, &g.codeA, &g.codeB, &g.codeC, &g.rootCause, &g.outcome, &g.satisfaction,
		&g.closedDays, &g.overdue, &g.regulator, &g.source, &g.finding, &g.escalated, &g.repeat,
		&g.replyOnTime, &g.decisionOnTime, &g.decisionDays, &g.orgID, &g.visitStatus, &g.visitSatisfaction,
		&g.afterClosed, &g.complainantKey}
}

// tallyPeriod sums the cases received from–to in scope (and in q's unit's
// subtree, of q's kind): the whole, and per unit of the case.
func (s *StatsService) tallyPeriod(ctx context.Context, u *redress.User, q redress.StatsQuery, from, to redress.Date) (*tally, map[int64]*tally, error) {
	rows, counts, err := s.db.groupPeriod(ctx, u, q, from, to, "", nil)
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
		g.complainantCases = counts.of(g.complainantKey)
		total.add(&g)
		if units[g.orgID] == nil {
			units[g.orgID] = newTally()
		}
		units[g.orgID].addUnit(&g)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("stats: %w", err)
	}
	return total, units, nil
}

// groupPeriod runs the one pass over the cases received from–to in scope
// (and in q's unit's subtree, of q's kind): the statsColumns, then more
// columns (with their arguments), then the count (1) and the redress paid of
// each case; and it counts the period's complainants' cases
// (complainantCounts), to be set on each row's group. It is a row per case,
// not a GROUP BY: the day counts among the columns make nearly every case a
// group of its own (13,742 groups of 13,752 cases in a quarter of the
// bench's bank), so grouping only added a sort of every row on all its
// columns; tally sums the rows in Go.
func (db *DB) groupPeriod(ctx context.Context, u *redress.User, q redress.StatsQuery, from, to redress.Date,
	moreCols string, moreArgs []any) (*sql.Rows, *complainantCounts, error) {
	f := redress.CaseFilter{ReceivedFrom: from.String(), ReceivedTo: to.String(), Org: q.Org, Kind: q.Kind}
	where, args, err := db.caseFilterSQL(ctx, u, &f)
	if err != nil {
		return nil, nil, err
	}
	start, end, _ := redress.DayRange(from.String(), to.String()) // valid dates
	counts, err := db.complainantCounts(ctx, start, end)
	if err != nil {
		return nil, nil, err
	}
	cols, colArgs := db.statsColumns(redress.Today(db.now()))
	rows, err := db.reads().QueryContext(ctx, `SELECT `+cols+moreCols+`, 1, COALESCE(c.redress_fen, 0)
		FROM cases c WHERE 1 = 1`+where, append(append(colArgs, moreArgs...), args...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("stats: %w", err)
	}
	return rows, counts, nil
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
