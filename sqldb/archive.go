package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"redress"
)

// ArchiveService answers an archived file as it was at closing (redress
// archive.go). The file is kept as a snapshot written in the transaction
// that archives the case: the case as the services answer it (personal
// data masked) and its evidence list with each file's SHA-256. We chose a
// snapshot over rebuilding the file from the events because the events
// record each change's before and after of the case's own fields, not the
// records around it (reviews, evidence, entries), and because a snapshot is
// read as it was written, whatever the code that reads cases becomes.
type ArchiveService struct{ db *DB }

// NewArchiveService returns the archive service of db.
func NewArchiveService(db *DB) *ArchiveService { return &ArchiveService{db: db} }

var _ redress.ArchiveService = (*ArchiveService)(nil)

// saveArchive writes the snapshot of case no as it now stands in tx.
func (db *DB) saveArchive(ctx context.Context, tx *Tx, no string, at time.Time) error {
	c, err := db.loadCaseRow(ctx, tx, no)
	if err != nil {
		return err
	}
	ev, err := db.evidenceOf(ctx, tx, c)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(redress.ArchiveSnapshot{At: at, Status: c.Status, Case: c.Case, Evidence: ev})
	if err != nil {
		return fmt.Errorf("archive %s: %w", no, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_archives (case_id, at, status, snapshot) VALUES (?, ?, ?, ?)`,
		c.ID, timeText(at), c.Status, string(raw)); err != nil {
		return fmt.Errorf("archive %s: %w", no, err)
	}
	return nil
}

// ArchivedFile returns the snapshot of the case's latest archiving, for a
// case reader in scope.
func (s *ArchiveService) ArchivedFile(ctx context.Context, no string) (*redress.ArchiveSnapshot, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.db.loadCase(ctx, s.db.reads(), u, no)
	if err != nil {
		return nil, err
	}
	var raw string
	err = s.db.reads().QueryRowContext(ctx, `SELECT snapshot FROM case_archives WHERE case_id = ? ORDER BY at DESC, id DESC LIMIT 1`, c.ID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, redress.Errorf(redress.ENOTFOUND, "case %s has not been archived", no)
	}
	if err != nil {
		return nil, fmt.Errorf("archived file of %s: %w", no, err)
	}
	snap := &redress.ArchiveSnapshot{}
	if err := json.Unmarshal([]byte(raw), snap); err != nil {
		return nil, fmt.Errorf("archived file of %s: %w", no, err)
	}
	return snap, nil
}
