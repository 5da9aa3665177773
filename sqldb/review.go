package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"redress"
)

// This file persists the reviews of a case's decision (核查, 复查, 复核;
// redress review.go): the domain opens and decides them in ApplyAction, the
// store writes the row of the review the action touched and loads them
// with the case.

// saveReview writes the review an action opened (request_review: a new row
// owned by the reviewing unit, found by its path) or decided (decide_review:
// the case's open row).
func (db *DB) saveReview(ctx context.Context, tx *Tx, c *caseRow, r *redress.Review, in redress.ActionInput) error {
	if in.Request.Action == redress.ActionRequestReview {
		var orgID int64
		err := tx.QueryRowContext(ctx, `SELECT id, code, name FROM org_units WHERE path = ?`, r.OrgPath).
			Scan(&orgID, &r.Org, &r.OrgName)
		if err != nil {
			return fmt.Errorf("find the reviewing unit %s: %w", r.OrgPath, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO case_reviews (case_id, kind, org_id, received_at, received_by, text,
			window_due, due, original_handler, original_signer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, string(r.Kind), orgID, timeText(r.ReceivedAt), in.Actor.ID, r.Text, r.WindowDue, r.Due,
			r.OriginalHandler, r.OriginalSigner)
		if err != nil {
			return fmt.Errorf("open review: %w", err)
		}
		return db.notifyReviewRequest(ctx, tx, c, r, in)
	}
	var method, proof string
	var noticeAt any
	if r.Notice != nil {
		method, proof, noticeAt = string(r.Notice.Method), r.Notice.Proof, timeText(r.Notice.At)
	}
	res, err := tx.ExecContext(ctx, `UPDATE case_reviews SET decided_by = ?, decided_at = ?, process = ?, timeliness = ?,
		merits = ?, result = ?, decision = ?, notice_method = ?, notice_at = ?, notice_proof = ?
		WHERE case_id = ? AND decided_at IS NULL`,
		in.Actor.ID, nullTimeText(r.DecidedAt), r.Process, r.Timeliness, r.Merits, string(r.Result), r.Decision,
		method, noticeAt, proof, c.ID)
	if err != nil {
		return fmt.Errorf("decide review: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return redress.Errorf(redress.ECONFLICT, "case %s has no review in progress", c.No)
	}
	return nil
}

// notifyReviewRequest tells the managers of the reviewing unit (or the
// nearest unit above it that has any) in-app that a review request came
// in: it may have been received by a unit that is not theirs. The staff
// member an accusation is about is never told.
func (db *DB) notifyReviewRequest(ctx context.Context, tx *Tx, c *caseRow, r *redress.Review, in redress.ActionInput) error {
	var accused int64
	if c.Accusation {
		accused = c.respondentStaffID
	}
	to, err := db.nearestManagers(ctx, tx, r.OrgPath, accused)
	if err != nil {
		return err
	}
	subject, body := redress.ReviewRequestNotice(c.Case, r)
	_, err = db.insertNotifications(ctx, tx, to, nil,
		redress.Notification{Kind: redress.NotifyReviewRequested, Subject: subject, Body: body, CaseNo: c.No}, in.Now)
	return err
}

// loadReviews reads the case's reviews, oldest first, and marks the latest.
func (db *DB) loadReviews(ctx context.Context, q querier, c *caseRow) error {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.kind, o.code, o.name, o.path, r.received_at, u.login, r.text,
		r.window_due, r.due, r.original_handler, r.original_signer, COALESCE(d.login, ''), r.decided_at,
		r.process, r.timeliness, r.merits, r.result, r.decision, r.notice_method, r.notice_at, r.notice_proof
		FROM case_reviews r JOIN org_units o ON o.id = r.org_id JOIN users u ON u.id = r.received_by
		LEFT JOIN users d ON d.id = r.decided_by WHERE r.case_id = ? ORDER BY r.id`, c.ID)
	if err != nil {
		return fmt.Errorf("load reviews of %s: %w", c.No, err)
	}
	defer rows.Close()
	c.Reviews = nil
	for rows.Next() {
		var r redress.Review
		var kind, result, method, proof, received string
		var decidedAt, noticeAt sql.NullString
		if err := rows.Scan(&r.ID, &kind, &r.Org, &r.OrgName, &r.OrgPath, &received, &r.ReceivedBy, &r.Text,
			&r.WindowDue, &r.Due, &r.OriginalHandler, &r.OriginalSigner, &r.DecidedBy, &decidedAt,
			&r.Process, &r.Timeliness, &r.Merits, &result, &r.Decision, &method, &noticeAt, &proof); err != nil {
			return fmt.Errorf("load reviews of %s: %w", c.No, err)
		}
		r.Kind, r.Result = redress.ReviewKind(kind), redress.ReviewResult(result)
		if r.ReceivedAt, err = parseTime(received); err != nil {
			return err
		}
		if r.DecidedAt, err = parseNullTime(decidedAt); err != nil {
			return err
		}
		at, err := parseNullTime(noticeAt)
		if err != nil {
			return err
		}
		if at != nil && method != "" {
			r.Notice = &redress.NoticeRecord{Method: redress.NoticeMethod(method), At: *at, Proof: proof}
		}
		c.Reviews = append(c.Reviews, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load reviews of %s: %w", c.No, err)
	}
	c.Review = c.LastReview() // its overdue flag is set with the case's (MarkOverdue)
	return nil
}

// reviewStats counts the reviews requested and decided in the period (by
// the request's and the decision's own dates) on the cases in the user's
// scope, optionally of one unit's subtree.
func (s *StatsService) reviewStats(ctx context.Context, u *redress.User, q redress.StatsQuery) (redress.ReviewStats, error) {
	var st redress.ReviewStats
	where, args, err := s.db.caseFilterSQL(ctx, u, &redress.CaseFilter{Org: q.Org, Kind: q.Kind})
	if err != nil {
		return st, err
	}
	start, end, err := redress.DayRange(q.From, q.To)
	if err != nil {
		return st, err
	}
	from, to := timeText(start), timeText(end)
	err = s.db.reads().QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN r.received_at >= ? AND r.received_at < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN r.decided_at >= ? AND r.decided_at < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN r.decided_at >= ? AND r.decided_at < ? AND r.result IN ('changed', 'partly') THEN 1 ELSE 0 END), 0)
		FROM case_reviews r JOIN cases c ON c.id = r.case_id WHERE 1 = 1`+where,
		append([]any{from, to, from, to, from, to}, args...)...).Scan(&st.Requested, &st.Decided, &st.Changed)
	if err != nil {
		return st, fmt.Errorf("review stats: %w", err)
	}
	return st, nil
}
