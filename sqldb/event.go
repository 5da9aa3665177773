package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"redress"
)

// appendEvent seals e onto the end of the audit chain inside tx: the change
// and its event commit or roll back together.
func (db *DB) appendEvent(ctx context.Context, tx *sql.Tx, e *redress.Event) error {
	var seq int64
	var hash string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+db.dialect.forUpdate).Scan(&seq, &hash)
	if err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	if seq == 0 {
		hash = redress.GenesisHash
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
	_, err = tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO events
		(seq, case_no, actor, action, at, changes, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		e.Seq, e.CaseNo, e.Actor, e.Action, timeText(e.At), string(changes), e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	_, err = tx.ExecContext(ctx, db.dialect.rebind(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`), e.Seq, e.Hash)
	if err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return nil
}

const eventColumns = `seq, case_no, actor, action, at, changes, detail, prev_hash, hash`

func scanEvent(rows *sql.Rows) (*redress.Event, error) {
	var e redress.Event
	var at, changes string
	if err := rows.Scan(&e.Seq, &e.CaseNo, &e.Actor, &e.Action, &at, &changes, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
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

// AuditService verifies the audit trail.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ redress.AuditService = (*AuditService)(nil)

// VerifyAudit walks the whole chain in storage order, streaming it.
func (s *AuditService) VerifyAudit(ctx context.Context) (*redress.AuditReport, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != redress.RoleAuditor && u.Role != redress.RoleHQService && u.Role != redress.RoleAdmin {
		return nil, redress.Errorf(redress.EFORBIDDEN, "only auditors, head-office service and admins verify the audit trail")
	}
	return s.db.verifyChain(ctx)
}

func (db *DB) verifyChain(ctx context.Context) (*redress.AuditReport, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	v := redress.NewChainVerifier()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("verify audit: %w", err)
		}
		if !v.Check(e) {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	rows.Close()
	var headSeq int64
	var headHash string
	if err := db.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, fmt.Errorf("verify audit: read head: %w", err)
	}
	report := v.Finish(headSeq, headHash)
	return &report, nil
}

// VerifyAuditAsOperator verifies the chain without a signed-in user: for the
// CLI, which runs with the operator's access to the database file.
func (db *DB) VerifyAuditAsOperator(ctx context.Context) (*redress.AuditReport, error) {
	return db.verifyChain(ctx)
}
