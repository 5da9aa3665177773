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

// The settings' keys.
const (
	settingMediationBody = "mediation_body"
	settingBankProfile   = "bank_profile"
)

// MediationBody returns the mediation body, or nil when none is set.
func (s *SettingsService) MediationBody(ctx context.Context) (*redress.MediationBody, error) {
	m := &redress.MediationBody{}
	if found, err := s.read(ctx, settingMediationBody, m); err != nil || !found {
		return nil, err
	}
	return m, nil
}

// SetMediationBody replaces the mediation body (admin only), with an audit
// event system.set_mediation_body.
func (s *SettingsService) SetMediationBody(ctx context.Context, m redress.MediationBody) (*redress.MediationBody, error) {
	if err := s.write(ctx, settingMediationBody, "system.set_mediation_body", m.Validate, m); err != nil {
		return nil, err
	}
	return &m, nil
}

// BankProfile returns the bank's profile, or nil when none is set.
func (s *SettingsService) BankProfile(ctx context.Context) (*redress.BankProfile, error) {
	b := &redress.BankProfile{}
	if found, err := s.read(ctx, settingBankProfile, b); err != nil || !found {
		return nil, err
	}
	return b, nil
}

// SetBankProfile replaces the bank's profile (admin only), with an audit
// event system.set_bank_profile.
func (s *SettingsService) SetBankProfile(ctx context.Context, b redress.BankProfile) (*redress.BankProfile, error) {
	if err := s.write(ctx, settingBankProfile, "system.set_bank_profile", b.Validate, b); err != nil {
		return nil, err
	}
	return &b, nil
}

// settingListPrivacy is the key of the lists' privacy policy.
const settingListPrivacy = "list_privacy"

// ListPrivacy returns how lists show complainants; never set, names are masked.
func (s *SettingsService) ListPrivacy(ctx context.Context) (redress.ListPrivacy, error) {
	var p redress.ListPrivacy
	_, err := s.read(ctx, settingListPrivacy, &p)
	return p, err
}

// SetListPrivacy replaces the lists' privacy policy (admin only), with an
// audit event system.set_list_privacy.
func (s *SettingsService) SetListPrivacy(ctx context.Context, p redress.ListPrivacy) (redress.ListPrivacy, error) {
	if err := s.write(ctx, settingListPrivacy, "system.set_list_privacy", func() error { return nil }, p); err != nil {
		return redress.ListPrivacy{}, err
	}
	return p, nil
}

// read decodes the setting key into dst, for any signed-in user; found is
// false when it was never set.
func (s *SettingsService) read(ctx context.Context, key string, dst any) (found bool, err error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return false, err
	}
	return readSetting(ctx, s.db.reads(), key, dst) // customer_notice.go
}

// write replaces the setting key with value (admin only) once validate
// passes, with the audit event action recording before and after.
func (s *SettingsService) write(ctx context.Context, key, action string, validate func() error, value any) error {
	u, err := requireRole(ctx, "change the settings", redress.RoleAdmin)
	if err != nil {
		return err
	}
	if err := validate(); err != nil {
		return err
	}
	body, err := json.Marshal(value)
	if err != nil {
		return err
	}
	now := s.db.now()
	err = s.db.inTx(ctx, func(tx *Tx) error {
		var before string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			key, string(body), timeText(now))
		if err != nil {
			return fmt.Errorf("save setting %s: %w", key, err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectSystem, ""), Actor: u.Login,
			Action: action, At: now, Changes: []redress.Change{{Field: key, Before: before, After: string(body)}}})
	})
	return wrap("save setting "+key, err)
}
