package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"redress"
)

// TestTrainingRegister_Seed004Sec6_培训与考核: a manager plans a session on
// the page (every problem of an empty form at once), records on its
// sign-in sheet who attended and their scores, the register lists and
// exports it, the assessment shows the month's training beside each
// person's figures, staff read only what they are on, and the API answers
// the same.
func TestTrainingRegister_Seed004Sec6_培训与考核(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	mgr := pageClient(t, f, "mgr")
	_, page := postPage(t, f, mgr, "/registers/training", url.Values{"org": {"BJ"}, "hours": {"0.3"}})
	for _, field := range []string{"title", "trainer", "topics", "hours", "form", "attendees"} {
		if !strings.Contains(page, `id="err-`+field+`"`) {
			t.Errorf("an empty plan does not name %s", field)
		}
	}
	today := time.Now().In(redress.Beijing).Format(time.DateOnly)
	status, page := postPage(t, f, mgr, "/registers/training", url.Values{"org": {"BJ"}, "title": {"投诉处理规范与纠纷化解"}, "held_on": {today},
		"hours": {"1.5"}, "trainer": {"消保部 李老师"}, "form": {"in_person"}, "topics": {"complaint_rules", "dispute_resolution"},
		"attendees": {"staff", "mgr"}})
	if status != http.StatusOK || !strings.Contains(page, "PX-000001") || !strings.Contains(page, "培训签到表") || !strings.Contains(page, "纠纷解决技巧") {
		t.Fatalf("planned: %d %s", status, between(page, `id="training-session"`, "</dl>"))
	}
	_, page = postPage(t, f, mgr, "/registers/training/PX-000001/attendance", url.Values{"version": {"1"}, "roster": {"staff", "mgr"},
		"attended": {"staff"}, "score_staff": {"88"}, "score_mgr": {"70"}})
	if !strings.Contains(page, "已举办") || !strings.Contains(page, "88 · 合格") || !strings.Contains(page, "缺席") {
		t.Fatalf("attendance: %s", between(page, `id="training-seats"`, "</table>"))
	}
	if _, page = postPage(t, f, mgr, "/registers/training/PX-000001/attendance", url.Values{"version": {"1"}, "roster": {"staff", "mgr"}}); !strings.Contains(page, "error") {
		t.Fatalf("a stale version is not refused: %s", between(page, "<main", "</main>"))
	}
	if list := pageText(t, f, mgr, "/registers/training?status=held"); !strings.Contains(list, "投诉处理规范与纠纷化解") {
		t.Fatalf("the register: %s", list)
	}
	month := time.Now().In(redress.Beijing).Format("2006-01")
	if sheet := pageText(t, f, mgr, "/assessment?month="+month); !strings.Contains(sheet, "1 / 1.5 / 0") || !strings.Contains(sheet, "0 / 0 / 1") {
		t.Fatalf("the assessment's training: %s", sheet)
	}
	status, body := f.call(t, "staff", "GET", "/api/v1/training/sessions", "")
	if items, _ := body["items"].([]any); status != http.StatusOK || len(items) != 1 {
		t.Fatalf("staff read theirs: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr.sh", "GET", "/api/v1/training/sessions/PX-000001", ""); status != http.StatusNotFound {
		t.Fatalf("another branch reads it: %d %v", status, body)
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/training/sessions", `{"org":"BJ-01"}`); status != http.StatusForbidden {
		t.Fatalf("staff plan: %d", status)
	}
	status, body = f.call(t, "mgr", "POST", "/api/v1/training/sessions", `{"org":"BJ","title":"消费者权益保护","topics":["consumer_protection"],`+
		`"held_on":"`+time.Now().AddDate(0, 0, 30).Format(time.DateOnly)+`","hours":2,"trainer":"王老师","form":"online","attendees":["staff"]}`)
	if status != http.StatusCreated || body["ref"] != "PX-000002" || body["status"] != "planned" {
		t.Fatalf("planned by the API: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr", "POST", "/api/v1/training/sessions/PX-000002/attendance", `{"version":1,"attendees":[{"login":"staff","attended":true}]}`); status != http.StatusConflict {
		t.Fatalf("attendance before the day: %d %v", status, body)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/training/sessions?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["mgr"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "training") {
		t.Fatalf("the export: %d %v", resp.StatusCode, resp.Header)
	}
}
