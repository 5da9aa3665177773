package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"redress/export"
)

// importCSV is a file of the web tests' bank: rows 2 and 3 import, row 4 is
// rejected (no subject, an unknown unit).
const importCSV = "\ufeff外部编号,类型,渠道,受理日期,投诉人,联系电话,主题,投诉内容,机构代码,状态,答复日期,办结日期\n" +
	"W-1,投诉,电话,2024-02-05,张三,13812345678,年费争议,客户称被收取年费。,BJ-01,已办结,2024-02-10,2024-02-12\n" +
	"W-2,咨询,信函,2026-11-02,李四,,营业时间,询问营业时间。,BJ,已登记,,\n" +
	"W-3,投诉,电话,2024-02-05,王五,,,没有主题。,NOPE,已办结,,2024-02-12\n"

// postImport sends an import file to the API as login.
func postImport(t *testing.T, f *apiFixture, login, name string, content []byte, dryRun bool) (int, map[string]any) {
	t.Helper()
	body, ctype := multipartForm(t, "file", name, content, url.Values{"dry_run": {strconv.FormatBool(dryRun)}})
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/imports", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+f.tokens[login])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// waitImport polls a run until it is no longer running.
func waitImport(t *testing.T, f *apiFixture, id string) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		status, run := f.call(t, "admin", "GET", "/api/v1/imports/"+id, "")
		if status != http.StatusOK {
			t.Fatalf("run %s: %d %v", id, status, run)
		}
		if run["state"] != "running" {
			return run
		}
	}
	t.Fatalf("run %s still running", id)
	return nil
}

func runID(run map[string]any) string { return strconv.Itoa(int(run["id"].(float64))) }

// TestImportPageDryRunThenRun_Issue16Item5: the admin page through the real
// handlers: a dry run that imports nothing, its rejected rows as Excel
// naming row and reason, then the run, whose cases are marked imported with
// their own dates and status; the API counts a re-run as skipped.
func TestImportPageDryRunThenRun_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	admin := pageClient(t, f, "admin")
	if page := pageText(t, f, admin, "/admin/import"); !strings.Contains(page, `id="import-mapping"`) || !strings.Contains(page, "外部编号") {
		t.Fatalf("import page: %s", page)
	}
	upload := func(dryRun string) string {
		body, ctype := multipartForm(t, "file", "history.csv", []byte(importCSV), url.Values{"dry_run": {dryRun}})
		req, _ := http.NewRequest("POST", f.srv.URL+"/admin/import", body)
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		admin.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		defer func() { admin.CheckRedirect = nil }()
		resp, err := admin.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/import/") {
			t.Fatalf("upload: %d %s", resp.StatusCode, loc)
		}
		return strings.TrimPrefix(loc, "/admin/import/")
	}
	casesBefore := countCases(t, f)
	dry := waitImport(t, f, upload("true"))
	if dry["state"] != "done" || dry["dry_run"] != true || dry["imported"] != 2.0 || dry["rejected"] != 1.0 {
		t.Fatalf("dry run: %v", dry)
	}
	if n := countCases(t, f); n != casesBefore {
		t.Fatalf("a dry run wrote cases: %d → %d", casesBefore, n)
	}
	page := pageText(t, f, admin, "/admin/import/"+runID(dry))
	if !strings.Contains(page, `id="import-rejects"`) || !strings.Contains(page, "拒绝 1") {
		t.Fatalf("run page: %s", page)
	}
	resp, err := admin.Get(f.srv.URL + "/admin/import/" + runID(dry) + "/rejects?format=xlsx")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != export.XLSX.ContentType() {
		t.Fatalf("rejects: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	table, err := export.ReadTable(bytes.NewReader(raw), int64(len(raw)), export.XLSX, export.DefaultReadLimits)
	if err != nil {
		t.Fatal(err)
	}
	var sheet []string
	for {
		row, err := table.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		sheet = append(sheet, strings.Join(row, "|"))
	}
	table.Close()
	got := strings.Join(sheet, "\n")
	for _, want := range []string{"行号|外部编号|字段|原因", "4|W-3|机构代码|没有代码为 NOPE 的机构", "4|W-3|主题|必填"} {
		if !strings.Contains(got, want) {
			t.Errorf("rejects sheet lacks %q:\n%s", want, got)
		}
	}

	real := waitImport(t, f, upload(""))
	if real["state"] != "done" || real["imported"] != 2.0 || countCases(t, f) != casesBefore+2 {
		t.Fatalf("run: %v", real)
	}
	status, list := f.call(t, "mgr", "GET", "/api/v1/cases?status=closed", "")
	var imported map[string]any
	for _, c := range list["cases"].([]any) {
		if c.(map[string]any)["external_no"] == "W-1" {
			imported = c.(map[string]any)
		}
	}
	if status != http.StatusOK || imported == nil || imported["import_run"] != real["id"] ||
		!strings.HasPrefix(imported["received_at"].(string), "2024-02-05T00:00:00") || !strings.HasPrefix(imported["closed_at"].(string), "2024-02-12") {
		t.Fatalf("imported case: %v", imported)
	}
	if page := pageText(t, f, pageClient(t, f, "mgr"), "/cases/"+imported["no"].(string)); !strings.Contains(page, `id="case-imported"`) ||
		!strings.Contains(page, "外部编号 W-1") {
		t.Fatalf("the case page does not mark the imported case: %s", page)
	}
	_, again := postImport(t, f, "admin", "history.csv", []byte(importCSV), false)
	if again = waitImport(t, f, runID(again)); again["skipped"] != 2.0 || again["imported"] != 0.0 {
		t.Fatalf("re-run: %v", again)
	}
}

func countCases(t *testing.T, f *apiFixture) int {
	t.Helper()
	status, list := f.call(t, "auditor", "GET", "/api/v1/cases?limit=100", "")
	if status != http.StatusOK {
		t.Fatalf("list: %d %v", status, list)
	}
	return len(list["cases"].([]any))
}

// TestImportRefusesHostileFiles_Issue16Item5: a file of another type, one
// that is not what its name says, binary as CSV, an empty one, one without
// the required columns, one over 64 MiB, no multipart body, a caller
// without case.import; the page shows the form again with the reason.
func TestImportRefusesHostileFiles_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	for _, tc := range []struct {
		name, file, field string
		content           []byte
	}{
		{"another type", "history.txt", "file", []byte(importCSV)},
		{"a CSV named .xlsx", "history.xlsx", "file", []byte(importCSV)},
		{"a zip named .csv", "history.csv", "file", []byte("PK\x03\x04garbage")},
		{"a broken workbook", "history.xlsx", "file", []byte("PK\x03\x04garbage")},
		{"binary as CSV", "history.csv", "file", []byte("外部编号\x00\x01\x02")},
		{"no header", "history.csv", "file", []byte("\n")},
		{"the required columns missing", "history.csv", "header.subject", []byte("外部编号,类型\nA,投诉\n")},
	} {
		status, out := postImport(t, f, "admin", tc.file, tc.content, true)
		fields, _ := out["error"].(map[string]any)["fields"].(map[string]any)
		if status != http.StatusBadRequest || fields[tc.field] == nil {
			t.Errorf("%s: %d %v", tc.name, status, out)
		}
	}
	if status, _ := postImport(t, f, "mgr", "history.csv", []byte(importCSV), true); status != http.StatusForbidden {
		t.Errorf("a manager imports: %d", status)
	}
	if status, out := f.call(t, "admin", "POST", "/api/v1/imports", `{"file":"x"}`); status != http.StatusBadRequest {
		t.Errorf("JSON body: %d %v", status, out)
	}
	// Over the limit: the body is streamed, never built whole.
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n"))
		chunk := bytes.Repeat([]byte("a,b,c\n"), 1<<14)
		for written := 0; written <= 65<<20; written += len(chunk) {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Write([]byte("\r\n--B--\r\n"))
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/imports", pr)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
	req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	pr.CloseWithError(io.ErrClosedPipe)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), "64 MiB") {
		t.Errorf("oversized: %d %s", resp.StatusCode, raw)
	}

	admin := pageClient(t, f, "admin")
	body, ctype := multipartForm(t, "file", "history.txt", []byte("x"), nil)
	preq, _ := http.NewRequest("POST", f.srv.URL+"/admin/import", body)
	preq.Header.Set("Content-Type", ctype)
	preq.Header.Set("Sec-Fetch-Site", "same-origin")
	presp, err := admin.Do(preq)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(presp.Body)
	presp.Body.Close()
	if presp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), "必须是 .csv 或 .xlsx 文件") {
		t.Errorf("page with a wrong file: %d %s", presp.StatusCode, page)
	}
	if status, _ := f.call(t, "admin", "GET", "/api/v1/imports/999", ""); status != http.StatusNotFound {
		t.Errorf("unknown run: %d", status)
	}
	if status, _ := f.call(t, "mgr", "GET", "/api/v1/imports/1", ""); status != http.StatusForbidden {
		t.Errorf("a manager reads a run: %d", status)
	}
}

// TestImportXLSXThroughAPI_Issue16Item5: a workbook's first sheet, its date
// cells read as the dates they show.
func TestImportXLSXThroughAPI_Issue16Item5(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	var buf bytes.Buffer
	w, err := export.NewWriter(export.XLSX, &buf)
	if err != nil {
		t.Fatal(err)
	}
	cols := []export.Column{{Title: "外部编号"}, {Title: "类型"}, {Title: "渠道"}, {Title: "受理日期", Kind: export.Date}, {Title: "投诉人"},
		{Title: "主题"}, {Title: "投诉内容"}, {Title: "机构代码"}, {Title: "状态"}, {Title: "办结日期", Kind: export.Date}}
	w.Table("历史案件", cols)
	w.Row("X-1", "投诉", "电话", "2025-04-01", "张三", "年费争议", "客户称被收取年费。", "BJ-01", "已办结", "2025-04-10")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	status, run := postImport(t, f, "admin", "history.xlsx", buf.Bytes(), false)
	if status != http.StatusAccepted {
		t.Fatalf("upload: %d %v", status, run)
	}
	if run = waitImport(t, f, runID(run)); run["imported"] != 1.0 || run["rejected"] != 0.0 {
		t.Fatalf("run: %v", run)
	}
	_, list := f.call(t, "mgr", "GET", "/api/v1/cases?status=closed", "")
	for _, c := range list["cases"].([]any) {
		if c := c.(map[string]any); c["external_no"] == "X-1" {
			if !strings.HasPrefix(c["received_at"].(string), "2025-04-01T00:00:00") || !strings.HasPrefix(c["closed_at"].(string), "2025-04-10") {
				t.Fatalf("dates: %v %v", c["received_at"], c["closed_at"])
			}
			return
		}
	}
	t.Fatal("the imported case is not listed")
}
