package sqldb

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"redress"
	"redress/jobs"
	"redress/notify"
)

// TestEmailAndSMSCarryNoComplaintText_Issue11Item8: what the sweep sends by
// e-mail and SMS, as the SMTP server and the SMS gateway receive it and as
// the outbox stores it, carries the tracking number, what is due and the
// link to the case, and nothing the complainant wrote or is: not the
// subject, the description, the request, the name, the phone, ID or account
// number. The in-app notice still names the subject.
func TestEmailAndSMSCarryNoComplaintText_Issue11Item8(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	box := &smtpBox{}
	email := startSMTPSender(t, box)
	var mu sync.Mutex
	var texts []string
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		mu.Lock()
		texts = append(texts, body["text"])
		mu.Unlock()
	}))
	t.Cleanup(gateway.Close)
	sms, err := notify.NewSMSSender(notify.SMSConfig{URL: gateway.URL, Sign: "【某某银行】"})
	if err != nil {
		t.Fatal(err)
	}
	f.setContact(t, "mgr.bj", "li.qiang@bank.example", "13911112222")
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept, Handler: "staff.bj"})
	opts := SweepOptions{Channels: []redress.NotifyChannel{redress.NotifyEmail, redress.NotifySMS}, BaseURL: "https://redress.bank.example/"}
	f.sweep(t, bjTime(2026, 11, 22, 8), opts) // the reply due soon
	f.sweep(t, bjTime(2026, 11, 24, 9), opts) // overdue, escalated
	outbox := jobs.NewOutbox(f.db, map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: email, redress.NotifySMS: sms},
		func() time.Time { return f.clock }, nil)
	if report, err := outbox.Once(ctx); err != nil || report != (jobs.OutboxReport{Sent: 4}) {
		t.Fatalf("outbox run: %+v %v", report, err)
	}

	sample := sampleCase()
	forbidden := []string{sample.Subject, sample.Description, sample.Request, sample.Complainant.Name, sample.Complainant.Phone,
		redress.MaskPhone(sample.Complainant.Phone), sample.Complainant.IDNumber, sample.Complainant.Account, "理财", "收益"}
	link := "详情：https://redress.bank.example/cases/" + c.No
	check := func(where, subject, body string) {
		t.Helper()
		for _, s := range forbidden {
			if strings.Contains(subject, s) || strings.Contains(body, s) {
				t.Errorf("%s quotes %q: %q / %q", where, s, subject, body)
			}
		}
		if !strings.Contains(body, c.No) || !strings.Contains(body, "网点答复期限为 2026-11-23") || !strings.HasSuffix(body, link) {
			t.Errorf("%s lacks the tracking number, what is due or the link: %q", where, body)
		}
	}
	mails := box.messages()
	mu.Lock()
	defer mu.Unlock()
	if len(mails) != 2 || len(texts) != 2 {
		t.Fatalf("received %d e-mails and %d SMS, want 2 and 2", len(mails), len(texts))
	}
	for _, m := range mails {
		if !strings.Contains(m.subject, c.No) {
			t.Errorf("the e-mail subject %q lacks the tracking number", m.subject)
		}
		check("an e-mail", m.subject, m.body)
	}
	for _, text := range texts {
		check("an SMS", "", text)
	}
	rows, err := f.db.read.Query(f.db.dialect.rebind(`SELECT subject, body FROM notifications WHERE channel <> ?`), redress.NotifyInApp)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var subject, body string
		if err := rows.Scan(&subject, &body); err != nil {
			t.Fatal(err)
		}
		check("an outbox row", subject, body)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, n := range f.inbox(t, "mgr.bj") {
		if !strings.Contains(n.Body, sample.Subject) || strings.Contains(n.Body, "详情") {
			t.Errorf("the in-app notice names the case's subject and needs no link: %q", n.Body)
		}
	}
}
