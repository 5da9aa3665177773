package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"redress"
)

// The customer's own ratings of the handling of their case (case_ratings),
// apart from the satisfaction staff record at closing: kept by these two
// helpers so that the reports can count them beside the return visits.

// saveRating records a rating of the case from a source ("portal").
func (db *DB) saveRating(ctx context.Context, tx *Tx, caseID int64, source string, r redress.PortalRating) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_ratings (case_id, source, satisfaction, comment, rated_at) VALUES (?, ?, ?, ?, ?)`,
		caseID, source, string(r.Satisfaction), r.Comment, timeText(r.At))
	if err != nil {
		return fmt.Errorf("save rating: %w", err)
	}
	return nil
}

// rating returns the case's latest rating, or nil.
func (db *DB) rating(ctx context.Context, q querier, caseID int64) (*redress.PortalRating, error) {
	var r redress.PortalRating
	var satisfaction, at string
	err := q.QueryRowContext(ctx, `SELECT satisfaction, comment, rated_at FROM case_ratings WHERE case_id = ? ORDER BY id DESC LIMIT 1`,
		caseID).Scan(&satisfaction, &r.Comment, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read rating: %w", err)
	}
	if r.At, err = parseTime(at); err != nil {
		return nil, err
	}
	r.Satisfaction, r.At = redress.Satisfaction(satisfaction), r.At.In(redress.Beijing)
	return &r, nil
}

// Rate records the customer's rating of the handling, once the decision
// was notified and once per case (redress.PortalOffers), audited as
// case.rate with the client address.
func (s *PortalService) Rate(ctx context.Context, r redress.PortalRating) error {
	if err := r.Validate(); err != nil {
		return err
	}
	cust, u, err := s.customerCase(ctx)
	if err != nil {
		return err
	}
	now := s.db.now()
	r.At = now
	err = s.db.inTx(ctx, func(tx *Tx) error {
		c, err := s.db.loadCaseHead(ctx, tx, cust.CaseNo)
		if err != nil {
			return err
		}
		rated, err := s.db.rating(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if !redress.PortalOffers(c.Case, "", rated != nil, redress.DateOf(now.In(redress.Beijing))).Rate {
			return redress.Errorf(redress.ECONFLICT, "case %s cannot be rated now: it is rated once, after the decision notice", c.No)
		}
		if err := redress.ArchiveRule(c.Case, redress.WriteRating); err != nil { // archive.go
			return err
		}
		if err := s.db.saveRating(ctx, tx, c.ID, "portal", r); err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: u.Login,
			Action: "case.rate", At: now, Changes: []redress.Change{{Field: "rating.satisfaction", After: string(r.Satisfaction)}},
			Detail: portalDetail(ctx, r.Comment)})
	})
	return wrap("rate case", err)
}

// PortalUnits lists the units a customer may choose from: code, name, kind
// and parent of each, nothing else.
func (s *PortalService) PortalUnits(ctx context.Context) ([]*redress.OrgUnit, error) {
	rows, err := s.db.reads().QueryContext(ctx, `SELECT o.code, o.name, o.kind, COALESCE(p.code, ''), o.path
		FROM org_units o LEFT JOIN org_units p ON p.id = o.parent_id ORDER BY o.path`)
	if err != nil {
		return nil, fmt.Errorf("portal units: %w", err)
	}
	defer rows.Close()
	var out []*redress.OrgUnit
	for rows.Next() {
		o := &redress.OrgUnit{}
		if err := rows.Scan(&o.Code, &o.Name, &o.Kind, &o.ParentCode, &o.Path); err != nil {
			return nil, fmt.Errorf("portal units: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
