package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"redress"
)

// CodeService reads and edits the JR/T 0169 code lists.
type CodeService struct{ db *DB }

// NewCodeService returns the code service of db.
func NewCodeService(db *DB) *CodeService { return &CodeService{db: db} }

var _ redress.CodeService = (*CodeService)(nil)

// ListCodes returns the codes of one dimension, or of all when d is "".
func (s *CodeService) ListCodes(ctx context.Context, d redress.Dimension) ([]*redress.Code, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	query, args := `SELECT code, dimension, name, name_en, parent, active FROM codes`, []any{}
	if d != "" {
		if !d.Valid() {
			return nil, fieldError("dimension", "must be A, B, C or R")
		}
		query += ` WHERE dimension = ?`
		args = append(args, d)
	}
	rows, err := s.db.reads().QueryContext(ctx, query+` ORDER BY code`, args...)
	if err != nil {
		return nil, fmt.Errorf("list codes: %w", err)
	}
	defer rows.Close()
	codes := []*redress.Code{}
	for rows.Next() {
		var c redress.Code
		if err := rows.Scan(&c.Code, &c.Dimension, &c.Name, &c.NameEN, &c.Parent, &c.Active); err != nil {
			return nil, fmt.Errorf("list codes: %w", err)
		}
		codes = append(codes, &c)
	}
	return codes, rows.Err()
}

// SaveCode adds a code or updates its names, parent and active flag.
func (s *CodeService) SaveCode(ctx context.Context, c redress.Code) (*redress.Code, error) {
	u, err := requireRole(ctx, "edit code lists", redress.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err = s.db.inTx(ctx, func(tx *Tx) error {
		var old redress.Code
		err := tx.QueryRowContext(ctx, `SELECT name, name_en, parent, active FROM codes WHERE code = ?`, c.Code).
			Scan(&old.Name, &old.NameEN, &old.Parent, &old.Active)
		isNew := errors.Is(err, sql.ErrNoRows)
		if err != nil && !isNew {
			return fmt.Errorf("read code: %w", err)
		}
		if c.Parent != "" {
			if err := s.db.checkCodes(ctx, tx, dimensionSlot(c.Dimension, c.Parent)...); err != nil {
				return fieldError("parent", "no such active code "+c.Parent)
			}
		}
		if isNew {
			_, err = tx.ExecContext(ctx, `INSERT INTO codes (code, dimension, name, name_en, parent, active)
				VALUES (?, ?, ?, ?, ?, ?)`, c.Code, c.Dimension, c.Name, c.NameEN, c.Parent, c.Active)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE codes SET name = ?, name_en = ?, parent = ?, active = ? WHERE code = ?`,
				c.Name, c.NameEN, c.Parent, c.Active, c.Code)
		}
		if err != nil {
			return fmt.Errorf("save code: %w", err)
		}
		changes := []redress.Change{}
		for _, ch := range []redress.Change{
			{Field: "name", Before: old.Name, After: c.Name},
			{Field: "name_en", Before: old.NameEN, After: c.NameEN},
			{Field: "parent", Before: old.Parent, After: c.Parent},
			{Field: "active", Before: fmt.Sprint(old.Active && !isNew), After: fmt.Sprint(c.Active)},
		} {
			if ch.Before != ch.After {
				changes = append(changes, ch)
			}
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCode, c.Code), Actor: u.Login, Action: "code.save", At: s.db.now(),
			Changes: changes, Detail: c.Code})
	})
	if err != nil {
		return nil, wrap("save code", err)
	}
	return &c, nil
}

// dimensionSlot puts a code in the A, B or C position that checkCodes expects.
func dimensionSlot(d redress.Dimension, code string) []string {
	slots := make([]string, 3)
	for i, dim := range redress.Dimensions {
		if dim == d {
			slots[i] = code
		}
	}
	return slots
}
