package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"redress"
)

const holdSelect = `SELECT h.id, h.scope, COALESCE(c.no, ''), h.person_masked, h.reason, h.placed_by, h.placed_at,
	h.released_by, h.released_at, h.release_reason
	FROM legal_holds h LEFT JOIN cases c ON c.id = h.case_id`

func scanHold(row interface{ Scan(...any) error }) (*redress.LegalHold, error) {
	var h redress.LegalHold
	var placed string
	var released sql.NullString
	if err := row.Scan(&h.ID, &h.Scope, &h.CaseNo, &h.Person, &h.Reason, &h.PlacedBy, &placed, &h.ReleasedBy, &released,
		&h.ReleaseReason); err != nil {
		return nil, err
	}
	var err error
	if h.PlacedAt, err = parseTime(placed); err != nil {
		return nil, err
	}
	h.ReleasedAt, err = parseNullTime(released)
	return &h, err
}

// personIndex is the blind index a complainant's hold or erasure finds the
// person by ("id:…" or "phone:…", as caseHeldSQL compares), and the number
// masked for the record.
func (db *DB) personIndex(idNumber, phone string) (index, masked string) {
	k := db.keyring()
	if idNumber != "" {
		return "id:" + k.BlindIndex("id", idNumber), redress.MaskID(strings.TrimSpace(idNumber))
	}
	return "phone:" + k.BlindIndex("phone", phone), redress.MaskPhone(strings.TrimSpace(phone))
}

// headOffice checks that u may act across every case of a person: the
// permission and a place at head office, which sees every case.
func headOffice(u *redress.User, p redress.Permission) error {
	if err := redress.Require(u, p); err != nil {
		return err
	}
	if !isRootPath(u.OrgPath) {
		return redress.Errorf(redress.EFORBIDDEN, "only head office acts on every case of a person")
	}
	return nil
}

// Holds lists the holds of one case (every reader of the case), or every
// hold still standing (the holders of PermLegalHold: the cases in their
// scope and the complainants' holds).
func (s *RetentionService) Holds(ctx context.Context, caseNo string) ([]redress.LegalHold, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if caseNo != "" {
		c, err := s.db.loadCaseHead(ctx, s.db.reads(), caseNo)
		if err == nil && !redress.InScope(u, c.Case) {
			err = redress.Errorf(redress.ENOTFOUND, "case %s not found", caseNo)
		}
		if err != nil {
			return nil, wrap("holds", err)
		}
		rows, err = s.db.reads().QueryContext(ctx, holdSelect+` WHERE h.case_id = ? ORDER BY h.id`, c.ID)
		if err != nil {
			return nil, fmt.Errorf("holds: %w", err)
		}
	} else {
		if err := redress.Require(u, redress.PermLegalHold); err != nil {
			return nil, err
		}
		scope, args, err := s.db.caseScopeSQL(ctx, u)
		if err != nil {
			return nil, err
		}
		rows, err = s.db.reads().QueryContext(ctx, holdSelect+` WHERE h.released_at IS NULL
			AND (h.case_id IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = h.case_id`+scope+`)) ORDER BY h.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("holds: %w", err)
		}
	}
	defer rows.Close()
	out := []redress.LegalHold{}
	for rows.Next() {
		h, err := scanHold(rows)
		if err != nil {
			return nil, fmt.Errorf("holds: %w", err)
		}
		out = append(out, *h)
	}
	return out, rows.Err()
}

// PlaceHold places a hold on a case in the user's scope (PermLegalHold) or,
// caseNo empty, on a complainant by ID or phone (PermErasure, head office),
// with an audit event hold.place naming the case or the masked number.
func (s *RetentionService) PlaceHold(ctx context.Context, caseNo string, n redress.NewLegalHold) (*redress.LegalHold, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	person := caseNo == ""
	if person {
		err = headOffice(u, redress.PermErasure)
	} else {
		err = redress.Require(u, redress.PermLegalHold)
	}
	if err != nil {
		return nil, err
	}
	if err := n.Validate(person); err != nil {
		return nil, err
	}
	now := s.db.now()
	h := &redress.LegalHold{Scope: redress.HoldCase, CaseNo: caseNo, Reason: strings.TrimSpace(n.Reason), PlacedBy: u.Login,
		PlacedAt: now.In(redress.Beijing)}
	err = s.db.inTx(ctx, func(tx *Tx) error {
		var caseID any
		var index string
		change := redress.Change{Field: "case", After: caseNo}
		if person {
			h.Scope = redress.HoldComplainant
			index, h.Person = s.db.personIndex(n.IDNumber, n.Phone)
			change = redress.Change{Field: "person", After: h.Person}
		} else {
			c, err := s.db.loadCaseHead(ctx, tx, caseNo)
			if err == nil && !redress.InScope(u, c.Case) {
				err = redress.Errorf(redress.ENOTFOUND, "case %s not found", caseNo)
			}
			if err != nil {
				return err
			}
			if c.AnonymisedAt != nil {
				return redress.Errorf(redress.ECONFLICT, "case %s was anonymised: nothing is left to hold", caseNo)
			}
			caseID = c.ID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO legal_holds (scope, case_id, person_idx, person_masked, reason, placed_by, placed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, h.Scope, caseID, index, h.Person, h.Reason, u.Login, timeText(now)).Scan(&h.ID)
		if err != nil {
			return fmt.Errorf("place hold: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectHold, h.Ref()), Actor: u.Login,
			Action: "hold.place", At: now, Changes: []redress.Change{{Field: "scope", After: string(h.Scope)}, change}, Detail: h.Reason})
	})
	if err != nil {
		return nil, wrap("place hold", err)
	}
	return h, nil
}

// ReleaseHold releases a standing hold, with the reason and an audit event
// hold.release: a case's hold by a holder of PermLegalHold in its scope, a
// complainant's by head office (PermErasure).
func (s *RetentionService) ReleaseHold(ctx context.Context, id int64, r redress.HoldRelease) (*redress.LegalHold, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := redress.Require(u, redress.PermLegalHold); err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	now := s.db.now()
	var h *redress.LegalHold
	err = s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		h, err = scanHold(tx.QueryRowContext(ctx, holdSelect+` WHERE h.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return redress.Errorf(redress.ENOTFOUND, "hold %s not found", redress.HoldRef(id))
		}
		if err != nil {
			return err
		}
		if h.Scope == redress.HoldComplainant {
			err = headOffice(u, redress.PermErasure)
		} else {
			var c *caseRow
			c, err = s.db.loadCaseHead(ctx, tx, h.CaseNo)
			if err == nil && !redress.InScope(u, c.Case) {
				err = redress.Errorf(redress.ENOTFOUND, "hold %s not found", redress.HoldRef(id))
			}
		}
		if err != nil {
			return err
		}
		if !h.Active() {
			return redress.Errorf(redress.ECONFLICT, "hold %s was released already", h.Ref())
		}
		h.ReleasedBy, h.ReleaseReason = u.Login, strings.TrimSpace(r.Reason)
		at := now.In(redress.Beijing)
		h.ReleasedAt = &at
		if _, err := tx.ExecContext(ctx, `UPDATE legal_holds SET released_by = ?, released_at = ?, release_reason = ? WHERE id = ? AND released_at IS NULL`,
			u.Login, timeText(now), h.ReleaseReason, id); err != nil {
			return fmt.Errorf("release hold: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectHold, h.Ref()), Actor: u.Login,
			Action: "hold.release", At: now, Changes: []redress.Change{{Field: "released_at", After: timeText(now)}}, Detail: h.ReleaseReason})
	})
	if err != nil {
		return nil, wrap("release hold", err)
	}
	return h, nil
}

// Erase runs a complainant's erasure (PIPL Art.47): every case of the person
// (by the blind index of the ID or phone given) anonymised at once and its
// evidence deleted, in one transaction, with an audit event retention.erase;
// refused with the reason while a hold stands on the person or a case, or a
// case is still open (redress.ErasureRefusal). Head office only.
func (s *RetentionService) Erase(ctx context.Context, r redress.ErasureRequest) (*redress.ErasureResult, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := headOffice(u, redress.PermErasure); err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	index, _ := s.db.personIndex(r.IDNumber, r.Phone)
	column, value, _ := strings.Cut(index, ":")
	column = map[string]string{"id": "c_id_number_idx", "phone": "c_phone_idx"}[column]
	now := s.db.now()
	result := &redress.ErasureResult{Cases: []string{}}
	err = s.db.inTx(ctx, func(tx *Tx) error {
		var found, open, held int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN c.status IN (`+archivedList+`) THEN 0 ELSE 1 END), 0),
			COALESCE(SUM(CASE WHEN `+caseHeldSQL+` THEN 1 ELSE 0 END), 0)
			FROM cases c WHERE c.anonymised_at IS NULL AND c.`+column+` = ?`, value).Scan(&found, &open, &held)
		if err != nil {
			return fmt.Errorf("erasure: %w", err)
		}
		if err := redress.ErasureRefusal(found, open, held); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT no, c_id_number_idx, c_phone_idx FROM cases WHERE anonymised_at IS NULL AND `+column+` = ? ORDER BY id`, value)
		if err != nil {
			return fmt.Errorf("erasure: %w", err)
		}
		indexes := map[string]bool{index: true} // the person's holds: by either number their cases carry
		for rows.Next() {
			var no, id, phone string
			if err := rows.Scan(&no, &id, &phone); err != nil {
				rows.Close()
				return err
			}
			result.Cases = append(result.Cases, no)
			indexes["id:"+id], indexes["phone:"+phone] = id != "", phone != ""
		}
		rows.Close()
		for _, no := range result.Cases {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE no = ?`, no).Scan(&id); err != nil {
				return err
			}
			var files int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence WHERE case_id = ? AND purged_at IS NULL`, id).Scan(&files); err != nil {
				return err
			}
			if err := s.db.purgeEvidenceRows(ctx, tx, `e.case_id = ?`, id, now); err != nil {
				return err
			}
			n, err := s.db.anonymiseCase(ctx, tx, no, u.Login, "erasure", now)
			if err != nil {
				return err
			}
			result.Events, result.Files = result.Events+n, result.Files+files
		}
		// The person's own holds, all released (a standing one refused the erasure).
		for _, idx := range slices.Sorted(maps.Keys(indexes)) {
			if !indexes[idx] {
				continue
			}
			n, err := s.db.anonymiseHolds(ctx, tx, `person_idx = ?`, idx, u.Login, now)
			if err != nil {
				return err
			}
			result.Events += n
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectRetention, ""), Actor: u.Login,
			Action: "retention.erase", At: now, Changes: []redress.Change{{Field: "cases", After: strings.Join(result.Cases, ",")},
				{Field: "events_redacted", After: strconv.Itoa(result.Events)}, {Field: "files_deleted", After: strconv.Itoa(result.Files)}},
			Detail: strings.TrimSpace(r.Reason)})
	})
	if err != nil {
		return nil, wrap("erasure", err)
	}
	return result, nil
}
