package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"redress"
)

// mailbox is an in-process SMTP backend that keeps what it accepts and can
// refuse every recipient with a given reply.
type mailbox struct {
	mu         sync.Mutex
	rejectRcpt *smtp.SMTPError
	received   []envelope
}

// envelope is one message as the server received it.
type envelope struct {
	from string
	to   []string
	data []byte
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: b}, nil }

func (b *mailbox) messages() []envelope {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]envelope(nil), b.received...)
}

type mailSession struct {
	box  *mailbox
	from string
	to   []string
}

func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.box.rejectRcpt != nil {
		return s.box.rejectRcpt
	}
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.received = append(s.box.received, envelope{from: s.from, to: s.to, data: data})
	return nil
}

// startSMTP runs a real SMTP server for box on a loopback port and returns
// its host and port.
func startSMTP(t *testing.T, box *mailbox) (string, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	addr := ln.Addr().(*net.TCPAddr)
	return addr.IP.String(), addr.Port
}

// downAddress returns a loopback port where nothing listens.
func downAddress(t *testing.T) (string, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr.IP.String(), addr.Port
}

func newTestEmailSender(t *testing.T, host string, port int, tlsMode string) *EmailSender {
	t.Helper()
	s, err := NewEmailSender(EmailConfig{
		Host:    host,
		Port:    port,
		From:    "某某银行投诉管理 <redress@bank.example>",
		TLS:     tlsMode,
		Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatalf("NewEmailSender: %v", err)
	}
	return s
}

const (
	testEmail   = "zhang.san@customer.example"
	testSubject = "投诉案件 TS20261120-00001 即将到期"
	testBody    = "王经理：\n\n投诉案件 TS20261120-00001（信用卡年费争议）将于 2026年11月27日 到期，请及时处理并答复客户。\n\n——Redress 投诉管理系统"
)

func testEmailNotification() redress.Notification {
	return redress.Notification{
		ID:      42,
		Channel: redress.NotifyEmail,
		To:      testEmail,
		Subject: testSubject,
		Body:    testBody,
		CaseNo:  "TS20261120-00001",
	}
}

// assertNoAddress fails if err shows the address, or its mailbox, in clear.
func assertNoAddress(t *testing.T, err error, addr string) {
	t.Helper()
	local, _, _ := strings.Cut(addr, "@")
	if strings.Contains(err.Error(), addr) || strings.Contains(err.Error(), local) {
		t.Errorf("error shows the address %q in clear: %v", addr, err)
	}
}

func TestEmailSendDeliversChinese(t *testing.T) {
	box := &mailbox{}
	host, port := startSMTP(t, box)
	s := newTestEmailSender(t, host, port, TLSNone)

	if err := s.Send(context.Background(), testEmailNotification()); err != nil {
		t.Fatalf("Send: %v", err)
	}

	got := box.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	env := got[0]
	if env.from != "redress@bank.example" {
		t.Errorf("MAIL FROM = %q, want redress@bank.example", env.from)
	}
	if len(env.to) != 1 || env.to[0] != testEmail {
		t.Errorf("RCPT TO = %q, want [%s]", env.to, testEmail)
	}

	msg, err := mail.ReadMessage(bytes.NewReader(env.data))
	if err != nil {
		t.Fatalf("parse received message: %v\n%s", err, env.data)
	}
	rawSubject := msg.Header.Get("Subject")
	if !strings.HasPrefix(strings.ToUpper(rawSubject), "=?UTF-8?") {
		t.Errorf("Subject header %q is not an RFC 2047 UTF-8 encoded word", rawSubject)
	}
	dec := &mime.WordDecoder{}
	subject, err := dec.DecodeHeader(rawSubject)
	if err != nil {
		t.Fatalf("decode subject %q: %v", rawSubject, err)
	}
	if subject != testSubject {
		t.Errorf("subject = %q, want %q", subject, testSubject)
	}

	parser := &mail.AddressParser{WordDecoder: dec}
	from, err := parser.Parse(msg.Header.Get("From"))
	if err != nil {
		t.Fatalf("parse From %q: %v", msg.Header.Get("From"), err)
	}
	if from.Name != "某某银行投诉管理" || from.Address != "redress@bank.example" {
		t.Errorf("From = %q <%s>, want 某某银行投诉管理 <redress@bank.example>", from.Name, from.Address)
	}
	to, err := parser.Parse(msg.Header.Get("To"))
	if err != nil {
		t.Fatalf("parse To %q: %v", msg.Header.Get("To"), err)
	}
	if to.Address != testEmail {
		t.Errorf("To = %q, want %s", to.Address, testEmail)
	}
	if got := msg.Header.Get("X-Redress-Case"); got != "TS20261120-00001" {
		t.Errorf("X-Redress-Case = %q, want TS20261120-00001", got)
	}

	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "text/plain" || !strings.EqualFold(params["charset"], "UTF-8") {
		t.Errorf("Content-Type = %q, want text/plain; charset=UTF-8", msg.Header.Get("Content-Type"))
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	text := strings.TrimRight(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	if text != testBody {
		t.Errorf("body =\n%q\nwant\n%q", text, testBody)
	}
}

func TestEmailRecipientRejectedIsPermanent(t *testing.T) {
	box := &mailbox{rejectRcpt: &smtp.SMTPError{
		Code:         550,
		EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message:      "<" + testEmail + ">: Recipient address rejected: User unknown",
	}}
	host, port := startSMTP(t, box)
	s := newTestEmailSender(t, host, port, TLSNone)

	err := s.Send(context.Background(), testEmailNotification())
	t.Logf("Send: %v", err)
	if err == nil {
		t.Fatal("Send succeeded, want the recipient rejected")
	}
	if !redress.IsPermanent(err) {
		t.Errorf("a 550 for the recipient is temporary, want permanent: %v", err)
	}
	if !strings.Contains(err.Error(), "550") || !strings.Contains(err.Error(), "z***@customer.example") {
		t.Errorf("error should name the reply code and the masked address: %v", err)
	}
	assertNoAddress(t, err, testEmail)
	for e := err; e != nil; e = errors.Unwrap(e) {
		assertNoAddress(t, e, testEmail)
	}
	if n := len(box.messages()); n != 0 {
		t.Errorf("server received %d messages, want 0", n)
	}
}

func TestEmailRecipientDeferredIsTemporary(t *testing.T) {
	box := &mailbox{rejectRcpt: &smtp.SMTPError{
		Code:         451,
		EnhancedCode: smtp.EnhancedCode{4, 7, 1},
		Message:      "<" + testEmail + ">: Greylisted, try again later",
	}}
	host, port := startSMTP(t, box)
	s := newTestEmailSender(t, host, port, TLSNone)

	err := s.Send(context.Background(), testEmailNotification())
	t.Logf("Send: %v", err)
	if err == nil {
		t.Fatal("Send succeeded, want the recipient deferred")
	}
	if redress.IsPermanent(err) {
		t.Errorf("a 451 for the recipient is permanent, want temporary: %v", err)
	}
	assertNoAddress(t, err, testEmail)
}

func TestEmailServerDownIsTemporary(t *testing.T) {
	host, port := downAddress(t)
	s := newTestEmailSender(t, host, port, TLSNone)

	err := s.Send(context.Background(), testEmailNotification())
	t.Logf("Send: %v", err)
	if err == nil {
		t.Fatal("Send succeeded with no server listening")
	}
	if redress.IsPermanent(err) {
		t.Errorf("an unreachable server is permanent, want temporary: %v", err)
	}
	var netErr *net.OpError
	if !errors.As(err, &netErr) {
		t.Errorf("error does not wrap the network error: %v", err)
	}
	assertNoAddress(t, err, testEmail)
}

func TestEmailStartTLSIsRequired(t *testing.T) {
	box := &mailbox{} // offers no STARTTLS
	host, port := startSMTP(t, box)
	s := newTestEmailSender(t, host, port, "") // default: starttls

	err := s.Send(context.Background(), testEmailNotification())
	t.Logf("Send: %v", err)
	if err == nil {
		t.Fatal("Send went out in clear to a server without STARTTLS")
	}
	if redress.IsPermanent(err) {
		t.Errorf("a server without STARTTLS is permanent, want temporary (configuration): %v", err)
	}
	if n := len(box.messages()); n != 0 {
		t.Errorf("server received %d messages, want 0", n)
	}
}

func TestEmailInvalidAddressIsPermanent(t *testing.T) {
	// Nothing listens: a permanent error proves no connection was tried.
	host, port := downAddress(t)
	s := newTestEmailSender(t, host, port, TLSNone)

	for _, to := range []string{
		"",
		"zhang.san",
		"zhang.san@",
		"张三 <zhang.san@customer.example>",
		"zhang.san@customer.example\r\nBcc: other@evil.example",
		"a@customer.example, b@customer.example",
	} {
		n := testEmailNotification()
		n.To = to
		err := s.Send(context.Background(), n)
		if !redress.IsPermanent(err) {
			t.Errorf("To %q: got %v, want a permanent error", to, err)
			continue
		}
		if to != "" && strings.Contains(err.Error(), to) {
			t.Errorf("To %q: error shows the address in clear: %v", to, err)
		}
	}

	n := testEmailNotification()
	n.Channel = redress.NotifySMS
	if err := s.Send(context.Background(), n); !redress.IsPermanent(err) {
		t.Errorf("an SMS notification: got %v, want a permanent error", err)
	}
}

func TestEmailConfigFromEnv(t *testing.T) {
	good := map[string]string{
		"REDRESS_SMTP_HOST":     "smtp.bank.example",
		"REDRESS_SMTP_PORT":     "465",
		"REDRESS_SMTP_USER":     "redress",
		"REDRESS_SMTP_PASSWORD": "s3cret-pass",
		"REDRESS_SMTP_FROM":     "某某银行 <redress@bank.example>",
		"REDRESS_SMTP_TLS":      "TLS",
	}
	with := func(key, value string) map[string]string {
		env := map[string]string{}
		for k, v := range good {
			env[k] = v
		}
		env[key] = value
		return env
	}
	getenv := func(env map[string]string) func(string) string {
		return func(key string) string { return env[key] }
	}

	cfg, err := EmailConfigFromEnv(getenv(good))
	if err != nil {
		t.Fatalf("good env: %v", err)
	}
	want := EmailConfig{Host: "smtp.bank.example", Port: 465, Username: "redress", Password: "s3cret-pass",
		From: "某某银行 <redress@bank.example>", TLS: TLSImplicit}
	if cfg != want {
		t.Errorf("config = %+v, want %+v", cfg, want)
	}
	if _, err := NewEmailSender(cfg); err != nil {
		t.Errorf("NewEmailSender(good config): %v", err)
	}

	cfg, err = EmailConfigFromEnv(getenv(with("REDRESS_SMTP_HOST", "")))
	if err != nil || cfg != (EmailConfig{}) {
		t.Errorf("no host: got %+v, %v; want e-mail off (zero config, no error)", cfg, err)
	}

	for _, tc := range []struct{ key, value string }{
		{"REDRESS_SMTP_PORT", "smtp"},
		{"REDRESS_SMTP_PORT", "70000"},
		{"REDRESS_SMTP_HOST", "smtp.bank.example:587"},
		{"REDRESS_SMTP_TLS", "ssl"},
		{"REDRESS_SMTP_FROM", ""},
		{"REDRESS_SMTP_FROM", "redress at bank"},
		{"REDRESS_SMTP_USER", ""},
	} {
		_, err := EmailConfigFromEnv(getenv(with(tc.key, tc.value)))
		if err == nil {
			t.Errorf("%s=%q: no error", tc.key, tc.value)
			continue
		}
		wantName := tc.key
		if tc.key == "REDRESS_SMTP_USER" {
			wantName = "REDRESS_SMTP_PASSWORD"
		}
		if !strings.Contains(err.Error(), wantName) {
			t.Errorf("%s=%q: error %q does not name %s", tc.key, tc.value, err, wantName)
		}
		if strings.Contains(err.Error(), "s3cret-pass") {
			t.Errorf("%s=%q: error shows the password: %v", tc.key, tc.value, err)
		}
	}
}

func TestScrub(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"550 5.1.1 <zhang.san@customer.example>: User unknown", "550 5.1.1 <z***@customer.example>: User unknown"},
		{`{"error":"bad number","to":"13812345678"}`, `{"error":"bad number","to":"138****5678"}`},
		{"号码 +86 138-1234-5678 无效", "号码 138****5678 无效"},
		{"quota\r\nexceeded for 2026-11-20", "quota exceeded for 2026-11-20"},
		{"dial tcp 127.0.0.1:2525: connection refused", "dial tcp 127.0.0.1:2525: connection refused"},
	} {
		if got := scrub(tc.in); got != tc.want {
			t.Errorf("scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
