package redress

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// NotifyChannel is how a notification reaches a person.
type NotifyChannel string

// The notification channels.
const (
	NotifyEmail NotifyChannel = "email"  // 电子邮件, over SMTP
	NotifySMS   NotifyChannel = "sms"    // 短信, through the bank's SMS gateway
	NotifyInApp NotifyChannel = "in_app" // 站内消息, a row the user sees in Redress
)

// NotifyChannels lists every notification channel.
var NotifyChannels = []NotifyChannel{NotifyEmail, NotifySMS, NotifyInApp}

// Valid reports whether c is a known notification channel.
func (c NotifyChannel) Valid() bool { return oneOf(c, NotifyChannels) }

// NotifyStatus is where a notification stands in the outbox.
type NotifyStatus string

// The notification statuses. An in-app notification is stored as sent: the
// row is the delivery.
const (
	NotifyPending NotifyStatus = "pending" // waiting to be sent, or to be retried
	NotifySent    NotifyStatus = "sent"    // handed over (or stored, in-app)
	NotifyFailed  NotifyStatus = "failed"  // a permanent failure: retrying cannot help
	NotifyDead    NotifyStatus = "dead"    // temporary failures until MaxAttempts ran out
)

// NotifyKind says what a notification is about.
type NotifyKind string

// The kinds of notification.
const (
	NotifyDueSoon         NotifyKind = "due_soon"         // a case's clock ends within the due-soon window
	NotifyOverdue         NotifyKind = "overdue"          // a case's clock has run out
	NotifyCalendarMissing NotifyKind = "calendar_missing" // to admins: a year's holiday schedule is missing
	NotifyReviewRequested NotifyKind = "review_requested" // to the reviewing unit: a customer asked for 核查, 复查 or 复核
	// NotifyVisitDissatisfied goes to the case's managers: the customer was
	// dissatisfied at the return visit; reopen the case or open a 核查.
	NotifyVisitDissatisfied NotifyKind = "return_visit_dissatisfied"
)

// Notification is one message to one person by one channel: a deadline
// reminder, an escalation, an alert to administrators. The outbox stores it
// for a user, never with an address: To is resolved when it is sent.
type Notification struct {
	ID        int64         `json:"id"`      // outbox row; 0 before it is stored
	Channel   NotifyChannel `json:"channel"` // which Sender delivers it
	To        string        `json:"-"`       // address, mobile or (in-app) login: resolved only to send, never answered
	Kind      NotifyKind    `json:"kind"`
	Subject   string        `json:"subject"`        // e-mail subject; SMS has none and ignores it
	Body      string        `json:"body"`           // plain text
	CaseNo    string        `json:"case,omitempty"` // tracking number of the case it is about, if any
	Status    NotifyStatus  `json:"-"`              // outbox state; an in-app notification is always sent
	Attempts  int           `json:"-"`              // sending attempts made so far
	CreatedAt time.Time     `json:"created_at"`
	ReadAt    *time.Time    `json:"read_at,omitempty"` // in-app: when its user marked it read
}

// MaskedTo returns the recipient masked for errors and logs: 138****5678 for
// a phone number, z***@example.com for an e-mail address. An in-app login is
// not personal data and is returned as it is.
func (n Notification) MaskedTo() string {
	switch n.Channel {
	case NotifyEmail:
		return MaskEmail(n.To)
	case NotifyInApp:
		return n.To
	default:
		return MaskPhone(n.To)
	}
}

// MaskEmail masks an e-mail address for errors and logs: the first character
// of the mailbox and the whole domain are kept (z***@example.com), so that
// "every mail to one provider bounces" can still be seen. The mailbox length
// is not revealed. A string without an @ is masked as a whole.
func MaskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return maskMiddle(s, 0, 0)
	}
	local, domain := s[:at], s[at+1:]
	first, _ := utf8.DecodeRuneInString(local)
	if local == "" || first == utf8.RuneError {
		return "***@" + domain
	}
	return string(first) + "***@" + domain
}

// Sender delivers notifications on one channel (package notify has the e-mail
// and SMS senders; in-app notifications are stored rows and need none).
//
// Send returns nil once the message has been handed over: accepted by the SMTP
// server or by the SMS gateway. Otherwise its error tells the outbox whether
// to try again:
//
//   - a permanent failure, for which IsPermanent(err) is true, will fail the
//     same way on every attempt: an invalid address or number, a recipient
//     the SMTP server refuses with a 5xx reply, a message the SMS gateway
//     rejects with a 4xx status. The outbox marks the notification failed.
//   - every other error is temporary and worth retrying later: the network,
//     a timeout or cancelled ctx, an SMTP 4xx reply, a gateway 5xx status, a
//     server or configuration fault that an administrator can fix (TLS,
//     authentication). The outbox retries it with backoff, up to its limit.
//
// Errors never contain the recipient's phone number or e-mail address in
// clear, nor a gateway's or server's reply with them in it: they are masked
// (see MaskPhone, MaskEmail, Notification.MaskedTo), so the error can be
// logged and stored as it is. Send is safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, n Notification) error
}

// PermanentError marks a send failure that retrying cannot fix. Make one with
// Permanent and test for it with IsPermanent.
type PermanentError struct {
	Err error
}

// Error returns the message of the underlying error.
func (e *PermanentError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as a permanent failure; it returns nil for nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err, or any error it wraps, is a
// *PermanentError. A nil error is not permanent.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// MaxAttempts is how many times the outbox tries to send a notification
// that keeps failing temporarily before it gives up and marks it dead.
const MaxAttempts = 10

// MaxRetryDelay caps the wait between two attempts.
const MaxRetryDelay = time.Hour

// RetryDelay returns how long the outbox waits after the given failed
// attempt (1 for the first) before trying again: 1, 2, 4, 8 … minutes,
// capped at MaxRetryDelay.
func RetryDelay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 7 { // 2^6 minutes already exceeds the cap
		return MaxRetryDelay
	}
	return min(time.Duration(1<<(attempt-1))*time.Minute, MaxRetryDelay)
}

// Delivery is the outcome of one attempt to send an outbox notification, as
// the outbox records it.
type Delivery struct {
	Status  NotifyStatus // sent; pending (try again at RetryAt); failed; dead
	At      time.Time    // when the attempt ended
	RetryAt time.Time    // for pending: the earliest time of the next attempt
	Error   string       // why it failed, with the recipient masked; "" when sent
}

// maxErrorText bounds the error text stored with a notification.
const maxErrorText = 500

// NextDelivery decides what the outcome err of an attempt to send n means,
// given the attempts n had made before (n.Attempts): nil is sent; a
// permanent error (IsPermanent) is failed at once; any other error is
// retried after RetryDelay, until the MaxAttempts-th attempt fails, which
// makes it dead. The stored error text has n.To replaced by its masked form,
// as a second guard after the senders' own masking, and is cut to 500
// characters.
func NextDelivery(n Notification, err error, now time.Time) Delivery {
	if err == nil {
		return Delivery{Status: NotifySent, At: now}
	}
	text := err.Error()
	if n.To != "" {
		text = strings.ReplaceAll(text, n.To, n.MaskedTo())
	}
	if r := []rune(text); len(r) > maxErrorText {
		text = string(r[:maxErrorText]) + "…"
	}
	attempt := n.Attempts + 1
	switch {
	case IsPermanent(err):
		return Delivery{Status: NotifyFailed, At: now, Error: text}
	case attempt >= MaxAttempts:
		return Delivery{Status: NotifyDead, At: now, Error: fmt.Sprintf("gave up after %d attempts: %s", attempt, text)}
	default:
		return Delivery{Status: NotifyPending, At: now, RetryAt: now.Add(RetryDelay(attempt)), Error: text}
	}
}

// DueClock names a due date of a case that the deadline sweep watches, by
// the name of the case's column that holds it.
type DueClock string

// The watched clocks.
const (
	DueReply    DueClock = "reply_due"    // the branch reply (a petition: the acceptance notice)
	DueDecision DueClock = "decision_due" // the decision (a petition: its handling)
	// DueAgreedReply is the reply date agreed with the customer at the first
	// contact (约定回复时限, seed 002 Art.8(三)).
	DueAgreedReply DueClock = "agreed_reply_due"
	// DueReview is the due date of a review in progress: the opinion of a
	// 核查 (CBIRC Order 2020 No.3 Art.20) or a 复查/复核 (信访工作条例 Arts.35–36)
	// within 30 days of the request.
	DueReview DueClock = "review_due"
)

// DueClocks lists the watched clocks.
var DueClocks = []DueClock{DueReply, DueDecision, DueAgreedReply, DueReview}

// Escalates reports whether the sweep escalates a case whose clock is
// overdue: the regulatory clocks (branch reply, decision) do; a missed
// agreed reply date is notified only, since the law's clocks still run; a
// late review is notified only, since it already lies with the superior
// institution.
func (c DueClock) Escalates() bool { return c != DueAgreedReply && c != DueReview }

// Title names the clock in Chinese for a case of kind k, as notices say it.
func (c DueClock) Title(k Kind) string {
	switch {
	case c == DueReply && k == KindPetition:
		return "信访受理告知"
	case c == DueReply:
		return "网点答复"
	case c == DueAgreedReply:
		return "约定答复"
	case c == DueReview && k == KindPetition:
		return "复查/复核意见"
	case c == DueReview:
		return "核查意见"
	case k == KindPetition:
		return "信访办理"
	default:
		return "投诉处理"
	}
}

// DeadlineNotice is what the deadline sweep tells the people responsible
// for a case about one of its clocks: that it ends soon, or that it has run
// out (and what escalation followed). It holds no complainant personal data.
type DeadlineNotice struct {
	CaseNo      string
	CaseSubject string // the case's subject line
	Kind        Kind
	Clock       DueClock
	Due         Date
	Today       Date // the Beijing date of the sweep
	Overdue     bool
	// Due soon: the working days left after Today up to Due, or calendar days
	// when CalendarDays is set (the year's holiday schedule is missing).
	Remaining    int
	CalendarDays bool
	// Overdue: whether the sweep escalated the case, and its level after.
	Escalated bool
	Level     int
}

// noticeSubjectChars bounds how much of a case's subject a notice quotes.
const noticeSubjectChars = 40

// Text returns the in-app notice's subject and body in Chinese, e.g.
//
//	【投诉管理】案件 TS20261120-00001 网点答复期限将至
//	案件 TS20261120-00001（理财产品收益与宣传不符）的网点答复期限为 2026-11-23，剩余 1 个工作日，请及时处理。
//
// An in-app notice stays in the bank and may quote the case's subject; an
// e-mail or SMS leaves it and says ExternalText.
func (n DeadlineNotice) Text() (subject, body string) {
	about := "案件 " + n.CaseNo
	if s := strings.Join(strings.Fields(n.CaseSubject), " "); s != "" {
		if r := []rune(s); len(r) > noticeSubjectChars {
			s = string(r[:noticeSubjectChars]) + "…"
		}
		about += "（" + s + "）"
	}
	return n.text(about)
}

// ExternalText returns the subject and body of the notice as an e-mail or
// SMS says it: these leave the bank (a mail server, an SMS gateway, a
// phone's lock screen), so they carry the tracking number, what is due and
// the link to the case, and never the case's subject, its description or
// anyone's personal data, e.g.
//
//	【投诉管理】案件 TS20261120-00001 网点答复期限将至
//	案件 TS20261120-00001 的网点答复期限为 2026-11-23，剩余 1 个工作日，请及时处理。详情：https://redress.bank.example/cases/TS20261120-00001
//
// link is the case's page (CaseLink); "" leaves it out.
func (n DeadlineNotice) ExternalText(link string) (subject, body string) {
	subject, body = n.text("案件 " + n.CaseNo + " ")
	if link != "" {
		body += "详情：" + link
	}
	return subject, body
}

// Message returns what the notice says on channel ch: Text in-app,
// ExternalText(link) on every other channel (e-mail, SMS, and any channel
// added later: what leaves the bank is the default).
func (n DeadlineNotice) Message(ch NotifyChannel, link string) (subject, body string) {
	if ch == NotifyInApp {
		return n.Text()
	}
	return n.ExternalText(link)
}

// text is the notice's subject and body with about naming the case.
func (n DeadlineNotice) text(about string) (subject, body string) {
	title := n.Clock.Title(n.Kind)
	if !n.Overdue {
		var left string
		switch {
		case n.Due == n.Today:
			left = "今日到期"
		case n.CalendarDays:
			left = fmt.Sprintf("剩余 %d 天（节假日安排缺失，按自然日计算）", n.Remaining)
		case n.Remaining == 0:
			left = "到期前已无工作日"
		default:
			left = fmt.Sprintf("剩余 %d 个工作日", n.Remaining)
		}
		return fmt.Sprintf("【投诉管理】案件 %s %s期限将至", n.CaseNo, title),
			fmt.Sprintf("%s的%s期限为 %s，%s，请及时处理。", about, title, n.Due, left)
	}
	var next string
	switch {
	case n.Escalated && n.Level >= 4:
		next = "已自动升级至第 4 级（总行）。"
	case n.Escalated:
		next = fmt.Sprintf("已自动升级至第 %d 级。", n.Level)
	case !n.Clock.Escalates():
		next = "请尽快答复客户。"
	default:
		next = "案件已在总行（第 4 级），请尽快处理。"
	}
	return fmt.Sprintf("【投诉管理】案件 %s %s已超期", n.CaseNo, title),
		fmt.Sprintf("%s的%s期限为 %s，已超期 %d 天，%s", about, title, n.Due, n.Today.Sub(n.Due), next)
}

// CaseLink returns the address of a case's page under base, the address of
// the staff pages (https://redress.bank.example); with base "" it is the
// path alone (/cases/TS20261120-00001).
func CaseLink(base, no string) string {
	return strings.TrimRight(base, "/") + "/cases/" + url.PathEscape(no)
}

// CalendarMissingText returns the subject and body of the alert to
// administrators that a region's holiday schedule for a year is missing.
func CalendarMissingText(region string, year int) (subject, body string) {
	return fmt.Sprintf("【投诉管理】缺少 %d 年节假日安排（%s）", year, region),
		fmt.Sprintf("系统中没有 %s 地区 %d 年的节假日安排，无法按工作日计算期限，到期提醒暂按自然日计算。"+
			"请系统管理员按国务院办公厅发布的节假日安排通知，尽快添加 %d 年的节假日安排。", region, year, year)
}

// SweepReport counts what one deadline sweep did.
type SweepReport struct {
	Today         Date // the Beijing date swept
	WindowEnd     Date // due dates up to this one were due soon
	DueSoon       int  // due-soon notices (one per case and clock)
	Overdue       int  // overdue notices (one per case and clock)
	Escalated     int  // cases escalated one level
	Notifications int  // outbox rows written
	// CorrectiveOverdue counts the corrective actions (整改) past their due
	// date noticed for the first time: their owners and the managers above
	// were told.
	CorrectiveOverdue int
	// IncidentsEscalated counts the steps of emergency incidents' report
	// chains whose acknowledgement was overdue, escalated for the first time.
	IncidentsEscalated int
	// OpinionBooksMissed counts the outlets whose opinion book has gone
	// unchecked for redress.OpinionBookEscalateDays working days, newly
	// noticed.
	OpinionBooksMissed int
	// CalendarDays is set when the due-soon window was counted in calendar
	// days because a holiday schedule it needs is missing.
	CalendarDays bool
	// MissingYears lists the region-years ("CN 2027") that open cases or the
	// window need and that have no holiday schedule; NewAlerts those of them
	// this sweep alerted the administrators about (each is alerted once).
	MissingYears []string
	NewAlerts    []string
}

// NotificationFilter narrows the acting user's in-app notifications.
type NotificationFilter struct {
	Unread bool  // only those not yet read
	Before int64 // cursor: notifications with a smaller ID
	Limit  int   // 1-200, default 50
}

// NotificationPage is one page of in-app notifications, newest first.
type NotificationPage struct {
	Notifications []*Notification `json:"notifications"`
	NextBefore    int64           `json:"next_before,omitempty"`
}

// NotificationService lists and acknowledges the acting user's in-app
// notifications. Every signed-in user has an inbox; nobody sees another's.
type NotificationService interface {
	// ListNotifications returns the acting user's in-app notifications,
	// newest first.
	// Errors: EUNAUTHORIZED, EINVALID.
	ListNotifications(ctx context.Context, f NotificationFilter) (*NotificationPage, error)
	// MarkRead marks one of the acting user's notifications read; marking
	// it again changes nothing.
	// Errors: EUNAUTHORIZED, ENOTFOUND (also for another user's notification).
	MarkRead(ctx context.Context, id int64) error
	// MarkAllRead marks every one of the acting user's notifications read
	// and returns how many were unread.
	// Errors: EUNAUTHORIZED.
	MarkAllRead(ctx context.Context) (int, error)
	// CountUnread counts the acting user's unread in-app notifications (the
	// header's badge).
	// Errors: EUNAUTHORIZED.
	CountUnread(ctx context.Context) (int, error)
}
