package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"redress"
)

// CorrectiveService keeps the corrective actions (redress.CorrectiveService):
// one row each in corrective_actions, its linked cases in corrective_cases.
// Every step loads the row, asks the domain (redress.CorrectiveRule), and
// writes the row back under its version with an audit event in the same
// transaction.
type CorrectiveService struct{ db *DB }

// NewCorrectiveService returns the corrective action service of db.
func NewCorrectiveService(db *DB) *CorrectiveService { return &CorrectiveService{db: db} }

var _ redress.CorrectiveService = (*CorrectiveService)(nil)

const correctiveSelect = `SELECT a.id, a.status, a.version, a.source, a.source_note, a.root_cause_code, a.code_b,
	o.code, o.name, o.path, u.login, a.owner_id, a.problem, a.measures, a.due, a.opened_on, a.effect_months,
	a.evidence, a.done_on, a.done_at, a.done_by, a.progress_json, a.verifications_json, a.created_by, a.created_at, a.updated_at
FROM corrective_actions a JOIN org_units o ON o.id = a.org_id JOIN users u ON u.id = a.owner_id`

// correctiveRow is an action as stored: the domain's plus what stays here.
type correctiveRow struct {
	*redress.CorrectiveAction
	ownerID  int64
	openedOn redress.Date
	doneOn   redress.Date
}

func scanCorrective(row interface{ Scan(...any) error }) (*correctiveRow, error) {
	a := &correctiveRow{CorrectiveAction: &redress.CorrectiveAction{}}
	var due, opened, doneOn, progress, verifications, created, updated string
	var doneAt sql.NullString
	err := row.Scan(&a.ID, &a.Status, &a.Version, &a.Source, &a.SourceNote, &a.RootCauseCode, &a.CodeB,
		&a.Org, &a.OrgName, &a.OrgPath, &a.Owner, &a.ownerID, &a.Problem, &a.Measures, &due, &opened, &a.EffectMonths,
		&a.Evidence, &doneOn, &doneAt, &a.DoneBy, &progress, &verifications, &a.CreatedBy, &created, &updated)
	if err != nil {
		return nil, err
	}
	a.Ref = redress.CorrectiveRef(a.ID)
	for _, d := range []struct {
		text string
		to   *redress.Date
	}{{due, &a.Due}, {opened, &a.openedOn}, {doneOn, &a.doneOn}} {
		if d.text == "" {
			continue
		}
		if *d.to, err = redress.ParseDate(d.text); err != nil {
			return nil, fmt.Errorf("corrective action %d: %w", a.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(progress), &a.Progress); err != nil {
		return nil, fmt.Errorf("corrective action %d progress: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(verifications), &a.Verifications); err != nil {
		return nil, fmt.Errorf("corrective action %d verifications: %w", a.ID, err)
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if a.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	if a.DoneAt, err = parseNullTime(doneAt); err != nil {
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.In(redress.Beijing), a.UpdatedAt.In(redress.Beijing)
	if a.DoneAt != nil {
		t := a.DoneAt.In(redress.Beijing)
		a.DoneAt = &t
	}
	return a, nil
}

// correctiveUser is the acting user, who must read cases (the corrective
// actions are about them).
func correctiveUser(ctx context.Context) (*redress.User, error) { return caseReaderFrom(ctx) }

// today is the Beijing date of the store's clock.
func (db *DB) today() redress.Date { return redress.DateOf(db.now().In(redress.Beijing)) }

// OpenCorrective opens an action.
func (s *CorrectiveService) OpenCorrective(ctx context.Context, n redress.NewCorrectiveAction) (*redress.CorrectiveAction, error) {
	u, err := correctiveUser(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayOpenCorrective(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not open corrective actions", u.Role)
	}
	now := s.db.now()
	if err := n.Validate(s.db.today()); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.inTx(ctx, func(tx *Tx) error {
		var p redress.Problems
		org, err := s.db.orgByCode(ctx, tx, "org", n.Org)
		if err != nil {
			return err
		}
		if !redress.InSubtree(org.Path, u.OrgPath) {
			p.AddKey("org", redress.ProblemNoSuchOrg, n.Org)
		}
		owner, err := s.db.userByLogin(ctx, tx, "owner", n.Owner)
		if err != nil {
			return err
		}
		if owner.Disabled || !redress.InSubtree(owner.OrgPath, org.Path) {
			p.AddKey("owner", redress.ProblemNoSuchUser, n.Owner)
		}
		if err := s.db.checkCode(ctx, tx, &p, "root_cause_code", redress.DimensionRootCause, n.RootCauseCode); err != nil {
			return err
		}
		if err := s.db.checkCode(ctx, tx, &p, "code_b", redress.DimensionBusiness, n.CodeB); err != nil {
			return err
		}
		for _, no := range n.Cases {
			if _, err := s.db.loadCase(ctx, tx, u, no); redress.ErrorCode(err) == redress.ENOTFOUND {
				p.AddKey("cases", redress.ProblemNoSuchCase, no)
			} else if err != nil {
				return err
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO corrective_actions (status, version, source, source_note, root_cause_code, code_b,
			org_id, owner_id, problem, measures, due, opened_on, effect_months, created_by, created_at, updated_at)
			VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			redress.CorrectiveOpen, n.Source, n.SourceNote, n.RootCauseCode, n.CodeB, org.ID, owner.ID, n.Problem, n.Measures,
			n.Due, redress.DateOf(now.In(redress.Beijing)).String(), n.EffectMonths, u.Login, timeText(now), timeText(now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert corrective action: %w", err)
		}
		for _, no := range n.Cases {
			if _, err := tx.ExecContext(ctx, `INSERT INTO corrective_cases (action_id, case_no) VALUES (?, ?)`, id, no); err != nil {
				return fmt.Errorf("link case %s: %w", no, err)
			}
		}
		ref := redress.CorrectiveRef(id)
		changes := []redress.Change{{Field: "status", After: string(redress.CorrectiveOpen)}, {Field: "org", After: org.Code},
			{Field: "owner", After: owner.Login}, {Field: "due", After: n.Due}}
		if len(n.Cases) > 0 {
			changes = append(changes, redress.Change{Field: "cases", After: strings.Join(n.Cases, ",")})
		}
		if err := s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCorrective, ref), Actor: u.Login,
			Action: "corrective.open", At: now, Changes: changes, Detail: string(n.Source)}); err != nil {
			return err
		}
		to, err := s.db.nearestManagers(ctx, tx, org.Path, u.ID)
		if err != nil {
			return err
		}
		self, err := s.db.recipientsWhere(ctx, tx, `u.id = ?`, owner.ID)
		if err != nil {
			return err
		}
		_, err = s.db.insertNotifications(ctx, tx, mergeRecipients(self, to), nil, redress.Notification{Kind: redress.NotifyCorrectiveOpened,
			Subject: "整改事项 " + ref, Body: fmt.Sprintf("%s 由 %s 负责，整改期限 %s。", ref, owner.Name, n.Due)}, now)
		return err
	})
	if err != nil {
		return nil, wrap("open corrective action", err)
	}
	return s.Corrective(ctx, id)
}

// loadCorrective reads one action with its cases, as u may see it.
func (db *DB) loadCorrective(ctx context.Context, q querier, u *redress.User, id int64, lock bool) (*correctiveRow, error) {
	query := correctiveSelect + ` WHERE a.id = ?`
	if lock {
		query += db.dialect.forUpdate
	}
	a, err := scanCorrective(q.QueryRowContext(ctx, query, id))
	notFound := redress.Errorf(redress.ENOTFOUND, "corrective action %s not found", redress.CorrectiveRef(id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load corrective action %d: %w", id, err)
	}
	if !redress.MaySeeCorrective(a.CorrectiveAction, u) {
		return nil, notFound
	}
	a.Cases = []string{}
	if err := fillCorrectiveCases(ctx, q, []*redress.CorrectiveAction{a.CorrectiveAction}); err != nil {
		return nil, err
	}
	a.MarkOverdue(db.today())
	return a, nil
}

// Corrective reads one action, with the accountability measures of the
// linked cases that the reader may see.
func (s *CorrectiveService) Corrective(ctx context.Context, id int64) (*redress.CorrectiveAction, error) {
	u, err := correctiveUser(ctx)
	if err != nil {
		return nil, err
	}
	q := s.db.reads()
	a, err := s.db.loadCorrective(ctx, q, u, id, false)
	if err != nil {
		return nil, err
	}
	a.Accountability = []redress.CorrectiveAccountability{}
	for _, no := range a.Cases {
		c, err := s.db.loadCase(ctx, q, u, no)
		if redress.ErrorCode(err) == redress.ENOTFOUND {
			continue // out of the reader's scope, or an accusation about them
		}
		if err != nil {
			return nil, err
		}
		if d := c.Determination; d != nil && d.AccountabilityMeasure != "" && d.AccountabilityMeasure != redress.AccountabilityNone {
			a.Accountability = append(a.Accountability, redress.CorrectiveAccountability{Case: no, Measure: d.AccountabilityMeasure, Staff: d.AccountableStaff})
		}
	}
	return a.CorrectiveAction, nil
}

// ListCorrective lists actions in scope, newest first.
func (s *CorrectiveService) ListCorrective(ctx context.Context, f redress.CorrectiveFilter) (*redress.CorrectivePage, error) {
	u, err := correctiveUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	path := u.OrgPath
	if f.Org != "" {
		o, err := s.db.orgByCode(ctx, s.db.reads(), "org", f.Org)
		if err != nil {
			return nil, err
		}
		if !redress.InSubtree(o.Path, u.OrgPath) {
			return &redress.CorrectivePage{Actions: []*redress.CorrectiveAction{}}, nil
		}
		path = o.Path
	}
	where := []string{`(o.path LIKE ? OR (a.owner_id = ? AND ? = ''))`}
	args := []any{path + "%", u.ID, f.Org}
	if f.Status != "" {
		where, args = append(where, `a.status = ?`), append(args, f.Status)
	}
	if f.Overdue {
		where, args = append(where, `a.status = ? AND a.due < ?`), append(args, redress.CorrectiveOpen, s.db.today().String())
	}
	if f.Before > 0 {
		where, args = append(where, `a.id < ?`), append(args, f.Before)
	}
	rows, err := s.db.reads().QueryContext(ctx, correctiveSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY a.id DESC LIMIT ?`,
		append(args, f.Limit+1)...)
	if err != nil {
		return nil, fmt.Errorf("list corrective actions: %w", err)
	}
	defer rows.Close()
	page := &redress.CorrectivePage{Actions: []*redress.CorrectiveAction{}}
	today := s.db.today()
	for rows.Next() {
		a, err := scanCorrective(rows)
		if err != nil {
			return nil, fmt.Errorf("list corrective actions: %w", err)
		}
		if len(page.Actions) == f.Limit {
			page.NextBefore = page.Actions[len(page.Actions)-1].ID
			break
		}
		a.MarkOverdue(today)
		a.Cases, a.Accountability = []string{}, []redress.CorrectiveAccountability{}
		page.Actions = append(page.Actions, a.CorrectiveAction)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list corrective actions: %w", err)
	}
	rows.Close()
	return page, fillCorrectiveCases(ctx, s.db.reads(), page.Actions)
}

// fillCorrectiveCases puts on each action (one, or a page) the tracking
// numbers of its linked cases, in one query.
func fillCorrectiveCases(ctx context.Context, q querier, actions []*redress.CorrectiveAction) error {
	if len(actions) == 0 {
		return nil
	}
	byID := map[int64]*redress.CorrectiveAction{}
	args := make([]any, len(actions))
	for i, a := range actions {
		byID[a.ID], args[i] = a, a.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT action_id, case_no FROM corrective_cases WHERE action_id IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(actions)), ", ")+`) ORDER BY action_id, case_no`, args...)
	if err != nil {
		return fmt.Errorf("cases of corrective actions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var no string
		if err := rows.Scan(&id, &no); err != nil {
			return fmt.Errorf("cases of corrective actions: %w", err)
		}
		byID[id].Cases = append(byID[id].Cases, no)
	}
	return rows.Err()
}

// Effect counts an action's effect as of today.
func (s *CorrectiveService) Effect(ctx context.Context, id int64) (*redress.CorrectiveEffect, error) {
	u, err := correctiveUser(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.db.loadCorrective(ctx, s.db.reads(), u, id, false)
	if err != nil {
		return nil, err
	}
	return s.db.correctiveEffect(ctx, s.db.reads(), a)
}

// correctiveEffect counts the cases about the action's unit subtree (the
// unit complained about, else the unit that received the case) with its
// root cause and business (a B code matches the codes below it), received
// in the window before it was opened and in the window after it was done (or
// after today while it is not done). A case is counted by its root cause
// once determined: cases still being investigated count for neither window.
func (db *DB) correctiveEffect(ctx context.Context, q querier, a *correctiveRow) (*redress.CorrectiveEffect, error) {
	today := db.today()
	done := a.doneOn
	if done.IsZero() {
		done = today
	}
	e := &redress.CorrectiveEffect{Months: a.EffectMonths}
	e.BeforeFrom, e.BeforeTo, e.AfterFrom, e.AfterTo, e.AfterPartial = redress.EffectWindows(a.EffectMonths, a.openedOn, done, today)
	count := func(from, to redress.Date) (int, error) {
		if to.Before(from) {
			return 0, nil
		}
		start, end, err := redress.DayRange(from.String(), to.String())
		if err != nil {
			return 0, err
		}
		where := []string{`o.path LIKE ?`, `c.received_at >= ?`, `c.received_at < ?`}
		args := []any{a.OrgPath + "%", timeText(start), timeText(end)}
		if a.RootCauseCode != "" {
			where, args = append(where, `c.root_cause_code = ?`), append(args, a.RootCauseCode)
		}
		if a.CodeB != "" {
			where, args = append(where, `(c.code_b = ? OR c.code_b LIKE ?)`), append(args, a.CodeB, a.CodeB+"%")
		}
		var n int
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases c JOIN org_units o ON o.id = COALESCE(c.respondent_org_id, c.origin_org_id)
			WHERE `+strings.Join(where, " AND "), args...).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("effect of %s: %w", a.Ref, err)
		}
		return n, nil
	}
	var err error
	if e.Before, err = count(e.BeforeFrom, e.BeforeTo); err != nil {
		return nil, err
	}
	if e.After, err = count(e.AfterFrom, e.AfterTo); err != nil {
		return nil, err
	}
	e.FinishEffect()
	return e, nil
}

// StepCorrective takes one step under the action's version.
func (s *CorrectiveService) StepCorrective(ctx context.Context, id int64, req redress.CorrectiveRequest) (*redress.CorrectiveAction, error) {
	u, err := correctiveUser(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	today := s.db.today()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		a, err := s.db.loadCorrective(ctx, tx, u, id, true)
		if err != nil {
			return err
		}
		if err := redress.CorrectiveRule(a.CorrectiveAction, u, req, today); err != nil {
			return err
		}
		if req.Version != a.Version {
			return redress.Errorf(redress.ECONFLICT, "corrective action %s was changed by someone else: you sent version %d, it is now at version %d; reload it and try again",
				a.Ref, req.Version, a.Version)
		}
		before := a.Status
		text := strings.TrimSpace(req.Text)
		var notify func() error
		switch req.Step {
		case redress.StepProgress:
			a.Progress = append(a.Progress, redress.Entry{Author: u.Login, At: now.In(redress.Beijing), Text: text})
		case redress.StepDone:
			a.Status, a.Evidence, a.DoneBy, a.doneOn = redress.CorrectiveDone, text, u.Login, today
			at := now.In(redress.Beijing)
			a.DoneAt = &at
			notify = func() error {
				to, err := s.db.nearestManagers(ctx, tx, a.OrgPath, u.ID)
				if err != nil {
					return err
				}
				_, err = s.db.insertNotifications(ctx, tx, to, nil, redress.Notification{Kind: redress.NotifyCorrectiveDone,
					Subject: "整改事项 " + a.Ref + " 待验证", Body: a.Ref + " 已报告完成，请验证整改效果。"}, now)
				return err
			}
		case redress.StepVerify:
			effect, err := s.db.correctiveEffect(ctx, tx, a)
			if err != nil {
				return err
			}
			v := redress.CorrectiveVerification{By: u.Login, At: now.In(redress.Beijing), Effective: *req.Effective, Note: text, Effect: *effect}
			if *req.Effective {
				a.Status = redress.CorrectiveVerified
			} else {
				v.NewDue, _ = redress.ParseDate(req.NewDue) // checked by the rule
				a.Status, a.Due, a.doneOn, a.DoneAt, a.DoneBy = redress.CorrectiveOpen, v.NewDue, redress.Date{}, nil, ""
				notify = func() error {
					to, err := s.db.recipientsWhere(ctx, tx, `u.id = ?`, a.ownerID)
					if err != nil {
						return err
					}
					_, err = s.db.insertNotifications(ctx, tx, to, nil, redress.Notification{Kind: redress.NotifyCorrectiveBack,
						Subject: "整改事项 " + a.Ref + " 验证未通过", Body: a.Ref + " 整改效果未达到要求，新的整改期限 " + v.NewDue.String() + "。"}, now)
					return err
				}
			}
			a.Verifications = append(a.Verifications, v)
		}
		progress, err := json.Marshal(a.Progress)
		if err != nil {
			return err
		}
		verifications, err := json.Marshal(a.Verifications)
		if err != nil {
			return err
		}
		var doneAt any
		if a.DoneAt != nil {
			doneAt = timeText(*a.DoneAt)
		}
		res, err := tx.ExecContext(ctx, `UPDATE corrective_actions SET status = ?, version = version + 1, due = ?, evidence = ?,
			done_on = ?, done_at = ?, done_by = ?, progress_json = ?, verifications_json = ?, updated_at = ?
			WHERE id = ? AND version = ?`, a.Status, a.Due.String(), a.Evidence, a.doneOn.String(), doneAt, a.DoneBy,
			string(progress), string(verifications), timeText(now), a.ID, a.Version)
		if err != nil {
			return fmt.Errorf("update corrective action %s: %w", a.Ref, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return redress.Errorf(redress.ECONFLICT, "corrective action %s was changed by someone else; reload it and try again", a.Ref)
		}
		var changes []redress.Change
		if a.Status != before {
			changes = append(changes, redress.Change{Field: "status", Before: string(before), After: string(a.Status)})
		}
		if err := s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCorrective, a.Ref), Actor: u.Login,
			Action: "corrective." + string(req.Step), At: now, Changes: changes, Detail: text}); err != nil {
			return err
		}
		if notify != nil {
			return notify()
		}
		return nil
	})
	if err != nil {
		return nil, wrap("corrective action", err)
	}
	return s.Corrective(ctx, id)
}

// CorrectiveSummary counts the actions of a unit's subtree.
func (s *CorrectiveService) CorrectiveSummary(ctx context.Context, org string, from, to redress.Date) (*redress.CorrectiveSummary, error) {
	u, err := correctiveUser(ctx)
	if err != nil {
		return nil, err
	}
	path := u.OrgPath
	if org != "" {
		o, err := s.db.orgByCode(ctx, s.db.reads(), "org", org)
		if err != nil {
			return nil, err
		}
		if !redress.InSubtree(o.Path, u.OrgPath) {
			return nil, redress.Errorf(redress.ENOTFOUND, "unit %s not found", org)
		}
		path = o.Path
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT a.status, a.due, a.opened_on, a.verifications_json
		FROM corrective_actions a JOIN org_units o ON o.id = a.org_id WHERE o.path LIKE ?`, path+"%")
	if err != nil {
		return nil, fmt.Errorf("corrective summary: %w", err)
	}
	defer rows.Close()
	sum := &redress.CorrectiveSummary{}
	today := s.db.today()
	for rows.Next() {
		var status redress.CorrectiveStatus
		var due, opened, verifications string
		if err := rows.Scan(&status, &due, &opened, &verifications); err != nil {
			return nil, fmt.Errorf("corrective summary: %w", err)
		}
		var vs []redress.CorrectiveVerification
		if err := json.Unmarshal([]byte(verifications), &vs); err != nil {
			return nil, fmt.Errorf("corrective summary: %w", err)
		}
		switch status {
		case redress.CorrectiveOpen:
			sum.Open++
			if d, err := redress.ParseDate(due); err == nil && d.Before(today) {
				sum.Overdue++
			}
		case redress.CorrectiveDone:
			sum.Done++
		case redress.CorrectiveVerified:
			sum.Verified++
			if len(vs) > 0 && vs[len(vs)-1].Effect.Fewer {
				sum.Effective++
			}
		}
		for _, v := range vs {
			if !v.Effective {
				sum.SentBack++
			}
		}
		if d, err := redress.ParseDate(opened); err == nil && !d.Before(from) && !d.After(to) {
			sum.OpenedFrom++
		}
	}
	return sum, rows.Err()
}

// CorrectiveOfCase lists the actions that link a case, as u may see them
// (the case page shows them).
func (s *CorrectiveService) CorrectiveOfCase(ctx context.Context, no string) ([]*redress.CorrectiveAction, error) {
	u, err := correctiveUser(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT action_id FROM corrective_cases WHERE case_no = ? ORDER BY action_id`, no)
	if err != nil {
		return nil, fmt.Errorf("corrective actions of %s: %w", no, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []*redress.CorrectiveAction{}
	for _, id := range ids {
		a, err := s.db.loadCorrective(ctx, s.db.reads(), u, id, false)
		if redress.ErrorCode(err) == redress.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, a.CorrectiveAction)
	}
	return out, nil
}

// sweepCorrective sends, once per action and due date, the overdue notice
// of each open action past its due date: to its owner and to the managers of
// the unit above the owner unit (the escalation), in-app. It returns how
// many actions it noticed.
func (db *DB) sweepCorrective(ctx context.Context, now time.Time) (int, error) {
	today := redress.DateOf(now.In(redress.Beijing))
	rows, err := db.reads().QueryContext(ctx, `SELECT a.id, a.due, a.owner_id, o.path FROM corrective_actions a
		JOIN org_units o ON o.id = a.org_id
		WHERE a.status = ? AND a.due < ?
		AND NOT EXISTS (SELECT 1 FROM corrective_alerts al WHERE al.action_id = a.id AND al.due = a.due)
		ORDER BY a.id LIMIT 1000`, redress.CorrectiveOpen, today.String())
	if err != nil {
		return 0, fmt.Errorf("sweep corrective actions: %w", err)
	}
	type overdue struct {
		id, owner int64
		due, path string
	}
	var list []overdue
	for rows.Next() {
		var o overdue
		if err := rows.Scan(&o.id, &o.due, &o.owner, &o.path); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	for _, o := range list {
		err := db.inTx(ctx, func(tx *Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO corrective_alerts (action_id, due, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				o.id, o.due, timeText(now))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another server sent it
			}
			owner, err := db.recipientsWhere(ctx, tx, `u.id = ?`, o.owner)
			if err != nil {
				return err
			}
			superior, err := db.nearestManagers(ctx, tx, parentPath(o.path), o.owner)
			if err != nil {
				return err
			}
			ref := redress.CorrectiveRef(o.id)
			if _, err := db.insertNotifications(ctx, tx, mergeRecipients(owner, superior), nil, redress.Notification{Kind: redress.NotifyCorrectiveOverdue,
				Subject: "整改事项 " + ref + " 已超期", Body: fmt.Sprintf("%s 的整改期限 %s 已过，尚未完成。", ref, o.due)}, now); err != nil {
				return err
			}
			sent++
			return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCorrective, ref), Actor: "system",
				Action: "corrective.overdue", At: now, Detail: "due " + o.due})
		})
		if err != nil {
			return sent, fmt.Errorf("sweep corrective action %d: %w", o.id, err)
		}
	}
	return sent, nil
}

// parentPath is the path of the unit above the unit at path ("/1/2/" for
// "/1/2/3/"); the root's own path for the root.
func parentPath(path string) string {
	trimmed := strings.TrimSuffix(path, "/")
	i := strings.LastIndexByte(trimmed, '/')
	if i <= 0 {
		return path
	}
	return trimmed[:i+1]
}
