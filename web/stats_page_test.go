package web_test

import (
	"strings"
	"testing"
)

// TestStatisticsPage_Order3Art26 (CBIRC Order 2020 No.3 Art.26: 投诉统计分析):
// the statistics page shows last month by default, the month picked, the
// figures the API gives for the same period (never a second computation),
// the breakdown tables named in Chinese, the units to drill into, and the
// charts' data; a malformed month comes back on the page naming the field.
func TestStatisticsPage_Order3Art26(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	f.create(t)
	client := pageClient(t, f, "mgr")
	page := pageText(t, f, client, "/stats?period=month&value=2026-11")
	_, api := f.call(t, "mgr", "GET", "/api/v1/stats?from=2026-11-01&to=2026-11-30", "")
	if api["received"] != float64(1) {
		t.Fatalf("the API's figures: %v", api)
	}
	for _, want := range []string{`id="stats-summary"`, "统计期间 2026-11-01 至 2026-11-30", "受理量", "<dd>1</dd>",
		"按业务类别（B 类代码）", "中关村网点", `data-chart-kind="line"`, "网点答复及时率", "100.0%"} {
		if !strings.Contains(page, want) {
			t.Errorf("the statistics page does not show %q", want)
		}
	}
	if !strings.Contains(page, `/stats?period=month&amp;value=2026-11&amp;from=2026-11-01&amp;to=2026-11-30&amp;org=BJ-01`) {
		t.Errorf("the unit is not a drill-down link")
	}
	drill := pageText(t, f, client, "/stats?period=month&value=2026-11&org=BJ-01")
	if !strings.Contains(drill, "统计分析 · 中关村网点") || !strings.Contains(drill, "↑ 北京分行") {
		t.Errorf("the drill-down into the outlet does not name it or lead back up")
	}
	if page := pageText(t, f, client, "/stats"); !strings.Contains(page, `value="2026-10"`) && !strings.Contains(page, `value="2026-11"`) {
		t.Errorf("the default period is not last month")
	}
	bad := pageText(t, f, client, "/stats?period=month&value=2026-13")
	if !strings.Contains(bad, `id="err-value"`) || strings.Contains(bad, `id="stats-summary"`) {
		t.Errorf("a malformed month: %s", bad)
	}
}
