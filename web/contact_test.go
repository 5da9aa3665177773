package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"redress"
)

// TestContactContract_Seed002Art7_三日内回复客户: the contract of issue 10
// item 6: POST contact with text, notice_method, notice_at, notice_proof and
// agreed_reply_date answers the case with reply_overdue false once the reply
// clock is satisfied, keeping reply_due, decision_due and overdue; a field of
// another action and an agreed date before the notice are refused by name;
// a petition's accept without its notice is refused naming notice_method.
func TestContactContract_Seed002Art7_三日内回复客户(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	c := f.create(t) // received 2026-11-20: the 3-day branch reply is long past
	no := c["no"].(string)
	if c["reply_overdue"] != true {
		t.Fatalf("a fresh case received 2026-11-20 is not reply-overdue: %v", c["reply_overdue"])
	}
	now := time.Now().In(redress.Beijing)
	told := now.Add(-time.Hour).Format(time.RFC3339)
	agreed := now.AddDate(0, 0, 3).Format(time.DateOnly)
	status, body := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/contact",
		`{"version":1,"text":"已电话告知客户正在调查","notice_method":"phone","notice_at":"`+told+`","notice_proof":"录音 R-01","decision":"accepted"}`)
	if code, _, fields := errorOf(t, body); status != http.StatusBadRequest || code != "invalid" || fields["decision"] == nil {
		t.Fatalf("a field of accept on contact: %d %v", status, body)
	}
	status, body = f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/contact",
		`{"version":1,"text":"已电话告知客户正在调查","notice_method":"phone","notice_at":"`+told+`","notice_proof":"录音 R-01","agreed_reply_date":"2026-11-01"}`)
	if _, _, fields := errorOf(t, body); status != http.StatusBadRequest || fields["agreed_reply_date"] == nil {
		t.Fatalf("an agreed date before the notice: %d %v", status, body)
	}
	status, body = f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/contact",
		`{"version":1,"text":"已电话告知客户正在调查","notice_method":"phone","notice_at":"`+told+`","notice_proof":"录音 R-01","agreed_reply_date":"`+agreed+`"}`)
	if status != http.StatusOK {
		t.Fatalf("contact: %d %v", status, body)
	}
	contact, _ := body["contact"].(map[string]any)
	if body["reply_overdue"] != false || body["reply_due"] != "2026-11-23" || body["decision_due"] != "2026-12-05" ||
		body["overdue"] == nil || body["reply_satisfied_by"] != "contact" || body["agreed_reply_due"] != agreed ||
		contact == nil || contact["text"] != "已电话告知客户正在调查" || contact["by"] != "staff" {
		t.Fatalf("contacted case: %v", body)
	}

	// A petition's acceptance decision carries its notice (信访工作条例 Art.23).
	status, p := f.call(t, "staff", "POST", "/api/v1/cases", `{"kind":"petition","channel":"letter","received_at":"2026-11-20T09:30:00+08:00",
"complainant":{"name":"李四","id_type":"resident_id","id_number":"110101199003071234","phone":"13812345678"},
"subject":"对网点服务不满","description":"信访人反映网点服务问题","request":"依法处理"}`)
	if status != http.StatusCreated {
		t.Fatalf("petition: %d %v", status, p)
	}
	pno := p["no"].(string)
	status, body = f.call(t, "mgr", "POST", "/api/v1/cases/"+pno+"/accept", `{"version":1}`)
	if _, _, fields := errorOf(t, body); status != http.StatusBadRequest || fields["notice_method"] == nil {
		t.Fatalf("petition accepted without its notice: %d %v", status, body)
	}
	status, body = f.call(t, "mgr", "POST", "/api/v1/cases/"+pno+"/accept",
		`{"version":1,"decision":"accepted","notice_method":"letter","notice_at":"`+told+`","notice_proof":"受理告知书 XF-01"}`)
	if status != http.StatusOK || body["accept_decision"] != "accepted" || body["reply_overdue"] != false ||
		body["decision_start"] != now.Format(time.DateOnly) {
		t.Fatalf("petition accepted: %d %v", status, body)
	}
}

// TestContactForm: the case page offers the first contact, and its form
// records it (text, notice, agreed reply date) and shows it on the case.
func TestContactForm(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) *http.Response {
		req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	post("/login", url.Values{"login": {"mgr"}, "password": {pagePassword}})
	get := func() string {
		resp, err := client.Get(f.srv.URL + "/cases/" + no)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(raw)
	}
	if page := get(); !strings.Contains(page, `action="/cases/`+no+`/act/contact"`) || !strings.Contains(page, `name="agreed_reply_date"`) {
		t.Fatal("the case page does not offer the first contact")
	}
	now := time.Now().In(redress.Beijing)
	agreed := now.AddDate(0, 0, 2).Format(time.DateOnly)
	resp := post("/cases/"+no+"/act/contact", url.Values{"version": {"1"}, "text": {"已告知客户调查进展"},
		"notice_method": {"phone"}, "notice_at": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "notice_proof": {"录音 R-02"},
		"agreed_reply_date": {agreed}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("contact form: %d", resp.StatusCode)
	}
	status, c := f.call(t, "mgr", "GET", "/api/v1/cases/"+no, "")
	if status != 200 || c["agreed_reply_due"] != agreed || c["reply_overdue"] != false || c["contact"] == nil {
		t.Fatalf("after the form: %d %v", status, c)
	}
	if page := get(); !strings.Contains(page, "已告知客户调查进展") || !strings.Contains(page, agreed) {
		t.Fatal("the case page does not show the first contact")
	}
}
