package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sort"
	"strings"
	"time"

	"redress"
)

// BulkOrg is an org unit for BulkLoad. Parent is the code of the head office
// or of a unit listed before it.
type BulkOrg struct {
	Code   string
	Name   string
	Kind   redress.OrgKind
	Parent string
}

// BulkUser is a user for BulkLoad: without a password, so API tokens only.
type BulkUser struct {
	Login string
	Name  string
	Role  redress.Role
	Org   string // unit code
}

// BulkCase is one case for BulkLoad: what was registered, and the state its
// handling has reached. The row is written as the services would have left
// it; of its history only the registration is recorded (its register audit
// event and its first deadline entry), not the later actions.
type BulkCase struct {
	// NewCase is the registration; NewCase.Org is the registering unit.
	redress.NewCase
	FirstResponder string    // login of the user who registered it
	RegisteredAt   time.Time // when it was registered: created_at and the register event
	UpdatedAt      time.Time // the last change; zero means RegisteredAt

	Status      redress.Status
	Version     int    // 0 means 1
	Level       int    // 0 means 1
	Responsible string // unit now responsible; "" means NewCase.Org
	Handler     string // login; "" for none

	Findings      []redress.Entry // investigation findings; Author is a login
	Determination *redress.Determination
	Reply         *redress.Reply
	RepliedAt     *time.Time
	SignedOffBy   string // login
	SignedOffAt   *time.Time
	Satisfaction  redress.Satisfaction
	ClosedAt      *time.Time // closed, withdrawn or rejected
	EndReason     string     // why withdrawn or rejected
}

// BulkData is what BulkLoad writes.
type BulkData struct {
	Orgs  []BulkOrg
	Users []BulkUser
	// Cases yields the cases, normally in order of registration: their
	// audit events are appended to the chain in the order given.
	Cases iter.Seq[*BulkCase]
	// Batch is how many cases one transaction writes; 0 means 5000.
	Batch int
	// Progress, when set, is called after each committed transaction with
	// the number of cases written so far.
	Progress func(cases int64)
}

// BulkReport counts what BulkLoad wrote.
type BulkReport struct {
	Orgs, Users, Cases int64
}

// defaultBulkBatch is how many cases one BulkLoad transaction writes.
const defaultBulkBatch = 5000

// bulkActor is the actor of the audit events of the units and users that
// BulkLoad creates.
const bulkActor = "bulkload"

// BulkLoad fills a database that holds no cases yet with org units, users
// and cases, in large transactions. It exists for benchmarks, which need a
// million realistic cases in minutes; the server never calls it.
//
// Each case is stored as CreateCase stores it — personal data sealed and
// blind-indexed, tracking number from the day's counter, deadlines from the
// deadline engine, its search document — plus the state of BulkCase, and
// gets its register audit event sealed into the hash chain, so that
// `redress audit verify` passes afterwards. Units and users get their
// creation events too. Units and users are created at db.Now().
func (db *DB) BulkLoad(ctx context.Context, data BulkData) (*BulkReport, error) {
	var held int
	err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT id FROM cases LIMIT 1) c`).Scan(&held)
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	if held > 0 {
		return nil, errors.New("bulk load: the database already holds cases; bulk load needs one without")
	}
	report := &BulkReport{}
	if err := db.inTx(ctx, func(tx *sql.Tx) error { return db.bulkOrgsAndUsers(ctx, tx, data, report) }); err != nil {
		return report, fmt.Errorf("bulk load: %w", err)
	}
	l, err := db.newCaseLoader(ctx)
	if err != nil {
		return report, fmt.Errorf("bulk load: %w", err)
	}
	batch := data.Batch
	if batch <= 0 {
		batch = defaultBulkBatch
	}
	var tx *sql.Tx
	var stmt *sql.Stmt
	finish := func() error {
		if err := l.writeCounters(ctx, tx); err != nil {
			return err
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		tx, stmt = nil, nil
		if data.Progress != nil {
			data.Progress(report.Cases)
		}
		return nil
	}
	for c := range data.Cases {
		if tx == nil {
			if tx, err = db.write.BeginTx(ctx, nil); err != nil {
				err = fmt.Errorf("begin: %w", err)
				break
			}
			if stmt, err = tx.PrepareContext(ctx, db.dialect.rebind(bulkCaseInsert)); err != nil {
				err = fmt.Errorf("prepare: %w", err)
				break
			}
		}
		if err = l.insert(ctx, tx, stmt, c); err != nil {
			break
		}
		report.Cases++
		if report.Cases%int64(batch) == 0 {
			if err = finish(); err != nil {
				break
			}
		}
	}
	if err == nil && tx != nil {
		err = finish()
	}
	if err != nil {
		if stmt != nil {
			stmt.Close()
		}
		if tx != nil {
			tx.Rollback()
		}
		return report, fmt.Errorf("bulk load: case %d: %w", report.Cases+1, err)
	}
	return report, nil
}

// bulkOrgsAndUsers creates the units, parents first, and the users, each
// with its creation event.
func (db *DB) bulkOrgsAndUsers(ctx context.Context, tx *sql.Tx, data BulkData, report *BulkReport) error {
	units := map[string]*redress.OrgUnit{}
	unit := func(field, code string) (*redress.OrgUnit, error) {
		if o, ok := units[code]; ok {
			return o, nil
		}
		o, err := db.orgByCode(ctx, tx, field, code)
		if err != nil {
			return nil, err
		}
		units[code] = o
		return o, nil
	}
	for _, b := range data.Orgs {
		n := redress.NewOrgUnit{Code: b.Code, Name: b.Name, Kind: b.Kind, Parent: b.Parent}
		if err := n.Validate(); err != nil {
			return fmt.Errorf("org %s: %w", b.Code, err)
		}
		parent, err := unit("parent", b.Parent)
		if err != nil {
			return fmt.Errorf("org %s: %w", b.Code, err)
		}
		if !n.Kind.CanParent(parent.Kind) {
			return fmt.Errorf("org %s: a %s cannot sit under a %s", b.Code, n.Kind, parent.Kind)
		}
		o, err := db.insertOrg(ctx, tx, n, parent)
		if err != nil {
			return fmt.Errorf("org %s: %w", b.Code, err)
		}
		units[o.Code] = o
		err = db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectOrg, n.Code), Actor: bulkActor, Action: "org.create", At: o.CreatedAt,
			Changes: []redress.Change{{Field: "code", After: n.Code}, {Field: "name", After: n.Name},
				{Field: "kind", After: string(n.Kind)}, {Field: "parent", After: n.Parent}}})
		if err != nil {
			return err
		}
		report.Orgs++
	}
	for _, b := range data.Users {
		n := redress.NewUser{Login: b.Login, Name: b.Name, Role: b.Role, Org: b.Org}
		if err := n.Validate(); err != nil {
			return fmt.Errorf("user %s: %w", b.Login, err)
		}
		org, err := unit("org", b.Org)
		if err != nil {
			return fmt.Errorf("user %s: %w", b.Login, err)
		}
		u, err := db.insertUser(ctx, tx, n, org, "")
		if err != nil {
			return fmt.Errorf("user %s: %w", b.Login, err)
		}
		err = db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectUser, n.Login), Actor: bulkActor, Action: "user.create", At: u.CreatedAt,
			Changes: []redress.Change{{Field: "login", After: n.Login}, {Field: "name", After: n.Name},
				{Field: "role", After: string(n.Role)}, {Field: "org", After: n.Org}}})
		if err != nil {
			return err
		}
		report.Users++
	}
	return nil
}

// bulkUnit is what the case loader keeps of an org unit.
type bulkUnit struct {
	id         int64
	code, path string
}

// bulkUser is what the case loader keeps of a user.
type bulkUser struct {
	id      int64
	login   string
	role    redress.Role
	orgPath string
}

// caseLoader writes bulk cases: it holds the units, users, active codes and
// deadline engine it checks them against, and the tracking-number counters.
type caseLoader struct {
	db       *DB
	engine   *engine
	units    map[string]bulkUnit
	users    map[string]bulkUser
	codes    map[string]redress.Dimension // active codes
	counters map[string]int64             // bank day → last sequence used
	dirty    map[string]bool              // counters changed in this transaction
}

func (db *DB) newCaseLoader(ctx context.Context) (*caseLoader, error) {
	l := &caseLoader{db: db, units: map[string]bulkUnit{}, users: map[string]bulkUser{},
		codes: map[string]redress.Dimension{}, counters: map[string]int64{}, dirty: map[string]bool{}}
	var err error
	if l.engine, err = db.engine(ctx, db.write); err != nil {
		return nil, err
	}
	rows, err := db.write.QueryContext(ctx, `SELECT id, code, path FROM org_units`)
	if err != nil {
		return nil, fmt.Errorf("read units: %w", err)
	}
	for rows.Next() {
		var u bulkUnit
		if err := rows.Scan(&u.id, &u.code, &u.path); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read units: %w", err)
		}
		l.units[u.code] = u
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read units: %w", err)
	}
	rows, err = db.write.QueryContext(ctx, `SELECT u.id, u.login, u.role, o.path FROM users u JOIN org_units o ON o.id = u.org_id`)
	if err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	for rows.Next() {
		var u bulkUser
		if err := rows.Scan(&u.id, &u.login, &u.role, &u.orgPath); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read users: %w", err)
		}
		l.users[u.login] = u
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	rows, err = db.write.QueryContext(ctx, db.dialect.rebind(`SELECT code, dimension FROM codes WHERE active = ?`), true)
	if err != nil {
		return nil, fmt.Errorf("read codes: %w", err)
	}
	for rows.Next() {
		var code string
		var dim redress.Dimension
		if err := rows.Scan(&code, &dim); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read codes: %w", err)
		}
		l.codes[code] = dim
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read codes: %w", err)
	}
	rows, err = db.write.QueryContext(ctx, `SELECT day, last FROM case_counters`)
	if err != nil {
		return nil, fmt.Errorf("read counters: %w", err)
	}
	for rows.Next() {
		var day string
		var last int64
		if err := rows.Scan(&day, &last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read counters: %w", err)
		}
		l.counters[day] = last
	}
	rows.Close()
	return l, rows.Err()
}

// bulkCaseInsert writes a case with the columns insertCase writes and the
// state that later actions would have set.
const bulkCaseInsert = `INSERT INTO cases (no, kind, channel, received_at,
	c_name, c_id_type, c_id_number_enc, c_id_number_idx, c_phone_enc, c_phone_idx, c_account_enc, c_account_idx,
	c_org_name, c_credit_code, c_legal_rep, respondent_org_id, respondent_staff_id, accusation,
	subject, description, request, amount_fen, code_a, code_b, code_c, risk, priority,
	org_id, origin_org_id, first_responder_id, level, status, version, reply_due, decision_due, created_at, updated_at,
	deadline_policy, decision_clock, clock_start, regulator_ref, regulator_due, due_warning,
	handler_id, liability, responsible_party, root_cause, accountability, outcome, redress_fen,
	reply_json, replied_at, signed_off_by_id, signed_off_at, satisfaction, closed_at, end_reason)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
	?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	RETURNING id`

// unit returns a unit by code, naming the field when it is unknown.
func (l *caseLoader) unit(field, code string) (bulkUnit, error) {
	u, ok := l.units[code]
	if !ok {
		return u, fmt.Errorf("%s: no org unit has code %q", field, code)
	}
	return u, nil
}

// user returns a user by login, naming the field when it is unknown.
func (l *caseLoader) user(field, login string) (bulkUser, error) {
	u, ok := l.users[login]
	if !ok {
		return u, fmt.Errorf("%s: no user has login %q", field, login)
	}
	return u, nil
}

// insert writes one case, its first deadline entry, its findings, its search
// document and its register event.
func (l *caseLoader) insert(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, b *BulkCase) error {
	db := l.db
	n := b.NewCase
	if err := n.Validate(b.RegisteredAt); err != nil {
		return fmt.Errorf("registration: %w", err)
	}
	if !b.Status.Valid() {
		return fmt.Errorf("unknown status %q", b.Status)
	}
	version, level := max(b.Version, 1), max(b.Level, 1)
	if level > 4 {
		return fmt.Errorf("level %d: must be 1 to 4", level)
	}
	origin, err := l.unit("org", n.Org)
	if err != nil {
		return err
	}
	responsible := origin
	if b.Responsible != "" {
		if responsible, err = l.unit("responsible", b.Responsible); err != nil {
			return err
		}
	}
	first, err := l.user("first_responder", b.FirstResponder)
	if err != nil {
		return err
	}
	if !redress.MayRegister(first.role) || !redress.InSubtree(origin.path, first.orgPath) {
		return fmt.Errorf("first responder %s may not register cases for %s", first.login, origin.code)
	}
	var respondentOrg, respondentStaff any
	if n.Respondent.Org != "" {
		ro, err := l.unit("respondent.org", n.Respondent.Org)
		if err != nil {
			return err
		}
		respondentOrg = ro.id
	}
	if n.Respondent.Staff != "" {
		rs, err := l.user("respondent.staff", n.Respondent.Staff)
		if err != nil {
			return err
		}
		respondentStaff = rs.id
	}
	for i, code := range []string{n.CodeA, n.CodeB, n.CodeC} {
		if dim, ok := l.codes[code]; code != "" && (!ok || dim != redress.Dimensions[i]) {
			return fmt.Errorf("code %s: no active %s code", code, redress.Dimensions[i])
		}
	}
	var handler, signer any
	if b.Handler != "" {
		h, err := l.user("handler", b.Handler)
		if err != nil {
			return err
		}
		handler = h.id
	}
	if b.SignedOffBy != "" {
		s, err := l.user("signed_off_by", b.SignedOffBy)
		if err != nil {
			return err
		}
		signer = s.id
	}

	day := redress.BankDay(n.ReceivedAt)
	l.counters[day]++
	l.dirty[day] = true
	no := redress.TrackingNumber(n.Kind, n.ReceivedAt, l.counters[day])
	clocks := redress.ClocksFor(n.Kind)
	dl := &caseRow{Case: &redress.Case{No: no, Kind: n.Kind, DeadlinePolicy: clocks.Policy, DecisionClock: clocks.Ladder[0],
		ClockStart: redress.DateOf(n.ReceivedAt).String(), RegulatorRef: n.RegulatorRef, RegulatorDue: n.RegulatorDue}}
	if err := l.engine.setDeadlines(dl); err != nil {
		return err
	}
	var amount any
	if n.Amount != "" {
		fen, _ := redress.ParseAmount(n.Amount) // validated
		amount = fen
	}
	d := b.Determination
	if d == nil {
		d = &redress.Determination{}
	}
	var replyJSON, outcome string
	var redressFen any
	if b.Reply != nil {
		// As the reply action stores it: notice time in UTC at the stored
		// precision, remedies never null.
		reply := *b.Reply
		reply.NoticeAt = reply.NoticeAt.UTC().Truncate(time.Microsecond)
		if reply.Remedies == nil {
			reply.Remedies = []redress.Remedy{}
		}
		raw, err := json.Marshal(reply)
		if err != nil {
			return fmt.Errorf("encode reply: %w", err)
		}
		replyJSON, outcome = string(raw), string(reply.Outcome)
		if reply.RedressPaid != "" {
			fen, err := redress.ParseAmount(reply.RedressPaid)
			if err != nil {
				return fmt.Errorf("reply redress amount: %w", err)
			}
			redressFen = fen
		}
	}
	registered := b.RegisteredAt.UTC().Truncate(time.Microsecond)
	updated := registered
	if !b.UpdatedAt.IsZero() {
		updated = b.UpdatedAt.UTC().Truncate(time.Microsecond)
	}
	c := n.Complainant
	k := db.keyring()
	var id int64
	err = stmt.QueryRowContext(ctx,
		no, n.Kind, n.Channel, timeText(n.ReceivedAt),
		c.Name, c.IDType, k.Seal(c.IDNumber, piiAAD(no, "id_number")), k.BlindIndex("id", c.IDNumber),
		k.Seal(c.Phone, piiAAD(no, "phone")), k.BlindIndex("phone", c.Phone),
		k.Seal(c.Account, piiAAD(no, "account")), k.BlindIndex("account", c.Account),
		c.OrgName, c.CreditCode, c.LegalRep, respondentOrg, respondentStaff, n.Accusation,
		strings.TrimSpace(n.Subject), n.Description, n.Request, amount, nullText(n.CodeA), nullText(n.CodeB), nullText(n.CodeC),
		n.Risk, n.Priority, responsible.id, origin.id, first.id, level, b.Status, version,
		dl.ReplyDue, dl.DecisionDue, timeText(registered), timeText(updated),
		dl.DeadlinePolicy, dl.DecisionClock, dl.ClockStart, dl.RegulatorRef, dl.RegulatorDue, dl.DueWarning,
		handler, d.Liability, d.ResponsibleParty, d.RootCause, d.Accountability, outcome, redressFen,
		replyJSON, nullTimeText(b.RepliedAt), signer, nullTimeText(b.SignedOffAt), b.Satisfaction,
		nullTimeText(b.ClosedAt), b.EndReason).Scan(&id)
	if err != nil {
		return fmt.Errorf("insert case %s: %w", no, err)
	}
	err = db.insertDeadlineChange(ctx, tx, id, redress.DeadlineChange{At: registered, Actor: first.login,
		Action: string(redress.ActionRegister), Clock: dl.DecisionClock, After: dl.DecisionDue, Reason: dl.DueWarning})
	if err != nil {
		return err
	}
	for _, f := range b.Findings {
		author, err := l.user("finding author", f.Author)
		if err != nil {
			return err
		}
		if err := db.insertEntry(ctx, tx, id, "finding", author.id, f.Text, f.At.UTC().Truncate(time.Microsecond)); err != nil {
			return err
		}
	}
	if err := db.indexCase(ctx, tx, id); err != nil {
		return err
	}
	// The register event records the case as CreateCase answered it: as
	// registered, before any later action, personal data masked.
	reg := &redress.Case{No: no, Kind: n.Kind, Channel: n.Channel, ReceivedAt: n.ReceivedAt, Complainant: c,
		Respondent: n.Respondent, Accusation: n.Accusation, Subject: strings.TrimSpace(n.Subject),
		Description: n.Description, Request: n.Request, CodeA: n.CodeA, CodeB: n.CodeB, CodeC: n.CodeC,
		Risk: n.Risk, Priority: n.Priority, Org: origin.code, OriginOrg: origin.code, FirstResponder: first.login,
		Level: 1, Status: redress.StatusRegistered, Version: 1, ReplyDue: dl.ReplyDue, DecisionDue: dl.DecisionDue,
		DeadlinePolicy: dl.DeadlinePolicy, DecisionClock: dl.DecisionClock, ClockStart: dl.ClockStart,
		RegulatorRef: dl.RegulatorRef, RegulatorDue: dl.RegulatorDue, DueWarning: dl.DueWarning}
	if fen, ok := amount.(int64); ok {
		reg.Amount = redress.FormatAmount(fen)
	}
	reg.Complainant.IDNumber = redress.MaskID(c.IDNumber)
	reg.Complainant.Phone = redress.MaskPhone(c.Phone)
	reg.Complainant.Account = redress.MaskAccount(c.Account)
	return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, no), Actor: first.login, Action: redress.CaseEventAction(redress.ActionRegister),
		At: registered, Changes: diffCase(nil, reg)})
}

// writeCounters stores the tracking-number counters changed in this
// transaction, so that cases registered later continue the days' sequences.
func (l *caseLoader) writeCounters(ctx context.Context, tx *sql.Tx) error {
	days := make([]string, 0, len(l.dirty))
	for day := range l.dirty {
		days = append(days, day)
	}
	sort.Strings(days)
	for _, day := range days {
		_, err := tx.ExecContext(ctx, l.db.dialect.rebind(`INSERT INTO case_counters (day, last) VALUES (?, ?)
			ON CONFLICT (day) DO UPDATE SET last = excluded.last`), day, l.counters[day])
		if err != nil {
			return fmt.Errorf("write counter of %s: %w", day, err)
		}
	}
	clear(l.dirty)
	return nil
}
