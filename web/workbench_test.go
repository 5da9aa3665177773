package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestWorkbenchFilterForm: the workbench's 筛选 form, submitted as a browser
// sends it (every field, the empty ones as "="), lists what it asks for; the
// business-category drop-down offers B codes only, and a code filter holds
// the codes below it; a refused filter comes back on the workbench naming
// the field in Chinese, not as an English error page.
func TestWorkbenchFilterForm(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "admin", "POST", "/api/v1/codes",
		`{"dimension":"B","code":"B0601","name":"结构性存款","name_en":"Structured deposits","parent":"B06","active":true}`); status != http.StatusOK {
		t.Fatalf("code: %d %v", status, body)
	}
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", strings.Replace(createBody, `"amount":"5000.00"}`, `"amount":"5000.00","code_b":"B0601"}`, 1))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, c)
	}
	client := pageClient(t, f, "mgr")
	home := pageText(t, f, client, "/")
	if i := strings.Index(home, `<select name="code">`); i < 0 || strings.Contains(home[i:i+strings.Index(home[i:], "</select>")], `value="A`) ||
		strings.Contains(home[i:i+strings.Index(home[i:], "</select>")], `value="C`) {
		t.Fatalf("the business-category drop-down offers codes of other dimensions")
	}
	form := "/?status=&kind=&channel=&level=&handler=&code=&received_from=&received_to="
	// The filtered list alone: the due-soon card above it lists the case too
	// once the real clock nears its deadline.
	list := func(path string) string { return between(pageText(t, f, client, path), `id="case-list"`, "</table>") }
	if page := list(form); !strings.Contains(page, c["no"].(string)) {
		t.Fatalf("the empty filter form does not list the case")
	}
	if page := list("/?status=&kind=complaint&code=B06&received_from=&received_to="); !strings.Contains(page, c["no"].(string)) {
		t.Fatalf("code B06 does not list the case classified B0601")
	}
	if page := list("/?code=B07"); strings.Contains(page, c["no"].(string)) {
		t.Fatalf("code B07 lists the case classified B0601")
	}
	page := pageText(t, f, client, "/?received_from=2026-13-40&code=B%25")
	if !strings.Contains(page, `id="err-received_from"`) && !strings.Contains(page, "请填写日期") {
		t.Fatalf("a refused filter: %s", page)
	}
	if strings.Contains(page, "invalid filter") || strings.Contains(page, "出错了") {
		t.Fatalf("a refused filter shows the error page")
	}
}

// TestWorkbenchQueues: each role finds its own work first. The manager's
// 待我受理 holds the registered cases and counts them; the branch head's
// 待我签字 holds the replied cases he does not handle himself (the handler
// never signs off, CBIRC Order 2020 No.3 Art.13's separation of duties); the
// counter staff's 我登记的 holds what she registered; levels are named, and
// handlers shown by name.
func TestWorkbenchQueues(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	var nos []string
	for range 3 {
		nos = append(nos, f.create(t)["no"].(string))
	}
	f.act(t, "mgr", nos[0], "accept", `}`)
	f.act(t, "mgr", nos[0], "determine", `,"liability":"no_fault","root_cause":"客户误解"}`)
	f.act(t, "mgr", nos[0], "reply", `,"facts":"经核实","basis":"合同约定","outcome":"not_upheld","notice_method":"phone","notice_at":"2026-11-20T16:00:00+08:00","notice_proof":"录音"}`)

	queue := func(login, q string) []string {
		t.Helper()
		status, page := f.call(t, login, "GET", "/api/v1/cases?queue="+q, "")
		if status != http.StatusOK {
			t.Fatalf("%s queue %s: %d %v", login, q, status, page)
		}
		var out []string
		for _, c := range page["cases"].([]any) {
			out = append(out, c.(map[string]any)["no"].(string))
		}
		return out
	}
	if got := queue("head", "sign_off"); len(got) != 1 || got[0] != nos[0] {
		t.Errorf("the branch head's sign-off queue: %v", got)
	}
	if got := queue("mgr", "sign_off"); len(got) != 0 {
		t.Errorf("the handler's own case is in his sign-off queue: %v", got)
	}
	if got := queue("mgr", "accept"); len(got) != 2 {
		t.Errorf("to accept: %v", got)
	}
	if got := queue("staff", "registered"); len(got) != 3 {
		t.Errorf("registered by staff: %v", got)
	}
	if status, _ := f.call(t, "mgr", "GET", "/api/v1/cases?queue=lunch", ""); status != http.StatusBadRequest {
		t.Errorf("an unknown queue: %d", status)
	}

	page := pageText(t, f, pageClient(t, f, "mgr"), "/?queue=accept")
	for _, want := range []string{`id="queues"`, "待我受理", `aria-current="page">待我受理</a> <strong>2</strong>`, "共 2 件", "首问负责人"} {
		if !strings.Contains(page, want) {
			t.Errorf("the manager's workbench lacks %q", want)
		}
	}
	f.act(t, "mgr", nos[1], "accept", `}`)
	if mine := pageText(t, f, pageClient(t, f, "mgr"), "/?queue=mine"); !strings.Contains(mine, "李强") || strings.Contains(mine, "<td>mgr</td>") {
		t.Errorf("the handler is not shown by name: %s", between(mine, "<tbody>", "</tbody>"))
	}
}

// TestWorkbenchListsComplainantMaskedAsPolicySays_Issue13Item2: the list
// shows each case's complainant and channel; names are masked (张*) by
// default (DOMAIN.md §6: names in lists as surname + * where a policy says
// so) and shown whole once the bank's policy says so (admin, audited).
func TestWorkbenchListsComplainantMaskedAsPolicySays_Issue13Item2(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	f.create(t)
	client := pageClient(t, f, "mgr")
	list := between(pageText(t, f, client, "/"), `id="case-list"`, "</table>")
	if !strings.Contains(list, "张*") || strings.Contains(list, "张三") || !strings.Contains(list, "现场口头") {
		t.Fatalf("the list does not show the complainant masked and the channel: %s", list)
	}
	if status, _ := f.call(t, "mgr", "PUT", "/api/v1/settings/privacy", `{"show_names":true}`); status != http.StatusForbidden {
		t.Fatalf("a manager sets the policy: %d", status)
	}
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/privacy", `{"show_names":true}`); status != http.StatusOK || body["show_names"] != true {
		t.Fatalf("the admin sets the policy: %d %v", status, body)
	}
	if list := between(pageText(t, f, client, "/"), `id="case-list"`, "</table>"); !strings.Contains(list, "张三") {
		t.Fatalf("the list does not show the name whole under the policy: %s", list)
	}
}
