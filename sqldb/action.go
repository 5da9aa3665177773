package sqldb

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"redress"
)

// Act performs one lifecycle action on a case at the given version, in one
// transaction with its audit event: load the case, let the domain decide
// (redress.Transition, then the version, then redress.CaseRules and
// redress.ApplyAction), persist what it decided. The checks run in this
// order: scope (ENOTFOUND), role (EFORBIDDEN), status (ECONFLICT naming it),
// version (ECONFLICT naming who changed the case), then the action's own rules.
func (s *CaseService) Act(ctx context.Context, no string, req redress.ActionRequest) (*redress.Case, error) {
	c, _, err := s.act(ctx, no, req, true)
	return c, err
}

// errDryRun rolls back an action that was only tried (act with commit false).
var errDryRun = errors.New("sqldb: dry run")

// act is Act; with commit false it runs every check and write, then rolls
// the transaction back: a test asks the store whether it accepts an action
// without changing the case. It also answers what the action did besides
// the case (the survey link of IssueSurvey).
func (s *CaseService) act(ctx context.Context, no string, req redress.ActionRequest, commit bool) (*redress.Case, *redress.ActionEffect, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !req.Action.OnCase() {
		return nil, nil, redress.Errorf(redress.ENOTFOUND, "unknown action %q", req.Action)
	}
	now := s.db.now()
	if err := req.Validate(now); err != nil {
		return nil, nil, err
	}
	deadlines, err := s.db.deadlines(ctx)
	if err != nil {
		return nil, nil, wrap(string(req.Action)+" case", err)
	}
	var result *caseRow
	var effect *redress.ActionEffect
	err = s.db.inTx(ctx, func(tx *Tx) error {
		// The row alone answers scope, role, status and version; the records
		// around it are read only for an action that passes those.
		c, err := s.db.loadCaseHead(ctx, tx, no)
		if err != nil {
			return err
		}
		// A review request may come from a unit that cannot see the case
		// (redress.MayReceiveReviewRequest); it takes no version and is
		// answered with the review alone.
		inScope := redress.InScope(u, c.Case)
		if !inScope && (req.Action != redress.ActionRequestReview || !redress.MayReceiveReviewRequest(u, c.Case)) {
			return redress.Errorf(redress.ENOTFOUND, "case %s not found", no)
		}
		next, err := redress.Transition(req.Action, c.Status, u.Role, c.IsHandler(u))
		if err != nil {
			return err
		}
		req := req // this attempt's copy: a versionless review request acts on the version it found
		if req.Version == 0 && req.Action == redress.ActionRequestReview {
			req.Version = c.Version
		}
		if req.Version != c.Version {
			return s.db.staleVersion(ctx, tx, c, req.Version)
		}
		if err := s.db.loadCaseDetails(ctx, tx, c); err != nil {
			return err
		}
		if err := redress.CaseRules(req.Action, c.Case, u); err != nil {
			return err
		}
		in := redress.ActionInput{Request: &req, Actor: u, Deadlines: deadlines, Now: now.In(redress.Beijing)}
		if req.Action == redress.ActionClose { // close plans the return visit (return_visit.go)
			if in.ReturnVisits, err = s.db.returnVisitPolicy(ctx, tx); err != nil {
				return err
			}
		}
		if req.Action == redress.ActionAccept || req.Action == redress.ActionAssign {
			if in.Handler, err = s.db.handlerFor(ctx, tx, u, req.Handler); err != nil {
				return err
			}
		}
		before := *c.Case
		before.Determination, before.Reply, before.ReturnVisit = clone(c.Determination), clone(c.Reply), clone(c.ReturnVisit)
		fx, err := redress.ApplyAction(c.Case, next, in)
		if err != nil {
			return err
		}
		if err := s.db.checkDetermination(ctx, tx, c, before.Determination); err != nil {
			return err
		}
		if err := s.db.persistAction(ctx, tx, c, &before, fx, in); err != nil {
			return err
		}
		if err := s.db.lifecycleNotices(ctx, tx, no, req.Action, u, in.Now); err != nil { // customer_notice_auto.go
			return err
		}
		effect = fx
		if !commit {
			return errDryRun // accepted; the case as the action left it is not read back
		}
		if !inScope {
			result = &caseRow{Case: c.OnlyReceipt()}
			return nil
		}
		result, err = s.db.loadCase(ctx, tx, u, no)
		return err
	})
	if errors.Is(err, errDryRun) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, wrap(string(req.Action)+" case", err)
	}
	return result.Case, effect, nil
}

// checkDetermination checks what a new or changed determination names in
// the database: its root-cause code (an active code of the list R) and the
// staff member held accountable (a user), whose key it puts in the row.
func (db *DB) checkDetermination(ctx context.Context, tx *Tx, c *caseRow, before *redress.Determination) error {
	d := c.Determination
	if d == nil || (before != nil && *before == *d) {
		return nil
	}
	var p redress.Problems
	if err := db.checkCode(ctx, tx, &p, "root_cause_code", redress.DimensionRootCause, d.RootCauseCode); err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.accountableStaffID = 0
	if d.AccountableStaff != "" {
		staff, err := db.userByLogin(ctx, tx, "accountable_staff", d.AccountableStaff)
		if err != nil {
			return err
		}
		c.accountableStaffID = staff.ID
	}
	return nil
}

// handlerFor finds the user an accept or assign names as handler: the
// actor when an accept names none.
func (db *DB) handlerFor(ctx context.Context, tx *Tx, actor *redress.User, login string) (*redress.User, error) {
	if login == "" {
		return actor, nil
	}
	return db.userByLogin(ctx, tx, "handler", login)
}

// persistAction writes what an action decided: the case's row (unless the
// action is a note, which changes no version), the conflict, entry and
// deadline history rows, the search document when the text changed, and the
// audit event with the before and after of every changed field.
func (db *DB) persistAction(ctx context.Context, tx *Tx, c *caseRow, before *redress.Case, fx *redress.ActionEffect, in redress.ActionInput) error {
	u, req := in.Actor, in.Request
	c.syncIDs(before, u, in.Handler)
	if fx.ToHeadOffice {
		if err := db.moveToHeadOffice(ctx, tx, c); err != nil {
			return err
		}
	}
	if fx.Conflict {
		_, err := tx.ExecContext(ctx, `INSERT INTO case_conflicts (case_id, user_id, reason, at) VALUES (?, ?, ?, ?)`,
			c.ID, u.ID, req.Reason, timeText(in.Now))
		if err != nil {
			return fmt.Errorf("declare conflict: %w", err)
		}
	}
	archived := redress.FollowArchive(c.Case, before.Status, in.Now) // archive.go
	if req.Action != redress.ActionNote {
		c.Version++
		c.UpdatedAt = in.Now
		if err := db.updateCase(ctx, tx, c, req.Version); err != nil {
			return err
		}
	}
	if fx.Entry != "" {
		if err := db.insertEntry(ctx, tx, c.ID, fx.Entry, u.ID, req.Text, in.Now); err != nil {
			return err
		}
		if fx.Entry == "finding" {
			c.Findings = append(c.Findings, redress.Entry{Author: u.Login, At: in.Now, Text: req.Text})
		}
	}
	if fx.Deadline != nil {
		if err := db.insertDeadlineChange(ctx, tx, c.ID, *fx.Deadline); err != nil {
			return err
		}
	}
	if fx.Review != nil { // review.go
		if err := db.saveReview(ctx, tx, c, fx.Review, in); err != nil {
			return err
		}
	}
	if err := db.persistReturnVisit(ctx, tx, c, fx, in); err != nil { // return_visit.go
		return err
	}
	switch req.Action {
	case redress.ActionInvestigate, redress.ActionReply, redress.ActionResolveOnSpot:
		if err := db.writeSearchDocument(ctx, tx, c.ID, redress.SearchDocument(c.Case), false); err != nil {
			return err
		}
	}
	if err := db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: u.Login,
		Action: redress.CaseEventAction(req.Action),
		At:     in.Now, Changes: redress.DiffCase(before, c.Case), Detail: portalDetail(ctx, fx.Detail)}); err != nil {
		return err
	}
	if !archived {
		return nil
	}
	if c.Status == redress.StatusClosed { // repeat.go: the cases merged into it close with it
		if err := db.closeMerged(ctx, tx, c, u, in.Now); err != nil {
			return err
		}
	}
	return db.saveArchive(ctx, tx, c.No, in.Now)
}

// syncIDs follows the logins the domain set on the case with the ids the
// row stores: the handler and the signer.
func (c *caseRow) syncIDs(before *redress.Case, actor, handler *redress.User) {
	switch {
	case c.Handler == before.Handler:
	case c.Handler == "":
		c.handlerID = 0
	case handler != nil && c.Handler == handler.Login:
		c.handlerID = handler.ID
	case c.Handler == actor.Login:
		c.handlerID = actor.ID
	}
	switch {
	case c.SignedOffBy == before.SignedOffBy:
	case c.SignedOffBy == "":
		c.signedOffByID = 0
	case c.SignedOffBy == actor.Login:
		c.signedOffByID = actor.ID
	}
}

// raiseLevel raises a case one escalation level (redress.RaiseLevel); level
// 4 moves it to head office. The overdue sweep uses it.
func (db *DB) raiseLevel(ctx context.Context, tx *Tx, c *caseRow) error {
	toHQ, err := redress.RaiseLevel(c.Case)
	if err != nil {
		return err
	}
	if toHQ {
		c.Handler, c.handlerID = "", 0
		return db.moveToHeadOffice(ctx, tx, c)
	}
	return nil
}

// moveToHeadOffice makes the head-office unit responsible for the case,
// with no handler until head office assigns one.
func (db *DB) moveToHeadOffice(ctx context.Context, tx *Tx, c *caseRow) error {
	var hqID int64
	var hqCode, hqPath string
	err := tx.QueryRowContext(ctx, `SELECT id, code, path FROM org_units WHERE parent_id IS NULL`).Scan(&hqID, &hqCode, &hqPath)
	if err != nil {
		return fmt.Errorf("find head office: %w", err)
	}
	c.orgID, c.Org, c.OrgPath = hqID, hqCode, hqPath
	c.handlerID, c.Handler = 0, ""
	return nil
}

func fieldError(field, problem string) error {
	return &redress.Error{Code: redress.EINVALID, Message: "invalid input", Fields: map[string]string{field: problem}}
}

// staleVersion explains a version conflict: who changed the case last.
func (db *DB) staleVersion(ctx context.Context, tx *Tx, c *caseRow, sent int) error {
	e := redress.Reasonf(redress.ECONFLICT, redress.ReasonStaleVersion, c.No, strconv.Itoa(sent), strconv.Itoa(c.Version))
	var actor, action, at string
	err := tx.QueryRowContext(ctx, `SELECT actor, action, at FROM events WHERE case_no = ? ORDER BY seq DESC LIMIT 1`, c.No).
		Scan(&actor, &action, &at)
	if err == nil {
		if t, perr := parseTime(at); perr == nil {
			at = t.In(redress.Beijing).Format("2006-01-02 15:04")
		}
		e = redress.Reasonf(redress.ECONFLICT, redress.ReasonStaleVersionBy, c.No, strconv.Itoa(sent), strconv.Itoa(c.Version), action, actor, at)
	}
	e.Fields = map[string]string{"version": strconv.Itoa(c.Version)}
	return e
}

func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
