package sqldb

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"redress"
)

// CaseService registers cases and moves them through their lifecycle.
type CaseService struct{ db *DB }

// NewCaseService returns the case service of db.
func NewCaseService(db *DB) *CaseService { return &CaseService{db: db} }

var _ redress.CaseService = (*CaseService)(nil)

// caseRow is a case as stored: the domain case plus the keys, paths and
// sealed personal data that never leave this package.
type caseRow struct {
	*redress.Case
	orgID, handlerID, respondentStaffID, signedOffByID int64
	orgPath, originPath                                string
	idEnc, phoneEnc, accountEnc                        string
	conflicted                                         map[int64]bool // users who declared a conflict of interest
}

const caseSelect = `SELECT c.id, c.no, c.kind, c.channel, c.received_at,
	c.c_name, c.c_id_type, c.c_id_number_enc, c.c_phone_enc, c.c_account_enc, c.c_org_name, c.c_credit_code, c.c_legal_rep,
	COALESCE(ro.code, ''), COALESCE(rs.login, ''), COALESCE(c.respondent_staff_id, 0), c.accusation,
	c.subject, c.description, c.request, c.amount_fen,
	COALESCE(c.code_a, ''), COALESCE(c.code_b, ''), COALESCE(c.code_c, ''), c.risk, c.priority,
	c.org_id, o.code, o.path, oo.code, oo.path, fr.login, COALESCE(c.handler_id, 0), COALESCE(h.login, ''),
	c.level, c.status, c.version, c.reply_due, c.decision_due,
	c.deadline_policy, c.decision_clock, c.clock_start, COALESCE(c.paused_since, ''), c.paused_days,
	c.regulator_ref, c.regulator_due, c.due_warning,
	c.liability, c.responsible_party, c.root_cause, c.accountability, c.reply_json, c.replied_at,
	COALESCE(c.signed_off_by_id, 0), COALESCE(so.login, ''), c.signed_off_at, c.satisfaction, c.closed_at, c.end_reason,
	c.created_at, c.updated_at
FROM cases c
JOIN org_units o ON o.id = c.org_id
JOIN org_units oo ON oo.id = c.origin_org_id
JOIN users fr ON fr.id = c.first_responder_id
LEFT JOIN users h ON h.id = c.handler_id
LEFT JOIN org_units ro ON ro.id = c.respondent_org_id
LEFT JOIN users rs ON rs.id = c.respondent_staff_id
LEFT JOIN users so ON so.id = c.signed_off_by_id`

func scanCase(row interface{ Scan(...any) error }) (*caseRow, error) {
	c := &caseRow{Case: &redress.Case{}}
	var received, created, updated, replyJSON string
	var amount sql.NullInt64
	var repliedAt, signedOffAt, closedAt sql.NullString
	err := row.Scan(&c.ID, &c.No, &c.Kind, &c.Channel, &received,
		&c.Complainant.Name, &c.Complainant.IDType, &c.idEnc, &c.phoneEnc, &c.accountEnc,
		&c.Complainant.OrgName, &c.Complainant.CreditCode, &c.Complainant.LegalRep,
		&c.Respondent.Org, &c.Respondent.Staff, &c.respondentStaffID, &c.Accusation,
		&c.Subject, &c.Description, &c.Request, &amount,
		&c.CodeA, &c.CodeB, &c.CodeC, &c.Risk, &c.Priority,
		&c.orgID, &c.Org, &c.orgPath, &c.OriginOrg, &c.originPath, &c.FirstResponder, &c.handlerID, &c.Handler,
		&c.Level, &c.Status, &c.Version, &c.ReplyDue, &c.DecisionDue,
		&c.DeadlinePolicy, &c.DecisionClock, &c.ClockStart, &c.PausedSince, &c.PausedDays,
		&c.RegulatorRef, &c.RegulatorDue, &c.DueWarning,
		&c.determination().Liability, &c.determination().ResponsibleParty, &c.determination().RootCause,
		&c.determination().Accountability, &replyJSON, &repliedAt,
		&c.signedOffByID, &c.SignedOffBy, &signedOffAt, &c.Satisfaction, &closedAt, &c.EndReason,
		&created, &updated)
	if err != nil {
		return nil, err
	}
	if c.ReceivedAt, err = parseTime(received); err != nil {
		return nil, err
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	if c.RepliedAt, err = parseNullTime(repliedAt); err != nil {
		return nil, err
	}
	if c.SignedOffAt, err = parseNullTime(signedOffAt); err != nil {
		return nil, err
	}
	if c.ClosedAt, err = parseNullTime(closedAt); err != nil {
		return nil, err
	}
	if amount.Valid {
		c.Amount = redress.FormatAmount(amount.Int64)
	}
	if c.Determination.Liability == "" {
		c.Determination = nil
	}
	if replyJSON != "" {
		c.Reply = &redress.Reply{}
		if err := json.Unmarshal([]byte(replyJSON), c.Reply); err != nil {
			return nil, fmt.Errorf("stored reply of %s: %w", c.No, err)
		}
	}
	c.Findings, c.Notes, c.Conflicts = []redress.Entry{}, []redress.Entry{}, []redress.Entry{}
	c.DeadlineHistory = []redress.DeadlineChange{}
	c.conflicted = map[int64]bool{}
	return c, nil
}

// determination returns the case's determination, creating it for scanning.
func (c *caseRow) determination() *redress.Determination {
	if c.Determination == nil {
		c.Determination = &redress.Determination{}
	}
	return c.Determination
}

// piiAAD binds a sealed field to its case and column.
func piiAAD(no, field string) string { return "case:" + no + ":" + field }

// mask opens the sealed personal data and puts the masked forms on the
// case: what every answer of the services carries.
func (db *DB) mask(c *caseRow) error {
	id, err := db.open(c.idEnc, piiAAD(c.No, "id_number"))
	if err != nil {
		return fmt.Errorf("case %s: %w", c.No, err)
	}
	phone, err := db.open(c.phoneEnc, piiAAD(c.No, "phone"))
	if err != nil {
		return fmt.Errorf("case %s: %w", c.No, err)
	}
	account, err := db.open(c.accountEnc, piiAAD(c.No, "account"))
	if err != nil {
		return fmt.Errorf("case %s: %w", c.No, err)
	}
	c.Complainant.IDNumber = redress.MaskID(id)
	c.Complainant.Phone = redress.MaskPhone(phone)
	c.Complainant.Account = redress.MaskAccount(account)
	return nil
}

// loadCase reads one case by tracking number for the user, with its
// findings and notes. A case outside the user's scope is ENOTFOUND, exactly
// as a case that does not exist.
func (db *DB) loadCase(ctx context.Context, q querier, u *redress.User, no string) (*caseRow, error) {
	c, err := db.loadCaseRow(ctx, q, no)
	if err != nil {
		return nil, err
	}
	if !sees(u, c.orgPath, c.originPath) || (c.Accusation && c.respondentStaffID == u.ID) {
		return nil, redress.Errorf(redress.ENOTFOUND, "case %s not found", no)
	}
	return c, nil
}

// loadCaseRow reads one case with its entries, without any scope check: for
// loadCase, and for background jobs that act for the system.
func (db *DB) loadCaseRow(ctx context.Context, q querier, no string) (*caseRow, error) {
	notFound := redress.Errorf(redress.ENOTFOUND, "case %s not found", no)
	if !redress.ValidTrackingNumber(no) {
		return nil, notFound
	}
	c, err := scanCase(q.QueryRowContext(ctx, db.dialect.rebind(caseSelect+` WHERE c.no = ?`), no))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load case %s: %w", no, err)
	}
	if err := db.mask(c); err != nil {
		return nil, err
	}
	if err := db.loadConflicts(ctx, q, c); err != nil {
		return nil, err
	}
	if err := db.loadDeadlineHistory(ctx, q, c); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, db.dialect.rebind(`SELECT e.kind, u.login, e.at, e.text
		FROM case_entries e JOIN users u ON u.id = e.author_id WHERE e.case_id = ? ORDER BY e.id`), c.ID)
	if err != nil {
		return nil, fmt.Errorf("load entries of %s: %w", no, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, at string
		var e redress.Entry
		if err := rows.Scan(&kind, &e.Author, &at, &e.Text); err != nil {
			return nil, fmt.Errorf("load entries of %s: %w", no, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		if kind == "finding" {
			c.Findings = append(c.Findings, e)
		} else {
			c.Notes = append(c.Notes, e)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load entries of %s: %w", no, err)
	}
	c.MarkOverdue(db.now())
	return c, nil
}

func (db *DB) loadConflicts(ctx context.Context, q querier, c *caseRow) error {
	rows, err := q.QueryContext(ctx, db.dialect.rebind(`SELECT k.user_id, u.login, k.at, k.reason
		FROM case_conflicts k JOIN users u ON u.id = k.user_id WHERE k.case_id = ? ORDER BY k.at`), c.ID)
	if err != nil {
		return fmt.Errorf("load conflicts of %s: %w", c.No, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at string
		var e redress.Entry
		if err := rows.Scan(&id, &e.Author, &at, &e.Text); err != nil {
			return fmt.Errorf("load conflicts of %s: %w", c.No, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return err
		}
		c.conflicted[id] = true
		c.Conflicts = append(c.Conflicts, e)
	}
	return rows.Err()
}

// Case returns one case by tracking number.
func (s *CaseService) Case(ctx context.Context, no string) (*redress.Case, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := caseReader(u); err != nil {
		return nil, err
	}
	c, err := s.db.loadCase(ctx, s.db.read, u, no)
	if err != nil {
		return nil, wrap("view case", err)
	}
	return c.Case, nil
}

// CreateCase registers a case; the caller is its first responder.
func (s *CaseService) CreateCase(ctx context.Context, n redress.NewCase) (*redress.Case, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayRegister(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s may not register cases", u.Role)
	}
	now := s.db.now()
	if err := n.Validate(now); err != nil {
		return nil, err
	}
	var created *caseRow
	// Concurrent intakes share commits (group commit); the answer still comes
	// only after the commit, so a registered case is on disk.
	err = s.db.inBatch(ctx, func(tx *sql.Tx) error {
		no, err := s.db.insertCase(ctx, tx, u, &n, now)
		if err != nil {
			return err
		}
		created, err = s.db.loadCase(ctx, tx, u, no)
		if err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, no), Actor: u.Login, Action: redress.CaseEventAction(redress.ActionRegister),
			At: now, Changes: diffCase(nil, created.Case)})
	})
	if err != nil {
		return nil, wrap("register case", err)
	}
	return created.Case, nil
}

func (db *DB) insertCase(ctx context.Context, tx *sql.Tx, u *redress.User, n *redress.NewCase, now time.Time) (string, error) {
	orgCode := n.Org
	if orgCode == "" {
		orgCode = u.OrgCode
	}
	org, err := db.orgByCode(ctx, tx, "org", orgCode)
	if err != nil {
		return "", err
	}
	if !redress.InSubtree(org.Path, u.OrgPath) {
		return "", &redress.Error{Code: redress.EINVALID, Message: "invalid input",
			Fields: map[string]string{"org": "you may register cases only for your own unit and the units under it"}}
	}
	var respondentOrg, respondentStaff any
	if n.Respondent.Org != "" {
		ro, err := db.orgByCode(ctx, tx, "respondent.org", n.Respondent.Org)
		if err != nil {
			return "", err
		}
		respondentOrg = ro.ID
	}
	if n.Respondent.Staff != "" {
		rs, err := db.userByLogin(ctx, tx, "respondent.staff", n.Respondent.Staff)
		if err != nil {
			return "", err
		}
		respondentStaff = rs.ID
	}
	if err := db.checkCodes(ctx, tx, n.CodeA, n.CodeB, n.CodeC); err != nil {
		return "", err
	}
	var seq int64
	err = tx.QueryRowContext(ctx, db.dialect.rebind(`INSERT INTO case_counters (day, last) VALUES (?, 1)
		ON CONFLICT (day) DO UPDATE SET last = case_counters.last + 1 RETURNING last`), redress.BankDay(n.ReceivedAt)).Scan(&seq)
	if err != nil {
		return "", fmt.Errorf("next tracking number: %w", err)
	}
	no := redress.TrackingNumber(n.Kind, n.ReceivedAt, seq)
	e, err := db.engine(ctx, tx)
	if err != nil {
		return "", err
	}
	clocks := redress.ClocksFor(n.Kind)
	dl := &caseRow{Case: &redress.Case{No: no, Kind: n.Kind, DeadlinePolicy: clocks.Policy, DecisionClock: clocks.Ladder[0],
		ClockStart: redress.DateOf(n.ReceivedAt).String(), RegulatorRef: n.RegulatorRef, RegulatorDue: n.RegulatorDue}}
	if err := e.setDeadlines(dl); err != nil {
		return "", err
	}
	var amount any
	if n.Amount != "" {
		fen, _ := redress.ParseAmount(n.Amount) // validated
		amount = fen
	}
	c := n.Complainant
	k := db.keyring()
	_, err = tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO cases (no, kind, channel, received_at,
		c_name, c_id_type, c_id_number_enc, c_id_number_idx, c_phone_enc, c_phone_idx, c_account_enc, c_account_idx,
		c_org_name, c_credit_code, c_legal_rep, respondent_org_id, respondent_staff_id, accusation,
		subject, description, request, amount_fen, code_a, code_b, code_c, risk, priority,
		org_id, origin_org_id, first_responder_id, level, status, version, reply_due, decision_due, created_at, updated_at,
		deadline_policy, decision_clock, clock_start, regulator_ref, regulator_due, due_warning)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
		?, ?, ?, ?, ?, ?)`),
		no, n.Kind, n.Channel, timeText(n.ReceivedAt),
		c.Name, c.IDType, k.Seal(c.IDNumber, piiAAD(no, "id_number")), k.BlindIndex("id", c.IDNumber),
		k.Seal(c.Phone, piiAAD(no, "phone")), k.BlindIndex("phone", c.Phone),
		k.Seal(c.Account, piiAAD(no, "account")), k.BlindIndex("account", c.Account),
		c.OrgName, c.CreditCode, c.LegalRep, respondentOrg, respondentStaff, n.Accusation,
		strings.TrimSpace(n.Subject), n.Description, n.Request, amount, nullText(n.CodeA), nullText(n.CodeB), nullText(n.CodeC),
		n.Risk, n.Priority, org.ID, org.ID, u.ID, 1, redress.StatusRegistered, 1,
		dl.ReplyDue, dl.DecisionDue, timeText(now), timeText(now),
		dl.DeadlinePolicy, dl.DecisionClock, dl.ClockStart, dl.RegulatorRef, dl.RegulatorDue, dl.DueWarning)
	if db.dialect.isUnique(err) {
		return "", redress.Errorf(redress.ECONFLICT, "tracking number %s already exists; try again", no)
	}
	if err != nil {
		return "", fmt.Errorf("insert case: %w", err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, db.dialect.rebind(`SELECT id FROM cases WHERE no = ?`), no).Scan(&id); err != nil {
		return "", fmt.Errorf("insert case: %w", err)
	}
	err = db.insertDeadlineChange(ctx, tx, id, redress.DeadlineChange{At: now, Actor: u.Login, Action: string(redress.ActionRegister),
		Clock: dl.DecisionClock, After: dl.DecisionDue, Reason: dl.DueWarning})
	if err != nil {
		return "", err
	}
	return no, db.indexCase(ctx, tx, id)
}

// checkCodes verifies each given code exists in its dimension and is active.
func (db *DB) checkCodes(ctx context.Context, q querier, codes ...string) error {
	var p redress.Problems
	for i, code := range codes {
		if code == "" {
			continue
		}
		dim := string(redress.Dimensions[i])
		field := "code_" + strings.ToLower(dim)
		var active bool
		err := q.QueryRowContext(ctx, db.dialect.rebind(`SELECT active FROM codes WHERE code = ? AND dimension = ?`), code, dim).Scan(&active)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.Add(field, "no "+dim+" code "+code)
		case err != nil:
			return fmt.Errorf("check code %s: %w", code, err)
		case !active:
			p.Add(field, "code "+code+" is retired")
		}
	}
	return p.Err()
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ListCases returns a page of cases in scope, newest receipt first, by keyset
// pagination over (received_at, id): no totals, no offsets.
func (s *CaseService) ListCases(ctx context.Context, f redress.CaseFilter) (*redress.CasePage, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := caseReader(u); err != nil {
		return nil, err
	}
	where, args, err := s.db.caseFilterSQL(ctx, u, &f)
	if err != nil {
		return nil, err
	}
	order := ` ORDER BY c.received_at DESC, c.id DESC`
	if f.Sort == "due" {
		order = ` ORDER BY c.decision_due, c.id`
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.dialect.rebind(caseSelect+` WHERE 1 = 1`+where+order+` LIMIT ?`), append(args, f.Limit+1)...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	page := &redress.CasePage{Cases: []*redress.Case{}}
	now := s.db.now()
	var last *caseRow
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		if len(page.Cases) == f.Limit {
			page.NextCursor = encodeCursor(last, f.Sort)
			break
		}
		if err := s.db.mask(c); err != nil {
			return nil, err
		}
		c.MarkOverdue(now)
		page.Cases = append(page.Cases, c.Case)
		last = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return page, nil
}

func (db *DB) caseFilterSQL(ctx context.Context, u *redress.User, f *redress.CaseFilter) (string, []any, error) {
	var p redress.Problems
	where, args := caseScopeSQL(u)
	if len(f.Status) > 0 {
		marks := make([]string, len(f.Status))
		for i, st := range f.Status {
			if !st.Valid() {
				p.Add("status", "unknown status "+string(st))
			}
			marks[i] = "?"
			args = append(args, st)
		}
		where += " AND c.status IN (" + strings.Join(marks, ", ") + ")"
	}
	if f.Kind != "" {
		if !f.Kind.Valid() {
			p.Add("kind", "unknown kind")
		}
		where += " AND c.kind = ?"
		args = append(args, f.Kind)
	}
	if f.Channel != "" {
		if !f.Channel.Valid() {
			p.Add("channel", "unknown channel")
		}
		where += " AND c.channel = ?"
		args = append(args, f.Channel)
	}
	if f.Org != "" {
		org, err := db.orgByCode(ctx, db.read, "org", f.Org)
		if err != nil {
			return "", nil, err
		}
		where += " AND c.org_id IN (SELECT id FROM org_units WHERE path LIKE ?)"
		args = append(args, org.Path+"%")
	}
	if f.Handler != "" {
		where += " AND c.handler_id = (SELECT id FROM users WHERE login = ?)"
		args = append(args, f.Handler)
	}
	if f.Level != 0 {
		if f.Level < 1 || f.Level > 4 {
			p.Add("level", "must be 1 to 4")
		}
		where += " AND c.level = ?"
		args = append(args, f.Level)
	}
	if f.Overdue != nil {
		today := redress.Today(db.now())
		open := " c.status IN ('registered', 'accepted', 'investigating') AND c.paused_since IS NULL AND c.decision_due < ?"
		if *f.Overdue {
			where += " AND" + open
		} else {
			where += " AND NOT (" + open + ")"
		}
		args = append(args, today)
	}
	for _, d := range []struct {
		field, value string
		next         int
		op           string
	}{{"received_from", f.ReceivedFrom, 0, ">="}, {"received_to", f.ReceivedTo, 1, "<"}} {
		if d.value == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, d.value, redress.Beijing)
		if err != nil {
			p.Add(d.field, "must be a date YYYY-MM-DD")
			continue
		}
		where += " AND c.received_at " + d.op + " ?"
		args = append(args, timeText(day.AddDate(0, 0, d.next)))
	}
	for _, l := range []struct{ kind, column, value string }{
		{"phone", "c.c_phone_idx", f.Phone}, {"id", "c.c_id_number_idx", f.IDNumber}, {"account", "c.c_account_idx", f.Account},
	} {
		if v := strings.ReplaceAll(l.value, " ", ""); v != "" {
			where += " AND " + l.column + " = ?"
			args = append(args, db.keyring().BlindIndex(l.kind, v))
		}
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 200 {
		p.Add("limit", "must be 1 to 200")
	}
	if f.Code != "" {
		where += " AND (c.code_a = ? OR c.code_b = ? OR c.code_c = ?)"
		args = append(args, f.Code, f.Code, f.Code)
	}
	if f.DueBy != "" {
		if _, err := redress.ParseDate(f.DueBy); err != nil {
			p.Add("due_by", "must be a date YYYY-MM-DD")
		}
		where += " AND c.status IN ('registered', 'accepted', 'investigating') AND c.decision_due <= ?"
		args = append(args, f.DueBy)
	}
	switch f.Sort {
	case "", "received", "due":
	default:
		p.Add("sort", "must be received or due")
	}
	if f.Cursor != "" {
		key, id, ok := decodeCursor(f.Cursor, f.Sort)
		if !ok {
			p.Add("cursor", "not a cursor from a previous page")
		}
		if f.Sort == "due" {
			where += " AND (c.decision_due > ? OR (c.decision_due = ? AND c.id > ?))"
		} else {
			where += " AND (c.received_at < ? OR (c.received_at = ? AND c.id < ?))"
		}
		args = append(args, key, key, id)
	}
	return where, args, p.Err()
}

// encodeCursor makes the keyset cursor after c for the list's order.
func encodeCursor(c *caseRow, sort string) string {
	key := timeText(c.ReceivedAt)
	if sort == "due" {
		key = c.DecisionDue
	}
	return base64.RawURLEncoding.EncodeToString([]byte(key + "|" + strconv.FormatInt(c.ID, 10)))
}

func decodeCursor(s, sort string) (string, int64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, false
	}
	key, idText, ok := strings.Cut(string(raw), "|")
	if !ok {
		return "", 0, false
	}
	if sort == "due" {
		if _, err := redress.ParseDate(key); err != nil {
			return "", 0, false
		}
	} else if _, err := parseTime(key); err != nil {
		return "", 0, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return key, id, err == nil
}

// CountCases counts the cases in scope that match the filter, by status.
func (s *CaseService) CountCases(ctx context.Context, f redress.CaseFilter) (map[redress.Status]int, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := caseReader(u); err != nil {
		return nil, err
	}
	f.Cursor, f.Sort, f.Limit = "", "", 0
	where, args, err := s.db.caseFilterSQL(ctx, u, &f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.dialect.rebind(`SELECT c.status, COUNT(*) FROM cases c WHERE 1 = 1`+where+` GROUP BY c.status`), args...)
	if err != nil {
		return nil, fmt.Errorf("count cases: %w", err)
	}
	defer rows.Close()
	counts := map[redress.Status]int{}
	for rows.Next() {
		var st redress.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count cases: %w", err)
		}
		counts[st] = n
	}
	return counts, rows.Err()
}

// CaseEvents returns the audit events of one case, oldest first.
func (s *CaseService) CaseEvents(ctx context.Context, no string) ([]*redress.Event, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := caseReader(u); err != nil {
		return nil, err
	}
	if _, err := s.db.loadCase(ctx, s.db.read, u, no); err != nil {
		return nil, wrap("case events", err)
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.dialect.rebind(`SELECT `+eventColumns+` FROM events WHERE case_no = ? ORDER BY seq`), no)
	if err != nil {
		return nil, fmt.Errorf("case events: %w", err)
	}
	defer rows.Close()
	events := []*redress.Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("case events: %w", err)
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

// Reveal returns one protected field in full and audits who, when and why.
func (s *CaseService) Reveal(ctx context.Context, no string, req redress.RevealRequest) (*redress.Revealed, error) {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermCaseReveal); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	var value string
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		c, err := s.db.loadCase(ctx, tx, u, no)
		if err != nil {
			return err
		}
		sealed := map[redress.PIIField]string{redress.PIIIDNumber: c.idEnc, redress.PIIPhone: c.phoneEnc, redress.PIIAccount: c.accountEnc}[req.Field]
		if value, err = s.db.open(sealed, piiAAD(c.No, string(req.Field))); err != nil {
			return fmt.Errorf("reveal %s of %s: %w", req.Field, c.No, err)
		}
		if value == "" {
			return redress.Errorf(redress.ENOTFOUND, "case %s has no %s", no, req.Field)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: u.Login, Action: "case.reveal", At: s.db.now(),
			Changes: []redress.Change{{Field: "complainant." + string(req.Field)}}, Detail: req.Reason})
	})
	if err != nil {
		return nil, wrap("reveal", err)
	}
	return &redress.Revealed{Field: req.Field, Value: value}, nil
}
