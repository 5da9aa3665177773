package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"redress/sqldb/sqldbtest"
)

// TestServePortalAddr runs serve with --portal-addr and --metrics-addr in
// this process: the public handler answers on its own address, a staff
// session cookie and API token from the staff address open nothing there;
// the operators' address serves the metrics (with the sweep's run) and the
// profiles to the admin's token only (issue 17 item 5); every listener stops
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
	addr, portalAddr, metricsAddr := freeAddr(t), freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer // read once serve has returned
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--portal-addr", portalAddr, "--metrics-addr", metricsAddr, "--data", t.TempDir(), "--db", e.NewDatabase(t)}, &stdout, &stderr)
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
	ops := "http://" + metricsAddr
	for path, want := range map[string]int{"/metrics": http.StatusUnauthorized, "/debug/pprof/": http.StatusUnauthorized} {
		if resp := send("GET", ops+path, "", nil); resp.StatusCode != want {
			t.Errorf("%s without a token: %d", path, resp.StatusCode)
		}
	}
	resp = send("GET", ops+"/metrics", "", map[string]string{"Authorization": "Bearer " + issued.Token})
	var metrics bytes.Buffer
	metrics.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(metrics.String(), `redress_job_duration_seconds_count{job="sweep"} 1`) ||
		!strings.Contains(metrics.String(), `redress_http_requests_total{method="POST",route="/api/v1/session",status="201"} 1`) {
		t.Errorf("the operators' metrics: %d %.2000s", resp.StatusCode, metrics.String())
	}
	if resp := send("GET", ops+"/debug/pprof/cmdline", "", map[string]string{"Authorization": "Bearer " + issued.Token}); resp.StatusCode != http.StatusOK {
		t.Errorf("the profiles: %d", resp.StatusCode)
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
	for _, a := range []string{addr, portalAddr, metricsAddr} {
		if c, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after serve stopped", a)
		}
	}
}

// TestMetricsAddrIsLoopback: the operators' address takes the loopback
// interface only; anything else is a usage error naming the flag.
func TestMetricsAddrIsLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"": true, "127.0.0.1:9090": true, "[::1]:9090": true, "localhost:9090": true,
		"0.0.0.0:9090": false, ":9090": false, "10.1.2.3:9090": false, "example.com:9090": false, "127.0.0.1": false} {
		err := checkLoopback(addr)
		if (err == nil) != ok || (err != nil && (!errors.Is(err, errUsage) || !strings.Contains(err.Error(), "--metrics-addr"))) {
			t.Errorf("%q: %v", addr, err)
		}
	}
}
