package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"redress/web"
)

// The attack suite (issue 11, item 9): every operation of the OpenAPI
// document and every page route, with hostile path values, query
// parameters, bodies and forms, on both engines. No answer may be a 5xx,
// none may take longer than attackTimeout, and a refused request (4xx, or
// a page form shown again) must leave the case's version and the audit
// chain's head as they were.
//
// The API's operations and the pages' routes are attacked in parallel
// parts (apiParts and formParts of them, each on its own copy of the bank,
// the operations and routes dealt out in turn), so that the suite, the
// package's longest test, neither holds one of the package's parallel slots
// for minutes nor waits for a slot with all its work.
func TestAttackSuite_Issue11Item9(t *testing.T) {
	t.Parallel()
	fields := discoverForms(t, newAttack(t, newAPIWithPasswords(t)))
	type part struct {
		name string
		run  func(a *attack, t *testing.T)
	}
	var parts []part
	for i := range apiParts {
		parts = append(parts, part{fmt.Sprintf("api-%d", i+1), func(a *attack, t *testing.T) { a.api(t, i, apiParts) }})
	}
	for i := range formParts {
		parts = append(parts, part{fmt.Sprintf("forms-%d", i+1), func(a *attack, t *testing.T) { a.forms(t, fields, i, formParts) }})
	}
	for _, p := range parts {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			f := newAPIWithPasswords(t)
			a := newAttack(t, f)
			p.run(a, t)
			t.Logf("attack suite (%s) on %s: %d hostile requests, %d answered 5xx, %d hung, %d half-written",
				p.name, testEngine.Name, a.requests, a.fivexx, a.hung, a.halfWritten)
			if a.requests == 0 {
				t.Fatal("no request sent")
			}
			if a.fivexx+a.hung+a.halfWritten > 0 {
				t.Fatalf("%d answers 5xx, %d hung, %d half-written (see above)", a.fivexx, a.hung, a.halfWritten)
			}
		})
	}
}

// The parts of the attack suite: a page's request costs about five of the
// API's (the pages render, the forms are large), so the forms get more.
const (
	apiParts  = 2
	formParts = 4
)

// attackTimeout bounds one hostile request: a hang is a failure, not a
// test that never ends. It is 30 s, not 10: a sign-in's argon2id hash waits
// for one of its four slots, and with the whole package's tests on two
// cores a hostile sign-in took over 10 s without hanging.
const attackTimeout = 30 * time.Second

// hostileText is what each path value, query parameter and form field is
// tried with: text no engine may store, numbers beyond every integer type,
// the empty and the very long, and the classics of injection.
var hostileText = []string{
	"a\x00b", "\xff\xfe", "王\xe4", "", " ", "-1", "0", "2147483648", "9223372036854775807", hugeNumber, "-99999999999999999999",
	"1e400", "NaN", "2026-13-45", "' OR 1=1 --", "../../../etc/passwd", "%00", "<script>x</script>",
	"\u202eevil\u200b", strings.Repeat("长", 3000),
}

const hugeNumber = "99999999999999999999"

// hostileJSON are the values each property of a request body is tried with.
var hostileJSON = []string{
	`"a\u0000b"`, "\"\xff\"", `"\ud800"`, `99999999999999999999`, `2147483648`, `9223372036854775807`, `-1`, `1e308`, `0.5`, `null`, `true`,
	`{}`, `[]`, `[null]`, `"` + strings.Repeat("长", 3000) + `"`, `"2026-13-45T25:61:00Z"`, `""`,
}

// hostileBodies are whole bodies tried on every operation that takes one.
var hostileBodies = []string{
	`null`, `[]`, `"x"`, `1`, `{}`, `{"a":1,"a":1}`, "{\"x\":\"\xff\"}", `{"x":"\u0000"}`, `{`, `{}{}`,
	strings.Repeat("[", 20000) + strings.Repeat("]", 20000), `{"x":` + strings.Repeat("9", 5000) + `}`,
}

type attack struct {
	f      *apiFixture
	raw    *sql.DB
	no     string // the case every request aims at
	client *http.Client
	pages  map[string]*http.Client // signed-in page clients by login

	requests, fivexx, hung, halfWritten int
}

func newAttack(t *testing.T, f *apiFixture) *attack {
	a := &attack{f: f, raw: testEngine.Raw(t, f.dsn), no: f.create(t)["no"].(string),
		client: &http.Client{Timeout: attackTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		pages:  map[string]*http.Client{}}
	for _, login := range []string{"mgr", "admin"} {
		c := pageClient(t, f, login)
		c.Timeout, c.CheckRedirect = a.client.Timeout, a.client.CheckRedirect
		a.pages[login] = c
	}
	return a
}

// state is what a refused request must not change.
type state struct {
	version int
	head    string
}

func (a *attack) state(t *testing.T) state {
	t.Helper()
	var s state
	var seq int64
	ctx := context.Background()
	if err := a.raw.QueryRowContext(ctx, `SELECT version FROM cases WHERE no = '`+a.no+`'`).Scan(&s.version); err != nil {
		t.Fatalf("the case's version: %v", err)
	}
	if err := a.raw.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head`).Scan(&seq, &s.head); err != nil {
		t.Fatalf("the audit head: %v", err)
	}
	s.head = fmt.Sprintf("%d %s", seq, s.head)
	return s
}

// send sends one hostile request and checks its answer. A refusal (a 4xx,
// or a page shown again with its problem) must have changed nothing, but a
// refused sign-in, which is audited by design, may move the head.
func (a *attack) send(t *testing.T, client *http.Client, login, method, path, contentType, body string) {
	t.Helper()
	before := a.state(t)
	base := a.f.srv.URL
	if strings.HasPrefix(path, "/api/v1/public/") {
		base = a.f.public.URL // the customer portal's API is on the public handler
	}
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return // a URL no client can send
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+a.f.tokens[login])
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	a.requests++
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout") {
			a.hung++
			t.Errorf("%s %.120q hung (over %s)", method, path, attackTimeout)
			return
		}
		t.Fatalf("%s %.120q: %v", method, path, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		a.fivexx++
		t.Errorf("%s %.120q %.200q: %d %.300s", method, path, body, resp.StatusCode, raw)
		return
	}
	refused := resp.StatusCode >= 400 || (resp.StatusCode == http.StatusOK && strings.Contains(string(raw), `class="error" role="alert"`))
	// A refused sign-in or code check is audited (session.failed, case.portal_track).
	signIn := path == "/api/v1/session" || path == "/login" || strings.HasPrefix(path, "/api/v1/public/track")
	if refused && !signIn {
		if after := a.state(t); after != before {
			a.halfWritten++
			t.Errorf("%s %.120q %.200q refused with %d, yet changed the state: %v → %v", method, path, body, resp.StatusCode, before, after)
		}
	}
}

// pathValues are the honest values of the path parameters: the requests
// reach as deep as they can (a destructive one names nothing that exists).
func (a *attack) pathValues(method string) map[string]string {
	v := map[string]string{"no": a.no, "action": "accept", "login": "staff", "id": "999999", "region": "CN",
		"year": "2026", "name": "complaint", "form": "registration", "lang": "en", "org": "BJ"}
	if method == "GET" {
		v["id"] = "1"
	}
	return v
}

var pathParam = regexp.MustCompile(`\{(\w+)(\.\.\.)?\}`)

// paths answers the path with honest values, then with each parameter
// (and the rest of a prefix pattern) hostile in turn.
func (a *attack) paths(method, pattern string) []string {
	honest := a.pathValues(method)
	fill := func(hostile string, with string) string {
		return pathParam.ReplaceAllStringFunc(strings.TrimSuffix(pattern, "{$}"), func(m string) string {
			name := pathParam.FindStringSubmatch(m)[1]
			if name == hostile {
				return url.PathEscape(with)
			}
			return url.PathEscape(honest[name])
		})
	}
	out := []string{fill("", "")}
	if strings.HasSuffix(pattern, "/") { // a prefix: anything may follow
		for _, v := range hostileText {
			out = append(out, pattern+url.PathEscape(v))
		}
	}
	for _, m := range pathParam.FindAllStringSubmatch(pattern, -1) {
		for _, v := range hostileText {
			if v != "" {
				out = append(out, fill(m[1], v))
			}
		}
	}
	return out
}

// userFor is who tries an API path: the admin its pages, the auditor the
// audit trail, the manager the rest.
func userFor(path string) string {
	for _, admin := range []string{"/orgs", "/users", "/codes", "/calendar", "/policies", "/tokens", "/settings", "/admin/"} {
		if strings.Contains(path, admin) {
			return "admin"
		}
	}
	if strings.Contains(path, "/audit") {
		return "auditor"
	}
	return "mgr"
}

// unstorable reports whether v is text that checkInput refuses in any path
// value, query parameter or form field, before the handler runs: not UTF-8,
// or a NUL.
func unstorable(v string) bool { return !utf8.ValidString(v) || strings.ContainsRune(v, 0) }

// api tries every operation of the OpenAPI document. Each declared query
// parameter gets every hostile value the handler may see; the values that
// checkInput refuses whatever the parameter (unstorable) go in one
// parameter the operation does not declare, with the empty and the long
// value: every route of both handlers is behind checkInput (route.checked),
// and these requests prove it of each operation.
//
// It takes the operations of part (from 0) of parts, dealt out in turn.
func (a *attack) api(t *testing.T, part, parts int) {
	status, doc := a.f.call(t, "", "GET", "/api/v1/openapi.json", "")
	if status != 200 {
		t.Fatalf("openapi.json: %d", status)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	pathsDoc := doc["paths"].(map[string]any)
	patterns := slices.Sorted(maps.Keys(pathsDoc))
	n := 0
	for _, pattern := range patterns {
		for _, method := range slices.Sorted(maps.Keys(pathsDoc[pattern].(map[string]any))) {
			if n++; (n-1)%parts != part {
				continue
			}
			op := pathsDoc[pattern].(map[string]any)[method].(map[string]any)
			method = strings.ToUpper(method)
			login := userFor(pattern)
			if pattern == "/api/v1/session" && method == "DELETE" {
				continue // signing out: the token is not a session; nothing to attack
			}
			for _, path := range a.paths(method, pattern) {
				a.send(t, a.client, login, method, path, "", "")
			}
			base := a.paths(method, pattern)[0]
			var query []string
			if params, ok := op["parameters"].([]any); ok {
				for _, p := range params {
					if p := p.(map[string]any); p["in"] == "query" {
						query = append(query, p["name"].(string))
					}
				}
			}
			for _, name := range query {
				for _, v := range hostileText {
					if !unstorable(v) {
						a.send(t, a.client, login, method, base+"?"+url.QueryEscape(name)+"="+url.QueryEscape(v), "", "")
					}
				}
			}
			for _, v := range hostileText {
				if unstorable(v) || v == "" || v == hostileText[len(hostileText)-1] {
					a.send(t, a.client, login, method, base+"?unknown="+url.QueryEscape(v), "", "")
				}
			}
			body, ok := op["requestBody"].(map[string]any)
			if !ok {
				continue
			}
			content := body["content"].(map[string]any)
			js, ok := content["application/json"].(map[string]any)
			if !ok { // multipart: the file upload, whose parts are another item's; try JSON at it
				a.send(t, a.client, login, method, base, "application/json", `{"note":"a\u0000b"}`)
				continue
			}
			for _, b := range hostileBodies {
				a.send(t, a.client, login, method, base, "application/json", b)
			}
			a.send(t, a.client, login, method, base, "application/json; charset=latin1", `{}`)
			a.send(t, a.client, login, method, base, "text/plain", `{}`)
			depth := 2
			if strings.HasPrefix(pattern, "/api/v1/public/") {
				depth = 1 // the portal's nested types (the complainant) are the staff API's, attacked there to depth 2
			}
			for _, b := range propertyBodies(schemas, js["schema"].(map[string]any), depth) {
				a.send(t, a.client, login, method, base, "application/json", b)
			}
		}
	}
}

// jsonKind is the kind of a JSON literal of hostileJSON: string, number,
// null, boolean, object or array.
func jsonKind(literal string) string {
	switch literal[0] {
	case '"':
		return "string"
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "number"
}

// schemaKind is the kind of JSON value a property's schema asks for, ""
// when it does not say.
func schemaKind(schema map[string]any) string {
	if _, ok := schema["$ref"]; ok {
		return "object"
	}
	switch schema["type"] {
	case "string":
		return "string"
	case "integer", "number":
		return "number"
	case "boolean", "array", "object":
		return schema["type"].(string)
	}
	return ""
}

// hostileFor returns the hostile values to try in a property of the kind:
// every value of that kind and null, which reach checkJSON and the handler,
// and one value of each other kind. The request decoder (decodeStrict, the
// same for every operation, no field tagged ",string") refuses a value of
// the wrong kind by its kind, whatever its text, before any handler sees
// it: 99999999999999999999 and 0.5 in a string property take the same path.
// A property whose schema names no kind gets every value.
func hostileFor(kind string) []string {
	if kind == "" {
		return hostileJSON
	}
	var out []string
	tried := map[string]bool{}
	for _, v := range hostileJSON {
		k := jsonKind(v)
		if k == kind || k == "null" || !tried[k] {
			out = append(out, v)
		}
		tried[k] = true
	}
	return out
}

// propertyBodies makes one body per property of the schema and hostile
// value for its kind (hostileFor; nested objects to depth), the property's
// name in another case, and the property twice.
func propertyBodies(schemas map[string]any, schema map[string]any, depth int) []string {
	if ref, ok := schema["$ref"].(string); ok {
		schema, _ = schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	}
	props, _ := schema["properties"].(map[string]any)
	var out []string
	for _, name := range slices.Sorted(maps.Keys(props)) {
		key, _ := json.Marshal(name)
		sub, _ := props[name].(map[string]any)
		for _, v := range hostileFor(schemaKind(sub)) {
			out = append(out, `{`+string(key)+`:`+v+`}`)
		}
		out = append(out, `{"`+strings.ToUpper(name[:1])+name[1:]+`":1}`, `{`+string(key)+`:1,`+string(key)+`:1}`)
		if depth > 1 {
			wrap := `{` + string(key) + `:%s}`
			if items, ok := sub["items"].(map[string]any); ok {
				sub, wrap = items, `{`+string(key)+`:[%s]}`
			}
			for _, inner := range propertyBodies(schemas, sub, depth-1) {
				out = append(out, fmt.Sprintf(wrap, inner))
			}
		}
	}
	return out
}

// formNames are the names of the controls of every form the pages show.
var formNames = regexp.MustCompile(`name="([^"]+)"`)

// formFields are the controls the pages show, found once for every part
// of the forms.
type formFields struct {
	// every are the names of the controls of every page; onPage the names
	// each GET page pattern shows.
	every  []string
	onPage map[string]map[string]bool
	// everyField is, for each hostile value, a form with it in every field,
	// encoded once: with the long value that is megabytes, which encoding
	// again for every route cost more than the requests.
	everyField []string
}

// discoverForms reads every GET page as the manager and as the admin and
// collects the names of the controls of their forms.
func discoverForms(t *testing.T, a *attack) *formFields {
	t.Helper()
	names := map[string]bool{}
	ff := &formFields{onPage: map[string]map[string]bool{}}
	for _, rt := range web.PageRoutes(a.f.server) {
		if rt.Method != "GET" || strings.HasPrefix(rt.Path, "/static/") {
			continue
		}
		ff.onPage[rt.Path] = map[string]bool{}
		for _, client := range a.pages {
			resp, err := client.Get(a.f.srv.URL + a.paths("GET", rt.Path)[0])
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, m := range formNames.FindAllStringSubmatch(string(raw), -1) {
				names[m[1]], ff.onPage[rt.Path][m[1]] = true, true
			}
		}
	}
	ff.every = slices.Sorted(maps.Keys(names))
	if len(ff.every) < 20 {
		t.Fatalf("only %d form fields found on the pages: %v", len(ff.every), ff.every)
	}
	for _, v := range hostileText {
		form := url.Values{}
		for _, name := range ff.every {
			form.Set(name, v)
		}
		ff.everyField = append(ff.everyField, form.Encode())
	}
	return ff
}

// fieldsOf are the fields tried one at a time on a route: those of the page
// that shows its form (the same pattern, or the nearest above it:
// /registers/lost/{id}/step is posted from /registers/lost/{id}), else
// every field of every page.
func (ff *formFields) fieldsOf(pattern string) []string {
	for p := pattern; p != ""; p = p[:max(strings.LastIndex(p, "/"), 0)] {
		if fields := ff.onPage[p]; len(fields) > 0 {
			return slices.Sorted(maps.Keys(fields))
		}
	}
	return ff.every
}

// forms tries the page routes of part (from 0) of parts, dealt out in
// turn: hostile path values, hostile queries made of every control name,
// and for a form hostile values in every field, then a number beyond every
// integer in each field of the page that shows it, the others missing.
func (a *attack) forms(t *testing.T, ff *formFields, part, parts int) {
	routes := web.PageRoutes(a.f.server)
	n := 0
	for _, rt := range routes {
		if rt.Path == "/logout" {
			continue // would end the page client's session
		}
		if n++; (n-1)%parts != part {
			continue
		}
		login := "mgr"
		if strings.HasPrefix(rt.Path, "/admin/") {
			login = "admin"
		}
		client := a.pages[login]
		for _, path := range a.paths(rt.Method, rt.Path) {
			a.send(t, client, "", rt.Method, path, "", "")
		}
		base := a.paths(rt.Method, rt.Path)[0]
		for i, v := range hostileText {
			if rt.Method == "GET" {
				a.send(t, client, "", "GET", base+"?"+ff.everyField[i], "", "")
				continue
			}
			a.send(t, client, "", rt.Method, base, "application/x-www-form-urlencoded", ff.everyField[i])
			if v == hugeNumber { // one field a number beyond every integer, the others missing
				for _, name := range ff.fieldsOf(rt.Path) {
					a.send(t, client, "", rt.Method, base, "application/x-www-form-urlencoded", url.Values{name: {v}}.Encode())
				}
			}
		}
	}
}
