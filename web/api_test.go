package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"redress"
	"redress/prom"
	"redress/sqldb"
	"redress/sqldb/sqldbtest"
	"redress/web"
)

// apiFixture is a real server on a real database (SQLite, or PostgreSQL)
// with a small bank and one API token per user.
type apiFixture struct {
	srv    *httptest.Server
	server *web.Server // the handler srv serves
	db     *sqldb.DB
	dsn    string // the database: a SQLite file path, or a PostgreSQL URL
	tokens map[string]string
	// public serves the public handler (the customer portal); sms holds the
	// texts its one-time codes were sent as (portal_test.go).
	public *httptest.Server
	sms    *testSMS
}

// bank is what a template holds besides its database: the secret of each
// user's API token (only their digests are stored) and the users it made
// beyond the bank of newAPI, by login.
type bank struct {
	tokens map[string]string
	users  map[string]*redress.User
}

// apiKeys returns the keyring every API fixture's database is sealed under
// (the templates were made with it).
func apiKeys() (*redress.Keyring, error) {
	return redress.NewKeyring(map[int][]byte{1: bytes.Repeat([]byte{9}, redress.KeySize)})
}

// newAPI returns a server on a copy of the "api" template.
func newAPI(t *testing.T) *apiFixture {
	t.Helper()
	f, _ := newAPIOf(t, "api", nil)
	return f
}

// newAPIOf returns a server on a copy of the template key: the bank of
// newAPI, then what more adds to it as the admin (more is nil for the plain
// bank). The template is made once per engine run, so that no test pays for
// the migrations and the password hashes of the setup. It also returns the
// users that more made.
func newAPIOf(t *testing.T, key string, more func(admin context.Context, db *sqldb.DB, b *bank) error) (*apiFixture, map[string]*redress.User) {
	t.Helper()
	ctx := context.Background()
	dsn, b := sqldbtest.CloneWith(t, testEngine, key, func(dsn string) (bank, error) { return buildAPIBank(dsn, more) })
	keys, err := apiKeys()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := sqldb.Open(ctx, dsn, keys, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// The package tests sign-ins, not the hash's cost (sqldb does).
	if err := db.SetPasswordCost(sqldb.FixturePasswordCost); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("migrating the migrated template must do nothing: %d %v", n, err)
	}
	// The template's value is shared by every test: each gets its own copies.
	f := &apiFixture{db: db, dsn: dsn, tokens: maps.Clone(b.tokens), sms: &testSMS{}}
	users := map[string]*redress.User{}
	for login, u := range b.users {
		copied := *u
		users[login] = &copied
	}
	metrics := prom.New(db)
	db.SetBatchObserver(metrics)
	server := web.NewServer(web.Services{
		Metrics: metrics.Handler(), Requests: metrics,
		Imports: sqldb.NewImportService(db),
		Cases:   sqldb.NewCaseService(db), Orgs: sqldb.NewOrgService(db), Users: sqldb.NewUserService(db),
		Tokens: sqldb.NewTokenService(db), Sessions: sqldb.NewSessionService(db), Deadlines: sqldb.NewDeadlineService(db), Evidence: sqldb.NewEvidenceService(db), Settings: sqldb.NewSettingsService(db), ReturnVisits: sqldb.NewReturnVisitService(db), Notices: sqldb.NewCustomerNoticeService(db), Search: sqldb.NewSearchService(db), Stats: sqldb.NewStatsService(db), Exports: sqldb.NewExportService(db), Assessment: sqldb.NewAssessmentService(db), Reports: sqldb.NewReportService(db), UnitReports: sqldb.NewUnitReportService(db), Corrective: sqldb.NewCorrectiveService(db), OpinionBook: sqldb.NewOpinionBookService(db), Lost: sqldb.NewLostService(db), Incidents: sqldb.NewIncidentService(db), Referrals: sqldb.NewReferralService(db), Training: sqldb.NewTrainingService(db), Notifications: sqldb.NewNotificationService(db), Codes: sqldb.NewCodeService(db), Audit: sqldb.NewAuditService(db), Retention: sqldb.NewRetentionService(db), Repeats: sqldb.NewRepeatService(db), Archive: sqldb.NewArchiveService(db), Reception: sqldb.NewReceptionService(db), Ping: db.Ping,
		ExportJobs: sqldb.NewExportService(db), ExportDir: filepath.Join(t.TempDir(), "exports"),
		Portal: sqldb.NewPortalService(db), PortalSMS: f.sms, RateLimits: sqldb.NewRateLimits(db),
		UI: testUI(t),
	}, log)
	if err := server.StartExports(ctx, 0); err != nil {
		t.Fatal(err)
	}
	f.server, f.srv, f.public = server, httptest.NewServer(server.Handler()), httptest.NewServer(server.PublicHandler())
	t.Cleanup(f.srv.Close)
	t.Cleanup(f.public.Close)
	return f, users
}

// The passwords of the fixtures of newAPIWithPasswords.
const (
	pagePassword    = "page-password-1"    // mgr and admin
	browserPassword = "browser-password-1" // staff
)

// newAPIWithPasswords returns a server on a copy of the bank of newAPI in
// which mgr and admin have the password pagePassword and staff has
// browserPassword, set by the admin in the template: the tests hash only
// what they test (sign-in), not the setup.
func newAPIWithPasswords(t *testing.T) *apiFixture {
	t.Helper()
	f, _ := newAPIOf(t, "api, with passwords", func(admin context.Context, db *sqldb.DB, b *bank) error {
		for login, password := range map[string]string{"mgr": pagePassword, "mgr.sh": pagePassword, "admin": pagePassword, "staff": browserPassword} {
			if _, err := sqldb.NewUserService(db).UpdateUser(admin, login, redress.UserUpdate{Password: &password}); err != nil {
				return fmt.Errorf("password of %s: %w", login, err)
			}
			// The new password revoked the user's token: a new one.
			token, err := sqldb.NewTokenService(db).CreateToken(admin, login, "test", nil)
			if err != nil {
				return fmt.Errorf("token of %s: %w", login, err)
			}
			b.tokens[login] = token
		}
		return nil
	})
	return f
}

// buildAPIBank makes the bank of newAPI in the empty database of dsn, with
// a token for each user, then applies more.
func buildAPIBank(dsn string, more func(admin context.Context, db *sqldb.DB, b *bank) error) (bank, error) {
	ctx := context.Background()
	b := bank{tokens: map[string]string{}, users: map[string]*redress.User{}}
	keys, err := apiKeys()
	if err != nil {
		return b, err
	}
	db, err := sqldb.Open(ctx, dsn, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return b, err
	}
	defer db.Close()
	if err := db.SetPasswordCost(sqldb.FixturePasswordCost); err != nil {
		return b, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		return b, err
	}
	if _, err := db.Bootstrap(ctx, "admin-password-1"); err != nil {
		return b, err
	}
	admin := redress.WithUser(ctx, &redress.User{Login: "admin", Role: redress.RoleAdmin})
	for _, o := range []redress.NewOrgUnit{
		{Code: "BJ", Name: "北京分行", Kind: redress.OrgBranch, Parent: "HQ"},
		{Code: "BJ-01", Name: "中关村网点", Kind: redress.OrgOutlet, Parent: "BJ"},
		{Code: "SH", Name: "上海分行", Kind: redress.OrgBranch, Parent: "HQ"},
	} {
		if _, err := sqldb.NewOrgService(db).CreateOrg(admin, o); err != nil {
			return b, fmt.Errorf("org %s: %w", o.Code, err)
		}
	}
	tokens := sqldb.NewTokenService(db)
	for _, u := range []redress.NewUser{
		{Login: "staff", Name: "王芳", Role: redress.RoleStaff, Org: "BJ-01"},
		{Login: "mgr", Name: "李强", Role: redress.RoleManager, Org: "BJ"},
		{Login: "head", Name: "张伟", Role: redress.RoleBranchHead, Org: "BJ"},
		{Login: "mgr.sh", Name: "陈静", Role: redress.RoleManager, Org: "SH"},
		{Login: "auditor", Name: "钱进", Role: redress.RoleAuditor, Org: "HQ"},
	} {
		if _, err := sqldb.NewUserService(db).CreateUser(admin, u); err != nil {
			return b, fmt.Errorf("user %s: %w", u.Login, err)
		}
	}
	for _, login := range []string{"admin", "staff", "mgr", "head", "mgr.sh", "auditor"} {
		token, err := tokens.CreateToken(ctx, login, "test", nil)
		if err != nil {
			return b, fmt.Errorf("token of %s: %w", login, err)
		}
		b.tokens[login] = token
	}
	if more != nil {
		if err := more(admin, db, &b); err != nil {
			return b, err
		}
	}
	return b, nil
}

// call sends a request as the named user ("" for none) and decodes the answer.
func (f *apiFixture) call(t *testing.T, login, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[login])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && resp.StatusCode == http.StatusOK {
		return resp.StatusCode, map[string]any{"_raw": string(raw)} // a file download
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: answer is not a JSON object: %s", method, path, raw)
	}
	return resp.StatusCode, out
}

const createBody = `{"kind":"complaint","channel":"counter","received_at":"2026-11-20T09:30:00+08:00",
"complainant":{"name":"张三","id_type":"resident_id","id_number":"110101199003071234","phone":"13812345678"},
"subject":"理财产品收益与宣传不符","description":"客户称收益低于宣传","request":"赔偿差额","amount":"5000.00"}`

func (f *apiFixture) create(t *testing.T) map[string]any {
	t.Helper()
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", createBody)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, c)
	}
	return c
}

func errorOf(t *testing.T, body map[string]any) (code, message string, fields map[string]any) {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	if !ok {
		t.Fatalf("not the error shape: %v", body)
	}
	fields, _ = e["fields"].(map[string]any)
	return e["code"].(string), e["message"].(string), fields
}

func TestCreateCaseAnswer(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	c := f.create(t)
	for field, want := range map[string]any{"status": "registered", "version": 1.0, "level": 1.0, "org": "BJ-01",
		"first_responder": "staff", "reply_due": "2026-11-23", "decision_due": "2026-12-05", "amount": "5000.00"} {
		if c[field] != want {
			t.Errorf("%s = %v, want %v", field, c[field], want)
		}
	}
	if !strings.HasPrefix(c["no"].(string), "TS20261120-") {
		t.Errorf("no = %v", c["no"])
	}
	p := c["complainant"].(map[string]any)
	if p["id_number"] != "110***********1234" || p["phone"] != "138****5678" {
		t.Errorf("complainant not masked: %v", p)
	}
	status, got := f.call(t, "mgr", "GET", "/api/v1/cases/"+c["no"].(string), "")
	if status != 200 || got["no"] != c["no"] {
		t.Fatalf("view: %d %v", status, got)
	}
}

func TestWalkToClosed(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	no := f.create(t)["no"].(string)
	steps := []struct{ login, action, body string }{
		{"mgr", "accept", `{"version":1}`},
		{"mgr", "investigate", `{"version":2,"text":"调取销售录音，核对风险揭示书"}`},
		{"mgr", "determine", `{"version":3,"liability":"partial","responsible_party":"理财经理","root_cause":"营销话术不规范"}`},
		{"mgr", "reply", `{"version":4,"facts":"销售时未充分揭示风险","basis":"合同第五条","outcome":"partly_upheld","redress":"补偿差额","redress_amount":"1200.00","remedies":["review","mediation"],"notice_method":"phone","notice_at":"2026-11-21T10:00:00+08:00","notice_proof":"录音 R-01"}`},
		{"head", "sign_off", `{"version":5,"text":"同意"}`},
		{"mgr", "close", `{"version":6,"satisfaction":"satisfied"}`},
	}
	for _, s := range steps {
		status, c := f.call(t, s.login, "POST", "/api/v1/cases/"+no+"/"+s.action, s.body)
		if status != 200 {
			t.Fatalf("%s: %d %v", s.action, status, c)
		}
	}
	status, c := f.call(t, "auditor", "GET", "/api/v1/cases/"+no, "")
	if status != 200 || c["status"] != "closed" || c["satisfaction"] != "satisfied" || c["signed_off_by"] != "head" {
		t.Fatalf("closed case: %d %v", status, c)
	}
	status, ev := f.call(t, "auditor", "GET", "/api/v1/cases/"+no+"/events", "")
	if status != 200 || len(ev["items"].([]any)) != 7 {
		t.Fatalf("events: %d %v", status, ev)
	}
	status, report := f.call(t, "auditor", "GET", "/api/v1/audit/verify", "")
	if status != 200 || report["ok"] != true {
		t.Fatalf("verify: %d %v", status, report)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	no := f.create(t)["no"].(string)
	big := `{"kind":"complaint","description":"` + strings.Repeat("长", 400000) + `"}`
	tests := []struct {
		name, login, method, path, body string
		status                          int
		code, field, message            string
	}{
		{"malformed", "staff", "POST", "/api/v1/cases", `{"kind":`, 400, "invalid", "", "malformed JSON"},
		{"not an object", "staff", "POST", "/api/v1/cases", `[1,2]`, 400, "invalid", "", "JSON object"},
		{"empty body", "staff", "POST", "/api/v1/cases", ``, 400, "invalid", "", "empty"},
		{"trailing data", "staff", "POST", "/api/v1/cases", createBody + `{}`, 400, "invalid", "", "after the JSON"},
		{"unknown field", "staff", "POST", "/api/v1/cases", `{"kind":"complaint","colour":"red"}`, 400, "invalid", "colour", ""},
		{"wrong type", "staff", "POST", "/api/v1/cases", `{"kind":"complaint","subject":42}`, 400, "invalid", "subject", ""},
		{"bad time", "staff", "POST", "/api/v1/cases", `{"received_at":"yesterday"}`, 400, "invalid", "", "RFC 3339"},
		{"oversized", "staff", "POST", "/api/v1/cases", big, 400, "invalid", "", "1 MiB"},
		{"unknown enum", "staff", "POST", "/api/v1/cases", strings.Replace(createBody, `"counter"`, `"pigeon"`, 1), 400, "invalid", "channel", ""},
		{"missing required", "staff", "POST", "/api/v1/cases", `{"kind":"complaint","channel":"phone"}`, 400, "invalid", "subject", ""},
		{"unknown case", "mgr", "GET", "/api/v1/cases/TS20991231-00001", "", 404, "not_found", "", "not found"},
		{"garbage case number", "mgr", "GET", "/api/v1/cases/..%2f..%2fetc", "", 404, "not_found", "", ""},
		{"no token", "", "GET", "/api/v1/cases", "", 401, "unauthorized", "", "token"},
		{"bad token", "", "GET", "/api/v1/cases?x", "", 401, "unauthorized", "", ""},
		{"wrong role", "auditor", "POST", "/api/v1/cases", createBody, 403, "forbidden", "", "may not register"},
		{"admin reads no cases", "admin", "GET", "/api/v1/cases", "", 403, "forbidden", "", ""},
		{"out of scope", "mgr.sh", "GET", "/api/v1/cases/" + no, "", 404, "not_found", "", ""},
		{"out of scope action", "mgr.sh", "POST", "/api/v1/cases/" + no + "/accept", `{"version":1}`, 404, "not_found", "", ""},
		{"stale version", "mgr", "POST", "/api/v1/cases/" + no + "/accept", `{"version":7}`, 409, "conflict", "version", "changed by someone else"},
		{"wrong status", "mgr", "POST", "/api/v1/cases/" + no + "/close", `{"version":1,"satisfaction":"satisfied"}`, 409, "conflict", "", "status registered"},
		{"role not allowed", "staff", "POST", "/api/v1/cases/" + no + "/accept", `{"version":1}`, 403, "forbidden", "", ""},
		{"unknown action", "mgr", "POST", "/api/v1/cases/" + no + "/teleport", `{"version":1}`, 404, "not_found", "", "unknown action"},
		{"field of another action", "mgr", "POST", "/api/v1/cases/" + no + "/accept", `{"version":1,"satisfaction":"satisfied"}`, 400, "invalid", "satisfaction", ""},
		{"missing version", "mgr", "POST", "/api/v1/cases/" + no + "/accept", `{}`, 400, "invalid", "version", ""},
		{"version wrong type", "mgr", "POST", "/api/v1/cases/" + no + "/accept", `{"version":"1"}`, 400, "invalid", "version", ""},
		{"unknown filter", "mgr", "GET", "/api/v1/cases?colour=red", "", 400, "invalid", "colour", ""},
		{"bad filter value", "mgr", "GET", "/api/v1/cases?level=high", "", 400, "invalid", "level", ""},
		{"bad cursor", "mgr", "GET", "/api/v1/cases?cursor=abc", "", 400, "invalid", "cursor", ""},
		{"malformed query", "mgr", "GET", "/api/v1/cases?cursor=%%%", "", 400, "invalid", "", "malformed query"},
		{"unknown route", "mgr", "GET", "/api/v1/nothing", "", 404, "not_found", "", ""},
		{"org by non-admin", "mgr", "POST", "/api/v1/orgs", `{"code":"X","name":"x","kind":"outlet","parent":"BJ"}`, 403, "forbidden", "", ""},
		{"org bad parent", "admin", "POST", "/api/v1/orgs", `{"code":"X","name":"x","kind":"outlet","parent":"NOPE"}`, 400, "invalid", "parent", ""},
		{"org under outlet", "admin", "POST", "/api/v1/orgs", `{"code":"X","name":"x","kind":"branch","parent":"BJ-01"}`, 400, "invalid", "kind", ""},
		{"duplicate org", "admin", "POST", "/api/v1/orgs", `{"code":"BJ","name":"x","kind":"branch","parent":"HQ"}`, 409, "conflict", "code", ""},
		{"user bad role", "admin", "POST", "/api/v1/users", `{"login":"x.y","name":"某","role":"king","org":"BJ"}`, 400, "invalid", "role", ""},
		{"duplicate user", "admin", "POST", "/api/v1/users", `{"login":"mgr","name":"某","role":"staff","org":"BJ"}`, 409, "conflict", "login", ""},
		{"wrong content type", "staff", "POST", "/api/v1/cases", "", 415, "unsupported_media_type", "", "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var status int
			var body map[string]any
			switch tt.name {
			case "bad token":
				f.tokens["ghost"] = "rdr_forged"
				status, body = f.call(t, "ghost", tt.method, tt.path, tt.body)
			case "wrong content type":
				req, _ := http.NewRequest("POST", f.srv.URL+tt.path, strings.NewReader("kind=complaint"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Authorization", "Bearer "+f.tokens["staff"])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				status = resp.StatusCode
				json.NewDecoder(resp.Body).Decode(&body)
			default:
				status, body = f.call(t, tt.login, tt.method, tt.path, tt.body)
			}
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, body)
			}
			code, message, fields := errorOf(t, body)
			if code != tt.code {
				t.Fatalf("code %s, want %s", code, tt.code)
			}
			if tt.field != "" && fields[tt.field] == nil {
				t.Fatalf("want fields.%s: %v", tt.field, body)
			}
			if !strings.Contains(message, tt.message) {
				t.Fatalf("message %q does not mention %q", message, tt.message)
			}
		})
	}
	// Nothing above may have half-written a case or left a hole in the chain.
	status, page := f.call(t, "mgr", "GET", "/api/v1/cases", "")
	if status != 200 || len(page["cases"].([]any)) != 1 {
		t.Fatalf("after bad input: %d %v", status, page)
	}
	c := page["cases"].([]any)[0].(map[string]any)
	if c["version"] != 1.0 || c["status"] != "registered" {
		t.Fatalf("the case changed: %v", c)
	}
	_, report := f.call(t, "auditor", "GET", "/api/v1/audit/verify", "")
	if report["ok"] != true {
		t.Fatalf("audit: %v", report)
	}
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	f.create(t)
	// An attacker with access to the database (the SQLite file, or a
	// PostgreSQL login) edits an event behind the server's back.
	raw := testEngine.Raw(t, f.dsn)
	if _, err := raw.Exec(`UPDATE events SET detail = 'forged' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	status, report := f.call(t, "auditor", "GET", "/api/v1/audit/verify", "")
	if status != 200 || report["ok"] != false || report["first_bad"] != 3.0 {
		t.Fatalf("verify after tampering: %d %v", status, report)
	}
	status, _ = f.call(t, "staff", "GET", "/api/v1/audit/verify", "")
	if status != 403 {
		t.Fatalf("staff verifying the chain: %d", status)
	}
}

func TestAdminEndpoints(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	status, o := f.call(t, "admin", "POST", "/api/v1/orgs", `{"code":"SH-01","name":"陆家嘴网点","kind":"outlet","parent":"SH"}`)
	if status != 201 || o["parent"] != "SH" {
		t.Fatalf("create org: %d %v", status, o)
	}
	status, u := f.call(t, "admin", "POST", "/api/v1/users", `{"login":"zhou.li","name":"周丽","role":"staff","org":"SH-01"}`)
	if status != 201 || u["org"] != "SH-01" || u["password"] != nil {
		t.Fatalf("create user: %d %v", status, u)
	}
	status, list := f.call(t, "mgr.sh", "GET", "/api/v1/users", "")
	logins := []string{}
	for _, item := range list["items"].([]any) {
		logins = append(logins, item.(map[string]any)["login"].(string))
	}
	if status != 200 || strings.Join(logins, ",") != "mgr.sh,zhou.li" {
		t.Fatalf("SH manager sees SH users only: %v", logins)
	}
	status, orgs := f.call(t, "staff", "GET", "/api/v1/orgs", "")
	if status != 200 || len(orgs["items"].([]any)) != 5 {
		t.Fatalf("orgs: %d %v", status, orgs)
	}
	status, codes := f.call(t, "staff", "GET", "/api/v1/codes?dimension=B", "")
	if status != 200 || len(codes["items"].([]any)) != 14 {
		t.Fatalf("B codes: %d %d", status, len(codes["items"].([]any)))
	}
	status, _ = f.call(t, "admin", "POST", "/api/v1/codes", `{"dimension":"B","code":"B0601","name":"结构性存款","name_en":"Structured deposits","parent":"B06","active":true}`)
	if status != 200 {
		t.Fatalf("save code: %d", status)
	}
	status, body := f.call(t, "staff", "POST", "/api/v1/codes", `{"dimension":"B","code":"B0602","name":"x","name_en":"x","active":true}`)
	if status != 403 {
		t.Fatalf("staff saving a code: %d %v", status, body)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	status, body := f.call(t, "", "GET", "/healthz", "")
	if status != 200 || body["status"] != "ok" {
		t.Fatalf("healthz: %d %v", status, body)
	}
	f.db.Close()
	status, _ = f.call(t, "", "GET", "/healthz", "")
	if status != 503 {
		t.Fatalf("healthz with the database closed: %d", status)
	}
}

func decodeStrictForTest(body string, dst any) error {
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}

func bytesString(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}
