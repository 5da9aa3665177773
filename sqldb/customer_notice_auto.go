package sqldb

import (
	"context"
	"fmt"
	"time"

	"redress"
)

// lifecycleNotices produces, in the action's own transaction, the notice
// to the customer a lifecycle action gives by itself
// (redress.LifecycleNotice) by the customer's chosen method
// (redress.AutoNoticeMethod): an SMS or e-mail pending for the customer
// outbox (its delivery result becomes its proof), a letter pending for
// printing and posting, a call or a talk pending for the staff member to
// record (a task on the case page). It also queues a closed case's survey
// SMS when the close planned a return visit (queueSurvey). An occasion
// already told by any method is not told again; a case whose customer was
// not asked, or a bank with no profile yet, gets none by itself (the staff
// member sends by hand, as before).
func (db *DB) lifecycleNotices(ctx context.Context, tx *Tx, no string, action redress.Action, u *redress.User, now time.Time) error {
	switch action {
	case redress.ActionAccept, redress.ActionContact, redress.ActionExtend, redress.ActionPause, redress.ActionResume,
		redress.ActionReply, redress.ActionDecideReview, redress.ActionClose:
	default:
		return nil
	}
	c, err := db.loadCaseRow(ctx, tx, no)
	if err != nil {
		return err
	}
	if action == redress.ActionClose {
		return db.queueSurvey(ctx, tx, c, u, now)
	}
	kind, ok := redress.LifecycleNotice(action, c.Case)
	if !ok {
		return nil
	}
	method, ok := redress.AutoNoticeMethod(c.Complainant)
	if !ok {
		return nil
	}
	return db.autoNotice(ctx, tx, c, kind, method, u, now, now)
}

// autoNotice records one notice the lifecycle gives, unless the case has
// nothing of the kind to tell, its occasion was told already or the bank
// has no profile to name: the action itself never fails for its notice.
func (db *DB) autoNotice(ctx context.Context, tx *Tx, c *caseRow, kind redress.CustomerNoticeKind, method redress.NoticeMethod,
	u *redress.User, now, sendAt time.Time) error {
	if _, ok := redress.NoticeFactsOf(c.Case, kind); !ok {
		return nil
	}
	occasion := redress.NoticeOccasion(c.Case, kind)
	if id, _, _, err := liveNotice(ctx, tx, c.ID, kind, occasion, ""); err != nil || id != 0 {
		return err
	}
	if bank, err := db.bankProfile(ctx, tx); err != nil || bank == nil {
		return err
	}
	n, err := db.renderNotice(ctx, tx, c, kind, method, "zh-CN")
	if err != nil {
		return err
	}
	n.By, n.Status, n.At = u.Login, redress.CustomerNoticePending, now
	if err := db.insertNotice(ctx, tx, c.ID, n, occasion, u.ID, sendAt); err != nil {
		return err
	}
	return (&CustomerNoticeService{db: db}).noticeEvent(ctx, tx, u, n, "queued "+string(kind)+" by "+string(method))
}

// queueSurvey queues the survey SMS of the return visit a close planned
// (issue 14 item 3), for 09:00 on the visit's due day, when the customer
// may be sent an SMS (redress.SurveyBySMS) and the bank's profile names
// the portal's address. Its body keeps {link}: the one-use, expiring token
// is issued when the outbox sends it (surveyLink), so no token rests in
// the database or on the case page.
func (db *DB) queueSurvey(ctx context.Context, tx *Tx, c *caseRow, u *redress.User, now time.Time) error {
	if c.ReturnVisit == nil || c.ReturnVisit.Status != redress.VisitOpen || !redress.SurveyBySMS(c.Complainant) || c.phoneEnc == "" {
		return nil
	}
	bank, err := db.bankProfile(ctx, tx)
	if err != nil || bank == nil || bank.PortalURL == "" {
		return err
	}
	return db.autoNotice(ctx, tx, c, redress.NoticeSurvey, redress.NoticeSMS, u, now, redress.SurveySendAt(c.ReturnVisit, now))
}

// surveyLink fills the {link} of a survey SMS the outbox is about to send:
// a fresh token for the case's return visit, valid for the policy's
// SurveyDays, on the portal's address. ok is false when the visit no
// longer waits (reopened, answered, given up): the SMS is not sent.
func (db *DB) surveyLink(ctx context.Context, tx *Tx, no, body string, now time.Time) (string, bool, error) {
	c, err := db.loadCaseHead(ctx, tx, no)
	if err != nil {
		return "", false, err
	}
	if c.ReturnVisit == nil || c.ReturnVisit.Status != redress.VisitOpen {
		return "", false, nil
	}
	policy, err := db.returnVisitPolicy(ctx, tx)
	if err != nil {
		return "", false, err
	}
	bank, err := db.bankProfile(ctx, tx)
	if err != nil {
		return "", false, err
	}
	token, err := db.issueSurveyToken(ctx, tx, c.ID, now, time.Duration(policy.SurveyDays)*24*time.Hour)
	if err != nil {
		return "", false, err
	}
	base := ""
	if bank != nil {
		base = bank.PortalURL
	}
	return redress.FillSurveyLink(body, base, token), true, nil
}

// dropNotice gives up a claimed notice that must not go out, with why.
func dropNotice(ctx context.Context, tx *Tx, id int64, why string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE customer_notices SET status = ?, last_error = ?, claimed_by = '', claimed_until = NULL
		WHERE id = ?`, redress.CustomerNoticeDead, why, id); err != nil {
		return fmt.Errorf("drop notice %d: %w", id, err)
	}
	return nil
}
