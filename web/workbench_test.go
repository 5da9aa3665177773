package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestWorkbenchFilterForm: the workbench's 筛选 form, submitted as a browser
// sends it (every field, the empty ones as "="), lists what it asks for; the
// business-category drop-down offers B codes only, and a code filter holds
// the codes below it; a refused filter comes back on the workbench naming
// the field in Chinese, not as an English error page.
func TestWorkbenchFilterForm(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "admin", "POST", "/api/v1/codes",
		`{"dimension":"B","code":"B0601","name":"结构性存款","name_en":"Structured deposits","parent":"B06","active":true}`); status != http.StatusOK {
		t.Fatalf("code: %d %v", status, body)
	}
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", strings.Replace(createBody, `"amount":"5000.00"}`, `"amount":"5000.00","code_b":"B0601"}`, 1))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, c)
	}
	client := pageClient(t, f, "mgr")
	home := pageText(t, f, client, "/")
	if i := strings.Index(home, `<select name="code">`); i < 0 || strings.Contains(home[i:i+strings.Index(home[i:], "</select>")], `value="A`) ||
		strings.Contains(home[i:i+strings.Index(home[i:], "</select>")], `value="C`) {
		t.Fatalf("the business-category drop-down offers codes of other dimensions")
	}
	form := "/?status=&kind=&channel=&level=&handler=&code=&received_from=&received_to="
	if page := pageText(t, f, client, form); !strings.Contains(page, c["no"].(string)) {
		t.Fatalf("the empty filter form does not list the case")
	}
	if page := pageText(t, f, client, "/?status=&kind=complaint&code=B06&received_from=&received_to="); !strings.Contains(page, c["no"].(string)) {
		t.Fatalf("code B06 does not list the case classified B0601")
	}
	if page := pageText(t, f, client, "/?code=B07"); strings.Contains(page, c["no"].(string)) {
		t.Fatalf("code B07 lists the case classified B0601")
	}
	page := pageText(t, f, client, "/?received_from=2026-13-40&code=B%25")
	if !strings.Contains(page, `id="err-received_from"`) && !strings.Contains(page, "请填写日期") {
		t.Fatalf("a refused filter: %s", page)
	}
	if strings.Contains(page, "invalid filter") || strings.Contains(page, "出错了") {
		t.Fatalf("a refused filter shows the error page")
	}
}
