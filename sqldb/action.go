package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"redress"
)

// Act performs one lifecycle action on a case at the given version, in one
// transaction with its audit event. The checks run in this order: scope
// (ENOTFOUND), role (EFORBIDDEN), status (ECONFLICT naming it), version
// (ECONFLICT naming who changed the case), then the action's own rules.
func (s *CaseService) Act(ctx context.Context, no string, req redress.ActionRequest) (*redress.Case, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := caseReader(u); err != nil {
		return nil, err
	}
	if _, ok := redress.Lifecycle[req.Action]; !ok || req.Action == redress.ActionRegister {
		return nil, redress.Errorf(redress.ENOTFOUND, "unknown action %q", req.Action)
	}
	now := s.db.now()
	if err := req.Validate(now); err != nil {
		return nil, err
	}
	var result *caseRow
	err = s.db.inTx(ctx, func(tx *sql.Tx) error {
		c, err := s.db.loadCase(ctx, tx, u, no)
		if err != nil {
			return err
		}
		next, err := redress.Transition(req.Action, c.Status, u.Role, c.handlerID == u.ID)
		if err != nil {
			return err
		}
		if req.Version != c.Version {
			return s.db.staleVersion(ctx, tx, c, req.Version)
		}
		if c.conflicted[u.ID] && req.Action != redress.ActionNote {
			return redress.Errorf(redress.EFORBIDDEN, "you declared a conflict of interest on case %s and may not act on it", c.No)
		}
		before := *c.Case
		before.Determination, before.Reply = clone(c.Determination), clone(c.Reply)
		a := &applied{db: s.db, ctx: ctx, tx: tx, actor: u, c: c, req: &req, now: now}
		if err := a.apply(next); err != nil {
			return err
		}
		if req.Action != redress.ActionNote {
			c.Version++
			c.UpdatedAt = now
			if err := s.db.updateCase(ctx, tx, c, req.Version); err != nil {
				return err
			}
		}
		if a.entry != "" {
			if err := s.db.insertEntry(ctx, tx, c.ID, a.entry, u.ID, req.Text, now); err != nil {
				return err
			}
		}
		if a.deadline != nil {
			if err := s.db.insertDeadlineChange(ctx, tx, c.ID, *a.deadline); err != nil {
				return err
			}
		}
		switch req.Action {
		case redress.ActionInvestigate, redress.ActionReply, redress.ActionResolveOnSpot:
			if err := s.db.indexCase(ctx, tx, c.ID); err != nil { // the searchable text changed
				return err
			}
		}
		if err := s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: u.Login, Action: redress.CaseEventAction(req.Action),
			At: now, Changes: diffCase(&before, c.Case), Detail: a.detail}); err != nil {
			return err
		}
		result, err = s.db.loadCase(ctx, tx, u, no)
		return err
	})
	if err != nil {
		return nil, wrap(string(req.Action)+" case", err)
	}
	return result.Case, nil
}

// applied carries one action while it changes a case in memory.
type applied struct {
	db       *DB
	ctx      context.Context
	tx       *sql.Tx
	actor    *redress.User
	c        *caseRow
	req      *redress.ActionRequest
	now      time.Time
	detail   string                  // free text recorded on the event: reason, finding, note
	entry    string                  // "finding" or "note" when the action adds one
	deadline *redress.DeadlineChange // the deadline history entry the action adds
}

func (a *applied) apply(next redress.Status) error {
	c, req := a.c, a.req
	c.Status = next
	switch req.Action {
	case redress.ActionResolveOnSpot:
		if req.Determination.Liability != "" {
			c.Determination = &req.Determination
		}
		if err := a.setReply(); err != nil {
			return err
		}
		if c.handlerID == 0 {
			c.handlerID, c.Handler = a.actor.ID, a.actor.Login
		}
	case redress.ActionAccept:
		login := req.Handler
		if login == "" {
			login = a.actor.Login
		}
		if err := a.setHandler(login); err != nil {
			return err
		}
		c.Level = max(c.Level, 2)
	case redress.ActionAssign:
		if err := a.setHandler(req.Handler); err != nil {
			return err
		}
	case redress.ActionEscalate:
		return a.escalate()
	case redress.ActionInvestigate:
		a.entry, a.detail = "finding", req.Text
	case redress.ActionDetermine:
		c.Determination = &req.Determination
	case redress.ActionReply:
		return a.setReply()
	case redress.ActionSignOff:
		if c.handlerID == a.actor.ID {
			return redress.Errorf(redress.EFORBIDDEN, "the handler of a case may not sign it off")
		}
		if c.respondentStaffID == a.actor.ID {
			return redress.Errorf(redress.EFORBIDDEN, "the staff member complained about may not sign the case off")
		}
		c.SignedOffBy, c.signedOffByID, c.SignedOffAt = a.actor.Login, a.actor.ID, &a.now
		a.detail = req.Text
	case redress.ActionClose:
		c.Satisfaction, c.ClosedAt = req.Satisfaction, &a.now
		a.detail = req.Text
	case redress.ActionReopen:
		c.SignedOffBy, c.signedOffByID, c.SignedOffAt = "", 0, nil
		c.Satisfaction, c.ClosedAt = "", nil
		a.detail = req.Reason
	case redress.ActionWithdraw, redress.ActionReject:
		c.EndReason, c.ClosedAt = req.Reason, &a.now
		a.detail = req.Reason
	case redress.ActionNote:
		a.entry, a.detail = "note", req.Text
	case redress.ActionDeclareConflict:
		return a.declareConflict()
	case redress.ActionExtend:
		return a.extend()
	case redress.ActionPause:
		return a.pause()
	case redress.ActionResume:
		return a.resume()
	case redress.ActionNewFacts:
		return a.newFacts()
	}
	return nil
}

// declareConflict records the actor's conflict of interest; a handler who
// declares one stops being the handler.
func (a *applied) declareConflict() error {
	_, err := a.tx.ExecContext(a.ctx, a.db.dialect.rebind(`INSERT INTO case_conflicts (case_id, user_id, reason, at) VALUES (?, ?, ?, ?)`),
		a.c.ID, a.actor.ID, a.req.Reason, timeText(a.now))
	if err != nil {
		return fmt.Errorf("declare conflict: %w", err)
	}
	if a.c.handlerID == a.actor.ID {
		a.c.handlerID, a.c.Handler = 0, ""
	}
	a.detail = a.req.Reason
	return nil
}

func (a *applied) setReply() error {
	c := a.c
	if c.Kind == redress.KindComplaint && c.Determination == nil {
		return &redress.Error{Code: redress.ECONFLICT,
			Message: "a complaint must be determined (liability, responsible party, root cause) before it is replied to",
			Fields:  map[string]string{"liability": "determine the case first"}}
	}
	reply := a.req.Reply
	reply.NoticeAt = reply.NoticeAt.UTC().Truncate(time.Microsecond)
	if reply.Remedies == nil {
		reply.Remedies = []redress.Remedy{}
	}
	c.Reply, c.RepliedAt = &reply, &a.now
	return nil
}

// setHandler makes the user with the given login the handler, if they can
// take it: a case role, the case inside their scope, and not the person the
// complaint is about (回避).
func (a *applied) setHandler(login string) error {
	h, err := a.db.userByLogin(a.ctx, a.tx, "handler", login)
	if err != nil {
		return err
	}
	switch {
	case !redress.MayRegister(h.Role):
		return fieldError("handler", login+" is "+string(h.Role)+" and cannot handle cases")
	case !sees(h, a.c.orgPath, a.c.originPath):
		return fieldError("handler", login+" works outside the units this case belongs to")
	case h.ID == a.c.respondentStaffID:
		return fieldError("handler", login+" is the staff member complained about and must recuse")
	case a.c.conflicted[h.ID]:
		return fieldError("handler", login+" declared a conflict of interest on this case")
	}
	a.c.handlerID, a.c.Handler = h.ID, h.Login
	return nil
}

// escalate raises the level by one: 2 complaint manager, 3 branch head,
// 4 head office. Only the branch head or head office takes a case to head office.
func (a *applied) escalate() error {
	if a.c.Level == 3 && a.actor.Role != redress.RoleBranchHead && a.actor.Role != redress.RoleHQService {
		return redress.Errorf(redress.EFORBIDDEN, "only the branch head or head office may escalate a case to head office")
	}
	a.detail = a.req.Reason
	return a.db.raiseLevel(a.ctx, a.tx, a.c)
}

// raiseLevel raises a case one escalation level in memory; level 4 moves it
// to the head-office unit and clears the handler for head office to assign.
// The escalate action and the overdue sweep share it.
func (db *DB) raiseLevel(ctx context.Context, tx *sql.Tx, c *caseRow) error {
	if c.Level >= 4 {
		return redress.Errorf(redress.ECONFLICT, "case %s is already at head office (level 4)", c.No)
	}
	c.Level++
	if c.Level < 4 {
		return nil
	}
	var hqID int64
	var hqCode, hqPath string
	err := tx.QueryRowContext(ctx, `SELECT id, code, path FROM org_units WHERE parent_id IS NULL`).Scan(&hqID, &hqCode, &hqPath)
	if err != nil {
		return fmt.Errorf("find head office: %w", err)
	}
	c.orgID, c.Org, c.orgPath = hqID, hqCode, hqPath
	c.handlerID, c.Handler = 0, ""
	return nil
}

// recompute sets the case's due dates from its clocks and records the
// deadline history entry of the action.
func (a *applied) recompute(change redress.DeadlineChange) error {
	e, err := a.db.engine(a.ctx, a.tx)
	if err != nil {
		return err
	}
	change.Before = a.c.DecisionDue
	if err := e.setDeadlines(a.c); err != nil {
		return err
	}
	change.After, change.At, change.Actor, change.Clock = a.c.DecisionDue, a.now, a.actor.Login, a.c.DecisionClock
	change.Action = string(a.req.Action)
	a.deadline, a.detail = &change, change.Reason
	return nil
}

// notice returns the notice to the customer the request records, if any.
func (a *applied) notice() *redress.NoticeRecord {
	if a.req.NoticeMethod == "" {
		return nil
	}
	return &redress.NoticeRecord{Method: a.req.NoticeMethod, At: a.req.NoticeAt.UTC().Truncate(time.Microsecond), Proof: a.req.NoticeProof}
}

// extend steps the decision clock up one rung of the case's ladder (15 → 30
// → 60 days for a complaint, 60 → 90 for a petition). The last step needs an
// approver — the actor must be head office, or a branch head or manager of a
// branch-level unit above the case (for a petition, the head of the unit or
// above) — with the approval's reference, and a recorded notice to the customer.
func (a *applied) extend() error {
	c := a.c
	if c.RegulatorDue != "" {
		return redress.Errorf(redress.ECONFLICT, "case %s keeps the regulator's due date %s; ask the regulator to extend it", c.No, c.RegulatorDue)
	}
	if c.PausedSince != "" {
		return redress.Errorf(redress.ECONFLICT, "case %s is paused since %s; resume it first", c.No, c.PausedSince)
	}
	ladder := redress.ClocksFor(c.Kind).Ladder
	next := ""
	for i, name := range ladder[:len(ladder)-1] {
		if name == c.DecisionClock {
			next = ladder[i+1]
		}
	}
	if next == "" {
		return redress.Errorf(redress.ECONFLICT, "case %s is already on its longest clock (%s)", c.No, c.DecisionClock)
	}
	needsApproval, needsNotice := redress.ExtensionNeeds(next)
	var p redress.Problems
	if needsApproval {
		if a.req.Approval == "" {
			p.Add("approval", "required: the reference of the superior's approval (审批单号)")
		}
		ok, err := a.mayApprove()
		if err != nil {
			return err
		}
		if !ok {
			return redress.Errorf(redress.EFORBIDDEN,
				"extending to %s needs the approval of the branch head's superior institution or head office: it must be taken by such an approver", next)
		}
	}
	if needsNotice && a.req.NoticeMethod == "" {
		p.Add("notice_method", "required: the customer must be told of this extension (method, time, proof)")
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.DecisionClock = next
	return a.recompute(redress.DeadlineChange{Reason: a.req.Reason, Approval: a.req.Approval, Notice: a.notice()})
}

// mayApprove reports whether the actor may approve the last extension step.
func (a *applied) mayApprove() (bool, error) {
	u := a.actor
	if u.Role == redress.RoleHQService {
		return true, nil
	}
	if !redress.InSubtree(a.c.orgPath, u.OrgPath) {
		return false, nil
	}
	if a.c.Kind == redress.KindPetition {
		return u.Role == redress.RoleBranchHead, nil
	}
	var kind redress.OrgKind
	if err := a.tx.QueryRowContext(a.ctx, a.db.dialect.rebind(`SELECT kind FROM org_units WHERE id = ?`), u.OrgID).Scan(&kind); err != nil {
		return false, fmt.Errorf("approver's unit: %w", err)
	}
	return (u.Role == redress.RoleBranchHead || u.Role == redress.RoleManager) &&
		(kind == redress.OrgBranch || kind == redress.OrgHQ), nil
}

// pause stops the decision clock for an appraisal or a mediation, with the
// notice to the customer.
func (a *applied) pause() error {
	if a.c.PausedSince != "" {
		return redress.Errorf(redress.ECONFLICT, "case %s is already paused since %s", a.c.No, a.c.PausedSince)
	}
	a.c.PausedSince = redress.DateOf(a.now).String()
	reason := string(a.req.Cause) + ": " + a.req.Reason
	return a.recompute(redress.DeadlineChange{Reason: reason, Notice: a.notice()})
}

// resume restarts a paused clock: the decision deadline moves by exactly the
// calendar days the clock stood still.
func (a *applied) resume() error {
	if a.c.PausedSince == "" {
		return redress.Errorf(redress.ECONFLICT, "case %s is not paused", a.c.No)
	}
	since, err := redress.ParseDate(a.c.PausedSince)
	if err != nil {
		return fmt.Errorf("case %s paused since: %w", a.c.No, err)
	}
	days := redress.DateOf(a.now).Sub(since)
	a.c.PausedDays += max(days, 0)
	a.c.PausedSince = ""
	reason := strings.TrimSpace(fmt.Sprintf("paused %d days. %s", max(days, 0), a.req.Reason))
	return a.recompute(redress.DeadlineChange{Reason: reason, Notice: a.notice()})
}

// newFacts restarts the clocks from the day new facts or grounds were
// received: the reply and decision clocks count again from then, pauses are
// forgotten, and the decision clock in force is kept.
func (a *applied) newFacts() error {
	if a.c.PausedSince != "" {
		return redress.Errorf(redress.ECONFLICT, "case %s is paused since %s; resume it first", a.c.No, a.c.PausedSince)
	}
	received := redress.DateOf(a.req.FactsReceivedAt)
	if start, err := redress.ParseDate(a.c.ClockStart); err == nil && received.Before(start) {
		return fieldError("facts_received_at", "is before the clocks last started ("+a.c.ClockStart+")")
	}
	a.c.ClockStart, a.c.PausedDays = received.String(), 0
	return a.recompute(redress.DeadlineChange{Reason: a.req.Reason})
}

func fieldError(field, problem string) error {
	return &redress.Error{Code: redress.EINVALID, Message: "invalid input", Fields: map[string]string{field: problem}}
}

// staleVersion explains a version conflict: who changed the case last.
func (db *DB) staleVersion(ctx context.Context, tx *sql.Tx, c *caseRow, sent int) error {
	msg := fmt.Sprintf("case %s was changed by someone else: you sent version %d, it is now at version %d", c.No, sent, c.Version)
	var actor, action, at string
	err := tx.QueryRowContext(ctx, db.dialect.rebind(`SELECT actor, action, at FROM events WHERE case_no = ? ORDER BY seq DESC LIMIT 1`), c.No).
		Scan(&actor, &action, &at)
	if err == nil {
		if t, perr := parseTime(at); perr == nil {
			at = t.In(redress.Beijing).Format("2006-01-02 15:04")
		}
		msg += fmt.Sprintf(" (last change: %s by %s at %s); reload it and try again", action, actor, at)
	}
	return &redress.Error{Code: redress.ECONFLICT, Message: msg, Fields: map[string]string{"version": strconv.Itoa(c.Version)}}
}

func (db *DB) updateCase(ctx context.Context, tx *sql.Tx, c *caseRow, oldVersion int) error {
	d := c.Determination
	if d == nil {
		d = &redress.Determination{}
	}
	var replyJSON, outcome string
	var redressFen any
	if c.Reply != nil {
		raw, err := json.Marshal(c.Reply)
		if err != nil {
			return fmt.Errorf("encode reply: %w", err)
		}
		replyJSON, outcome = string(raw), string(c.Reply.Outcome)
		if c.Reply.RedressPaid != "" {
			redressFen, _ = redress.ParseAmount(c.Reply.RedressPaid) // validated
		}
	}
	var pausedSince any
	if c.PausedSince != "" {
		pausedSince = c.PausedSince
	}
	res, err := tx.ExecContext(ctx, db.dialect.rebind(`UPDATE cases SET org_id = ?, handler_id = ?, level = ?, status = ?,
		version = ?, liability = ?, responsible_party = ?, root_cause = ?, accountability = ?, outcome = ?, redress_fen = ?,
		reply_json = ?, replied_at = ?, signed_off_by_id = ?, signed_off_at = ?, satisfaction = ?, closed_at = ?,
		end_reason = ?, updated_at = ?, reply_due = ?, decision_due = ?, decision_clock = ?, clock_start = ?,
		paused_since = ?, paused_days = ?, due_warning = ? WHERE id = ? AND version = ?`),
		c.orgID, nullID(c.handlerID), c.Level, c.Status, c.Version, d.Liability, d.ResponsibleParty, d.RootCause,
		d.Accountability, outcome, redressFen, replyJSON, nullTimeText(c.RepliedAt), nullID(c.signedOffByID),
		nullTimeText(c.SignedOffAt), c.Satisfaction, nullTimeText(c.ClosedAt), c.EndReason, timeText(c.UpdatedAt),
		c.ReplyDue, c.DecisionDue, c.DecisionClock, c.ClockStart, pausedSince, c.PausedDays, c.DueWarning,
		c.ID, oldVersion)
	if err != nil {
		return fmt.Errorf("update case: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return redress.Errorf(redress.ECONFLICT, "case %s was changed by someone else; reload it and try again", c.No)
	}
	return nil
}

func (db *DB) insertEntry(ctx context.Context, tx *sql.Tx, caseID int64, kind string, author int64, text string, at time.Time) error {
	_, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO case_entries (case_id, kind, author_id, at, text) VALUES (?, ?, ?, ?, ?)`),
		caseID, kind, author, timeText(at), text)
	if err != nil {
		return fmt.Errorf("insert %s: %w", kind, err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// caseFields flattens what an event records of a case: every field a user
// can see or change, personal data masked as the case already carries it.
func caseFields(c *redress.Case) map[string]string {
	if c == nil {
		return map[string]string{}
	}
	f := map[string]string{
		"kind": string(c.Kind), "channel": string(c.Channel), "received_at": c.ReceivedAt.UTC().Format(time.RFC3339),
		"complainant.name": c.Complainant.Name, "complainant.id_type": string(c.Complainant.IDType),
		"complainant.id_number": c.Complainant.IDNumber, "complainant.phone": c.Complainant.Phone,
		"complainant.account": c.Complainant.Account, "complainant.org_name": c.Complainant.OrgName,
		"complainant.credit_code": c.Complainant.CreditCode, "complainant.legal_rep": c.Complainant.LegalRep,
		"respondent.org": c.Respondent.Org, "respondent.staff": c.Respondent.Staff, "accusation": strconv.FormatBool(c.Accusation),
		"subject": c.Subject, "description": c.Description, "request": c.Request, "amount": c.Amount,
		"code_a": c.CodeA, "code_b": c.CodeB, "code_c": c.CodeC, "risk": string(c.Risk), "priority": string(c.Priority),
		"org": c.Org, "first_responder": c.FirstResponder, "handler": c.Handler, "level": strconv.Itoa(c.Level),
		"status": string(c.Status), "reply_due": c.ReplyDue, "decision_due": c.DecisionDue,
		"decision_clock": c.DecisionClock, "clock_start": c.ClockStart, "paused_since": c.PausedSince,
		"paused_days": strconv.Itoa(c.PausedDays), "regulator_ref": c.RegulatorRef, "regulator_due": c.RegulatorDue,
		"signed_off_by": c.SignedOffBy, "satisfaction": string(c.Satisfaction), "end_reason": c.EndReason,
		"closed_at": timeOrEmpty(c.ClosedAt),
	}
	if d := c.Determination; d != nil {
		f["liability"], f["responsible_party"], f["root_cause"], f["accountability"] =
			string(d.Liability), d.ResponsibleParty, d.RootCause, d.Accountability
	}
	if r := c.Reply; r != nil {
		remedies := make([]string, len(r.Remedies))
		for i, x := range r.Remedies {
			remedies[i] = string(x)
		}
		f["reply.facts"], f["reply.basis"], f["reply.outcome"], f["reply.redress"] = r.Facts, r.Basis, string(r.Outcome), r.Redress
		f["reply.redress_amount"], f["reply.remedies"] = r.RedressPaid, strings.Join(remedies, ",")
		f["reply.notice_method"], f["reply.notice_at"], f["reply.notice_proof"] =
			string(r.NoticeMethod), r.NoticeAt.UTC().Format(time.RFC3339), r.NoticeProof
	}
	return f
}

func timeOrEmpty(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// diffCase lists the fields whose value differs between before and after,
// sorted by name; a nil before means a new case.
func diffCase(before, after *redress.Case) []redress.Change {
	b, a := caseFields(before), caseFields(after)
	changes := []redress.Change{}
	for field, value := range a {
		if b[field] != value {
			changes = append(changes, redress.Change{Field: field, Before: b[field], After: value})
		}
	}
	for field, value := range b {
		if _, still := a[field]; !still && value != "" {
			changes = append(changes, redress.Change{Field: field, Before: value})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Field < changes[j].Field })
	return changes
}
