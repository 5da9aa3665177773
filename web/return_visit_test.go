package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"redress"
)

// visitDue walks a case to closed without the customer's answer at
// closing: the default policy (unasked) gives it a return visit.
func (m *matrix) visitDue(t *testing.T) *redress.Case {
	t.Helper()
	c := m.prepare(t, redress.StatusSignedOff, false)
	closed, err := m.cases.Act(redress.WithUser(context.Background(), m.users["manager.in"]), c.No,
		redress.ActionRequest{Action: redress.ActionClose, Version: c.Version})
	if err != nil || closed.ReturnVisit == nil {
		t.Fatalf("close: %v, %+v", err, closed)
	}
	return closed
}

// closeWithoutAnswer walks a new case through the API to closed, the
// customer not asked at closing, and answers its tracking number.
func closeWithoutAnswer(t *testing.T, f *apiFixture) string {
	t.Helper()
	no := f.create(t)["no"].(string)
	for _, s := range []struct{ login, action, body string }{
		{"mgr", "accept", `{"version":1}`},
		{"mgr", "determine", `{"version":2,"liability":"no_fault","root_cause":"客户误解收费规则"}`},
		{"mgr", "reply", `{"version":3,"facts":"年费按合同收取","basis":"合同第五条","outcome":"not_upheld","remedies":["review"],"notice_method":"phone","notice_at":"2026-11-21T10:00:00+08:00","notice_proof":"录音 R-01"}`},
		{"head", "sign_off", `{"version":4}`},
		{"mgr", "close", `{"version":5}`}, // closing does not wait for the customer's answer
	} {
		if status, c := f.call(t, s.login, "POST", "/api/v1/cases/"+no+"/"+s.action, s.body); status != 200 {
			t.Fatalf("%s: %d %v", s.action, status, c)
		}
	}
	return no
}

// publicGet and publicPost ask the public handler.
func publicGet(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(raw)
}

func publicPost(t *testing.T, srv *httptest.Server, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(raw)
}

// TestReturnVisitSurveyOnThePortal_Seed004 (seed 004: 客户离开后，应通过电话或
// 短信等方式进行后续的客户满意度调查): a case closed without the customer's
// answer waits in the 待回访 queue; a survey link is issued from the API
// (its path holds no case number and no phone), answered once on the public
// handler in Chinese or English; a tampered, unknown or used link gets the
// same page; the dissatisfied answer shows the proposal on the case page
// and reaches the manager's inbox.
func TestReturnVisitSurveyOnThePortal_Seed004(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := closeWithoutAnswer(t, f)
	_, c := f.call(t, "staff", "GET", "/api/v1/cases/"+no, "")
	rv, _ := c["return_visit"].(map[string]any)
	if rv == nil || rv["status"] != "open" || rv["reasons"].([]any)[0] != "unasked" || c["satisfaction"] != nil {
		t.Fatalf("closed case: %v", c)
	}
	queued := func() bool {
		t.Helper()
		status, page := f.call(t, "staff", "GET", "/api/v1/cases?queue=return_visit", "")
		if status != 200 {
			t.Fatalf("queue: %d %v", status, page)
		}
		for _, it := range page["cases"].([]any) {
			if it.(map[string]any)["no"] == no {
				return true
			}
		}
		return false
	}
	if !queued() {
		t.Fatal("the case is not in the 待回访 queue")
	}
	if status, body := f.call(t, "auditor", "POST", "/api/v1/cases/"+no+"/survey", `{"version":6}`); status != http.StatusForbidden {
		t.Fatalf("an auditor issued a survey: %d %v", status, body)
	}
	status, issued := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/survey", `{"version":6}`)
	path, _ := issued["path"].(string)
	if status != http.StatusCreated || !strings.HasPrefix(path, "/survey/") || strings.Contains(path, no) || strings.Contains(path, "5678") {
		t.Fatalf("survey: %d %v", status, issued)
	}
	portal := httptest.NewServer(f.server.PublicHandler())
	t.Cleanup(portal.Close)

	resp, page := publicGet(t, portal, path)
	if resp.StatusCode != 200 || !strings.Contains(page, `id="survey-form"`) || !strings.Contains(page, "您对我行") ||
		!strings.Contains(page, `name="viewport"`) || resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("survey page: %d %v %s", resp.StatusCode, resp.Header, page)
	}
	if _, en := publicGet(t, portal, path+"?lang=en"); !strings.Contains(en, "Are you satisfied") || !strings.Contains(en, `lang="en"`) {
		t.Fatalf("English survey page: %s", en)
	}
	token := strings.TrimPrefix(path, "/survey/")
	flipped := token[:3] + map[bool]string{true: "1", false: "0"}[token[3] == '0'] + token[4:]
	_, invalid := publicGet(t, portal, "/survey/"+flipped)
	_, unknown := publicGet(t, portal, "/survey/00000000000000000000000000000000.zzzzzz.00000000000000000000000000000000")
	if !strings.Contains(invalid, `id="survey-invalid"`) || invalid != unknown {
		t.Fatalf("a tampered and an unknown link differ or are answerable:\n%s\n%s", invalid, unknown)
	}
	if _, p := publicPost(t, portal, path, url.Values{"satisfaction": {"unreachable"}}); !strings.Contains(p, `id="survey-form"`) || !strings.Contains(p, `role="alert"`) {
		t.Fatalf("an answer that is none: %s", p)
	}
	if _, p := publicPost(t, portal, path, url.Values{"satisfaction": {"dissatisfied"}, "comment": {"等待时间太长"}}); !strings.Contains(p, `id="survey-thanks"`) {
		t.Fatalf("answer: %s", p)
	}
	if _, p := publicPost(t, portal, path, url.Values{"satisfaction": {"satisfied"}}); !strings.Contains(p, `id="survey-invalid"`) {
		t.Fatalf("a second answer: %s", p)
	}
	if _, p := publicGet(t, portal, path); p != invalid {
		t.Fatalf("a used link is not answered like any other: %s", p)
	}
	_, c = f.call(t, "staff", "GET", "/api/v1/cases/"+no, "")
	rv = c["return_visit"].(map[string]any)
	if rv["status"] != "answered" || rv["satisfaction"] != "dissatisfied" || rv["proposal"] != redress.ProposalReopenOrReview {
		t.Fatalf("after the survey: %v", rv)
	}
	if queued() {
		t.Fatal("an answered visit is still in the queue")
	}
	_, inbox := f.call(t, "mgr", "GET", "/api/v1/notifications", "")
	found := false
	for _, it := range inbox["notifications"].([]any) {
		n := it.(map[string]any)
		found = found || n["kind"] == string(redress.NotifyVisitDissatisfied) && n["case"] == no
	}
	if !found {
		t.Fatalf("the manager was not told: %v", inbox)
	}
	text := pageText(t, f, pageClient(t, f, "mgr"), "/cases/"+no)
	if !strings.Contains(text, `id="visit-proposal"`) || !strings.Contains(text, "建议重新办理或启动核查") {
		t.Fatalf("the case page shows no proposal: %s", text)
	}
}

// TestReturnVisitByPhoneOnTheCasePage: the attempt form of the case page
// records a call and its answer; the survey button issues a link shown once.
func TestReturnVisitByPhoneOnTheCasePage(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := closeWithoutAnswer(t, f)
	client := pageClient(t, f, "mgr")
	if text := pageText(t, f, client, "/?queue=return_visit"); !strings.Contains(text, no) {
		t.Fatalf("the workbench's 待回访 queue lacks %s: %s", no, text)
	}
	if text := pageText(t, f, client, "/cases/"+no); !strings.Contains(text, `id="act-return_visit"`) || !strings.Contains(text, `id="return-visit"`) {
		t.Fatalf("case page: %s", text)
	}
	if status, page := postPage(t, f, client, "/cases/"+no+"/survey", url.Values{"version": {"6"}}); status != 200 ||
		!strings.Contains(page, `id="survey-link"`) || !strings.Contains(page, "/survey/") {
		t.Fatalf("survey from the page: %d %s", status, page)
	}
	status, page := postPage(t, f, client, "/cases/"+no+"/act/return_visit", url.Values{"version": {"7"}, "visit_method": {"phone"},
		"visit_outcome": {"answered"}, "satisfaction": {"basically_satisfied"}, "text": {"客户表示基本满意"}})
	if status != 200 && status != http.StatusSeeOther {
		t.Fatalf("attempt: %d %s", status, page)
	}
	_, c := f.call(t, "staff", "GET", "/api/v1/cases/"+no, "")
	rv := c["return_visit"].(map[string]any)
	if rv["status"] != "answered" || rv["satisfaction"] != "basically_satisfied" || len(rv["attempts"].([]any)) != 2 {
		t.Fatalf("after the call: %v", rv)
	}
}

// TestReturnVisitPolicyAdmin: the policy is admin data, by API and page,
// every change an audit event; its problems are named by field.
func TestReturnVisitPolicyAdmin(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	body := `{"enabled":true,"from":"reply","delay_days":5,"regulator":true,"dissatisfied":true,"unasked":false,"longer_than_days":15,
		"key_customers":true,"sample_percent":20,"attempts":3,"survey_days":7,"script":"您好，这里是客户服务回访。"}`
	if status, _ := f.call(t, "mgr", "PUT", "/api/v1/settings/return-visits", body); status != http.StatusForbidden {
		t.Fatalf("a manager set the policy: %d", status)
	}
	if status, p := f.call(t, "admin", "PUT", "/api/v1/settings/return-visits", strings.Replace(body, `"attempts":3`, `"attempts":0`, 1)); status != 400 {
		t.Fatalf("0 attempts: %d %v", status, p)
	} else if _, _, fields := errorOf(t, p); fields["attempts"] == nil {
		t.Fatalf("0 attempts not named: %v", p)
	}
	if status, p := f.call(t, "admin", "PUT", "/api/v1/settings/return-visits", body); status != 200 || p["from"] != "reply" {
		t.Fatalf("save: %d %v", status, p)
	}
	if status, p := f.call(t, "staff", "GET", "/api/v1/settings/return-visits", ""); status != 200 || p["sample_percent"] != 20.0 {
		t.Fatalf("read: %d %v", status, p)
	}
	admin := pageClient(t, f, "admin")
	if text := pageText(t, f, admin, "/admin/return-visits"); !strings.Contains(text, `id="return-visit-policy"`) || !strings.Contains(text, `value="20"`) {
		t.Fatalf("policy page: %s", text)
	}
	form := url.Values{"enabled": {"on"}, "from": {"close"}, "delay_days": {"3"}, "dissatisfied": {"on"}, "longer_than_days": {"15"},
		"sample_percent": {"x"}, "attempts": {"2"}, "survey_days": {"7"}}
	if status, page := postPage(t, f, admin, "/admin/return-visits", form); status != 200 || !strings.Contains(page, `role="alert"`) {
		t.Fatalf("a share that is no number: %d %s", status, page)
	}
	form.Set("sample_percent", "0")
	postPage(t, f, admin, "/admin/return-visits", form)
	if _, p := f.call(t, "staff", "GET", "/api/v1/settings/return-visits", ""); p["attempts"] != 2.0 || p["regulator"] != false {
		t.Fatalf("saved from the page: %v", p)
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=system.set_return_visit_policy", "")
	if items, _ := events["events"].([]any); len(items) != 2 {
		t.Fatalf("policy events: %v", events)
	}
}
