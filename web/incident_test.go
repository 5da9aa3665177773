package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const incidentPlanBody = `{"leader":"head","team_leader":"head","team_deputy":"mgr",
"team_members":[{"login":"staff","dept":"customer_service"},{"login":"staff","dept":"security"},{"login":"staff","dept":"operations"}]}`

// TestVisitOf25AnswersMajorComplaint_Order2020No3Art29_Seed003: a case
// registered through the API with "visit": {"visitors": 25, …} answers with
// the major-complaint flag and the incident it opened, at the branch head's
// level; the incident's chain is notified under the unit's plan and
// acknowledged step by step; another branch sees nothing; hostile commands
// are refused; the page after registering shows the flag and the incident.
func TestVisitOf25AnswersMajorComplaint_Order2020No3Art29_Seed003(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	if status, body := f.call(t, "staff", "PUT", "/api/v1/emergency-plans/BJ", incidentPlanBody); status != http.StatusForbidden {
		t.Fatalf("staff edit the plan: %d %v", status, body)
	}
	status, plan := f.call(t, "mgr", "PUT", "/api/v1/emergency-plans/BJ", incidentPlanBody)
	if status != http.StatusOK || plan["version"] != 1.0 || plan["ack_minutes"] != 30.0 {
		t.Fatalf("plan: %d %v", status, plan)
	}
	if status, inForce := f.call(t, "staff", "GET", "/api/v1/emergency-plans/BJ-01", ""); status != http.StatusOK || inForce["org"] != "BJ" {
		t.Fatalf("the outlet's plan in force: %d %v", status, inForce)
	}
	for _, version := range []string{"0", "x", "2147483648", "9223372036854775807"} {
		if status, body := f.call(t, "mgr", "GET", "/api/v1/emergency-plans/BJ?version="+version, ""); status != http.StatusBadRequest {
			t.Errorf("version %s: %d %v", version, status, body)
		}
	}
	if status, body := f.call(t, "mgr", "GET", "/api/v1/emergency-plans/BJ?version=2", ""); status != http.StatusNotFound {
		t.Errorf("a version not saved: %d %v", status, body)
	}

	body := strings.Replace(createBody, `"channel":"counter"`, `"channel":"visit","visit":{"visitors":25,"representatives":5,"id_checked":true,"id_type":"resident_id","id_checked_by":"王芳","security_checked":true,"security_checked_by":"李强"}`, 1)
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", body)
	if status != http.StatusCreated || c["major_complaint"] != true || c["incident"] != "TF-000001" || c["level"] != 3.0 || c["priority"] != "urgent" {
		t.Fatalf("a visit of 25: %d major %v incident %v level %v priority %v", status, c["major_complaint"], c["incident"], c["level"], c["priority"])
	}
	no := c["no"].(string)
	if status, small := f.call(t, "staff", "POST", "/api/v1/cases", createBody); status != http.StatusCreated || small["major_complaint"] != false || small["incident"] != nil {
		t.Fatalf("an ordinary complaint: %d %v", status, small)
	}

	status, inc := f.call(t, "mgr", "GET", "/api/v1/incidents/TF-000001", "")
	if status != http.StatusOK || inc["kind"] != "major_complaint" || inc["plan_version"] != 1.0 || len(inc["chain"].([]any)) != 4 || inc["cases"].([]any)[0] != no {
		t.Fatalf("the incident: %d %v", status, inc)
	}
	for _, tc := range []struct {
		name, login, body string
		want              int
	}{
		{"an unknown field", "mgr", `{"command":"acknowledge","version":1,"step":"team","sudo":true}`, http.StatusBadRequest},
		{"an unknown command", "mgr", `{"command":"delete","version":1}`, http.StatusBadRequest},
		{"a step no one reported yet", "head", `{"command":"acknowledge","version":1,"step":"superior"}`, http.StatusConflict},
		{"staff are not the leadership group", "staff", `{"command":"acknowledge","version":1,"step":"regulator","text":"x"}`, http.StatusForbidden},
		{"another branch", "mgr.sh", `{"command":"record","version":1,"measure":"soothe"}`, http.StatusNotFound},
		{"a stale version", "mgr", `{"command":"acknowledge","version":7,"step":"team"}`, http.StatusConflict},
		{"a closing report without its parts", "mgr", `{"command":"close","version":1,"cause":"<script>alert(1)</script>"}`, http.StatusBadRequest},
	} {
		if status, answer := f.call(t, tc.login, "POST", "/api/v1/incidents/TF-000001/commands", tc.body); status != tc.want {
			t.Errorf("%s: %d %v, want %d", tc.name, status, answer, tc.want)
		}
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/incidents", `{"kind":"quarrel","place":"大厅","occurred_at":"2026-11-20T10:00:00+08:00","people":2,"people_note":"客户 110101199003071234"}`); status != http.StatusBadRequest {
		t.Fatalf("an ID number in the people's description: %d", status)
	}
	if status, _ := f.call(t, "mgr.sh", "GET", "/api/v1/incidents/1", ""); status != http.StatusNotFound {
		t.Fatalf("another branch reads it: %d", status)
	}
	if status, list := f.call(t, "mgr.sh", "GET", "/api/v1/incidents", ""); status != http.StatusOK || len(list["incidents"].([]any)) != 0 {
		t.Fatalf("another branch lists it: %d %v", status, list)
	}
	if status, inc = f.call(t, "mgr", "POST", "/api/v1/incidents/TF-000001/commands", `{"command":"acknowledge","version":1,"step":"team","text":"25 人在大厅，情绪激动"}`); status != http.StatusOK {
		t.Fatalf("the team acknowledges: %d %v", status, inc)
	}
	leadership := inc["chain"].([]any)[1].(map[string]any)
	if leadership["notified_at"] == nil || leadership["to"].([]any)[0] != "head" {
		t.Fatalf("the leadership group is not reported to: %v", leadership)
	}

	staff := pageClientAs(t, f, "staff", browserPassword)
	form := url.Values{"kind": {"complaint"}, "channel": {"visit"}, "received_at": {"2026-11-20T09:00"}, "name": {"李四"}, "visitors": {"30"},
		"representatives": {"5"}, "id_checked": {"yes"}, "visit_id_type": {"resident_id"}, "id_checked_by": {"王芳"}, "security_checked": {"yes"},
		"security_checked_by": {"李强"}, "description": {"群体来访反映理财到期未兑付"}, "subject": {"理财兑付"}, "restated": {"yes"}}
	_, page := postPage(t, f, staff, "/cases/new", form)
	flag := between(page, `id="major-complaint"`, "</p>")
	if !strings.Contains(flag, "重大投诉") || !strings.Contains(flag, "TF-000002") {
		t.Fatalf("the page after registering does not show the major complaint and its incident: %s", between(page, "<main", "</main>"))
	}

	mgr := pageClient(t, f, "mgr")
	if list := pageText(t, f, mgr, "/incidents"); !strings.Contains(list, "TF-000001") || !strings.Contains(list, "重大投诉") {
		t.Fatal("the incident list does not show the incident")
	}
	if page := pageText(t, f, mgr, "/cases/"+no); !strings.Contains(between(page, `id="incidents"`, "</section>"), "TF-000001") {
		t.Error("the case page does not link its incident")
	}
	if _, page = postPage(t, f, mgr, "/incidents/TF-000001", url.Values{"command": {"record"}, "version": {"2"}, "measure": {"soothe"}, "text": {"大堂经理安抚情绪"}}); !strings.Contains(page, "安抚客户情绪") {
		t.Fatalf("the action is not on the timeline: %s", between(page, "<main", "</main>"))
	}
	_, page = postPage(t, f, mgr, "/incidents/TF-000001", url.Values{"command": {"close"}, "version": {"3"}, "cause": {"到期收益低于预期"}})
	if !strings.Contains(page, `id="err-outcome"`) || !strings.Contains(page, `id="err-follow_up"`) {
		t.Fatalf("an incomplete closing report does not name its missing parts: %s", between(page, "<main", "</main>"))
	}
	_, page = postPage(t, f, mgr, "/incidents/TF-000001", url.Values{"command": {"close"}, "version": {"3"}, "cause": {"到期收益低于预期"},
		"actions": {"安抚、分流、核实"}, "outcome": {"客户代表接受解释"}, "follow_up": {"三日内回访"}})
	if !strings.Contains(page, "已结束") {
		t.Fatalf("closed: %s", between(page, "<main", "</main>"))
	}
	print := pageText(t, f, mgr, "/incidents/TF-000001/print")
	if !strings.Contains(print, "突发事件处置报告") || !strings.Contains(between(print, `id="incident-closing"`, "</dl>"), "到期收益低于预期") ||
		!strings.Contains(between(print, `id="incident-timeline"`, "</section>"), "安抚客户情绪") {
		t.Fatalf("the printed report: %s", between(print, "<main", "</main>"))
	}
	plan2 := pageText(t, f, mgr, "/admin/emergency-plan?org=BJ")
	if !strings.Contains(plan2, "应急处理小组") || !strings.Contains(plan2, `value="head"`) {
		t.Fatalf("the plan page is not filled from the plan in force: %s", between(plan2, "<main", "</main>"))
	}
	if _, page = postPage(t, f, mgr, "/admin/emergency-plan", url.Values{"org": {"BJ"}, "leader": {"mgr"}, "team_leader": {"head"}, "team_deputy": {"mgr"},
		"member_0": {"staff"}, "dept_0": {"security"}, "ack_minutes": {"abc"}}); !strings.Contains(page, `id="err-leader"`) || !strings.Contains(page, `id="err-ack_minutes"`) ||
		!strings.Contains(page, `id="err-team_members"`) {
		t.Fatalf("a bad plan does not name its problems: %s", between(page, "<main", "</main>"))
	}
}
