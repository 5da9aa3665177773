package sqldb

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"redress"
)

// RetentionService keeps the retention policy and the legal holds and runs
// the retention job and erasures (redress.RetentionService).
type RetentionService struct{ db *DB }

// NewRetentionService returns the retention service of db.
func NewRetentionService(db *DB) *RetentionService { return &RetentionService{db: db} }

var _ redress.RetentionService = (*RetentionService)(nil)

// settingRetentionPolicy is the key of the retention policy in settings.
const settingRetentionPolicy = "retention_policy"

// retentionTarget is one kind of record the job expires: which records
// ended before a cutoff and no hold keeps (id, from), how many a hold keeps
// (held), and how to anonymise one record in its own transaction. A new
// register (the reception log, incidents) adds one line to retentionTargets.
type retentionTarget struct {
	kind redress.RetentionKind
	// id is the record's id as SQL; from is "FROM … WHERE …" of the records
	// expired and not held, taking the cutoff (timeText, or a Beijing date
	// when date is set); held counts what a hold keeps, taking the cutoff.
	id, from, held string
	date           bool
	// anonymise anonymises one record; it reports the events redacted and
	// the files deleted.
	anonymise func(db *DB, ctx context.Context, tx *Tx, id int64, actor string, now time.Time) (events, files int, err error)
}

// noHold counts nothing for a register no hold reaches.
const noHold = `SELECT 0 WHERE ? <> ''`

// caseHeldSQL is true of a case (alias c) that a standing hold, on it or on
// its complainant's ID or phone, keeps; or that an undecided review or an
// unanswered referral still needs.
const caseHeldSQL = `(EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL
		AND (h.case_id = c.id OR (h.person_idx <> '' AND h.person_idx IN ('id:' || c.c_id_number_idx, 'phone:' || c.c_phone_idx))))
	OR EXISTS (SELECT 1 FROM case_reviews r WHERE r.case_id = c.id AND r.decided_at IS NULL)
	OR EXISTS (SELECT 1 FROM case_referrals f WHERE f.case_id = c.id AND f.outcome = 'pending'))`

// archivedList is the archived statuses as SQL literals (redress.ArchivedStatuses).
var archivedList = func() string {
	out := ""
	for i, st := range redress.ArchivedStatuses {
		if i > 0 {
			out += ", "
		}
		out += "'" + string(st) + "'"
	}
	return out
}()

// closedCaseSQL is the condition of a case (alias c) closed before the
// cutoff (the argument), of a kind, not yet anonymised.
func closedCaseSQL(petition bool) string {
	kind := "c.kind <> 'petition'"
	if petition {
		kind = "c.kind = 'petition'"
	}
	return ` FROM cases c WHERE ` + kind + ` AND c.status IN (` + archivedList + `) AND c.anonymised_at IS NULL AND c.closed_at IS NOT NULL AND c.closed_at < ?`
}

// evidenceSQL is the condition of an evidence file (alias e) of a case closed
// before the cutoff, its content not deleted yet.
var evidenceSQL = ` FROM evidence e JOIN cases c ON c.id = e.case_id WHERE e.purged_at IS NULL AND c.status IN (` + archivedList +
	`) AND c.closed_at IS NOT NULL AND c.closed_at < ?`

// receptionSQL is the condition of a reception visit (alias v) made before
// the cutoff, not yet anonymised; a hold on the case it became keeps it.
const receptionSQL = ` FROM reception_visits v WHERE v.anonymised_at IS NULL AND v.arrived_at < ?`

// incidentSQL is the condition of a closed incident (alias i) last changed
// before the cutoff, its texts not anonymised yet; incidentHeldSQL keeps one
// with a linked case still open or kept by a hold (or an open review or
// referral).
var (
	incidentSQL     = ` FROM incidents i WHERE i.anonymised_at IS NULL AND i.status = 'closed' AND i.updated_at < ?`
	incidentHeldSQL = `EXISTS (SELECT 1 FROM incident_cases ic JOIN cases c ON c.no = ic.case_no WHERE ic.incident_id = i.id
		AND (c.status NOT IN (` + archivedList + `) OR ` + caseHeldSQL + `))`
)

// retentionTargets are the kinds the job expires, in the order of
// redress.RetentionKinds.
var retentionTargets = []retentionTarget{
	{kind: redress.RetainComplaint, id: "c.id", from: closedCaseSQL(false) + ` AND NOT ` + caseHeldSQL,
		held: `SELECT COUNT(*)` + closedCaseSQL(false) + ` AND ` + caseHeldSQL, anonymise: anonymiseCaseByID},
	{kind: redress.RetainPetition, id: "c.id", from: closedCaseSQL(true) + ` AND NOT ` + caseHeldSQL,
		held: `SELECT COUNT(*)` + closedCaseSQL(true) + ` AND ` + caseHeldSQL, anonymise: anonymiseCaseByID},
	{kind: redress.RetainEvidence, id: "e.id", from: evidenceSQL + ` AND NOT ` + caseHeldSQL,
		held: `SELECT COUNT(*)` + evidenceSQL + ` AND ` + caseHeldSQL, anonymise: purgeEvidence},
	{kind: redress.RetainLost, id: "id", from: ` FROM lost_items WHERE anonymised_at IS NULL AND closed_at IS NOT NULL AND closed_at < ?`,
		held: noHold, anonymise: anonymiseLost},
	{kind: redress.RetainOpinionBook, date: true, id: "(org_id * 100000000 + CAST(REPLACE(day, '-', '') AS BIGINT))",
		from: ` FROM opinion_book_checks WHERE anonymised_at IS NULL AND day < ?`, held: noHold, anonymise: anonymiseOpinionCheck},
	{kind: redress.RetainReception, id: "v.id", from: receptionSQL + ` AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = v.case_id AND ` + caseHeldSQL + `)`,
		held:      `SELECT COUNT(*)` + receptionSQL + ` AND EXISTS (SELECT 1 FROM cases c WHERE c.id = v.case_id AND ` + caseHeldSQL + `)`,
		anonymise: anonymiseReception},
	{kind: redress.RetainIncident, id: "i.id", from: incidentSQL + ` AND NOT ` + incidentHeldSQL,
		held: `SELECT COUNT(*)` + incidentSQL + ` AND ` + incidentHeldSQL, anonymise: anonymiseIncident},
	{kind: redress.RetainAudit, id: "seq", from: ` FROM events WHERE subject_kind = 'session' AND redacted = '' AND detail <> '' AND at < ?`,
		held: noHold, anonymise: redactSessionEvent},
}

// RetentionPolicy returns the policy in force (every signed-in user: the
// case page says how long a case is kept).
func (s *RetentionService) RetentionPolicy(ctx context.Context) (redress.RetentionPolicy, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	return s.db.retentionPolicy(ctx, s.db.reads())
}

func (db *DB) retentionPolicy(ctx context.Context, q querier) (redress.RetentionPolicy, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, settingRetentionPolicy).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return redress.DefaultRetentionPolicy(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read retention policy: %w", err)
	}
	p := redress.RetentionPolicy{}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return nil, fmt.Errorf("read retention policy: %w", err)
	}
	return p.WithDefaults(), nil
}

// SetRetentionPolicy replaces the policy (admin only; kinds left out keep
// their defaults), with an audit event system.set_retention_policy.
func (s *RetentionService) SetRetentionPolicy(ctx context.Context, p redress.RetentionPolicy) (redress.RetentionPolicy, error) {
	if err := redress.Require(redress.UserFrom(ctx), redress.PermRetentionManage); err != nil {
		return nil, err
	}
	full := p.WithDefaults()
	settings := &SettingsService{db: s.db}
	if err := settings.write(ctx, settingRetentionPolicy, "system.set_retention_policy", p.Validate, full); err != nil {
		return nil, err
	}
	return full, nil
}

// RunRetention counts, kind by kind, what expired as of now and what a hold
// keeps; unless dryRun it anonymises each expired record in a transaction of
// its own (so a server keeps serving meanwhile and a stop loses nothing
// done), then records retention.run with the counts. A dry run writes nothing.
func (s *RetentionService) RunRetention(ctx context.Context, dryRun bool) (*redress.RetentionReport, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := redress.Require(u, redress.PermRetentionManage); err != nil {
		return nil, err
	}
	return s.db.runRetention(ctx, u.Login, dryRun)
}

// RunRetentionAsOperator runs the job for the operator of the CLI (redress
// retention), who holds the database already.
func (db *DB) RunRetentionAsOperator(ctx context.Context, dryRun bool) (*redress.RetentionReport, error) {
	return db.runRetention(ctx, actorOr(ctx, "operator"), dryRun)
}

func (db *DB) runRetention(ctx context.Context, actor string, dryRun bool) (*redress.RetentionReport, error) {
	now := db.now()
	policy, err := db.retentionPolicy(ctx, db.reads())
	if err != nil {
		return nil, err
	}
	report := &redress.RetentionReport{DryRun: dryRun, AsOf: now}
	for _, t := range retentionTargets {
		cutoff := policy.Cutoff(t.kind, now)
		arg := timeText(cutoff)
		if t.date {
			arg = cutoff.Format(time.DateOnly)
		}
		count := redress.RetentionCount{Kind: t.kind, Years: policy[t.kind], Cutoff: cutoff.Format(time.DateOnly)}
		if err := db.reads().QueryRowContext(ctx, t.held, arg).Scan(&count.Held); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("retention %s: count held: %w", t.kind, err)
		}
		ids, err := db.retentionIDs(ctx, `SELECT `+t.id+t.from+` ORDER BY `+t.id, arg)
		if err != nil {
			return nil, fmt.Errorf("retention %s: %w", t.kind, err)
		}
		count.Expired = len(ids)
		report.Kinds = append(report.Kinds, count)
		if dryRun {
			continue
		}
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return report, err
			}
			// Checked again in the transaction: a case reopened, or a hold
			// placed, since the list was read is left alone (Skipped).
			err := db.inTx(ctx, func(tx *Tx) error {
				var still int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*)`+t.from+` AND `+t.id+` = ?`, arg, id).Scan(&still); err != nil {
					return err
				}
				if still == 0 {
					return errRetentionSkip
				}
				events, files, err := t.anonymise(db, ctx, tx, id, actor, now)
				report.Events, report.Files = report.Events+events, report.Files+files
				return err
			})
			switch {
			case errors.Is(err, errRetentionSkip) || redress.ErrorCode(err) == redress.ECONFLICT:
				report.Skipped++
			case err != nil:
				return report, fmt.Errorf("retention %s %d: %w", t.kind, id, err)
			}
		}
	}
	if dryRun {
		return report, nil
	}
	changes := make([]redress.Change, 0, len(report.Kinds)+2)
	for _, k := range report.Kinds {
		changes = append(changes, redress.Change{Field: string(k.Kind), After: strconv.Itoa(k.Expired)})
	}
	if report.Skipped > 0 {
		changes = append(changes, redress.Change{Field: "skipped", After: strconv.Itoa(report.Skipped)})
	}
	changes = append(changes, redress.Change{Field: "events_redacted", After: strconv.Itoa(report.Events)},
		redress.Change{Field: "files_deleted", After: strconv.Itoa(report.Files)})
	err = db.inTx(ctx, func(tx *Tx) error {
		return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectRetention, ""), Actor: actor,
			Action: "retention.run", At: now, Changes: changes,
			Detail: fmt.Sprintf("%d records anonymised, %d skipped, %d events redacted, %d files deleted", report.Total()-report.Skipped, report.Skipped, report.Events, report.Files)})
	})
	if err != nil {
		return report, fmt.Errorf("retention: %w", err)
	}
	return report, nil
}

// errRetentionSkip rolls back the anonymisation of a record that no longer expires.
var errRetentionSkip = errors.New("retention: no longer expired")

// retentionIDs reads the ids a target's query answers.
func (db *DB) retentionIDs(ctx context.Context, query string, arg string) ([]int64, error) {
	return queryIDs(ctx, db.reads(), query, arg)
}

// anonymiseCaseByID anonymises one case found by the job.
func anonymiseCaseByID(db *DB, ctx context.Context, tx *Tx, id int64, actor string, now time.Time) (int, int, error) {
	var no string
	if err := tx.QueryRowContext(ctx, `SELECT no FROM cases WHERE id = ?`, id).Scan(&no); err != nil {
		return 0, 0, fmt.Errorf("case %d: %w", id, err)
	}
	events, err := db.anonymiseCase(ctx, tx, no, actor, "retention", now)
	return events, 0, err
}

// anonymiseCase anonymises one case in tx (redress.AnonymiseCase): its row,
// the records around it (entries, conflicts, deadline changes, reviews,
// notices, ratings, referrals, the evidence's names and notes), its search
// document, and its audit events (RedactEvent), witnessed by the event
// case.anonymise. The repeat figures of the person's cases are unchanged:
// their flags were written when each came in (repeat_flags.go), not read
// from the blind indexes this empties.
func (db *DB) anonymiseCase(ctx context.Context, tx *Tx, no, actor, why string, now time.Time) (int, error) {
	c, err := db.loadCaseRow(ctx, tx, no)
	if err != nil {
		return 0, err
	}
	if c.AnonymisedAt != nil {
		return 0, nil
	}
	var idx [3]string
	if err := tx.QueryRowContext(ctx, `SELECT c_id_number_idx, c_phone_idx, c_account_idx FROM cases WHERE id = ?`, c.ID).
		Scan(&idx[0], &idx[1], &idx[2]); err != nil {
		return 0, fmt.Errorf("anonymise %s: %w", no, err)
	}
	oldVersion := c.Version
	redress.AnonymiseCase(c.Case, now)
	c.seal(db.keyring()) // the numbers are empty: nothing sealed
	c.idIndex, c.phoneIndex, c.accountIndex = db.pseudonym(idx[0]), db.pseudonym(idx[1]), db.pseudonym(idx[2])
	c.Version++
	if err := c.encodeState(); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, caseAnonymise, c.anonymiseValues(oldVersion)...)
	if err != nil {
		return 0, fmt.Errorf("anonymise %s: %w", no, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, redress.Reasonf(redress.ECONFLICT, redress.ReasonChangedMeanwhile, no)
	}
	if err := db.anonymiseCaseRecords(ctx, tx, c.ID); err != nil {
		return 0, fmt.Errorf("anonymise %s: %w", no, err)
	}
	if err := db.writeSearchDocument(ctx, tx, c.ID, redress.SearchDocument(c.Case), false); err != nil {
		return 0, err
	}
	held, err := db.anonymiseHolds(ctx, tx, `case_id = ?`, c.ID, actor, now)
	if err != nil {
		return 0, err
	}
	n, err := db.redactEvents(ctx, tx, redress.NewSubject(redress.SubjectCase, no), actor, "case.anonymise", why, now)
	return n + held, err
}

// anonymiseHolds redacts the reasons of the released holds matching where
// (a reason may name the person: 张三诉…), the masked number and blind index
// of a complainant's hold, and the holds' events, each witnessed by
// hold.anonymise. Only released holds come here: a standing one keeps its
// record from expiring.
func (db *DB) anonymiseHolds(ctx context.Context, tx *Tx, where string, arg any, actor string, now time.Time) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM legal_holds WHERE released_at IS NOT NULL AND `+where+` ORDER BY id`, arg)
	if err != nil {
		return 0, fmt.Errorf("anonymise holds: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	events := 0
	for _, id := range ids {
		r := redress.RetentionRedacted
		if _, err := tx.ExecContext(ctx, `UPDATE legal_holds SET reason = ?, release_reason = ?, person_idx = '',
			person_masked = CASE WHEN person_masked = '' THEN '' ELSE ? END WHERE id = ?`, r, r, r, id); err != nil {
			return 0, fmt.Errorf("anonymise hold %d: %w", id, err)
		}
		n, err := db.redactEvents(ctx, tx, redress.NewSubject(redress.SubjectHold, redress.HoldRef(id)), actor, "hold.anonymise", "retention", now)
		if err != nil {
			return 0, err
		}
		events += n
	}
	return events, nil
}

// caseRecordTexts are the free texts of the records around a case, by
// table and column, that anonymisation redacts (a text left empty stays
// empty). A new record of a case with a text adds its line here.
var caseRecordTexts = []struct{ table, column string }{
	{"case_entries", "text"}, {"case_conflicts", "reason"},
	{"case_deadline_changes", "reason"}, {"case_deadline_changes", "approval"}, {"case_deadline_changes", "notice_proof"},
	{"case_reviews", "text"}, {"case_reviews", "process"}, {"case_reviews", "timeliness"}, {"case_reviews", "merits"},
	{"case_reviews", "decision"}, {"case_reviews", "notice_proof"},
	{"customer_notices", "body"}, {"customer_notices", "proof"}, {"case_ratings", "comment"},
	{"case_referrals", "contact"}, {"case_referrals", "agreement"}, {"evidence", "note"},
}

// anonymiseCaseRecords redacts the records around a case: caseRecordTexts,
// the evidence's names (a file name may be a person's), the staff's
// notifications about the case, and the customer's portal sessions.
func (db *DB) anonymiseCaseRecords(ctx context.Context, tx *Tx, caseID int64) error {
	for _, t := range caseRecordTexts {
		if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET `+t.column+` = ? WHERE case_id = ? AND `+t.column+` <> ''`,
			redress.RetentionRedacted, caseID); err != nil {
			return fmt.Errorf("%s.%s: %w", t.table, t.column, err)
		}
	}
	for _, q := range []string{
		`UPDATE evidence SET name = 'evidence-' || CAST(id AS TEXT) WHERE case_id = ?`,
		`UPDATE notifications SET body = '` + redress.RetentionRedacted + `' WHERE case_no = (SELECT no FROM cases WHERE id = ?)`,
		`DELETE FROM portal_sessions WHERE case_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, caseID); err != nil {
			return err
		}
	}
	return nil
}

// redactEvents redacts the personal values of every event of the subject
// not redacted yet, then appends the event action that witnesses each
// redaction (redress.RedactionWitness), so the chain still verifies and any
// later edit of a redacted event shows.
func (db *DB) redactEvents(ctx context.Context, tx *Tx, subject redress.Subject, actor, action, why string, now time.Time) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE subject_kind = ? AND subject_id = ? AND redacted = '' ORDER BY seq`,
		string(subject.Kind), subject.ID)
	if err != nil {
		return 0, fmt.Errorf("redact events of %s %s: %w", subject.Kind, subject.ID, err)
	}
	var events []*redress.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		events = append(events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	witnesses, err := db.redactEventList(ctx, tx, events)
	if err != nil {
		return 0, err
	}
	err = db.appendEvent(ctx, tx, &redress.Event{Subject: subject, Actor: actor, Action: action, At: now,
		Changes: witnesses, Detail: why})
	return len(witnesses), err
}

// redactEventList redacts the events given and returns their witnesses.
func (db *DB) redactEventList(ctx context.Context, tx *Tx, events []*redress.Event) ([]redress.Change, error) {
	witnesses := []redress.Change{}
	for _, e := range events {
		if !redress.RedactEvent(e) {
			continue
		}
		changes, err := json.Marshal(e.Changes)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET changes = ?, detail = ?, redacted = ? WHERE seq = ? AND redacted = ''`,
			string(changes), e.Detail, e.Redacted, e.Seq); err != nil {
			return nil, fmt.Errorf("redact event %d: %w", e.Seq, err)
		}
		witnesses = append(witnesses, redress.RedactionWitness(e))
	}
	return witnesses, nil
}

// purgeEvidence deletes an expired evidence file's content: the row keeps
// its type, size and SHA-256 (the record of what was kept), the content
// shared by rows of the same hash is emptied when no row still needs it.
func purgeEvidence(db *DB, ctx context.Context, tx *Tx, id int64, actor string, now time.Time) (int, int, error) {
	var no, sum string
	err := tx.QueryRowContext(ctx, `SELECT c.no, e.sha256 FROM evidence e JOIN cases c ON c.id = e.case_id WHERE e.id = ?`, id).Scan(&no, &sum)
	if err != nil {
		return 0, 0, fmt.Errorf("evidence %d: %w", id, err)
	}
	if err := db.purgeEvidenceRows(ctx, tx, `e.id = ?`, id, now); err != nil {
		return 0, 0, err
	}
	err = db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, no), Actor: actor,
		Action: "case.purge_evidence", At: now, Changes: []redress.Change{{Field: "evidence.sha256", Before: sum}},
		Detail: "evidence " + strconv.FormatInt(id, 10) + ": retention"})
	return 0, 1, err
}

// purgeEvidenceRows marks the evidence rows matching where (alias e) deleted
// and empties each content no row still needs.
func (db *DB) purgeEvidenceRows(ctx context.Context, tx *Tx, where string, arg any, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE evidence SET purged_at = ? WHERE purged_at IS NULL AND id IN (SELECT e.id FROM evidence e WHERE `+where+`)`,
		timeText(now), arg); err != nil {
		return fmt.Errorf("delete evidence: %w", err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE evidence_blobs SET content = ?, purged_at = ? WHERE purged_at IS NULL
		AND sha256 IN (SELECT e.sha256 FROM evidence e WHERE `+where+`)
		AND NOT EXISTS (SELECT 1 FROM evidence k WHERE k.sha256 = evidence_blobs.sha256 AND k.purged_at IS NULL)`,
		[]byte{}, timeText(now), arg)
	if err != nil {
		return fmt.Errorf("delete evidence content: %w", err)
	}
	return nil
}

// anonymiseLost anonymises a found item closed before the cutoff: the
// receiver's name and ID, the description, who found it, the tracing and
// closing notes; its events redacted and witnessed by lost.anonymise.
func anonymiseLost(db *DB, ctx context.Context, tx *Tx, id int64, actor string, now time.Time) (int, int, error) {
	r := redress.RetentionRedacted
	_, err := tx.ExecContext(ctx, `UPDATE lost_items SET description = ?, found_by = ?, receiver_id_enc = '',
		receiver_name = CASE WHEN receiver_name = '' THEN '' ELSE ? END, traced = CASE WHEN traced = '' THEN '' ELSE ? END,
		closed_note = CASE WHEN closed_note = '' THEN '' ELSE ? END, anonymised_at = ?, version = version + 1
		WHERE id = ? AND anonymised_at IS NULL`, r, r, r, r, r, timeText(now), id)
	if err != nil {
		return 0, 0, fmt.Errorf("anonymise lost item %d: %w", id, err)
	}
	n, err := db.redactEvents(ctx, tx, redress.NewSubject(redress.SubjectLost, redress.LostRef(id)), actor, "lost.anonymise", "retention", now)
	return n, 0, err
}

// anonymiseReception anonymises a reception visit made before the cutoff:
// the visitor's name, phone and ID number (sealed values and blind indexes)
// and the free texts that may name people; the outlet, times, materials,
// wait, visitors and the survey's outcome stay for the figures; its events
// redacted and witnessed by reception.anonymise.
func anonymiseReception(db *DB, ctx context.Context, tx *Tx, id int64, actor string, now time.Time) (int, int, error) {
	r := redress.RetentionRedacted
	_, err := tx.ExecContext(ctx, `UPDATE reception_visits SET name = ?, phone_enc = '', phone_idx = '', id_number_enc = '', id_number_idx = '',
		purpose = ?, needs = CASE WHEN needs = '' THEN '' ELSE ? END, guidance = CASE WHEN guidance = '' THEN '' ELSE ? END,
		follow_up = CASE WHEN follow_up = '' THEN '' ELSE ? END, materials_missing = CASE WHEN materials_missing = '' THEN '' ELSE ? END,
		anonymised_at = ?, version = version + 1 WHERE id = ? AND anonymised_at IS NULL`, r, r, r, r, r, r, timeText(now), id)
	if err != nil {
		return 0, 0, fmt.Errorf("anonymise reception visit %d: %w", id, err)
	}
	n, err := db.redactEvents(ctx, tx, redress.NewSubject(redress.SubjectReception, redress.ReceptionRef(id)), actor, "reception.anonymise", "retention", now)
	return n, 0, err
}

// anonymiseIncident redacts the texts of a closed incident that may name
// people: the people's description, the timeline's and progress reports'
// texts, the closing report and the chain's notes. Its kind, unit, times,
// counts, linked cases and the chain's times stay; its events are redacted
// and witnessed by incident.anonymise.
func anonymiseIncident(db *DB, ctx context.Context, tx *Tx, id int64, actor string, now time.Time) (int, int, error) {
	r := redress.RetentionRedacted
	var timelineJSON, reportsJSON, closingJSON string
	if err := tx.QueryRowContext(ctx, `SELECT timeline_json, reports_json, closing_json FROM incidents WHERE id = ?`, id).
		Scan(&timelineJSON, &reportsJSON, &closingJSON); err != nil {
		return 0, 0, fmt.Errorf("anonymise incident %d: %w", id, err)
	}
	var timeline []redress.IncidentEntry
	var reports []redress.Entry
	if err := json.Unmarshal([]byte(timelineJSON), &timeline); err != nil {
		return 0, 0, fmt.Errorf("anonymise incident %d: timeline: %w", id, err)
	}
	if err := json.Unmarshal([]byte(reportsJSON), &reports); err != nil {
		return 0, 0, fmt.Errorf("anonymise incident %d: reports: %w", id, err)
	}
	for i := range timeline {
		timeline[i].Text = r
	}
	for i := range reports {
		reports[i].Text = r
	}
	closing := ""
	if closingJSON != "" {
		var c redress.IncidentClosing
		if err := json.Unmarshal([]byte(closingJSON), &c); err != nil {
			return 0, 0, fmt.Errorf("anonymise incident %d: closing: %w", id, err)
		}
		c.Cause, c.Actions, c.Outcome, c.FollowUp = r, r, r, r
		b, _ := json.Marshal(c)
		closing = string(b)
	}
	t, _ := json.Marshal(timeline)
	p, _ := json.Marshal(reports)
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET people_note = CASE WHEN people_note = '' THEN '' ELSE ? END, timeline_json = ?,
		reports_json = ?, closing_json = ?, anonymised_at = ?, version = version + 1 WHERE id = ? AND anonymised_at IS NULL`,
		r, string(t), string(p), closing, timeText(now), id); err != nil {
		return 0, 0, fmt.Errorf("anonymise incident %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE incident_steps SET note = ? WHERE incident_id = ? AND note <> ''`, r, id); err != nil {
		return 0, 0, fmt.Errorf("anonymise incident %d: steps: %w", id, err)
	}
	n, err := db.redactEvents(ctx, tx, redress.NewSubject(redress.SubjectIncident, redress.IncidentRef(id)), actor, "incident.anonymise", "retention", now)
	return n, 0, err
}

// anonymiseOpinionCheck redacts the texts of a day's opinion-book check
// (what the customers wrote); the outcomes and linked cases stay. The id is
// org_id × 10⁸ + YYYYMMDD.
func anonymiseOpinionCheck(db *DB, ctx context.Context, tx *Tx, id int64, actor string, now time.Time) (int, int, error) {
	org, d := id/100000000, id%100000000
	day := fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
	var raw, note string
	if err := tx.QueryRowContext(ctx, `SELECT entries_json, note FROM opinion_book_checks WHERE org_id = ? AND day = ?`, org, day).Scan(&raw, &note); err != nil {
		return 0, 0, fmt.Errorf("opinion book %d %s: %w", org, day, err)
	}
	var entries []redress.OpinionEntry
	if err := json.Unmarshal([]byte(raw), &entries); err != nil {
		return 0, 0, fmt.Errorf("opinion book %d %s: %w", org, day, err)
	}
	for i := range entries {
		if entries[i].Text != "" {
			entries[i].Text = redress.RetentionRedacted
		}
	}
	body, err := json.Marshal(entries)
	if err != nil {
		return 0, 0, err
	}
	if note != "" {
		note = redress.RetentionRedacted
	}
	_, err = tx.ExecContext(ctx, `UPDATE opinion_book_checks SET entries_json = ?, note = ?, anonymised_at = ? WHERE org_id = ? AND day = ?`,
		string(body), note, timeText(now), org, day)
	return 0, 0, err
}

// redactSessionEvent redacts a sign-in event older than the audit events'
// period: its detail holds the client's address. Each is witnessed by a
// retention.redact_event event of its own (a batch would hold one
// transaction longer).
func redactSessionEvent(db *DB, ctx context.Context, tx *Tx, seq int64, actor string, now time.Time) (int, int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE seq = ? AND redacted = ''`, seq)
	if err != nil {
		return 0, 0, err
	}
	var events []*redress.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return 0, 0, err
		}
		events = append(events, e)
	}
	rows.Close()
	witnesses, err := db.redactEventList(ctx, tx, events)
	if err != nil || len(witnesses) == 0 {
		return 0, 0, err
	}
	err = db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectRetention, ""), Actor: actor,
		Action: "retention.redact_event", At: now, Changes: witnesses, Detail: "audit_event"})
	return len(witnesses), 0, err
}

// pseudonym stands for a blind index on an anonymised case: the statistics
// of people (complainants with two or more cases, cases after a closed one;
// sqldb/stats.go) group cases by the blind indexes, so each index becomes a
// keyed hash under a secret this process holds in memory only and never
// stores. The cases of one person anonymised by one run keep counting as one
// person, and nothing links a pseudonym back to a number once the run ends:
// the keyring's blind index of a guessed number no longer finds it. ""
// stays "" (no number, no index).
func (db *DB) pseudonym(index string) string {
	if index == "" {
		return ""
	}
	mac := hmac.New(sha256.New, db.pseudonymKey[:])
	mac.Write([]byte(index))
	return "anon:" + hex.EncodeToString(mac.Sum(nil)[:16])
}
