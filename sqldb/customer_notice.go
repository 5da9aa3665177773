package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"redress"
)

// CustomerNoticeService sends notices to customers and keeps their proof
// (redress.CustomerNoticeService): customer_notices, the templates in
// settings (notice_templates), the bank's profile they name.
type CustomerNoticeService struct{ db *DB }

// NewCustomerNoticeService returns the customer-notice service of db.
func NewCustomerNoticeService(db *DB) *CustomerNoticeService { return &CustomerNoticeService{db: db} }

var _ redress.CustomerNoticeService = (*CustomerNoticeService)(nil)

// settingNoticeTemplates is the settings key of the templates an admin set.
const settingNoticeTemplates = "notice_templates"

// NoticeTemplates returns the templates in force: each kind and language
// an admin set, the default for the others.
func (s *CustomerNoticeService) NoticeTemplates(ctx context.Context) ([]redress.NoticeTemplate, error) {
	if _, err := redress.RequireUser(ctx); err != nil {
		return nil, err
	}
	return s.templates(ctx, s.db.reads())
}

func (s *CustomerNoticeService) templates(ctx context.Context, q querier) ([]redress.NoticeTemplate, error) {
	out := redress.DefaultNoticeTemplates()
	var set []redress.NoticeTemplate
	if _, err := readSetting(ctx, q, settingNoticeTemplates, &set); err != nil {
		return nil, err
	}
	for _, t := range set {
		for i := range out {
			if out[i].Kind == t.Kind && out[i].Lang == t.Lang {
				out[i].Body = t.Body
			}
		}
	}
	return out, nil
}

// SetNoticeTemplates replaces the templates an admin set (admin only), with
// an audit event system.set_notice_templates.
func (s *CustomerNoticeService) SetNoticeTemplates(ctx context.Context, ts []redress.NoticeTemplate) ([]redress.NoticeTemplate, error) {
	settings := &SettingsService{db: s.db}
	validate := func() error { return redress.ValidateNoticeTemplates(ts) }
	if err := settings.write(ctx, settingNoticeTemplates, "system.set_notice_templates", validate, ts); err != nil {
		return nil, err
	}
	return s.templates(ctx, s.db.reads())
}

// compose loads the case for a user who may notify its customer (a case
// role in scope) and renders the notice the request asks for.
func (s *CustomerNoticeService) compose(ctx context.Context, q querier, no string, r *redress.NoticeRequest, preview bool) (
	*caseRow, *redress.CustomerNotice, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := r.Validate(preview); err != nil {
		return nil, nil, err
	}
	c, err := s.db.loadCase(ctx, q, u, no)
	if err != nil {
		return nil, nil, err
	}
	if !redress.MayRegister(u.Role) {
		return nil, nil, redress.Errorf(redress.EFORBIDDEN, "role %s may not send notices to customers", u.Role)
	}
	if err := redress.ArchiveRule(c.Case, redress.WriteCustomerNotice); err != nil { // archive.go
		return nil, nil, err
	}
	n, err := s.db.renderNotice(ctx, q, c, r.Kind, r.Method, r.Lang)
	if err != nil {
		return nil, nil, err
	}
	n.By = u.Login
	return c, n, nil
}

// renderNotice renders a notice of kind by method in lang for the case:
// the template in force filled with the bank's profile and the case's
// facts (ECONFLICT when the case has nothing of the kind to tell yet, or
// no profile is set: every notice names the bank and its hotline).
func (db *DB) renderNotice(ctx context.Context, q querier, c *caseRow, kind redress.CustomerNoticeKind, method redress.NoticeMethod,
	lang string) (*redress.CustomerNotice, error) {
	facts, ok := redress.NoticeFactsOf(c.Case, kind)
	if !ok {
		return nil, redress.Errorf(redress.ECONFLICT, "case %s has no %s to tell the customer of yet", c.No, kind)
	}
	bank, err := db.bankProfile(ctx, q)
	if err != nil {
		return nil, err
	}
	if bank == nil {
		return nil, redress.Errorf(redress.ECONFLICT, "set the bank's profile (name, complaint hotline) first: every notice names them")
	}
	ts, err := (&CustomerNoticeService{db: db}).templates(ctx, q)
	if err != nil {
		return nil, err
	}
	n := &redress.CustomerNotice{Case: c.No, Kind: kind, Method: method, Lang: lang, At: db.now()}
	for _, t := range ts {
		if t.Kind == kind && t.Lang == lang {
			n.Body = redress.RenderNotice(t, facts, *bank, redress.ExternalNotice(method))
		}
	}
	return n, nil
}

// bankProfile reads the bank's profile through q, nil when none is set.
func (db *DB) bankProfile(ctx context.Context, q querier) (*redress.BankProfile, error) {
	b := &redress.BankProfile{}
	if found, err := readSetting(ctx, q, settingBankProfile, b); err != nil || !found {
		return nil, err
	}
	return b, nil
}

// readSetting decodes the setting key into dst through q (inside a
// transaction, unlike SettingsService.read); found is false when it was
// never set.
func readSetting(ctx context.Context, q querier, key string, dst any) (found bool, err error) {
	var raw string
	err = q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), dst); err != nil {
		return false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return true, nil
}

// insertNotice records a notice of the case for its occasion, by the user
// byID; an SMS or e-mail waits for the outbox until sendAt.
func (db *DB) insertNotice(ctx context.Context, tx *Tx, caseID int64, n *redress.CustomerNotice, occasion string, byID int64,
	sendAt time.Time) error {
	if err := tx.QueryRowContext(ctx, `INSERT INTO customer_notices (case_id, kind, method, lang, body, status, proof, by_id,
		created_at, sent_at, next_attempt_at, occasion) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		caseID, n.Kind, n.Method, n.Lang, n.Body, n.Status, n.Proof, byID, timeText(n.At), nullTimeText(n.SentAt),
		timeText(sendAt), occasion).Scan(&n.ID); err != nil {
		return fmt.Errorf("record notice: %w", err)
	}
	return nil
}

// liveNotice finds the notice of the case already told for the occasion
// by method (any method when method is ""), unless it failed or was given
// up: id 0 when there is none.
func liveNotice(ctx context.Context, q querier, caseID int64, kind redress.CustomerNoticeKind, occasion string,
	method redress.NoticeMethod) (id int64, m redress.NoticeMethod, status redress.CustomerNoticeStatus, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, method, status FROM customer_notices WHERE case_id = ? AND kind = ? AND occasion = ?
		AND (method = ? OR ? = '') AND status NOT IN (?, ?) ORDER BY id LIMIT 1`,
		caseID, kind, occasion, method, method, redress.CustomerNoticeFailed, redress.CustomerNoticeDead).Scan(&id, &m, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", nil
	}
	if err != nil {
		return 0, "", "", fmt.Errorf("find notice: %w", err)
	}
	return id, m, status, nil
}

// PreviewNotice renders the notice without sending or recording it.
func (s *CustomerNoticeService) PreviewNotice(ctx context.Context, no string, r redress.NoticeRequest) (*redress.CustomerNotice, error) {
	_, n, err := s.compose(ctx, s.db.reads(), no, &r, true)
	return n, wrap("preview notice", err)
}

// SendNotice renders the notice and records it with the case's audit
// event case.notice: an SMS pending for the customer outbox (the phone on
// the case), a letter printed (its posting recorded later), a call or a
// talk recorded with the staff member's proof. The same occasion is told
// once by each method (redress.NoticeOccasion): a call or a talk the
// lifecycle left as a task is recorded by it; any other notice already
// told is a conflict naming it.
func (s *CustomerNoticeService) SendNotice(ctx context.Context, no string, r redress.NoticeRequest) (*redress.CustomerNotice, error) {
	var out *redress.CustomerNotice
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		out, err = s.send(ctx, tx, no, r)
		return err
	})
	return out, wrap("send notice", err)
}

// send is SendNotice inside tx: a merge (repeat.go) tells the customer in
// its own transaction.
func (s *CustomerNoticeService) send(ctx context.Context, tx *Tx, no string, r redress.NoticeRequest) (*redress.CustomerNotice, error) {
	c, n, err := s.compose(ctx, tx, no, &r, false)
	if err != nil {
		return nil, err
	}
	n.Proof = r.Proof
	switch r.Method {
	case redress.NoticeSMS:
		if c.phoneEnc == "" || c.Complainant.Phone == "" {
			return nil, redress.Errorf(redress.ECONFLICT, "case %s has no phone number to send an SMS to", no)
		}
		n.Status = redress.CustomerNoticePending
	case redress.NoticeEmail:
		if c.emailEnc == "" || c.Complainant.Email == "" {
			return nil, redress.Errorf(redress.ECONFLICT, "case %s has no e-mail address to send a notice to", no)
		}
		n.Status = redress.CustomerNoticePending
	case redress.NoticeLetter:
		n.Status = redress.CustomerNoticePrinted
	default:
		n.Status = redress.CustomerNoticeRecorded
		at := n.At
		n.SentAt = &at
	}
	u := redress.UserFrom(ctx)
	occasion := redress.NoticeOccasion(c.Case, r.Kind)
	id, _, status, err := liveNotice(ctx, tx, c.ID, r.Kind, occasion, r.Method)
	if err != nil {
		return nil, err
	}
	switch {
	case id != 0 && n.Status == redress.CustomerNoticeRecorded && status == redress.CustomerNoticePending:
		// The task the lifecycle left: the call or talk is recorded now.
		if _, err := tx.ExecContext(ctx, `UPDATE customer_notices SET status = ?, proof = ?, sent_at = ?, by_id = ? WHERE id = ?`,
			n.Status, n.Proof, timeText(n.At), u.ID, id); err != nil {
			return nil, fmt.Errorf("record notice: %w", err)
		}
		out, err := s.byID(ctx, tx, c, id)
		if err != nil {
			return nil, err
		}
		return out, s.noticeEvent(ctx, tx, u, out, "recorded "+string(n.Kind)+" by "+string(n.Method))
	case id != 0:
		return nil, redress.Errorf(redress.ECONFLICT, "the customer of case %s is already told this %s by %s (notice %d, %s)",
			no, r.Kind, r.Method, id, status)
	}
	if err := s.db.insertNotice(ctx, tx, c.ID, n, occasion, u.ID, n.At); err != nil {
		return nil, err
	}
	return n, s.noticeEvent(ctx, tx, u, n, "sent "+string(n.Kind)+" by "+string(n.Method))
}

// byID reads one notice of the case.
func (s *CustomerNoticeService) byID(ctx context.Context, q querier, c *caseRow, id int64) (*redress.CustomerNotice, error) {
	notices, err := s.list(ctx, q, c)
	if err != nil {
		return nil, err
	}
	for _, n := range notices {
		if n.ID == id {
			return n, nil
		}
	}
	return nil, redress.Errorf(redress.ENOTFOUND, "case %s has no notice %d", c.No, id)
}

// noticeEvent records a notice's audit event case.notice.
func (s *CustomerNoticeService) noticeEvent(ctx context.Context, tx *Tx, u *redress.User, n *redress.CustomerNotice, what string) error {
	return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, n.Case), Actor: u.Login,
		Action: "case.notice", At: s.db.now(), Detail: fmt.Sprintf("notice %d %s (%s)", n.ID, what, n.Status),
		Changes: []redress.Change{{Field: "notice", After: string(n.Kind) + " " + string(n.Method) + " " + string(n.Status)}}})
}

// RecordPosting records that a letter (printed by hand, or queued by the
// lifecycle for printing) was posted, with its proof (挂号信号 …).
func (s *CustomerNoticeService) RecordPosting(ctx context.Context, no string, id int64, proof string) (*redress.CustomerNotice, error) {
	if err := redress.ValidatePostingProof(proof); err != nil {
		return nil, err
	}
	var out *redress.CustomerNotice
	err := s.db.inTx(ctx, func(tx *Tx) error {
		u, err := caseReaderFrom(ctx)
		if err != nil {
			return err
		}
		if !redress.MayRegister(u.Role) {
			return redress.Errorf(redress.EFORBIDDEN, "role %s may not record a posting", u.Role)
		}
		c, err := s.db.loadCase(ctx, tx, u, no)
		if err != nil {
			return err
		}
		now := s.db.now()
		res, err := tx.ExecContext(ctx, `UPDATE customer_notices SET status = ?, proof = ?, sent_at = ? WHERE id = ? AND case_id = ?
			AND method = ? AND status IN (?, ?)`, redress.CustomerNoticePosted, proof, timeText(now), id, c.ID, redress.NoticeLetter,
			redress.CustomerNoticePrinted, redress.CustomerNoticePending)
		if err != nil {
			return fmt.Errorf("record posting: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return redress.Errorf(redress.ECONFLICT, "notice %d of case %s is no printed letter waiting to be posted", id, no)
		}
		if out, err = s.byID(ctx, tx, c, id); err != nil {
			return err
		}
		return s.noticeEvent(ctx, tx, u, out, "posted")
	})
	return out, wrap("record posting", err)
}

// ListNotices lists the case's notices, oldest first, for a reader in scope.
func (s *CustomerNoticeService) ListNotices(ctx context.Context, no string) ([]*redress.CustomerNotice, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.db.loadCase(ctx, s.db.reads(), u, no)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, s.db.reads(), c)
}

func (s *CustomerNoticeService) list(ctx context.Context, q querier, c *caseRow) ([]*redress.CustomerNotice, error) {
	rows, err := q.QueryContext(ctx, `SELECT n.id, n.kind, n.method, n.lang, n.body, n.status, n.proof, u.login, n.created_at, n.sent_at,
		n.last_error FROM customer_notices n JOIN users u ON u.id = n.by_id WHERE n.case_id = ? ORDER BY n.id`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("list notices of %s: %w", c.No, err)
	}
	defer rows.Close()
	out := []*redress.CustomerNotice{}
	for rows.Next() {
		n := &redress.CustomerNotice{Case: c.No}
		var at, lastError string
		var sent sql.NullString
		if err := rows.Scan(&n.ID, &n.Kind, &n.Method, &n.Lang, &n.Body, &n.Status, &n.Proof, &n.By, &at, &sent, &lastError); err != nil {
			return nil, fmt.Errorf("list notices of %s: %w", c.No, err)
		}
		if n.At, err = parseTime(at); err != nil {
			return nil, err
		}
		if n.SentAt, err = parseNullTime(sent); err != nil {
			return nil, err
		}
		if n.Proof == "" && lastError != "" {
			n.Proof = lastError // a failed SMS: the delivery result is its record
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// CustomerOutbox is the outbox of the customers' SMS notices, in the shape
// the outbox loop sends from (jobs.OutboxStore): it claims pending SMS
// notices with the phone on their case opened, and records each delivery
// result as the notice's proof.
type CustomerOutbox struct{ db *DB }

// NewCustomerOutbox returns the customer outbox of db.
func NewCustomerOutbox(db *DB) *CustomerOutbox { return &CustomerOutbox{db: db} }

// ClaimNotifications claims up to limit pending SMS and e-mail notices (of
// the channels given) due at now for claimant until now+lease (as
// DB.ClaimNotifications does for staff), with To the customer's phone or
// e-mail address opened from its seal.
func (o *CustomerOutbox) ClaimNotifications(ctx context.Context, claimant string, channels []redress.NotifyChannel, now time.Time,
	limit int, lease time.Duration) ([]*redress.Notification, error) {
	if claimant == "" || limit < 1 || lease <= 0 {
		return nil, fmt.Errorf("claim customer notices: want a claimant, a positive limit and a positive lease")
	}
	// The notices of the channels with a sender: SMS to the case's phone,
	// e-mail to its address.
	methods := map[redress.NotifyChannel]redress.NoticeMethod{redress.NotifySMS: redress.NoticeSMS, redress.NotifyEmail: redress.NoticeEmail}
	var wanted []any
	for _, ch := range channels {
		if m, ok := methods[ch]; ok {
			wanted = append(wanted, m)
		}
	}
	if len(wanted) == 0 {
		return nil, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(wanted)), ", ")
	due := `status = ? AND method IN (` + in + `) AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)`
	dueArgs := append(append([]any{redress.CustomerNoticePending}, wanted...), timeText(now), timeText(now))
	args := append(append(append([]any{}, dueArgs...), limit, claimant, timeText(now.Add(lease))), dueArgs...)
	var out []*redress.Notification
	err := o.db.inTx(ctx, func(tx *Tx) error {
		ids, err := o.db.claimBatch(ctx, tx, "customer_notices", due, args)
		if err != nil || len(ids) == 0 {
			return err
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		rows, err := tx.QueryContext(ctx, `SELECT n.id, n.kind, n.method, n.body, n.attempts, n.created_at, c.no, c.c_phone_enc, c.c_email_enc
			FROM customer_notices n JOIN cases c ON c.id = n.case_id WHERE n.id IN (`+marks+`) ORDER BY n.next_attempt_at, n.id`, ids...)
		if err != nil {
			return err
		}
		var claimed []*redress.Notification
		var surveys = map[int64]bool{}
		for rows.Next() {
			n := &redress.Notification{Kind: "customer_notice", Status: redress.NotifyPending}
			var kind redress.CustomerNoticeKind
			var method redress.NoticeMethod
			var created, phone, email string
			if err := rows.Scan(&n.ID, &kind, &method, &n.Body, &n.Attempts, &created, &n.CaseNo, &phone, &email); err != nil {
				rows.Close()
				return err
			}
			surveys[n.ID] = kind == redress.NoticeSurvey
			if n.CreatedAt, err = parseTime(created); err != nil {
				return err
			}
			sealed, field := phone, "phone"
			n.Channel = redress.NotifySMS
			if method == redress.NoticeEmail {
				// The subject names the case by its number only, as the body does.
				sealed, field, n.Channel, n.Subject = email, "email", redress.NotifyEmail, "投诉处理告知 / Complaint notice "+n.CaseNo
			}
			if n.To, err = o.db.open(sealed, piiAAD(n.CaseNo, field)); err != nil {
				rows.Close()
				return fmt.Errorf("notice %d: %w", n.ID, err)
			}
			claimed = append(claimed, n)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, n := range claimed {
			if surveys[n.ID] { // the survey SMS: its token is issued now (customer_notice_auto.go)
				body, ok, err := o.db.surveyLink(ctx, tx, n.CaseNo, n.Body, now)
				if err != nil {
					return err
				}
				if !ok {
					if err := dropNotice(ctx, tx, n.ID, "the return visit no longer waits for an answer"); err != nil {
						return err
					}
					continue
				}
				n.Body = body
			}
			out = append(out, n)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim customer notices: %w", err)
	}
	return out, nil
}

// FinishNotification records the delivery result of a notice claimant
// holds: sent (its proof: the gateway accepted it, and when), pending
// again, failed or dead (the error, recipient masked, is its record).
func (o *CustomerOutbox) FinishNotification(ctx context.Context, id int64, claimant string, d redress.Delivery) error {
	next, proof := d.At, ""
	var sentAt any
	switch d.Status {
	case redress.NotifySent:
		sentAt = timeText(d.At)
		var method redress.NoticeMethod
		if err := o.db.reads().QueryRowContext(ctx, `SELECT method FROM customer_notices WHERE id = ?`, id).Scan(&method); err != nil {
			return fmt.Errorf("finish customer notice %d: %w", id, err)
		}
		proof = "SMS gateway accepted "
		if method == redress.NoticeEmail {
			proof = "mail server accepted "
		}
		proof += d.At.In(redress.Beijing).Format("2006-01-02 15:04:05")
	case redress.NotifyPending:
		next = d.RetryAt
	case redress.NotifyFailed, redress.NotifyDead:
	default:
		return fmt.Errorf("finish customer notice %d: unknown status %q", id, d.Status)
	}
	res, err := o.db.writes().ExecContext(ctx, `UPDATE customer_notices SET status = ?, attempts = attempts + 1,
		next_attempt_at = ?, sent_at = ?, proof = ?, last_error = ?, claimed_by = '', claimed_until = NULL
		WHERE id = ? AND claimed_by = ? AND status = ?`,
		string(d.Status), timeText(next), sentAt, proof, d.Error, id, claimant, redress.CustomerNoticePending)
	if err != nil {
		return fmt.Errorf("finish customer notice %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(fmt.Errorf("finish customer notice %d: no longer claimed by %s (its lease ran out)", id, claimant), err)
	}
	return nil
}
