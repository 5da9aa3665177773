package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"redress"
)

// UserService manages users.
type UserService struct{ db *DB }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ redress.UserService = (*UserService)(nil)

const userColumns = `u.id, u.login, u.name, u.role, u.org_id, o.code, o.path, u.created_at`

const userFrom = ` FROM users u JOIN org_units o ON o.id = u.org_id`

func scanUser(row interface{ Scan(...any) error }) (*redress.User, error) {
	var u redress.User
	var created string
	if err := row.Scan(&u.ID, &u.Login, &u.Name, &u.Role, &u.OrgID, &u.OrgCode, &u.OrgPath, &created); err != nil {
		return nil, err
	}
	var err error
	u.CreatedAt, err = parseTime(created)
	return &u, err
}

// userByLogin finds a user; a missing one is EINVALID naming field.
func (db *DB) userByLogin(ctx context.Context, q querier, field, login string) (*redress.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, db.dialect.rebind(`SELECT `+userColumns+userFrom+` WHERE u.login = ?`), login))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &redress.Error{Code: redress.EINVALID, Message: "unknown user " + login,
			Fields: map[string]string{field: "no user has login " + login}}
	}
	if err != nil {
		return nil, fmt.Errorf("find user %s: %w", login, err)
	}
	return u, nil
}

// CreateUser adds a user. Admin only.
func (s *UserService) CreateUser(ctx context.Context, n redress.NewUser) (*redress.User, error) {
	admin, err := requireRole(ctx, "create users", redress.RoleAdmin)
	if err != nil {
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
		if hash, err = hashPassword(n.Password); err != nil {
			return nil, err
		}
	}
	var created *redress.User
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		org, err := db.orgByCode(ctx, tx, "org", n.Org)
		if err != nil {
			return err
		}
		created, err = db.insertUser(ctx, tx, n, org, hash)
		if err != nil {
			return err
		}
		return db.appendEvent(ctx, tx, &redress.Event{Actor: actor, Action: "user.create", At: created.CreatedAt,
			Changes: []redress.Change{{Field: "login", After: n.Login}, {Field: "name", After: n.Name},
				{Field: "role", After: string(n.Role)}, {Field: "org", After: n.Org}}})
	})
	if err != nil {
		return nil, wrap("create user", err)
	}
	return created, nil
}

func (db *DB) insertUser(ctx context.Context, tx *sql.Tx, n redress.NewUser, org *redress.OrgUnit, hash string) (*redress.User, error) {
	now := db.now()
	u := &redress.User{Login: n.Login, Name: n.Name, Role: n.Role, OrgID: org.ID, OrgCode: org.Code, OrgPath: org.Path, CreatedAt: now}
	err := tx.QueryRowContext(ctx, db.dialect.rebind(`INSERT INTO users (login, name, role, org_id, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), n.Login, n.Name, n.Role, org.ID, hash, timeText(now)).Scan(&u.ID)
	if db.dialect.isUnique(err) {
		return nil, &redress.Error{Code: redress.ECONFLICT, Message: "login " + n.Login + " is taken",
			Fields: map[string]string{"login": "already in use"}}
	}
	if err != nil {
		return nil, fmt.Errorf("insert user: %w", err)
	}
	return u, nil
}

// ListUsers returns users: all for an admin, else those in the caller's subtree.
func (s *UserService) ListUsers(ctx context.Context, f redress.UserFilter) ([]*redress.User, error) {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	where, args := " WHERE 1 = 1", []any{}
	if u.Role != redress.RoleAdmin {
		where += " AND o.path LIKE ?"
		args = append(args, u.OrgPath+"%")
	}
	if f.Org != "" {
		org, err := s.db.orgByCode(ctx, s.db.read, "org", f.Org)
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
	rows, err := s.db.read.QueryContext(ctx, s.db.dialect.rebind(`SELECT `+userColumns+userFrom+where+` ORDER BY u.login`), args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	users := []*redress.User{}
	for rows.Next() {
		user, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		users = append(users, user)
	}
	return users, rows.Err()
}
