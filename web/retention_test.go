package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"redress"
	"redress/sqldb"
)

// newRetentionAPI is the API bank with a head-office consumer-protection
// user, hq (hq_service: complainants' holds and erasure), who signs in on
// the pages with pagePassword, as do mgr and admin.
func newRetentionAPI(t *testing.T) *apiFixture {
	t.Helper()
	f, _ := newAPIOf(t, "api, retention", func(admin context.Context, db *sqldb.DB, b *bank) error {
		users := sqldb.NewUserService(db)
		if _, err := users.CreateUser(admin, redress.NewUser{Login: "hq", Name: "赵敏", Role: redress.RoleHQService, Org: "HQ"}); err != nil {
			return err
		}
		for _, login := range []string{"hq", "mgr", "admin"} {
			password := pagePassword
			if _, err := users.UpdateUser(admin, login, redress.UserUpdate{Password: &password}); err != nil {
				return fmt.Errorf("password of %s: %w", login, err)
			}
			token, err := sqldb.NewTokenService(db).CreateToken(admin, login, "test", nil)
			if err != nil {
				return err
			}
			b.tokens[login] = token
		}
		return nil
	})
	return f
}

// TestRetentionAPI_DOMAIN6_PIPLArt47 (DOMAIN.md §6; PIPL Art.47): the
// periods by API (admin only, at least 3 years for cases, hostile bodies
// refused naming the field), a case's hold placed, listed, released with a
// reason and audited, the hold's hostile input refused, erasure refused
// with the reason while a case is open, then, four years after closing,
// the dry run counts the case, the run anonymises it and the chain verifies.
func TestRetentionAPI_DOMAIN6_PIPLArt47(t *testing.T) {
	t.Parallel()
	f := newRetentionAPI(t)
	if status, p := f.call(t, "auditor", "GET", "/api/v1/retention/policy", ""); status != http.StatusOK || p["complaint"] != 3.0 {
		t.Fatalf("policy: %d %v", status, p)
	}
	for body, field := range map[string]string{
		`{"complaint":2}`: "complaint", `{"evidence":1000}`: "evidence", `{"nope":3}`: "nope",
	} {
		status, answer := f.call(t, "admin", "PUT", "/api/v1/retention/policy", body)
		if _, _, fields := errorOf(t, answer); status != http.StatusBadRequest || fields[field] == nil {
			t.Errorf("%s: %d %v", body, status, answer)
		}
	}
	for _, body := range []string{`{"complaint":"3"}`, `[]`, `{"complaint":3.5}`, `{"complaint":3,"complaint":4}`, `null`} {
		if status, answer := f.call(t, "admin", "PUT", "/api/v1/retention/policy", body); status != http.StatusBadRequest {
			t.Errorf("%s: %d %v", body, status, answer)
		}
	}
	if status, _ := f.call(t, "mgr", "PUT", "/api/v1/retention/policy", `{"complaint":5}`); status != http.StatusForbidden {
		t.Errorf("a manager set the periods: %d", status)
	}
	if status, p := f.call(t, "admin", "PUT", "/api/v1/retention/policy", `{"complaint":4}`); status != http.StatusOK || p["complaint"] != 4.0 || p["petition"] != 3.0 {
		t.Fatalf("set: %d %v", status, p)
	}

	no := f.create(t)["no"].(string)
	for body, field := range map[string]string{`{"reason":""}`: "reason", `{"reason":"诉讼","phone":"13812345678"}`: "id_number",
		`{"reason":"` + strings.Repeat("长", 501) + `"}`: "reason"} {
		status, answer := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/holds", body)
		if _, _, fields := errorOf(t, answer); status != http.StatusBadRequest || fields[field] == nil {
			t.Errorf("hold %s: %d %v", body, status, answer)
		}
	}
	if status, _ := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/holds", `{"reason":"x","who":"me"}`); status != http.StatusBadRequest {
		t.Errorf("an unknown field: %d", status)
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/holds", `{"reason":"诉讼"}`); status != http.StatusForbidden {
		t.Errorf("staff placed a hold: %d", status)
	}
	if status, _ := f.call(t, "mgr.sh", "POST", "/api/v1/cases/"+no+"/holds", `{"reason":"诉讼"}`); status != http.StatusNotFound {
		t.Errorf("a manager out of scope placed a hold: %d", status)
	}
	status, hold := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/holds", `{"reason":"诉讼保全 (2026)京0108民初123号"}`)
	if status != http.StatusCreated || hold["case_no"] != no || hold["placed_by"] != "mgr" {
		t.Fatalf("hold: %d %v", status, hold)
	}
	if status, list := f.call(t, "staff", "GET", "/api/v1/cases/"+no+"/holds", ""); status != http.StatusOK || len(list["items"].([]any)) != 1 {
		t.Fatalf("the case's holds: %d %v", status, list)
	}
	if status, list := f.call(t, "mgr", "GET", "/api/v1/holds", ""); status != http.StatusOK || len(list["items"].([]any)) != 1 {
		t.Fatalf("holds standing: %d %v", status, list)
	}
	for _, path := range []string{"/api/v1/holds/abc/release", "/api/v1/holds/LH-999999/release", "/api/v1/holds/-1/release"} {
		if status, _ := f.call(t, "mgr", "POST", path, `{"reason":"结束"}`); status != http.StatusNotFound {
			t.Errorf("%s: %d", path, status)
		}
	}
	if status, _ := f.call(t, "mgr", "POST", "/api/v1/holds/LH-000001/release", `{"reason":""}`); status != http.StatusBadRequest {
		t.Errorf("a release without a reason: %d", status)
	}
	if status, h := f.call(t, "mgr", "POST", "/api/v1/holds/LH-000001/release", `{"reason":"案件已判决"}`); status != http.StatusOK || h["released_by"] != "mgr" {
		t.Fatalf("release: %d %v", status, h)
	}
	if status, _ := f.call(t, "mgr", "POST", "/api/v1/holds/1/release", `{"reason":"again"}`); status != http.StatusConflict {
		t.Errorf("a second release: %d", status)
	}

	erase := `{"phone":"13812345678","reason":"客户申请 2026-0042"}`
	if status, _ := f.call(t, "mgr", "POST", "/api/v1/retention/erasure", erase); status != http.StatusForbidden {
		t.Errorf("a branch manager erased: %d", status)
	}
	status, answer := f.call(t, "hq", "POST", "/api/v1/retention/erasure", erase)
	if _, message, _ := errorOf(t, answer); status != http.StatusConflict || !strings.Contains(message, "open") {
		t.Fatalf("erasure with an open case: %d %v", status, answer)
	}
	if status, _ := f.call(t, "hq", "POST", "/api/v1/retention/erasure", `{"phone":"13812345678","id_number":"110101199003071234","reason":"x"}`); status != http.StatusBadRequest {
		t.Errorf("two numbers: %d", status)
	}

	// Withdrawn, then four years on: expired.
	if status, c := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/withdraw", `{"version":1,"reason":"客户撤回投诉"}`); status != http.StatusOK {
		t.Fatalf("withdraw: %d %v", status, c)
	}
	later := time.Now().AddDate(5, 0, 0)
	f.db.Now = func() time.Time { return later }
	if status, _ := f.call(t, "mgr", "GET", "/api/v1/retention/dry-run", ""); status != http.StatusForbidden {
		t.Errorf("a manager ran the dry run: %d", status)
	}
	status, dry := f.call(t, "admin", "GET", "/api/v1/retention/dry-run", "")
	if kinds := dry["kinds"].([]any); status != http.StatusOK || kinds[0].(map[string]any)["expired"] != 1.0 || dry["dry_run"] != true {
		t.Fatalf("dry run: %d %v", status, dry)
	}
	status, run := f.call(t, "admin", "POST", "/api/v1/retention/run", "")
	if kinds := run["kinds"].([]any); status != http.StatusOK || kinds[0].(map[string]any)["expired"] != 1.0 || run["events"].(float64) < 1 {
		t.Fatalf("run: %d %v", status, run)
	}
	_, c := f.call(t, "auditor", "GET", "/api/v1/cases/"+no, "")
	if c["anonymised_at"] == nil || c["complainant"].(map[string]any)["name"] != redress.RetentionRedacted {
		t.Fatalf("not anonymised: %v", c)
	}
	if _, verify := f.call(t, "auditor", "GET", "/api/v1/audit/verify", ""); verify["ok"] != true {
		t.Fatalf("audit verify after the run: %v", verify)
	}
	status, done := f.call(t, "hq", "POST", "/api/v1/retention/erasure", erase)
	if _, message, _ := errorOf(t, done); status != http.StatusNotFound || strings.Contains(message, "1381") {
		t.Fatalf("nothing left to erase: %d %v", status, done)
	}
}

// TestRetentionPages_DOMAIN6_PIPLArt47: the admin's page shows each kind's
// period and the dry run's counts, refuses a period under the minimum
// naming the field, saves and runs; the case page shows its holds and places
// one; the holds page lists it, releases it, and offers head office the
// complainant's hold and the erasure, whose refusal gives the reason and
// never echoes the number typed.
func TestRetentionPages_DOMAIN6_PIPLArt47(t *testing.T) {
	t.Parallel()
	f := newRetentionAPI(t)
	admin := pageClient(t, f, "admin")
	page := pageText(t, f, admin, "/admin/retention")
	for _, want := range []string{"投诉案件", "信访事项", "证据材料与录音录像", "失物登记", `id="retention-dry-run"`, "执行匿名化"} {
		if !strings.Contains(page, want) {
			t.Errorf("the retention page lacks %q", want)
		}
	}
	form := url.Values{}
	for _, k := range redress.RetentionKinds {
		form.Set(string(k.Kind), "3")
	}
	form.Set("complaint", "2")
	form.Set("petition", "三")
	_, page = postPage(t, f, admin, "/admin/retention", form)
	if !strings.Contains(page, `id="err-complaint"`) || !strings.Contains(page, `id="err-petition"`) {
		t.Errorf("a period under 3 years and a word are not refused by field: %s", between(page, "<main", "</form>"))
	}
	form.Set("complaint", "6")
	form.Set("petition", "3")
	if status, page := postPage(t, f, admin, "/admin/retention", form); status != http.StatusOK || !strings.Contains(page, `value="6"`) {
		t.Fatalf("saved: %d", status)
	}
	if status, page := postPage(t, f, admin, "/admin/retention/run", url.Values{}); status != http.StatusOK || !strings.Contains(page, "保存期限作业已执行") {
		t.Fatalf("run: %d", status)
	}
	mgr := pageClient(t, f, "mgr")
	if status, _ := getPage(t, f, mgr, "/admin/retention"); status != http.StatusForbidden {
		t.Errorf("a manager opened the retention page: %d", status)
	}

	no := f.create(t)["no"].(string)
	card := between(pageText(t, f, mgr, "/cases/"+no), `id="holds"`, "</section>")
	if !strings.Contains(card, "没有法律冻结") || !strings.Contains(card, "设置法律冻结") {
		t.Fatalf("the case's holds card: %s", card)
	}
	_, page = postPage(t, f, mgr, "/cases/"+no+"/holds", url.Values{"reason": {" "}})
	if !strings.Contains(page, `id="err-reason"`) {
		t.Error("a hold without a reason is not refused by field")
	}
	_, page = postPage(t, f, mgr, "/cases/"+no+"/holds", url.Values{"reason": {"<script>诉讼保全</script>"}})
	card = between(page, `id="holds"`, "</section>")
	if !strings.Contains(card, "LH-000001") || !strings.Contains(card, "&lt;script&gt;诉讼保全") {
		t.Fatalf("the hold on the case page: %s", card)
	}
	page = pageText(t, f, mgr, "/holds")
	if !strings.Contains(page, no) || strings.Contains(page, `id="erasure"`) {
		t.Fatal("the holds page: the hold listed, no erasure for a branch manager")
	}
	_, page = postPage(t, f, mgr, "/holds/LH-000001/release", url.Values{"reason": {"判决生效"}, "back": {"case"}})
	if card := between(page, `id="holds"`, "</section>"); !strings.Contains(card, "判决生效") {
		t.Fatalf("released: %s", card)
	}
	if status, _ := postPage(t, f, mgr, "/holds/nope/release", url.Values{"reason": {"x"}}); status != http.StatusNotFound {
		t.Errorf("a hold that is not: %d", status)
	}

	hq := pageClient(t, f, "hq")
	page = pageText(t, f, hq, "/holds")
	if !strings.Contains(page, `id="erasure"`) || !strings.Contains(page, `id="hold-person"`) {
		t.Fatal("head office is not offered the erasure and the complainant's hold")
	}
	_, page = postPage(t, f, hq, "/holds/erasure", url.Values{"phone": {"13812345678"}, "reason": {"客户申请"}})
	if !strings.Contains(page, "仍未办结") && !strings.Contains(page, "open") || strings.Contains(page, "13812345678") {
		t.Fatalf("the erasure's refusal: %s", between(page, "<main", "</main>"))
	}
	_, page = postPage(t, f, hq, "/holds", url.Values{"id_number": {"110101199003071234"}, "reason": {"监管调查"}})
	if !strings.Contains(page, "110***********1234") || strings.Contains(page, "110101199003071234") {
		t.Fatal("the complainant's hold is not listed masked")
	}
}
