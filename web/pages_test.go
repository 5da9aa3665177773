package web_test

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	idAttr     = regexp.MustCompile(`\sid="([^"]+)"`)
	labelFor   = regexp.MustCompile(`<label[^>]*\sfor="([^"]+)"`)
	controlTag = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	typeAttr   = regexp.MustCompile(`\stype="([^"]+)"`)
)

// TestPagesAccessible signs in as a manager and as an admin and checks every
// main page: it renders, no ID repeats, every visible form control has a
// label, user text is escaped, and the pages carry no inline script.
func TestPagesAccessible(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	c := f.create(t)
	no := c["no"].(string)
	if status, body := f.call(t, "staff", "POST", "/api/v1/reception/visits", receptionBody(time.Now().Add(-time.Hour))); status != 201 {
		t.Fatalf("a reception visit: %d %v", status, body)
	}
	archived := withdrawnCase(t, f) // repeat.go: the archived file as at closing
	pages := map[string][]string{
		"mgr":   {"/cases/" + archived + "/archive", "/", "/?status=registered&kind=complaint", "/cases/new", "/cases/new?channel=visit", "/cases/" + no, "/cases/" + no + "/receipt", "/cases/" + no + "/print/registration", "/admin/tokens", "/search?q=%E7%90%86%E8%B4%A2", "/stats?period=month&value=2026-11", "/reviews/new", "/inbox", "/assessment?month=2026-11", "/corrective", "/corrective/new", "/registers/opinion?org=BJ-01&month=2026-11", "/registers/opinion-book", "/registers/lost", "/registers/training", "/registers", "/registers/reception", "/registers/reception/JD-000001", "/incidents", "/admin/emergency-plan", "/admin/emergency-plan?org=BJ-01"},
		"admin": {"/admin/orgs", "/admin/users", "/admin/codes", "/admin/calendar", "/admin/policies", "/admin/tokens", "/admin/settings", "/admin/assessment", "/admin/retention", "/admin/notice-templates", "/admin/import"},
	}
	for login, paths := range pages {
		client := pageClient(t, f, login)
		for _, path := range paths {
			resp, err := client.Get(f.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page := string(raw)
			if resp.StatusCode != 200 || !strings.Contains(page, "</html>") {
				t.Errorf("%s as %s: %d", path, login, resp.StatusCode)
				continue
			}
			seen := map[string]bool{}
			for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
				if seen[m[1]] {
					t.Errorf("%s: id %q repeats", path, m[1])
				}
				seen[m[1]] = true
			}
			labelled := map[string]bool{}
			for _, m := range labelFor.FindAllStringSubmatch(page, -1) {
				labelled[m[1]] = true
			}
			for _, tag := range controlTag.FindAllString(page, -1) {
				typ := ""
				if m := typeAttr.FindStringSubmatch(tag); m != nil {
					typ = m[1]
				}
				if typ == "hidden" || typ == "submit" || strings.Contains(tag, `type="checkbox" name="remedies"`) {
					continue // hidden fields; remedies sit inside their own <label>
				}
				id := idAttr.FindStringSubmatch(tag)
				if id == nil || !labelled[id[1]] {
					if !strings.Contains(page, "<label>"+tag) && !regexp.MustCompile(`<label[^>]*>[^<]*`+regexp.QuoteMeta(tag)).MatchString(page) {
						t.Errorf("%s: control without a label: %s", path, tag)
					}
				}
			}
			if regexp.MustCompile(`<script>[^<]`).MatchString(page) || strings.Contains(page, " style=\"") {
				t.Errorf("%s: inline script or style breaks the CSP", path)
			}
		}
	}
}
