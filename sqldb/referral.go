package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"redress"
)

// ReferralService keeps the cases' referrals beyond the bank
// (redress.ReferralService), each an audit event on its case.
type ReferralService struct{ db *DB }

// NewReferralService returns the referral service of db.
func NewReferralService(db *DB) *ReferralService { return &ReferralService{db: db} }

var _ redress.ReferralService = (*ReferralService)(nil)

const referralSelect = `SELECT id, kind, body, contact, sent_on, answered_on, outcome, agreement, recorded_by, recorded_at FROM case_referrals`

func scanReferral(row interface{ Scan(...any) error }) (*redress.Referral, error) {
	r := &redress.Referral{}
	var sent, answered, at string
	if err := row.Scan(&r.ID, &r.Kind, &r.Body, &r.Contact, &sent, &answered, &r.Outcome, &r.Agreement, &r.RecordedBy, &at); err != nil {
		return nil, err
	}
	var err error
	if r.SentOn, err = redress.ParseDate(sent); err != nil {
		return nil, err
	}
	if answered != "" {
		if r.AnsweredOn, err = redress.ParseDate(answered); err != nil {
			return nil, err
		}
	}
	t, err := parseTime(at)
	if err != nil {
		return nil, err
	}
	r.RecordedAt = t.In(redress.Beijing)
	return r, nil
}

// Referrals lists a case's referrals.
func (s *ReferralService) Referrals(ctx context.Context, no string) ([]redress.Referral, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.db.loadCase(ctx, s.db.reads(), u, no)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.reads().QueryContext(ctx, referralSelect+` WHERE case_id = ? ORDER BY id`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("referrals of %s: %w", no, err)
	}
	defer rows.Close()
	out := []redress.Referral{}
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, fmt.Errorf("referrals of %s: %w", no, err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// Refer records a referral of a case.
func (s *ReferralService) Refer(ctx context.Context, no string, n redress.NewReferral) (*redress.Referral, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	var out *redress.Referral
	err = s.db.inTx(ctx, func(tx *Tx) error {
		c, err := s.db.loadCase(ctx, tx, u, no)
		if err != nil {
			return err
		}
		if !redress.MayRefer(u, c.Case) {
			return redress.Errorf(redress.EFORBIDDEN, "%s does not refer case %s: its handler or a manager does", u.Login, no)
		}
		if err := redress.ArchiveRule(c.Case, redress.WriteReferral); err != nil { // archive.go
			return err
		}
		if err := n.Validate(s.db.today()); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO case_referrals (case_id, kind, body, contact, sent_on, outcome, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, n.Kind, n.Body, n.Contact, n.SentOn, redress.ReferralPending, u.Login, timeText(now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("refer %s: %w", no, err)
		}
		if out, err = scanReferral(tx.QueryRowContext(ctx, referralSelect+` WHERE id = ?`, id)); err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: u.Login, Action: "case.refer", At: now,
			Changes: []redress.Change{{Field: "referral." + string(n.Kind), After: n.Body}}, Detail: "sent " + n.SentOn})
	})
	if err != nil {
		return nil, wrap("refer", err)
	}
	return out, nil
}

// AnswerReferral records what came of a referral.
func (s *ReferralService) AnswerReferral(ctx context.Context, no string, id int64, a redress.ReferralAnswer) (*redress.Referral, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	var out *redress.Referral
	err = s.db.inTx(ctx, func(tx *Tx) error {
		c, err := s.db.loadCase(ctx, tx, u, no)
		if err != nil {
			return err
		}
		if !redress.MayRefer(u, c.Case) {
			return redress.Errorf(redress.EFORBIDDEN, "%s does not answer the referrals of case %s", u.Login, no)
		}
		if err := redress.ArchiveRule(c.Case, redress.WriteReferralAnswer); err != nil { // archive.go
			return err
		}
		r, err := scanReferral(tx.QueryRowContext(ctx, referralSelect+` WHERE id = ? AND case_id = ?`+s.db.dialect.forUpdate, id, c.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return redress.Errorf(redress.ENOTFOUND, "case %s has no referral %d", no, id)
		}
		if err != nil {
			return err
		}
		if err := a.Validate(r, s.db.today()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE case_referrals SET answered_on = ?, outcome = ?, agreement = ? WHERE id = ? AND outcome = ?`,
			a.AnsweredOn, a.Outcome, a.Agreement, id, redress.ReferralPending)
		if err != nil {
			return fmt.Errorf("answer referral %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return redress.Errorf(redress.ECONFLICT, "referral %d was answered meanwhile", id)
		}
		if out, err = scanReferral(tx.QueryRowContext(ctx, referralSelect+` WHERE id = ?`, id)); err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: u.Login,
			Action: "case.referral_answer", At: now, Changes: []redress.Change{{Field: "referral." + string(r.Kind), Before: string(redress.ReferralPending), After: string(a.Outcome)}},
			Detail: a.Agreement})
	})
	if err != nil {
		return nil, wrap("answer referral", err)
	}
	return out, nil
}

// ReferralSummary counts the referrals of the cases in scope sent in a period.
func (s *ReferralService) ReferralSummary(ctx context.Context, org string, from, to redress.Date) (*redress.ReferralSummary, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	f := redress.CaseFilter{Org: org}
	where, args, err := s.db.caseFilterSQL(ctx, u, &f)
	if err != nil {
		return nil, err
	}
	// where is the case filter's conditions, each after an AND.
	rows, err := s.db.reads().QueryContext(ctx, `SELECT r.kind, r.outcome, COUNT(*) FROM case_referrals r JOIN cases c ON c.id = r.case_id
		WHERE r.sent_on >= ? AND r.sent_on <= ?`+where+` GROUP BY r.kind, r.outcome`, append([]any{from.String(), to.String()}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("referral summary: %w", err)
	}
	defer rows.Close()
	sum := &redress.ReferralSummary{Sent: map[redress.ReferralKind]int{}, ByOutcome: map[redress.ReferralOutcome]int{}}
	for rows.Next() {
		var kind redress.ReferralKind
		var outcome redress.ReferralOutcome
		var n int
		if err := rows.Scan(&kind, &outcome, &n); err != nil {
			return nil, err
		}
		sum.Sent[kind] += n
		sum.ByOutcome[outcome] += n
	}
	return sum, rows.Err()
}
