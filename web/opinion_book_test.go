package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"redress"
)

// TestOpinionBookDailyCheck_Seed002Art9_每日查阅客户意见簿: the workbench of
// a complaint manager shows the outlets whose opinion book was not checked
// on the last working day; the page records a day's check with a complaint
// (registered as a case) and a suggestion, every problem of the form at
// once; the API lists the outlet's day as checked and refuses the same day
// twice.
func TestOpinionBookDailyCheck_Seed002Art9_每日查阅客户意见簿(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	mgr := pageClient(t, f, "mgr")
	today := time.Now().In(redress.Beijing).Format(time.DateOnly)

	_, page := postPage(t, f, mgr, "/registers/opinion-book", url.Values{"org": {"BJ-01"}, "day": {"2099-01-01"},
		"outcome_0": {"case"}, "text_0": {"排队太久"}, "case_0": {"nope"}})
	for _, field := range []string{"day", "entries.0.case_no"} {
		if !strings.Contains(page, `id="err-`+field+`"`) {
			t.Errorf("a bad check does not name %s", field)
		}
	}
	status, page := postPage(t, f, mgr, "/registers/opinion-book", url.Values{"org": {"BJ-01"}, "day": {today},
		"outcome_0": {"case"}, "text_0": {"理财收益与宣传不符"}, "case_0": {no}, "outcome_1": {"suggestion"}, "text_1": {"建议增加座椅"}})
	if status != http.StatusOK || !strings.Contains(page, "中关村网点") {
		t.Fatalf("recorded: %d", status)
	}
	status, body := f.call(t, "mgr", "GET", "/api/v1/opinion-book/checks?from="+today+"&to="+today, "")
	items, _ := body["items"].([]any)
	if status != http.StatusOK || len(items) != 1 {
		t.Fatalf("the outlets: %d %v", status, body)
	}
	days := items[0].(map[string]any)["days"].([]any)
	if len(days) == 1 { // today is a working day
		check, _ := days[0].(map[string]any)["check"].(map[string]any)
		if check == nil || len(check["entries"].([]any)) != 2 {
			t.Fatalf("today's check: %v", days[0])
		}
	}
	if status, _ := f.call(t, "mgr", "POST", "/api/v1/opinion-book/checks", `{"org":"BJ-01","day":"`+today+`","entries":[]}`); status != http.StatusConflict {
		t.Fatalf("the same day twice: %d", status)
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/opinion-book/checks", `{"org":"BJ-01","entries":[]}`); status != http.StatusForbidden {
		t.Fatalf("staff record a check: %d", status)
	}
	if status, body := f.call(t, "mgr.sh", "GET", "/api/v1/opinion-book/checks?from="+today+"&to="+today, ""); status != http.StatusOK || len(body["items"].([]any)) != 0 {
		t.Fatalf("another branch sees the outlet: %d %v", status, body)
	}
}
