package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"redress"
	"redress/sqldb"
	"redress/web"
)

// TestPortalRateLimitsHoldAcrossServersAndRestart_Issue14Item4 (issue 14
// item 4: rate limits per address, per phone and per case): the portal's
// limits are counted in the database, so a second server on it, or the
// server started again, refuses the attempt past the limit with the
// Chinese 429 and Retry-After; a server counting in memory alone (no
// shared store) would have let it through.
func TestPortalRateLimitsHoldAcrossServersAndRestart_Issue14Item4(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	serve := func(shared bool) *httptest.Server {
		svc := web.Services{Portal: sqldb.NewPortalService(f.db), PortalSMS: f.sms, UI: testUI(t)}
		if shared {
			svc.RateLimits = sqldb.NewRateLimits(f.db)
		}
		srv := httptest.NewServer(web.NewServer(svc, quiet).PublicHandler())
		t.Cleanup(srv.Close)
		return srv
	}
	code := func(srv *httptest.Server) *http.Response {
		t.Helper()
		resp, err := http.Post(srv.URL+"/api/v1/public/codes", "application/json",
			strings.NewReader(`{"no":"TS20261201-00077","phone":"13900008888"}`))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	burst := redress.DefaultPortalLimits().CodePerPhone.Burst
	first := serve(true)
	for range burst - 1 {
		if resp := code(first); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("code: %d", resp.StatusCode)
		}
	}
	first.Close() // the server stops; another one, and the same one started again, share the database
	second := serve(true)
	if resp := code(second); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("the last code within the limit: %d", resp.StatusCode)
	}
	if resp := code(serve(false)); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("a server counting in memory alone: %d (it knows nothing of the others)", resp.StatusCode)
	}
	restarted := serve(true)
	resp := code(restarted)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "过") {
		t.Fatalf("past the limit on a restarted server: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
}
