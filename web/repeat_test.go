package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRepeatsAtIntakeAndMerge_Order3Art18 walks repeat complaints through
// the real handlers: the API's candidates for a draft (each with why it
// matched) and for a registered case, the registration page stopping on
// them, a merge into the surviving case within its handling period
// (处理期限内重复投诉的可合并处理) shown on both case pages, the unmerge by the
// page's form, a link, the window's admin setting; and hostile input.
func TestRepeatsAtIntakeAndMerge_Order3Art18(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/bank", `{"name":"示例银行","hotline":"95500"}`); status != http.StatusOK {
		t.Fatalf("bank profile: %d %v", status, body)
	}
	first := f.create(t)
	survivor := first["no"].(string)
	draft := `{"kind":"complaint","received_at":"2026-11-21T09:00:00+08:00","complainant":{"name":"张三","phone":"13812345678"},
		"subject":"理财产品收益与宣传不符","description":"收益低于宣传"}`
	status, got := f.call(t, "staff", "POST", "/api/v1/cases/repeats", draft)
	if status != http.StatusOK {
		t.Fatalf("candidates: %d %v", status, got)
	}
	cands, _ := got["candidates"].([]any)
	if len(cands) != 1 {
		t.Fatalf("want the earlier case as the one candidate: %v", got)
	}
	cand := cands[0].(map[string]any)
	if cand["case"].(map[string]any)["no"] != survivor || cand["mergeable"] != true || !strings.Contains(fmt.Sprint(cand["reasons"]), "same_phone") ||
		!strings.Contains(fmt.Sprint(cand["reasons"]), "similar_text") {
		t.Fatalf("candidate: %v", cand)
	}
	if strings.Contains(fmt.Sprint(got), "13812345678") {
		t.Fatal("the answer carries the phone number in clear")
	}
	for _, bad := range []struct {
		login, body string
		status      int
	}{
		{"staff", `{}`, http.StatusBadRequest},                                             // nothing to match on
		{"staff", `{"complainant":{"phone":"1"},"bogus":1}`, http.StatusBadRequest},        // an unknown field
		{"staff", `{"subject":"` + strings.Repeat("长", 201) + `"}`, http.StatusBadRequest}, // too long
		{"staff", `{"received_at":"2099-01-01T00:00:00Z","subject":"理财"}`, http.StatusBadRequest},
		{"auditor", draft, http.StatusForbidden},
		{"", draft, http.StatusUnauthorized},
	} {
		if status, body := f.call(t, bad.login, "POST", "/api/v1/cases/repeats", bad.body); status != bad.status {
			t.Errorf("%s %s: %d %v, want %d", bad.login, bad.body, status, body, bad.status)
		}
	}

	// The registration page stops on the candidate, with why it matched.
	mgr := pageClient(t, f, "mgr")
	form := url.Values{"kind": {"complaint"}, "channel": {"counter"}, "received_at": {"2026-11-21T09:00"}, "name": {"张三"},
		"phone": {"13812345678"}, "subject": {"理财产品收益与宣传不符"}, "description": {"收益低于宣传"}, "request": {"赔偿"}, "restated": {"yes"}}
	_, page := postPage(t, f, mgr, "/cases/new", form)
	if !strings.Contains(page, survivor) || !strings.Contains(page, "同一联系电话") || !strings.Contains(page, `id="repeat_ok"`) {
		t.Fatalf("the registration page does not show the repeat with its reason: %s", between(page, `class="warnbox"`, "</div>"))
	}

	second := f.create(t)
	no, version := second["no"].(string), int(second["version"].(float64))
	if status, body := f.call(t, "staff", "GET", "/api/v1/cases/"+no+"/repeats", ""); status != http.StatusOK || !strings.Contains(fmt.Sprint(body), survivor) {
		t.Fatalf("a registered case's candidates: %d %v", status, body)
	}
	for _, bad := range []struct {
		body   string
		status int
	}{
		{`{"into":"TS20991231-99999","version":1,"reason":"同一事项","notice_method":"letter"}`, http.StatusNotFound},
		{fmt.Sprintf(`{"into":%q,"version":%d,"reason":"同一事项","notice_method":"letter"}`, no, version), http.StatusBadRequest},
		{fmt.Sprintf(`{"into":%q,"version":%d,"reason":"同一事项","notice_method":"letter"}`, survivor, version+5), http.StatusConflict},
		{fmt.Sprintf(`{"into":%q,"version":%d,"reason":"","notice_method":"pigeon"}`, survivor, version), http.StatusBadRequest},
		{`{"into":"../../etc","version":"x"}`, http.StatusBadRequest},
	} {
		if status, body := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/merge", bad.body); status != bad.status {
			t.Errorf("merge %s: %d %v, want %d", bad.body, status, body, bad.status)
		}
	}
	status, merged := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/merge",
		fmt.Sprintf(`{"into":%q,"version":%d,"reason":"同一客户就同一事项再次投诉","notice_method":"letter"}`, survivor, version))
	if status != http.StatusOK || merged["merged_into"] != survivor {
		t.Fatalf("merge: %d %v", status, merged)
	}
	if card := between(pageText(t, f, mgr, "/cases/"+survivor), `id="repeats"`, "</section>"); !strings.Contains(card, no) {
		t.Errorf("the survivor's page does not show the merged case: %s", card)
	}
	card := between(pageText(t, f, mgr, "/cases/"+no), `id="repeats"`, "</section>")
	if !strings.Contains(card, "已合并至") || !strings.Contains(card, survivor) {
		t.Errorf("the merged case's page does not show its survivor: %s", card)
	}
	if page := pageText(t, f, mgr, "/cases/"+no); !strings.Contains(page, "合并处理") {
		t.Error("the timeline does not name the merge")
	}
	status, _ = postPage(t, f, mgr, "/cases/"+no+"/unmerge", url.Values{"version": {fmt.Sprint(merged["version"])}, "reason": {"并非同一事项"}})
	if card := between(pageText(t, f, mgr, "/cases/"+no), `id="repeats"`, "</section>"); status != http.StatusOK || strings.Contains(card, "已合并至") {
		t.Fatalf("unmerged by the page: %d %s", status, card)
	}
	if status, body := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/link", fmt.Sprintf(`{"to":%q,"reason":"同一事项"}`, survivor)); status != http.StatusOK ||
		!strings.Contains(fmt.Sprint(body["repeat_of"]), survivor) {
		t.Fatalf("link: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr.sh", "POST", "/api/v1/cases/"+no+"/link", fmt.Sprintf(`{"to":%q}`, survivor)); status != http.StatusNotFound {
		t.Fatalf("a link out of scope: %d %v", status, body)
	}

	// The window is an admin setting.
	if status, body := f.call(t, "staff", "PUT", "/api/v1/settings/repeats", `{"window_days":30}`); status != http.StatusForbidden {
		t.Fatalf("staff set the window: %d %v", status, body)
	}
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/repeats", `{"window_days":5000}`); status != http.StatusBadRequest {
		t.Fatalf("a window of 5000 days: %d %v", status, body)
	}
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/repeats", `{"window_days":30}`); status != http.StatusOK || body["window_days"] != 30.0 {
		t.Fatalf("window: %d %v", status, body)
	}
	if status, body := f.call(t, "staff", "GET", "/api/v1/settings/repeats", ""); status != http.StatusOK || body["window_days"] != 30.0 {
		t.Fatalf("window: %d %v", status, body)
	}
}

// TestArchivedFileViewAndRefusal_Order3Art18 archives a case (withdrawn):
// the API and the page show the file as it was then, a later correction
// note is marked as added after archiving, and evidence is refused.
func TestArchivedFileViewAndRefusal_Order3Art18(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	c := f.create(t)
	no := c["no"].(string)
	if status, body := f.call(t, "mgr", "GET", "/api/v1/cases/"+no+"/archive", ""); status != http.StatusNotFound {
		t.Fatalf("an open case's archived file: %d %v", status, body)
	}
	status, w := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/withdraw", fmt.Sprintf(`{"version":%v,"reason":"客户撤回"}`, c["version"]))
	if status != http.StatusOK || w["archived_at"] == nil {
		t.Fatalf("withdraw: %d %v", status, w)
	}
	if status, body := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/note", fmt.Sprintf(`{"version":%v,"text":"更正：来电时间应为 9:30"}`, w["version"])); status != http.StatusOK {
		t.Fatalf("a correction note: %d %v", status, body)
	}
	status, snap := f.call(t, "mgr", "GET", "/api/v1/cases/"+no+"/archive", "")
	if status != http.StatusOK || snap["status"] != "withdrawn" || strings.Contains(fmt.Sprint(snap), "更正") {
		t.Fatalf("the archived file: %d %v", status, snap)
	}
	mgr := pageClient(t, f, "mgr")
	if page := pageText(t, f, mgr, "/cases/"+no+"/archive"); !strings.Contains(page, "归档案卷") || strings.Contains(page, "更正") {
		t.Fatalf("the archive page: %s", page)
	}
	page := pageText(t, f, mgr, "/cases/"+no)
	if !strings.Contains(page, "归档后补充") || !strings.Contains(page, "/cases/"+no+"/archive") {
		t.Error("the case page does not mark what was added after archiving")
	}
	if status, _ := getPage(t, f, mgr, "/cases/TS20991231-99999/archive"); status != http.StatusNotFound {
		t.Errorf("an archive page of no case: %d", status)
	}
}

// TestRepeatFiguresOnTheStatisticsPage_Order3Art18: the 统计分析 page and
// its export show the repeat figures of the statistics engine: two cases
// of one complainant in November make 1 complainant of 1 with two or more.
func TestRepeatFiguresOnTheStatisticsPage_Order3Art18(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	f.create(t)
	f.create(t)
	status, st := f.call(t, "mgr", "GET", "/api/v1/stats?from=2026-11-01&to=2026-11-30", "")
	if status != http.StatusOK || fmt.Sprint(st["repeats"]) != "map[after_closed:0 after_closed_share:0 complainants:1 repeat_complainant_share:1 repeat_complainants:1]" {
		t.Fatalf("stats: %d %v", status, st["repeats"])
	}
	page := pageText(t, f, pageClient(t, f, "mgr"), "/stats?period=month&value=2026-11")
	if card := between(page, `id="stats-repeat-complainants"`, "</div>"); !strings.Contains(card, "100") || !strings.Contains(card, "1 / 1") {
		t.Errorf("the page's repeat figure: %s", card)
	}
	if !strings.Contains(page, `id="stats-repeat-after-closed"`) {
		t.Error("the page does not show the repeats after a closed case")
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/stats?from=2026-11-01&to=2026-11-30&format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["mgr"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), "期内两件及以上的投诉人数,1") || !strings.Contains(string(raw), "办结后再次投诉,0") {
		t.Errorf("the export lacks the repeat figures: %s", raw)
	}
}

// withdrawnCase registers a case and withdraws it: an archived file, for
// the tests that walk every page.
func withdrawnCase(t *testing.T, f *apiFixture) string {
	t.Helper()
	c := f.create(t)
	no := c["no"].(string)
	if status, body := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/withdraw", fmt.Sprintf(`{"version":%v,"reason":"客户撤回"}`, c["version"])); status != http.StatusOK {
		t.Fatalf("withdraw: %d %v", status, body)
	}
	return no
}
