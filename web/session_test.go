package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
)

func TestBrowserSessionAndCrossSiteRefusal(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	password := browserPassword
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	send := func(method, path, body string, headers map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	sameOrigin := map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": f.srv.URL}
	resp := send("POST", "/api/v1/session", `{"login":"staff","password":"wrong-password"}`, sameOrigin)
	if resp.StatusCode != 401 {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp = send("POST", "/api/v1/session", `{"login":"staff","password":"`+password+`"}`, sameOrigin)
	if resp.StatusCode != 201 {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	cookie := resp.Cookies()[0]
	if cookie.Name != "redress_session" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Path != "/" {
		t.Fatalf("cookie attributes: %+v", cookie)
	}
	for header, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
	} {
		if got := resp.Header.Get(header); got != want {
			t.Errorf("%s: %q", header, got)
		}
	}
	if resp := send("GET", "/api/v1/me", "", nil); resp.StatusCode != 200 {
		t.Fatalf("the cookie authenticates: %d", resp.StatusCode)
	}
	// A page on another site makes the browser post to Redress with the cookie.
	for name, headers := range map[string]map[string]string{
		"fetch metadata": {"Sec-Fetch-Site": "cross-site"},
		"origin only":    {"Origin": "https://evil.example"},
	} {
		resp := send("POST", "/api/v1/cases", createBody, headers)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST (%s): %d", name, resp.StatusCode)
		}
		resp = send("DELETE", "/api/v1/session", "", headers)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site sign-out (%s): %d", name, resp.StatusCode)
		}
	}
	if status, page := f.call(t, "mgr", "GET", "/api/v1/cases", ""); status != 200 || len(page["cases"].([]any)) != 0 {
		t.Fatalf("a refused cross-site POST must not register anything: %d %v", status, page)
	}
	if resp := send("GET", "/api/v1/me", "", map[string]string{"Sec-Fetch-Site": "cross-site"}); resp.StatusCode != 200 {
		t.Fatalf("cross-site reads are not state-changing: %d", resp.StatusCode)
	}
	if resp := send("POST", "/api/v1/cases", createBody, sameOrigin); resp.StatusCode != 201 {
		t.Fatalf("same-origin POST with the cookie: %d", resp.StatusCode)
	}
	// Behind a TLS-terminating proxy the cookie is Secure.
	resp = send("POST", "/api/v1/session", `{"login":"staff","password":"`+password+`"}`, map[string]string{"X-Forwarded-Proto": "https"})
	if c := resp.Cookies()[0]; !c.Secure {
		t.Fatalf("cookie over TLS: %+v", c)
	}
	if resp := send("DELETE", "/api/v1/session", "", sameOrigin); resp.StatusCode != 200 || resp.Cookies()[0].MaxAge >= 0 {
		t.Fatalf("sign out: %d", resp.StatusCode)
	}
	if resp := send("GET", "/api/v1/me", "", nil); resp.StatusCode != 401 {
		t.Fatalf("after sign-out: %d", resp.StatusCode)
	}
	// An API client with a token sends no browser headers and is unaffected.
	if status, _ := f.call(t, "staff", "POST", "/api/v1/cases", createBody); status != 201 {
		t.Fatalf("token client: %d", status)
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=session.", "")
	actions := []string{}
	for _, e := range events["events"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	if got := strings.Join(actions, " "); got != "session.sign_out session.sign_in session.sign_in session.failed" {
		t.Fatalf("session events, newest first: %s", got)
	}
}
