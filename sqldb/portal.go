package sqldb

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"redress"
)

// PortalService is the customer portal's store: submissions, one-time
// codes, customer sessions and the customer's actions on their case. The
// customer acts through the system user redress.PortalLogin, so every rule
// and audit event of the staff path applies (Act for withdraw and
// request_review, AddEvidence for material); each event also names the
// client address (portalDetail).
type PortalService struct {
	db       *DB
	cases    *CaseService
	evidence *EvidenceService
}

// NewPortalService returns the portal service of db.
func NewPortalService(db *DB) *PortalService {
	return &PortalService{db: db, cases: NewCaseService(db), evidence: NewEvidenceService(db)}
}

var _ redress.PortalService = (*PortalService)(nil)

// errPortalRefused is the one answer to every failed code check: it never
// says whether the number, the phone or the code was wrong.
var errPortalRefused = redress.Errorf(redress.EFORBIDDEN,
	"the tracking number, phone or code is not right, or the code has expired: ask for a new code")

// portalUser returns the portal's system user (redress.PortalLogin), made
// on first use: role staff at head office, so that it may register a case
// for any unit and take the customer's actions on any case, disabled and
// without a password, so that nobody signs in as it.
func (db *DB) portalUser(ctx context.Context) (*redress.User, error) {
	find := func(q querier) (*redress.User, error) {
		return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.login = ?`, redress.PortalLogin))
	}
	u, err := find(db.reads())
	if err == nil {
		return u, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find the portal user: %w", err)
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (login, name, role, org_id, disabled, created_at)
			SELECT ?, ?, ?, id, ?, ? FROM org_units WHERE parent_id IS NULL
			ON CONFLICT (login) DO NOTHING`, redress.PortalLogin, "网上投诉/信访 (portal)", string(redress.RoleStaff), true, timeText(db.now()))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("make the portal user: %w", err)
	}
	if u, err = find(db.writes()); err != nil {
		return nil, fmt.Errorf("find the portal user: %w", err)
	}
	return u, nil
}

// portalDetail is an audit event's detail with the client address of a
// portal request appended; a staff request carries none and is unchanged.
func portalDetail(ctx context.Context, detail string) string {
	addr := redress.ClientAddressFrom(ctx)
	if addr == "" {
		return detail
	}
	return strings.TrimSpace(detail + " [portal, client " + addr + "]")
}

// SubmitCase registers a customer's case for the unit they chose, where it
// waits in the 待我受理 queue like any case registered there, with the
// consent's version and time.
func (s *PortalService) SubmitCase(ctx context.Context, sub redress.PortalSubmission) (*redress.PortalReceipt, error) {
	now := s.db.now()
	n, err := sub.NewCase(now)
	if err != nil {
		return nil, err
	}
	u, err := s.db.portalUser(ctx)
	if err != nil {
		return nil, err
	}
	deadlines, err := s.db.deadlines(ctx)
	if err != nil {
		return nil, wrap("submit case", err)
	}
	var receipt *redress.PortalReceipt
	err = s.db.inTx(ctx, func(tx *Tx) error {
		refs, err := s.db.resolveCase(ctx, tx, u, &n)
		if err != nil {
			return err
		}
		created, err := s.db.insertCase(ctx, tx, u, &n, refs, deadlines, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO portal_consents (case_id, version, consented_at) VALUES (?, ?, ?)`,
			created.ID, redress.PortalConsentVersion, timeText(now)); err != nil {
			return fmt.Errorf("record consent: %w", err)
		}
		receipt = &redress.PortalReceipt{No: created.No, Kind: created.Kind, ReceivedAt: created.ReceivedAt.In(redress.Beijing),
			Org: created.Org, ReplyDue: created.ReplyDue, DecisionDue: created.DecisionDue}
		if err := tx.QueryRowContext(ctx, `SELECT name FROM org_units WHERE id = ?`, created.orgID).Scan(&receipt.OrgName); err != nil {
			return fmt.Errorf("name the unit: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, created.No), Actor: u.Login,
			Action: redress.CaseEventAction(redress.ActionRegister), At: now, Changes: redress.DiffCase(nil, created.Case),
			Detail: portalDetail(ctx, "consent "+redress.PortalConsentVersion+" at "+now.In(redress.Beijing).Format("2006-01-02 15:04:05"))})
	})
	if err != nil {
		return nil, wrap("submit case", err)
	}
	return receipt, nil
}

// phoneIndexes are the blind indexes a mobile number may be stored under:
// as typed by staff, with or without the country code.
func phoneIndexes(k *redress.Keyring, phone string) []any {
	return []any{k.BlindIndex("phone", phone), k.BlindIndex("phone", "86"+phone), k.BlindIndex("phone", "+86"+phone)}
}

// portalCase finds the case of a tracking number and mobile number: its id,
// or 0 when none matches (the number unknown, or the phone not the case's).
func (db *DB) portalCase(ctx context.Context, q querier, no, phone string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM cases WHERE no = ? AND c_phone_idx IN (?, ?, ?)`,
		append([]any{no}, phoneIndexes(db.keyring(), phone)...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find the case: %w", err)
	}
	return id, nil
}

// codeHash is the keyed hash a code is stored as, bound to its case.
func codeHash(k *redress.Keyring, no, code string) string {
	return k.BlindIndex("portal_code", no+":"+code)
}

// RequestCode makes a one-time code when the number and phone match a case
// and returns it with the number to send it to. Known or not, a
// well-formed number costs the same work: the lookup, the hash, one write
// transaction with its audit event (case.portal_code), so neither the
// answer nor its time tells them apart.
func (s *PortalService) RequestCode(ctx context.Context, r redress.PortalCodeRequest) (string, string, error) {
	no, phone := strings.ToUpper(strings.TrimSpace(r.No)), redress.NormalizeMobile(r.Phone)
	if !redress.ValidTrackingNumber(no) || !redress.ValidMobile(phone) {
		return "", "", nil
	}
	now := s.db.now()
	code := redress.NewPortalCode()
	hash := codeHash(s.db.keyring(), no, code)
	var caseID int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		if caseID, err = s.db.portalCase(ctx, tx, no, phone); err != nil {
			return err
		}
		detail := "code sent"
		if caseID != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO portal_codes (case_id, code_hash, sent_at) VALUES (?, ?, ?)`,
				caseID, hash, timeText(now)); err != nil {
				return fmt.Errorf("store code: %w", err)
			}
		} else {
			detail = "no case with this number and phone: nothing sent"
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, no), Actor: redress.PortalLogin,
			Action: "case.portal_code", At: now, Detail: portalDetail(ctx, detail)})
	})
	if err != nil {
		return "", "", wrap("portal code", err)
	}
	if caseID == 0 {
		return "", "", nil
	}
	return code, phone, nil
}

// Track checks a code against the latest one sent for the case: within
// redress.PortalCodeTTL, unused, fewer than redress.PortalCodeTries wrong
// tries. A right code opens a session (the cookie's token is returned; the
// store keeps its digest) and is used up; a wrong one counts a try. Every
// failure is the same EFORBIDDEN, and each attempt is an audit event
// (case.portal_track) written in the same transaction as the try it counts.
func (s *PortalService) Track(ctx context.Context, r redress.PortalTrackRequest) (string, *redress.PortalCustomer, error) {
	no, phone, code := strings.ToUpper(strings.TrimSpace(r.No)), redress.NormalizeMobile(r.Phone), strings.TrimSpace(r.Code)
	if !redress.ValidTrackingNumber(no) {
		return "", nil, errPortalRefused
	}
	now := s.db.now()
	hash := codeHash(s.db.keyring(), no, code)
	token := rand.Text()
	var opened bool
	err := s.db.inTx(ctx, func(tx *Tx) error {
		caseID, err := s.db.portalCase(ctx, tx, no, phone)
		if err != nil {
			return err
		}
		var codeID int64
		var stored, sentAt string
		var usedAt sql.NullString
		var state redress.PortalCodeState
		err = tx.QueryRowContext(ctx, `SELECT id, code_hash, sent_at, tries, used_at FROM portal_codes
			WHERE case_id = ? ORDER BY id DESC LIMIT 1`, caseID).Scan(&codeID, &stored, &sentAt, &state.Tries, &usedAt)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read code: %w", err)
		default:
			if state.SentAt, err = parseTime(sentAt); err != nil {
				return err
			}
			state.Used = usedAt.Valid
		}
		detail := "refused"
		switch {
		case codeID == 0 || !state.Usable(now):
		case hmac.Equal([]byte(stored), []byte(hash)) && len(code) == redress.PortalCodeDigits:
			if _, err := tx.ExecContext(ctx, `UPDATE portal_codes SET used_at = ? WHERE id = ?`, timeText(now), codeID); err != nil {
				return fmt.Errorf("use code: %w", err)
			}
			// Sessions are only ever opened here: the ended ones go as a new one comes.
			if _, err := tx.ExecContext(ctx, `DELETE FROM portal_sessions WHERE expires_at <= ?`, timeText(now)); err != nil {
				return fmt.Errorf("drop ended portal sessions: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO portal_sessions (digest, case_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
				portalDigest(token), caseID, timeText(now), timeText(now.Add(redress.PortalSessionTTL))); err != nil {
				return fmt.Errorf("open portal session: %w", err)
			}
			opened, detail = true, "signed in"
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE portal_codes SET tries = tries + 1 WHERE id = ?`, codeID); err != nil {
				return fmt.Errorf("count try: %w", err)
			}
			detail = fmt.Sprintf("wrong code (try %d of %d)", state.Tries+1, redress.PortalCodeTries)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, no), Actor: redress.PortalLogin,
			Action: "case.portal_track", At: now, Detail: portalDetail(ctx, detail)})
	})
	if err != nil {
		return "", nil, wrap("portal track", err)
	}
	if !opened {
		return "", nil, errPortalRefused
	}
	return token, portalCustomer(token, no, now.Add(redress.PortalSessionTTL)), nil
}

// portalDigest is what the store keeps of a session's token.
func portalDigest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// portalCustomer is the customer of a session token: the CSRF token of
// their forms derives from the cookie's token, which only they hold.
func portalCustomer(token, no string, expires time.Time) *redress.PortalCustomer {
	csrf := sha256.Sum256([]byte("portal-csrf\x00" + token))
	return &redress.PortalCustomer{Session: portalDigest(token), CaseNo: no, CSRF: hex.EncodeToString(csrf[:16]), Expires: expires}
}

// PortalSession returns the customer of a session cookie's token, until
// the session expires.
func (s *PortalService) PortalSession(ctx context.Context, token string) (*redress.PortalCustomer, error) {
	if token == "" || len(token) > 64 {
		return nil, redress.Errorf(redress.EUNAUTHORIZED, "track your case with its number and a code first")
	}
	var no, expires string
	err := s.db.reads().QueryRowContext(ctx, `SELECT c.no, s.expires_at FROM portal_sessions s JOIN cases c ON c.id = s.case_id
		WHERE s.digest = ?`, portalDigest(token)).Scan(&no, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, redress.Errorf(redress.EUNAUTHORIZED, "track your case with its number and a code first")
	}
	if err != nil {
		return nil, fmt.Errorf("portal session: %w", err)
	}
	until, err := parseTime(expires)
	if err != nil {
		return nil, err
	}
	if !s.db.now().Before(until) {
		return nil, redress.Errorf(redress.EUNAUTHORIZED, "your session has ended: track your case again with a new code")
	}
	return portalCustomer(token, no, until), nil
}

// customerCase returns the signed-in customer and the portal user.
func (s *PortalService) customerCase(ctx context.Context) (*redress.PortalCustomer, *redress.User, error) {
	c := redress.CustomerFrom(ctx)
	if c == nil {
		return nil, nil, redress.Errorf(redress.EUNAUTHORIZED, "track your case with its number and a code first")
	}
	u, err := s.db.portalUser(ctx)
	if err != nil {
		return nil, nil, err
	}
	return c, u, nil
}

// PortalCase returns the customer's case as they may see it.
func (s *PortalService) PortalCase(ctx context.Context) (*redress.PortalView, error) {
	cust, u, err := s.customerCase(ctx)
	if err != nil {
		return nil, err
	}
	q := s.db.reads()
	c, err := s.db.loadCaseRow(ctx, q, cust.CaseNo)
	if err != nil {
		return nil, wrap("portal case", err)
	}
	var orgName string
	if err := q.QueryRowContext(ctx, `SELECT name FROM org_units WHERE id = ?`, c.orgID).Scan(&orgName); err != nil {
		return nil, fmt.Errorf("portal case: name the unit: %w", err)
	}
	files, err := s.db.portalFiles(ctx, q, c.ID, u.ID)
	if err != nil {
		return nil, err
	}
	rating, err := s.db.rating(ctx, q, c.ID)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	var reviewBy string
	if kind, err := redress.NextReviewKind(c.Case); err == nil {
		deadlines, err := s.db.deadlines(ctx)
		if err != nil {
			return nil, wrap("portal case", err)
		}
		window, err := deadlines.Due(redress.PolicyReview, redress.ClockRequestWindow, redress.ReviewWindowStart(c.Case, kind), 0)
		if err != nil {
			return nil, wrap("portal case", err)
		}
		reviewBy = window.Date.String()
	}
	v := redress.NewPortalView(c.Case, orgName, files, rating, reviewBy, redress.DateOf(now.In(redress.Beijing)))
	sent, err := (&CustomerNoticeService{db: s.db}).list(ctx, q, c) // the notices sent through the system (customer_notice.go)
	if err != nil {
		return nil, err
	}
	v.Notices = redress.WithSentNotices(v.Notices, sent)
	return v, nil
}

// portalFiles lists the files the customer added (not the bank's own).
func (db *DB) portalFiles(ctx context.Context, q querier, caseID, portalUserID int64) ([]redress.PortalFile, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.name, b.size, e.uploaded_at FROM evidence e JOIN evidence_blobs b ON b.sha256 = e.sha256
		WHERE e.case_id = ? AND e.uploaded_by = ? ORDER BY e.id`, caseID, portalUserID)
	if err != nil {
		return nil, fmt.Errorf("portal files: %w", err)
	}
	defer rows.Close()
	var out []redress.PortalFile
	for rows.Next() {
		var f redress.PortalFile
		var at string
		if err := rows.Scan(&f.Name, &f.Size, &at); err != nil {
			return nil, fmt.Errorf("portal files: %w", err)
		}
		if f.At, err = parseTime(at); err != nil {
			return nil, err
		}
		f.At = f.At.In(redress.Beijing)
		out = append(out, f)
	}
	return out, rows.Err()
}

// AddMaterial adds a file to the customer's case: at most
// redress.PortalMaxFileBytes, of a type its content shows to be one the
// portal takes (redress.PortalFileType), stored as evidence by the portal
// user (case.add_evidence with the client address).
func (s *PortalService) AddMaterial(ctx context.Context, n redress.NewEvidence) (*redress.PortalFile, error) {
	cust, u, err := s.customerCase(ctx)
	if err != nil {
		return nil, err
	}
	if n.Body == nil {
		return nil, fieldError("file", "a file is required")
	}
	content, err := io.ReadAll(io.LimitReader(n.Body, redress.PortalMaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read material: %w", err)
	}
	contentType, err := redress.PortalFileType("file", content)
	if err != nil {
		return nil, err
	}
	e, err := s.evidence.AddEvidence(redress.WithUser(ctx, u), cust.CaseNo,
		redress.NewEvidence{Name: n.Name, ContentType: contentType, Note: n.Note, Body: bytes.NewReader(content)})
	if err != nil {
		return nil, err
	}
	return &redress.PortalFile{Name: e.Name, Size: e.Size, At: e.UploadedAt}, nil
}

// Withdraw withdraws the customer's case through the lifecycle (Act, as
// the portal user), with the customer's reason.
func (s *PortalService) Withdraw(ctx context.Context, w redress.PortalWithdrawal) error {
	return s.act(ctx, redress.ActionRequest{Action: redress.ActionWithdraw, Reason: w.Reason})
}

// RequestReview records the customer's request for the review of the
// decision (request_review through Act: review.go's window and kind, the
// reviewing unit told), received now.
func (s *PortalService) RequestReview(ctx context.Context, r redress.PortalReviewRequest) error {
	return s.act(ctx, redress.ActionRequest{Action: redress.ActionRequestReview, ReceivedAt: s.db.now(), Text: r.Text})
}

// act takes a lifecycle action on the customer's case as the portal user,
// at the version the case is at.
func (s *PortalService) act(ctx context.Context, req redress.ActionRequest) error {
	cust, u, err := s.customerCase(ctx)
	if err != nil {
		return err
	}
	c, err := s.db.loadCaseHead(ctx, s.db.reads(), cust.CaseNo)
	if err != nil {
		return wrap("portal "+string(req.Action), err)
	}
	req.Version = c.Version
	_, err = s.cases.Act(redress.WithUser(ctx, u), cust.CaseNo, req)
	return err
}
