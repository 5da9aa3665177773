package sqldb

import (
	"context"
	"strings"
	"testing"
	"time"

	"redress"
	"redress/jobs"
)

// noticeBank sets the bank's profile every notice names.
func noticeBank(t *testing.T, f *fixture) {
	t.Helper()
	if _, err := NewSettingsService(f.db).SetBankProfile(f.as("admin"), redress.BankProfile{Name: "示例银行北京分行", Hotline: "95500",
		Address: "北京市西城区金融大街1号", PortalURL: "https://ts.example.cn"}); err != nil {
		t.Fatal(err)
	}
}

// walkNotices walks a complaint whose customer chose method through every
// lifecycle action that tells the customer something: accept, contact
// with an agreed date, extend, pause, resume, reply, and a 核查 decided by
// the unit above.
func walkNotices(t *testing.T, f *fixture, method redress.NoticeMethod) *redress.Case {
	t.Helper()
	n := sampleCase()
	n.Complainant.NoticeBy = method
	c, err := f.cases.CreateCase(f.as("staff.bj"), n)
	if err != nil {
		t.Fatal(err)
	}
	told := redress.Reply{NoticeMethod: redress.NoticePhone, NoticeAt: f.clock, NoticeProof: "电话录音 R-1"}
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	c = f.act(t, "mgr.bj", c, contactRequest(f.clock, "2026-11-27"))
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionExtend, Reason: "需调取外部证据"})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionPause, Cause: redress.PauseMediation, Reason: "提交调解组织调解", Reply: told})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionResume, Reason: "调解未成", Reply: told})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionDetermine, Determination: determined})
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionReply, Reply: replyAt(f.clock)})
	c = f.act(t, "head.bj", c, redress.ActionRequest{Action: redress.ActionSignOff, Text: "同意"})
	c = f.act(t, "staff2.bj", c, reviewRequest(f.clock))
	return f.act(t, "mgr.branch", c, reviewDecision(redress.ReviewUpheld, f.clock))
}

// lifecycleKinds are the notices walkNotices gives, in order.
var lifecycleKinds = []redress.CustomerNoticeKind{redress.NoticeAcceptance, redress.NoticeContact, redress.NoticeExtension,
	redress.NoticePause, redress.NoticeResume, redress.NoticeDecision, redress.NoticeReviewResult}

// TestLifecycleGivesEachNoticeByChosenMethod_Order2020No3Art13_Seed002Art5
// (CBIRC Order 2020 No.3: the customer is told of acceptance, extension and
// decision; seed 002 Art.5: 客户投诉电话 on every document; issue 14 item 2):
// each action produces its notice in its own transaction by the customer's
// chosen method — an SMS or e-mail through the customer outbox with the
// gateway's acceptance as its proof, a letter queued for printing whose
// posting staff record, a call or a talk left as a task the staff member
// records — and a notice sent by hand for the same occasion is not sent twice.
func TestLifecycleGivesEachNoticeByChosenMethod_Order2020No3Art13_Seed002Art5(t *testing.T) {
	t.Parallel()
	for _, method := range redress.CustomerNoticeMethods {
		t.Run(string(method), func(t *testing.T) {
			t.Parallel()
			f := reviewFixture(t)
			noticeBank(t, f)
			c := walkNotices(t, f, method)
			notices := NewCustomerNoticeService(f.db)
			list, err := notices.ListNotices(f.as("mgr.bj"), c.No)
			if err != nil || len(list) != len(lifecycleKinds) {
				t.Fatalf("%d notices, want %d: %+v %v", len(list), len(lifecycleKinds), list, err)
			}
			for i, n := range list {
				if n.Kind != lifecycleKinds[i] || n.Method != method || n.Status != redress.CustomerNoticePending ||
					!strings.Contains(n.Body, "95500") || !strings.Contains(n.Body, c.No) {
					t.Errorf("notice %d: %+v", i, n)
				}
				if strings.Contains(n.Body, c.Subject) || strings.Contains(n.Body, "13812345678") {
					t.Errorf("notice %d quotes the complaint: %s", i, n.Body)
				}
			}
			reasonIn := strings.Contains(list[2].Body, "需调取外部证据")
			if external := redress.ExternalNotice(method); reasonIn == external {
				t.Errorf("the extension's reason (external %v): %s", external, list[2].Body)
			}
			if !strings.Contains(list[5].Body, "申请核查、申请调解") {
				t.Errorf("the decision names no remedies: %s", list[5].Body)
			}
			// By hand, the same occasion by the same method is not told twice.
			_, err = notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeAcceptance, Method: method,
				Proof: "电话录音 R-2"})
			switch method {
			case redress.NoticePhone, redress.NoticeInPerson: // the task is recorded
				if err != nil {
					t.Fatalf("recording the call: %v", err)
				}
			default:
				wantCode(t, err, redress.ECONFLICT)
			}
			switch method {
			case redress.NoticeSMS, redress.NoticeEmail:
				gateway, box := &smsGateway{}, &smtpBox{} // the test SMS gateway; a real SMTP server on loopback
				outbox := jobs.NewOutbox(NewCustomerOutbox(f.db), map[redress.NotifyChannel]redress.Sender{redress.NotifySMS: gateway,
					redress.NotifyEmail: startSMTPSender(t, box)}, func() time.Time { return f.clock }, nil)
				if report, err := outbox.Once(context.Background()); err != nil || report.Sent != len(lifecycleKinds) {
					t.Fatalf("outbox: %+v %v", report, err)
				}
				var to []string
				for _, sent := range gateway.sent {
					to = append(to, sent.To)
				}
				for _, m := range box.messages() {
					to = append(to, m.to)
					if m.caseNo != c.No || !strings.Contains(m.body, "95500") {
						t.Errorf("the e-mail: %+v", m)
					}
				}
				want := map[redress.NoticeMethod]string{redress.NoticeSMS: "13812345678", redress.NoticeEmail: "zhang.san@mail.example"}[method]
				if len(to) != len(lifecycleKinds) || strings.Count(strings.Join(to, " "), want) != len(lifecycleKinds) {
					t.Errorf("sent to %q, want %s each time", to, want)
				}
				// The customer tracking the case on the portal sees each notice as received.
				view, err := NewPortalService(f.db).PortalCase(redress.WithCustomer(context.Background(), &redress.PortalCustomer{CaseNo: c.No}))
				if err != nil {
					t.Fatal(err)
				}
				got := 0
				for _, pn := range view.Notices {
					if pn.Method == method && strings.Contains(pn.Text, "95500") {
						got++
					}
				}
				if got != len(lifecycleKinds) {
					t.Errorf("the portal lists %d of the %d notices sent: %+v", got, len(lifecycleKinds), view.Notices)
				}
			case redress.NoticeLetter:
				for _, n := range list {
					if _, err := notices.RecordPosting(f.as("staff.bj"), c.No, n.ID, "挂号信 XA"+string(n.Kind)); err != nil {
						t.Fatalf("posting %d: %v", n.ID, err)
					}
				}
			default:
				for _, kind := range lifecycleKinds[1:] {
					if _, err := notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: kind, Method: method,
						Proof: "记录 " + string(kind)}); err != nil {
						t.Fatalf("recording %s: %v", kind, err)
					}
				}
			}
			list, _ = notices.ListNotices(f.as("mgr.bj"), c.No)
			if len(list) != len(lifecycleKinds) {
				t.Fatalf("%d notices after the proofs: %+v", len(list), list)
			}
			want := map[redress.NoticeMethod]redress.CustomerNoticeStatus{redress.NoticeSMS: redress.CustomerNoticeSent,
				redress.NoticeEmail: redress.CustomerNoticeSent, redress.NoticeLetter: redress.CustomerNoticePosted,
				redress.NoticePhone: redress.CustomerNoticeRecorded, redress.NoticeInPerson: redress.CustomerNoticeRecorded}[method]
			proof := map[redress.NoticeMethod]string{redress.NoticeSMS: "SMS gateway accepted 2026-11-21", redress.NoticeEmail: "mail server accepted 2026-11-21",
				redress.NoticeLetter: "挂号信 XA", redress.NoticePhone: "记录 ", redress.NoticeInPerson: "记录 "}[method]
			for i, n := range list {
				if i == 0 && (method == redress.NoticePhone || method == redress.NoticeInPerson) {
					proof = "电话录音 R-2"
				} else if i == 1 && (method == redress.NoticePhone || method == redress.NoticeInPerson) {
					proof = "记录 "
				}
				if n.Status != want || !strings.HasPrefix(n.Proof, proof) || n.SentAt == nil || redress.NoticeTask(n) {
					t.Errorf("notice %s: %+v", n.Kind, n)
				}
			}
			// Told once: a second letter or call of the decision is refused.
			_, err = notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeDecision, Method: method, Proof: "再次"})
			wantCode(t, err, redress.ECONFLICT)
		})
	}
}

// TestNoticeByHandOtherMethodAndUnaskedCustomer_Seed002Art5: a customer
// who was not asked gets no notice by itself (the staff member chooses);
// a failed SMS may be sent again; a second method is a second notice.
func TestNoticeByHandOtherMethodAndUnaskedCustomer_Seed002Art5(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	noticeBank(t, f)
	c := f.register(t, "staff.bj")
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	if n := f.count(t, `SELECT COUNT(*) FROM customer_notices WHERE case_id = ?`, c.ID); n != 0 {
		t.Fatalf("%d notices for a customer not asked", n)
	}
	notices := NewCustomerNoticeService(f.db)
	req := redress.NoticeRequest{Kind: redress.NoticeAcceptance, Method: redress.NoticeSMS}
	sms, err := notices.SendNotice(f.as("staff.bj"), c.No, req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = notices.SendNotice(f.as("staff.bj"), c.No, req)
	wantCode(t, err, redress.ECONFLICT)
	if _, err := notices.SendNotice(f.as("staff.bj"), c.No, redress.NoticeRequest{Kind: redress.NoticeAcceptance, Method: redress.NoticeLetter}); err != nil {
		t.Fatalf("a letter besides the SMS: %v", err)
	}
	gateway := &smsGateway{refuse: "13812345678"}
	outbox := jobs.NewOutbox(NewCustomerOutbox(f.db), map[redress.NotifyChannel]redress.Sender{redress.NotifySMS: gateway},
		func() time.Time { return f.clock }, nil)
	if _, err := outbox.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM customer_notices WHERE id = ? AND status IN ('failed', 'dead')`, sms.ID); n != 1 {
		t.Fatal("the refused SMS did not fail")
	}
	if _, err := notices.SendNotice(f.as("staff.bj"), c.No, req); err != nil {
		t.Fatalf("sending a failed SMS again: %v", err)
	}
}

// TestSurveySMSQueuedOnPlannedVisit_Seed004 (seed 004: 客户离开后，应通过电话或
// 短信等方式进行后续的客户满意度调查; issue 14 item 3): closing a case the policy
// gives a return visit queues the survey SMS for 09:00 on the visit's due
// day; the outbox sends it then with a fresh one-use link on the portal's
// address, which the customer answers once; no token rests in the notice.
// A customer who chose letters gets none.
func TestSurveySMSQueuedOnPlannedVisit_Seed004(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	noticeBank(t, f)
	if _, err := NewReturnVisitService(f.db).SetReturnVisitPolicy(f.as("admin"), visitPolicy()); err != nil {
		t.Fatal(err)
	}
	c := f.closeCase(t, true, redress.SatisfactionSatisfied) // a key customer: a visit
	if c.ReturnVisit == nil {
		t.Fatal("no visit planned")
	}
	rows := f.count(t, `SELECT COUNT(*) FROM customer_notices WHERE case_id = ? AND kind = 'survey' AND method = 'sms'
		AND status = 'pending' AND body LIKE '%{link}%'`, c.ID)
	if rows != 1 {
		t.Fatalf("%d survey SMS queued", rows)
	}
	gateway := &smsGateway{}
	clock := f.clock
	outbox := jobs.NewOutbox(NewCustomerOutbox(f.db), map[redress.NotifyChannel]redress.Sender{redress.NotifySMS: gateway},
		func() time.Time { return clock }, nil)
	if _, err := outbox.Once(context.Background()); err != nil || len(gateway.sent) != 0 {
		t.Fatalf("sent before the visit's day: %+v %v", gateway.sent, err)
	}
	due, _ := redress.ParseDate(c.ReturnVisit.Due)
	clock = time.Date(due.Year(), due.Month(), due.Day(), 9, 5, 0, 0, redress.Beijing)
	if _, err := outbox.Once(context.Background()); err != nil || len(gateway.sent) != 1 {
		t.Fatalf("the survey SMS: %+v %v", gateway.sent, err)
	}
	body := gateway.sent[0].Body
	i := strings.Index(body, "https://ts.example.cn/survey/")
	if i < 0 || gateway.sent[0].To != "13812345678" || strings.Contains(body, "{link}") {
		t.Fatalf("the SMS: %s", body)
	}
	token := strings.Fields(strings.NewReplacer("，", " ", "（", " ").Replace(body[i+len("https://ts.example.cn/survey/"):]))[0]
	f.clock = clock
	visits := NewReturnVisitService(f.db)
	if err := visits.CheckSurvey(context.Background(), token); err != nil {
		t.Fatalf("the link: %v", err)
	}
	if err := visits.AnswerSurvey(context.Background(), token, redress.SurveyAnswer{Satisfaction: redress.SatisfactionSatisfied}, "203.0.113.9"); err != nil {
		t.Fatal(err)
	}
	err := visits.AnswerSurvey(context.Background(), token, redress.SurveyAnswer{Satisfaction: redress.SatisfactionDissatisfed}, "203.0.113.9")
	wantCode(t, err, redress.EUNAUTHORIZED) // once
	if n := f.count(t, `SELECT COUNT(*) FROM customer_notices WHERE body LIKE '%/survey/%'`); n != 0 {
		t.Fatal("a survey token rests in a notice")
	}

	// A customer who chose letters is not sent the SMS.
	n := sampleCase()
	n.KeyCustomer, n.Complainant.NoticeBy = true, redress.NoticeLetter
	l := f.closeCaseOf(t, n, redress.SatisfactionSatisfied)
	if n := f.count(t, `SELECT COUNT(*) FROM customer_notices WHERE case_id = ? AND kind = 'survey'`, l.ID); l.ReturnVisit == nil || n != 0 {
		t.Fatalf("%d survey SMS to a customer who chose letters", n)
	}
}
