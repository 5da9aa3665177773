package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"redress"
)

// between answers the part of page from the first from to the next to
// after it ("" when from is not there).
func between(page, from, to string) string {
	i := strings.Index(page, from)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	if j := strings.Index(rest, to); j >= 0 {
		return rest[:j]
	}
	return rest
}

// TestNameColumnsSayWhatTheyName_Issue13Wording: the name of a unit, a code
// and an evidence file is headed 机构名称, 代码名称 and 文件名, never 姓名 (a
// person's name), and a unit form's problem names the field the same way.
func TestNameColumnsSayWhatTheyName_Issue13Wording(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	if status, body := f.upload(t, "staff", no, "凭证.pdf", []byte("%PDF-1.4 test")); status != http.StatusCreated {
		t.Fatalf("upload: %d %s", status, body)
	}
	admin := pageClient(t, f, "admin")
	for path, want := range map[string]string{"/admin/orgs": "机构名称", "/admin/codes": "代码名称"} {
		head := between(pageText(t, f, admin, path), "<thead>", "</thead>")
		if !strings.Contains(head, want) || strings.Contains(head, "姓名") {
			t.Errorf("%s: the name column is not headed %s: %s", path, want, head)
		}
	}
	_, page := postPage(t, f, admin, "/admin/orgs", url.Values{"code": {"BJ-02"}, "name": {""}, "kind": {"outlet"}, "parent": {"BJ"}})
	if alert := between(page, `role="alert"`, "</div>"); !strings.Contains(alert, "机构名称") || strings.Contains(alert, "姓名") {
		t.Errorf("a unit's missing name is not called 机构名称: %s", alert)
	}
	head := between(pageText(t, f, pageClient(t, f, "mgr"), "/cases/"+no), `<table class="list small"><thead>`, "</thead>")
	if !strings.Contains(head, "文件名") || strings.Contains(head, "姓名") {
		t.Errorf("the evidence table's name column: %s", head)
	}
}

// TestUnitHeadNamedByUnit_Issue13Wording: a branch_head is called by the
// kind of unit they head: 支行负责人 at a sub-branch, 分行负责人 at a branch,
// 网点负责人 at an outlet, in the users list and in the header.
func TestUnitHeadNamedByUnit_Issue13Wording(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "admin", "POST", "/api/v1/orgs", `{"code":"BJ-ZGC","name":"中关村支行","kind":"sub_branch","parent":"BJ"}`); status != http.StatusCreated {
		t.Fatalf("org: %d %v", status, body)
	}
	for _, u := range []string{
		`{"login":"head.zgc","name":"赵敏","role":"branch_head","org":"BJ-ZGC","password":"head-password-1"}`,
		`{"login":"head.01","name":"孙丽","role":"branch_head","org":"BJ-01","password":"head-password-1"}`,
	} {
		if status, body := f.call(t, "admin", "POST", "/api/v1/users", u); status != http.StatusCreated {
			t.Fatalf("user: %d %v", status, body)
		}
	}
	page := pageText(t, f, pageClient(t, f, "admin"), "/admin/users")
	for login, want := range map[string]string{"head.zgc": "支行负责人", "head": "分行负责人", "head.01": "网点负责人"} {
		row := between(page, "<td>"+login+"</td>", "</tr>")
		if !strings.Contains(row, want) {
			t.Errorf("%s is not called %s: %s", login, want, row)
		}
	}
}

// TestFilterPromptsAndDates_Issue13Wording: a filter's empty choice says 全部
// and a form's says 请选择; the workbench's date filter names the date it
// filters (收到日期: received_at), not 受理日期 (acceptance).
func TestFilterPromptsAndDates_Issue13Wording(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	client := pageClient(t, f, "mgr")
	home := pageText(t, f, client, "/")
	for _, name := range []string{"status", "kind", "channel"} {
		sel := between(home, `<select id="`+name+`" name="`+name+`"`, "</select>")
		if !strings.Contains(sel, `<option value="">全部</option>`) {
			t.Errorf("the %s filter's empty choice: %s", name, sel)
		}
	}
	if strings.Contains(home, "受理日期") || !strings.Contains(home, "收到日期") {
		t.Errorf("the date filter is not named by the receipt date")
	}
	form := pageText(t, f, client, "/cases/new")
	if sel := between(form, `<select id="id_type"`, "</select>"); !strings.Contains(sel, `<option value="">请选择</option>`) {
		t.Errorf("the form's empty choice: %s", sel)
	}
}

// TestTimeLeftInCalendarDays_Order3Art18: the 15 days of Order 2020 No.3
// Art.18 are calendar days, so the workbench says 天 left, not 工作日.
func TestTimeLeftInCalendarDays_Order3Art18(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	received := time.Now().In(redress.Beijing).AddDate(0, 0, -1).Format(time.RFC3339)
	body := strings.Replace(createBody, `"2026-11-20T09:30:00+08:00"`, `"`+received+`"`, 1)
	if status, c := f.call(t, "staff", "POST", "/api/v1/cases", body); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, c)
	}
	home := pageText(t, f, pageClient(t, f, "mgr"), "/")
	if strings.Contains(home, "工作日") {
		t.Errorf("the workbench counts a calendar-day clock in working days")
	}
	if !strings.Contains(home, "剩余 14 天") {
		t.Errorf("received yesterday, 15 calendar days: 14 days left is not shown")
	}
}
