package sqldb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"

	"redress"
)

// EvidenceService keeps the files of cases in the database, encrypted.
type EvidenceService struct{ db *DB }

// NewEvidenceService returns the evidence service of db.
func NewEvidenceService(db *DB) *EvidenceService { return &EvidenceService{db: db} }

var _ redress.EvidenceService = (*EvidenceService)(nil)

// blobAAD binds encrypted content to its hash.
func blobAAD(sum string) string { return "evidence:" + sum }

// AddEvidence stores a file with a case, with its audit event, in one transaction.
func (s *EvidenceService) AddEvidence(ctx context.Context, no string, n redress.NewEvidence) (*redress.Evidence, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayRegister(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s may not add evidence", u.Role)
	}
	name, contentType, err := redress.CleanEvidence(n.Name, n.ContentType)
	if err != nil {
		return nil, err
	}
	kind, err := redress.CheckEvidenceKind(n.Kind)
	if err != nil {
		return nil, err
	}
	if n.Body == nil {
		return nil, fieldError("file", "a file is required")
	}
	content, err := io.ReadAll(io.LimitReader(n.Body, redress.MaxEvidenceBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read evidence: %w", err)
	}
	var p redress.Problems
	switch {
	case len(content) == 0:
		p.Add("file", "the file is empty")
	case len(content) > redress.MaxEvidenceBytes:
		p.AddKey("file", redress.ProblemTooLarge, "20 MiB")
	}
	if len([]rune(n.Note)) > 1000 {
		p.AddKey("note", redress.ProblemTooLong, "1000")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(content)
	digest := hex.EncodeToString(sum[:])
	now := s.db.now()
	var added *redress.Evidence
	err = s.db.inTx(ctx, func(tx *Tx) error {
		c, err := s.db.loadCase(ctx, tx, u, no)
		if err != nil {
			return err
		}
		if err := redress.ArchiveRule(c.Case, redress.WriteEvidence); err != nil { // archive.go: reopen it to add evidence
			return err
		}
		// A content deleted at retention (purged_at) is stored again.
		_, err = tx.ExecContext(ctx, `INSERT INTO evidence_blobs (sha256, size, content) VALUES (?, ?, ?)
			ON CONFLICT (sha256) DO UPDATE SET content = excluded.content, purged_at = NULL WHERE evidence_blobs.purged_at IS NOT NULL`, digest, len(content), s.db.keyring().SealBytes(content, blobAAD(digest)))
		if err != nil {
			return fmt.Errorf("store evidence: %w", err)
		}
		added = &redress.Evidence{CaseNo: no, Name: name, ContentType: contentType, Size: int64(len(content)), SHA256: digest,
			Note: n.Note, Kind: kind, UploadedBy: u.Login, UploadedAt: now.In(redress.Beijing)}
		err = tx.QueryRowContext(ctx, `INSERT INTO evidence (case_id, name, content_type, sha256, note, kind, uploaded_by, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, name, contentType, digest, n.Note, kind, u.ID, timeText(now)).Scan(&added.ID)
		if err != nil {
			return fmt.Errorf("record evidence: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, no), Actor: u.Login, Action: "case.add_evidence", At: now,
			Changes: []redress.Change{{Field: "evidence.name", After: name}, {Field: "evidence.sha256", After: digest},
				{Field: "evidence.size", After: strconv.Itoa(len(content))}, {Field: "evidence.kind", After: string(kind)}}, Detail: portalDetail(ctx, n.Note)})
	})
	if err != nil {
		return nil, wrap("add evidence", err)
	}
	return added, nil
}

const evidenceSelect = `SELECT e.id, e.name, e.content_type, b.size, e.sha256, e.note, e.kind, u.login, e.uploaded_at, e.purged_at
	FROM evidence e JOIN evidence_blobs b ON b.sha256 = e.sha256 JOIN users u ON u.id = e.uploaded_by`

func scanEvidence(row interface{ Scan(...any) error }, no string) (*redress.Evidence, error) {
	e := &redress.Evidence{CaseNo: no}
	var at string
	var purged sql.NullString
	if err := row.Scan(&e.ID, &e.Name, &e.ContentType, &e.Size, &e.SHA256, &e.Note, &e.Kind, &e.UploadedBy, &at, &purged); err != nil {
		return nil, err
	}
	// A name stored before redress.EvidenceName was the rule (with a bidi
	// override, say) is shown as the rule would have kept it.
	if name, err := redress.EvidenceName("file", e.Name); err == nil {
		e.Name = name
	} else {
		e.Name = "evidence-" + strconv.FormatInt(e.ID, 10)
	}
	var err error
	if e.DeletedAt, err = parseNullTime(purged); err != nil {
		return nil, err
	}
	e.UploadedAt, err = parseTime(at)
	return e, err
}

// ListEvidence lists a case's files, oldest first.
func (s *EvidenceService) ListEvidence(ctx context.Context, no string) ([]*redress.Evidence, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.db.loadCase(ctx, s.db.reads(), u, no)
	if err != nil {
		return nil, wrap("list evidence", err)
	}
	return s.db.evidenceOf(ctx, s.db.reads(), c)
}

// evidenceOf lists a case's files, oldest first.
func (db *DB) evidenceOf(ctx context.Context, q querier, c *caseRow) ([]*redress.Evidence, error) {
	rows, err := q.QueryContext(ctx, evidenceSelect+` WHERE e.case_id = ? ORDER BY e.id`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	defer rows.Close()
	out := []*redress.Evidence{}
	for rows.Next() {
		e, err := scanEvidence(rows, c.No)
		if err != nil {
			return nil, fmt.Errorf("list evidence: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EvidenceContent returns one file and its content, checked against its hash.
func (s *EvidenceService) EvidenceContent(ctx context.Context, no string, id int64) (*redress.Evidence, []byte, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := caseReader(u); err != nil {
		return nil, nil, err
	}
	c, err := s.db.loadCase(ctx, s.db.reads(), u, no)
	if err != nil {
		return nil, nil, wrap("evidence", err)
	}
	e, err := scanEvidence(s.db.reads().QueryRowContext(ctx, evidenceSelect+` WHERE e.case_id = ? AND e.id = ?`, c.ID, id), no)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, redress.Errorf(redress.ENOTFOUND, "case %s has no evidence %d", no, id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("evidence: %w", err)
	}
	if e.DeletedAt != nil {
		return nil, nil, redress.Errorf(redress.ENOTFOUND, "evidence %d of case %s was deleted at the end of its retention period (its SHA-256 is kept)", id, no)
	}
	var sealed []byte
	if err := s.db.reads().QueryRowContext(ctx, `SELECT content FROM evidence_blobs WHERE sha256 = ?`, e.SHA256).Scan(&sealed); err != nil {
		return nil, nil, fmt.Errorf("evidence content: %w", err)
	}
	content, err := s.db.openBytes(sealed, blobAAD(e.SHA256))
	if err != nil {
		return nil, nil, fmt.Errorf("evidence %d: %w", id, err)
	}
	if sum := sha256.Sum256(content); !bytes.Equal([]byte(hex.EncodeToString(sum[:])), []byte(e.SHA256)) {
		return nil, nil, fmt.Errorf("evidence %d: content does not match its hash", id)
	}
	return e, content, nil
}

// openBytes decrypts content, reloading the keys once for a version this
// process does not know yet.
func (db *DB) openBytes(sealed []byte, aad string) ([]byte, error) {
	plain, err := db.keyring().OpenBytes(sealed, aad)
	var missing *redress.MissingKeyError
	if errors.As(err, &missing) && db.loadKeys != nil {
		if rerr := db.ReloadKeys(); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
		return db.keyring().OpenBytes(sealed, aad)
	}
	return plain, err
}
