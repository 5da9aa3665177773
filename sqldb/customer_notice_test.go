package sqldb

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"redress"
	"redress/jobs"
)

// smsGateway is a test SMS sender: it keeps what it is given and fails
// permanently for the numbers in refuse.
type smsGateway struct {
	mu     sync.Mutex
	sent   []redress.Notification
	refuse string
}

func (g *smsGateway) Send(_ context.Context, n redress.Notification) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.refuse != "" && n.To == g.refuse {
		return redress.Permanent(errors.New("gateway: number refused"))
	}
	g.sent = append(g.sent, n)
	return nil
}

// TestCustomerNoticesWithTheirProof_Seed002Art5 (seed 002 Art.5: 客户投诉电话
// on every document): the acceptance notice is previewed (nothing recorded),
// sent by SMS through the outbox loop to the phone on the case with the
// gateway's acceptance as its proof; the decision notice with its remedies
// is printed as a letter and its posting recorded; an extension is told by
// phone with the staff member's record; no notice quotes the complaint, and
// the SMS leaves the extension's typed reason out while the letter has it.
func TestCustomerNoticesWithTheirProof_Seed002Art5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	notices := NewCustomerNoticeService(f.db)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	req := redress.NoticeRequest{Kind: redress.NoticeAcceptance, Method: redress.NoticeSMS}
	if _, err := notices.PreviewNotice(f.as("staff.bj"), c.No, req); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a notice without the bank's profile: %v", err)
	}
	if _, err := NewSettingsService(f.db).SetBankProfile(f.as("admin"), redress.BankProfile{Name: "示例银行北京分行",
		Hotline: "95500", Address: "北京市海淀区中关村大街1号"}); err != nil {
		t.Fatal(err)
	}
	if _, err := notices.PreviewNotice(f.as("auditor"), c.No, req); redress.ErrorCode(err) != redress.EFORBIDDEN {
		t.Fatalf("an auditor previewed a notice: %v", err)
	}
	preview, err := notices.PreviewNotice(f.as("staff.bj"), c.No, req)
	if err != nil {
		t.Fatal(err)
	}
	want := "【示例银行北京分行】您的投诉（编号 " + c.No + "）已受理，我行将于 " + c.DecisionDue + " 前答复。查询进度或有疑问请致电客户投诉电话 95500。"
	if preview.Body != want {
		t.Fatalf("preview:\n%s\nwant\n%s", preview.Body, want)
	}
	if list, _ := notices.ListNotices(f.as("staff.bj"), c.No); len(list) != 0 {
		t.Fatalf("a preview was recorded: %+v", list)
	}
	sms, err := notices.SendNotice(f.as("staff.bj"), c.No, req)
	if err != nil || sms.Status != redress.CustomerNoticePending || sms.Body != want {
		t.Fatalf("send: %+v %v", sms, err)
	}
	gateway := &smsGateway{}
	outbox := jobs.NewOutbox(NewCustomerOutbox(f.db), map[redress.NotifyChannel]redress.Sender{redress.NotifySMS: gateway},
		func() time.Time { return f.clock }, nil)
	if report, err := outbox.Once(context.Background()); err != nil || report != (jobs.OutboxReport{Sent: 1}) {
		t.Fatalf("outbox: %+v %v", report, err)
	}
	if len(gateway.sent) != 1 || gateway.sent[0].To != "13812345678" || gateway.sent[0].Body != want {
		t.Fatalf("gateway got %+v", gateway.sent)
	}
	if report, _ := outbox.Once(context.Background()); report != (jobs.OutboxReport{}) {
		t.Fatalf("sent twice: %+v", report)
	}

	// An extension told by phone: the reason is on the record of the call.
	c, _ = f.cases.Case(f.as("mgr.bj"), c.No)
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionExtend, Reason: "需调取外部证据"})
	if _, err := notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeExtension, Method: redress.NoticePhone}); redress.ErrorFields(err)["proof"] == "" {
		t.Fatalf("a call without its record: %v", err)
	}
	call, err := notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeExtension, Method: redress.NoticePhone,
		Proof: "电话录音 20261121-002"})
	if err != nil || call.Status != redress.CustomerNoticeRecorded || !strings.Contains(call.Body, "需调取外部证据") ||
		!strings.Contains(call.Body, c.DecisionDue) {
		t.Fatalf("call: %+v %v", call, err)
	}
	extSMS, err := notices.PreviewNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeExtension, Method: redress.NoticeSMS, Lang: "en"})
	if err != nil || strings.Contains(extSMS.Body, "需调取外部证据") || !strings.Contains(extSMS.Body, "hotline 95500") {
		t.Fatalf("the extension's SMS: %+v %v", extSMS, err)
	}

	// The decision, by letter, then posted.
	if _, err := notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeDecision, Method: redress.NoticeLetter}); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a decision notice before the decision: %v", err)
	}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	letter, err := notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeDecision, Method: redress.NoticeLetter})
	if err != nil || letter.Status != redress.CustomerNoticePrinted || !strings.Contains(letter.Body, "北京市海淀区中关村大街1号") {
		t.Fatalf("letter: %+v %v", letter, err)
	}
	if _, err := notices.RecordPosting(f.as("staff.bj"), c.No, sms.ID, "挂号信 XA123"); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("posting an SMS: %v", err)
	}
	posted, err := notices.RecordPosting(f.as("staff.bj"), c.No, letter.ID, "挂号信 XA123456789CN")
	if err != nil || posted.Status != redress.CustomerNoticePosted || posted.Proof != "挂号信 XA123456789CN" || posted.SentAt == nil {
		t.Fatalf("posted: %+v %v", posted, err)
	}

	list, err := notices.ListNotices(f.as("mgr.bj"), c.No)
	if err != nil || len(list) != 3 {
		t.Fatalf("list: %+v %v", list, err)
	}
	if list[0].Status != redress.CustomerNoticeSent || !strings.HasPrefix(list[0].Proof, "SMS gateway accepted 2026-11-21") || list[0].SentAt == nil {
		t.Fatalf("the SMS's proof: %+v", list[0])
	}
	for _, n := range append(list, extSMS) {
		if strings.Contains(n.Body, c.Subject) || strings.Contains(n.Body, "理财") || strings.Contains(n.Body, "13812345678") {
			t.Errorf("notice %d quotes the complaint: %s", n.ID, n.Body)
		}
	}
	if got := f.count(t, `SELECT COUNT(*) FROM events WHERE action = 'case.notice' AND case_no = ?`, c.No); got != 4 {
		t.Fatalf("%d notice events, want 4 (three sent, one posted)", got)
	}
	if r, err := f.db.VerifyAuditAsOperator(context.Background()); err != nil || !r.OK {
		t.Fatal(err)
	}
}

// TestCustomerNoticeFailedDelivery: a number the gateway refuses leaves the
// notice failed, with the masked error as its record.
func TestCustomerNoticeFailedDelivery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := NewSettingsService(f.db).SetBankProfile(f.as("admin"), redress.BankProfile{Name: "示例银行", Hotline: "95500"}); err != nil {
		t.Fatal(err)
	}
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	notices := NewCustomerNoticeService(f.db)
	if _, err := notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeAcceptance, Method: redress.NoticeSMS}); err != nil {
		t.Fatal(err)
	}
	gateway := &smsGateway{refuse: "13812345678"}
	outbox := jobs.NewOutbox(NewCustomerOutbox(f.db), map[redress.NotifyChannel]redress.Sender{redress.NotifySMS: gateway},
		func() time.Time { return f.clock }, nil)
	if report, err := outbox.Once(context.Background()); err != nil || report.Failed != 1 {
		t.Fatalf("outbox: %+v %v", report, err)
	}
	list, _ := notices.ListNotices(f.as("staff.bj"), c.No)
	if len(list) != 1 || list[0].Status != redress.CustomerNoticeFailed || !strings.Contains(list[0].Proof, "refused") ||
		strings.Contains(list[0].Proof, "13812345678") {
		t.Fatalf("failed notice: %+v", list)
	}
}

// TestCustomerNoticeByEmail_Seed002Art5: a notice by e-mail goes to the
// address on the case through the same outbox loop and e-mail sender, its
// subject and body naming the case by its number only, and the sender's
// acceptance is its proof; a case with no address is refused.
func TestCustomerNoticeByEmail_Seed002Art5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	notices := NewCustomerNoticeService(f.db)
	if _, err := NewSettingsService(f.db).SetBankProfile(f.as("admin"), redress.BankProfile{Name: "示例银行北京分行", Hotline: "95500"}); err != nil {
		t.Fatal(err)
	}
	c := f.register(t, "staff.bj") // sampleCase has an e-mail address
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	req := redress.NoticeRequest{Kind: redress.NoticeAcceptance, Method: redress.NoticeEmail}
	sent, err := notices.SendNotice(f.as("staff.bj"), c.No, req)
	if err != nil || sent.Status != redress.CustomerNoticePending {
		t.Fatalf("send by e-mail: %+v %v", sent, err)
	}
	mail := &smsGateway{}
	outbox := jobs.NewOutbox(NewCustomerOutbox(f.db), map[redress.NotifyChannel]redress.Sender{redress.NotifyEmail: mail},
		func() time.Time { return f.clock }, nil)
	if report, err := outbox.Once(context.Background()); err != nil || report != (jobs.OutboxReport{Sent: 1}) {
		t.Fatalf("outbox: %+v %v", report, err)
	}
	if len(mail.sent) != 1 || mail.sent[0].To != "zhang.san@mail.example" || mail.sent[0].Channel != redress.NotifyEmail ||
		!strings.Contains(mail.sent[0].Subject, c.No) || strings.Contains(mail.sent[0].Body+mail.sent[0].Subject, "理财") {
		t.Fatalf("the e-mail: %+v", mail.sent)
	}
	list, err := notices.ListNotices(f.as("staff.bj"), c.No)
	if err != nil || len(list) != 1 || list[0].Status != redress.CustomerNoticeSent || list[0].Proof == "" {
		t.Fatalf("the notice's proof: %+v %v", list, err)
	}
	n := sampleCase()
	n.Complainant.Email = ""
	bare, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	bare = f.act(t, "mgr.bj", bare, redress.ActionRequest{Action: redress.ActionAccept})
	if _, err := notices.SendNotice(f.as("staff.bj"), bare.No, req); redress.ErrorCode(err) != redress.ECONFLICT {
		t.Fatalf("a case with no e-mail address: %v", err)
	}
}
