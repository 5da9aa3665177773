package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
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
// every figure has one computation; the trend is the current period's
// counts per day of receipt. The reviews are a query.
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
	cur, units, err := s.tallyPeriod(ctx, u, q, from, to, true)
	if err != nil {
		return nil, err
	}
	pf, pt := redress.PriorPeriod(from, to)
	prior, priorUnits, err := s.tallyPeriod(ctx, u, q, pf, pt, true)
	if err != nil {
		return nil, err
	}
	lf, lt := redress.SamePeriodLastYear(from, to)
	lastYear, lastYearUnits, err := s.tallyPeriod(ctx, u, q, lf, lt, true)
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
	st.Trend = redress.Trend(cur.byDay, from, to, st.TrendBy)
	if st.Reviews, err = s.reviewStats(ctx, u, q); err != nil { // review.go
		return nil, err
	}
	st.Took = time.Since(start)
	return st, nil
}

// statsFields are what each case of a period is read with, in the order
// statsGroup.parse takes them: every attribute a figure counts, all held
// by the index cases_stats (migration 0045), so the pass never reads a
// case's row. The times and due dates are read as stored and turned into
// day counts and on-time flags in Go (statsGroup.derive): the engines' date
// functions cost a fifth of the pass, and PostgreSQL rounded a day count
// that SQLite truncated. The repeat fields (redress repeat.go) are whether
// the complainant had an earlier case, and one closed before this one came
// in (the flags written with the case: migration 0044, repeat_flags.go),
// and the complainant's key, to count their cases in the period
// (complainantCounts).
var statsFields = [...]string{"c.status", "c.kind", "c.channel", "c.code_a", "c.code_b", "c.code_c", "c.root_cause_code",
	"c.outcome", "c.satisfaction", "c.received_at", "c.closed_at", "c.replied_at", "c.reply_satisfied_at",
	"c.reply_due", "c.decision_due",
	"CASE WHEN c.paused_since IS NULL AND c.merged_into_id IS NULL THEN 0 ELSE 1 END",
	"CASE WHEN c.regulator_ref <> '' THEN 1 ELSE 0 END", "c.regulator_source", "c.regulator_finding",
	"CASE WHEN c.level >= 3 THEN 1 ELSE 0 END", "c.repeat_prior", "c.repeat_after_closed",
	"c.org_id", "c.return_visit_status", "c.return_visit_satisfaction", "c.complainant_key",
	"COALESCE(c.redress_fen, 0)"}

// statsSeparator separates the statsFields in the text a case is read as.
// No field holds it: they are codes, dates, numbers and hex keys.
const statsSeparator = '\x1f'

// statsRow is the SQL of the one text column a case of a period is read
// as: the statsFields concatenated into one text, separated by
// statsSeparator (concat writes a NULL as nothing, in both engines). One
// column, not 27: the SQLite driver locks the connection twice for every
// column it reads, and those locks were a quarter of the pass at 1,000,000
// cases. One concat, not 26 concatenations, each of which grew the text
// anew; and not format('%s…'), whose printf was a quarter of SQLite's
// pass over a quarter at 1,000,000 cases.
var statsRow = "concat(" + strings.Join(statsFields[:], ", '"+string(statsSeparator)+"', ") + ")"

// complainantCounts are how many cases each complainant (complainant_key)
// brought in a period, bank-wide, by the key's hash: one walk of the
// period in cases_stats, counted here.
type complainantCounts struct {
	seed  maphash.Seed
	cases map[uint64]int
}

// complainantCounts counts the complainants' cases received from–to, its
// parts at once (statsParts).
func (db *DB) complainantCounts(ctx context.Context, from, to redress.Date) (*complainantCounts, error) {
	parts := statsParts(from, to)
	counted := make([]map[uint64]int, len(parts))
	seed := maphash.MakeSeed()
	err := inParts(parts, func(i int, p datePart) error {
		start, end, _ := redress.DayRange(p.from.String(), p.to.String()) // valid dates
		rows, err := db.reads().QueryContext(ctx, `SELECT complainant_key FROM cases
			WHERE received_at >= ? AND received_at < ? AND complainant_key <> ''`, timeText(start), timeText(end))
		if err != nil {
			return fmt.Errorf("stats complainants: %w", err)
		}
		defer rows.Close()
		cases := map[uint64]int{}
		var key sql.RawBytes
		for rows.Next() {
			if err := rows.Scan(&key); err != nil {
				return fmt.Errorf("stats complainants: %w", err)
			}
			cases[maphash.Bytes(seed, key)]++
		}
		counted[i] = cases
		return wrap("stats complainants", rows.Err())
	})
	if err != nil {
		return nil, err
	}
	cc := &complainantCounts{seed: seed, cases: counted[0]}
	for _, more := range counted[1:] {
		for k, n := range more {
			cc.cases[k] += n
		}
	}
	return cc, nil
}

// of is how many cases the complainant of key brought in the period: 1
// for a case without one.
func (cc *complainantCounts) of(key []byte) int {
	if cc == nil || len(key) == 0 {
		return 1
	}
	return max(cc.cases[maphash.Bytes(cc.seed, key)], 1)
}

// periodRows are the rows of one pass over a period (groupPeriod), with
// what a row needs besides its columns: the complainants' cases in the
// period, the day the clocks are judged on, and the interned texts.
type periodRows struct {
	*sql.Rows
	counts *complainantCounts
	today  string
	texts  interned
	row    sql.RawBytes
}

// scan reads the next row into g (its statsRow, then more) and derives its
// figures.
func (r *periodRows) scan(g *statsGroup, more ...any) error {
	if err := r.Scan(append([]any{&r.row}, more...)...); err != nil {
		return err
	}
	if err := g.parse(r.row, r.texts); err != nil {
		return err
	}
	g.n = 1
	g.complainantCases = r.counts.of(g.complainantKey)
	return g.derive(r.today, r.texts)
}

// tallyPeriod sums the cases received from–to in scope (and in q's unit's
// subtree, of q's kind): the whole, and per unit of the case. The period's
// parts (statsParts) are read at once, each on its own connection, and
// their tallies merged: a quarter of a large bank is 100,000 cases and more,
// and one pass is bound by one core. The repeat figures need the period's
// complainants counted: by a pass of their own first, or, when the
// figures' pass reads every case of the bank (foldsComplainants), from
// that pass's rows, and the complainant figures added after it. Without
// repeats (the JR/T table) they are not counted, and the tally's
// complainant figures are not to be read.
func (s *StatsService) tallyPeriod(ctx context.Context, u *redress.User, q redress.StatsQuery, from, to redress.Date,
	repeats bool) (*tally, map[int64]*tally, error) {
	var counts *complainantCounts
	fold := repeats && foldsComplainants(u, q)
	switch {
	case fold:
		counts = &complainantCounts{seed: maphash.MakeSeed(), cases: map[uint64]int{}}
	case repeats:
		var err error
		if counts, err = s.db.complainantCounts(ctx, from, to); err != nil {
			return nil, nil, err
		}
	}
	parts := statsParts(from, to)
	totals, units := make([]*tally, len(parts)), make([]map[int64]*tally, len(parts))
	marks := make([][]complainantMark, len(parts))
	err := inParts(parts, func(i int, p datePart) error {
		var err error
		if fold {
			totals[i], units[i], marks[i], err = s.tallyPartFolded(ctx, u, q, p, counts)
		} else {
			totals[i], units[i], err = s.tallyPart(ctx, u, q, p, counts)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if fold {
		counts.addComplainants(marks, totals, units)
	}
	for i := 1; i < len(parts); i++ {
		totals[0].mergeAll(totals[i])
		for id, t := range units[i] {
			if units[0][id] == nil {
				units[0][id] = newTally()
			}
			units[0][id].merge(t)
		}
	}
	return totals[0], units[0], nil
}

// foldsComplainants reports whether the statistics' pass over a period
// counts the complainants' cases itself (tallyPartFolded) instead of a pass
// of their own (complainantCounts): when it reads every case of the bank,
// for a user at head office asking without a unit or a kind. The reports
// and accusations against that user are then read too, counted among
// their complainants' cases and in no figure. At 1,000,000 cases the
// complainants' own pass was a fifth of a quarter's statistics.
func foldsComplainants(u *redress.User, q redress.StatsQuery) bool {
	return isRootPath(u.OrgPath) && q.Org == "" && q.Kind == ""
}

// complainantMark is a case of a folded pass (tallyPartFolded) as the
// complainant figures need it after the pass: its complainant's key
// hashed (keyed: it has one), its unit, and whether it is hidden from the
// asking user (counted only among its complainant's cases).
type complainantMark struct {
	key           uint64
	keyed, hidden bool
	orgID         int64
}

// addComplainants counts the complainants' cases from the marks of a
// folded pass's parts, then adds each shown case's complainant figures to
// its part's tallies, in the order the part read them: the sums come out
// as a pass with the counts known beforehand makes them.
func (cc *complainantCounts) addComplainants(marks [][]complainantMark, totals []*tally, units []map[int64]*tally) {
	for _, part := range marks {
		for _, m := range part {
			if m.keyed {
				cc.cases[m.key]++
			}
		}
	}
	for i, part := range marks {
		for _, m := range part {
			if m.hidden {
				continue
			}
			k := 1
			if m.keyed {
				k = cc.cases[m.key]
			}
			totals[i].addComplainant(1, k)
			units[i][m.orgID].addComplainant(1, k)
		}
	}
}

// tallyPart sums the cases of one part of a period.
func (s *StatsService) tallyPart(ctx context.Context, u *redress.User, q redress.StatsQuery, p datePart,
	counts *complainantCounts) (*tally, map[int64]*tally, error) {
	rows, err := s.db.groupPeriod(ctx, u, q, p.from, p.to, counts, "", nil)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	total, units := newTally(), map[int64]*tally{}
	for rows.Next() {
		var g statsGroup
		if err := rows.scan(&g); err != nil {
			return nil, nil, fmt.Errorf("stats: %w", err)
		}
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

// tallyPartFolded sums the cases of one part of a period as tallyPart
// does, for a pass that counts the complainants itself
// (foldsComplainants): it reads the cases hidden from the user too, and
// returns every case's mark, hashed with counts' seed, for
// addComplainants.
func (s *StatsService) tallyPartFolded(ctx context.Context, u *redress.User, q redress.StatsQuery, p datePart,
	counts *complainantCounts) (*tally, map[int64]*tally, []complainantMark, error) {
	accusing, args := accusingSQL(u)
	rows, err := s.db.groupPeriodOf(ctx, u, q, p.from, p.to, nil, `, CASE WHEN `+accusing+` THEN 1 ELSE 0 END`, args, false)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	total, units := newTally(), map[int64]*tally{}
	var marks []complainantMark
	for rows.Next() {
		var g statsGroup
		var hidden int
		if err := rows.scan(&g, &hidden); err != nil {
			return nil, nil, nil, fmt.Errorf("stats: %w", err)
		}
		m := complainantMark{keyed: len(g.complainantKey) > 0, hidden: hidden == 1, orgID: g.orgID}
		if m.keyed {
			m.key = maphash.Bytes(counts.seed, g.complainantKey)
		}
		marks = append(marks, m)
		if m.hidden {
			continue
		}
		g.complainantLater = true
		total.add(&g)
		if units[g.orgID] == nil {
			units[g.orgID] = newTally()
		}
		units[g.orgID].addUnit(&g)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("stats: %w", err)
	}
	return total, units, marks, nil
}

// datePart is a part of a period, its first and last day.
type datePart struct{ from, to redress.Date }

// statsParts splits the period from–to into two halves by day (one part
// when it is a single day): the statistics read them at once, one per core
// of the machine the bench ran on.
func statsParts(from, to redress.Date) []datePart {
	start, end, _ := redress.DayRange(from.String(), to.String()) // valid dates
	days := int(end.Sub(start) / (24 * time.Hour))
	if days < 2 {
		return []datePart{{from, to}}
	}
	mid := from.AddDays((days - 1) / 2)
	return []datePart{{from, mid}, {mid.AddDays(1), to}}
}

// inParts runs do for every part at once and waits for all; the first
// error found wins.
func inParts(parts []datePart, do func(i int, p datePart) error) error {
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = do(i, p)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// groupPeriod runs the one pass over the cases received from–to in scope
// (and in q's unit's subtree, of q's kind): the statsRow, then more
// columns (with their arguments), each row's complainant's cases taken from
// counts (all 1 when nil); it counts the period's complainants' cases
// (complainantCounts), to be set on each row's group. It is a row per case,
// not a GROUP BY: the day counts among the columns make nearly every case a
// group of its own (13,742 groups of 13,752 cases in a quarter of the
// bench's bank), so grouping only added a sort of every row on all its
// columns; tally sums the rows in Go.
func (db *DB) groupPeriod(ctx context.Context, u *redress.User, q redress.StatsQuery, from, to redress.Date,
	counts *complainantCounts, moreCols string, moreArgs []any) (*periodRows, error) {
	return db.groupPeriodOf(ctx, u, q, from, to, counts, moreCols, moreArgs, true)
}

// groupPeriodOf is groupPeriod, with the reports and accusations against
// the user read too when hideAccusations is false (tallyPartFolded).
func (db *DB) groupPeriodOf(ctx context.Context, u *redress.User, q redress.StatsQuery, from, to redress.Date,
	counts *complainantCounts, moreCols string, moreArgs []any, hideAccusations bool) (*periodRows, error) {
	f := redress.CaseFilter{ReceivedFrom: from.String(), ReceivedTo: to.String(), Org: q.Org, Kind: q.Kind}
	where, args, err := db.filterSQL(ctx, u, &f, hideAccusations)
	if err != nil {
		return nil, err
	}
	rows, err := db.reads().QueryContext(ctx, `SELECT `+statsRow+moreCols+` FROM cases c WHERE 1 = 1`+where,
		append(moreArgs, args...)...)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return &periodRows{Rows: rows, counts: counts, today: redress.Today(db.now()), texts: interned{}}, nil
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
