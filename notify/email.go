// Package notify sends notifications by e-mail (SMTP) and SMS (an HTTP gateway) behind the redress.Sender interface.
package notify

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"redress"
)

// The values of EmailConfig.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, which is required (default port 587)
	TLSImplicit = "tls"      // TLS from the first byte, "SMTPS" (default port 465)
	TLSNone     = "none"     // no encryption at all; for a relay on the same host or in tests (default port 25)
)

// DefaultTimeout bounds one delivery (connect, TLS, authentication and
// sending) when a config leaves Timeout at zero.
const DefaultTimeout = 15 * time.Second

// EmailConfig is how Redress reaches its outgoing SMTP server. The command
// fills it from the environment (see EmailConfigFromEnv):
//
//	REDRESS_SMTP_HOST      server host name; e-mail is off when unset
//	REDRESS_SMTP_PORT      server port; default 587, 465 or 25 by REDRESS_SMTP_TLS
//	REDRESS_SMTP_USER      login for SMTP AUTH; no authentication when unset
//	REDRESS_SMTP_PASSWORD  password for SMTP AUTH
//	REDRESS_SMTP_FROM      the From address, e.g. "某某银行投诉管理 <redress@bank.example>"
//	REDRESS_SMTP_TLS       starttls (default), tls or none
type EmailConfig struct {
	Host     string
	Port     int // 0 picks the usual port for TLS
	Username string
	Password string
	From     string        // an RFC 5322 address, with or without a display name
	TLS      string        // TLSStartTLS (the default when empty), TLSImplicit or TLSNone
	Timeout  time.Duration // per delivery; 0 means DefaultTimeout
}

// EmailConfigFromEnv reads the REDRESS_SMTP_* variables (listed on
// EmailConfig) through getenv, usually os.Getenv, and checks them. When
// REDRESS_SMTP_HOST is unset e-mail is off: it returns the zero EmailConfig
// and no error, and the caller configures no e-mail sender. An error names
// the variable at fault and what it should hold; it never repeats the password.
func EmailConfigFromEnv(getenv func(string) string) (EmailConfig, error) {
	cfg := EmailConfig{
		Host:     strings.TrimSpace(getenv("REDRESS_SMTP_HOST")),
		Username: getenv("REDRESS_SMTP_USER"),
		Password: getenv("REDRESS_SMTP_PASSWORD"),
		From:     strings.TrimSpace(getenv("REDRESS_SMTP_FROM")),
		TLS:      strings.ToLower(strings.TrimSpace(getenv("REDRESS_SMTP_TLS"))),
	}
	if cfg.Host == "" {
		return EmailConfig{}, nil
	}
	if port := strings.TrimSpace(getenv("REDRESS_SMTP_PORT")); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return EmailConfig{}, fmt.Errorf("REDRESS_SMTP_PORT=%q: want a port number from 1 to 65535", port)
		}
		cfg.Port = n
	}
	if err := cfg.validate(); err != nil {
		return EmailConfig{}, err
	}
	return cfg, nil
}

// validate checks cfg, naming the environment variable of a bad field.
func (cfg EmailConfig) validate() error {
	if cfg.Host == "" {
		return errors.New("REDRESS_SMTP_HOST is empty: want the SMTP server's host name")
	}
	if strings.ContainsAny(cfg.Host, " /:") {
		return fmt.Errorf("REDRESS_SMTP_HOST=%q: want a bare host name; put the port in REDRESS_SMTP_PORT", cfg.Host)
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return fmt.Errorf("REDRESS_SMTP_PORT=%d: want a port number from 1 to 65535", cfg.Port)
	}
	switch cfg.TLS {
	case "", TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("REDRESS_SMTP_TLS=%q: want %s (STARTTLS, usually port 587), %s (implicit TLS, usually port 465) or %s (no encryption)",
			cfg.TLS, TLSStartTLS, TLSImplicit, TLSNone)
	}
	if cfg.From == "" {
		return errors.New(`REDRESS_SMTP_FROM is empty: want the sender address, e.g. "某某银行 <redress@bank.example>"`)
	}
	if _, err := mail.ParseAddress(cfg.From); err != nil {
		return fmt.Errorf("REDRESS_SMTP_FROM=%q: not an e-mail address: %w", cfg.From, err)
	}
	if cfg.Username == "" && cfg.Password != "" {
		return errors.New("REDRESS_SMTP_PASSWORD is set but REDRESS_SMTP_USER is empty: set both for SMTP AUTH, or neither")
	}
	if cfg.Timeout < 0 {
		return fmt.Errorf("e-mail timeout %v: want a positive duration", cfg.Timeout)
	}
	return nil
}

// EmailSender sends e-mail notifications through one SMTP server. Each Send
// opens its own connection, so an EmailSender is safe for concurrent use.
type EmailSender struct {
	client *gomail.Client
	from   string
}

// NewEmailSender checks cfg and prepares a sender; it does not connect.
// With a username it authenticates with the best mechanism the server offers
// (PLAIN and LOGIN only over TLS).
func NewEmailSender(cfg EmailConfig) (*EmailSender, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("notify: e-mail config: %w", err)
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	switch cfg.TLS {
	case "", TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithPort(portOr(cfg.Port, 587)))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(portOr(cfg.Port, 465)))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithPort(portOr(cfg.Port, 25)))
	}
	if cfg.Username != "" {
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username),
			gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: e-mail client for %s: %w", cfg.Host, err)
	}
	return &EmailSender{client: client, from: cfg.From}, nil
}

func portOr(port, fallback int) int {
	if port == 0 {
		return fallback
	}
	return port
}

// Send delivers n as a plain-text UTF-8 e-mail: the subject is encoded as an
// RFC 2047 word and the body as quoted-printable, so Chinese arrives intact.
// Its errors follow the redress.Sender contract: an invalid address (one bare
// address, no display name) and an SMTP 5xx reply to MAIL, RCPT or DATA are
// permanent; failing to connect, STARTTLS or authenticate, and SMTP 4xx
// replies, are temporary. ctx bounds the connection; the configured Timeout
// bounds each step after it.
func (s *EmailSender) Send(ctx context.Context, n redress.Notification) error {
	if n.Channel == "" {
		n.Channel = redress.NotifyEmail // so that errors mask To as an e-mail address
	}
	if n.Channel != redress.NotifyEmail {
		return redress.Permanent(fmt.Errorf("notify: %s: not an e-mail notification", describe(n)))
	}
	to, err := mail.ParseAddress(n.To)
	if err != nil || to.Name != "" {
		return redress.Permanent(fmt.Errorf("notify: %s: invalid e-mail address", describe(n)))
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("notify: %s: From address: %w", describe(n), err)
	}
	msg.ToMailAddress(to)
	// A line break in a header would end it early; a subject is one line.
	msg.Subject(strings.Join(strings.Fields(n.Subject), " "))
	msg.SetUserAgent("Redress")
	if n.CaseNo != "" {
		msg.SetGenHeader("X-Redress-Case", n.CaseNo)
	}
	msg.SetBodyString(gomail.TypeTextPlain, n.Body)

	// Dial and send separately: a failure before the message is offered is
	// the connection's or the configuration's, never the message's.
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		// Nothing about the recipient has been said yet, so the error
		// (network, TLS, authentication) can be wrapped as it is.
		return fmt.Errorf("notify: %s: connect to SMTP server: %w", describe(n), err)
	}
	// Once DATA is accepted the message is sent; a failing QUIT does not
	// undo that, and reporting it would make the outbox send it twice.
	defer func() { _ = s.client.CloseWithSMTPClient(conn) }()
	if err := s.client.SendWithSMTPClient(conn, msg); err != nil {
		return classifySMTP(n, err)
	}
	return nil
}

// classifySMTP turns a go-mail send error into a permanent or temporary error.
// go-mail's text lists the recipients and quotes the server, which often
// repeats the address, so the text is scrubbed and the original is not
// wrapped: nothing down the chain holds the address in clear.
func classifySMTP(n redress.Notification, err error) error {
	text := fmt.Sprintf("notify: %s: %s", describe(n), scrub(err.Error()))
	var sendErr *gomail.SendError
	if !errors.As(err, &sendErr) {
		return errors.New(text)
	}
	switch {
	case sendErr.ErrorCode() >= 500 && sendErr.ErrorCode() < 600:
		return redress.Permanent(errors.New(text))
	case sendErr.Reason == gomail.ErrGetSender || sendErr.Reason == gomail.ErrGetRcpts:
		return redress.Permanent(errors.New(text))
	default:
		return errors.New(text)
	}
}

// describe names a notification for an error message, recipient masked.
func describe(n redress.Notification) string {
	var b strings.Builder
	b.WriteString("notification")
	if n.ID != 0 {
		b.WriteString(" ")
		b.WriteString(strconv.FormatInt(n.ID, 10))
	}
	if n.Channel != "" {
		b.WriteString(" by ")
		b.WriteString(string(n.Channel))
	}
	b.WriteString(" to ")
	b.WriteString(n.MaskedTo())
	if n.CaseNo != "" {
		b.WriteString(" for case ")
		b.WriteString(n.CaseNo)
	}
	return b.String()
}

var (
	// emailLike matches anything shaped like an e-mail address in free text.
	emailLike = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)
	// digitRun matches a phone-number-like run: 7 or more digits, optionally
	// after a + and with spaces or hyphens between groups.
	digitRun = regexp.MustCompile(`\+?\d(?:[ -]?\d){6,}`)
	// isoDate is a date that digitRun would match but that is no number.
	isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// scrub masks every e-mail address and phone-number-like digit run in text
// from a server, a gateway or a library, so that it can go into an error.
// Other long numbers (request IDs, timestamps) are masked too: better a
// masked ID than a number in clear. It also flattens the text to one line.
func scrub(text string) string {
	text = emailLike.ReplaceAllStringFunc(text, redress.MaskEmail)
	text = digitRun.ReplaceAllStringFunc(text, func(s string) string {
		if isoDate.MatchString(s) {
			return s
		}
		return redress.MaskPhone(strings.NewReplacer(" ", "", "-", "").Replace(s))
	})
	return strings.Join(strings.Fields(text), " ")
}
