package web_test

import (
	"fmt"
	"net/http"
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
