package sqldb

import (
	"context"
	"fmt"

	"redress"
)

// CaseFile reads a case file's case, its audit events and the chain's head
// in one snapshot, so the manifest's events and head agree. The personal
// data is opened in full for a role redress.CaseFileInFull, else left as
// loadCase masks it.
func (s *ExportService) CaseFile(ctx context.Context, no string) (*redress.CaseFile, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	f := &redress.CaseFile{Full: redress.CaseFileInFull(u.Role)}
	err = s.db.inSnapshot(ctx, func(tx *Tx) error {
		c, err := s.db.loadCase(ctx, tx, u, no)
		if err != nil {
			return err
		}
		if f.Full {
			if err := s.db.openInFull(c); err != nil {
				return err
			}
		}
		f.Case = c.Case
		if f.Events, err = caseEvents(ctx, tx, c.No); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&f.HeadSeq, &f.HeadHash); err != nil {
			return fmt.Errorf("read audit head: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("case file", err)
	}
	return f, nil
}

// openInFull puts the case's personal data on it in full.
func (db *DB) openInFull(c *caseRow) error {
	for _, f := range []struct {
		field  redress.PIIField
		sealed string
		dst    *string
	}{{redress.PIIIDNumber, c.idEnc, &c.Complainant.IDNumber}, {redress.PIIPhone, c.phoneEnc, &c.Complainant.Phone},
		{redress.PIIAccount, c.accountEnc, &c.Complainant.Account}, {redress.PIIAddress, c.addressEnc, &c.Complainant.Address},
		{redress.PIIEmail, c.emailEnc, &c.Complainant.Email}} {
		value, err := db.open(f.sealed, piiAAD(c.No, string(f.field)))
		if err != nil {
			return fmt.Errorf("open %s of %s: %w", f.field, c.No, err)
		}
		*f.dst = value
	}
	return nil
}

// caseEvents reads the audit events of one case, oldest first.
func caseEvents(ctx context.Context, q querier, no string) ([]*redress.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE case_no = ? ORDER BY seq`, no)
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

// RecordCaseFile appends the event case.export_file: who downloaded the
// case's file, how many files and bytes, whether in full, and the
// manifest's SHA-256, which ties the file to the audit chain.
func (s *ExportService) RecordCaseFile(ctx context.Context, no string, r redress.CaseFileRecord) error {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return err
	}
	return wrap("record case file", s.db.inTx(ctx, func(tx *Tx) error {
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, no),
			Actor: u.Login, Action: "case.export_file", At: s.db.now(), Detail: r.Detail()})
	}))
}
