package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// pageClient signs in on the pages as login (password pagePassword).
func pageClient(t *testing.T, f *apiFixture, login string) *http.Client {
	t.Helper()
	return pageClientAs(t, f, login, pagePassword)
}

// pageClientAs signs in on the pages as login with the password.
func pageClientAs(t *testing.T, f *apiFixture, login, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	req, _ := http.NewRequest("POST", f.srv.URL+"/login", strings.NewReader("login="+login+"&password="+url.QueryEscape(password)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return client
}

// pageText fetches a page and answers what a reader sees of the case: the
// <main> of a page (not the system's name and the user's role in the
// header), the whole body of a print.
func pageText(t *testing.T, f *apiFixture, client *http.Client, path string) string {
	t.Helper()
	status, page := getPage(t, f, client, path)
	if status != http.StatusOK {
		t.Fatalf("%s: %d %s", path, status, page)
	}
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	if i := strings.Index(page, "<body"); i >= 0 {
		page = page[i:]
	}
	return page
}

// getPage fetches a page as the client and answers its status and body.
func getPage(t *testing.T, f *apiFixture, client *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := client.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(raw)
}

// postPage posts a form from the pages as the signed-in client and answers
// the status and the page that came back.
func postPage(t *testing.T, f *apiFixture, client *http.Client, path string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(raw)
}
