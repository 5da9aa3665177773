package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"redress"
)

// appendEvent seals e onto the end of the audit chain inside tx: the change
// and its event commit or roll back together. The event's case number is
// its subject's; an event that does not name itself as
// redress.Event.CheckName requires is refused.
func (db *DB) appendEvent(ctx context.Context, tx *Tx, e *redress.Event) error {
	e.CaseNo = e.Subject.CaseNo()
	if err := e.CheckName(); err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	seq, hash, err := db.auditHead(ctx, tx)
	if err != nil {
		return err
	}
	if e.Changes == nil {
		e.Changes = []redress.Change{}
	}
	e.At = e.At.UTC()
	e.Seal(seq, hash)
	changes, err := json.Marshal(e.Changes)
	if err != nil {
		return fmt.Errorf("encode changes: %w", err)
	}
	row := []any{e.Seq, string(e.Subject.Kind), e.Subject.ID, e.CaseNo, e.Actor, e.Action, timeText(e.At), string(changes), e.Detail,
		e.Form, e.PrevHash, e.Hash, ""}
	if b := tx.batch; b != nil {
		// The event and the head are written with the batch's others, at
		// its end (batchWrites.write), in the order they were sealed.
		b.events = append(b.events, row)
		b.head.seq, b.head.hash, b.head.moved = e.Seq, e.Hash, true
		return nil
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO events (`+eventColumns+`) VALUES `+eventValues, row...); err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	return writeAuditHead(ctx, tx, e.Seq, e.Hash)
}

// batchHead is the audit chain's head as a group-commit batch extends it:
// read once (locking the row on PostgreSQL) at the batch's first event,
// kept in memory while its jobs append, written once at its end
// (batchWrites.write). Each
// event still carries the hash of the one before it, in order.
type batchHead struct {
	read, moved bool
	seq         int64
	hash        string
}

// auditHead returns the chain's last sequence number and hash (the genesis
// hash for an empty chain), from the batch's copy when tx is a batch's.
func (db *DB) auditHead(ctx context.Context, tx *Tx) (int64, string, error) {
	var h *batchHead
	if tx.batch != nil {
		h = &tx.batch.head
	}
	if h != nil && h.read {
		return h.seq, h.hash, nil
	}
	var seq int64
	var hash string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+db.dialect.forUpdate).Scan(&seq, &hash)
	if err != nil {
		return 0, "", fmt.Errorf("read audit head: %w", err)
	}
	if seq == 0 {
		hash = redress.GenesisHash
	}
	if h != nil {
		h.read, h.seq, h.hash = true, seq, hash
	}
	return seq, hash, nil
}

// writeAuditHead moves the chain's head to the event seq with its hash.
func writeAuditHead(ctx context.Context, tx *Tx, seq int64, hash string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, hash); err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return nil
}

const eventColumns = `seq, subject_kind, subject_id, case_no, actor, action, at, changes, detail, form, prev_hash, hash, redacted`

// eventValues are the placeholders of one event row.
const eventValues = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func scanEvent(rows *sql.Rows) (*redress.Event, error) {
	var e redress.Event
	var at, changes string
	if err := rows.Scan(&e.Seq, &e.Subject.Kind, &e.Subject.ID, &e.CaseNo, &e.Actor, &e.Action, &at, &changes, &e.Detail,
		&e.Form, &e.PrevHash, &e.Hash, &e.Redacted); err != nil {
		return nil, fmt.Errorf("scan event: %w", err)
	}
	var err error
	if e.At, err = parseTime(at); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
		// A tampered changes column is still an event to report, not a crash.
		e.Changes = []redress.Change{{Field: "(unreadable)", After: changes}}
	}
	return &e, nil
}

// AuditService reads and verifies the audit trail.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ redress.AuditService = (*AuditService)(nil)

// VerifyAudit walks the whole chain in storage order, streaming it.
func (s *AuditService) VerifyAudit(ctx context.Context) (*redress.AuditReport, error) {
	if err := redress.Require(redress.UserFrom(ctx), redress.PermAuditVerify); err != nil {
		return nil, err
	}
	return s.db.verifyChain(ctx)
}

// verifyChain reads the events and the head in one snapshot, so that
// events appended meanwhile (by this server or another) are not taken for
// a broken end of the chain.
func (db *DB) verifyChain(ctx context.Context) (*redress.AuditReport, error) {
	var report redress.AuditReport
	err := db.inSnapshot(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		v := redress.NewChainVerifier()
		for rows.Next() {
			e, err := scanEvent(rows)
			if err != nil {
				return err
			}
			if !v.Check(e) {
				break
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		var headSeq int64
		var headHash string
		if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
			return fmt.Errorf("read head: %w", err)
		}
		report = v.Finish(headSeq, headHash)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	return &report, nil
}

// VerifyAuditAsOperator verifies the chain without a signed-in user: for the
// CLI, which runs with the operator's access to the database file.
func (db *DB) VerifyAuditAsOperator(ctx context.Context) (*redress.AuditReport, error) {
	return db.verifyChain(ctx)
}

// ListEvents returns audit events, newest first, by keyset over seq. An
// action prefix ("case.") is the subject's kind, which finds the events
// stored under names older than noun.verb too (a bare "accept" is a case
// event); an action finds the events stored under its older name as well.
func (s *AuditService) ListEvents(ctx context.Context, f redress.AuditFilter) (*redress.EventPage, error) {
	if err := redress.Require(redress.UserFrom(ctx), redress.PermAuditRead); err != nil {
		return nil, err
	}
	var p redress.Problems
	where, args := " WHERE 1 = 1", []any{}
	if f.Actor != "" {
		where += " AND actor = ?"
		args = append(args, f.Actor)
	}
	switch {
	case strings.HasSuffix(f.Action, "."):
		where += " AND subject_kind = ?"
		args = append(args, strings.TrimSuffix(f.Action, "."))
	case f.Action != "":
		names := redress.EventActionNames(f.Action)
		where += " AND action IN (?" + strings.Repeat(", ?", len(names)-1) + ")"
		for _, name := range names {
			args = append(args, name)
		}
	}
	if f.CaseNo != "" {
		where += " AND case_no = ?"
		args = append(args, f.CaseNo)
	}
	switch {
	case f.Subject.Kind != "":
		where += " AND subject_kind = ?"
		args = append(args, string(f.Subject.Kind))
		if f.Subject.ID != "" {
			where += " AND subject_id = ?"
			args = append(args, f.Subject.ID)
		}
	case f.Subject.ID != "":
		p.Add("subject_id", "needs subject_kind")
	}
	if f.Org != "" {
		// The events of the people of the unit's subtree, by their unit now.
		var path string
		err := s.db.reads().QueryRowContext(ctx, `SELECT path FROM org_units WHERE code = ?`, f.Org).Scan(&path)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.AddKey("org", redress.ProblemNoSuchOrg, f.Org)
		case err != nil:
			return nil, fmt.Errorf("list events: %w", err)
		default:
			where += " AND actor IN (SELECT u.login FROM users u JOIN org_units o ON o.id = u.org_id WHERE o.path LIKE ?)"
			args = append(args, path+"%")
		}
	}
	if start, _, err := redress.DayRange(f.From, ""); err != nil {
		p.AddKey("from", redress.ProblemDate)
	} else if f.From != "" {
		where += " AND at >= ?"
		args = append(args, timeText(start))
	}
	if _, end, err := redress.DayRange("", f.To); err != nil {
		p.AddKey("to", redress.ProblemDate)
	} else if f.To != "" {
		where += " AND at < ?"
		args = append(args, timeText(end))
	}
	if f.Before > 0 {
		where += " AND seq < ?"
		args = append(args, f.Before)
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	if f.Limit < 1 || f.Limit > redress.MaxEventLimit {
		p.Add("limit", fmt.Sprintf("must be 1 to %d", redress.MaxEventLimit))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT `+eventColumns+` FROM events`+where+` ORDER BY seq DESC LIMIT ?`,
		append(args, f.Limit+1)...)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	page := &redress.EventPage{Events: []*redress.Event{}}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("list events: %w", err)
		}
		if len(page.Events) == f.Limit {
			page.NextBefore = page.Events[len(page.Events)-1].Seq
			break
		}
		page.Events = append(page.Events, e)
	}
	return page, rows.Err()
}
