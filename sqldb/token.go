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

// CreateToken issues a token for the user with the given login.
func (s *TokenService) CreateToken(ctx context.Context, login, label string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		u, err := s.db.userByLogin(ctx, tx, "login", login)
		if err != nil {
			return redress.Errorf(redress.ENOTFOUND, "no user has login %s", login)
		}
		now := s.db.now()
		_, err = tx.ExecContext(ctx, s.db.dialect.rebind(`INSERT INTO api_tokens (user_id, digest, label, created_at) VALUES (?, ?, ?, ?)`),
			u.ID, tokenDigest(token), label, timeText(now))
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Actor: actorOr(ctx, "operator"), Action: "token.create", At: now,
			Changes: []redress.Change{{Field: "user", After: login}, {Field: "label", After: label}}})
	})
	if err != nil {
		return "", wrap("create token", err)
	}
	return token, nil
}

// Authenticate returns the user a token belongs to. The last-used time is
// recorded at most once a minute per token, to keep reads from writing.
func (s *TokenService) Authenticate(ctx context.Context, token string) (*redress.User, error) {
	bad := redress.Errorf(redress.EUNAUTHORIZED, "invalid or revoked API token")
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return nil, bad
	}
	digest := tokenDigest(token)
	var tokenID int64
	var lastUsed sql.NullString
	row := s.db.read.QueryRowContext(ctx, s.db.dialect.rebind(`SELECT t.id, t.last_used_at, `+userColumns+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN org_units o ON o.id = u.org_id
		WHERE t.digest = ? AND t.revoked_at IS NULL`), digest)
	var u redress.User
	var created string
	err := row.Scan(&tokenID, &lastUsed, &u.ID, &u.Login, &u.Name, &u.Role, &u.OrgID, &u.OrgCode, &u.OrgPath, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bad
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	now := s.db.now()
	if !lastUsed.Valid || lastUsed.String < timeText(now.Add(-time.Minute)) {
		_, err := s.db.write.ExecContext(ctx, s.db.dialect.rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), timeText(now), tokenID)
		if err != nil {
			return nil, fmt.Errorf("authenticate: record use: %w", err)
		}
	}
	return &u, nil
}

func actorOr(ctx context.Context, fallback string) string {
	if u := redress.UserFrom(ctx); u != nil {
		return u.Login
	}
	return fallback
}
