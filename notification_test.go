package redress

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRetryDelay(t *testing.T) {
	for attempt, want := range map[int]time.Duration{
		0: time.Minute, 1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 4: 8 * time.Minute,
		5: 16 * time.Minute, 6: 32 * time.Minute, 7: time.Hour, 9: time.Hour, 100: time.Hour,
	} {
		if got := RetryDelay(attempt); got != want {
			t.Errorf("RetryDelay(%d) = %v, want %v", attempt, got, want)
		}
	}
}

func TestNextDelivery(t *testing.T) {
	now := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	email := Notification{ID: 7, Channel: NotifyEmail, To: "li.qiang@bank.example"}
	temporary := errors.New("notify: 451 greylisted for li.qiang@bank.example")
	tests := []struct {
		name     string
		attempts int
		err      error
		want     Delivery
	}{
		{"sent", 3, nil, Delivery{Status: NotifySent, At: now}},
		{"first temporary failure", 0, temporary,
			Delivery{Status: NotifyPending, At: now, RetryAt: now.Add(time.Minute), Error: "notify: 451 greylisted for l***@bank.example"}},
		{"fourth temporary failure", 3, temporary,
			Delivery{Status: NotifyPending, At: now, RetryAt: now.Add(8 * time.Minute), Error: "notify: 451 greylisted for l***@bank.example"}},
		{"ninth temporary failure", 8, temporary,
			Delivery{Status: NotifyPending, At: now, RetryAt: now.Add(time.Hour), Error: "notify: 451 greylisted for l***@bank.example"}},
		{"tenth temporary failure", 9, temporary,
			Delivery{Status: NotifyDead, At: now, Error: "gave up after 10 attempts: notify: 451 greylisted for l***@bank.example"}},
		{"permanent failure", 0, fmt.Errorf("send: %w", Permanent(errors.New("550 user unknown"))),
			Delivery{Status: NotifyFailed, At: now, Error: "send: 550 user unknown"}},
	}
	for _, tt := range tests {
		n := email
		n.Attempts = tt.attempts
		if got := NextDelivery(n, tt.err, now); got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
	long := NextDelivery(email, errors.New(strings.Repeat("错", 600)), now)
	if n := len([]rune(long.Error)); n != 501 || !strings.HasSuffix(long.Error, "…") {
		t.Errorf("a long error is kept at %d characters", n)
	}
	sms := Notification{Channel: NotifySMS, To: "13912345678"}
	if d := NextDelivery(sms, errors.New("gateway refused 13912345678"), now); d.Error != "gateway refused 139****5678" {
		t.Errorf("SMS error: %q", d.Error)
	}
}

func TestDeadlineNoticeText(t *testing.T) {
	base := DeadlineNotice{CaseNo: "TS20261120-00001", CaseSubject: "理财产品收益与宣传不符", Kind: KindComplaint,
		Clock: DueReply, Due: NewDate(2026, 11, 23), Today: NewDate(2026, 11, 22), Remaining: 1}
	tests := []struct {
		name          string
		change        func(n *DeadlineNotice)
		subject, body string
	}{
		{"reply due soon", func(*DeadlineNotice) {},
			"【投诉管理】案件 TS20261120-00001 网点答复期限将至",
			"案件 TS20261120-00001（理财产品收益与宣传不符）的网点答复期限为 2026-11-23，剩余 1 个工作日，请及时处理。"},
		{"due today", func(n *DeadlineNotice) { n.Today, n.Remaining = n.Due, 0 },
			"【投诉管理】案件 TS20261120-00001 网点答复期限将至",
			"案件 TS20261120-00001（理财产品收益与宣传不符）的网点答复期限为 2026-11-23，今日到期，请及时处理。"},
		{"no working day left", func(n *DeadlineNotice) { n.Due, n.Today, n.Remaining = NewDate(2026, 12, 5), NewDate(2026, 12, 4), 0 },
			"【投诉管理】案件 TS20261120-00001 网点答复期限将至",
			"案件 TS20261120-00001（理财产品收益与宣传不符）的网点答复期限为 2026-12-05，到期前已无工作日，请及时处理。"},
		{"calendar days", func(n *DeadlineNotice) { n.CalendarDays = true },
			"【投诉管理】案件 TS20261120-00001 网点答复期限将至",
			"案件 TS20261120-00001（理财产品收益与宣传不符）的网点答复期限为 2026-11-23，剩余 1 天（节假日安排缺失，按自然日计算），请及时处理。"},
		{"decision overdue, escalated", func(n *DeadlineNotice) {
			n.Clock, n.Due, n.Today, n.Overdue, n.Escalated, n.Level = DueDecision, NewDate(2026, 12, 5), NewDate(2026, 12, 6), true, true, 3
		},
			"【投诉管理】案件 TS20261120-00001 投诉处理已超期",
			"案件 TS20261120-00001（理财产品收益与宣传不符）的投诉处理期限为 2026-12-05，已超期 1 天，已自动升级至第 3 级。"},
		{"escalated to head office", func(n *DeadlineNotice) {
			n.Today, n.Overdue, n.Escalated, n.Level = NewDate(2026, 11, 26), true, true, 4
		},
			"【投诉管理】案件 TS20261120-00001 网点答复已超期",
			"案件 TS20261120-00001（理财产品收益与宣传不符）的网点答复期限为 2026-11-23，已超期 3 天，已自动升级至第 4 级（总行）。"},
		{"already at head office", func(n *DeadlineNotice) { n.Today, n.Overdue, n.Level = NewDate(2026, 11, 24), true, 4 },
			"【投诉管理】案件 TS20261120-00001 网点答复已超期",
			"案件 TS20261120-00001（理财产品收益与宣传不符）的网点答复期限为 2026-11-23，已超期 1 天，案件已在总行（第 4 级），请尽快处理。"},
		{"petition", func(n *DeadlineNotice) { n.CaseNo, n.Kind, n.Clock = "XF20261120-00002", KindPetition, DueDecision },
			"【投诉管理】案件 XF20261120-00002 信访办理期限将至",
			"案件 XF20261120-00002（理财产品收益与宣传不符）的信访办理期限为 2026-11-23，剩余 1 个工作日，请及时处理。"},
		{"long subject on two lines", func(n *DeadlineNotice) { n.CaseSubject = strings.Repeat("长", 30) + "\n" + strings.Repeat("题", 30) },
			"【投诉管理】案件 TS20261120-00001 网点答复期限将至",
			"案件 TS20261120-00001（" + strings.Repeat("长", 30) + " " + strings.Repeat("题", 9) + "…）的网点答复期限为 2026-11-23，剩余 1 个工作日，请及时处理。"},
		{"no subject", func(n *DeadlineNotice) { n.CaseSubject = " " },
			"【投诉管理】案件 TS20261120-00001 网点答复期限将至",
			"案件 TS20261120-00001的网点答复期限为 2026-11-23，剩余 1 个工作日，请及时处理。"},
	}
	for _, tt := range tests {
		n := base
		tt.change(&n)
		subject, body := n.Text()
		if subject != tt.subject || body != tt.body {
			t.Errorf("%s:\n got %s\n     %s\nwant %s\n     %s", tt.name, subject, body, tt.subject, tt.body)
		}
	}
	if got := DueReply.Title(KindPetition); got != "信访受理告知" {
		t.Errorf("petition reply clock: %s", got)
	}
}

// TestExternalNoticesCarryNoComplaintText_Issue11Item8: an e-mail or SMS
// leaves the bank, so it carries the tracking number, what is due and a
// link, never the case's subject (in-app notices may quote it). Every clock,
// kind and notice is tried on every channel.
func TestExternalNoticesCarryNoComplaintText_Issue11Item8(t *testing.T) {
	t.Parallel()
	const subjectText = "理财产品收益与宣传不符张三13812345678"
	link := CaseLink("https://redress.bank.example/", "TS20261120-00001")
	if link != "https://redress.bank.example/cases/TS20261120-00001" || CaseLink("", "XF20261120-00002") != "/cases/XF20261120-00002" {
		t.Fatalf("CaseLink: %s", link)
	}
	notices := []func(n *DeadlineNotice){
		func(*DeadlineNotice) {},
		func(n *DeadlineNotice) { n.Today, n.Remaining = n.Due, 0 },
		func(n *DeadlineNotice) { n.CalendarDays = true },
		func(n *DeadlineNotice) {
			n.Today, n.Overdue, n.Escalated, n.Level = NewDate(2026, 11, 26), true, true, 3
		},
		func(n *DeadlineNotice) {
			n.Today, n.Overdue, n.Escalated, n.Level = NewDate(2026, 11, 26), true, true, 4
		},
		func(n *DeadlineNotice) { n.Today, n.Overdue, n.Level = NewDate(2026, 11, 26), true, 4 },
	}
	for _, kind := range Kinds {
		for _, clock := range DueClocks {
			for i, change := range notices {
				n := DeadlineNotice{CaseNo: "TS20261120-00001", CaseSubject: subjectText, Kind: kind, Clock: clock,
					Due: NewDate(2026, 11, 23), Today: NewDate(2026, 11, 22), Remaining: 1}
				change(&n)
				for _, ch := range append(slices.Clone(NotifyChannels), "fax") {
					subject, body := n.Message(ch, link)
					text := subject + "\n" + body
					inApp, _ := n.Text()
					if subject != inApp || !strings.Contains(body, clock.Title(kind)) || !strings.Contains(body, "2026-11-23") {
						t.Errorf("%s %s %s notice %d: %q / %q does not say what is due", kind, clock, ch, i, subject, body)
					}
					if ch == NotifyInApp {
						if !strings.Contains(body, "理财产品收益") {
							t.Errorf("%s %s notice %d: the in-app body %q does not name the case", kind, clock, i, body)
						}
						continue
					}
					if strings.Contains(text, "理财") || strings.Contains(text, "张三") || strings.Contains(text, "138") {
						t.Errorf("%s %s %s notice %d quotes the case: %q / %q", kind, clock, ch, i, subject, body)
					}
					if !strings.Contains(subject, n.CaseNo) || !strings.Contains(body, n.CaseNo) || !strings.HasSuffix(body, "详情："+link) {
						t.Errorf("%s %s %s notice %d lacks the tracking number or the link: %q / %q", kind, clock, ch, i, subject, body)
					}
				}
			}
		}
	}
	n := DeadlineNotice{CaseNo: "TS20261120-00001", CaseSubject: subjectText, Kind: KindComplaint, Clock: DueReply,
		Due: NewDate(2026, 11, 23), Today: NewDate(2026, 11, 22), Remaining: 1}
	if _, body := n.ExternalText(link); body != "案件 TS20261120-00001 的网点答复期限为 2026-11-23，剩余 1 个工作日，请及时处理。详情："+link {
		t.Errorf("external body: %s", body)
	}
	if _, body := n.ExternalText(""); strings.Contains(body, "详情") {
		t.Errorf("an external body without a link: %s", body)
	}
}

func TestCalendarMissingText(t *testing.T) {
	subject, body := CalendarMissingText(RegionCN, 2027)
	if subject != "【投诉管理】缺少 2027 年节假日安排（CN）" || !strings.Contains(body, "CN 地区 2027 年") ||
		!strings.Contains(body, "添加 2027 年的节假日安排") {
		t.Errorf("%s / %s", subject, body)
	}
}

func TestContactValidation(t *testing.T) {
	for mobile, want := range map[string]string{
		"13912345678": "13912345678", "+86 139 1234 5678": "13912345678", "86-139-1234-5678": "13912345678",
		" 139-1234-5678 ": "13912345678", "010-12345678": "01012345678",
	} {
		if got := NormalizeMobile(mobile); got != want {
			t.Errorf("NormalizeMobile(%q) = %q, want %q", mobile, got, want)
		}
	}
	user := NewUser{Login: "li.qiang", Name: "李强", Role: RoleManager, Org: "BJ"}
	for _, tt := range []struct {
		email, mobile string
		bad           []string
	}{
		{"", "", nil},
		{"li.qiang@bank.example", "+86 13912345678", nil},
		{" Li.Qiang+cases@sub.bank.example ", "", nil},
		{"li.qiang", "", []string{"email"}},
		{"li qiang@bank.example", "", []string{"email"}},
		{"li@bank", "", []string{"email"}},
		{"", "12912345678", []string{"mobile"}},
		{"", "010-12345678", []string{"mobile"}},
		{"a@", "139", []string{"email", "mobile"}},
	} {
		n := user
		n.Email, n.Mobile = tt.email, tt.mobile
		fields := ErrorFields(n.Validate())
		up := UserUpdate{Email: &tt.email, Mobile: &tt.mobile}
		upFields := ErrorFields(up.Validate())
		if len(fields) != len(tt.bad) || len(upFields) != len(tt.bad) {
			t.Errorf("email %q mobile %q: new user %v, update %v; want problems with %v", tt.email, tt.mobile, fields, upFields, tt.bad)
		}
		for _, f := range tt.bad {
			if fields[f] == "" || upFields[f] == "" {
				t.Errorf("email %q mobile %q: no problem with %s", tt.email, tt.mobile, f)
			}
		}
	}
	if err := (UserUpdate{}).Validate(); !strings.Contains(ErrorFields(err)["name"], "email or mobile") {
		t.Errorf("empty update: %v", err)
	}
}
