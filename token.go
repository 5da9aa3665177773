package redress

import (
	"context"
	"time"
)

// APIToken describes an API token; the token itself is never stored, only
// its SHA-256 digest, and is shown once when issued.
type APIToken struct {
	ID         int64      `json:"id"`
	Login      string     `json:"login"`
	Label      string     `json:"label"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// NewToken is the input to issue a token for oneself.
type NewToken struct {
	Label     string     `json:"label"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// IssuedToken is the answer to issuing a token: its description and, this
// once, the token.
type IssuedToken struct {
	APIToken
	Token string `json:"token"`
}

// TokenService issues, lists, revokes and checks API tokens.
type TokenService interface {
	// CreateToken issues a token for the user with the given login on behalf
	// of the operator running the CLI, who holds the database already.
	// Errors: ENOTFOUND, EINVALID.
	CreateToken(ctx context.Context, login, label string, expiresAt *time.Time) (string, error)
	// IssueToken issues a token for the acting user.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	IssueToken(ctx context.Context, n NewToken) (*IssuedToken, error)
	// ListTokens returns the tokens of a user: one's own, or anyone's for an
	// admin ("" lists one's own).
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
	ListTokens(ctx context.Context, login string) ([]*APIToken, error)
	// RevokeToken revokes a token: one's own, or anyone's for an admin.
	// Errors: EUNAUTHORIZED, ENOTFOUND (also for another user's token).
	RevokeToken(ctx context.Context, id int64) error
	// Authenticate returns the user a valid, unrevoked, unexpired token of an
	// enabled user belongs to.
	// Errors: EUNAUTHORIZED.
	Authenticate(ctx context.Context, token string) (*User, error)
}
