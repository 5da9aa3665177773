package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"redress"
)

// UserService manages users.
type UserService struct{ db *DB }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ redress.UserService = (*UserService)(nil)

const userColumns = `u.id, u.login, u.name, u.role, u.org_id, o.code, o.path, o.kind, u.disabled, u.must_change_password, u.created_at`

const userFrom = ` FROM users u JOIN org_units o ON o.id = u.org_id`

func scanUser(row interface{ Scan(...any) error }) (*redress.User, error) {
	return scanUserWith(row)
}

// userContactColumns follow userColumns where an answer shows the user's
// contact details.
const userContactColumns = `, u.email, u.mobile_enc`

// scanUserContact scans userColumns and userContactColumns, and puts the
// e-mail address and the masked mobile number on the user.
func (db *DB) scanUserContact(row interface{ Scan(...any) error }) (*redress.User, error) {
	var email, mobileEnc string
	u, err := scanUserWith(row, &email, &mobileEnc)
	if err != nil {
		return nil, err
	}
	mobile, err := db.open(mobileEnc, mobileAAD(u.Login))
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", u.Login, err)
	}
	u.Email, u.Mobile = email, redress.MaskPhone(mobile)
	return u, nil
}

// mobileAAD binds a user's sealed mobile number to the user.
func mobileAAD(login string) string { return "user:" + login + ":mobile" }

// contactChanges lists the audit changes of a user's contact details, the
// mobile number and the e-mail address masked.
func contactChanges(beforeEmail, afterEmail, beforeMobile, afterMobile string) []redress.Change {
	var changes []redress.Change
	if beforeEmail != afterEmail {
		changes = append(changes, redress.Change{Field: "email", Before: redress.MaskEmail(beforeEmail), After: redress.MaskEmail(afterEmail)})
	}
	if beforeMobile != afterMobile {
		changes = append(changes, redress.Change{Field: "mobile", Before: redress.MaskPhone(beforeMobile), After: redress.MaskPhone(afterMobile)})
	}
	return changes
}

// userByLogin finds a user; a missing one is EINVALID naming field.
func (db *DB) userByLogin(ctx context.Context, q querier, field, login string) (*redress.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.login = ?`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, redress.FieldError(redress.EINVALID, "unknown user "+login, field, redress.ProblemNoSuchUser, login)
	}
	if err != nil {
		return nil, fmt.Errorf("find user %s: %w", login, err)
	}
	return u, nil
}

// CreateUser adds a user. Admin only.
func (s *UserService) CreateUser(ctx context.Context, n redress.NewUser) (*redress.User, error) {
	admin := redress.UserFrom(ctx)
	if err := redress.Require(admin, redress.PermUserManage); err != nil {
		return nil, err
	}
	return s.db.createUser(ctx, admin.Login, n)
}

// CreateUserAsOperator adds a user on behalf of the operator running the CLI.
func (db *DB) CreateUserAsOperator(ctx context.Context, n redress.NewUser) (*redress.User, error) {
	return db.createUser(ctx, "operator", n)
}

func (db *DB) createUser(ctx context.Context, actor string, n redress.NewUser) (*redress.User, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	hash := ""
	if n.Password != "" {
		var err error
		if hash, err = db.hashPassword(ctx, n.Password); err != nil {
			return nil, err
		}
	}
	var created *redress.User
	err := db.inTx(ctx, func(tx *Tx) error {
		org, err := db.orgByCode(ctx, tx, "org", n.Org)
		if err != nil {
			return err
		}
		created, err = db.insertUser(ctx, tx, n, org, hash)
		if err != nil {
			return err
		}
		changes := []redress.Change{{Field: "login", After: n.Login}, {Field: "name", After: n.Name},
			{Field: "role", After: string(n.Role)}, {Field: "org", After: n.Org}}
		changes = append(changes, contactChanges("", redress.NormalizeEmail(n.Email), "", redress.NormalizeMobile(n.Mobile))...)
		return db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectUser, n.Login), Actor: actor, Action: "user.create", At: created.CreatedAt, Changes: changes})
	})
	if err != nil {
		return nil, wrap("create user", err)
	}
	return created, nil
}

func (db *DB) insertUser(ctx context.Context, tx *Tx, n redress.NewUser, org *redress.OrgUnit, hash string) (*redress.User, error) {
	now := db.now()
	email, mobile := redress.NormalizeEmail(n.Email), redress.NormalizeMobile(n.Mobile)
	u := &redress.User{Login: n.Login, Name: n.Name, Role: n.Role, OrgID: org.ID, OrgCode: org.Code, OrgPath: org.Path, OrgKind: org.Kind,
		Email: email, Mobile: redress.MaskPhone(mobile), CreatedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO users (login, name, role, org_id, password_hash, email, mobile_enc, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, n.Login, n.Name, n.Role, org.ID, hash,
		email, db.keyring().Seal(mobile, mobileAAD(n.Login)), timeText(now)).Scan(&u.ID)
	if db.dialect.isUnique(err) {
		return nil, redress.FieldError(redress.ECONFLICT, "login "+n.Login+" is taken", "login", redress.ProblemTaken)
	}
	if err != nil {
		return nil, fmt.Errorf("insert user: %w", err)
	}
	return u, nil
}

// ListUsers returns users: all for an admin, else those in the caller's subtree.
func (s *UserService) ListUsers(ctx context.Context, f redress.UserFilter) ([]*redress.User, error) {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermUserRead); err != nil {
		return nil, err
	}
	where, args := " WHERE 1 = 1", []any{}
	if !redress.Can(u.Role, redress.PermUserManage) {
		where += " AND o.path LIKE ?"
		args = append(args, u.OrgPath+"%")
	}
	if f.Org != "" {
		org, err := s.db.orgByCode(ctx, s.db.reads(), "org", f.Org)
		if err != nil {
			return nil, err
		}
		where += " AND o.path LIKE ?"
		args = append(args, org.Path+"%")
	}
	if f.Role != "" {
		if !f.Role.Valid() {
			return nil, &redress.Error{Code: redress.EINVALID, Message: "invalid filter", Fields: map[string]string{"role": "unknown role"}}
		}
		where += " AND u.role = ?"
		args = append(args, f.Role)
	}
	if len(f.Logins) > 0 {
		where += " AND u.login IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(f.Logins)), ", ") + ")"
		for _, login := range f.Logins {
			args = append(args, login)
		}
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT `+userColumns+userContactColumns+userFrom+where+` ORDER BY u.login`, args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	users := []*redress.User{}
	for rows.Next() {
		user, err := s.db.scanUserContact(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		users = append(users, user)
	}
	return users, rows.Err()
}

// UpdateUser changes a user's name, role, unit, password, disabled flag,
// e-mail or mobile. The mobile number is sealed like a complainant's phone;
// the audit event records both contact details masked. A new password or
// disabling the user closes their sessions and revokes every API token they
// hold (so enabling them again revives none, and a reset password leaves no
// token of the old one); the audit event lists the tokens revoked, and a user
// whose password another admin reset is told so in-app, in the same
// transaction.
func (s *UserService) UpdateUser(ctx context.Context, login string, up redress.UserUpdate) (*redress.User, error) {
	admin := redress.UserFrom(ctx)
	if err := redress.Require(admin, redress.PermUserManage); err != nil {
		return nil, err
	}
	if err := up.Validate(); err != nil {
		return nil, err
	}
	if login == redress.PortalLogin {
		// The portal's system user stays disabled and without a password:
		// nobody signs in as the customers' door (portal.go).
		return nil, redress.Errorf(redress.EFORBIDDEN, "user %s is the customer portal's own: it is not edited", login)
	}
	hash := ""
	if up.Password != nil {
		var err error
		if hash, err = s.db.hashPassword(ctx, *up.Password); err != nil {
			return nil, err
		}
	}
	var updated *redress.User
	err := s.db.inTx(ctx, func(tx *Tx) error {
		u, mobile, err := s.db.userForUpdate(ctx, tx, login)
		if err != nil {
			return err
		}
		before := *u
		changes := []redress.Change{}
		if up.Name != nil && *up.Name != u.Name {
			changes = append(changes, redress.Change{Field: "name", Before: u.Name, After: *up.Name})
			u.Name = *up.Name
		}
		if up.Role != nil && *up.Role != u.Role {
			changes = append(changes, redress.Change{Field: "role", Before: string(u.Role), After: string(*up.Role)})
			u.Role = *up.Role
		}
		if up.Org != nil && *up.Org != u.OrgCode {
			org, err := s.db.orgByCode(ctx, tx, "org", *up.Org)
			if err != nil {
				return err
			}
			changes = append(changes, redress.Change{Field: "org", Before: u.OrgCode, After: org.Code})
			u.OrgID, u.OrgCode, u.OrgPath = org.ID, org.Code, org.Path
		}
		if up.Disabled != nil && *up.Disabled != u.Disabled {
			changes = append(changes, redress.Change{Field: "disabled", Before: fmt.Sprint(u.Disabled), After: fmt.Sprint(*up.Disabled)})
			u.Disabled = *up.Disabled
		}
		if up.Password != nil {
			changes = append(changes, redress.Change{Field: "password", Before: "(set)", After: "(changed)"})
		}
		email, newMobile := u.Email, mobile
		if up.Email != nil {
			email = redress.NormalizeEmail(*up.Email)
		}
		if up.Mobile != nil {
			newMobile = redress.NormalizeMobile(*up.Mobile)
		}
		changes = append(changes, contactChanges(u.Email, email, mobile, newMobile)...)
		u.Email, u.Mobile = email, redress.MaskPhone(newMobile)
		if u.Login == admin.Login && (u.Role != redress.RoleAdmin || u.Disabled) {
			return redress.FieldError(redress.EINVALID, "invalid input", "role", redress.ProblemSelfAdmin)
		}
		mobileEnc := s.db.keyring().Seal(newMobile, mobileAAD(u.Login))
		_, err = tx.ExecContext(ctx, `UPDATE users SET name = ?, role = ?, org_id = ?, disabled = ?,
			email = ?, mobile_enc = ? WHERE id = ?`, u.Name, u.Role, u.OrgID, u.Disabled, email, mobileEnc, u.ID)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if hash != "" {
			_, err = tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`, hash, u.ID)
			if err != nil {
				return fmt.Errorf("set password: %w", err)
			}
		}
		if before.Role != u.Role || before.OrgID != u.OrgID || u.Disabled || hash != "" {
			if err := s.db.closeSessions(ctx, tx, u.ID, ""); err != nil {
				return err
			}
		}
		now := s.db.now()
		if u.Disabled || hash != "" {
			revoked, err := s.db.revokeTokens(ctx, tx, u.ID, now)
			if err != nil {
				return err
			}
			changes = append(changes, revoked...)
		}
		if hash != "" && u.Login != admin.Login {
			subject, body := redress.PasswordResetText(admin.Login, now)
			_, err := s.db.insertNotifications(ctx, tx, []recipient{{id: u.ID, login: u.Login, orgID: u.OrgID}}, nil,
				redress.Notification{Kind: redress.NotifyPasswordReset, Subject: subject, Body: body}, now)
			if err != nil {
				return err
			}
		}
		updated = u
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectUser, u.Login), Actor: admin.Login, Action: "user.update", At: now,
			Changes: changes, Detail: u.Login})
	})
	if err != nil {
		return nil, wrap("update user", err)
	}
	return updated, nil
}

// ResetPassword gives another user a new random password (oneTimePassword),
// returned this once and stored only as its hash, and marks it to be
// changed: until the user chooses their own (ChangePassword), their session
// reaches only the change-password page. Their sessions are closed and their
// API tokens revoked, as with any new password, and they are told in-app in
// the same transaction. The audit event (user.reset_password) records that
// the password was reset, never the value.
func (s *UserService) ResetPassword(ctx context.Context, login string) (string, error) {
	admin := redress.UserFrom(ctx)
	if err := redress.Require(admin, redress.PermUserManage); err != nil {
		return "", err
	}
	if login == admin.Login {
		return "", redress.FieldError(redress.EINVALID, "change your own password instead", "password", redress.ProblemResetSelf)
	}
	// Who, first: a hash costs 64 MiB, never spent on a login that is no one's.
	if _, _, err := s.db.userForUpdate(ctx, s.db.reads(), login); err != nil {
		return "", err
	}
	password := oneTimePassword()
	hash, err := s.db.hashPassword(ctx, password)
	if err != nil {
		return "", err
	}
	err = s.db.inTx(ctx, func(tx *Tx) error {
		u, _, err := s.db.userForUpdate(ctx, tx, login)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL
			WHERE id = ?`, hash, true, u.ID)
		if err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		if err := s.db.closeSessions(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		now := s.db.now()
		changes := []redress.Change{{Field: "password", Before: "(set)", After: "(reset)"},
			{Field: "must_change_password", Before: fmt.Sprint(u.MustChangePassword), After: "true"}}
		revoked, err := s.db.revokeTokens(ctx, tx, u.ID, now)
		if err != nil {
			return err
		}
		subject, body := redress.PasswordResetText(admin.Login, now)
		if _, err := s.db.insertNotifications(ctx, tx, []recipient{{id: u.ID, login: u.Login, orgID: u.OrgID}}, nil,
			redress.Notification{Kind: redress.NotifyPasswordReset, Subject: subject, Body: body}, now); err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectUser, u.Login), Actor: admin.Login,
			Action: "user.reset_password", At: now, Changes: append(changes, revoked...)})
	})
	if err != nil {
		return "", wrap("reset password", err)
	}
	return password, nil
}

// oneTimePassword is a new random password for a reset: 16 characters of
// base32 (80 bits) in four groups, easy to read out and to type once.
func oneTimePassword() string {
	t := rand.Text()
	return t[0:4] + "-" + t[4:8] + "-" + t[8:12] + "-" + t[12:16]
}

// userForUpdate reads a user with their contact details for a change: the
// user (mobile masked) and the mobile number in clear. A missing user is
// ENOTFOUND.
func (db *DB) userForUpdate(ctx context.Context, q querier, login string) (*redress.User, string, error) {
	var email, mobileEnc string
	u, err := scanUserWith(q.QueryRowContext(ctx, `SELECT `+userColumns+userContactColumns+userFrom+` WHERE u.login = ?`, login),
		&email, &mobileEnc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", redress.Errorf(redress.ENOTFOUND, "no user has login %s", login)
	}
	if err != nil {
		return nil, "", fmt.Errorf("find user %s: %w", login, err)
	}
	mobile, err := db.open(mobileEnc, mobileAAD(u.Login))
	if err != nil {
		return nil, "", fmt.Errorf("user %s: %w", login, err)
	}
	u.Email, u.Mobile = email, redress.MaskPhone(mobile)
	return u, mobile, nil
}
