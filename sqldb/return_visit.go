package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"redress"
)

// ReturnVisitService keeps the return-visit policy (a setting) and the SMS
// survey (survey_tokens) of return visits (redress.ReturnVisitService). The
// staff's attempts are the lifecycle action return_visit (CaseService.Act).
type ReturnVisitService struct {
	db    *DB
	cases *CaseService
}

// NewReturnVisitService returns the return-visit service of db.
func NewReturnVisitService(db *DB) *ReturnVisitService {
	return &ReturnVisitService{db: db, cases: NewCaseService(db)}
}

var _ redress.ReturnVisitService = (*ReturnVisitService)(nil)

// settingReturnVisitPolicy is the settings key of the policy.
const settingReturnVisitPolicy = "return_visit_policy"

// surveyActor is the audit actor of a customer's survey answer.
const surveyActor = "customer"

// ReturnVisitPolicy returns the policy in force, for any signed-in user.
func (s *ReturnVisitService) ReturnVisitPolicy(ctx context.Context) (*redress.ReturnVisitPolicy, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	p, err := s.db.returnVisitPolicy(ctx, s.db.reads())
	if err != nil {
		return nil, wrap("read return-visit policy", err)
	}
	return &p, nil
}

// SetReturnVisitPolicy replaces the policy (admin only), with an audit event
// system.set_return_visit_policy recording it before and after.
func (s *ReturnVisitService) SetReturnVisitPolicy(ctx context.Context, p redress.ReturnVisitPolicy) (*redress.ReturnVisitPolicy, error) {
	settings := &SettingsService{db: s.db}
	if err := settings.write(ctx, settingReturnVisitPolicy, "system.set_return_visit_policy", p.Validate, p); err != nil {
		return nil, err
	}
	return &p, nil
}

// returnVisitPolicy reads the policy in force: the setting, or the default
// until an admin sets one.
func (db *DB) returnVisitPolicy(ctx context.Context, q querier) (redress.ReturnVisitPolicy, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, settingReturnVisitPolicy).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return redress.DefaultReturnVisitPolicy(), nil
	}
	if err != nil {
		return redress.ReturnVisitPolicy{}, fmt.Errorf("read return-visit policy: %w", err)
	}
	var p redress.ReturnVisitPolicy
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return redress.ReturnVisitPolicy{}, fmt.Errorf("read return-visit policy: %w", err)
	}
	return p, nil
}

// IssueSurvey records an attempt (sms, survey_sent) on the case's open
// return visit through the lifecycle (the guard of return_visit applies) and
// returns the survey link's token, valid for the policy's SurveyDays.
func (s *ReturnVisitService) IssueSurvey(ctx context.Context, no string, version int) (string, error) {
	req := redress.ActionRequest{Action: redress.ActionReturnVisit, Version: version,
		ReturnVisitRequest: redress.ReturnVisitRequest{VisitMethod: redress.VisitBySMS, VisitOutcome: redress.VisitSurveySent, IssueSurvey: true}}
	_, fx, err := s.cases.act(ctx, no, req, true)
	if err != nil {
		return "", err
	}
	return fx.SurveyToken, nil
}

// persistReturnVisit writes what a return-visit attempt did besides the
// case's row: the survey link it issued, the proposal to the managers.
func (db *DB) persistReturnVisit(ctx context.Context, tx *Tx, c *caseRow, fx *redress.ActionEffect, in redress.ActionInput) error {
	if in.Request.Action != redress.ActionReturnVisit {
		return nil
	}
	if in.Request.IssueSurvey {
		policy, err := db.returnVisitPolicy(ctx, tx)
		if err != nil {
			return err
		}
		if fx.SurveyToken, err = db.issueSurveyToken(ctx, tx, c.ID, in.Now, time.Duration(policy.SurveyDays)*24*time.Hour); err != nil {
			return err
		}
	}
	if fx.VisitProposal {
		return db.notifyVisitProposal(ctx, tx, c, in.Now)
	}
	return nil
}

// surveyMAC is the keyed MAC of survey tokens: the keyring's blind index of
// the payload (lowercase hex and base-36 digits, which its upper-casing
// maps one to one).
func (db *DB) surveyMAC(payload string) string { return db.keyring().BlindIndex("survey", payload) }

// surveyDigest is what a survey_tokens row stores of a token's nonce.
func surveyDigest(nonce string) string {
	sum := sha256.Sum256([]byte(nonce))
	return hex.EncodeToString(sum[:])
}

// issueSurveyToken makes a token for the case and stores its nonce's digest
// and expiry.
func (db *DB) issueSurveyToken(ctx context.Context, tx *Tx, caseID int64, now time.Time, valid time.Duration) (string, error) {
	nonce := make([]byte, redress.SurveyNonceBytes)
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("survey token: %w", err)
	}
	expires := now.Add(valid).Truncate(time.Second)
	token := redress.NewSurveyToken(nonce, expires, db.surveyMAC)
	_, err := tx.ExecContext(ctx, `INSERT INTO survey_tokens (case_id, nonce_hash, expires_at, created_at) VALUES (?, ?, ?, ?)`,
		caseID, surveyDigest(hex.EncodeToString(nonce)), timeText(expires), timeText(now))
	if err != nil {
		return "", fmt.Errorf("survey token: %w", err)
	}
	return token, nil
}

// notifyVisitProposal tells the managers of the case's unit (or the nearest
// unit above with any) in-app that the customer was dissatisfied at the
// return visit, with the proposal to reopen or open a 核查. The staff member
// an accusation is about is never told.
func (db *DB) notifyVisitProposal(ctx context.Context, tx *Tx, c *caseRow, now time.Time) error {
	var accused int64
	if c.Accusation {
		accused = c.respondentStaffID
	}
	to, err := db.nearestManagers(ctx, tx, c.OrgPath, accused)
	if err != nil {
		return err
	}
	subject, body := redress.ReturnVisitDissatisfiedNotice(c.Case)
	_, err = db.insertNotifications(ctx, tx, to, nil,
		redress.Notification{Kind: redress.NotifyVisitDissatisfied, Subject: subject, Body: body, CaseNo: c.No}, now)
	return err
}

// surveyCase finds the case of a valid, unused token, inside tx.
func (db *DB) surveyCase(ctx context.Context, q querier, token string, now time.Time) (string, error) {
	nonce, _, err := redress.ParseSurveyToken(token, now, db.surveyMAC)
	if err != nil {
		return "", err
	}
	var no, expires string
	var used sql.NullString
	err = q.QueryRowContext(ctx, `SELECT c.no, t.expires_at, t.used_at FROM survey_tokens t JOIN cases c ON c.id = t.case_id
		WHERE t.nonce_hash = ?`, surveyDigest(nonce)).Scan(&no, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (used.Valid || expires <= timeText(now)) {
		return "", errSurvey()
	}
	if err != nil {
		return "", fmt.Errorf("survey: %w", err)
	}
	return no, nil
}

// errSurvey is the one answer to every survey link that may not be answered.
func errSurvey() error {
	return redress.Errorf(redress.EUNAUTHORIZED, "this survey link is not valid or has expired")
}

// CheckSurvey reports whether a token may still be answered: valid, unused,
// unexpired, its return visit still waiting.
func (s *ReturnVisitService) CheckSurvey(ctx context.Context, token string) error {
	now := s.db.now()
	no, err := s.db.surveyCase(ctx, s.db.reads(), token, now)
	if err != nil {
		return err
	}
	c, err := s.db.loadCaseHead(ctx, s.db.reads(), no)
	if err != nil {
		return wrap("survey", err)
	}
	if c.ReturnVisit == nil || c.ReturnVisit.Status != redress.VisitOpen {
		return errSurvey()
	}
	return nil
}

// AnswerSurvey records the customer's answer as an attempt (survey,
// answered) of the case's open return visit, uses the token up, and tells
// the managers when the customer is dissatisfied; the audit event
// case.return_visit names the customer as actor and their address.
func (s *ReturnVisitService) AnswerSurvey(ctx context.Context, token string, a redress.SurveyAnswer, from string) error {
	if err := a.Validate(); err != nil {
		return err
	}
	now := s.db.now().In(redress.Beijing)
	err := s.db.inTx(ctx, func(tx *Tx) error {
		no, err := s.db.surveyCase(ctx, tx, token, now)
		if err != nil {
			return err
		}
		nonce, _, _ := redress.ParseSurveyToken(token, now, s.db.surveyMAC) // checked by surveyCase
		res, err := tx.ExecContext(ctx, `UPDATE survey_tokens SET used_at = ? WHERE nonce_hash = ? AND used_at IS NULL`,
			timeText(now), surveyDigest(nonce))
		if err != nil {
			return fmt.Errorf("survey: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errSurvey() // answered meanwhile
		}
		c, err := s.db.loadCaseHead(ctx, tx, no)
		if err != nil {
			return err
		}
		if err := redress.ArchiveRule(c.Case, redress.WriteSurveyAnswer); err != nil { // archive.go
			return err
		}
		before := *c.Case
		before.ReturnVisit = clone(c.ReturnVisit)
		if c.ReturnVisit == nil {
			return errSurvey()
		}
		if _, err := c.ReturnVisit.Record(redress.ReturnVisitAttempt{By: surveyActor, At: now, Method: redress.VisitBySurvey,
			Outcome: redress.VisitReached, Satisfaction: a.Satisfaction, Text: a.Comment}); err != nil {
			return errSurvey() // ended by a staff member's attempt meanwhile
		}
		old := c.Version
		c.Version++
		c.UpdatedAt = now
		if err := s.db.updateCase(ctx, tx, c, old); err != nil {
			return err
		}
		if c.ReturnVisit.Proposal != "" {
			if err := s.db.notifyVisitProposal(ctx, tx, c, now); err != nil {
				return err
			}
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: surveyActor,
			Action: redress.CaseEventAction(redress.ActionReturnVisit), At: now, Changes: redress.DiffCase(&before, c.Case),
			Detail: "survey answered " + string(a.Satisfaction) + " from " + from})
	})
	return wrap("answer survey", err)
}
