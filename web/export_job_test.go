package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// waitJob polls a background export of login until it has ended and
// answers it.
func waitJob(t *testing.T, f *apiFixture, login, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, job := f.call(t, login, "GET", "/api/v1/exports/"+id, "")
		if status != http.StatusOK {
			t.Fatalf("job %s: %d %v", id, status, job)
		}
		if job["state"] != "running" || time.Now().After(deadline) {
			return job
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBackgroundExportIsTheDownload_Item5 (issue 12 item 5: a long export
// runs as a background job; every export is an audit event naming who,
// what filter, how many rows): POST /api/v1/exports answers 202 with the
// job; it runs to done with its rows and the total expected; its file is
// byte for byte the synchronous export of the same filter; only its owner
// sees the job and its file (another user: 404, as a missing job); the
// download is the event export.download with the filter and rows; a bad
// filter is the list's 400 and no job.
func TestBackgroundExportIsTheDownload_Item5(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	for range 3 {
		f.create(t)
	}
	status, job := f.call(t, "mgr", "POST", "/api/v1/exports", `{"what":"cases","format":"csv","query":"kind=complaint"}`)
	if status != http.StatusAccepted || job["state"] != "running" || job["total"] != 3.0 || job["owner"] != "mgr" {
		t.Fatalf("start: %d %v", status, job)
	}
	id := job["id"].(string)
	if job = waitJob(t, f, "mgr", id); job["state"] != "done" || job["rows"] != 3.0 || job["expires_at"] == nil {
		t.Fatalf("the job did not finish: %v", job)
	}
	_, file := f.call(t, "mgr", "GET", "/api/v1/exports/"+id+"/file", "")
	_, direct := f.call(t, "mgr", "GET", "/api/v1/cases?kind=complaint&format=csv", "")
	if file["_raw"] == nil || file["_raw"] != direct["_raw"] {
		t.Fatalf("the job's file differs from the download:\n%v\n%v", file["_raw"], direct["_raw"])
	}
	for _, path := range []string{"/api/v1/exports/" + id, "/api/v1/exports/" + id + "/file"} {
		if status, body := f.call(t, "mgr.sh", "GET", path, ""); status != http.StatusNotFound {
			t.Errorf("another user reads %s: %d %v", path, status, body)
		}
	}
	_, page := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=export.download", "")
	events := page["events"].([]any) // newest first: the direct download, then the job's
	if got := events[1].(map[string]any); got["actor"] != "mgr" || got["detail"] != `csv, 3 rows, filter "kind=complaint"` {
		t.Errorf("the download's audit event: %v", got)
	}
	if status, body := f.call(t, "mgr", "POST", "/api/v1/exports", `{"what":"cases","format":"csv","query":"kind=nonsense&colour=red"}`); status != http.StatusBadRequest ||
		!strings.Contains(fieldsOf(body), "colour") {
		t.Errorf("a bad filter: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr", "POST", "/api/v1/exports", `{"what":"stats","format":"pdf","query":""}`); status != http.StatusBadRequest ||
		!strings.Contains(fieldsOf(body), "format") || !strings.Contains(fieldsOf(body), "what") {
		t.Errorf("a bad request: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/exports/0123456789abcdef0123456789abcdef", ""); status != http.StatusNotFound {
		t.Errorf("a missing job: %d %v", status, body)
	}
}

// TestWorkbenchExportsALargeListInTheBackground_Item5 (issue 12 item 5:
// a progress bar on the page and a download when ready): above the
// threshold the workbench's 导出 buttons start a job instead of linking
// the file; the button leads to the job's page, which polls itself (htmx,
// every second, only while running) and, once done, shows the rows and the
// download link, in Chinese and in English; the link downloads the file.
func TestWorkbenchExportsALargeListInTheBackground_Item5(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	for range 3 {
		f.create(t)
	}
	client := pageClient(t, f, "mgr")
	_, home := getPage(t, f, client, "/?kind=complaint")
	if strings.Contains(home, `id="export-job-form"`) || !strings.Contains(home, "format=xlsx") {
		t.Fatalf("a small list links its export: %.300s", home)
	}
	f.server.SetAsyncExportRows(2)
	_, home = getPage(t, f, client, "/?kind=complaint")
	if !strings.Contains(home, `id="export-job-form"`) || !strings.Contains(home, `name="query" value="kind=complaint"`) ||
		!strings.Contains(home, "后台导出") {
		t.Fatalf("a large list does not start a job: %s", home)
	}
	status, running := postPage(t, f, client, "/exports", url.Values{"what": {"cases"}, "format": {"csv"}, "query": {"kind=complaint"}})
	id := regexp.MustCompile(`/exports/([0-9a-f]{32})`).FindStringSubmatch(running)
	if status != http.StatusOK || id == nil || !strings.Contains(running, `id="export-job"`) {
		t.Fatalf("the button does not lead to the job's page: %d %s", status, running)
	}
	where := "/exports/" + id[1]
	if strings.Contains(running, `data-state="running"`) && (!strings.Contains(running, `hx-trigger="every 1s"`) || !strings.Contains(running, "<progress")) {
		t.Errorf("a running job's page does not poll with a bar: %s", running)
	}
	waitJob(t, f, "mgr", strings.TrimPrefix(where, "/exports/"))
	_, done := getPage(t, f, client, where)
	if !strings.Contains(done, "导出完成，共 3 行") || !strings.Contains(done, `href="`+where+`/file"`) || strings.Contains(done, "hx-trigger") {
		t.Errorf("a finished job's page: %s", done)
	}
	enReq, _ := http.NewRequest("GET", f.srv.URL+where, nil)
	enReq.AddCookie(&http.Cookie{Name: "redress_lang", Value: "en"})
	if resp, err := client.Do(enReq); err == nil {
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(raw), "The export is ready: 3 rows.") {
			t.Errorf("in English: %s", raw)
		}
	}
	resp, err := client.Get(f.srv.URL + where + "/file")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.Count(string(raw), "\nTS2026") != 3 || !strings.Contains(resp.Header.Get("Content-Disposition"), "cases-") {
		t.Errorf("the download link: %d %.200s", resp.StatusCode, raw)
	}
}
