package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSearchPageSaysHowMany_Issue13Search: the search page says how many it
// shows, and when there are more than it shows it says so and links to more
// (up to the service's 50); a 1-character query names the field in words.
func TestSearchPageSaysHowMany_Issue13Search(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	for i := range 21 {
		body := strings.Replace(createBody, `"理财产品收益与宣传不符"`, fmt.Sprintf(`"年费争议 %d"`, i), 1)
		if status, c := f.call(t, "staff", "POST", "/api/v1/cases", body); status != http.StatusCreated {
			t.Fatalf("create: %d %v", status, c)
		}
	}
	client := pageClient(t, f, "mgr")
	page := pageText(t, f, client, "/search?q=%E5%B9%B4%E8%B4%B9")
	if n := strings.Count(page, "<li>"); n != 20 {
		t.Errorf("first page: %d results, want 20", n)
	}
	if !strings.Contains(page, "前 20 条，还有更多") || !strings.Contains(page, "limit=50") {
		t.Errorf("the first page does not say there are more nor offer them")
	}
	page = pageText(t, f, client, "/search?q=%E5%B9%B4%E8%B4%B9&limit=50")
	if n := strings.Count(page, "<li>"); n != 21 || !strings.Contains(page, "共找到 21 条") {
		t.Errorf("all results: %d shown; says how many: %v", n, strings.Contains(page, "共找到 21 条"))
	}
	page = pageText(t, f, client, "/search?q=%E5%B9%B4")
	if strings.Contains(page, "field.q") || !strings.Contains(page, "搜索词") || !strings.Contains(page, "至少 2 个字") {
		t.Errorf("a 1-character query: %s", between(page, `role="alert"`, "</div>"))
	}
}

// TestSearchPageLookupByNumber_Issue13Search: the phone/ID lookup, which
// existed only in the API, is on the search page: the number travels in the
// form's body (never the URL), the cases in scope are listed with their
// numbers masked, a number of no case says so, a unit outside the case's
// sees nothing, and an empty form names its problems in Chinese.
func TestSearchPageLookupByNumber_Issue13Search(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	client := pageClient(t, f, "mgr")
	if page := pageText(t, f, client, "/search"); !strings.Contains(page, `action="/search/lookup"`) || !strings.Contains(page, "联系电话") {
		t.Fatalf("the search page has no lookup form")
	}
	lookup := func(client *http.Client, field, number string) string {
		t.Helper()
		status, page := postForm(t, client, f.srv.URL+"/search/lookup", url.Values{"field": {field}, "number": {number}})
		if status != http.StatusOK {
			t.Fatalf("lookup %s: %d", field, status)
		}
		return page
	}
	for field, number := range map[string]string{"phone": "138 1234 5678", "id_number": "110101199003071234"} {
		page := lookup(client, field, number)
		if !strings.Contains(page, no) || !strings.Contains(page, "138****5678") {
			t.Errorf("lookup by %s does not list %s, masked", field, no)
		}
		if strings.Contains(page, "13812345678") || strings.Contains(page, "110101199003071234") {
			t.Errorf("lookup by %s shows a number in full", field)
		}
	}
	if page := lookup(client, "phone", "13900000000"); !strings.Contains(page, "没有找到该号码的投诉") || strings.Contains(page, no) {
		t.Errorf("a number of no case: %s", between(page, `id="lookup"`, "</section>"))
	}
	if page := lookup(pageClient(t, f, "mgr.sh"), "phone", "13812345678"); strings.Contains(page, no) {
		t.Errorf("a manager of another branch finds the case by its phone")
	}
	page := lookup(client, "", "")
	for _, want := range []string{"查询项", "号码", "必填", "请从所列选项中选择"} {
		if !strings.Contains(page, want) {
			t.Errorf("an empty lookup does not say %q: %s", want, between(page, `role="alert"`, "</section>"))
		}
	}
}
