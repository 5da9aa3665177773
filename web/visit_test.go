package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestVisitRegistrationAPI: the API enforces what the registration page
// enforces — 信访工作条例 (2022) Art.18: a visit of five or more people
// chooses representatives, at most five; seed 000 4.1 (来访登记与安全检查): an
// ID or security check names who did it — and stores the registration in
// columns of the case, shown when it is read.
func TestVisitRegistrationAPI(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	visit := func(v string) string {
		return strings.Replace(strings.Replace(createBody, `"channel":"counter"`, `"channel":"visit"`, 1),
			`"amount":"5000.00"}`, `"amount":"5000.00","visit":`+v+`}`, 1)
	}
	status, body := f.call(t, "staff", "POST", "/api/v1/cases",
		visit(`{"visitors":25,"representatives":6,"id_checked":true,"security_checked":true}`))
	if _, _, fields := errorOf(t, body); status != http.StatusBadRequest || fields["visit.representatives"] == nil {
		t.Fatalf("six representatives: %d %v", status, body)
	}
	phone := strings.Replace(createBody, `"channel":"counter"`, `"channel":"phone"`, 1)
	status, body = f.call(t, "staff", "POST", "/api/v1/cases", strings.Replace(phone, `"amount":"5000.00"}`,
		`"amount":"5000.00","visit":{"visitors":1}}`, 1))
	if _, _, fields := errorOf(t, body); status != http.StatusBadRequest || fields["visit"] == nil {
		t.Fatalf("a visit registration on a phone call: %d %v", status, body)
	}
	status, body = f.call(t, "staff", "POST", "/api/v1/cases",
		visit(`{"visitors":25,"representatives":5,"id_checked":true,"id_type":"resident_id","security_checked":true}`))
	if _, _, fields := errorOf(t, body); status != http.StatusBadRequest || fields["visit.id_checked_by"] == nil || fields["visit.security_checked_by"] == nil {
		t.Fatalf("checks without who did them (seed 000 4.1): %d %v", status, body)
	}
	status, body = f.call(t, "staff", "POST", "/api/v1/cases",
		visit(`{"visitors":25,"representatives":5,"id_checked":true,"id_type":"resident_id","id_checked_by":"大堂经理 王芳","security_checked":true,"security_checked_by":"保安 李强","room":"一号接待室"}`))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, body)
	}
	status, got := f.call(t, "mgr", "GET", "/api/v1/cases/"+body["no"].(string), "")
	v, _ := got["visit"].(map[string]any)
	if status != http.StatusOK || v["visitors"] != 25.0 || v["representatives"] != 5.0 || v["id_checked"] != true || v["security_checked"] != true ||
		v["id_type"] != "resident_id" || v["id_checked_by"] != "大堂经理 王芳" || v["security_checked_by"] != "保安 李强" || v["room"] != "一号接待室" {
		t.Fatalf("the stored visit: %d %v", status, got["visit"])
	}
	status, body = f.call(t, "staff", "POST", "/api/v1/cases", visit(`{"visitors":"many"}`))
	if status != http.StatusBadRequest {
		t.Fatalf("a visit of the wrong type: %d %v", status, body)
	}
}
