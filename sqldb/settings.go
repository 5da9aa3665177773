package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"redress"
)

// SettingsService keeps the small admin records the pages print
// (redress.SettingsService): the mediation body of the decision letter.
type SettingsService struct{ db *DB }

// NewSettingsService returns the settings service of db.
func NewSettingsService(db *DB) *SettingsService { return &SettingsService{db: db} }

const settingMediationBody = "mediation_body"

// MediationBody returns the mediation body, or nil when none is set.
func (s *SettingsService) MediationBody(ctx context.Context) (*redress.MediationBody, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	var raw string
	err := s.db.reads().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, settingMediationBody).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read mediation body: %w", err)
	}
	m := &redress.MediationBody{}
	if err := json.Unmarshal([]byte(raw), m); err != nil {
		return nil, fmt.Errorf("read mediation body: %w", err)
	}
	return m, nil
}

// SetMediationBody replaces the mediation body (admin only), with an audit
// event system.set_mediation_body.
func (s *SettingsService) SetMediationBody(ctx context.Context, m redress.MediationBody) (*redress.MediationBody, error) {
	u, err := requireRole(ctx, "set the mediation body", redress.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		var before string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, settingMediationBody).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			settingMediationBody, string(body), timeText(now))
		if err != nil {
			return fmt.Errorf("save mediation body: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectSystem, ""), Actor: u.Login,
			Action: "system.set_mediation_body", At: now,
			Changes: []redress.Change{{Field: settingMediationBody, Before: before, After: string(body)}}})
	})
	if err != nil {
		return nil, wrap("set mediation body", err)
	}
	return &m, nil
}
