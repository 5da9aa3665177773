package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// personRow finds a person's row of an assessment answer.
func personRow(t *testing.T, a map[string]any, login string) map[string]any {
	t.Helper()
	people, _ := a["people"].([]any)
	for _, p := range people {
		if p := p.(map[string]any); p["login"] == login {
			return p
		}
	}
	t.Fatalf("no row for %s in %v", login, a)
	return nil
}

// TestAssessmentSheet_Order3Art27 (CBIRC Order 2020 No.3 Art.27: 考核): the
// month's sheet by API and as XLSX holds the same figures; the export is an
// audit event; the accused manager's sheet does not count the accusation
// against them (their branch head's does); staff may not read it; the page
// shows it and says return visits are not recorded.
func TestAssessmentSheet_Order3Art27(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	if status, c := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/accept", `{"version":1}`); status != 200 {
		t.Fatalf("accept: %d %v", status, c)
	}
	accusation := strings.Replace(createBody, `"subject"`, `"respondent":{"staff":"mgr"},"accusation":true,"subject"`, 1)
	if status, c := f.call(t, "staff", "POST", "/api/v1/cases", accusation); status != http.StatusCreated {
		t.Fatalf("accusation: %d %v", status, c)
	}

	status, head := f.call(t, "head", "GET", "/api/v1/assessment?month=2026-11", "")
	if status != 200 {
		t.Fatalf("assessment: %d %v", status, head)
	}
	if m := personRow(t, head, "mgr"); m["handled"] != float64(1) || m["complaints_against"] != float64(1) {
		t.Errorf("mgr in the branch head's sheet: %v", m)
	}
	_, mine := f.call(t, "mgr", "GET", "/api/v1/assessment?month=2026-11", "")
	if m := personRow(t, mine, "mgr"); m["handled"] != float64(1) || m["complaints_against"] != float64(0) {
		t.Errorf("the accused sees the accusation counted: %v", m)
	}
	if status, body := f.call(t, "staff", "GET", "/api/v1/assessment?month=2026-11", ""); status != http.StatusForbidden {
		t.Errorf("staff: %d %v", status, body)
	}
	if status, body := f.call(t, "head", "GET", "/api/v1/assessment?month=2026-13", ""); status != http.StatusBadRequest ||
		!strings.Contains(fieldsOf(body), "month") {
		t.Errorf("a bad month: %d %v", status, body)
	}

	status, raw := f.call(t, "head", "GET", "/api/v1/assessment?month=2026-11&format=xlsx", "")
	if status != 200 {
		t.Fatalf("xlsx: %d %v", status, raw)
	}
	book, err := excelize.OpenReader(bytes.NewReader([]byte(raw["_raw"].(string))))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if sheets := strings.Join(book.GetSheetList(), ","); !strings.Contains(sheets, "机构考核") || !strings.Contains(sheets, "人员考核") {
		t.Fatalf("sheets %s", sheets)
	}
	rows, err := book.GetRows("人员考核")
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Join(rows[0], ",")
	if !strings.Contains(header, "承办件数") || !strings.Contains(header, "被投诉件数") || !strings.Contains(header, "考核得分") {
		t.Errorf("header %s", header)
	}
	found := false
	for _, r := range rows[1:] {
		if r[1] == "mgr" {
			found = true
			m := personRow(t, head, "mgr")
			if score, _ := strconv.ParseFloat(r[slices.Index(rows[0], "考核得分")], 64); r[3] != "1" || r[13] != "1" || score != m["score"] {
				t.Errorf("the sheet's row %v, the JSON's %v", r, m)
			}
		}
	}
	if !found || len(rows)-1 != len(head["people"].([]any)) {
		t.Errorf("rows %v for %d people", rows, len(head["people"].([]any)))
	}
	_, page := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=export.", "")
	if got := bytesString(page); !strings.Contains(got, "head") || !strings.Contains(got, "assessment") {
		t.Errorf("no export event: %s", got)
	}

	client := pageClient(t, f, "mgr")
	html := pageText(t, f, client, "/assessment?month=2026-11")
	for _, want := range []string{"投诉处理考核", "有回访答复的以回访为准", "李强", "中关村网点", "format=xlsx"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page has no %q: %q", want, html)
		}
	}
	staff := pageClientAs(t, f, "staff", browserPassword)
	resp, err := staff.Get(f.srv.URL + "/assessment")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff opens the assessment page: %d", resp.StatusCode)
	}
}

// TestAssessmentSchemeForm_Order3Art27: the admin edits the scheme on its
// form; a refused value is shown by its field; the change is audited and
// scores the next sheet.
func TestAssessmentSchemeForm_Order3Art27(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	admin := pageClient(t, f, "admin")
	form := url.Values{"veto_measure": {"fine"}, "veto_mode": {"cap"}, "veto_cap": {"60"}, "veto_upheld": {"1"}}
	for item, w := range map[string]string{"reply_on_time": "20", "decision_on_time": "30", "closed": "20", "satisfied": "20",
		"not_reopened": "10", "overdue": "2", "complaint": "5", "upheld": "10", "measure": "10"} {
		form.Set("w_"+item, w)
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("w_closed", "80")
	if status, page := postPage(t, f, admin, "/admin/assessment", bad); status != 200 || !strings.Contains(page, `class="ferr"`) {
		t.Fatalf("rates over 100: %d", status)
	}
	if status, _ := postPage(t, f, admin, "/admin/assessment", form); status != 200 {
		t.Fatalf("save: %d", status)
	}
	_, sc := f.call(t, "mgr", "GET", "/api/v1/assessment/scheme", "")
	veto := sc["veto"].(map[string]any)
	if veto["measure"] != "fine" || veto["mode"] != "cap" || veto["cap"] != float64(60) || veto["upheld_complaint"] != true {
		t.Errorf("scheme after the form: %v", sc)
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=system.set_assessment_scheme", "")
	if n := len(events["events"].([]any)); n != 1 {
		t.Errorf("%d audit events of the change", n)
	}
	_, a := f.call(t, "head", "GET", "/api/v1/assessment?month=2026-11", "")
	if a["scheme"].(map[string]any)["veto"].(map[string]any)["mode"] != "cap" {
		t.Errorf("the sheet is scored with %v", a["scheme"])
	}
	html := pageText(t, f, admin, "/admin/assessment")
	if !strings.Contains(html, "一票否决") || !strings.Contains(html, `value="60"`) {
		t.Errorf("the form does not show the scheme")
	}
}
