package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// reportBank registers the forms' cases: two complaints at the outlet
// BJ-01 (one without codes: A01 by its counter channel, B99, C99; one coded
// A0303 B03 C07) and one at SH without codes; and the admin enters BJ's
// counts from 2026-10-01 (8 outlets, 400,000 personal customers).
func reportBank(t *testing.T, f *apiFixture) {
	t.Helper()
	coded := strings.Replace(createBody, `"amount"`, `"code_a":"A0303","code_b":"B03","code_c":"C07","amount"`, 1)
	for _, c := range []struct{ login, body string }{{"staff", createBody}, {"staff", coded}, {"mgr.sh", createBody}} {
		if status, body := f.call(t, c.login, "POST", "/api/v1/cases", c.body); status != http.StatusCreated {
			t.Fatalf("create: %d %v", status, body)
		}
	}
	status, body := f.call(t, "admin", "POST", "/api/v1/unit-counts", `{"org":"BJ","effective_from":"2026-10-01","outlets":8,"personal_customers":400000}`)
	if status != http.StatusOK || body["by"] != "admin" {
		t.Fatalf("counts: %d %v", status, body)
	}
}

// TestJRTFormAndExport_JRT0169_2018 (JR/T 0169-2018: channel A × business B
// × cause C, "other" 99): the API's table, worked out from the three cases;
// the XLSX read back holds the same cells with Chinese headers; the page
// names the codes; each export is audited; a malformed quarter is 400
// naming it.
func TestJRTFormAndExport_JRT0169_2018(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	reportBank(t, f)
	status, table := f.call(t, "auditor", "GET", "/api/v1/reports/jrt?quarter=2026-Q4", "")
	raw, _ := json.Marshal(table["cells"])
	if status != http.StatusOK || table["total"] != float64(3) ||
		string(raw) != `[{"a":"A01","b":"B99","c":"C99","count":2},{"a":"A0303","b":"B03","c":"C07","count":1}]` {
		t.Fatalf("table: %d %s %v", status, raw, table)
	}
	status, file := f.call(t, "auditor", "GET", "/api/v1/reports/jrt?quarter=2026-Q4&format=xlsx", "")
	if status != http.StatusOK {
		t.Fatalf("xlsx: %d %v", status, file)
	}
	book, err := excelize.OpenReader(bytes.NewReader([]byte(file["_raw"].(string))))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows("投诉渠道 × 业务类别 × 投诉原因")
	if err != nil || len(rows) != 3 || rows[0][0] != "代码" || strings.Join(rows[2], "|") != "A0303|移动客户端|B03|银行卡|C07|定价收费|1" ||
		strings.Join(rows[1], "|") != "A01|营业现场|B99|其他|C99|其他|2" {
		t.Fatalf("the cells as xlsx: %v %v", rows, err)
	}
	if byB, _ := book.GetRows("按业务类别（B 类代码）"); len(byB) != 4 || byB[3][0] != "合计" || byB[3][2] != "3" {
		t.Errorf("the B margin as xlsx: %v", byB)
	}
	status, file = f.call(t, "mgr", "GET", "/api/v1/reports/jrt?quarter=2026-Q4&format=csv", "")
	if csv := file["_raw"].(string); status != http.StatusOK || !strings.HasPrefix(csv, "\ufeff代码,名称,") || !strings.Contains(csv, "A0303,移动客户端,B03,银行卡,C07,定价收费,1") ||
		!strings.Contains(csv, "A01,营业现场,B99,其他,C99,其他,1") {
		t.Errorf("the branch's table as csv: %d %s", status, csv)
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/reports/jrt?quarter=2026-Q5", ""); status != http.StatusBadRequest || fieldsOf(body) != "quarter" {
		t.Errorf("a malformed quarter: %d %v", status, body)
	}
	if status, _ := f.call(t, "mgr", "GET", "/api/v1/reports/jrt?quarter=2026-Q4&org=SH", ""); status != http.StatusNotFound {
		t.Errorf("a unit out of scope: %d", status)
	}
	page := pageText(t, f, pageClient(t, f, "mgr"), "/reports/jrt?quarter=2026-Q4")
	for _, want := range []string{"投诉分类统计表（JR/T 0169-2018）", `id="jrt-cells"`, "<td>A0303</td><td>移动客户端</td>", "计入 99“其他”",
		"/api/v1/reports/jrt?format=xlsx&amp;org=&amp;quarter=2026-Q4", `<th scope="col">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the JR/T page does not show %q", want)
		}
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=export.download", "")
	raw, _ = json.Marshal(events)
	// 2 cells, then each margin's 2 codes and its total: 11 rows, by whom, of what.
	if !strings.Contains(string(raw), `"actor":"auditor"`) || !strings.Contains(string(raw), `"detail":"xlsx, 11 rows, filter`) ||
		!strings.Contains(string(raw), `"id":"jrt"`) {
		t.Errorf("the exports are not audited: %s", raw)
	}
}

// TestDensityFormPerOutletsAndCustomers_Order3Art26 (CBIRC Order 2020 No.3
// Art.26: 统计; the regulator's quarterly notices: 每千个营业网点投诉量,
// 每千万个人客户投诉量): BJ's two complaints of Q4 against its 8 outlets and
// 400,000 personal customers: 2 / 8 × 1,000 = 250.00, 2 / 400,000 ×
// 10,000,000 = 50.00, × 1,000,000 = 5.00; the outlet has no counts and is
// missing (null, never 0), on the page and in the export; the admin enters
// counts in a form, audited, a bad one refused by field.
func TestDensityFormPerOutletsAndCustomers_Order3Art26(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	reportBank(t, f)
	status, rep := f.call(t, "mgr", "GET", "/api/v1/reports/density?quarter=2026-Q4", "")
	var want []any
	json.Unmarshal([]byte(`[{"org":"BJ","name":"北京分行","complaints":2,"counts_from":"2026-10-01","outlets":8,"personal_customers":400000,`+
		`"per_1000_outlets":250,"per_10m_personal_customers":50,"per_million_personal_customers":5},`+
		`{"org":"BJ-01","name":"中关村网点","complaints":2,"outlets":null,"personal_customers":null,"per_1000_outlets":null,`+
		`"per_10m_personal_customers":null,"per_million_personal_customers":null}]`), &want)
	if status != http.StatusOK || !reflect.DeepEqual(rep["rows"], want) {
		t.Fatalf("density: %d\n got %v\nwant %v", status, rep["rows"], want)
	}
	page := pageText(t, f, pageClient(t, f, "mgr"), "/reports/density?quarter=2026-Q4")
	for _, want := range []string{"每千个营业网点投诉量", "<td>250.00</td><td>50.00</td><td>5.00</td>", "缺失（未录入营业网点数和个人客户数）"} {
		if !strings.Contains(page, want) {
			t.Errorf("the density page does not show %q", want)
		}
	}
	_, file := f.call(t, "mgr", "GET", "/api/v1/reports/density?quarter=2026-Q4&format=csv", "")
	if csv := file["_raw"].(string); !strings.Contains(csv, "北京分行,BJ,2,2026-10-01,8,400000,250.00,50.00,5.00") || !strings.Contains(csv, "中关村网点,BJ-01,2,,缺失") {
		t.Errorf("density as csv: %s", csv)
	}

	admin := adminBrowser(t, f)
	code, body := postForm(t, admin, f.srv.URL+"/admin/unit-counts", url.Values{"org": {"BJ-01"}, "effective_from": {"2026-12-31"},
		"outlets": {"x"}, "personal_customers": {"0"}})
	if code != http.StatusOK || !strings.Contains(body, `id="err-outlets"`) || !strings.Contains(body, `id="err-personal_customers"`) {
		t.Fatalf("a bad entry: %d %s", code, body)
	}
	if code, body := postForm(t, admin, f.srv.URL+"/admin/unit-counts", url.Values{"org": {"BJ-01"}, "effective_from": {"2026-12-31"},
		"outlets": {"1"}, "personal_customers": {"50000"}}); code != http.StatusSeeOther {
		t.Fatalf("the entry: %d %s", code, body)
	}
	if page := pageText(t, f, admin, "/admin/unit-counts"); !strings.Contains(page, "<td>中关村网点 (BJ-01)</td><td>2026-12-31</td><td>1</td><td>50000</td><td>admin</td>") {
		t.Errorf("the counts page: %s", page)
	}
	_, rep = f.call(t, "mgr", "GET", "/api/v1/reports/density?quarter=2026-Q4", "")
	if outlet := rep["rows"].([]any)[1].(map[string]any); outlet["per_1000_outlets"] != float64(2000) || outlet["per_10m_personal_customers"] != float64(400) {
		t.Errorf("the outlet's counts in effect on the quarter's last day: %v", outlet)
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=org.set_counts", "")
	if raw, _ := json.Marshal(events); strings.Count(string(raw), `"action":"org.set_counts"`) != 2 {
		t.Errorf("the entries are not audited: %s", raw)
	}
	if status, _ := f.call(t, "mgr", "POST", "/api/v1/unit-counts", `{"org":"BJ","effective_from":"2026-10-01","outlets":1,"personal_customers":1}`); status != http.StatusForbidden {
		t.Errorf("a manager enters counts: %d", status)
	}
}

// TestDisclosurePage_Order3Art26 (CBIRC Order 2020 No.3 Art.26: 统计;
// 年度投诉情况公开): the year's complaints in the branch's scope, by business
// (B99 for the uncoded), by region and handled, on a printable page and as
// XLSX with the same figures.
func TestDisclosurePage_Order3Art26(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	reportBank(t, f)
	status, d := f.call(t, "mgr", "GET", "/api/v1/reports/disclosure?year=2026", "")
	biz, _ := json.Marshal(d["by_business"])
	if status != http.StatusOK || d["received"] != float64(2) || string(biz) != `[{"code":"B03","count":1,"share":0.5},{"code":"B99","count":1,"share":0.5}]` {
		t.Fatalf("disclosure: %d %s %v", status, biz, d)
	}
	page := pageText(t, f, pageClient(t, f, "mgr"), "/reports/disclosure?year=2026")
	for _, want := range []string{"年度投诉情况公开 · 2026", "投诉业务类别分布", "<td>B99</td><td>其他</td><td>1</td><td>50.0%</td>",
		`<th scope="row">中关村网点</th><td>2</td>`, "data-print"} {
		if !strings.Contains(page, want) {
			t.Errorf("the disclosure page does not show %q", want)
		}
	}
	_, file := f.call(t, "mgr", "GET", "/api/v1/reports/disclosure?year=2026&format=xlsx", "")
	book, err := excelize.OpenReader(bytes.NewReader([]byte(file["_raw"].(string))))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if v, _ := book.GetCellValue("年度投诉情况公开", "B2"); v != "2" {
		t.Errorf("the volume as xlsx: %q", v)
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/reports/disclosure?year=26", ""); status != http.StatusBadRequest || fieldsOf(body) != "year" {
		t.Errorf("a malformed year: %d %v", status, body)
	}
}
