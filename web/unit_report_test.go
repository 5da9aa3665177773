package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestUnitMonthlyReport_Seed002Art4 (the bank's rules, seed 002 Art.4:
// 统计、分析、上报客户投诉处理情况; CBIRC Order 2020 No.3 Art.26): the head of
// BJ submits November (the two cases of its outlet), frozen; head office
// sees BJ as submitted and SH as missing; the branch's page shows the
// outlet missing and the report's figures; a second submission is 409, a
// manager's 403.
func TestUnitMonthlyReport_Seed002Art4(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	reportBank(t, f)
	status, rep := f.call(t, "head", "POST", "/api/v1/unit-reports", `{"month":"2026-11"}`)
	if status != http.StatusCreated || rep["submitted_by"] != "head" || rep["snapshot"].(map[string]any)["received"] != float64(2) {
		t.Fatalf("submit: %d %v", status, rep)
	}
	if status, _ := f.call(t, "head", "POST", "/api/v1/unit-reports", `{"month":"2026-11"}`); status != http.StatusConflict {
		t.Errorf("a second submission: %d", status)
	}
	if status, _ := f.call(t, "mgr", "POST", "/api/v1/unit-reports", `{"month":"2026-10"}`); status != http.StatusForbidden {
		t.Errorf("a manager's submission: %d", status)
	}
	_, list := f.call(t, "auditor", "GET", "/api/v1/unit-reports?month=2026-11", "")
	var got []string
	for _, item := range list["items"].([]any) {
		r := item.(map[string]any)
		got = append(got, r["org"].(string)+":"+map[bool]string{true: "submitted", false: "missing"}[r["submitted"] == true])
	}
	if strings.Join(got, " ") != "HQ:missing BJ:submitted SH:missing" {
		t.Errorf("head office's list: %v", got)
	}
	client := pageClient(t, f, "mgr")
	page := pageText(t, f, client, "/reports/unit?month=2026-11")
	for _, want := range []string{"机构月度投诉情况报告 · 2026-11", `<a href="/reports/unit/BJ/2026-11">已提交</a></td><td>head</td>`,
		`<th scope="row">中关村网点 (BJ-01)</th>`, "未提交"} {
		if !strings.Contains(page, want) {
			t.Errorf("the reports page does not show %q", want)
		}
	}
	if strings.Contains(page, "提交本机构该月报告") {
		t.Errorf("a manager is offered the submission")
	}
	if page := pageText(t, f, client, "/reports/unit/BJ/2026-11"); !strings.Contains(page, "（冻结数据）") || !strings.Contains(page, `<th scope="row">受理量</th><td>2</td>`) {
		t.Errorf("the report's page: %s", page)
	}
}
