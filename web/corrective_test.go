package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCorrectiveActionThroughAPIAndPages_Order2020No3Art9_溯源整改: a root
// cause found in a case opens a corrective action from the case page; the
// owner reports it done on its page; the manager sees the system's
// before/after count at the verification step and signs it; the API answers
// the same action, refuses a stale version, and shows nothing to another
// branch; an empty opening form shows every problem at once, in Chinese.
func TestCorrectiveActionThroughAPIAndPages_Order2020No3Art9_溯源整改(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	f.act(t, "mgr", no, "accept", `}`)
	f.act(t, "mgr", no, "determine", `,"liability":"bank_fault","responsible_party":"理财经理","root_cause":"话术不规范","root_cause_code":"R04","accountability_measure":"criticism","accountable_staff":"staff"}`)

	mgr := pageClient(t, f, "mgr")
	casePage := pageText(t, f, mgr, "/cases/"+no)
	link := between(casePage, `id="corrective"`, "</section>")
	if !strings.Contains(link, "/corrective/new?") || !strings.Contains(link, "root_cause_code=R04") || !strings.Contains(link, "据此发起整改") {
		t.Fatalf("the case page offers no corrective action from its root cause: %s", link)
	}
	if page := pageText(t, f, mgr, "/corrective/new?source=cases&cases="+no+"&root_cause_code=R04&org=BJ-01"); !strings.Contains(page, `value="`+no+`"`) ||
		!strings.Contains(page, `<option value="R04" selected>`) {
		t.Fatalf("the opening form is not filled from the case")
	}
	_, page := postPage(t, f, mgr, "/corrective/new", url.Values{})
	for _, field := range []string{"source", "problem", "measures", "org", "owner", "due"} {
		if !strings.Contains(page, `id="err-`+field+`"`) {
			t.Errorf("an empty opening form does not name %s", field)
		}
	}
	form := url.Values{"source": {"cases"}, "cases": {no}, "root_cause_code": {"R04"}, "org": {"BJ-01"}, "owner": {"staff"},
		"due": {"2026-12-31"}, "problem": {"理财销售话术不规范"}, "measures": {"修订话术，全员培训"}}
	status, page := postPage(t, f, mgr, "/corrective/new", form)
	if status != http.StatusOK || !strings.Contains(page, "ZG-000001") || !strings.Contains(page, "整改中") {
		t.Fatalf("opened: %d %s", status, between(page, "<main", "</main>"))
	}
	if strings.Contains(page, `id="step-verify"`) || !strings.Contains(page, `id="step-progress"`) {
		t.Error("the manager is offered verification of an open action")
	}

	staff := pageClientAs(t, f, "staff", browserPassword)
	if _, page = postPage(t, f, staff, "/corrective/ZG-000001/step", url.Values{"step": {"done"}, "version": {"1"}, "text": {"已完成培训 20 人次"}}); !strings.Contains(page, "待验证") {
		t.Fatalf("done by the owner: %s", between(page, "<main", "</main>"))
	}
	page = pageText(t, f, mgr, "/corrective/ZG-000001")
	effect := between(page, `id="corrective-effect"`, "</section>")
	if !strings.Contains(effect, "整改前") || !strings.Contains(effect, "<td>1</td>") || !strings.Contains(page, `id="step-verify"`) {
		t.Fatalf("the verification step does not show the count before (1 case of R04): %s", effect)
	}
	if status, body := f.call(t, "mgr", "POST", "/api/v1/corrective-actions/ZG-000001/steps", `{"step":"verify","version":1,"effective":true}`); status != http.StatusConflict {
		t.Fatalf("a stale version: %d %v", status, body)
	}
	status, body := f.call(t, "mgr", "POST", "/api/v1/corrective-actions/1/steps", `{"step":"verify","version":2,"effective":true,"text":"同类投诉减少"}`)
	if status != http.StatusOK || body["status"] != "verified" {
		t.Fatalf("verified: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr.sh", "GET", "/api/v1/corrective-actions/1", ""); status != http.StatusNotFound {
		t.Fatalf("another branch reads it: %d %v", status, body)
	}
	status, list := f.call(t, "mgr.sh", "GET", "/api/v1/corrective-actions", "")
	if status != http.StatusOK || len(list["actions"].([]any)) != 0 {
		t.Fatalf("another branch lists it: %d %v", status, list)
	}
	status, sum := f.call(t, "mgr", "GET", "/api/v1/corrective-actions/summary?from=2026-11-01&to=2026-11-30", "")
	if status != http.StatusOK || sum["verified"] != 1.0 {
		t.Fatalf("summary: %d %v", status, sum)
	}
	if stats := pageText(t, f, mgr, "/stats?period=month&value=2026-11"); !strings.Contains(between(stats, `id="stats-corrective"`, "</section>"), "已验证有效") {
		t.Error("the statistics page does not show the corrective actions")
	}
	if page := pageText(t, f, mgr, "/cases/"+no); !strings.Contains(between(page, `id="corrective"`, "</section>"), "ZG-000001") {
		t.Error("the case page does not list its corrective action")
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/corrective-actions", fmt.Sprintf(`{"source":"cases","cases":["%s"],"org":"BJ-01","owner":"staff","problem":"问题","measures":"措施","due":"2026-12-31"}`, no)); status != http.StatusForbidden {
		t.Fatalf("staff open an action: %d", status)
	}
}

// TestDetermineByAPITakesCodedCause_Order2020No3Art26: the API's determine
// takes the root-cause code and the accountability measure with the staff
// member it is taken against (the coded fields the reports count), as the
// page does; before, it refused them as unknown fields.
func TestDetermineByAPITakesCodedCause_Order2020No3Art26(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	no := f.create(t)["no"].(string)
	f.act(t, "mgr", no, "accept", `}`)
	f.act(t, "mgr", no, "determine", `,"liability":"bank_fault","responsible_party":"理财经理","root_cause":"话术不规范","root_cause_code":"R04","accountability_measure":"criticism","accountable_staff":"staff"}`)
	_, c := f.call(t, "mgr", "GET", "/api/v1/cases/"+no, "")
	d, _ := c["determination"].(map[string]any)
	if d["root_cause_code"] != "R04" || d["accountability_measure"] != "criticism" || d["accountable_staff"] != "staff" {
		t.Fatalf("the coded determination: %v", d)
	}
}
