package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"redress"
)

// SessionService opens, checks and closes browser sessions stored in the
// database, so that several servers share them.
type SessionService struct{ db *DB }

// NewSessionService returns the session service of db.
func NewSessionService(db *DB) *SessionService { return &SessionService{db: db} }

var _ redress.SessionService = (*SessionService)(nil)

// SignIn checks the password and opens a session. A failure is counted by
// one UPDATE that adds one to the user's failures and sets the lock from
// the new count (lockoutSQL), so parallel attempts each count; and the lock
// is checked again after the slow hash, in the transaction that opens the
// session, so a right password racing wrong ones does not slip past a lock
// they set meanwhile. Refusals for want of a hash slot (ETOOMANY) are
// neither counted nor audited: they say nothing about the password.
func (s *SessionService) SignIn(ctx context.Context, in redress.SignIn) (string, *redress.User, error) {
	var p redress.Problems
	if in.Login == "" {
		p.AddKey("login", redress.ProblemRequired)
	}
	if in.Password == "" {
		p.AddKey("password", redress.ProblemRequired)
	}
	if err := p.Err(); err != nil {
		return "", nil, err
	}
	failed := redress.Errorf(redress.EUNAUTHORIZED, "wrong login or password")
	var hash string
	var failures int
	var lockedUntil sql.NullString
	row := s.db.reads().QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash, u.failed_logins, u.locked_until`+userFrom+` WHERE u.login = ?`, in.Login)
	u, err := scanUserWith(row, &hash, &failures, &lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.db.checkPassword(ctx, s.db.dummyHash, in.Password); err != nil {
			return "", nil, fmt.Errorf("sign in: %w", err)
		}
		return "", nil, s.audit(ctx, in, "session.failed", "unknown login", failed)
	}
	if err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	if lockedUntil.Valid && lockedUntil.String > timeText(s.db.now()) {
		return "", nil, s.audit(ctx, in, "session.failed", "locked", lockedError(lockedUntil.String))
	}
	ok, err := s.db.checkPassword(ctx, hash, in.Password)
	if err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	if !ok {
		return "", nil, s.recordFailure(ctx, in, u, failed)
	}
	if u.Disabled {
		return "", nil, s.audit(ctx, in, "session.failed", "disabled", redress.Errorf(redress.EUNAUTHORIZED, "this account is disabled"))
	}
	token := rand.Text() + rand.Text()
	now := s.db.now()
	var lockedMeanwhile string
	err = s.db.inTx(ctx, func(tx *Tx) error {
		// The lock again, after the hash: parallel wrong attempts may have set
		// it, or an admin changed the password, since the row was read.
		res, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL
			WHERE id = ? AND password_hash = ? AND (locked_until IS NULL OR locked_until <= ?)`, u.ID, hash, timeText(now))
		if err != nil {
			return fmt.Errorf("reset failures: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("reset failures: %w", err)
		} else if n != 1 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(locked_until, '') FROM users WHERE id = ?`, u.ID).Scan(&lockedMeanwhile); err != nil {
				return fmt.Errorf("read the lock: %w", err)
			}
			return errNothingToDo
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (digest, user_id, created_at, last_seen_at, expires_at, remote)
			VALUES (?, ?, ?, ?, ?, ?)`, tokenDigest(token), u.ID, timeText(now), timeText(now), timeText(now.Add(redress.AbsoluteTimeout)), in.Remote)
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectSession, u.Login), Actor: u.Login, Action: "session.sign_in", At: now, Detail: in.Remote})
	})
	if errors.Is(err, errNothingToDo) {
		if lockedMeanwhile > timeText(now) {
			return "", nil, s.audit(ctx, in, "session.failed", "locked", lockedError(lockedMeanwhile))
		}
		return "", nil, s.audit(ctx, in, "session.failed", "password changed meanwhile", failed)
	}
	if err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	return token, u, nil
}

// lockedError is the answer to a sign-in while the account is locked until
// the stored time until.
func lockedError(until string) error {
	at, _ := parseTime(until)
	return redress.Errorf(redress.EUNAUTHORIZED, "too many failed sign-ins: the account is locked until %s", at.In(redress.Beijing).Format("2006-01-02 15:04"))
}

// lockoutSQL is the locked_until of an UPDATE that counts one more failed
// sign-in, with its arguments: as it was below redress.LockoutThreshold
// failures, else now plus redress.LockoutDelay of the new count (a CASE
// generated from the root's rule, so the increment and the lock are one
// statement and parallel failures cannot overwrite each other's count).
func lockoutSQL(now time.Time) (string, []any) {
	var b strings.Builder
	b.WriteString(`CASE WHEN failed_logins + 1 < ? THEN locked_until`)
	args := []any{redress.LockoutThreshold}
	for n := redress.LockoutThreshold; redress.LockoutDelay(n) < redress.LockoutMax; n++ {
		b.WriteString(` WHEN failed_logins + 1 = ? THEN ?`)
		args = append(args, n, timeText(now.Add(redress.LockoutDelay(n))))
	}
	b.WriteString(` ELSE ? END`)
	return b.String(), append(args, timeText(now.Add(redress.LockoutMax)))
}

// recordFailure counts a failed sign-in, locks the account past the
// threshold, and audits the attempt.
func (s *SessionService) recordFailure(ctx context.Context, in redress.SignIn, u *redress.User, failed error) error {
	now := s.db.now()
	lock, args := lockoutSQL(now)
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var failures int
		err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1, locked_until = `+lock+`
			WHERE id = ? RETURNING failed_logins`, append(args, u.ID)...).Scan(&failures)
		if err != nil {
			return fmt.Errorf("count failure: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectSession, in.Login), Actor: in.Login, Action: "session.failed", At: now,
			Detail: "wrong password, failure " + strconv.Itoa(failures) + " " + in.Remote})
	})
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	return failed
}

// audit records a refused sign-in that changes no user row and returns answer.
func (s *SessionService) audit(ctx context.Context, in redress.SignIn, action, why string, answer error) error {
	login := in.Login
	if len(login) > 64 {
		login = redress.CutText(login, 64) // on a character boundary: the actor stays UTF-8
	}
	err := s.db.inTx(ctx, func(tx *Tx) error {
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectSession, login), Actor: login, Action: action, At: s.db.now(), Detail: why + " " + in.Remote})
	})
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	return answer
}

// SessionUser returns the user of an open session and records activity at
// most once a minute.
func (s *SessionService) SessionUser(ctx context.Context, token string) (*redress.User, error) {
	expired := redress.Errorf(redress.EUNAUTHORIZED, "your session has ended: sign in again")
	if token == "" || len(token) > 100 {
		return nil, expired
	}
	digest := tokenDigest(token)
	var lastSeen, expires string
	row := s.db.reads().QueryRowContext(ctx, `SELECT `+userColumns+`, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN org_units o ON o.id = u.org_id WHERE s.digest = ?`, digest)
	u, err := scanUserWith(row, &lastSeen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, expired
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	now := s.db.now()
	if u.Disabled || expires <= timeText(now) || lastSeen <= timeText(now.Add(-redress.IdleTimeout)) {
		if _, err := s.db.writes().ExecContext(ctx, `DELETE FROM sessions WHERE digest = ?`, digest); err != nil {
			return nil, fmt.Errorf("end session: %w", err)
		}
		return nil, expired
	}
	if lastSeen < timeText(now.Add(-time.Minute)) {
		if _, err := s.db.writes().ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE digest = ?`, timeText(now), digest); err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return u, nil
}

// SignOut closes a session.
func (s *SessionService) SignOut(ctx context.Context, token string) error {
	u, err := s.SessionUser(ctx, token)
	if err != nil {
		return nil // already gone
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE digest = ?`, tokenDigest(token)); err != nil {
			return fmt.Errorf("sign out: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectSession, u.Login), Actor: u.Login, Action: "session.sign_out", At: s.db.now()})
	})
}

// ChangePassword changes the acting user's password, closes their other
// sessions and revokes every API token they hold: a token issued under the
// old password is not to outlive it (whoever learnt the one may hold the
// other). The user issues new tokens as they need them.
func (s *SessionService) ChangePassword(ctx context.Context, keepSession string, in redress.PasswordChange) error {
	u := redress.UserFrom(ctx)
	if err := redress.Require(u, redress.PermSelfService); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	var hash string
	if err := s.db.reads().QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	ok, err := s.db.checkPassword(ctx, hash, in.Current)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if !ok {
		return redress.FieldError(redress.EINVALID, "invalid input", "current", redress.ProblemPasswordWrong)
	}
	newHash, err := s.db.hashPassword(ctx, in.New)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		now := s.db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?`, newHash, false, u.ID); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if err := s.db.closeSessions(ctx, tx, u.ID, keepSession); err != nil {
			return err
		}
		changes := []redress.Change{{Field: "password", Before: "(set)", After: "(changed)"}}
		if u.MustChangePassword {
			changes = append(changes, redress.Change{Field: "must_change_password", Before: "true", After: "false"})
		}
		revoked, err := s.db.revokeTokens(ctx, tx, u.ID, now)
		if err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectUser, u.Login), Actor: u.Login, Action: "user.password", At: now,
			Changes: append(changes, revoked...)})
	})
}

// closeSessions ends every session of a user but the one given.
func (db *DB) closeSessions(ctx context.Context, tx *Tx, userID int64, keep string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND digest <> ?`, userID, tokenDigest(keep))
	if err != nil {
		return fmt.Errorf("close sessions: %w", err)
	}
	return nil
}

// scanUserWith scans the user columns followed by extra columns.
func scanUserWith(row interface{ Scan(...any) error }, extra ...any) (*redress.User, error) {
	var u redress.User
	var created string
	dest := append([]any{&u.ID, &u.Login, &u.Name, &u.Role, &u.OrgID, &u.OrgCode, &u.OrgPath, &u.OrgKind, &u.Disabled, &u.MustChangePassword, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	u.CreatedAt, err = parseTime(created)
	return &u, err
}
