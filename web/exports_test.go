package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"redress"
	"redress/sqldb"
)

// TestExportsMatchTheFigures (CBIRC Order 2020 No.3 Art.26: 投诉统计分析 and
// reports to management): the statistics as XLSX hold the same figures as
// the JSON, a sheet per table with Chinese names; the case list as CSV
// holds every case of the filter with personal data masked as on screen;
// each export is an audit event naming who, what and how many rows; an
// unknown format is 400 naming the field.
func TestExportsMatchTheFigures(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	for range 3 {
		f.create(t)
	}
	_, st := f.call(t, "mgr", "GET", "/api/v1/stats?from=2026-11-01&to=2026-11-30", "")
	status, raw := f.call(t, "mgr", "GET", "/api/v1/stats?from=2026-11-01&to=2026-11-30&format=xlsx", "")
	if status != http.StatusOK {
		t.Fatalf("stats as xlsx: %d %v", status, raw)
	}
	book, err := excelize.OpenReader(bytes.NewReader([]byte(raw["_raw"].(string))))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	sheets := strings.Join(book.GetSheetList(), ",")
	for _, want := range []string{"概览", "受理趋势", "下辖机构", "按业务类别（B 类代码）", "按根因（影响因素）"} {
		if !strings.Contains(sheets, want) {
			t.Errorf("no sheet %q in %s", want, sheets)
		}
	}
	if v, _ := book.GetCellValue("概览", "B2"); v != "3" || st["received"] != float64(3) {
		t.Errorf("received: sheet %q, JSON %v", v, st["received"])
	}
	if v, _ := book.GetCellValue("下辖机构", "A2"); v != "中关村网点" {
		t.Errorf("the first unit: %q", v)
	}

	status, raw = f.call(t, "mgr", "GET", "/api/v1/cases?kind=complaint&format=csv", "")
	csv, _ := raw["_raw"].(string)
	if status != http.StatusOK || !strings.HasPrefix(csv, "\ufeff案件编号,") || strings.Count(csv, "\nTS2026") != 3 {
		t.Fatalf("cases as csv: %d %.300s", status, csv)
	}
	if strings.Contains(csv, "110101199003071234") || strings.Contains(csv, "13812345678") || !strings.Contains(csv, "138****5678") {
		t.Errorf("the export does not mask as the screen does: %.400s", csv)
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/cases?format=pdf", ""); status != http.StatusBadRequest || !strings.Contains(fieldsOf(body), "format") {
		t.Errorf("an unknown format: %d %v", status, body)
	}

	_, page := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=export.", "")
	var details []string
	for _, e := range page["events"].([]any) {
		e := e.(map[string]any)
		details = append(details, e["actor"].(string)+" "+e["subject"].(map[string]any)["id"].(string)+" "+e["detail"].(string))
	}
	got := strings.Join(details, " | ")
	if !strings.Contains(got, `mgr cases csv, 3 rows, filter "kind=complaint&format=csv"`) || !strings.Contains(got, "mgr stats xlsx") {
		t.Errorf("export events: %s", got)
	}
}

// fieldsOf lists the field names of an error answer.
func fieldsOf(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	fields, _ := e["fields"].(map[string]any)
	var names []string
	for k := range fields {
		names = append(names, k)
	}
	return strings.Join(names, ",")
}

// TestAuditExportStreamsEveryEvent (DESIGN.md §5: the audit trail is read
// by auditors; issue 12 item 5: every list exports, every export is an
// audit event): the audit trail as CSV holds every event of the filter, more
// than one page of the list (500), newest first, with personal data masked
// as the JSON shows it; as XLSX with a filter it holds the filter's events;
// only an auditor may export it (403 otherwise, as the list); a bad filter
// is 400 before any file starts; the export is itself an event with its row
// count.
func TestAuditExportStreamsEveryEvent(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	f.create(t)
	f.create(t)
	exports := sqldb.NewExportService(f.db)
	mgr := redress.WithUser(context.Background(), &redress.User{Login: "mgr", Role: redress.RoleManager})
	for i := range redress.MaxEventLimit + 20 { // more than a page of the trail
		if err := exports.RecordExport(mgr, redress.ExportRecord{What: redress.ExportCases, Format: "csv", Rows: i}); err != nil {
			t.Fatal(err)
		}
	}
	var seqs []string // every event, newest first, as the JSON pages give them
	for before := ""; ; {
		_, page := f.call(t, "auditor", "GET", "/api/v1/audit/events?limit=500"+before, "")
		for _, e := range page["events"].([]any) {
			seqs = append(seqs, strconv.Itoa(int(e.(map[string]any)["seq"].(float64))))
		}
		next, ok := page["next_before"].(float64)
		if !ok {
			break
		}
		before = "&before=" + strconv.Itoa(int(next))
	}

	status, raw := f.call(t, "auditor", "GET", "/api/v1/audit/events?format=csv", "")
	body, _ := raw["_raw"].(string)
	if status != http.StatusOK || !strings.HasPrefix(body, "\ufeff序号,时间,操作人,操作,") {
		t.Fatalf("audit as csv: %d %.300s", status, body)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range records[1:] {
		got = append(got, rec[0])
	}
	if len(seqs) <= redress.MaxEventLimit || strings.Join(got, ",") != strings.Join(seqs, ",") {
		t.Errorf("the file holds %d events, the JSON %d (first %v, want %v)", len(got), len(seqs), got[:min(3, len(got))], seqs[:min(3, len(seqs))])
	}
	if strings.Contains(body, "110101199003071234") || strings.Contains(body, "13812345678") || !strings.Contains(body, "case.register") {
		t.Errorf("the audit export does not mask as the JSON does, or lacks the registrations: %.600s", body)
	}

	_, page := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=case.", "")
	status, raw = f.call(t, "auditor", "GET", "/api/v1/audit/events?action=case.&format=xlsx", "")
	if status != http.StatusOK {
		t.Fatalf("audit as xlsx: %d %v", status, raw)
	}
	book, err := excelize.OpenReader(strings.NewReader(raw["_raw"].(string)))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows("审计日志")
	if err != nil {
		t.Fatal(err)
	}
	want := page["events"].([]any)
	if len(rows) != len(want)+1 || len(want) != 2 {
		t.Fatalf("the filtered sheet has %d rows for %d events", len(rows)-1, len(want))
	}
	for i, e := range want {
		e := e.(map[string]any)
		if rows[i+1][3] != e["action"] || rows[i+1][5] != e["subject"].(map[string]any)["id"] || rows[i+1][8] != e["hash"] {
			t.Errorf("row %d: %v, want %v", i+1, rows[i+1], e)
		}
	}

	if status, body := f.call(t, "mgr", "GET", "/api/v1/audit/events?format=csv", ""); status != http.StatusForbidden {
		t.Errorf("a manager exports the audit trail: %d %v", status, body)
	}
	if status, body := f.call(t, "auditor", "GET", "/api/v1/audit/events?from=2026-13-01&format=csv", ""); status != http.StatusBadRequest || !strings.Contains(fieldsOf(body), "from") {
		t.Errorf("a bad filter: %d %v", status, body)
	}
	_, page = f.call(t, "auditor", "GET", "/api/v1/audit/events?actor=auditor&action=export.download", "")
	events := page["events"].([]any)
	if len(events) == 0 {
		t.Fatal("the audit export is not audited")
	}
	detail := events[len(events)-1].(map[string]any)["detail"].(string)
	if want := "csv, " + strconv.Itoa(len(seqs)) + ` rows, filter "format=csv"`; detail != want {
		t.Errorf("the export's event: %q, want %q", detail, want)
	}
}

// TestSearchExportFromThePage (issue 12 item 5: search results export, masked
// as on screen): the search page links to its results as XLSX and CSV; the
// link, followed with the page's session, gives every result the search
// answers (best first, with the fragment) and no personal data in clear;
// the export is an audit event with its row count.
func TestSearchExportFromThePage(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	for range 3 {
		f.create(t)
	}
	client := pageClient(t, f, "mgr")
	resp, err := client.Get(f.srv.URL + "/search?q=" + url.QueryEscape("理财"))
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	link := regexp.MustCompile(`href="([^"]+)" download id="search-xlsx"`).FindSubmatch(html)
	if link == nil {
		t.Fatalf("no export link on the search page: %s", html)
	}
	resp, err = client.Get(f.srv.URL + strings.ReplaceAll(string(link[1]), "&amp;", "&"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("the link: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows("搜索结果")
	if err != nil {
		t.Fatal(err)
	}
	_, found := f.call(t, "mgr", "GET", "/api/v1/search?q="+url.QueryEscape("理财"), "")
	results := found["results"].([]any)
	if len(results) != 3 || len(rows) != len(results)+1 || rows[0][0] != "案件编号" {
		t.Fatalf("%d rows for %d results: %v", len(rows)-1, len(results), rows)
	}
	for i, res := range results {
		c := res.(map[string]any)["case"].(map[string]any)
		if rows[i+1][0] != c["no"] || rows[i+1][5] != "张三" || !strings.Contains(rows[i+1][8], "理财") {
			t.Errorf("row %d: %v, want case %v", i+1, rows[i+1], c["no"])
		}
	}
	status, out := f.call(t, "mgr", "GET", "/api/v1/search?q="+url.QueryEscape("理财")+"&format=csv", "")
	if body, _ := out["_raw"].(string); status != http.StatusOK || strings.Contains(body, "110101199003071234") || strings.Contains(body, "13812345678") {
		t.Errorf("search as csv: %d %.400s", status, body)
	}
	_, page := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=export.download", "")
	var details []string
	for _, e := range page["events"].([]any) {
		e := e.(map[string]any)
		details = append(details, e["subject"].(map[string]any)["id"].(string)+" "+e["detail"].(string))
	}
	if got := strings.Join(details, " | "); !strings.Contains(got, "search xlsx, 3 rows") || !strings.Contains(got, "search csv, 3 rows") {
		t.Errorf("search export events: %s", got)
	}
}
