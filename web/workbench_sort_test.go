package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestWorkbenchSortsEveryColumn: the workbench's list sorts by deadline,
// receipt, level and priority, both ways, from the column headings and from
// the form (issue 13 item 2); a heading clicked on page 2 starts the new
// order on page 1 (a cursor of one order is no cursor of another); the
// API takes the same sort values. The workbench draws its status chart as
// SVG and loads no chart library (Lighthouse's blocking time on a phone).
func TestWorkbenchSortsEveryColumn(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	for range 3 {
		f.create(t)
	}
	for _, sort := range []string{"due_asc", "due_desc", "received_asc", "received_desc", "level_asc", "level_desc", "priority_asc", "priority_desc", "due", "received"} {
		if status, page := f.call(t, "mgr", "GET", "/api/v1/cases?limit=1&sort="+sort, ""); status != http.StatusOK || len(page["cases"].([]any)) != 1 {
			t.Errorf("API sort %s: %d %v", sort, status, page)
		}
	}
	if status, _ := f.call(t, "mgr", "GET", "/api/v1/cases?sort=level", ""); status != http.StatusBadRequest {
		t.Errorf("an unknown sort: %d", status)
	}
	client := pageClient(t, f, "mgr")
	// The workbench draws its chart itself: no chart library to load on a phone.
	if _, home := getPage(t, f, client, "/"); strings.Contains(home, "echarts") || !strings.Contains(home, `<svg id="status-chart"`) {
		t.Errorf("the workbench loads ECharts or draws no status chart")
	}
	href := func(page, pattern string) string {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s in %s", pattern, page)
		}
		return html.UnescapeString(m[1])
	}
	page := pageText(t, f, client, "/?sort=level_desc&limit=1")
	if !strings.Contains(page, `aria-sort="descending"><a href="?limit=1&amp;sort=level_asc" id="sort-level"`) {
		t.Errorf("the level heading of a list sorted by level, highest first, sorts lowest first")
	}
	if !strings.Contains(page, `<option value="level_desc" selected>`) {
		t.Errorf("the form does not show the list's order")
	}
	for _, key := range []string{"due", "received", "priority"} {
		if !strings.Contains(page, `id="sort-`+key+`"`) {
			t.Errorf("no sortable %s heading", key)
		}
	}
	next := href(page, `<a class="button" href="([^"]+)" rel="next">`)
	page2 := pageText(t, f, client, "/"+next)
	due := href(page2, `<a href="([^"]+)" id="sort-due">`)
	if strings.Contains(due, "cursor=") || strings.Contains(due, "back=") {
		t.Fatalf("a new order keeps the page: %s", due)
	}
	resorted := pageText(t, f, client, "/"+due)
	if strings.Contains(resorted, `id="err-cursor"`) || strings.Contains(resorted, `class="error"`) || strings.Contains(resorted, `rel="prev"`) {
		t.Fatalf("sorting from page 2: %s", resorted)
	}
	if !strings.Contains(resorted, `aria-sort="ascending"><a href="?limit=1&amp;sort=due_desc" id="sort-due"`) {
		t.Errorf("the deadline heading, earliest first")
	}
}
