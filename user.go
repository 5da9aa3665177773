package redress

import (
	"context"
	"fmt"
	"regexp"
	"strings"
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
	return Can(r, PermCaseRead)
}

// User is a member of staff who signs in to Redress.
type User struct {
	ID       int64   `json:"-"`
	Login    string  `json:"login"`
	Name     string  `json:"name"`
	Role     Role    `json:"role"`
	OrgID    int64   `json:"-"`
	OrgCode  string  `json:"org"`
	OrgPath  string  `json:"-"`
	OrgKind  OrgKind `json:"-"` // the level of the user's unit: who may approve what
	Disabled bool    `json:"disabled"`
	Email    string  `json:"email,omitempty"`  // work e-mail, for notifications
	Mobile   string  `json:"mobile,omitempty"` // mobile number for SMS notifications, always masked (138****5678)
	// MustChangePassword is set by an administrator's reset: until the user
	// chooses a password of their own, their browser session reaches only
	// the change-password page (API tokens are revoked by the reset).
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
}

var loginPattern = regexp.MustCompile(`^[a-z][a-z0-9_.-]{1,31}$`)

// NewUser is the input to create a user.
type NewUser struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Org      string `json:"org"`
	Password string `json:"password,omitempty"`
	Email    string `json:"email,omitempty"`  // optional: work e-mail for notifications
	Mobile   string `json:"mobile,omitempty"` // optional: mainland mobile for SMS notifications
}

// Validate checks the fields that need no database.
func (n NewUser) Validate() error {
	var p Problems
	if !loginPattern.MatchString(n.Login) {
		p.AddKey("login", ProblemLogin)
	}
	checkText(&p, "name", n.Name, 1, 100)
	if !n.Role.Valid() {
		p.AddKey("role", ProblemChoice, valueList(Roles))
	}
	if n.Org == "" {
		p.AddKey("org", ProblemRequired)
	}
	if n.Password != "" {
		checkPassword(&p, "password", n.Password)
	}
	checkContact(&p, n.Email, n.Mobile)
	return p.Err()
}

var (
	emailPattern  = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`)
	mobilePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
)

// NormalizeEmail returns an e-mail address as stored: without surrounding
// white space.
func NormalizeEmail(s string) string { return strings.TrimSpace(s) }

// NormalizeMobile returns a mobile number as stored: its 11 digits, without
// spaces, hyphens or a +86 prefix.
func NormalizeMobile(s string) string {
	s = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		return s[2:]
	}
	if len(s) == 14 && strings.HasPrefix(s, "+86") {
		return s[3:]
	}
	return s
}

// checkContact records problems with a staff member's e-mail address and
// mobile number; empty ones are fine (the user gets in-app notices only).
func checkContact(p *Problems, email, mobile string) {
	if e := NormalizeEmail(email); e != "" && (len(e) > 254 || !emailPattern.MatchString(e)) {
		p.AddKey("email", ProblemEmail)
	}
	if m := NormalizeMobile(mobile); m != "" && !mobilePattern.MatchString(m) {
		p.AddKey("mobile", ProblemMobile)
	}
}

// UserFilter narrows a user list.
type UserFilter struct {
	Org    string // subtree of this unit code
	Role   Role
	Logins []string // only these logins (a page naming the people it shows)
}

// UserService manages users.
type UserService interface {
	// CreateUser adds a user. Admin only. A user without a password can use
	// API tokens but cannot sign in with a password.
	// Errors: EINVALID, EFORBIDDEN, EUNAUTHORIZED, ECONFLICT (login taken).
	CreateUser(ctx context.Context, n NewUser) (*User, error)
	// ListUsers returns users: all for an admin, else those in the caller's subtree.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	ListUsers(ctx context.Context, f UserFilter) ([]*User, error)
	// UpdateUser changes a user's name, role, unit, password, disabled flag,
	// e-mail or mobile. Admin only. A role, unit or password change or disabling closes the
	// user's sessions; disabling also stops their API tokens.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID.
	UpdateUser(ctx context.Context, login string, up UserUpdate) (*User, error)
	// ResetPassword gives another user a new random password, returned this
	// once and stored only hashed, which they must change at their next
	// sign-in. Their sessions are closed, their API tokens revoked, and they
	// are told in-app. Admin only; an admin changes their own password
	// instead (EINVALID reset_self).
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID.
	ResetPassword(ctx context.Context, login string) (string, error)
}

// UserUpdate is a change to a user; nil fields stay as they are.
type UserUpdate struct {
	Name     *string `json:"name,omitempty"`
	Role     *Role   `json:"role,omitempty"`
	Org      *string `json:"org,omitempty"`
	Password *string `json:"password,omitempty"`
	Disabled *bool   `json:"disabled,omitempty"`
	Email    *string `json:"email,omitempty"`  // "" removes it
	Mobile   *string `json:"mobile,omitempty"` // "" removes it
}

// Validate checks the fields that need no database.
func (up UserUpdate) Validate() error {
	var p Problems
	if up.Name != nil {
		checkText(&p, "name", *up.Name, 1, 100)
	}
	if up.Role != nil && !up.Role.Valid() {
		p.AddKey("role", ProblemChoice, valueList(Roles))
	}
	if up.Org != nil && *up.Org == "" {
		p.AddKey("org", ProblemRequired)
	}
	if up.Password != nil {
		checkPassword(&p, "password", *up.Password)
	}
	var email, mobile string
	if up.Email != nil {
		email = *up.Email
	}
	if up.Mobile != nil {
		mobile = *up.Mobile
	}
	checkContact(&p, email, mobile)
	if up.Name == nil && up.Role == nil && up.Org == nil && up.Password == nil && up.Disabled == nil &&
		up.Email == nil && up.Mobile == nil {
		p.Add("name", "nothing to change: give name, role, org, password, disabled, email or mobile")
	}
	return p.Err()
}

// checkPassword records a problem when a new password is too weak to accept.
func checkPassword(p *Problems, field, password string) {
	switch n := len([]rune(password)); {
	case n < 10:
		p.AddKey(field, ProblemTooShort, "10")
	case len(password) > 256:
		p.AddKey(field, ProblemTooLongBytes, "256")
	}
}

// NotifyPasswordReset is the in-app notice to a user whose password an
// administrator has reset.
const NotifyPasswordReset NotifyKind = "password_reset"

// PasswordResetText returns the subject and body of the notice to a user
// that the administrator admin reset their password at the given time: their
// sessions are closed and their API tokens revoked, and whom to ask if they
// did not ask for it.
func PasswordResetText(admin string, at time.Time) (subject, body string) {
	return "【账户安全】您的登录密码已被系统管理员重置",
		fmt.Sprintf("系统管理员 %s 于 %s 重置了您的登录密码。您的其他登录会话已退出，您的全部 API 令牌已吊销，如需使用请重新申请。"+
			"如非您本人申请，请立即联系系统管理员或信息安全部门。", admin, at.In(Beijing).Format("2006-01-02 15:04"))
}
