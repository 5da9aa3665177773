package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestInbox: a manager's in-app notices are one click away: the header
// counts the unread, the inbox lists them with their case, opening one
// marks it read and goes to the case, and "mark all read" empties the
// count. The notice here is the one a review request sends the reviewing
// unit (CBIRC Order 2020 No.3 Art.20), received at another branch.
func TestInbox(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.repliedCase(t)
	if status, body := f.call(t, "mgr.sh", "POST", "/api/v1/cases/"+no+"/request_review",
		`{"received_at":"2026-11-21T10:00:00+08:00","text":"客户到上海分行申请核查"}`); status != http.StatusOK {
		t.Fatalf("request review: %d %v", status, body)
	}
	client := pageClient(t, f, "mgr")
	header := fullPage(t, f, client, "/")
	// Two unread: the admin's setting of mgr's password (a reset is notified) and the request.
	if !strings.Contains(header, `id="nav-inbox"`) || !strings.Contains(header, `<span class="badge" aria-label="2 条未读">2</span>`) {
		t.Fatalf("the header does not count the unread notice: %s", between(header, "<nav", "</nav>"))
	}
	inbox := pageText(t, f, client, "/inbox")
	if !strings.Contains(inbox, "收到核查申请") || !strings.Contains(inbox, `value="`+no+`"`) || !strings.Contains(inbox, `class="unread"`) {
		t.Fatalf("the inbox: %s", inbox)
	}
	m := regexp.MustCompile(`action="/inbox/(\d+)/open"`).FindStringSubmatch(inbox)
	if m == nil {
		t.Fatalf("no notice to open: %s", inbox)
	}
	id := m[1]
	req, _ := http.NewRequest("POST", f.srv.URL+"/inbox/"+id+"/open", strings.NewReader(url.Values{"case": {no}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/cases/"+no {
		t.Fatalf("opening the notice: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !strings.Contains(fullPage(t, f, client, "/"), `aria-label="1 条未读">1</span>`) {
		t.Fatalf("the opened notice is still counted")
	}
	if status, _ := postPage(t, f, client, "/inbox/read", url.Values{}); status != http.StatusOK {
		t.Fatalf("mark all read: %d", status)
	}
	if strings.Contains(fullPage(t, f, client, "/"), `class="badge"`) {
		t.Fatalf("unread after marking all read")
	}
	if _, page := f.call(t, "mgr", "GET", "/api/v1/notifications?unread=true", ""); len(page["notifications"].([]any)) != 0 {
		t.Fatalf("unread after marking all read: %v", page)
	}
	// Another user's notice cannot be opened.
	other := pageClient(t, f, "admin")
	if status, _ := postPage(t, f, other, "/inbox/"+id+"/open", url.Values{}); status != http.StatusNotFound {
		t.Fatalf("another user's notice: %d", status)
	}
}

// fullPage fetches a whole page, header included.
func fullPage(t *testing.T, f *apiFixture, client *http.Client, path string) string {
	t.Helper()
	resp, err := client.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
