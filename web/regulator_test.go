package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"redress"
)

// repliedCase registers a case of the kind and walks it to its reply.
func repliedCase(t *testing.T, f *apiFixture, kind string) string {
	t.Helper()
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", strings.Replace(createBody, `"kind":"complaint"`, `"kind":"`+kind+`"`, 1))
	if status != http.StatusCreated {
		t.Fatalf("create %s: %d %v", kind, status, c)
	}
	no := c["no"].(string)
	steps := []struct{ action, body string }{
		{"accept", `{"notice_method":"letter","notice_at":"2026-11-20T14:00:00+08:00","notice_proof":"受理告知书 挂号信 XA122"}`},
		{"determine", `{"liability":"no_fault","root_cause":"客户误解收益计算方式"}`},
		{"reply", `{"facts":"经核实，产品收益按合同计算","basis":"产品说明书第三条","outcome":"not_upheld",
			"remedies":["review","mediation"],"notice_method":"letter","notice_at":"2026-11-20T15:00:00+08:00","notice_proof":"挂号信 XA123"}`},
	}
	for _, s := range steps {
		_, cur := f.call(t, "mgr", "GET", "/api/v1/cases/"+no, "")
		body := fmt.Sprintf(`{"version":%v,`, cur["version"]) + strings.TrimPrefix(s.body, "{")
		if body == fmt.Sprintf(`{"version":%v,}`, cur["version"]) {
			body = fmt.Sprintf(`{"version":%v}`, cur["version"])
		}
		if status, out := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/"+s.action, body); status != http.StatusOK {
			t.Fatalf("%s %s: %d %v", kind, s.action, status, out)
		}
	}
	return no
}

// TestPetitionWording_PetitionRegulationsArt23: a petition (信访工作条例) is
// never worded as a complaint: its receipt is the 受理告知书 (Art.23: 书面告知
// 信访人), its decision letter the 处理意见书, its person the 信访人, on the
// case page, the receipt, the registration form and the decision print; a
// complaint's pages still say 投诉.
func TestPetitionWording_PetitionRegulationsArt23(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	petition, complaint := repliedCase(t, f, "petition"), repliedCase(t, f, "complaint")
	client := pageClient(t, f, "mgr")
	pages := []struct{ path, petitionWord string }{
		{"/cases/%s", "信访人"},
		{"/cases/%s/receipt", "受理告知书"},
		{"/cases/%s/print/registration", "信访编号"},
		{"/cases/%s/print/decision", "处理意见书"},
	}
	for _, p := range pages {
		page := pageText(t, f, client, fmt.Sprintf(p.path, petition))
		if i := strings.Index(page, "投诉"); i >= 0 {
			t.Errorf("petition %s says 投诉: …%s…", p.path, page[max(0, i-120):min(len(page), i+60)])
		}
		if !strings.Contains(page, p.petitionWord) {
			t.Errorf("petition %s lacks %s", p.path, p.petitionWord)
		}
		if page := pageText(t, f, client, fmt.Sprintf(p.path, complaint)); !strings.Contains(page, "投诉") {
			t.Errorf("complaint %s no longer says 投诉", p.path)
		}
	}
	if page := pageText(t, f, client, "/cases/new?kind=petition"); !strings.Contains(page, "信访事项登记") || !strings.Contains(page, "信访人信息") {
		t.Error("the registration form of a petition speaks of the 信访人")
	}
	if page := pageText(t, f, client, "/cases/"+petition+"/print/decision"); !strings.Contains(page, "复查") {
		t.Error("a petition's handling opinion names the 复查 (Art.35)")
	}
	// In English: petitioner, acceptance notice, handling opinion.
	req, _ := http.NewRequest("GET", f.srv.URL+"/lang/en", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
	// (The audit trail's field names, such as complainant.name, are identifiers, not wording.)
	for path, word := range map[string]string{"/cases/%s": "Petitioner", "/cases/%s/receipt": "acceptance notice", "/cases/%s/print/decision": "handling opinion"} {
		page := pageText(t, f, client, fmt.Sprintf(path, petition))
		lower := strings.ToLower(page)
		if !strings.Contains(lower, strings.ToLower(word)) || strings.Contains(lower, "complaint") || strings.Contains(page, "Complainant") {
			t.Errorf("petition %s in English: want %q and no complaint", path, word)
		}
	}
}

// regulatorBody is a case forwarded through the financial consumer
// protection service platform, with the regulator's case number, the date
// forwarded and the regulator's deadline.
const regulatorBody = `{"kind":"complaint","channel":"regulator","received_at":"2026-11-20T09:30:00+08:00",
"complainant":{"name":"张三","phone":"13812345678"},"subject":"理财产品收益与宣传不符","description":"监管转来",
"regulator_source":"platform","regulator_ref":"JXB-2026-000451","regulator_forwarded_on":"2026-11-19","regulator_due":"2026-12-03"}`

// TestRegulatorChannels_监管转送消费投诉: the regulator's consumer-complaint
// department forwards a complaint it receives to the bank complained about
// (银行业保险业消费投诉处理管理办法, chapter 4: 将消费投诉转送被投诉银行保险机构).
// A complaint forwarded by the regulator names its channel (12378, the 金融消费者保护服务平台, 12363, a
// 信访转办), the regulator's case number, the date forwarded and the
// regulator's deadline; the regulator's later finding (有效投诉 or not) is
// recorded on the case and shown.
func TestRegulatorChannels_监管转送消费投诉(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", regulatorBody)
	if status != http.StatusCreated || c["regulator_source"] != "platform" || c["regulator_forwarded_on"] != "2026-11-19" ||
		c["decision_due"] != "2026-12-03" {
		t.Fatalf("create: %d %v", status, c)
	}
	no := c["no"].(string)
	// Without the regulator's channel a forwarded case is refused, naming the field.
	status, out := f.call(t, "staff", "POST", "/api/v1/cases", strings.Replace(regulatorBody, `"regulator_source":"platform",`, "", 1))
	if _, _, fields := errorOf(t, out); status != http.StatusBadRequest || fields["regulator_source"] == nil {
		t.Fatalf("no source: %d %v", status, out)
	}
	status, out = f.call(t, "staff", "POST", "/api/v1/cases", strings.Replace(regulatorBody, `"2026-11-19"`, `"2026-11-21"`, 1))
	if _, _, fields := errorOf(t, out); status != http.StatusBadRequest || fields["regulator_forwarded_on"] == nil {
		t.Fatalf("forwarded after receipt: %d %v", status, out)
	}
	// The regulator's finding, by the API.
	status, out = f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/record_regulator_finding",
		`{"version":1,"regulator_finding":"invalid","regulator_finding_on":"2026-11-20","regulator_finding_ref":"金消保〔2026〕7号"}`)
	if status != http.StatusOK || out["regulator_finding"] != "invalid" || out["regulator_finding_ref"] != "金消保〔2026〕7号" {
		t.Fatalf("finding: %d %v", status, out)
	}
	client := pageClient(t, f, "mgr")
	page := pageText(t, f, client, "/cases/"+no)
	for _, want := range []string{"金融消费者保护服务平台", "JXB-2026-000451", "2026-11-19", "无效投诉", "金消保〔2026〕7号", "act-record_regulator_finding"} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	// The registration form offers the regulator's channels and takes them.
	if page := pageText(t, f, client, "/cases/new?channel=regulator"); !strings.Contains(page, `name="regulator_source"`) ||
		!strings.Contains(page, "12363") || !strings.Contains(page, `name="regulator_forwarded_on"`) {
		t.Error("the registration form lacks the regulator's channel or the date forwarded")
	}
	form := url.Values{"channel": {"regulator"}, "kind": {"complaint"}, "received_at": {"2026-11-20T09:30"}, "name": {"李四"},
		"subject": {"信用卡分期手续费"}, "description": {"12378 转来"}, "restated": {"yes"},
		"regulator_source": {"12378"}, "regulator_ref": {"12378-2026-000777"}, "regulator_due": {"2026-12-05"}}
	if status, page := postPage(t, f, client, "/cases/new", form); status != http.StatusOK || !strings.Contains(page, "tracking-no") {
		t.Fatalf("register from the form: %d %s", status, page)
	}
	status, list := f.call(t, "mgr", "GET", "/api/v1/cases?channel=regulator", "")
	if status != http.StatusOK || !strings.Contains(fmt.Sprint(list), "12378-2026-000777") {
		t.Errorf("the form's case: %d %v", status, list)
	}
}

// forwarded registers a case the regulator forwarded, for the permission
// matrix of record_regulator_finding.
func (m *matrix) forwarded(t *testing.T) *redress.Case {
	t.Helper()
	var n redress.NewCase
	if err := decodeStrictForTest(regulatorBody, &n); err != nil {
		t.Fatal(err)
	}
	c, err := m.cases.CreateCase(redress.WithUser(context.Background(), m.users["staff.in"]), n)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
