package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReferralOnTheCasePage_Seed000Sec6_调解仲裁诉讼: the case page records a
// referral to the mediation body the bank names (filled in from admin
// data), every problem of the form at once, then its outcome; the API lists
// it, the summary counts it and the timeline names both steps.
func TestReferralOnTheCasePage_Seed000Sec6_调解仲裁诉讼(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/mediation", `{"name":"北京银行业纠纷调解中心","contact":"010-66668888"}`); status != http.StatusOK {
		t.Fatalf("mediation body: %d %v", status, body)
	}
	no := f.create(t)["no"].(string)
	mgr := pageClient(t, f, "mgr")
	page := pageText(t, f, mgr, "/cases/"+no)
	if card := between(page, `id="referrals"`, "</section>"); !strings.Contains(card, "北京银行业纠纷调解中心") {
		t.Fatalf("the referral form is not filled with the bank's mediation body: %s", card)
	}
	_, page = postPage(t, f, mgr, "/cases/"+no+"/referrals", url.Values{"kind": {"court"}, "body": {""}, "sent_on": {"2099-01-01"}})
	for _, field := range []string{"kind", "body", "sent_on"} {
		if !strings.Contains(page, `id="err-`+field+`"`) {
			t.Errorf("a bad referral does not name %s", field)
		}
	}
	status, page := postPage(t, f, mgr, "/cases/"+no+"/referrals", url.Values{"kind": {"mediation"}, "body": {"北京银行业纠纷调解中心"}, "sent_on": {"2026-11-21"}})
	if status != http.StatusOK || !strings.Contains(between(page, `id="referrals"`, "</section>"), "处理中") {
		t.Fatalf("referred: %d", status)
	}
	_, page = postPage(t, f, mgr, "/cases/"+no+"/referrals/1/answer", url.Values{"answered_on": {"2026-11-25"}, "outcome": {"agreed"}, "agreement": {"补偿 800 元"}})
	if card := between(page, `id="referrals"`, "</section>"); !strings.Contains(card, "达成协议") || !strings.Contains(card, "补偿 800 元") {
		t.Fatalf("answered: %s", card)
	}
	if !strings.Contains(page, "移交调解、仲裁或诉讼") || !strings.Contains(page, "登记调解、仲裁或诉讼结果") {
		t.Error("the timeline does not name the referral's steps")
	}
	status, body := f.call(t, "mgr", "GET", "/api/v1/cases/"+no+"/referrals", "")
	if items, _ := body["items"].([]any); status != http.StatusOK || len(items) != 1 {
		t.Fatalf("the API's referrals: %d %v", status, body)
	}
	status, sum := f.call(t, "mgr", "GET", "/api/v1/referrals/summary?from=2026-11-01&to=2026-11-30", "")
	if sent, _ := sum["sent"].(map[string]any); status != http.StatusOK || sent["mediation"] != 1.0 {
		t.Fatalf("summary: %d %v", status, sum)
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/referrals", `{"kind":"litigation","body":"海淀法院","sent_on":"2026-11-21"}`); status != http.StatusForbidden {
		t.Fatalf("staff who do not handle the case: %d", status)
	}
}
