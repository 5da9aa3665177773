package sqldb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"redress"
	"redress/jobs"
	"redress/notify"
)

func TestUserContactDetails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	admin := f.as("admin")
	users := NewUserService(f.db)
	u, err := users.CreateUser(admin, redress.NewUser{Login: "zhao.lei", Name: "赵磊", Role: redress.RoleManager, Org: "BJ-HD",
		Email: " zhao.lei@bank.example ", Mobile: "+86 139-1234-5678"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "zhao.lei@bank.example" || u.Mobile != "139****5678" {
		t.Fatalf("created user: email %q mobile %q", u.Email, u.Mobile)
	}
	var email, sealed string
	if err := f.db.read.QueryRowContext(ctx, `SELECT email, mobile_enc FROM users WHERE login = 'zhao.lei'`).Scan(&email, &sealed); err != nil {
		t.Fatal(err)
	}
	if email != "zhao.lei@bank.example" || strings.Contains(sealed, "5678") || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("stored contact: %q %q", email, sealed)
	}
	if plain, err := f.db.open(sealed, mobileAAD("zhao.lei")); err != nil || plain != "13912345678" {
		t.Fatalf("sealed mobile opens to %q, %v", plain, err)
	}
	if _, err := f.db.open(sealed, mobileAAD("mgr.bj")); err == nil {
		t.Fatal("a mobile number moved to another user still opens")
	}
	list, err := users.ListUsers(f.as("mgr.bj"), redress.UserFilter{Org: "BJ-HD"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range list {
		if x.Login == "zhao.lei" {
			found = x.Email == "zhao.lei@bank.example" && x.Mobile == "139****5678"
		}
	}
	if !found {
		t.Fatalf("the listed user lacks the masked contact details: %+v", list)
	}

	mobile, none := "13800001111", ""
	up, err := users.UpdateUser(admin, "zhao.lei", redress.UserUpdate{Mobile: &mobile, Email: &none})
	if err != nil {
		t.Fatal(err)
	}
	if up.Mobile != "138****1111" || up.Email != "" {
		t.Fatalf("updated user: %+v", up)
	}
	for _, bad := range []redress.UserUpdate{{Mobile: ptr("12345")}, {Email: ptr("not-an-address")}, {Mobile: ptr("010-12345678")}} {
		_, err := users.UpdateUser(admin, "zhao.lei", bad)
		wantCode(t, err, redress.EINVALID)
	}
	_, err = users.CreateUser(admin, redress.NewUser{Login: "bad.contact", Name: "某", Role: redress.RoleStaff, Org: "BJ", Email: "x@", Mobile: "1391234"})
	if fields := redress.ErrorFields(err); fields["email"] == "" || fields["mobile"] == "" {
		t.Fatalf("bad contact details: %v", err)
	}

	// The audit trail holds the contact details masked only.
	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Action: "user.", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(page)
	for _, clear := range []string{"13912345678", "13800001111", "zhao.lei@bank.example"} {
		if strings.Contains(string(raw), clear) {
			t.Fatalf("the audit trail holds %s in clear", clear)
		}
	}
	for _, masked := range []string{"139****5678", "138****1111", "z***@bank.example"} {
		if !strings.Contains(string(raw), masked) {
			t.Fatalf("the audit trail lacks %s", masked)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestNotificationInbox(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	to := func(login string) recipient { return recipient{id: f.users[login].ID, login: login} }
	for i := range 3 {
		err := f.db.inTx(ctx, func(tx *Tx) error {
			_, err := f.db.insertNotifications(ctx, tx, []recipient{to("mgr.bj"), to("staff.bj")}, nil,
				redress.Notification{Kind: redress.NotifyDueSoon, Subject: fmt.Sprintf("提醒 %d", i), Body: "正文", CaseNo: "TS20261120-00001"}, f.clock)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	svc := NewNotificationService(f.db)
	page, err := svc.ListNotifications(f.as("mgr.bj"), redress.NotificationFilter{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Notifications) != 2 || page.Notifications[0].Subject != "提醒 2" || page.NextBefore != page.Notifications[1].ID {
		t.Fatalf("first page: %+v", page)
	}
	next, err := svc.ListNotifications(f.as("mgr.bj"), redress.NotificationFilter{Before: page.NextBefore})
	if err != nil || len(next.Notifications) != 1 || next.Notifications[0].Subject != "提醒 0" || next.NextBefore != 0 {
		t.Fatalf("second page: %+v %v", next, err)
	}
	first := page.Notifications[0]
	if first.CreatedAt.IsZero() || first.ReadAt != nil || first.CaseNo != "TS20261120-00001" || first.Kind != redress.NotifyDueSoon {
		t.Fatalf("notification: %+v", first)
	}

	if err := svc.MarkRead(f.as("mgr.bj"), first.ID); err != nil {
		t.Fatal(err)
	}
	f.clock = f.clock.Add(time.Hour)
	if err := svc.MarkRead(f.as("mgr.bj"), first.ID); err != nil { // again: no change, no error
		t.Fatal(err)
	}
	unread, err := svc.ListNotifications(f.as("mgr.bj"), redress.NotificationFilter{Unread: true})
	if err != nil || len(unread.Notifications) != 2 {
		t.Fatalf("unread: %+v %v", unread, err)
	}
	all, _ := svc.ListNotifications(f.as("mgr.bj"), redress.NotificationFilter{})
	if all.Notifications[0].ReadAt == nil || !all.Notifications[0].ReadAt.Equal(f.clock.Add(-time.Hour)) {
		t.Fatalf("read at: %v", all.Notifications[0].ReadAt)
	}

	// Another user's notification is not found, and stays unread.
	wantCode(t, svc.MarkRead(f.as("staff.bj"), first.ID), redress.ENOTFOUND)
	wantCode(t, svc.MarkRead(f.as("staff.bj"), 99999), redress.ENOTFOUND)
	theirs, _ := svc.ListNotifications(f.as("staff.bj"), redress.NotificationFilter{Unread: true})
	if len(theirs.Notifications) != 3 {
		t.Fatalf("staff.bj has %d unread, want 3", len(theirs.Notifications))
	}
	wantCode(t, svc.MarkRead(f.as("staff.bj"), theirs.Notifications[0].ID+1000), redress.ENOTFOUND)
	mine := theirs.Notifications[0].ID
	wantCode(t, svc.MarkRead(f.as("mgr.bj"), mine), redress.ENOTFOUND)

	_, err = svc.ListNotifications(f.as("mgr.bj"), redress.NotificationFilter{Limit: 201})
	wantCode(t, err, redress.EINVALID)
	_, err = svc.ListNotifications(ctx, redress.NotificationFilter{})
	wantCode(t, err, redress.EUNAUTHORIZED)
	wantCode(t, svc.MarkRead(ctx, mine), redress.EUNAUTHORIZED)
	// Anyone signed in has an inbox, also roles that read no cases.
	if _, err := svc.ListNotifications(f.as("admin"), redress.NotificationFilter{}); err != nil {
		t.Fatal(err)
	}
}

// smtpBox is an in-process SMTP backend: it keeps what it accepts, defers
// some recipients with 451 a number of times, and refuses others with 550.
type smtpBox struct {
	mu       sync.Mutex
	deferred map[string]int  // address → 451 replies still to give
	refused  map[string]bool // address → 550
	received []smtpMessage
}

// smtpMessage is one accepted message, decoded.
type smtpMessage struct {
	to            string
	subject, body string
	caseNo        string
}

func (b *smtpBox) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{box: b}, nil }

func (b *smtpBox) messages() []smtpMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]smtpMessage(nil), b.received...)
}

type smtpSession struct {
	box *smtpBox
	to  string
}

func (s *smtpSession) Reset()                                    { s.to = "" }
func (s *smtpSession) Logout() error                             { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error { return s.box.rcpt(to, s) }

func (b *smtpBox) rcpt(to string, s *smtpSession) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refused[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: Recipient address rejected: User unknown"}
	}
	if b.deferred[to] > 0 {
		b.deferred[to]--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "<" + to + ">: Greylisted, try again later"}
	}
	s.to = to
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	defer s.box.mu.Unlock()
	s.box.received = append(s.box.received, smtpMessage{to: s.to, subject: subject, caseNo: msg.Header.Get("X-Redress-Case"),
		body: strings.TrimRight(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")})
	return nil
}

// startSMTPSender runs a real SMTP server for box on a loopback port and
// returns an e-mail sender that delivers to it.
func startSMTPSender(t *testing.T, box *smtpBox) *notify.EmailSender {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	addr := ln.Addr().(*net.TCPAddr)
	sender, err := notify.NewEmailSender(notify.EmailConfig{Host: addr.IP.String(), Port: addr.Port,
		From: "某某银行投诉管理 <redress@bank.example>", TLS: notify.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return sender
}

// setContact gives a fixture user an e-mail address and a mobile number.
func (f *fixture) setContact(t *testing.T, login, email, mobile string) {
	t.Helper()
	if _, err := NewUserService(f.db).UpdateUser(f.as("admin"), login, redress.UserUpdate{Email: &email, Mobile: &mobile}); err != nil {
		t.Fatal(err)
	}
}

// logBuffer is a logger whose output a test can read.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// outboxRow is a notification's outbox state.
type outboxRow struct {
	status    redress.NotifyStatus
	attempts  int
	next      string
	lastError string
	claimedBy string
}

func (f *fixture) outboxRows(t *testing.T, channel redress.NotifyChannel) []outboxRow {
	t.Helper()
	rows, err := f.db.read.Query(f.db.dialect.rebind(`SELECT status, attempts, next_attempt_at, last_error, claimed_by FROM notifications
		WHERE channel = ? ORDER BY id`), channel)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.status, &r.attempts, &r.next, &r.lastError, &r.claimedBy); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestOutboxSendsTheSweepByEmail(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	box := &smtpBox{}
	sender := startSMTPSender(t, box)
	f.setContact(t, "mgr.bj", "li.qiang@bank.example", "13911112222")
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept, Handler: "staff.bj"})

	// E-mail is configured, SMS is not: mgr.bj gets in-app and e-mail,
	// staff.bj (no address) in-app only.
	opts := SweepOptions{Channels: []redress.NotifyChannel{redress.NotifyEmail}}
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 22, 8), opts), 1, 0, 0, 3)
	var copied int
	if err := f.db.read.QueryRow(`SELECT COUNT(*) FROM notifications WHERE subject LIKE '%bank.example%' OR body LIKE '%bank.example%'
		OR body LIKE '%13911112222%'`).Scan(&copied); err != nil || copied != 0 {
		t.Fatalf("an address was copied into the outbox: %d %v", copied, err)
	}

	logs := &logBuffer{}
	outbox := jobs.NewOutbox(f.db, map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: sender},
		func() time.Time { return f.clock }, logs.logger())
	report, err := outbox.Once(ctx)
	if err != nil || report != (jobs.OutboxReport{Sent: 1}) {
		t.Fatalf("outbox run: %+v %v", report, err)
	}
	got := box.messages()
	if len(got) != 1 {
		t.Fatalf("the SMTP server received %d messages, want 1", len(got))
	}
	m := got[0]
	if m.to != "li.qiang@bank.example" || m.caseNo != c.No || m.subject != "【投诉管理】案件 "+c.No+" 网点答复期限将至" ||
		m.body != "案件 "+c.No+" 的网点答复期限为 2026-11-23，剩余 1 个工作日，请及时处理。详情：/cases/"+c.No {
		t.Fatalf("received: %+v", m)
	}
	if rows := f.outboxRows(t, redress.NotifyEmail); len(rows) != 1 || rows[0].status != redress.NotifySent || rows[0].attempts != 1 || rows[0].claimedBy != "" {
		t.Fatalf("outbox rows: %+v", rows)
	}
	if report, err := outbox.Once(ctx); err != nil || report != (jobs.OutboxReport{}) {
		t.Fatalf("a second run: %+v %v", report, err)
	}
	if len(box.messages()) != 1 {
		t.Fatal("the message was sent twice")
	}
	if strings.Contains(logs.String(), "li.qiang@bank.example") || !strings.Contains(logs.String(), "l***@bank.example") {
		t.Fatalf("the log shows the address in clear, or not at all masked: %s", logs.String())
	}
}

func TestOutboxRetriesAndFailures(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const deferred, refused = "wang.fang@bank.example", "gone@bank.example"
	box := &smtpBox{deferred: map[string]int{deferred: 2}, refused: map[string]bool{refused: true}}
	sender := startSMTPSender(t, box)
	f.setContact(t, "mgr.bj", deferred, "")
	f.setContact(t, "staff.bj", refused, "")
	err := f.db.inTx(ctx, func(tx *Tx) error {
		_, err := f.db.insertNotifications(ctx, tx, []recipient{
			{id: f.users["mgr.bj"].ID, login: "mgr.bj", hasEmail: true},
			{id: f.users["staff.bj"].ID, login: "staff.bj", hasEmail: true},
		}, []redress.NotifyChannel{redress.NotifyEmail}, redress.Notification{Kind: redress.NotifyOverdue,
			Subject: "【投诉管理】案件 TS20261120-00001 网点答复已超期", Body: "正文", CaseNo: "TS20261120-00001"}, f.clock)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	outbox := jobs.NewOutbox(f.db, map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: sender},
		func() time.Time { return f.clock }, logs.logger())
	run := func(want jobs.OutboxReport) {
		t.Helper()
		if got, err := outbox.Once(ctx); err != nil || got != want {
			t.Fatalf("outbox run at %s: %+v %v, want %+v", f.clock, got, err, want)
		}
	}
	start := f.clock
	run(jobs.OutboxReport{Retried: 1, Failed: 1})
	rows := f.outboxRows(t, redress.NotifyEmail)
	if rows[0].status != redress.NotifyPending || rows[0].attempts != 1 || rows[0].next != timeText(start.Add(time.Minute)) ||
		!strings.Contains(rows[0].lastError, "451") {
		t.Fatalf("deferred after one attempt: %+v", rows[0])
	}
	if rows[1].status != redress.NotifyFailed || rows[1].attempts != 1 || !strings.Contains(rows[1].lastError, "550") ||
		!strings.Contains(rows[1].lastError, "g***@bank.example") {
		t.Fatalf("refused: %+v", rows[1])
	}
	f.clock = start.Add(59 * time.Second)
	run(jobs.OutboxReport{}) // not due yet; the refused one is never tried again
	f.clock = start.Add(time.Minute)
	run(jobs.OutboxReport{Retried: 1})
	if rows := f.outboxRows(t, redress.NotifyEmail); rows[0].attempts != 2 || rows[0].next != timeText(start.Add(3*time.Minute)) {
		t.Fatalf("deferred after two attempts: %+v", rows[0])
	}
	f.clock = start.Add(3 * time.Minute)
	run(jobs.OutboxReport{Sent: 1})
	rows = f.outboxRows(t, redress.NotifyEmail)
	if rows[0].status != redress.NotifySent || rows[0].attempts != 3 || rows[1].status != redress.NotifyFailed || rows[1].attempts != 1 {
		t.Fatalf("after the third attempt: %+v", rows)
	}
	if got := box.messages(); len(got) != 1 || got[0].to != deferred {
		t.Fatalf("received: %+v", got)
	}
	f.clock = start.Add(24 * time.Hour)
	run(jobs.OutboxReport{})
	for _, clear := range []string{deferred, refused} {
		if strings.Contains(logs.String(), clear) {
			t.Fatalf("the log shows %s in clear", clear)
		}
		for _, r := range f.outboxRows(t, redress.NotifyEmail) {
			if strings.Contains(r.lastError, clear) {
				t.Fatalf("a stored error shows %s in clear", clear)
			}
		}
	}
}

func TestOutboxConcurrentRunnersSendOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	box := &smtpBox{}
	sender := startSMTPSender(t, box)
	f.setContact(t, "mgr.bj", "li.qiang@bank.example", "")
	const total = 40
	for i := range total {
		err := f.db.inTx(ctx, func(tx *Tx) error {
			_, err := f.db.insertNotifications(ctx, tx, []recipient{{id: f.users["mgr.bj"].ID, login: "mgr.bj", hasEmail: true}},
				[]redress.NotifyChannel{redress.NotifyEmail}, redress.Notification{Kind: redress.NotifyDueSoon,
					Subject: fmt.Sprintf("提醒 %02d", i), Body: "正文"}, f.clock)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Two servers: each its own connections to the one database.
	second, err := Open(ctx, f.dsn, f.db.keyring(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	senders := map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: sender}
	now := func() time.Time { return f.clock }
	runners := []*jobs.Outbox{jobs.NewOutbox(f.db, senders, now, nil), jobs.NewOutbox(second, senders, now, nil)}
	reports := make([]jobs.OutboxReport, len(runners))
	var wg sync.WaitGroup
	for i, o := range runners {
		o.Batch = 3
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if reports[i], err = o.Once(ctx); err != nil {
				t.Errorf("runner %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if runners[0].Claimant == runners[1].Claimant {
		t.Fatal("two runners share a claimant name")
	}
	if reports[0].Sent+reports[1].Sent != total {
		t.Fatalf("runners sent %d and %d, want %d in all", reports[0].Sent, reports[1].Sent, total)
	}
	seen := map[string]int{}
	for _, m := range box.messages() {
		seen[m.subject]++
	}
	if len(seen) != total {
		t.Fatalf("the server received %d distinct messages, want %d", len(seen), total)
	}
	for subject, n := range seen {
		if n != 1 {
			t.Fatalf("%s was received %d times", subject, n)
		}
	}
	for _, r := range f.outboxRows(t, redress.NotifyEmail) {
		if r.status != redress.NotifySent || r.attempts != 1 {
			t.Fatalf("outbox row: %+v", r)
		}
	}
	t.Logf("runner reports: %+v", reports)
}

func TestOutboxSMSResolvesTheNumberWhenSending(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	var mu sync.Mutex
	var got []map[string]string
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, body)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(gateway.Close)
	sms, err := notify.NewSMSSender(notify.SMSConfig{URL: gateway.URL, Sign: "【某某银行】"})
	if err != nil {
		t.Fatal(err)
	}
	f.setContact(t, "mgr.bj", "", "13911112222")
	f.register(t, "staff.bj")
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 22, 8), SweepOptions{Channels: []redress.NotifyChannel{redress.NotifyEmail, redress.NotifySMS}}), 1, 0, 0, 2)
	// The number changes after the notice was written: the new one is used.
	f.setContact(t, "mgr.bj", "", "13933334444")
	outbox := jobs.NewOutbox(f.db, map[redress.NotifyChannel]redress.Sender{redress.NotifySMS: sms}, func() time.Time { return f.clock }, nil)
	if report, err := outbox.Once(ctx); err != nil || report != (jobs.OutboxReport{Sent: 1}) {
		t.Fatalf("outbox run: %+v %v", report, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0]["to"] != "13933334444" || !strings.HasPrefix(got[0]["text"], "【某某银行】案件 TS20261120-00001 的") {
		t.Fatalf("the gateway received %+v", got)
	}
	// A user disabled since is not sent to: the notification fails.
	f.register(t, "staff.bj")
	wantCounts(t, f.sweep(t, bjTime(2026, 11, 22, 9), SweepOptions{Channels: []redress.NotifyChannel{redress.NotifySMS}}), 1, 0, 0, 2)
	disabled := true
	if _, err := NewUserService(f.db).UpdateUser(f.as("admin"), "mgr.bj", redress.UserUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	mu.Unlock()
	report, err := outbox.Once(ctx)
	mu.Lock()
	if err != nil || report != (jobs.OutboxReport{Failed: 1}) || len(got) != 1 {
		t.Fatalf("outbox run for a disabled user: %+v %v, gateway received %d", report, err, len(got))
	}
}
