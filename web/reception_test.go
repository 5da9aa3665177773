package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"redress"
)

// receptionBody is a visit as the API takes it (seed 004 三、客户接待流程; the
// visitor registration of seed 000 4.1).
func receptionBody(arrived time.Time) string {
	return `{"org":"BJ-01","arrived_at":"` + arrived.Format(time.RFC3339) + `",
"visitor":{"name":"赵敏","phone":"13812345678","id_type":"resident_id","id_number":"110101199003071234"},
"purpose":"咨询理财赎回，对收益不满","needs":"赎回到期理财","guidance":"介绍赎回流程","materials":"missing","materials_missing":"身份证复印件",
"business":"理财赎回","counter":"3 号窗口","wait_minutes":25,"follow_up":"三个工作日内电话告知",
"visit":{"visitors":1,"id_checked":true,"id_type":"resident_id","id_checked_by":"大堂经理 王芳","security_checked":true,"security_checked_by":"保安 李强","room":"一号接待室"}}`
}

// TestReceptionAPI_Seed004_来访接待登记: the API logs a visit (the phone and ID
// masked in every answer), lists the day's visits of an outlet, edits under
// the version, records the survey (by phone or SMS) and turns the visit into
// a case carrying the visitor registration, linked both ways; hostile input
// is a 400 naming the field and writes nothing; another branch sees nothing.
func TestReceptionAPI_Seed004_来访接待登记(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	arrived := time.Now().In(redress.Beijing).Add(-time.Hour).Truncate(time.Minute)
	for _, bad := range []struct{ body, field string }{
		{`{"org":"BJ-01","purpose":"x","visitor":{"name":"赵敏"},"wait_minutes":"long"}`, "wait_minutes"},
		{`{"org":"BJ-01","purpose":"x","visitor":{"name":"赵敏"},"arrived_at":"2099-01-01T10:00:00+08:00"}`, "arrived_at"},
		{strings.Replace(receptionBody(arrived), `"visitors":1`, `"visitors":7`, 1), "visit.representatives"},
		{strings.Replace(receptionBody(arrived), `"phone":"13812345678"`, `"phone":"13812345678","email":"x@y.z"`, 1), "email"},
		{strings.Replace(receptionBody(arrived), `"materials":"missing"`, `"materials":"some"`, 1), "materials"},
		{strings.Replace(receptionBody(arrived), `"security_checked_by":"保安 李强"`, `"security_checked_by":""`, 1), "visit.security_checked_by"},
		{strings.Replace(receptionBody(arrived), `"赵敏"`, `"赵\u0000敏"`, 1), "visitor.name"},
	} {
		status, body := f.call(t, "staff", "POST", "/api/v1/reception/visits", bad.body)
		if _, _, fields := errorOf(t, body); status != http.StatusBadRequest || fields[bad.field] == nil {
			t.Errorf("%s: %d %v", bad.field, status, body)
		}
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/reception/visits", ""); status != http.StatusOK || len(body["items"].([]any)) != 0 {
		t.Fatalf("refused visits were written: %d %v", status, body)
	}
	if status, _ := f.call(t, "auditor", "POST", "/api/v1/reception/visits", receptionBody(arrived)); status != http.StatusForbidden {
		t.Fatalf("an auditor logs a visit: %d", status)
	}
	status, v := f.call(t, "staff", "POST", "/api/v1/reception/visits", receptionBody(arrived))
	if status != http.StatusCreated || v["ref"] != "JD-000001" || strings.Contains(toJSON(v), "13812345678") || strings.Contains(toJSON(v), "110101199003071234") {
		t.Fatalf("logged: %d %v", status, v)
	}
	if reg := v["visit"].(map[string]any); reg["id_checked_by"] != "大堂经理 王芳" || reg["room"] != "一号接待室" {
		t.Fatalf("the registration: %v", reg)
	}
	if s := v["survey"].(map[string]any); s["status"] != "open" {
		t.Fatalf("the survey task: %v", s)
	}
	day := arrived.Format("2006-01-02")
	if status, body := f.call(t, "mgr", "GET", "/api/v1/reception/visits?org=BJ-01&day="+day, ""); status != http.StatusOK || len(body["items"].([]any)) != 1 {
		t.Fatalf("the day's list: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/reception/visits?day=2026-13-01", ""); status != http.StatusBadRequest || !strings.Contains(toJSON(body), `"day"`) {
		t.Fatalf("a bad day: %d %v", status, body)
	}
	if status, _ := f.call(t, "mgr.sh", "GET", "/api/v1/reception/visits/JD-000001", ""); status != http.StatusNotFound {
		t.Fatalf("another branch reads it: %d", status)
	}
	if status, body := f.call(t, "mgr.sh", "GET", "/api/v1/reception/visits", ""); status != http.StatusOK || len(body["items"].([]any)) != 0 {
		t.Fatalf("another branch lists it: %d %v", status, body)
	}
	edit := strings.Replace(receptionBody(arrived), `{"org":"BJ-01",`, `{"version":1,"org":"BJ-01",`, 1)
	edit = strings.Replace(edit, `"wait_minutes":25`, `"wait_minutes":30`, 1)
	if status, body := f.call(t, "staff", "PUT", "/api/v1/reception/visits/JD-000001", edit); status != http.StatusOK || body["wait_minutes"] != 30.0 || body["version"] != 2.0 {
		t.Fatalf("edited: %d %v", status, body)
	}
	if status, _ := f.call(t, "staff", "PUT", "/api/v1/reception/visits/JD-000001", edit); status != http.StatusConflict {
		t.Fatalf("a stale edit: %d", status)
	}
	if status, body := f.call(t, "staff", "POST", "/api/v1/reception/visits/1/survey", `{"version":2,"visit_method":"phone","visit_outcome":"answered"}`); status != http.StatusBadRequest || !strings.Contains(toJSON(body), `"satisfaction"`) {
		t.Fatalf("an answer without a satisfaction: %d %v", status, body)
	}
	status, body := f.call(t, "staff", "POST", "/api/v1/reception/visits/1/survey", `{"version":2,"visit_method":"sms","visit_outcome":"answered","satisfaction":"satisfied"}`)
	if status != http.StatusOK || body["survey"].(map[string]any)["status"] != "answered" {
		t.Fatalf("surveyed: %d %v", status, body)
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/reception/visits/1/case", `{"version":3,"kind":"nonsense"}`); status != http.StatusBadRequest {
		t.Fatalf("a case of an unknown kind: %d", status)
	}
	status, c := f.call(t, "staff", "POST", "/api/v1/reception/visits/1/case", `{"version":3}`)
	if status != http.StatusCreated || c["channel"] != "visit" || !strings.Contains(c["description"].(string), "身份证复印件") {
		t.Fatalf("registered as a case: %d %v", status, c)
	}
	if reg := c["visit"].(map[string]any); reg["security_checked_by"] != "保安 李强" || reg["id_type"] != "resident_id" {
		t.Fatalf("the case's registration: %v", reg)
	}
	no := c["no"].(string)
	if status, body := f.call(t, "mgr", "GET", "/api/v1/reception/visits/JD-000001", ""); status != http.StatusOK || body["case"] != no {
		t.Fatalf("the visit names its case: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/cases/"+no+"/reception-visit", ""); status != http.StatusOK || body["ref"] != "JD-000001" {
		t.Fatalf("the case names its visit: %d %v", status, body)
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/reception/visits/1/case", `{"version":4}`); status != http.StatusConflict {
		t.Fatalf("converted twice: %d", status)
	}
	other := f.create(t)["no"].(string)
	if status, _ := f.call(t, "mgr", "GET", "/api/v1/cases/"+other+"/reception-visit", ""); status != http.StatusNotFound {
		t.Fatalf("a case that was no visit: %d", status)
	}
	status, sum := f.call(t, "mgr", "GET", "/api/v1/reception/summary?from="+day+"&to="+day, "")
	if total := sum["total"].(map[string]any); status != http.StatusOK || total["visits"] != 1.0 || total["complaints"] != 1.0 ||
		total["average_wait_minutes"] != 30.0 || total["surveyed"] != 1.0 || total["satisfied"] != 1.0 {
		t.Fatalf("the summary: %d %v", status, sum)
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/reception/summary?from=x", ""); status != http.StatusBadRequest || !strings.Contains(toJSON(body), `"from"`) {
		t.Fatalf("a bad period: %d %v", status, body)
	}
	status, file := f.call(t, "mgr", "GET", "/api/v1/reception/summary?from="+day+"&to="+day+"&format=csv", "")
	if raw, _ := file["_raw"].(string); status != http.StatusOK || !strings.Contains(raw, "来访人次") || !strings.Contains(raw, "BJ-01") {
		t.Fatalf("the CSV: %d %v", status, file)
	}
	status, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?subject_kind=reception&subject_id=JD-000001", "")
	if got := toJSON(events); status != http.StatusOK || !strings.Contains(got, "reception.log") || !strings.Contains(got, "reception.convert") || strings.Contains(got, "13812345678") {
		t.Fatalf("the audit trail: %d %v", status, events)
	}
	if _, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=export.download", ""); !strings.Contains(toJSON(events), `"reception"`) {
		t.Fatalf("the export is not audited: %v", events)
	}
}

// TestReceptionPages_Seed004_来访接待登记: the lobby manager logs a visit on
// the day's page (every problem of an empty form at once), the list shows it
// masked and prints; the visit's page records the survey and registers the
// case in one click; the case page shows its visit and its visitor
// registration (seed 000 4.1) and takes a recording as evidence (笔录/录音录像).
func TestReceptionPages_Seed004_来访接待登记(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	staff := pageClientAs(t, f, "staff", browserPassword)
	_, page := postPage(t, f, staff, "/registers/reception", url.Values{"org": {"BJ-01"}, "materials": {"missing"}, "wait_minutes": {"many"},
		"visit.security_checked": {"yes"}})
	for _, field := range []string{"arrived_at", "visitor.name", "purpose", "materials_missing", "wait_minutes", "visit.security_checked_by"} {
		if !strings.Contains(page, `id="err-`+field+`"`) {
			t.Errorf("an empty visit does not name %s", field)
		}
	}
	arrived := time.Now().In(redress.Beijing).Add(-time.Hour)
	form := url.Values{"org": {"BJ-01"}, "arrived_at": {arrived.Format("2006-01-02T15:04")}, "visitor_name": {"赵敏"}, "visitor_phone": {"13812345678"},
		"visitor_id_type": {"resident_id"}, "visitor_id_number": {"110101199003071234"}, "purpose": {"咨询理财赎回"}, "materials": {"complete"},
		"business": {"理财赎回"}, "counter": {"3 号窗口"}, "wait_minutes": {"12"}, "follow_up": {"次日回电"},
		"visit.visitors": {"1"}, "visit.id_checked": {"yes"}, "visit.id_type": {"resident_id"}, "visit.id_checked_by": {"王芳"},
		"visit.security_checked": {"yes"}, "visit.security_checked_by": {"李强"}, "visit.room": {"一号接待室"}}
	status, page := postPage(t, f, staff, "/registers/reception", form)
	if status != http.StatusOK || !strings.Contains(page, "JD-000001") || !strings.Contains(page, "138****5678") || strings.Contains(page, "13812345678") ||
		!strings.Contains(page, "data-print") {
		t.Fatalf("logged: %d %s", status, between(page, `id="reception-log"`, "</section>"))
	}
	if _, page := getPage(t, f, staff, "/registers/reception?day=2026-13-01"); !strings.Contains(page, `class="error`) {
		t.Errorf("a bad day is not refused on the page")
	}
	_, page = getPage(t, f, staff, "/registers/reception/JD-000001")
	if !strings.Contains(page, "一号接待室") || !strings.Contains(page, "李强") || !strings.Contains(page, `id="reception-to-case"`) || !strings.Contains(page, `id="reception-survey"`) {
		t.Fatalf("the visit's page: %s", between(page, `id="reception-visit"`, "</dl>"))
	}
	_, page = postPage(t, f, staff, "/registers/reception/JD-000001/survey", url.Values{"version": {"1"}, "visit_method": {"phone"}, "visit_outcome": {"answered"},
		"satisfaction": {"basically_satisfied"}})
	if !strings.Contains(page, "基本满意") {
		t.Fatalf("surveyed: %s", between(page, `id="reception-visit"`, "</dl>"))
	}
	_, page = postPage(t, f, staff, "/registers/reception/JD-000001/case", url.Values{"version": {"2"}, "kind": {"complaint"}})
	if !strings.Contains(page, `id="case-reception"`) || !strings.Contains(page, "JD-000001") || !strings.Contains(page, "一号接待室") || !strings.Contains(page, "李强") {
		t.Fatalf("the case page does not show its visit: %s", between(page, `id="case-visit"`, "</dl>"))
	}
	status, body := f.call(t, "mgr", "GET", "/api/v1/reception/visits/1", "")
	no, _ := body["case"].(string)
	if status != http.StatusOK || no == "" {
		t.Fatalf("the visit's case: %d %v", status, body)
	}
	if _, page := getPage(t, f, staff, "/registers/reception/JD-000001"); !strings.Contains(page, `href="/cases/`+no+`"`) || strings.Contains(page, `id="reception-to-case"`) {
		t.Fatalf("the visit's page does not link its case")
	}
	// 笔录或录音录像 (seed 000 4.2): a recording of the conversation as evidence.
	b, ct := multipartForm(t, "file", "接待录音.mp3", []byte("ID3 录音"), url.Values{"note": {"来访接待录音"}, "kind": {"audio"}})
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/cases/"+no+"/evidence", b)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+f.tokens["staff"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var added map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&added)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || added["kind"] != "audio" {
		t.Fatalf("a recording: %d %v", resp.StatusCode, added)
	}
	b, ct = multipartForm(t, "file", "x.txt", []byte("x"), url.Values{"kind": {"photo"}})
	req, _ = http.NewRequest("POST", f.srv.URL+"/api/v1/cases/"+no+"/evidence", b)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+f.tokens["staff"])
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&added)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(toJSON(added), `"kind"`) {
		t.Fatalf("an unknown kind of file: %d %v", resp.StatusCode, added)
	}
	if _, page := getPage(t, f, staff, "/cases/"+no); !strings.Contains(page, "录音") || !strings.Contains(page, `id="ev-kind"`) {
		t.Fatalf("the case page does not show the file's kind")
	}
	if _, page := getPage(t, f, pageClient(t, f, "mgr"), "/stats"); !strings.Contains(page, `id="stats-reception"`) {
		t.Fatalf("the statistics page does not show the reception summary")
	}
}
