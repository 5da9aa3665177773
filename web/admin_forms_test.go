package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// noRedirect is a page client that reports redirects instead of following them.
func noRedirect(c *http.Client) *http.Client {
	return &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// location answers the status and the Location of a GET without following it.
func location(t *testing.T, f *apiFixture, c *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := noRedirect(c).Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// fieldErr is the problem shown next to a field of a page ("" for none).
func fieldErr(page, field string) string {
	m := regexp.MustCompile(`<span class="ferr" id="err-` + regexp.QuoteMeta(field) + `">([^<]*)</span>`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

// Issue 13 item 7: the user form edits name, unit, role, contact and
// enabled in one audited change; every problem shows at once next to its
// field, in Chinese; an admin never demotes themselves; only an admin sees
// the form.
func TestUserEditForm_Issue13Item7(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	admin := inLanguage(t, f, "admin", "zh-CN")
	status, page := getPage(t, f, admin, "/admin/users/mgr")
	if status != http.StatusOK || !strings.Contains(page, `value="李强"`) || !strings.Contains(page, `<option value="BJ" selected>`) {
		t.Fatalf("the form: %d %s", status, between(page, "<main", "</main>"))
	}
	if !strings.Contains(pageText(t, f, admin, "/admin/users"), `href="/admin/users/mgr"`) {
		t.Error("the list does not link to the form")
	}
	// Every problem in one round, each next to its field.
	_, page = postPage(t, f, admin, "/admin/users/mgr", url.Values{"from": {"edit"}, "name": {""}, "role": {"manager"}, "org": {"BJ"},
		"email": {"not-an-address"}, "mobile": {"12"}, "disabled": {"no"}})
	for field, want := range map[string]string{"name": "必填", "email": "不是有效的电子邮箱地址", "mobile": "不是有效的手机号码"} {
		if got := fieldErr(page, field); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	if !strings.Contains(page, `name="email" type="email" maxlength="254" value="not-an-address"`) {
		t.Error("the form lost what was typed")
	}
	_, page = postPage(t, f, admin, "/admin/users/mgr", url.Values{"from": {"edit"}, "name": {"李强"}, "org": {"ZZ"}})
	if got := fieldErr(page, "org"); !strings.Contains(got, "没有代码为 ZZ 的机构") {
		t.Errorf("an unknown unit: %q", got)
	}
	_, page = postPage(t, f, admin, "/admin/users/admin", url.Values{"from": {"edit"}, "name": {"管理员"}, "role": {"staff"}})
	if got := fieldErr(page, "role"); !strings.Contains(got, "不能取消本人的系统管理员角色") {
		t.Errorf("an admin's own demotion: %q", got)
	}
	// The happy path.
	status, page = postPage(t, f, admin, "/admin/users/mgr", url.Values{"from": {"edit"}, "name": {"李强强"}, "role": {"branch_head"}, "org": {"SH"},
		"email": {"li.q@bank.example"}, "mobile": {"13812345678"}, "disabled": {"no"}})
	if status != http.StatusOK || !strings.Contains(page, "已保存") {
		t.Fatalf("save: %d %s", status, between(page, "<main", "</main>"))
	}
	_, users := f.call(t, "admin", "GET", "/api/v1/users?org=SH", "")
	found := false
	for _, u := range users["items"].([]any) {
		u := u.(map[string]any)
		if u["login"] == "mgr" {
			found = u["name"] == "李强强" && u["role"] == "branch_head" && u["email"] == "li.q@bank.example" && u["mobile"] == "138****5678"
		}
	}
	if !found {
		t.Fatalf("the user after the edit: %v", users)
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=user.update&subject_kind=user&subject_id=mgr", "")
	if ev := events["events"].([]any); len(ev) == 0 || !strings.Contains(toJSON(ev[0]), `"before":"李强"`) || strings.Contains(toJSON(ev[0]), "13812345678") {
		t.Fatalf("the audit event: %v", events)
	}
	if status, _ := getPage(t, f, pageClient(t, f, "mgr.sh"), "/admin/users/mgr"); status != http.StatusForbidden {
		t.Errorf("a manager opens the user form: %d", status)
	}
	if status, _ := getPage(t, f, admin, "/admin/users/nobody"); status != http.StatusNotFound {
		t.Errorf("an unknown user's form: %d", status)
	}
}

// Issue 13 item 7: an admin's reset shows a one-time password once; the
// user signs in with it and every page leads to the change-password page
// (the API with the session cookie answers 403) until they choose their
// own; the change page refuses in one round; API tokens were revoked by the
// reset.
func TestPasswordResetForcesChange_Issue13Item7(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	admin := inLanguage(t, f, "admin", "zh-CN")
	status, page := postPage(t, f, admin, "/admin/users/mgr/reset", url.Values{"reset": {"yes"}})
	m := regexp.MustCompile(`<code id="one-time-password">([^<]+)</code>`).FindStringSubmatch(page)
	if status != http.StatusOK || m == nil || !strings.Contains(page, "仅显示一次") {
		t.Fatalf("the reset: %d %s", status, between(page, "<main", "</main>"))
	}
	oneTime := m[1]
	if _, again := getPage(t, f, admin, "/admin/users/mgr"); strings.Contains(again, oneTime) {
		t.Fatal("the one-time password is shown a second time")
	}
	if status, _ := f.call(t, "mgr", "GET", "/api/v1/me", ""); status != http.StatusUnauthorized {
		t.Errorf("the user's API token after the reset: %d", status)
	}
	_, page = postPage(t, f, admin, "/admin/users/admin/reset", url.Values{"reset": {"yes"}})
	if got := fieldErr(page, "password"); !strings.Contains(got, "不能重置本人密码") {
		t.Errorf("an admin's own reset: %q", got)
	}
	if status, _ := postPage(t, f, pageClient(t, f, "mgr.sh"), "/admin/users/mgr/reset", url.Values{"reset": {"yes"}}); status != http.StatusForbidden {
		t.Errorf("a manager resets a password: %d", status)
	}
	user := pageClientAs(t, f, "mgr", oneTime)
	for _, path := range []string{"/", "/cases/new", "/admin/tokens", "/inbox"} {
		if status, where := location(t, f, user, path); status != http.StatusSeeOther || where != "/account/password" {
			t.Errorf("%s before the change: %d %q", path, status, where)
		}
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/cases", nil)
	resp, err := user.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("the API with the session before the change: %d", resp.StatusCode)
	}
	status, page = getPage(t, f, user, "/account/password")
	if status != http.StatusOK || !strings.Contains(page, `id="must-change"`) {
		t.Fatalf("the change page: %d", status)
	}
	// Every refusal, in one round each.
	for _, r := range []struct {
		name string
		form url.Values
		want map[string]string
	}{
		{"empty", url.Values{}, map[string]string{"current": "必填", "new": "至少 10 个字", "confirm": ""}},
		{"short and mistyped", url.Values{"current": {oneTime}, "new": {"short"}, "confirm": {"shirt"}}, map[string]string{"new": "至少 10 个字", "confirm": "两次输入的新密码不一致"}},
		{"the same", url.Values{"current": {oneTime}, "new": {oneTime}, "confirm": {oneTime}}, map[string]string{"new": "不能与当前密码相同"}},
		{"wrong current", url.Values{"current": {"not the password"}, "new": {"my own passphrase 1"}, "confirm": {"my own passphrase 1"}}, map[string]string{"current": "当前密码不正确"}},
	} {
		_, page := postPage(t, f, user, "/account/password", r.form)
		for field, want := range r.want {
			if got := fieldErr(page, field); !strings.Contains(got, want) || (want == "" && got != "") {
				t.Errorf("%s: %s: %q, want %q", r.name, field, got, want)
			}
		}
		if strings.Contains(page, oneTime) {
			t.Errorf("%s: the page sends a password back", r.name)
		}
	}
	status, page = postPage(t, f, user, "/account/password", url.Values{"current": {oneTime}, "new": {"my own passphrase 1"}, "confirm": {"my own passphrase 1"}})
	if status != http.StatusOK || !strings.Contains(page, "密码已修改") {
		t.Fatalf("the change: %d %s", status, between(page, "<main", "</main>"))
	}
	if status, _ := location(t, f, user, "/"); status != http.StatusOK {
		t.Errorf("the workbench after the change: %d", status)
	}
	if _, home := getPage(t, f, user, "/"); !strings.Contains(home, `href="/account/password"`) {
		t.Error("the header does not link to the change-password page")
	}
}

// Issue 13 item 7: the unit form renames and moves a unit with its
// subtree; a move under itself or a unit below it is refused with the
// reason, next to the field, as is a kind out of order; only an admin.
func TestUnitEditForm_Issue13Item7(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	admin := inLanguage(t, f, "admin", "zh-CN")
	status, page := getPage(t, f, admin, "/admin/orgs/BJ")
	if status != http.StatusOK || !strings.Contains(page, `value="北京分行"`) || strings.Contains(page, `<option value="BJ-01"`) {
		t.Fatalf("the form (the parents offered are outside the unit's subtree): %d %s", status, between(page, "<main", "</main>"))
	}
	_, page = postPage(t, f, admin, "/admin/orgs/BJ", url.Values{"name": {"北京分行"}, "kind": {"branch"}, "parent": {"BJ-01"}})
	if got := fieldErr(page, "parent"); !strings.Contains(got, "不能移至本机构或其下辖机构") {
		t.Errorf("a move under its own outlet: %q", got)
	}
	_, page = postPage(t, f, admin, "/admin/orgs/BJ", url.Values{"name": {""}, "kind": {"outlet"}, "parent": {"HQ"}})
	if fieldErr(page, "name") == "" {
		t.Error("an empty name is not shown")
	}
	_, page = postPage(t, f, admin, "/admin/orgs/SH", url.Values{"name": {"上海分行"}, "kind": {"branch"}, "parent": {"BJ"}})
	if got := fieldErr(page, "kind"); !strings.Contains(got, "机构类型与上级机构的类型不相符") {
		t.Errorf("a branch under a branch: %q", got)
	}
	status, page = postPage(t, f, admin, "/admin/orgs/BJ-01", url.Values{"name": {"中关村网点（划转）"}, "kind": {"outlet"}, "parent": {"SH"}})
	if status != http.StatusOK || !strings.Contains(page, "已保存") {
		t.Fatalf("the move: %d %s", status, between(page, "<main", "</main>"))
	}
	_, orgs := f.call(t, "admin", "GET", "/api/v1/orgs", "")
	if o := itemWith(orgs["items"], "code", "BJ-01"); o == nil || o["name"] != "中关村网点（划转）" || o["parent"] != "SH" {
		t.Fatalf("after the move: %v", orgs)
	}
	if status, _ := getPage(t, f, pageClient(t, f, "mgr"), "/admin/orgs/BJ"); status != http.StatusForbidden {
		t.Errorf("a manager opens the unit form: %d", status)
	}
	if status, body := f.call(t, "admin", "PATCH", "/api/v1/orgs/SH", `{"parent":"SH"}`); status != http.StatusBadRequest || !strings.Contains(toJSON(body), "cannot move under itself") {
		t.Errorf("the API's refusal: %d %v", status, body)
	}
}

// Issue 13 item 7 (依据 in the UI's language): each clock of a policy is
// edited as fields (days, calendar or working days, the move-off rule of
// 民法典 Art.203), every problem at once next to its field; the rules'
// sources are shown in the page's language.
func TestPoliciesAsFields_CivilCodeArt203(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	admin := inLanguage(t, f, "admin", "zh-CN")
	page := pageText(t, f, admin, "/admin/policies")
	if !strings.Contains(page, `name="days.decision"`) || !strings.Contains(page, "第十八条：15日内作出处理决定") || strings.Contains(page, "Art.18: 15 days") {
		t.Fatalf("the policies page: %s", between(page, `id="policy-complaint"`, "</section>"))
	}
	if en := pageText(t, f, inLanguage(t, f, "admin", "en"), "/admin/policies"); !strings.Contains(en, "CBIRC Order 2020 No.3 Art.18: a decision within 15 days") {
		t.Errorf("the English sources: %s", between(en, `id="policy-complaint"`, "</section>"))
	}
	_, page = postPage(t, f, admin, "/admin/policies/complaint", url.Values{"days.decision": {"abc"}, "days.branch_reply": {"-3"},
		"unit.decision_extended": {"lunar"}, "move.decision_max": {"sometimes"}})
	for field, want := range map[string]string{"decision.days": "应为 0 至 3660", "branch_reply.days": "应为 0 至 3660",
		"decision_extended.unit": "请从所列选项中选择", "decision_max.move_off": "请从所列选项中选择"} {
		if got := fieldErr(page, field); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	if !strings.Contains(page, `name="days.decision" type="number" min="0" max="3660" required class="narrow" value="abc"`) {
		t.Error("the form lost what was typed")
	}
	status, page := postPage(t, f, admin, "/admin/policies/complaint", url.Values{"days.decision": {"14"}, "unit.decision": {"working"},
		"move.decision": {"statutory"}})
	if status != http.StatusOK || !strings.Contains(page, "已保存") {
		t.Fatalf("save: %d %s", status, between(page, "<main", "</main>"))
	}
	_, policies := f.call(t, "admin", "GET", "/api/v1/policies", "")
	complaint := itemWith(policies["items"], "name", "complaint")
	if complaint == nil {
		t.Fatalf("no complaint policy: %v", policies)
	}
	if c := itemWith(complaint["clocks"], "name", "decision"); c == nil || c["days"] != 14.0 || c["unit"] != "working" ||
		c["move_off_holiday"] != true || c["move_off"] != "statutory" || c["source"] == "" {
		t.Fatalf("the saved clock: %v", c)
	}
	if status, _ := postPage(t, f, pageClient(t, f, "mgr"), "/admin/policies/complaint", url.Values{"days.decision": {"1"}}); status != http.StatusForbidden {
		t.Errorf("a manager saves a policy: %d", status)
	}
}

// auditorPages gives the auditor a page password (the fixture has none)
// and signs them in, in the language.
func auditorPages(t *testing.T, f *apiFixture, lang string) *http.Client {
	t.Helper()
	if status, body := f.call(t, "admin", "PATCH", "/api/v1/users/auditor", `{"password":"`+pagePassword+`"}`); status != http.StatusOK {
		t.Fatalf("the auditor's password: %d %v", status, body)
	}
	return inLanguage(t, f, "auditor", lang)
}

// Issue 13 item 7: the audit trail's page for auditors: filters (who,
// action, subject, unit, dates) with every problem at once, keyset pages
// forward and back, the chain verified, and the export of the filter
// through the API's (an export.download event); not for an admin, whom the
// permission table does not let read the trail.
func TestAuditTrailPage_Issue13Item7(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	f.create(t)
	auditor := auditorPages(t, f, "zh-CN")
	status, page := getPage(t, f, auditor, "/audit")
	if status != http.StatusOK || !strings.Contains(page, `id="audit-events"`) || !strings.Contains(page, `href="/audit"`) {
		t.Fatalf("the audit page: %d %s", status, between(page, "<main", "</main>"))
	}
	page = pageText(t, f, auditor, "/audit?actor=staff&subject_kind=case")
	if !strings.Contains(page, "<td>登记</td>") || strings.Contains(page, "<td>admin</td>") {
		t.Errorf("the filter by actor and kind: %s", between(page, `id="audit-events"`, "</table>"))
	}
	page = pageText(t, f, auditor, "/audit?org=BJ&action=case.register")
	if !strings.Contains(page, "<td>staff</td>") || strings.Contains(page, "<td>auditor</td>") {
		t.Errorf("the filter by unit: %s", between(page, `id="audit-events"`, "</table>"))
	}
	page = pageText(t, f, auditor, "/audit?from=2026-13-01&org=ZZ&subject_id=x")
	for field, want := range map[string]string{"from": "请填写日期", "org": "没有代码为 ZZ 的机构"} {
		if got := fieldErr(page, field); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	// Pages of two: forward, then back to the first.
	first := pageText(t, f, auditor, "/audit?limit=2")
	next := regexp.MustCompile(`href="(\?[^"]+)" rel="next"`).FindStringSubmatch(first)
	if next == nil {
		t.Fatalf("no next page: %s", between(first, `class="pager"`, "</nav>"))
	}
	second := pageText(t, f, auditor, "/audit"+strings.ReplaceAll(next[1], "&amp;", "&"))
	prev := regexp.MustCompile(`href="(\?[^"]+)" rel="prev"`).FindStringSubmatch(second)
	seqs := regexp.MustCompile(`<tr><td>(\d+)</td>`)
	if prev == nil || seqs.FindString(first) == seqs.FindString(second) {
		t.Fatalf("the second page: %s", between(second, `class="pager"`, "</nav>"))
	}
	back := pageText(t, f, auditor, "/audit"+strings.ReplaceAll(prev[1], "&amp;", "&"))
	if seqs.FindString(back) != seqs.FindString(first) || strings.Contains(back, `rel="prev"`) {
		t.Errorf("back to the first page: %s", between(back, `id="audit-events"`, "</tr>"))
	}
	if page := pageText(t, f, auditor, "/audit?verify=1"); !strings.Contains(page, "哈希链校验通过") {
		t.Errorf("the verification: %s", between(page, `id="audit-chain"`, "</section>"))
	}
	xlsx := regexp.MustCompile(`href="([^"]+)" id="audit-xlsx"`).FindStringSubmatch(pageText(t, f, auditor, "/audit?actor=mgr"))
	if xlsx == nil {
		t.Fatal("no export link")
	}
	resp, err := auditor.Get(f.srv.URL + strings.ReplaceAll(xlsx[1], "&amp;", "&"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("the export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// The export's event is written as the file ends, after the last byte.
	events := ""
	for range 50 {
		if _, events = getPage(t, f, auditor, "/api/v1/audit/events?action=export.download"); strings.Contains(events, "actor=mgr") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(events, "actor=mgr") {
		t.Errorf("the export is not audited with its filter: %v", events)
	}
	if status, _ := getPage(t, f, inLanguage(t, f, "admin", "zh-CN"), "/audit"); status != http.StatusForbidden {
		t.Errorf("an admin opens the audit trail: %d", status)
	}
	jar, _ := cookiejar.New(nil)
	if status, where := location(t, f, &http.Client{Jar: jar}, "/audit"); status != http.StatusSeeOther || !strings.HasPrefix(where, "/login") {
		t.Errorf("signed out: %d %s", status, where)
	}
}

// toJSON is a decoded answer as compact JSON, for looking into it.
func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// itemWith is the item of a decoded list whose key has the value, or nil.
func itemWith(list any, key string, value any) map[string]any {
	items, _ := list.([]any)
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && m[key] == value {
			return m
		}
	}
	return nil
}
