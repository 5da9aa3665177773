package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestPrintsNameNoInternals (issue 13 item 6): what the customer takes home
// names people and units, never logins or unit codes, writes dates as
// 2026年11月20日, and the registration form has lines for the customer's and
// the first responder's signatures.
func TestPrintsNameNoInternals(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	client := pageClient(t, f, "mgr")
	receipt := pageText(t, f, client, "/cases/"+no+"/receipt")
	form := pageText(t, f, client, "/cases/"+no+"/print/registration")
	for name, page := range map[string]string{"receipt": receipt, "registration form": form} {
		for _, want := range []string{"王芳", "中关村网点", "2026年11月20日"} {
			if !strings.Contains(page, want) {
				t.Errorf("the %s does not say %q", name, want)
			}
		}
		for _, internal := range []string{">staff<", "(staff)", "staff（", "BJ-01", "2026-11-20 09:30"} {
			if strings.Contains(page, internal) {
				t.Errorf("the %s shows %q", name, internal)
			}
		}
	}
	if !strings.Contains(form, "客户签字") || !strings.Contains(form, "首问负责人签字") {
		t.Errorf("the registration form has no signature lines")
	}
}

// TestPrintsCarryTheBank (issue 13 item 6): the bank's profile, admin data,
// heads the receipt, the registration form and the decision letter, and the
// receipt tells the customer the hotline and where to track the case, as
// its own text promises (请凭以下编号查询处理进度).
func TestPrintsCarryTheBank(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/bank",
		`{"name":"某某银行股份有限公司","hotline":"95599","track_at":"手机银行“投诉进度”或任一网点"}`); status != http.StatusOK {
		t.Fatalf("set the bank: %d %v", status, body)
	}
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/bank", `{"name":"x","hotline":""}`); status != http.StatusBadRequest {
		t.Fatalf("a bad profile: %d %v", status, body)
	}
	no := f.create(t)["no"].(string)
	client := pageClient(t, f, "mgr")
	receipt := pageText(t, f, client, "/cases/"+no+"/receipt")
	for _, want := range []string{"某某银行股份有限公司", "客户投诉电话 95599", "手机银行“投诉进度”或任一网点"} {
		if !strings.Contains(receipt, want) {
			t.Errorf("the receipt does not say %q", want)
		}
	}
	if form := pageText(t, f, client, "/cases/"+no+"/print/registration"); !strings.Contains(form, `class="center letterhead">某某银行股份有限公司`) {
		t.Errorf("the registration form has no letterhead")
	}
	if page := pageText(t, f, pageClient(t, f, "admin"), "/admin/settings"); !strings.Contains(page, `id="bank-profile"`) || !strings.Contains(page, "95599") {
		t.Errorf("the settings page does not show the bank's profile")
	}
}
