package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestNoticeTemplatesPagePreviewAndPrints_Seed002Art5 (seed 002 Art.5: 我行
// 客户投诉电话为… on every document; issue 14 item 2): the templates are admin
// data edited on their own page (and by API) with a preview before saving
// that saves nothing; a save is audited; the receipt and the decision
// letter print the edited footer with the bank's name, hotline and
// address from the profile; a manager sees but may not save; hostile input
// (markup, an unknown placeholder, a field of no template) changes nothing.
func TestNoticeTemplatesPagePreviewAndPrints_Seed002Art5(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	admin := pageClient(t, f, "admin")
	if page := pageText(t, f, admin, "/admin/notice-templates"); !strings.Contains(page, `id="notice-templates-form"`) ||
		!strings.Contains(page, "告知不会自动生成") {
		t.Fatalf("the page without a bank profile: %s", page)
	}
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/bank",
		`{"name":"某某银行北京分行","hotline":"95599","address":"北京市西城区金融大街1号","portal_url":"https://ts.example.cn"}`); status != 200 {
		t.Fatalf("bank: %d %v", status, body)
	}
	footer := "请凭编号 {no} 查询。{bank}投诉专线 {hotline}，来信请寄 {address}。<script>alert(1)</script>"
	form := url.Values{"tpl.footer.zh-CN": {footer}, "preview": {"1"}, "tpl.apology.zh-CN": {"{hotline} 对不起"}}
	status, page := postPage(t, f, admin, "/admin/notice-templates", form)
	if status != 200 || !strings.Contains(page, "请凭编号 TS20261120-00042 查询。某某银行北京分行投诉专线 95599，来信请寄 北京市西城区金融大街1号。&lt;script&gt;") ||
		strings.Contains(page, "<script>alert") {
		t.Fatalf("the preview: %d %s", status, page)
	}
	no := f.repliedCase(t)
	client := pageClient(t, f, "mgr")
	if receipt := pageText(t, f, client, "/cases/"+no+"/receipt"); strings.Contains(receipt, "投诉专线") ||
		!strings.Contains(receipt, "某某银行北京分行客户投诉电话 95599。北京市西城区金融大街1号") {
		t.Fatalf("a preview changed the receipt, or the default footer is missing: %s", receipt)
	}
	// An unknown placeholder is named on the page, nothing saved.
	bad := url.Values{"tpl.footer.zh-CN": {"{hotline} {subject}"}}
	if status, page := postPage(t, f, admin, "/admin/notice-templates", bad); status != 200 || !strings.Contains(page, `role="alert"`) ||
		!strings.Contains(page, `id="tpl.footer.zh-CN-error"`) {
		t.Fatalf("an unknown placeholder: %d %s", status, page)
	}
	if status, _ := postPage(t, f, client, "/admin/notice-templates", url.Values{"tpl.footer.zh-CN": {footer}}); status != 403 {
		t.Fatalf("a manager saved the templates: %d", status)
	}
	delete(form, "preview")
	if status, page := postPage(t, f, admin, "/admin/notice-templates", form); status != 200 || !strings.Contains(page, "投诉专线") {
		t.Fatalf("save: %d %s", status, page)
	}
	want := "请凭编号 " + no + " 查询。某某银行北京分行投诉专线 95599，来信请寄 北京市西城区金融大街1号。"
	for _, path := range []string{"/cases/" + no + "/receipt", "/cases/" + no + "/print/decision"} {
		if text := pageText(t, f, client, path); !strings.Contains(text, want) || strings.Contains(text, "<script>alert") {
			t.Errorf("%s does not print the edited footer: %s", path, text)
		}
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=system.set_notice_templates", "")
	if items, _ := events["events"].([]any); len(items) != 1 || !strings.Contains(fmt.Sprint(items[0]), "投诉专线") {
		t.Fatalf("the save's audit event: %v", events)
	}
	// The API's preview renders without saving; a template without {link} for the survey is refused.
	status, body := f.call(t, "admin", "POST", "/api/v1/settings/notice-templates/preview",
		`{"templates":[{"kind":"survey","lang":"en","body":"{bank}: rate us at {link}. Hotline {hotline}."}]}`)
	if status != 200 || !strings.Contains(fmt.Sprint(body), "rate us at https://ts.example.cn/survey/") {
		t.Fatalf("API preview: %d %v", status, body)
	}
	if status, body := f.call(t, "admin", "POST", "/api/v1/settings/notice-templates/preview",
		`{"templates":[{"kind":"survey","lang":"en","body":"{bank}: rate us. Hotline {hotline}."}]}`); status != 400 {
		t.Fatalf("a survey SMS without its link: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr", "POST", "/api/v1/settings/notice-templates/preview", `{"templates":[],"x":1}`); status != 400 {
		t.Fatalf("an unknown field: %d %v", status, body)
	}
}

// TestLifecycleNoticeTasksOnCasePage_Order2020No3Art13: a customer who
// chose a call or a letter gets the acceptance notice as a task on the case
// page the moment the case is accepted; the call is recorded from the task
// with its proof (no second notice), the letter printed and its posting
// recorded.
func TestLifecycleNoticeTasksOnCasePage_Order2020No3Art13(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/bank", `{"name":"某某银行","hotline":"95599","address":"北京市西城区金融大街1号"}`); status != 200 {
		t.Fatalf("bank: %d %v", status, body)
	}
	client := pageClient(t, f, "mgr")
	for _, method := range []string{"phone", "letter"} {
		body := strings.Replace(createBody, `"phone":"13812345678"}`, `"phone":"13812345678","address":"北京市海淀区1号","notice_by":"`+method+`"}`, 1)
		status, c := f.call(t, "staff", "POST", "/api/v1/cases", body)
		if status != 201 {
			t.Fatalf("create: %d %v", status, c)
		}
		no := c["no"].(string)
		f.act(t, "mgr", no, "accept", "}")
		_, list := f.call(t, "mgr", "GET", "/api/v1/cases/"+no+"/notices", "")
		items, _ := list["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("%s: notices %v", method, list)
		}
		n := items[0].(map[string]any)
		id := fmt.Sprint(n["id"])
		if n["kind"] != "acceptance" || n["method"] != method || n["status"] != "pending" || !strings.Contains(n["body"].(string), "95599") {
			t.Fatalf("%s: the notice %v", method, n)
		}
		page := pageText(t, f, client, "/cases/"+no)
		if !strings.Contains(page, `id="notice-task-`+id+`"`) {
			t.Fatalf("%s: no task on the case page", method)
		}
		if method == "phone" {
			status, page = postPage(t, f, client, "/cases/"+no+"/notices", url.Values{"kind": {"acceptance"}, "method": {"phone"},
				"lang": {"zh-CN"}, "proof": {"电话录音 R-88"}})
		} else {
			if letter := pageText(t, f, client, "/cases/"+no+"/notices/"+id+"/print"); !strings.Contains(letter, "北京市西城区金融大街1号") {
				t.Fatalf("the letter: %s", letter)
			}
			status, page = postPage(t, f, client, "/cases/"+no+"/notices/"+id+"/posted", url.Values{"proof": {"挂号信 XA9"}})
		}
		if status != 200 || strings.Contains(page, `id="notice-task-`+id+`"`) {
			t.Fatalf("%s: the task stays after its proof: %d", method, status)
		}
		_, list = f.call(t, "mgr", "GET", "/api/v1/cases/"+no+"/notices", "")
		if items, _ := list["items"].([]any); len(items) != 1 {
			t.Fatalf("%s: %d notices after the proof: %v", method, len(items), list)
		}
	}
}
