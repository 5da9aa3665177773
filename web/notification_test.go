package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"redress"
	"redress/sqldb"
	"redress/web"
)

// withNotifications serves the fixture's database again with the
// notification service wired, as cmd/redress wires it.
func withNotifications(t *testing.T, f *apiFixture) {
	t.Helper()
	db := f.db
	server := web.NewServer(web.Services{
		Cases: sqldb.NewCaseService(db), Orgs: sqldb.NewOrgService(db), Users: sqldb.NewUserService(db),
		Tokens: sqldb.NewTokenService(db), Sessions: sqldb.NewSessionService(db), Codes: sqldb.NewCodeService(db),
		Audit: sqldb.NewAuditService(db), Notifications: sqldb.NewNotificationService(db), Ping: db.Ping,
		UI: testUI(t),
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.srv = httptest.NewServer(server.Handler())
	t.Cleanup(f.srv.Close)
}

func TestNotificationsAPI(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	withNotifications(t, f)
	c := f.create(t)
	no := c["no"].(string)
	if status, body := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/accept", `{"version":1,"handler":"staff"}`); status != 200 {
		t.Fatalf("accept: %d %v", status, body)
	}
	// The Sunday before the branch reply is due: the handler and the manager
	// are told.
	sunday := time.Date(2026, 11, 22, 8, 0, 0, 0, redress.Beijing)
	report, err := f.db.Sweep(context.Background(), sunday, sqldb.SweepOptions{})
	if err != nil || report.DueSoon != 1 || report.Notifications != 2 {
		t.Fatalf("sweep: %+v %v", report, err)
	}

	status, page := f.call(t, "mgr", "GET", "/api/v1/notifications", "")
	if status != 200 {
		t.Fatalf("list: %d %v", status, page)
	}
	items := page["notifications"].([]any)
	if len(items) != 1 {
		t.Fatalf("mgr has %d notifications, want 1", len(items))
	}
	n := items[0].(map[string]any)
	if n["subject"] != "【投诉管理】案件 "+no+" 网点答复期限将至" || n["case"] != no || n["kind"] != "due_soon" ||
		n["channel"] != "in_app" || n["read_at"] != nil || n["created_at"] == nil {
		t.Fatalf("notification: %v", n)
	}
	for _, private := range []string{"to", "status", "attempts"} {
		if _, ok := n[private]; ok {
			t.Fatalf("the answer carries %q: %v", private, n)
		}
	}
	mgrID := fmt.Sprint(int64(n["id"].(float64)))
	_, staffPage := f.call(t, "staff", "GET", "/api/v1/notifications", "")
	staffItems := staffPage["notifications"].([]any)
	if len(staffItems) != 1 || staffItems[0].(map[string]any)["id"] == n["id"] {
		t.Fatalf("staff sees %v", staffItems)
	}
	if _, headPage := f.call(t, "head", "GET", "/api/v1/notifications", ""); len(headPage["notifications"].([]any)) != 0 {
		t.Fatalf("head sees %v", headPage)
	}

	// Another's notification is not found, and stays unread.
	status, body := f.call(t, "staff", "POST", "/api/v1/notifications/"+mgrID+"/read", "")
	if code, _, _ := errorOf(t, body); status != 404 || code != "not_found" {
		t.Fatalf("another's notification: %d %v", status, body)
	}
	if _, unread := f.call(t, "mgr", "GET", "/api/v1/notifications?unread=true", ""); len(unread["notifications"].([]any)) != 1 {
		t.Fatalf("another user marked mgr's notification read: %v", unread)
	}
	status, body = f.call(t, "mgr", "POST", "/api/v1/notifications/"+mgrID+"/read", "")
	if status != 200 || body["status"] != "read" {
		t.Fatalf("mark read: %d %v", status, body)
	}
	if _, unread := f.call(t, "mgr", "GET", "/api/v1/notifications?unread=true", ""); len(unread["notifications"].([]any)) != 0 {
		t.Fatalf("still unread: %v", unread)
	}
	_, all := f.call(t, "mgr", "GET", "/api/v1/notifications?limit=10", "")
	if read := all["notifications"].([]any)[0].(map[string]any); read["read_at"] == nil {
		t.Fatalf("read_at not set: %v", read)
	}

	for _, tt := range []struct {
		name, login, method, path string
		status                    int
		code, field               string
	}{
		{"unknown filter", "mgr", "GET", "/api/v1/notifications?colour=red", 400, "invalid", "colour"},
		{"bad unread", "mgr", "GET", "/api/v1/notifications?unread=maybe", 400, "invalid", "unread"},
		{"bad before", "mgr", "GET", "/api/v1/notifications?before=x", 400, "invalid", "before"},
		{"limit too big", "mgr", "GET", "/api/v1/notifications?limit=500", 400, "invalid", "limit"},
		{"no token", "", "GET", "/api/v1/notifications", 401, "unauthorized", ""},
		{"garbage id", "mgr", "POST", "/api/v1/notifications/abc/read", 404, "not_found", ""},
		{"missing id", "mgr", "POST", "/api/v1/notifications/999999/read", 404, "not_found", ""},
		{"wrong method", "mgr", "DELETE", "/api/v1/notifications/" + mgrID + "/read", 404, "not_found", ""},
	} {
		status, body := f.call(t, tt.login, tt.method, tt.path, "")
		if status != tt.status {
			t.Errorf("%s: %d %v, want %d", tt.name, status, body, tt.status)
			continue
		}
		code, _, fields := errorOf(t, body)
		if code != tt.code || (tt.field != "" && fields[tt.field] == nil) {
			t.Errorf("%s: %v", tt.name, body)
		}
	}

	// The answers match the OpenAPI document.
	resp, err := http.Get(f.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Paths["/api/v1/notifications"]["get"] == nil || doc.Paths["/api/v1/notifications/{id}/read"]["post"] == nil {
		t.Fatalf("operations missing from the document: %v", doc.Paths)
	}
	conforms(t, doc.Components.Schemas, "NotificationPage", all)
	if raw, _ := json.Marshal(doc.Components.Schemas["Notification"]); strings.Contains(string(raw), `"to"`) {
		t.Fatalf("the schema documents the recipient: %s", raw)
	}
}
