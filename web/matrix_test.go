package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"redress"
	"redress/sqldb"
)

// matrix is the API fixture plus one user of every role inside the case's
// units ("<role>.in") and one outside them ("<role>.out", in SH).
type matrix struct {
	*apiFixture
	users map[string]*redress.User
	cases *sqldb.CaseService
}

var allRoles = []redress.Role{redress.RoleStaff, redress.RoleManager, redress.RoleBranchHead,
	redress.RoleHQService, redress.RoleAuditor, redress.RoleAdmin}

func newMatrix(t *testing.T) *matrix {
	t.Helper()
	f, users := newAPIOf(t, "matrix", func(admin context.Context, db *sqldb.DB, b *bank) error {
		for _, role := range allRoles {
			inOrg := map[redress.Role]string{redress.RoleStaff: "BJ-01", redress.RoleManager: "BJ", redress.RoleBranchHead: "BJ"}[role]
			if inOrg == "" {
				inOrg = "HQ" // head-office roles work across the bank
			}
			for _, place := range []struct{ suffix, org string }{{".in", inOrg}, {".out", "SH"}} {
				login := string(role) + place.suffix
				// No password: the matrix signs no one in, and 12 argon2id hashes
				// (64 MiB each) would cost more than the rest of the template.
				// The password endpoint still answers 400 for a wrong current one.
				u, err := sqldb.NewUserService(db).CreateUser(admin, redress.NewUser{Login: login, Name: "测试" + login,
					Role: role, Org: place.org})
				if err != nil {
					return fmt.Errorf("user %s: %w", login, err)
				}
				b.users[login] = u
				if b.tokens[login], err = sqldb.NewTokenService(db).CreateToken(context.Background(), login, "matrix", nil); err != nil {
					return fmt.Errorf("token of %s: %w", login, err)
				}
			}
		}
		return nil
	})
	return &matrix{apiFixture: f, users: users, cases: sqldb.NewCaseService(f.db)}
}

// prepare registers a case at BJ-01 and walks it to the given status, with
// manager.in as its handler.
func (m *matrix) prepare(t *testing.T, status redress.Status, determined bool) *redress.Case {
	t.Helper()
	as := func(login string) context.Context { return redress.WithUser(context.Background(), m.users[login]) }
	var n redress.NewCase
	if err := decodeStrictForTest(createBody, &n); err != nil {
		t.Fatal(err)
	}
	c, err := m.cases.CreateCase(as("staff.in"), n)
	if err != nil {
		t.Fatal(err)
	}
	step := func(login string, req redress.ActionRequest) {
		t.Helper()
		req.Version = c.Version
		if c, err = m.cases.Act(as(login), c.No, req); err != nil {
			t.Fatalf("prepare %s: %v", req.Action, err)
		}
	}
	path := map[redress.Status][]redress.Action{
		redress.StatusRegistered:    {},
		redress.StatusAccepted:      {redress.ActionAccept},
		redress.StatusInvestigating: {redress.ActionAccept, redress.ActionInvestigate},
		redress.StatusReplied:       {redress.ActionAccept, redress.ActionInvestigate, redress.ActionDetermine, redress.ActionReply},
		redress.StatusSignedOff:     {redress.ActionAccept, redress.ActionInvestigate, redress.ActionDetermine, redress.ActionReply, redress.ActionSignOff},
	}[status]
	for _, a := range path {
		who := "manager.in"
		if a == redress.ActionSignOff {
			who = "branch_head.in"
		}
		step(who, validAction(a))
	}
	if determined && c.Determination == nil {
		step("manager.in", validAction(redress.ActionDetermine))
	}
	return c
}

// requestReview records the customer's request for 核查, as staff.in.
func (m *matrix) requestReview(t *testing.T, c *redress.Case) *redress.Case {
	t.Helper()
	req := redress.ActionRequest{Action: redress.ActionRequestReview, Version: c.Version,
		ReceivedAt: time.Now().Add(-time.Hour), Text: "申请核查"}
	next, err := m.cases.Act(redress.WithUser(context.Background(), m.users["staff.in"]), c.No, req)
	if err != nil {
		t.Fatalf("request review: %v", err)
	}
	return next
}

// pause stops the case's clock for a mediation, as its handler.
func (m *matrix) pause(t *testing.T, c *redress.Case) *redress.Case {
	t.Helper()
	req := validAction(redress.ActionPause)
	req.Version, req.Cause = c.Version, redress.PauseMediation
	paused, err := m.cases.Act(redress.WithUser(context.Background(), m.users["manager.in"]), c.No, req)
	if err != nil {
		t.Fatalf("pause: %v", err)
	}
	return paused
}

func validAction(a redress.Action) redress.ActionRequest {
	req := redress.ActionRequest{Action: a, Reason: "依规处理", Text: "处理记录", Satisfaction: redress.SatisfactionSatisfied}
	if a == redress.ActionAssign {
		req.Handler = "staff.in"
	}
	req.Determination = redress.Determination{Liability: redress.LiabilityNoFault, RootCause: "客户误解"}
	req.Reply = redress.Reply{Facts: "经核实", Basis: "合同约定", Outcome: redress.OutcomeNotUpheld, Remedies: []redress.Remedy{},
		NoticeMethod: redress.NoticePhone, NoticeAt: time.Now().Add(-time.Hour), NoticeProof: "电话录音"}
	return req
}

// actionBody renders the JSON body of an action, with only its own fields.
func actionBody(a redress.Action, version int) string {
	parts := []string{fmt.Sprintf(`"version":%d`, version)}
	fields := map[string]string{
		"handler": `"staff.in"`, "reason": `"依规处理"`, "text": `"处理记录"`, "satisfaction": `"satisfied"`,
		"liability": `"no_fault"`, "root_cause": `"客户误解"`, "responsible_party": `""`, "accountability": `""`,
		"root_cause_code": `"R01"`, "accountability_measure": `"none"`, "accountable_staff": `""`,
		"facts": `"经核实"`, "basis": `"合同约定"`, "outcome": `"not_upheld"`, "redress": `""`, "redress_amount": `""`,
		"remedies": `["review"]`, "notice_method": `"phone"`, "notice_at": `"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `"`,
		"notice_proof": `"电话录音"`, "approval": `"审批-1"`, "cause": `"mediation"`,
		"facts_received_at": `"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `"`,
		"decision":          `"accepted"`, "agreed_reply_date": `"` + time.Now().In(redress.Beijing).AddDate(0, 0, 3).Format(time.DateOnly) + `"`,
		// review
		"received_at": `"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `"`,
		"process":     `"程序合规"`, "timeliness": `"在时限内答复"`, "merits": `"结果适当"`, "result": `"upheld"`,
		// regulator.go
		"regulator_finding": `"valid"`, "regulator_finding_on": `"` + time.Now().In(redress.Beijing).Format(time.DateOnly) + `"`,
		"regulator_finding_ref": `"金消保〔2026〕1号"`,
		// return_visit.go
		"visit_method": `"phone"`, "visit_outcome": `"answered"`,
	}
	for _, f := range redress.Lifecycle[a].Fields {
		parts = append(parts, `"`+f+`":`+fields[f])
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// TestPermissionMatrixActions walks every lifecycle action × role × scope.
func TestPermissionMatrixActions(t *testing.T) {
	t.Parallel()
	m := newMatrix(t)
	for _, a := range redress.Actions {
		if a == redress.ActionRegister {
			continue
		}
		rule := redress.Lifecycle[a]
		for _, role := range allRoles {
			for _, in := range []bool{true, false} {
				login := string(role) + map[bool]string{true: ".in", false: ".out"}[in]
				c := m.prepare(t, rule.From[0], a == redress.ActionReply)
				if a == redress.ActionResume {
					c = m.pause(t, c)
				}
				if a == redress.ActionDecideReview { // review: a 核查 by BJ, above BJ-01
					c = m.requestReview(t, c)
				}
				if a == redress.ActionRecordRegulatorFinding {
					c = m.forwarded(t) // regulator_test.go
				}
				if a == redress.ActionReturnVisit {
					c = m.visitDue(t) // return_visit_test.go
				}
				status, body := m.call(t, login, "POST", "/api/v1/cases/"+c.No+"/"+string(a), actionBody(a, c.Version))
				want := http.StatusOK
				switch {
				case role == redress.RoleAdmin:
					want = http.StatusForbidden // reads no complaint contents, in scope or not
				case !in && a == redress.ActionRequestReview && redress.MayRegister(role):
					want = http.StatusOK // any unit receives a review request, answered with its receipt alone
				case !in:
					want = http.StatusNotFound // the case does not exist for them
				case !contains(rule.Roles, role):
					want = http.StatusForbidden
				case a == redress.ActionDecideReview && login == "manager.in":
					want = http.StatusForbidden // the original handler never reviews (Order 2020 No.3 Art.20)
				}
				if status != want {
					t.Errorf("%s by %s: %d, want %d: %v", a, login, status, want, body)
				}
				if !in && status == http.StatusOK && (body["subject"] != nil || body["complainant"] != nil || body["review"] == nil) {
					t.Errorf("%s by %s outside the case's units shows more than the receipt: %v", a, login, body)
				}
			}
		}
	}
}

// TestPermissionMatrixEndpoints walks every other endpoint × role × scope.
func TestPermissionMatrixEndpoints(t *testing.T) {
	t.Parallel()
	m := newMatrix(t)
	c := m.prepare(t, redress.StatusRegistered, false)
	ev, err := sqldb.NewEvidenceService(m.db).AddEvidence(redress.WithUser(context.Background(), m.users["staff.in"]), c.No,
		redress.NewEvidence{Name: "凭证.pdf", ContentType: "application/pdf", Body: strings.NewReader("%PDF-1.4 test")})
	if err != nil {
		t.Fatal(err)
	}
	readers := []redress.Role{redress.RoleStaff, redress.RoleManager, redress.RoleBranchHead, redress.RoleHQService, redress.RoleAuditor}
	registrars := []redress.Role{redress.RoleStaff, redress.RoleManager, redress.RoleBranchHead, redress.RoleHQService}
	revealers := []redress.Role{redress.RoleManager, redress.RoleBranchHead, redress.RoleHQService}
	everyone := allRoles
	only := func(roles ...redress.Role) []redress.Role { return roles }
	seq := 0
	unique := func() int { seq++; return seq }
	endpoints := []struct {
		name   string
		method string
		path   func(login string) string
		body   func(login string) string
		ok     int                          // status for an allowed role
		roles  []redress.Role               // allowed roles
		scoped bool                         // outside the case's units: 404 for readers
		outOK  func() (int, []redress.Role) // override for the out-of-scope users, if different
		// A role without the permission is refused (403) before its scope is
		// considered; an allowed role outside the case's units gets 404.
	}{
		{name: "health", method: "GET", path: fixed("/healthz"), ok: 200, roles: everyone},
		{name: "openapi", method: "GET", path: fixed("/api/v1/openapi.json"), ok: 200, roles: everyone},
		{name: "register", method: "POST", path: fixed("/api/v1/cases"), body: func(string) string { return createBody }, ok: 201, roles: registrars},
		{name: "register elsewhere", method: "POST", path: fixed("/api/v1/cases"),
			body: func(string) string { return strings.Replace(createBody, `"amount"`, `"org":"BJ-01","amount"`, 1) },
			ok:   201, roles: registrars, outOK: func() (int, []redress.Role) { return 400, registrars }},
		{name: "list", method: "GET", path: fixed("/api/v1/cases"), ok: 200, roles: readers},
		{name: "view", method: "GET", path: fixed("/api/v1/cases/" + c.No), ok: 200, roles: readers, scoped: true},
		{name: "events", method: "GET", path: fixed("/api/v1/cases/" + c.No + "/events"), ok: 200, roles: readers, scoped: true},
		{name: "reveal", method: "POST", path: fixed("/api/v1/cases/" + c.No + "/reveal"),
			body: func(string) string { return `{"field":"phone","reason":"回访客户"}` }, ok: 200, roles: revealers, scoped: true},
		{name: "stats", method: "GET", path: fixed("/api/v1/stats?from=2026-11-01&to=2026-11-30"), ok: 200, roles: readers},
		{name: "assessment", method: "GET", path: fixed("/api/v1/assessment?month=2026-11"), ok: 200, roles: revealers},
		{name: "assessment scheme", method: "GET", path: fixed("/api/v1/assessment/scheme"), ok: 200, roles: everyone},
		{name: "set assessment scheme", method: "PUT", path: fixed("/api/v1/assessment/scheme"),
			body: func(string) string {
				return `{"weights":{"reply_on_time":20,"decision_on_time":30,"closed":20,"satisfied":20,"not_reopened":10,"overdue":2,"complaint":5,"upheld":10,"measure":10},"veto":{"measure":"discipline","upheld_complaint":false,"mode":"zero","cap":0}}`
			}, ok: 200, roles: only(redress.RoleAdmin)},
		{name: "jrt form", method: "GET", path: fixed("/api/v1/reports/jrt?quarter=2026-Q4"), ok: 200, roles: readers},
		{name: "density form", method: "GET", path: fixed("/api/v1/reports/density?quarter=2026-Q4"), ok: 200, roles: readers},
		{name: "disclosure", method: "GET", path: fixed("/api/v1/reports/disclosure?year=2026"), ok: 200, roles: readers},
		{name: "unit counts", method: "GET", path: fixed("/api/v1/unit-counts"), ok: 200, roles: everyone},
		{name: "unit reports", method: "GET", path: fixed("/api/v1/unit-reports?month=2026-11"), ok: 200, roles: readers},
		{name: "enter unit counts", method: "POST", path: fixed("/api/v1/unit-counts"),
			body: func(string) string {
				return `{"org":"BJ","effective_from":"2026-10-01","outlets":8,"personal_customers":400000}`
			},
			ok: 200, roles: only(redress.RoleAdmin)},
		{name: "search", method: "GET", path: fixed("/api/v1/search?q=%E7%90%86%E8%B4%A2"), ok: 200, roles: readers},
		{name: "evidence list", method: "GET", path: fixed("/api/v1/cases/" + c.No + "/evidence"), ok: 200, roles: readers, scoped: true},
		{name: "evidence download", method: "GET", path: fixed(fmt.Sprintf("/api/v1/cases/%s/evidence/%d", c.No, ev.ID)), ok: 200, roles: readers, scoped: true},
		{name: "lookup", method: "POST", path: fixed("/api/v1/cases/lookup"), body: func(string) string { return `{"phone":"13812345678"}` },
			ok: 200, roles: readers},
		{name: "actions", method: "GET", path: fixed("/api/v1/actions"), ok: 200, roles: everyone},
		{name: "audit verify", method: "GET", path: fixed("/api/v1/audit/verify"), ok: 200,
			roles: only(redress.RoleHQService, redress.RoleAuditor, redress.RoleAdmin)},
		{name: "audit events", method: "GET", path: fixed("/api/v1/audit/events?action=case."), ok: 200, roles: only(redress.RoleAuditor)},
		{name: "orgs", method: "GET", path: fixed("/api/v1/orgs"), ok: 200, roles: everyone},
		{name: "create org", method: "POST", path: fixed("/api/v1/orgs"),
			body: func(string) string {
				return fmt.Sprintf(`{"code":"M%d","name":"测试网点","kind":"outlet","parent":"BJ"}`, unique())
			},
			ok: 201, roles: only(redress.RoleAdmin)},
		{name: "update org", method: "PATCH", path: fixed("/api/v1/orgs/BJ-01"), body: func(string) string { return `{"name":"中关村网点"}` },
			ok: 200, roles: only(redress.RoleAdmin)},
		{name: "users", method: "GET", path: fixed("/api/v1/users"), ok: 200, roles: everyone},
		{name: "reset password", method: "POST", path: func(string) string {
			admin := redress.WithUser(context.Background(), &redress.User{Login: "admin", Role: redress.RoleAdmin})
			login := fmt.Sprintf("reset%d", unique())
			if _, err := sqldb.NewUserService(m.db).CreateUser(admin, redress.NewUser{Login: login, Name: "被重置", Role: redress.RoleStaff, Org: "BJ-01"}); err != nil {
				t.Fatal(err)
			}
			return "/api/v1/users/" + login + "/password-reset"
		}, ok: 200, roles: only(redress.RoleAdmin)},
		{name: "create user", method: "POST", path: fixed("/api/v1/users"),
			body: func(string) string {
				return fmt.Sprintf(`{"login":"new%d","name":"新人","role":"staff","org":"BJ-01"}`, unique())
			},
			ok: 201, roles: only(redress.RoleAdmin)},
		{name: "update user", method: "PATCH", path: fixed("/api/v1/users/staff.in"), body: func(string) string { return `{"name":"王小芳"}` },
			ok: 200, roles: only(redress.RoleAdmin)},
		{name: "me", method: "GET", path: fixed("/api/v1/me"), ok: 200, roles: everyone},
		{name: "password", method: "POST", path: fixed("/api/v1/me/password"),
			body: func(string) string { return `{"current":"wrong-password","new":"another-password-2"}` }, ok: 400, roles: everyone},
		{name: "own tokens", method: "GET", path: fixed("/api/v1/tokens"), ok: 200, roles: everyone},
		{name: "another's tokens", method: "GET", path: fixed("/api/v1/tokens?login=staff.in"), ok: 200, roles: only(redress.RoleAdmin)},
		{name: "issue token", method: "POST", path: fixed("/api/v1/tokens"), body: func(string) string { return `{"label":"matrix"}` },
			ok: 201, roles: everyone},
		{name: "revoke another's token", method: "DELETE", path: func(string) string {
			if _, err := sqldb.NewTokenService(m.db).CreateToken(context.Background(), "staff.out", "victim", nil); err != nil {
				t.Fatal(err)
			}
			return "/api/v1/tokens/" + fmt.Sprint(lastTokenID(t, m, "staff.out"))
		}, ok: 200, roles: only(redress.RoleAdmin)},
		{name: "deadline query", method: "GET", path: fixed("/api/v1/calendar/due?from=2026-02-12&days=5&unit=working"), ok: 200, roles: everyone},
		{name: "calendar", method: "GET", path: fixed("/api/v1/calendar"), ok: 200, roles: everyone},
		{name: "set calendar year", method: "PUT", path: fixed("/api/v1/calendar/CN/2027"),
			body: func(string) string {
				return `{"region":"CN","year":2027,"source":"测试","holidays":[],"workdays":[]}`
			},
			ok: 200, roles: only(redress.RoleAdmin)},
		{name: "delete calendar year", method: "DELETE", path: func(string) string {
			admin := redress.WithUser(context.Background(), &redress.User{Login: "admin", Role: redress.RoleAdmin})
			if _, err := sqldb.NewDeadlineService(m.db).SaveSchedule(admin, redress.YearSchedule{Region: "CN", Year: 2028, Source: "测试"}); err != nil {
				t.Fatal(err)
			}
			return "/api/v1/calendar/CN/2028"
		}, ok: 200, roles: only(redress.RoleAdmin)},
		{name: "policies", method: "GET", path: fixed("/api/v1/policies"), ok: 200, roles: everyone},
		{name: "set policy", method: "PUT", path: fixed("/api/v1/policies/us_cfpb"),
			body: func(string) string {
				return `{"name":"us_cfpb","title":"US CFPB","comparator":true,"clocks":[{"name":"response","title":"Response","days":15,"unit":"calendar","region":"US","move_off_holiday":false,"source":"CFPB"}]}`
			}, ok: 200, roles: only(redress.RoleAdmin)},
		{name: "codes", method: "GET", path: fixed("/api/v1/codes"), ok: 200, roles: everyone},
		{name: "bank profile", method: "GET", path: fixed("/api/v1/settings/bank"), ok: 200, roles: everyone},
		{name: "set bank profile", method: "PUT", path: fixed("/api/v1/settings/bank"),
			body: func(string) string { return `{"name":"某某银行","hotline":"95500"}` }, ok: 200, roles: only(redress.RoleAdmin)},
		{name: "mediation body", method: "GET", path: fixed("/api/v1/settings/mediation"), ok: 200, roles: everyone},
		{name: "set mediation body", method: "PUT", path: fixed("/api/v1/settings/mediation"),
			body: func(string) string {
				return `{"name":"北京银行业保险业消费纠纷调解中心","contact":"电话 010-00000000"}`
			},
			ok: 200, roles: only(redress.RoleAdmin)},
		{name: "save code", method: "POST", path: fixed("/api/v1/codes"),
			body: func(string) string {
				return `{"dimension":"C","code":"C9901","name":"测试","name_en":"Test","parent":"C99","active":true}`
			},
			ok: 200, roles: only(redress.RoleAdmin)},
	}
	for _, ep := range endpoints {
		for _, role := range allRoles {
			for _, in := range []bool{true, false} {
				login := string(role) + map[bool]string{true: ".in", false: ".out"}[in]
				if (ep.name == "revoke another's token" && login == "staff.out") || (ep.name == "another's tokens" && login == "staff.in") {
					continue // their own tokens
				}
				okStatus, allowed := ep.ok, ep.roles
				if !in && ep.outOK != nil {
					okStatus, allowed = ep.outOK()
				}
				want := http.StatusForbidden
				switch {
				case contains(allowed, role) && ep.scoped && !in:
					want = http.StatusNotFound
				case contains(allowed, role):
					want = okStatus
				case ep.name == "revoke another's token":
					want = http.StatusNotFound // another user's token does not exist for them
				}
				body := ""
				if ep.body != nil {
					body = ep.body(login)
				}
				status, answer := m.call(t, login, ep.method, ep.path(login), body)
				if status != want {
					t.Errorf("%s (%s %s) by %s: %d, want %d: %v", ep.name, ep.method, ep.path(login), login, status, want, answer)
				}
			}
		}
	}
}

// TestScopeOfLists checks what the lists hold, not just that they answer.
func TestScopeOfLists(t *testing.T) {
	t.Parallel()
	m := newMatrix(t)
	c := m.prepare(t, redress.StatusRegistered, false)
	for _, role := range []redress.Role{redress.RoleStaff, redress.RoleManager, redress.RoleBranchHead, redress.RoleHQService, redress.RoleAuditor} {
		for _, in := range []bool{true, false} {
			login := string(role) + map[bool]string{true: ".in", false: ".out"}[in]
			for _, req := range []struct{ method, path, body string }{
				{"GET", "/api/v1/cases", ""}, {"POST", "/api/v1/cases/lookup", `{"phone":"13812345678"}`},
			} {
				_, page := m.call(t, login, req.method, req.path, req.body)
				found := strings.Contains(fmt.Sprint(page["cases"]), c.No)
				if found != in {
					t.Errorf("%s %s by %s: holds the BJ case = %v", req.method, req.path, login, found)
				}
			}
		}
	}
	_, users := m.call(t, "manager.out", "GET", "/api/v1/users", "")
	if strings.Contains(fmt.Sprint(users["items"]), "staff.in") {
		t.Error("an SH manager lists BJ users")
	}
	_, users = m.call(t, "admin", "GET", "/api/v1/users", "")
	if !strings.Contains(fmt.Sprint(users["items"]), "staff.in") {
		t.Error("the admin lists every user")
	}
}

func fixed(path string) func(string) string { return func(string) string { return path } }

func lastTokenID(t *testing.T, m *matrix, login string) int64 {
	t.Helper()
	admin := redress.WithUser(context.Background(), &redress.User{Login: "admin", Role: redress.RoleAdmin})
	tokens, err := sqldb.NewTokenService(m.db).ListTokens(admin, login)
	if err != nil || len(tokens) == 0 {
		t.Fatalf("tokens of %s: %v", login, err)
	}
	return tokens[len(tokens)-1].ID
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
