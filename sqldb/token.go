package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"redress"
)

// TokenService issues and checks API tokens, kept only as SHA-256 digests:
// a token is 256 random bits, so a fast hash is safe and keeps every API
// request cheap (DESIGN.md §4a).
type TokenService struct{ db *DB }

// NewTokenService returns the token service of db.
func NewTokenService(db *DB) *TokenService { return &TokenService{db: db} }

var _ redress.TokenService = (*TokenService)(nil)

// tokenPrefix marks Redress tokens so that secret scanners can find leaked ones.
const tokenPrefix = "rdr_"

func tokenDigest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues a token for the user with the given login, for the operator.
func (s *TokenService) CreateToken(ctx context.Context, login, label string, expiresAt *time.Time) (string, error) {
	var issued *redress.IssuedToken
	err := s.db.inTx(ctx, func(tx *Tx) error {
		u, err := s.db.userByLogin(ctx, tx, "login", login)
		if err != nil {
			return redress.Errorf(redress.ENOTFOUND, "no user has login %s", login)
		}
		issued, err = s.db.insertToken(ctx, tx, actorOr(ctx, "operator"), u, redress.NewToken{Label: label, ExpiresAt: expiresAt})
		return err
	})
	if err != nil {
		return "", wrap("create token", err)
	}
	return issued.Token, nil
}

// IssueToken issues a token for the acting user.
func (s *TokenService) IssueToken(ctx context.Context, n redress.NewToken) (*redress.IssuedToken, error) {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermSelfService); err != nil {
		return nil, err
	}
	var issued *redress.IssuedToken
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		issued, err = s.db.insertToken(ctx, tx, u.Login, u, n)
		return err
	})
	if err != nil {
		return nil, wrap("issue token", err)
	}
	return issued, nil
}

func (db *DB) insertToken(ctx context.Context, tx *Tx, actor string, u *redress.User, n redress.NewToken) (*redress.IssuedToken, error) {
	now := db.now()
	var p redress.Problems
	if len([]rune(n.Label)) > 100 {
		p.AddKey("label", redress.ProblemTooLong, "100")
	}
	if n.ExpiresAt != nil && !n.ExpiresAt.After(now) {
		p.AddKey("expires_at", redress.ProblemFuture)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	t := &redress.IssuedToken{Token: tokenPrefix + base64.RawURLEncoding.EncodeToString(raw),
		APIToken: redress.APIToken{Login: u.Login, Label: n.Label, CreatedAt: now.In(redress.Beijing)}}
	var expires any
	if n.ExpiresAt != nil {
		at := n.ExpiresAt.UTC().Truncate(time.Microsecond)
		t.ExpiresAt, expires = &at, timeText(at)
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, digest, label, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, u.ID, tokenDigest(t.Token), n.Label, timeText(now), expires).Scan(&t.ID)
	if err != nil {
		return nil, fmt.Errorf("insert token: %w", err)
	}
	changes := []redress.Change{{Field: "user", After: u.Login}, {Field: "label", After: n.Label}}
	if n.ExpiresAt != nil {
		changes = append(changes, redress.Change{Field: "expires_at", After: timeText(*n.ExpiresAt)})
	}
	return t, db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectToken, fmt.Sprint(t.ID)), Actor: actor, Action: "token.create", At: now, Changes: changes,
		Detail: fmt.Sprintf("token %d", t.ID)})
}

// ListTokens returns the tokens of a user: one's own, or anyone's for an admin.
func (s *TokenService) ListTokens(ctx context.Context, login string) ([]*redress.APIToken, error) {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermSelfService); err != nil {
		return nil, err
	}
	if login == "" {
		login = u.Login
	}
	if login != u.Login && !redress.Can(u.Role, redress.PermTokenManage) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "only an admin lists another user's tokens")
	}
	rows, err := s.db.reads().QueryContext(ctx, `SELECT t.id, u.login, t.label, t.created_at, t.expires_at,
		t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.login = ? ORDER BY t.id`, login)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	tokens := []*redress.APIToken{}
	for rows.Next() {
		var t redress.APIToken
		var created string
		var expires, used, revoked sql.NullString
		if err := rows.Scan(&t.ID, &t.Login, &t.Label, &created, &expires, &used, &revoked); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		if t.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if t.ExpiresAt, err = parseNullTime(expires); err != nil {
			return nil, err
		}
		if t.LastUsedAt, err = parseNullTime(used); err != nil {
			return nil, err
		}
		if t.RevokedAt, err = parseNullTime(revoked); err != nil {
			return nil, err
		}
		tokens = append(tokens, &t)
	}
	return tokens, rows.Err()
}

// RevokeToken revokes a token: one's own, or anyone's for an admin. Another
// user's token is "not found" to a non-admin, so token IDs do not leak.
func (s *TokenService) RevokeToken(ctx context.Context, id int64) error {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermSelfService); err != nil {
		return err
	}
	return wrap("revoke token", s.db.inTx(ctx, func(tx *Tx) error {
		var owner string
		var ownerID int64
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT u.login, u.id, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`, id).
			Scan(&owner, &ownerID, &revoked)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && ownerID != u.ID && !redress.Can(u.Role, redress.PermTokenManage)) {
			return redress.Errorf(redress.ENOTFOUND, "token %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("find token: %w", err)
		}
		if revoked.Valid {
			return nil
		}
		now := s.db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, timeText(now), id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectToken, fmt.Sprint(id)), Actor: u.Login, Action: "token.revoke", At: now,
			Changes: []redress.Change{{Field: "user", Before: owner}}, Detail: fmt.Sprintf("token %d", id)})
	}))
}

// Authenticate returns the user a token belongs to. The last-used time is
// recorded at most once a minute per token, to keep reads from writing.
func (s *TokenService) Authenticate(ctx context.Context, token string) (*redress.User, error) {
	bad := redress.Errorf(redress.EUNAUTHORIZED, "invalid, expired or revoked API token")
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return nil, bad
	}
	var tokenID int64
	var lastUsed, expires sql.NullString
	row := s.db.reads().QueryRowContext(ctx, `SELECT `+userColumns+`, t.id, t.last_used_at, t.expires_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN org_units o ON o.id = u.org_id
		WHERE t.digest = ? AND t.revoked_at IS NULL`, tokenDigest(token))
	u, err := scanUserWith(row, &tokenID, &lastUsed, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bad
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	now := s.db.now()
	if u.Disabled || (expires.Valid && expires.String <= timeText(now)) {
		return nil, bad
	}
	if !lastUsed.Valid || lastUsed.String < timeText(now.Add(-time.Minute)) {
		_, err := s.db.writes().ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, timeText(now), tokenID)
		if err != nil {
			return nil, fmt.Errorf("authenticate: record use: %w", err)
		}
	}
	return u, nil
}

func actorOr(ctx context.Context, fallback string) string {
	if u := redress.UserFrom(ctx); u != nil {
		return u.Login
	}
	return fallback
}

// revokeTokens revokes every API token of a user still in force, when their
// password changes or they are disabled (so that enabling them again revives
// none), and returns the audit change that lists them ("api_tokens": the
// numbers before, "(revoked)" after), or none when there were none.
func (db *DB) revokeTokens(ctx context.Context, tx *Tx, userID int64, now time.Time) ([]redress.Change, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING id`,
		timeText(now), userID)
	if err != nil {
		return nil, fmt.Errorf("revoke tokens: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("revoke tokens: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, err
	}
	slices.Sort(ids)
	numbers := make([]string, len(ids))
	for i, id := range ids {
		numbers[i] = strconv.FormatInt(id, 10)
	}
	return []redress.Change{{Field: "api_tokens", Before: strings.Join(numbers, ", "), After: "(revoked)"}}, nil
}
