package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReviewRequestAndDecision_Order2020No3Art20 walks a complaint's 核查
// through the API: a request on day 31 of the decision notice is refused
// naming the window; on day 30 it opens a 核查 of BJ (above BJ-01, which
// decided) with its own 30-day clock; the handler may not decide it; the
// decision letter names the window, the unit, the mediation body (admin
// data), arbitration and the courts; the case page shows the review.
func TestReviewRequestAndDecision_Order2020No3Art20(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	status, c := f.call(t, "staff", "POST", "/api/v1/cases",
		strings.Replace(createBody, "2026-11-20T09:30:00+08:00", "2026-10-10T09:30:00+08:00", 1))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, c)
	}
	no := c["no"].(string)
	act := func(login, action, body string) (int, map[string]any) {
		t.Helper()
		_, now := f.call(t, login, "GET", "/api/v1/cases/"+no, "")
		return f.call(t, login, "POST", "/api/v1/cases/"+no+"/"+action,
			`{"version":`+fmt.Sprint(int(now["version"].(float64)))+strings.TrimPrefix(body, "{"))
	}
	must := func(status int, body map[string]any) map[string]any {
		t.Helper()
		if status != http.StatusOK {
			t.Fatalf("%d %v", status, body)
		}
		return body
	}
	must(act("mgr", "accept", `{}`))
	must(act("mgr", "determine", `{,"liability":"no_fault","root_cause":"客户误解收益计算方式"}`))
	must(act("mgr", "reply", `{,"facts":"经核实","basis":"合同约定","outcome":"not_upheld","remedies":["review"],
		"notice_method":"phone","notice_at":"2026-10-20T10:00:00+08:00","notice_proof":"电话录音 R-1"}`))

	client := pageClient(t, f, "mgr")
	page := func(path string) string {
		t.Helper()
		resp, err := client.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, raw)
		}
		return string(raw)
	}
	if form := page("/cases/" + no); !strings.Contains(form, `id="act-request_review"`) || !strings.Contains(form, `name="received_at"`) ||
		!strings.Contains(form, "北京分行") {
		t.Errorf("the case page does not offer the request for 核查 to the unit above")
	}

	// Day 31 after the notice of 2026-10-20: late.
	status, body := act("staff", "request_review", `{,"received_at":"2026-11-20T10:00:00+08:00","text":"对答复不满意，申请核查"}`)
	if code, _, fields := errorOf(t, body); status != 400 || code != "invalid" ||
		!strings.Contains(fields["received_at"].(string), "30 days") || !strings.Contains(fields["received_at"].(string), "2026-11-19") {
		t.Fatalf("late request: %d %v", status, body)
	}
	// Day 30: a 核查 by the unit above, due 30 days on (Saturday 2026-12-19 moves to Monday).
	c = must(act("staff", "request_review", `{,"received_at":"2026-11-19T15:00:00+08:00","text":"对答复不满意，申请核查"}`))
	review, _ := c["review"].(map[string]any)
	if review == nil || review["kind"] != "verification" || review["org"] != "BJ" || review["due"] != "2026-12-21" ||
		review["original_handler"] != "mgr" {
		t.Fatalf("the answer's review: %v", c["review"])
	}
	if status, body := act("mgr", "decide_review", `{,"process":"程序合规","timeliness":"按时答复","merits":"结果适当",
		"result":"upheld","notice_method":"letter","notice_at":"2026-11-25T10:00:00+08:00","notice_proof":"挂号信 X1"}`); status != http.StatusForbidden {
		t.Fatalf("the handler decided the review: %d %v", status, body)
	}
	must(f.call(t, "admin", "PUT", "/api/v1/settings/mediation",
		`{"name":"北京银行业保险业消费纠纷调解中心","contact":"北京市西城区 电话 010-00000000"}`))

	letter := page("/cases/" + no + "/print/decision")
	for _, want := range []string{"30日内", "向北京分行提出核查申请", "北京银行业保险业消费纠纷调解中心", "010-00000000", "仲裁", "人民法院"} {
		if !strings.Contains(letter, want) {
			t.Errorf("the decision letter does not say %q", want)
		}
	}
	casePage := page("/cases/" + no)
	if !strings.Contains(casePage, `id="reviews"`) || !strings.Contains(casePage, "2026-12-21") {
		t.Errorf("the case page does not show the review")
	}
	if strings.Contains(casePage, `/act/decide_review"`) {
		t.Errorf("the case page offers the handler the review's decision")
	}
}

// TestReviewRequestAtAnyUnit_Order2020No3Art20: a customer of a Beijing
// outlet asks for 核查 at a Shanghai branch (CBIRC Order 2020 No.3 Art.20:
// within 30 days of the decision notice; the request may reach any unit).
// The Shanghai manager records it on the review-request page without seeing
// the case: the page names the reviewing unit (北京分行) and the due date,
// an unknown number is named as such, the case stays out of their sight,
// and a second request by the API, without a version, conflicts.
func TestReviewRequestAtAnyUnit_Order2020No3Art20(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.repliedCase(t)

	sh := pageClient(t, f, "mgr.sh")
	if form := pageText(t, f, sh, "/reviews/new"); !strings.Contains(form, `name="no"`) || !strings.Contains(form, "任何网点均可接收") {
		t.Fatalf("the review-request page: %s", form)
	}
	// An empty form names every problem in one round, in Chinese.
	status, page := postPage(t, f, sh, "/reviews/new", url.Values{"no": {""}, "received_at": {""}, "text": {""}})
	if status != http.StatusOK || !strings.Contains(page, `id="err-no"`) || !strings.Contains(page, `id="err-received_at"`) ||
		!strings.Contains(page, `id="err-text"`) || strings.Contains(page, "invalid input") {
		t.Fatalf("an empty request: %d %s", status, page)
	}
	status, page = postPage(t, f, sh, "/reviews/new", url.Values{"no": {"TS20990101-00001"},
		"received_at": {"2026-11-21T09:30"}, "text": {"对答复不满意，申请核查"}})
	if status != http.StatusOK || !strings.Contains(page, "没有这个编号的案件") {
		t.Fatalf("an unknown number: %d", status)
	}
	status, page = postPage(t, f, sh, "/reviews/new", url.Values{"no": {no},
		"received_at": {"2026-11-21T09:30"}, "text": {"对答复不满意，申请核查"}})
	if status != http.StatusOK || !strings.Contains(page, `id="review-receipt"`) || !strings.Contains(page, "北京分行") ||
		!strings.Contains(page, "2026-12-21") || strings.Contains(page, "客户误解收益计算方式") {
		t.Fatalf("the receipt of the request: %d %s", status, page)
	}
	if status, _ := f.call(t, "mgr.sh", "GET", "/api/v1/cases/"+no, ""); status != http.StatusNotFound {
		t.Fatalf("the receiver reads the case: %d", status)
	}
	if status, body := f.call(t, "mgr.sh", "POST", "/api/v1/cases/"+no+"/request_review",
		`{"received_at":"2026-11-21T10:00:00+08:00","text":"再次申请"}`); status != http.StatusConflict {
		t.Fatalf("a second request: %d %v", status, body)
	}
	_, got := f.call(t, "mgr", "GET", "/api/v1/cases/"+no, "")
	if review, _ := got["review"].(map[string]any); review == nil || review["received_by"] != "mgr.sh" || review["org"] != "BJ" {
		t.Fatalf("the case's review: %v", got["review"])
	}
}
