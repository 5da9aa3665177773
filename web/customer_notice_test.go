package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"redress"
	"redress/jobs"
	"redress/sqldb"
)

// okGateway is an SMS sender that accepts everything and keeps it.
type okGateway struct{ sent []redress.Notification }

func (g *okGateway) Send(_ context.Context, n redress.Notification) error {
	g.sent = append(g.sent, n)
	return nil
}

// TestCustomerNoticesByAPIAndPage_Seed002Art5: the templates are admin data
// (a template without the hotline refused); a notice is previewed and sent
// by API, delivered by the customer outbox with its proof; from the case
// page a call is recorded with its proof and a letter's posting recorded.
func TestCustomerNoticesByAPIAndPage_Seed002Art5(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/bank", `{"name":"示例银行","hotline":"95500","address":"北京市海淀区1号"}`); status != 200 {
		t.Fatalf("bank profile: %d %v", status, body)
	}
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/notice-templates",
		`{"templates":[{"kind":"acceptance","lang":"zh-CN","body":"您的投诉已受理，谢谢。"}]}`); status != 400 {
		t.Fatalf("a template without the hotline: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr", "PUT", "/api/v1/settings/notice-templates",
		`{"templates":[{"kind":"acceptance","lang":"zh-CN","body":"【{bank}】{no} 已受理，{date} 前答复，电话 {hotline}。"}]}`); status != 403 {
		t.Fatalf("a manager set the templates: %d %v", status, body)
	}
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/notice-templates",
		`{"templates":[{"kind":"acceptance","lang":"zh-CN","body":"【{bank}】{no} 已受理，{date} 前答复，电话 {hotline}。"}]}`); status != 200 {
		t.Fatalf("templates: %d %v", status, body)
	}
	c := f.create(t)
	no := c["no"].(string)
	if status, body := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/accept", `{"version":1}`); status != 200 {
		t.Fatalf("accept: %d %v", status, body)
	}
	want := fmt.Sprintf("【示例银行】%s 已受理，%s 前答复，电话 95500。", no, c["decision_due"])
	status, preview := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/notices/preview", `{"kind":"acceptance","method":"sms"}`)
	if status != 200 || preview["body"] != want {
		t.Fatalf("preview: %d %v, want %s", status, preview, want)
	}
	if status, sent := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/notices", `{"kind":"acceptance","method":"sms"}`); status != 201 || sent["status"] != "pending" {
		t.Fatalf("send: %d %v", status, sent)
	}
	gateway := &okGateway{}
	outbox := jobs.NewOutbox(sqldb.NewCustomerOutbox(f.db), map[redress.NotifyChannel]redress.Sender{redress.NotifySMS: gateway}, time.Now, nil)
	if report, err := outbox.Once(context.Background()); err != nil || report.Sent != 1 || gateway.sent[0].To != "13812345678" {
		t.Fatalf("outbox: %+v %v %+v", report, err, gateway.sent)
	}

	client := pageClient(t, f, "mgr")
	if status, page := postPage(t, f, client, "/cases/"+no+"/notices", url.Values{"kind": {"acceptance"}, "method": {"phone"},
		"lang": {"en"}, "preview": {"1"}}); status != 200 || !strings.Contains(page, `id="notice-preview"`) || !strings.Contains(page, "accepted") {
		t.Fatalf("preview from the page: %d %s", status, page)
	}
	if status, page := postPage(t, f, client, "/cases/"+no+"/notices", url.Values{"kind": {"acceptance"}, "method": {"phone"},
		"lang": {"zh-CN"}}); status != 200 || !strings.Contains(page, `role="alert"`) {
		t.Fatalf("a call without its proof: %d %s", status, page)
	}
	postPage(t, f, client, "/cases/"+no+"/notices", url.Values{"kind": {"acceptance"}, "method": {"phone"}, "lang": {"zh-CN"},
		"proof": {"电话录音 R-77"}})
	postPage(t, f, client, "/cases/"+no+"/notices", url.Values{"kind": {"acceptance"}, "method": {"letter"}, "lang": {"zh-CN"}})
	_, list := f.call(t, "staff", "GET", "/api/v1/cases/"+no+"/notices", "")
	items := list["items"].([]any)
	if len(items) != 3 {
		t.Fatalf("notices: %v", list)
	}
	smsNotice, call, letter := items[0].(map[string]any), items[1].(map[string]any), items[2].(map[string]any)
	if smsNotice["status"] != "sent" || !strings.HasPrefix(smsNotice["proof"].(string), "SMS gateway accepted") ||
		call["status"] != "recorded" || call["proof"] != "电话录音 R-77" || letter["status"] != "printed" {
		t.Fatalf("notices: %v", items)
	}
	id := fmt.Sprint(letter["id"])
	if text := pageText(t, f, client, "/cases/"+no+"/notices/"+id+"/print"); !strings.Contains(text, `id="notice-letter"`) ||
		!strings.Contains(text, "示例银行") || !strings.Contains(text, "95500") {
		t.Fatalf("the printed letter: %s", text)
	}
	if status, page := postPage(t, f, client, "/cases/"+no+"/notices/"+id+"/posted", url.Values{"proof": {"挂号信 XA1"}}); status != 200 ||
		!strings.Contains(page, "挂号信 XA1") {
		t.Fatalf("posting from the page: %d %s", status, page)
	}
	if status, body := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/notices/"+id+"/posted", `{"proof":"again"}`); status != 409 {
		t.Fatalf("posted twice: %d %v", status, body)
	}
	for _, it := range items {
		if body := it.(map[string]any)["body"].(string); strings.Contains(body, "理财") || strings.Contains(body, "收益") {
			t.Errorf("a notice quotes the complaint: %s", body)
		}
	}
}
