package redress

import (
	"context"
	"time"
)

// Session limits: a browser session ends after IdleTimeout without a
// request, and in any case AbsoluteTimeout after sign-in.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
)

// Lockout: after LockoutThreshold failed sign-ins in a row an account is
// locked for LockoutBase, doubling with each further failure up to LockoutMax.
const (
	LockoutThreshold = 5
	LockoutBase      = time.Minute
	LockoutMax       = time.Hour
)

// LockoutDelay returns how long an account stays locked after the given
// number of consecutive failed sign-ins (zero below the threshold).
func LockoutDelay(failures int) time.Duration {
	if failures < LockoutThreshold {
		return 0
	}
	delay := LockoutBase
	for i := LockoutThreshold; i < failures && delay < LockoutMax; i++ {
		delay *= 2
	}
	return min(delay, LockoutMax)
}

// The sign-in rates a server accepts by default: per client address 30
// attempts a minute (a branch's staff may share one address behind its
// gateway), per login 10 a minute (the lockout stops guessing after 5
// failures; this stops a flood from costing a hash each).
const (
	DefaultSignInsPerAddress = 30
	DefaultSignInsPerLogin   = 10
)

// SignInLimits are the rates of sign-in attempts a server accepts before it
// answers ETOOMANY: per client address and per login. A zero Limit is off.
type SignInLimits struct {
	PerAddress Limit
	PerLogin   Limit
}

// DefaultSignInLimits returns the default sign-in rates, each a minute.
func DefaultSignInLimits() SignInLimits {
	return SignInLimits{PerAddress: Limit{Burst: DefaultSignInsPerAddress, Per: time.Minute},
		PerLogin: Limit{Burst: DefaultSignInsPerLogin, Per: time.Minute}}
}

// SignIn is the input to open a browser session.
type SignIn struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Remote   string `json:"-"` // the client address, for the audit trail
}

// PasswordChange is the input to change one's own password.
type PasswordChange struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

// Validate checks the new password.
func (in PasswordChange) Validate() error {
	var p Problems
	in.check(&p)
	return p.Err()
}

func (in PasswordChange) check(p *Problems) {
	if in.Current == "" {
		p.AddKey("current", ProblemRequired)
	}
	checkPassword(p, "new", in.New)
	if in.New == in.Current && in.New != "" {
		p.AddKey("new", ProblemPasswordSame)
	}
}

// ValidateTyped checks a change as the change-password page takes it, the
// new password typed twice: every problem at once, the second copy's under
// "confirm".
func (in PasswordChange) ValidateTyped(confirm string) error {
	var p Problems
	in.check(&p)
	if confirm != in.New {
		p.AddKey("confirm", ProblemPasswordTwice)
	}
	return p.Err()
}

// SessionService opens, checks and closes browser sessions. Sessions live in
// the database, so several servers share them; the cookie holds a random
// value of which only the SHA-256 digest is stored.
type SessionService interface {
	// SignIn checks the password and opens a session, returning the cookie
	// value (shown this once) and the user. Failures are audited and count
	// towards the lockout.
	// Errors: EINVALID, EUNAUTHORIZED (wrong login or password, locked, disabled).
	SignIn(ctx context.Context, in SignIn) (string, *User, error)
	// SessionUser returns the user of an open session and records activity.
	// Errors: EUNAUTHORIZED (unknown, expired, idle too long).
	SessionUser(ctx context.Context, token string) (*User, error)
	// SignOut closes a session.
	// Errors: none for an unknown session.
	SignOut(ctx context.Context, token string) error
	// ChangePassword changes the acting user's password and closes their
	// other sessions.
	// Errors: EUNAUTHORIZED, EINVALID (wrong current password, weak new one).
	ChangePassword(ctx context.Context, keepSession string, in PasswordChange) error
}
