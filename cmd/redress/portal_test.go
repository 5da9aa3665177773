package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"redress/sqldb/sqldbtest"
)

// TestServePortalAddr runs serve with --portal-addr in this process: the
// public handler answers on its own address, a staff session cookie and API
// token from the staff address open nothing there, and both listeners stop
// with the server.
func TestServePortalAddr(t *testing.T) {
	engines, err := sqldbtest.Engines()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range engines {
		t.Run(e.Name, func(t *testing.T) { servePortalAddr(t, e) })
	}
}

func servePortalAddr(t *testing.T, e sqldbtest.Engine) {
	const password = "portal-test-password-1"
	t.Setenv("REDRESS_ADMIN_PASSWORD", password)
	addr, portalAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer // read once serve has returned
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--portal-addr", portalAddr, "--data", t.TempDir(), "--db", e.NewDatabase(t)}, &stdout, &stderr)
	}()
	staff, portal := "http://"+addr, "http://"+portalAddr
	waitHealthy(t, staff)
	waitHealthy(t, portal)
	send := func(method, url, body string, headers map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := send("POST", staff+"/api/v1/session", `{"login":"admin","password":"`+password+`"}`, nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || len(resp.Cookies()) == 0 {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	cookie := resp.Cookies()[0].Name + "=" + resp.Cookies()[0].Value
	resp = send("POST", staff+"/api/v1/tokens", `{"label":"portal test"}`, map[string]string{"Cookie": cookie})
	var issued struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&issued); err != nil || resp.StatusCode != http.StatusCreated || issued.Token == "" {
		t.Fatalf("issue a token: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	credentials := map[string]string{"Cookie": cookie, "Authorization": "Bearer " + issued.Token}
	for _, path := range []string{"/api/v1/me", "/admin/users"} {
		resp := send("GET", staff+path, "", credentials)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("staff %s: %d", path, resp.StatusCode)
		}
	}
	for _, path := range []string{"/api/v1/me", "/api/v1/cases", "/api/v1/openapi.json", "/admin/users", "/login", "/cases/new"} { // "/" is the portal's
		resp := send("GET", portal+path, "", credentials)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("portal %s: %d, want 404", path, resp.StatusCode)
		}
	}
	resp = send("GET", portal+"/static/app.css", "", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("portal static file: %d", resp.StatusCode)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stdout.String(), "Redress stopped") {
			t.Fatalf("serve stopped with %d: %s %s", code, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), "public handler (customer portal) at http://"+portalAddr) {
			t.Fatalf("serve did not say where the portal is: %s", stdout.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, a := range []string{addr, portalAddr} {
		if c, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after serve stopped", a)
		}
	}
}
