package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetrics_Issue17Item5: the metrics in the Prometheus text format are
// served to an admin only (401 without a token, 403 to a manager): the
// requests by route pattern and status (never a tracking number), the
// intakes and their group commits, the cases by status, the outboxes, the
// database pools and the Go runtime. The operators' handler serves the
// same and the Go profiles, to an admin only.
func TestMetrics_Issue17Item5(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	no := f.create(t)["no"].(string)
	f.call(t, "mgr", "GET", "/api/v1/cases/"+no, "")
	if status, _ := f.call(t, "", "GET", "/metrics", ""); status != http.StatusUnauthorized {
		t.Fatalf("without a token: %d", status)
	}
	if status, _ := f.call(t, "mgr", "GET", "/metrics", ""); status != http.StatusForbidden {
		t.Fatalf("a manager: %d", status)
	}
	status, body := f.call(t, "admin", "GET", "/metrics", "")
	text, _ := body["_raw"].(string)
	if status != http.StatusOK {
		t.Fatalf("the admin: %d %v", status, body)
	}
	for _, want := range []string{
		`redress_http_requests_total{method="POST",route="/api/v1/cases",status="201"} 1`,
		`redress_http_requests_total{method="GET",route="/api/v1/cases/{no}",status="200"} 1`,
		`redress_http_request_duration_seconds_bucket{method="GET",route="/api/v1/cases/{no}",le="+Inf"} 1`,
		`redress_intake_batch_jobs_total{result="ok"}`, `redress_intake_batch_size_bucket`,
		`redress_cases{status="registered"} 1`, `redress_cases{status="closed"} 0`,
		`redress_outbox_pending{outbox="staff"}`, `redress_outbox_lag_seconds{outbox="customer"}`, `redress_gauges_up 1`,
		`go_sql_wait_count_total{db_name="read"}`, `go_goroutines`, `process_resident_memory_bytes`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %s in the metrics", want)
		}
	}
	if strings.Contains(text, no) {
		t.Error("a tracking number stands in the metrics")
	}
	ops := httptest.NewServer(f.server.OpsHandler())
	defer ops.Close()
	get := func(login, path string) int {
		req, _ := http.NewRequest("GET", ops.URL+path, nil)
		if login != "" {
			req.Header.Set("Authorization", "Bearer "+f.tokens[login])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for path, want := range map[string][3]int{
		"/metrics":             {http.StatusUnauthorized, http.StatusForbidden, http.StatusOK},
		"/debug/pprof/":        {http.StatusUnauthorized, http.StatusForbidden, http.StatusOK},
		"/debug/pprof/cmdline": {http.StatusUnauthorized, http.StatusForbidden, http.StatusOK},
		"/api/v1/cases":        {http.StatusNotFound, http.StatusNotFound, http.StatusNotFound},
	} {
		for i, login := range []string{"", "mgr", "admin"} {
			if got := get(login, path); got != want[i] {
				t.Errorf("%s as %q on the operators' handler: %d, want %d", path, login, got, want[i])
			}
		}
	}
}
