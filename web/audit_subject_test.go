package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestAuditEventsBySubject: GET /api/v1/audit/events filters by subject
// (kind, or kind and id) and by action prefix, and every event names its
// subject in its JSON beside the "case" field older clients read.
func TestAuditEventsBySubject(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	no := f.create(t)["no"].(string)
	if status, body := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/accept", `{"version":1}`); status != 200 {
		t.Fatalf("accept: %d %v", status, body)
	}
	list := func(query string) string {
		t.Helper()
		status, page := f.call(t, "auditor", "GET", "/api/v1/audit/events?"+query, "")
		if status != 200 {
			t.Fatalf("%s: %d %v", query, status, page)
		}
		out := []string{}
		for _, e := range page["events"].([]any) {
			e := e.(map[string]any)
			subject := e["subject"].(map[string]any)
			out = append(out, fmt.Sprintf("%s %s:%s %v", e["action"], subject["kind"], subject["id"], e["case"]))
		}
		return strings.Join(out, ", ")
	}
	want := fmt.Sprintf("case.accept case:%s %s, case.register case:%s %s", no, no, no, no)
	for _, query := range []string{"subject_kind=case&subject_id=" + no, "action=case.", "subject_kind=case"} {
		if got := list(query); got != want {
			t.Errorf("%s: %s, want %s", query, got, want)
		}
	}
	if got := list("action=accept"); got != fmt.Sprintf("case.accept case:%s %s", no, no) {
		t.Errorf("the older name of an action finds its events: %s", got)
	}
	if got := list("subject_kind=user&subject_id=staff"); got != "user.create user:staff <nil>" {
		t.Errorf("a user's events: %s", got)
	}
	if status, body := f.call(t, "auditor", "GET", "/api/v1/audit/events?subject_id="+no, ""); status != 400 || !strings.Contains(fmt.Sprint(body), "subject_id") {
		t.Errorf("an id without a kind: %d %v", status, body)
	}
}
