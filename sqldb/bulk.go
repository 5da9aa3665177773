package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"sort"
	"strconv"
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
	// ReplySatisfiedAt is when the reply clock was answered; nil for none.
	ReplySatisfiedAt *time.Time

	// Import, when set, makes the case an imported one (sqldb/import.go).
	Import *BulkImport
}

// BulkImport is what the history import adds to a bulk case: the bank's
// own number, the run, its file and when it ran. An imported case is
// registered by the importing user (FirstResponder, who needs no
// registering role: case.import is checked by the run), its audit event is
// case.import at the run's time, and the clocks it had overdue on the day of
// the import are recorded as notified (redress.ImportOverdueClocks).
type BulkImport struct {
	ExternalNo string
	Run        int64
	File       string
	At         time.Time
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
	err := db.writes().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT id FROM cases LIMIT 1) c`).Scan(&held)
	if err != nil {
		return nil, fmt.Errorf("bulk load: %w", err)
	}
	if held > 0 {
		return nil, errors.New("bulk load: the database already holds cases; bulk load needs one without")
	}
	report := &BulkReport{}
	if err := db.inTx(ctx, func(tx *Tx) error { return db.bulkOrgsAndUsers(ctx, tx, data, report) }); err != nil {
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
	var tx *Tx
	var stmt *sql.Stmt
	finish := func() error {
		writes := tx.batch
		tx.batch = nil
		if err := writes.write(ctx, tx); err != nil {
			return err
		}
		if err := l.writeCounters(ctx, tx); err != nil {
			return err
		}
		stmt.Close()
		if err := tx.commit(); err != nil {
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
			if tx, err = db.beginTx(ctx); err != nil {
				break
			}
			// The transaction's events, deadline entries and search
			// documents are written together before it commits (finish), as
			// a group-commit batch's are: on PostgreSQL, six round trips a
			// case fewer.
			tx.batch = &batchWrites{}
			if stmt, err = tx.prepare(ctx, tx.dialect.insertIDQuery(caseInsert)); err != nil {
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
			tx.rollback()
		}
		return report, fmt.Errorf("bulk load: case %d: %w", report.Cases+1, err)
	}
	return report, nil
}

// bulkOrgsAndUsers creates the units, parents first, and the users, each
// with its creation event.
func (db *DB) bulkOrgsAndUsers(ctx context.Context, tx *Tx, data BulkData, report *BulkReport) error {
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
	db        *DB
	deadlines *redress.Deadlines
	units     map[string]bulkUnit
	users     map[string]bulkUser
	codes     map[string]redress.Dimension // active codes
	counters  map[string]int64             // bank day → last sequence used
	dirty     map[string]bool              // counters changed in this transaction
	held      map[string]bool              // an import's days whose counter row this transaction holds
}

func (db *DB) newCaseLoader(ctx context.Context) (*caseLoader, error) {
	l := &caseLoader{db: db, units: map[string]bulkUnit{}, users: map[string]bulkUser{},
		codes: map[string]redress.Dimension{}, counters: map[string]int64{}, dirty: map[string]bool{}, held: map[string]bool{}}
	var err error
	if l.deadlines, err = db.deadlines(ctx); err != nil {
		return nil, err
	}
	rows, err := db.writes().QueryContext(ctx, `SELECT id, code, path FROM org_units`)
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
	rows, err = db.writes().QueryContext(ctx, `SELECT u.id, u.login, u.role, o.path FROM users u JOIN org_units o ON o.id = u.org_id`)
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
	rows, err = db.writes().QueryContext(ctx, `SELECT code, dimension FROM codes WHERE active = ?`, true)
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
	rows, err = db.writes().QueryContext(ctx, `SELECT day, last FROM case_counters`)
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
func (l *caseLoader) insert(ctx context.Context, tx *Tx, stmt *sql.Stmt, b *BulkCase) error {
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
	if b.Import == nil && (!redress.MayRegister(first.role) || !redress.InSubtree(origin.path, first.orgPath)) {
		return fmt.Errorf("first responder %s may not register cases for %s", first.login, origin.code)
	}
	var respondentOrg, respondentStaff int64
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
	var handler, signer int64
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

	seq, err := l.nextNumber(ctx, tx, b)
	if err != nil {
		return err
	}
	registered := b.RegisteredAt.UTC().Truncate(time.Microsecond)
	c := newCaseRow(&n, redress.TrackingNumber(n.Kind, n.ReceivedAt, seq), registered)
	c.orgID, c.Org, c.OrgPath = origin.id, origin.code, origin.path
	c.originOrgID, c.OriginOrg, c.OriginOrgPath = origin.id, origin.code, origin.path
	c.firstResponderID, c.FirstResponder = first.id, first.login
	c.respondentOrgID, c.respondentStaffID = respondentOrg, respondentStaff
	if err := l.deadlines.StartClocks(c.Case); err != nil {
		return err
	}
	c.seal(db.keyring())
	// The register event records the case as CreateCase answered it: as
	// registered, before any later action, personal data masked.
	registration := redress.DiffCase(nil, c.Case)

	// Then the state its handling has reached, as the actions would have left it.
	c.orgID, c.Org, c.OrgPath = responsible.id, responsible.code, responsible.path
	c.Status, c.Version, c.Level = b.Status, version, level
	c.handlerID, c.Handler = handler, b.Handler
	c.signedOffByID, c.SignedOffBy, c.SignedOffAt = signer, b.SignedOffBy, b.SignedOffAt
	c.Determination, c.RepliedAt = b.Determination, b.RepliedAt
	if b.Reply != nil {
		// As the reply action stores it: notice time in UTC at the stored
		// precision, remedies never null.
		reply := *b.Reply
		reply.NoticeAt = reply.NoticeAt.UTC().Truncate(time.Microsecond)
		if reply.Remedies == nil {
			reply.Remedies = []redress.Remedy{}
		}
		c.Reply = &reply
	}
	c.Satisfaction, c.ClosedAt, c.EndReason = b.Satisfaction, b.ClosedAt, b.EndReason
	if b.Status.Archived() && b.ClosedAt != nil { // closing archives the file (archive.go), then as now
		at := *b.ClosedAt
		c.ArchivedAt = &at
	}
	c.ReplySatisfiedAt = b.ReplySatisfiedAt
	action, at := redress.CaseEventAction(redress.ActionRegister), registered
	if b.Import != nil {
		c.ExternalNo, c.ImportRun = b.Import.ExternalNo, b.Import.Run
		if c.ReplySatisfiedAt != nil {
			c.ReplySatisfiedBy = redress.ActionReply
		}
		// The import's event records the case as it came in, in its state.
		action, at = importCaseAction, b.Import.At.UTC().Truncate(time.Microsecond)
		registration = append(redress.DiffCase(nil, c.Case),
			redress.Change{Field: "import_run", After: strconv.FormatInt(b.Import.Run, 10)},
			redress.Change{Field: "import_file", After: b.Import.File})
	}
	if !b.UpdatedAt.IsZero() {
		c.UpdatedAt = b.UpdatedAt.UTC().Truncate(time.Microsecond)
	}
	for _, f := range b.Findings {
		c.Findings = append(c.Findings, redress.Entry{Author: f.Author, At: f.At.UTC().Truncate(time.Microsecond), Text: f.Text})
	}
	if err := insertCaseRow(ctx, tx.dialect, preparedInsert{stmt}, c); err != nil {
		return fmt.Errorf("insert case %s: %w", c.No, err)
	}
	if err := markLaterRepeats(ctx, tx, c); err != nil {
		return err
	}
	err = db.insertDeadlineChange(ctx, tx, c.ID, redress.DeadlineChange{At: registered, Actor: first.login,
		Action: string(redress.ActionRegister), Clock: c.DecisionClock, After: c.DecisionDue, Reason: c.DueWarning})
	if err != nil {
		return err
	}
	for _, f := range c.Findings {
		author, err := l.user("finding author", f.Author)
		if err != nil {
			return err
		}
		if err := db.insertEntry(ctx, tx, c.ID, "finding", author.id, f.Text, f.At); err != nil {
			return err
		}
	}
	if err := db.writeSearchDocument(ctx, tx, c.ID, redress.SearchDocument(c.Case), true); err != nil {
		return err
	}
	if b.Import != nil {
		if err := db.acknowledgeImportedClocks(ctx, tx, c, at); err != nil {
			return err
		}
	}
	return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: first.login,
		Action: action, At: at, Changes: registration})
}

// nextNumber returns the next sequence number of the case's day from the
// loader's counters (written by writeCounters before the commit). A bulk
// load fills an empty database; an import runs beside live intake, so the
// first case of a day in a transaction takes its number from the day's
// counter row as CreateCase does, which keeps the row locked until the
// transaction ends, and the day's later cases count on from it.
func (l *caseLoader) nextNumber(ctx context.Context, tx *Tx, b *BulkCase) (int64, error) {
	day := redress.BankDay(b.ReceivedAt)
	if b.Import != nil && !l.held[day] {
		seq, err := nextCaseNumber(ctx, tx, day)
		if err != nil {
			return 0, err
		}
		l.counters[day], l.held[day] = seq, true
		return seq, nil
	}
	l.counters[day]++
	l.dirty[day] = true
	return l.counters[day], nil
}

// nextCaseNumber takes the next sequence number of a bank day: in a
// group-commit batch from the numbers the batch reserved
// (batchWrites.caseNumber), elsewhere from the day's counter row, which
// stays locked until the transaction ends.
func nextCaseNumber(ctx context.Context, tx *Tx, day string) (int64, error) {
	if tx.batch != nil {
		return tx.batch.caseNumber(ctx, tx, day)
	}
	return reserveCaseNumbers(ctx, tx, day, 1)
}

// reserveCaseNumbers moves a bank day's counter on by n and returns the last
// of the n numbers it reserved; the row stays locked until the transaction ends.
func reserveCaseNumbers(ctx context.Context, tx *Tx, day string, n int64) (int64, error) {
	var last int64
	err := tx.QueryRowContext(ctx, `INSERT INTO case_counters (day, last) VALUES (?, ?)
		ON CONFLICT (day) DO UPDATE SET last = case_counters.last + excluded.last RETURNING last`, day, n).Scan(&last)
	if err != nil {
		return 0, fmt.Errorf("next tracking number of %s: %w", day, err)
	}
	return last, nil
}

// preparedInsert runs caseInsert through a statement prepared once per
// bulk transaction (from the dialect's insertIDQuery of it).
type preparedInsert struct{ stmt *sql.Stmt }

// QueryRowContext runs the statement; query is the one it was prepared from.
func (p preparedInsert) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.stmt.QueryRowContext(ctx, args...)
}

// ExecContext runs the statement; query is the one it was prepared from.
func (p preparedInsert) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.stmt.ExecContext(ctx, args...)
}

// writeCounters stores the tracking-number counters changed in this
// transaction, so that cases registered later continue the days' sequences.
func (l *caseLoader) writeCounters(ctx context.Context, tx *Tx) error {
	days := make([]string, 0, len(l.dirty))
	for day := range l.dirty {
		days = append(days, day)
	}
	sort.Strings(days)
	for _, day := range days {
		_, err := tx.ExecContext(ctx, `INSERT INTO case_counters (day, last) VALUES (?, ?)
			ON CONFLICT (day) DO UPDATE SET last = excluded.last`, day, l.counters[day])
		if err != nil {
			return fmt.Errorf("write counter of %s: %w", day, err)
		}
	}
	clear(l.dirty)
	clear(l.held)
	return nil
}
