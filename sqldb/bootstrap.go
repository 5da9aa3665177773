package sqldb

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"redress"
)

// RootOrgCode is the code of the head office unit created on an empty database.
const RootOrgCode = "HQ"

// Bootstrap prepares an empty, migrated database: the head-office unit and a
// user admin with the given password, or a generated one. It returns the
// password it set, or "" when the database was not empty and nothing changed.
func (db *DB) Bootstrap(ctx context.Context, adminPassword string) (string, error) {
	var units int
	if err := db.writes().QueryRowContext(ctx, `SELECT COUNT(*) FROM org_units`).Scan(&units); err != nil {
		return "", fmt.Errorf("bootstrap: %w", err)
	}
	if units > 0 {
		return "", nil
	}
	if adminPassword == "" {
		adminPassword = rand.Text() // 26 base32 characters, 130 bits
	}
	admin := redress.NewUser{Login: "admin", Name: "系统管理员", Role: redress.RoleAdmin, Org: RootOrgCode, Password: adminPassword}
	if err := admin.Validate(); err != nil {
		return "", fmt.Errorf("bootstrap: admin password: %w", err)
	}
	hash, err := db.hashPassword(ctx, adminPassword)
	if err != nil {
		return "", fmt.Errorf("bootstrap: %w", err)
	}
	// Another server starting on the same empty database may be bootstrapping
	// it too: under the setup lock, the first one does it and the other finds
	// the units there.
	err = db.setupTx(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_units`).Scan(&units); err != nil {
			return err
		}
		if units > 0 {
			return errNothingToDo
		}
		root, err := db.insertOrg(ctx, tx, redress.NewOrgUnit{Code: RootOrgCode, Name: "总行", Kind: redress.OrgHQ}, nil)
		if err != nil {
			return err
		}
		if _, err := db.insertUser(ctx, tx, admin, root, hash); err != nil {
			return err
		}
		return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectSystem, ""), Actor: "system", Action: "system.bootstrap", At: root.CreatedAt,
			Changes: []redress.Change{{Field: "org", After: RootOrgCode}, {Field: "user", After: "admin"}}})
	})
	if errors.Is(err, errNothingToDo) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("bootstrap: %w", err)
	}
	return adminPassword, nil
}
