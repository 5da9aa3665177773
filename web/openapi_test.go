package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPIIsTrue checks the served document against the server: every
// operation the server answers is in it, every reference resolves, and real
// answers and requests use only the properties the schemas declare.
func TestOpenAPIIsTrue(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	openAPIDoc(t, f, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	no := f.create(t)["no"].(string)
	operations := map[string]string{ // every operation, with a path that exercises it
		"GET /healthz": "/healthz",
		"GET /metrics": "/metrics", "GET /api/v1/openapi.json": "/api/v1/openapi.json",
		"POST /api/v1/cases": "/api/v1/cases", "GET /api/v1/cases": "/api/v1/cases",
		"GET /api/v1/cases/{no}": "/api/v1/cases/" + no, "POST /api/v1/cases/{no}/{action}": "/api/v1/cases/" + no + "/note",
		"GET /api/v1/cases/{no}/events": "/api/v1/cases/" + no + "/events", "GET /api/v1/actions": "/api/v1/actions",
		"GET /api/v1/audit/verify": "/api/v1/audit/verify", "GET /api/v1/orgs": "/api/v1/orgs", "POST /api/v1/orgs": "/api/v1/orgs",
		"GET /api/v1/users": "/api/v1/users", "POST /api/v1/users": "/api/v1/users", "GET /api/v1/me": "/api/v1/me",
		"GET /api/v1/codes": "/api/v1/codes", "POST /api/v1/codes": "/api/v1/codes",
		"PATCH /api/v1/users/{login}": "/api/v1/users/mgr", "POST /api/v1/session": "/api/v1/session",
		"DELETE /api/v1/session": "/api/v1/session", "POST /api/v1/me/password": "/api/v1/me/password",
		"GET /api/v1/tokens": "/api/v1/tokens", "POST /api/v1/tokens": "/api/v1/tokens",
		"DELETE /api/v1/tokens/{id}": "/api/v1/tokens/1", "POST /api/v1/cases/lookup": "/api/v1/cases/lookup",
		"POST /api/v1/cases/{no}/reveal": "/api/v1/cases/" + no + "/reveal", "GET /api/v1/audit/events": "/api/v1/audit/events",
		"GET /api/v1/notifications": "/api/v1/notifications", "POST /api/v1/notifications/{id}/read": "/api/v1/notifications/1/read",
		"GET /api/v1/calendar/due":             "/api/v1/calendar/due?from=2026-02-12&days=5&unit=working",
		"GET /api/v1/calendar":                 "/api/v1/calendar?region=CN",
		"PUT /api/v1/calendar/{region}/{year}": "/api/v1/calendar/CN/2027", "DELETE /api/v1/calendar/{region}/{year}": "/api/v1/calendar/CN/2027",
		"GET /api/v1/policies": "/api/v1/policies", "PUT /api/v1/policies/{name}": "/api/v1/policies/complaint",
		"POST /api/v1/cases/{no}/evidence": "/api/v1/cases/" + no + "/evidence", "GET /api/v1/cases/{no}/evidence": "/api/v1/cases/" + no + "/evidence",
		"GET /api/v1/cases/{no}/evidence/{id}": "/api/v1/cases/" + no + "/evidence/1",
		"GET /api/v1/cases/{no}/file":          "/api/v1/cases/" + no + "/file",
		"GET /api/v1/search":                   "/api/v1/search?q=理财",
		"GET /api/v1/stats":                    "/api/v1/stats?from=2026-11-01&to=2026-11-30",
		"GET /api/v1/settings/mediation":       "/api/v1/settings/mediation", "PUT /api/v1/settings/mediation": "/api/v1/settings/mediation",
		"GET /api/v1/settings/bank": "/api/v1/settings/bank", "PUT /api/v1/settings/bank": "/api/v1/settings/bank",
		"GET /api/v1/assessment":        "/api/v1/assessment?month=2026-11",
		"GET /api/v1/assessment/scheme": "/api/v1/assessment/scheme", "PUT /api/v1/assessment/scheme": "/api/v1/assessment/scheme",
		"GET /api/v1/reports/jrt":        "/api/v1/reports/jrt?quarter=2026-Q4",
		"GET /api/v1/reports/density":    "/api/v1/reports/density?quarter=2026-Q4",
		"GET /api/v1/reports/disclosure": "/api/v1/reports/disclosure?year=2026",
		"GET /api/v1/unit-counts":        "/api/v1/unit-counts", "POST /api/v1/unit-counts": "/api/v1/unit-counts",
		"GET /api/v1/unit-reports": "/api/v1/unit-reports?month=2026-11", "POST /api/v1/unit-reports": "/api/v1/unit-reports",
		"GET /api/v1/unit-reports/{org}/{month}": "/api/v1/unit-reports/BJ/2026-11",
		"GET /api/v1/corrective-actions":         "/api/v1/corrective-actions", "POST /api/v1/corrective-actions": "/api/v1/corrective-actions",
		"GET /api/v1/corrective-actions/summary":     "/api/v1/corrective-actions/summary?from=2026-11-01&to=2026-11-30",
		"GET /api/v1/corrective-actions/{id}":        "/api/v1/corrective-actions/1",
		"GET /api/v1/corrective-actions/{id}/effect": "/api/v1/corrective-actions/1/effect",
		"POST /api/v1/corrective-actions/{id}/steps": "/api/v1/corrective-actions/1/steps",
		"GET /api/v1/opinion-book/checks":            "/api/v1/opinion-book/checks?from=2026-11-01&to=2026-11-30",
		"POST /api/v1/opinion-book/checks":           "/api/v1/opinion-book/checks",
		"GET /api/v1/cases/{no}/referrals":           "/api/v1/cases/" + no + "/referrals", "POST /api/v1/cases/{no}/referrals": "/api/v1/cases/" + no + "/referrals",
		"POST /api/v1/cases/{no}/referrals/{id}/answer": "/api/v1/cases/" + no + "/referrals/1/answer",
		"GET /api/v1/referrals/summary":                 "/api/v1/referrals/summary?from=2026-11-01&to=2026-11-30",
		// repeat complaints and the archive (repeat.go)
		"POST /api/v1/cases/repeats": "/api/v1/cases/repeats", "GET /api/v1/cases/{no}/repeats": "/api/v1/cases/" + no + "/repeats",
		"POST /api/v1/cases/{no}/merge": "/api/v1/cases/" + no + "/merge", "POST /api/v1/cases/{no}/unmerge": "/api/v1/cases/" + no + "/unmerge",
		"POST /api/v1/cases/{no}/link": "/api/v1/cases/" + no + "/link", "GET /api/v1/cases/{no}/archive": "/api/v1/cases/" + no + "/archive",
		"GET /api/v1/settings/repeats": "/api/v1/settings/repeats", "PUT /api/v1/settings/repeats": "/api/v1/settings/repeats",
		"GET /api/v1/settings/privacy": "/api/v1/settings/privacy", "PUT /api/v1/settings/privacy": "/api/v1/settings/privacy",
		"GET /api/v1/lost-items": "/api/v1/lost-items", "POST /api/v1/lost-items": "/api/v1/lost-items",
		"GET /api/v1/lost-items/{id}": "/api/v1/lost-items/1", "POST /api/v1/lost-items/{id}/steps": "/api/v1/lost-items/1/steps",
		"GET /api/v1/training/sessions": "/api/v1/training/sessions", "POST /api/v1/training/sessions": "/api/v1/training/sessions",
		"GET /api/v1/training/sessions/{id}": "/api/v1/training/sessions/1", "POST /api/v1/training/sessions/{id}/attendance": "/api/v1/training/sessions/1/attendance",
		"GET /api/v1/incidents": "/api/v1/incidents", "POST /api/v1/incidents": "/api/v1/incidents",
		"GET /api/v1/incidents/{id}": "/api/v1/incidents/1", "POST /api/v1/incidents/{id}/commands": "/api/v1/incidents/1/commands",
		"GET /api/v1/emergency-plans/{org}": "/api/v1/emergency-plans/BJ", "PUT /api/v1/emergency-plans/{org}": "/api/v1/emergency-plans/BJ",
		// retention, legal holds, erasure
		"GET /api/v1/retention/policy": "/api/v1/retention/policy", "PUT /api/v1/retention/policy": "/api/v1/retention/policy",
		"GET /api/v1/retention/dry-run": "/api/v1/retention/dry-run", "POST /api/v1/retention/run": "/api/v1/retention/run",
		"POST /api/v1/retention/erasure": "/api/v1/retention/erasure", "GET /api/v1/holds": "/api/v1/holds", "POST /api/v1/holds": "/api/v1/holds",
		"POST /api/v1/holds/{id}/release": "/api/v1/holds/1/release",
		"GET /api/v1/cases/{no}/holds":    "/api/v1/cases/" + no + "/holds", "POST /api/v1/cases/{no}/holds": "/api/v1/cases/" + no + "/holds",
		// the reception log (来访接待登记)
		"GET /api/v1/reception/visits": "/api/v1/reception/visits", "POST /api/v1/reception/visits": "/api/v1/reception/visits",
		"GET /api/v1/reception/visits/{id}": "/api/v1/reception/visits/1", "PUT /api/v1/reception/visits/{id}": "/api/v1/reception/visits/1",
		"POST /api/v1/reception/visits/{id}/survey": "/api/v1/reception/visits/1/survey",
		"POST /api/v1/reception/visits/{id}/case":   "/api/v1/reception/visits/1/case",
		"GET /api/v1/cases/{no}/reception-visit":    "/api/v1/cases/" + no + "/reception-visit",
		"GET /api/v1/reception/summary":             "/api/v1/reception/summary?from=2026-11-01&to=2026-11-30",
		// return visits and notices to the customer
		"GET /api/v1/settings/return-visits": "/api/v1/settings/return-visits", "PUT /api/v1/settings/return-visits": "/api/v1/settings/return-visits",
		"POST /api/v1/cases/{no}/survey":        "/api/v1/cases/" + no + "/survey",
		"GET /api/v1/settings/notice-templates": "/api/v1/settings/notice-templates", "PUT /api/v1/settings/notice-templates": "/api/v1/settings/notice-templates",
		"POST /api/v1/settings/notice-templates/preview": "/api/v1/settings/notice-templates/preview",
		"GET /api/v1/cases/{no}/notices":                 "/api/v1/cases/" + no + "/notices", "POST /api/v1/cases/{no}/notices": "/api/v1/cases/" + no + "/notices",
		"POST /api/v1/cases/{no}/notices/preview":     "/api/v1/cases/" + no + "/notices/preview",
		"POST /api/v1/cases/{no}/notices/{id}/posted": "/api/v1/cases/" + no + "/notices/1/posted",
		"POST /api/v1/exports":                        "/api/v1/exports", "GET /api/v1/exports/{id}": "/api/v1/exports/0123456789abcdef0123456789abcdef",
		"GET /api/v1/exports/{id}/file": "/api/v1/exports/0123456789abcdef0123456789abcdef/file",
		"POST /api/v1/imports":          "/api/v1/imports", "GET /api/v1/imports/{id}": "/api/v1/imports/1",
		"GET /api/v1/imports/{id}/rejects": "/api/v1/imports/1/rejects",
		// the customer portal's, on the public handler
		"GET /api/v1/public/units": "/api/v1/public/units", "POST /api/v1/public/cases": "/api/v1/public/cases",
		"POST /api/v1/public/codes": "/api/v1/public/codes", "POST /api/v1/public/track": "/api/v1/public/track",
		"GET /api/v1/public/case": "/api/v1/public/case", "POST /api/v1/public/case/material": "/api/v1/public/case/material",
		"POST /api/v1/public/case/withdraw": "/api/v1/public/case/withdraw", "POST /api/v1/public/case/review": "/api/v1/public/case/review",
		"POST /api/v1/public/case/rating": "/api/v1/public/case/rating",
		"PATCH /api/v1/orgs/{code}":       "/api/v1/orgs/BJ", "POST /api/v1/users/{login}/password-reset": "/api/v1/users/mgr/password-reset",
	}
	documented := []string{}
	for path, item := range doc.Paths {
		for method := range item {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(documented)
	if len(documented) != len(operations) {
		t.Fatalf("documented operations %v, the server has %d", documented, len(operations))
	}
	for _, op := range documented {
		path, ok := operations[op]
		if !ok {
			t.Fatalf("documented operation %s is not known to this test", op)
		}
		method, _, _ := strings.Cut(op, " ")
		if method != "GET" {
			continue
		}
		base := f.srv.URL
		if strings.HasPrefix(path, "/api/v1/public/") {
			base = f.public.URL // the portal's API is on the public handler only
		}
		req, _ := http.NewRequest(method, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+f.tokens["auditor"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// A missing resource is fine (404 from the handler); a missing route is not.
		if resp.StatusCode == http.StatusMethodNotAllowed || strings.Contains(string(raw), "no API operation") {
			t.Errorf("%s is documented but the server has no such operation: %d %s", op, resp.StatusCode, raw)
		}
	}
	raw, _ := json.Marshal(doc)
	for _, ref := range strings.Split(string(raw), `"$ref":"#/components/schemas/`)[1:] {
		name := ref[:strings.IndexByte(ref, '"')]
		if doc.Components.Schemas[name] == nil {
			t.Errorf("$ref to missing schema %s", name)
		}
	}
	// Real bodies against their schemas, recursively.
	_, c := f.call(t, "mgr", "GET", "/api/v1/cases/"+no, "")
	conforms(t, doc.Components.Schemas, "Case", c)
	var create map[string]any
	json.Unmarshal([]byte(createBody), &create)
	conforms(t, doc.Components.Schemas, "NewCase", create)
	_, report := f.call(t, "auditor", "GET", "/api/v1/audit/verify", "")
	conforms(t, doc.Components.Schemas, "AuditReport", report)
	_, events := f.call(t, "auditor", "GET", "/api/v1/cases/"+no+"/events", "")
	conforms(t, doc.Components.Schemas, "EventList", events)
	_, page := f.call(t, "auditor", "GET", "/api/v1/cases", "")
	conforms(t, doc.Components.Schemas, "CasePage", page)
	_, bad := f.call(t, "auditor", "GET", "/api/v1/cases?level=x", "")
	conforms(t, doc.Components.Schemas, "ErrorBody", bad)
	_, audit := f.call(t, "auditor", "GET", "/api/v1/audit/events", "")
	conforms(t, doc.Components.Schemas, "EventPage", audit)
	_, tokens := f.call(t, "mgr", "GET", "/api/v1/tokens", "")
	conforms(t, doc.Components.Schemas, "APITokenList", tokens)
	_, issued := f.call(t, "mgr", "POST", "/api/v1/tokens", `{"label":"test"}`)
	conforms(t, doc.Components.Schemas, "IssuedToken", issued)
	_, revealed := f.call(t, "mgr", "POST", "/api/v1/cases/"+no+"/reveal", `{"field":"phone","reason":"回访客户"}`)
	conforms(t, doc.Components.Schemas, "Revealed", revealed)
	_, found := f.call(t, "mgr", "GET", "/api/v1/search?q=%E7%90%86%E8%B4%A2", "")
	conforms(t, doc.Components.Schemas, "SearchAnswer", found)
	if len(found["results"].([]any)) != 1 {
		t.Fatalf("search 理财: %v", found)
	}
	_, stats := f.call(t, "mgr", "GET", "/api/v1/stats?from=2026-11-01&to=2026-11-30", "")
	conforms(t, doc.Components.Schemas, "Stats", stats)
	_, counts := f.call(t, "admin", "POST", "/api/v1/unit-counts", `{"org":"BJ","effective_from":"2026-10-01","outlets":8,"personal_customers":400000}`)
	conforms(t, doc.Components.Schemas, "UnitCounts", counts)
	_, submitted := f.call(t, "head", "POST", "/api/v1/unit-reports", `{"month":"2026-11"}`)
	conforms(t, doc.Components.Schemas, "UnitReport", submitted)
	for name, path := range map[string]string{"JRTTable": "/api/v1/reports/jrt?quarter=2026-Q4", "DensityReport": "/api/v1/reports/density?quarter=2026-Q4",
		"Disclosure": "/api/v1/reports/disclosure?year=2026"} {
		_, form := f.call(t, "mgr", "GET", path, "")
		conforms(t, doc.Components.Schemas, name, form)
	}
	_, due := f.call(t, "mgr", "GET", "/api/v1/calendar/due?from=2026-02-12&days=5&unit=working", "")
	conforms(t, doc.Components.Schemas, "DueAnswer", due)
	_, calendar := f.call(t, "mgr", "GET", "/api/v1/calendar", "")
	conforms(t, doc.Components.Schemas, "ScheduleInfoList", calendar)
	_, policies := f.call(t, "mgr", "GET", "/api/v1/policies", "")
	conforms(t, doc.Components.Schemas, "PolicyList", policies)
}

// openAPIDoc decodes the served OpenAPI document into doc.
func openAPIDoc(t *testing.T, f *apiFixture, doc any) {
	t.Helper()
	resp, err := http.Get(f.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(doc); err != nil {
		t.Fatal(err)
	}
}

// conforms fails the test when value has a property the named schema does
// not declare or lacks one it requires, following nested objects and
// arrays of objects.
func conforms(t *testing.T, schemas map[string]map[string]any, name string, value map[string]any) {
	t.Helper()
	schema := schemas[name]
	if schema == nil {
		t.Fatalf("no schema %s", name)
	}
	props, _ := schema["properties"].(map[string]any)
	required, _ := schema["required"].([]any)
	for _, key := range required {
		if _, ok := value[key.(string)]; !ok {
			t.Errorf("%s lacks property %q that its schema requires", name, key)
		}
	}
	for key, v := range value {
		prop, ok := props[key].(map[string]any)
		if !ok {
			t.Errorf("%s has property %q that its schema does not declare", name, key)
			continue
		}
		ref, _ := prop["$ref"].(string)
		if items, ok := prop["items"].(map[string]any); ok {
			ref, _ = items["$ref"].(string)
		}
		if ref == "" {
			continue
		}
		inner := strings.TrimPrefix(ref, "#/components/schemas/")
		switch v := v.(type) {
		case map[string]any:
			conforms(t, schemas, inner, v)
		case []any:
			for _, item := range v {
				if obj, ok := item.(map[string]any); ok {
					conforms(t, schemas, inner, obj)
				}
			}
		}
	}
}
