package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"redress"
)

// ReportService makes the regulator's forms (redress.ReportService) from the
// statistics engine: the JR/T table from one grouped pass (tallyPeriod), the
// ratios and the disclosure from Stats itself, so no figure is computed
// twice. It also keeps the units' outlet and customer counts.
type ReportService struct {
	db    *DB
	stats *StatsService
}

// NewReportService returns the report service of db.
func NewReportService(db *DB) *ReportService {
	return &ReportService{db: db, stats: NewStatsService(db)}
}

var _ redress.ReportService = (*ReportService)(nil)

// complaints is the statistics query of a form: complaints only.
func complaints(q redress.ReportQuery) redress.StatsQuery {
	return redress.StatsQuery{From: q.From, To: q.To, Org: q.Org, Kind: redress.KindComplaint}
}

// askedUnit is the unit a form is of: the asked one, which must lie in the
// caller's scope (else not found, like a case out of scope), or the
// caller's own.
func (s *ReportService) askedUnit(ctx context.Context, u *redress.User, org string) (*redress.OrgUnit, error) {
	if org == "" {
		org = u.OrgCode
	}
	o, err := s.db.orgByCode(ctx, s.db.reads(), "org", org)
	if err != nil {
		return nil, err
	}
	if !redress.InSubtree(o.Path, u.OrgPath) {
		return nil, redress.Errorf(redress.ENOTFOUND, "org unit %s not found", org)
	}
	return o, nil
}

// JRT is the JR/T 0169-2018 table of the complaints received from–to in the
// unit's subtree: the cross-tab the engine's grouped pass keeps.
func (s *ReportService) JRT(ctx context.Context, q redress.ReportQuery) (*redress.JRTTable, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	sq := complaints(q)
	if err := sq.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.askedUnit(ctx, u, q.Org); err != nil {
		return nil, err
	}
	from, _ := redress.ParseDate(q.From) // validated
	to, _ := redress.ParseDate(q.To)
	t, _, err := s.stats.tallyPeriod(ctx, u, sq, from, to, false)
	if err != nil {
		return nil, err
	}
	table := redress.NewJRTTable(t.jrt)
	table.From, table.To, table.Org = q.From, q.To, q.Org
	return table, nil
}

// Density is the complaints of the asked unit and of each unit under it
// (the engine's received and per-unit figures) against each unit's counts
// in effect on the period's last day.
func (s *ReportService) Density(ctx context.Context, q redress.ReportQuery) (*redress.DensityReport, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	asked, err := s.askedUnit(ctx, u, q.Org)
	if err != nil {
		return nil, err
	}
	sq := complaints(q)
	sq.Org = asked.Code
	st, err := s.stats.Stats(ctx, sq)
	if err != nil {
		return nil, err
	}
	history, err := s.countsByUnit(ctx)
	if err != nil {
		return nil, err
	}
	rep := &redress.DensityReport{From: q.From, To: q.To,
		Rows: []redress.DensityRow{redress.Density(asked.Code, asked.Name, st.Received, redress.CountsInEffect(history[asked.Code], q.To))}}
	for _, us := range st.Units {
		if us.Org != asked.Code { // a unit without children is its own only child
			rep.Rows = append(rep.Rows, redress.Density(us.Org, us.Name, us.Received, redress.CountsInEffect(history[us.Org], q.To)))
		}
	}
	return rep, nil
}

// Disclosure is a year's public disclosure: the engine's statistics of the
// year's complaints and the B margin of its JR/T table.
func (s *ReportService) Disclosure(ctx context.Context, year, org string) (*redress.Disclosure, error) {
	from, to, err := redress.PeriodOf(redress.PeriodYear, year)
	if err != nil {
		var p redress.Problems
		p.AddKey("year", redress.ProblemOneOf, "YYYY")
		return nil, p.Err()
	}
	q := redress.ReportQuery{From: from.String(), To: to.String(), Org: org}
	table, err := s.JRT(ctx, q)
	if err != nil {
		return nil, err
	}
	u, _ := redress.RequireUser(ctx) // JRT checked the caller
	asked, err := s.askedUnit(ctx, u, org)
	if err != nil {
		return nil, err
	}
	sq := complaints(q)
	sq.Org = asked.Code
	st, err := s.stats.Stats(ctx, sq)
	if err != nil {
		return nil, err
	}
	return &redress.Disclosure{Year: year, Org: org, Received: st.Received, ByBusiness: table.ByB, ByRegion: st.Units,
		Closed: st.Closed, OnTime: st.OnTime["decision"], Upheld: st.Upheld, PartlyUpheld: st.PartlyUpheld,
		PriorReceived: st.LastYear.Received}, nil
}

// countsByUnit reads every unit's counts, by unit code.
func (s *ReportService) countsByUnit(ctx context.Context) (map[string][]redress.UnitCounts, error) {
	all, err := s.listCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]redress.UnitCounts{}
	for _, c := range all {
		out[c.Org] = append(out[c.Org], c)
	}
	return out, nil
}

func (s *ReportService) listCounts(ctx context.Context) ([]redress.UnitCounts, error) {
	rows, err := s.db.reads().QueryContext(ctx, `SELECT o.code, uc.effective_from, uc.outlets, uc.personal_customers, uc.entered_by
		FROM unit_counts uc JOIN org_units o ON o.id = uc.org_id
		ORDER BY o.path, uc.effective_from DESC`)
	if err != nil {
		return nil, fmt.Errorf("unit counts: %w", err)
	}
	defer rows.Close()
	var out []redress.UnitCounts
	for rows.Next() {
		var c redress.UnitCounts
		if err := rows.Scan(&c.Org, &c.EffectiveFrom, &c.Outlets, &c.PersonalCustomers, &c.By); err != nil {
			return nil, fmt.Errorf("unit counts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unit counts: %w", err)
	}
	return out, nil
}

// UnitCounts lists every unit's counts, by unit, newest first.
func (s *ReportService) UnitCounts(ctx context.Context) ([]redress.UnitCounts, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	return s.listCounts(ctx)
}

// SaveUnitCounts records a unit's counts from a day on, replacing those of
// the same unit and day, with an audit event org.set_counts naming the
// counts before and after.
func (s *ReportService) SaveUnitCounts(ctx context.Context, c redress.UnitCounts) (*redress.UnitCounts, error) {
	u, err := requireRole(ctx, "enter a unit's outlets and customers", redress.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.By = u.Login
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		o, err := s.db.orgByCode(ctx, tx, "org", c.Org)
		if err != nil {
			return err
		}
		var outlets int
		var customers int64
		err = tx.QueryRowContext(ctx, `SELECT outlets, personal_customers FROM unit_counts WHERE org_id = ? AND effective_from = ?`,
			o.ID, c.EffectiveFrom).Scan(&outlets, &customers)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unit counts: %w", err)
		}
		changes := []redress.Change{{Field: "effective_from", After: c.EffectiveFrom}}
		for _, ch := range []struct {
			field         string
			before, after int64
		}{{"outlets", int64(outlets), int64(c.Outlets)}, {"personal_customers", customers, c.PersonalCustomers}} {
			before := ""
			if ch.before != 0 {
				before = strconv.FormatInt(ch.before, 10)
			}
			changes = append(changes, redress.Change{Field: ch.field, Before: before, After: strconv.FormatInt(ch.after, 10)})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_counts (org_id, effective_from, outlets, personal_customers, entered_by, entered_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, effective_from) DO UPDATE SET outlets = excluded.outlets,
			personal_customers = excluded.personal_customers, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
			o.ID, c.EffectiveFrom, c.Outlets, c.PersonalCustomers, u.Login, timeText(now)); err != nil {
			return fmt.Errorf("save unit counts: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectOrg, o.Code), Actor: u.Login,
			Action: "org.set_counts", At: now, Changes: changes})
	})
	if err != nil {
		return nil, wrap("save unit counts", err)
	}
	return &c, nil
}
