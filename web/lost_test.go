package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"redress"
)

// TestLostPropertyRegister_Seed003_失物登记: staff register an item found in
// the hall on the page (every problem of an empty form at once), record the
// tracing and hand it back on its page against the receiver's checked ID and
// signature; the register lists it with the ID masked and prints the slip;
// the API answers the same and another branch sees none of it.
func TestLostPropertyRegister_Seed003_失物登记(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	staff := pageClientAs(t, f, "staff", browserPassword)
	_, page := postPage(t, f, staff, "/registers/lost", url.Values{"org": {"BJ-01"}})
	for _, field := range []string{"description", "place", "found_by", "kept_at", "found_at"} {
		if !strings.Contains(page, `id="err-`+field+`"`) {
			t.Errorf("an empty registration does not name %s", field)
		}
	}
	found := time.Now().In(redress.Beijing).Add(-time.Hour).Format("2006-01-02T15:04")
	status, page := postPage(t, f, staff, "/registers/lost", url.Values{"org": {"BJ-01"}, "found_at": {found}, "place": {"大堂座椅旁"},
		"found_by": {"大堂经理"}, "cctv_ref": {"监控 3 号"}, "kept_at": {"网点保险柜"}, "description": {"黑色资料袋，内有公章"}})
	if status != http.StatusOK || !strings.Contains(page, "SW-000001") || !strings.Contains(page, "保管中") {
		t.Fatalf("registered: %d %s", status, between(page, `id="lost-register"`, "</section>"))
	}
	postPage(t, f, staff, "/registers/lost/SW-000001/step", url.Values{"step": {"trace"}, "version": {"1"}, "note": {"调取监控，联系失主"}})
	_, page = postPage(t, f, staff, "/registers/lost/SW-000001/step", url.Values{"step": {"return"}, "version": {"2"}, "receiver_name": {"宋先生"},
		"receiver_id_type": {"resident_id"}, "receiver_id_number": {"110101199003071234"}})
	if !strings.Contains(page, `id="err-signed"`) {
		t.Fatal("a return without the signature is not refused at its field")
	}
	_, page = postPage(t, f, staff, "/registers/lost/SW-000001/step", url.Values{"step": {"return"}, "version": {"2"}, "receiver_name": {"宋先生"},
		"receiver_id_type": {"resident_id"}, "receiver_id_number": {"110101199003071234"}, "signed": {"yes"}})
	if !strings.Contains(page, "已归还失主") || !strings.Contains(page, "110***********1234") || strings.Contains(page, "110101199003071234") ||
		!strings.Contains(page, "领取人签字") {
		t.Fatalf("returned: %s", between(page, `id="lost-item"`, "</dl>"))
	}
	status, body := f.call(t, "mgr", "GET", "/api/v1/lost-items?status=returned", "")
	if items, _ := body["items"].([]any); status != http.StatusOK || len(items) != 1 {
		t.Fatalf("the API's register: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr.sh", "GET", "/api/v1/lost-items/1", ""); status != http.StatusNotFound {
		t.Fatalf("another branch reads it: %d %v", status, body)
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/lost-items/1/steps", `{"step":"police","version":3,"note":"海淀分局"}`); status != http.StatusConflict {
		t.Fatalf("a returned item moves again: %d", status)
	}
}
