package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
