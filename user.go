package redress

import (
	"context"
	"regexp"
	"time"
)

// Role is what a user does in the bank's complaint process (DOMAIN.md §1).
type Role string

// The roles.
const (
	RoleStaff      Role = "staff"       // 员工: first responder
	RoleManager    Role = "manager"     // 投诉管理人: complaint manager
	RoleBranchHead Role = "branch_head" // 网点负责人: signs off, approves
	RoleHQService  Role = "hq_service"  // 总行规范服务管理部门
	RoleAuditor    Role = "auditor"     // 审计/合规: read-only
	RoleAdmin      Role = "admin"       // 系统管理员: configuration, not complaint contents
)

// Roles lists every role.
var Roles = []Role{RoleStaff, RoleManager, RoleBranchHead, RoleHQService, RoleAuditor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// ReadsCases reports whether the role may read complaint contents at all.
func (r Role) ReadsCases() bool {
	return r.Valid() && r != RoleAdmin
}

// User is a member of staff who signs in to Redress.
type User struct {
	ID        int64     `json:"-"`
	Login     string    `json:"login"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	OrgID     int64     `json:"-"`
	OrgCode   string    `json:"org"`
	OrgPath   string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

var loginPattern = regexp.MustCompile(`^[a-z][a-z0-9_.-]{1,31}$`)

// NewUser is the input to create a user.
type NewUser struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Org      string `json:"org"`
	Password string `json:"password,omitempty"`
}

// Validate checks the fields that need no database.
func (n NewUser) Validate() error {
	var p Problems
	if !loginPattern.MatchString(n.Login) {
		p.Add("login", "must be 2-32 characters: a lower-case letter, then letters, digits, '.', '-' or '_'")
	}
	checkText(&p, "name", n.Name, 1, 100)
	if !n.Role.Valid() {
		p.Add("role", "must be one of staff, manager, branch_head, hq_service, auditor, admin")
	}
	if n.Org == "" {
		p.Add("org", "required")
	}
	if n.Password != "" && (len([]rune(n.Password)) < 10 || len(n.Password) > 256) {
		p.Add("password", "must be 10 to 256 characters")
	}
	return p.Err()
}

// UserFilter narrows a user list.
type UserFilter struct {
	Org  string // subtree of this unit code
	Role Role
}

// UserService manages users.
type UserService interface {
	// CreateUser adds a user. Admin only. A user without a password can use
	// API tokens but cannot sign in with a password.
	// Errors: EINVALID, EFORBIDDEN, EUNAUTHORIZED, ECONFLICT (login taken).
	CreateUser(ctx context.Context, n NewUser) (*User, error)
	// ListUsers returns users: all for an admin, else those in the caller's subtree.
	// Errors: EUNAUTHORIZED, EINVALID.
	ListUsers(ctx context.Context, f UserFilter) ([]*User, error)
}

// TokenService issues and checks API tokens. Tokens are stored only as hashes.
type TokenService interface {
	// CreateToken issues a new API token for the user with the given login and
	// returns it in clear, the only time it is ever visible. Used by the CLI,
	// which acts as the operator.
	// Errors: ENOTFOUND.
	CreateToken(ctx context.Context, login, label string) (string, error)
	// Authenticate returns the user a token belongs to.
	// Errors: EUNAUTHORIZED.
	Authenticate(ctx context.Context, token string) (*User, error)
}
