package redress

import (
	"context"
	"errors"
	"strings"
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

// Notification is one message to one person: a deadline reminder, an
// assignment, a reply to a complainant.
type Notification struct {
	ID      int64         // outbox row; 0 before it is stored
	Channel NotifyChannel // which Sender delivers it
	To      string        // an e-mail address, a mobile number, or (in-app) a user login
	Subject string        // e-mail subject; SMS has none and ignores it
	Body    string        // plain text
	CaseNo  string        // tracking number of the case it is about, if any
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
// notifications.
type NotificationService interface {
	// ListNotifications returns the acting user's in-app notifications.
	// Errors: EUNAUTHORIZED, EINVALID.
	ListNotifications(ctx context.Context, f NotificationFilter) (*NotificationPage, error)
	// MarkRead marks one of the acting user's notifications read.
	// Errors: EUNAUTHORIZED, ENOTFOUND (also for another user's notification).
	MarkRead(ctx context.Context, id int64) error
}
