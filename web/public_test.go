package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"redress"
)

// The public handler's tests run on fakes, not a database: the staff
// credentials below are accepted by every staff check that consults them
// (as an admin of head office), so that a 404 on the public handler shows
// that nothing there consults them, and the call counters show it too.

const (
	staffToken   = "rdr_staff-token"
	staffSession = "staff-session"
)

// grantingAuth is a token and session service that accepts any bearer
// token and any session cookie, and counts the calls.
type grantingAuth struct {
	redress.TokenService   // nil: any other method is not expected and panics
	redress.SessionService // likewise
	calls                  atomic.Int64
}

func (g *grantingAuth) Authenticate(ctx context.Context, token string) (*redress.User, error) {
	g.calls.Add(1)
	return &redress.User{Login: "hq.admin", Role: redress.RoleAdmin, OrgCode: "HQ"}, nil
}

func (g *grantingAuth) SessionUser(ctx context.Context, token string) (*redress.User, error) {
	g.calls.Add(1)
	return &redress.User{Login: "hq.service", Role: redress.RoleHQService, OrgCode: "HQ"}, nil
}

// publicFixture is a server on the granting credential services; the
// tests call its handlers in their own goroutine, so the log needs no lock.
type publicFixture struct {
	s    *Server
	auth *grantingAuth
	log  *bytes.Buffer
}

func newPublicFixture(t *testing.T, portalAuth PortalAuth) *publicFixture {
	t.Helper()
	f := &publicFixture{auth: &grantingAuth{}, log: &bytes.Buffer{}}
	f.s = NewServer(Services{Tokens: f.auth, Sessions: f.auth, PortalAuth: portalAuth,
		Ping: func(context.Context) error { return nil }}, slog.New(slog.NewTextHandler(f.log, nil)))
	return f
}

// staffCredentials adds a staff bearer token and session cookie to r.
func staffCredentials(r *http.Request) *http.Request {
	r.Header.Set("Authorization", "Bearer "+staffToken)
	r.AddCookie(&http.Cookie{Name: SessionCookie, Value: staffSession})
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// concretePath fills a route pattern's wildcards: /cases/{no} → /cases/x.
func concretePath(pattern string) string {
	return regexp.MustCompile(`\{[^}]*\}`).ReplaceAllStringFunc(pattern, func(w string) string {
		if w == "{$}" {
			return ""
		}
		return "x"
	})
}

// TestPublicHandlerReachesNoStaffRoute sends every route of the staff table,
// and a few paths besides, to the public handler with staff credentials
// that the staff handler accepts: each answers 404, and neither the token
// nor the session service is ever asked.
func TestPublicHandlerReachesNoStaffRoute(t *testing.T) {
	t.Parallel()
	f := newPublicFixture(t, nil)
	staff, public := f.s.Handler(), f.s.PublicHandler()

	// The credentials are good on the staff handler, by token and by cookie.
	for name, r := range map[string]*http.Request{
		"token":  httptest.NewRequest("GET", "/api/v1/me", nil),
		"cookie": httptest.NewRequest("GET", "/api/v1/me", nil),
	} {
		if name == "token" {
			r.Header.Set("Authorization", "Bearer "+staffToken)
		} else {
			r.AddCookie(&http.Cookie{Name: SessionCookie, Value: staffSession})
		}
		if rec := serve(staff, r); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"role":"`) {
			t.Fatalf("staff handler, %s: %d %s", name, rec.Code, rec.Body)
		}
	}
	asked := f.auth.calls.Load()
	if asked != 2 {
		t.Fatalf("the staff handler asked the credential services %d times, want 2", asked)
	}

	served := map[string]bool{}
	for _, rt := range f.s.portal {
		served[rt.pattern()] = true
	}
	var paths [][2]string // method, path
	for _, rt := range f.s.routes {
		if served[rt.pattern()] {
			continue // served by both handlers: checked below
		}
		paths = append(paths, [2]string{rt.method, concretePath(rt.path)})
	}
	if len(paths) < 60 {
		t.Fatalf("only %d staff routes: is the table complete?", len(paths))
	}
	for _, p := range []string{"/", "/admin", "/admin/", "/admin/users", "/api/", "/api/v1", "/api/v1/nope", "/api/v1/openapi.json",
		"/cases", "/cases/new", "/login", "/logout", "/search?q=x", "/lang/en"} {
		paths = append(paths, [2]string{"GET", p}, [2]string{"POST", p})
	}
	for _, p := range paths {
		r := staffCredentials(httptest.NewRequest(p[0], p[1], strings.NewReader(`{}`)))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := serve(public, r)
		if rec.Code != http.StatusNotFound {
			t.Errorf("public %s %s: %d, want 404: %s", p[0], p[1], rec.Code, rec.Body)
		}
		if rec.Header().Get("Set-Cookie") != "" || rec.Header().Get("WWW-Authenticate") != "" {
			t.Errorf("public %s %s: answers with staff headers %v", p[0], p[1], rec.Header())
		}
	}
	if n := f.auth.calls.Load(); n != asked {
		t.Fatalf("the public handler asked the credential services %d times", n-asked)
	}
}

// TestPublicHandlerServesHealthAndFiles checks what the public handler does
// serve, with the staff handler's middleware: security headers, the refusal
// of cross-site requests, the access log and the recovery from a panic.
func TestPublicHandlerServesHealthAndFiles(t *testing.T) {
	t.Parallel()
	f := newPublicFixture(t, nil)
	f.s.public.Handle("GET /panic", f.s.portalHandler(route{access: portalPublic, handle: func(http.ResponseWriter, *http.Request) error {
		panic("a defect")
	}}))
	public := f.s.PublicHandler()

	rec := serve(public, staffCredentials(httptest.NewRequest("GET", "/healthz", nil)))
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", rec.Code, rec.Body)
	}
	for header, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "same-origin", "X-Frame-Options": "DENY", "Cache-Control": "no-store",
	} {
		if got := rec.Header().Get(header); got != want {
			t.Errorf("healthz %s: %q, want %q", header, got, want)
		}
	}
	rec = serve(public, httptest.NewRequest("GET", "/static/app.css", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") ||
		rec.Header().Get("Cache-Control") != "public, max-age=3600" {
		t.Fatalf("static file: %d %v", rec.Code, rec.Header())
	}
	cross := httptest.NewRequest("POST", "/healthz", nil)
	cross.Header.Set("Sec-Fetch-Site", "cross-site")
	if rec := serve(public, cross); rec.Code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", rec.Code)
	}
	rec = serve(public, httptest.NewRequest("GET", "/panic", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"code":"internal"`) {
		t.Errorf("panic: %d %s", rec.Code, rec.Body)
	}
	if log := f.log.String(); !strings.Contains(log, "handler=public method=GET path=/healthz status=200") {
		t.Errorf("access log: %s", log)
	}
	if n := f.auth.calls.Load(); n != 0 {
		t.Fatalf("the public handler asked the credential services %d times", n)
	}
}

// TestPortalAuthentication checks the public handler's own authentication
// hook: without one, a customer route is refused; with one, the hook
// decides, and it never sees the staff credentials the request carried.
func TestPortalAuthentication(t *testing.T) {
	t.Parallel()
	type customerKey struct{}
	var seen []*http.Request // the handlers run in the test's goroutine
	hook := func(r *http.Request) (context.Context, error) {
		seen = append(seen, r)
		c, err := r.Cookie("portal_customer")
		if err != nil {
			return nil, redress.Errorf(redress.EUNAUTHORIZED, "sign in to the portal")
		}
		return context.WithValue(r.Context(), customerKey{}, c.Value), nil
	}
	whoami := route{method: "GET", path: "/whoami", access: portalCustomer, handle: func(w http.ResponseWriter, r *http.Request) error {
		customer, _ := r.Context().Value(customerKey{}).(string)
		if redress.UserFrom(r.Context()) != nil {
			customer += " and a staff user"
		}
		cookies := []string{}
		for _, c := range r.Cookies() {
			cookies = append(cookies, c.Name)
		}
		writeJSON(w, http.StatusOK, map[string]any{"customer": customer, "cookies": cookies, "authorization": r.Header.Get("Authorization")})
		return nil
	}}

	none := newPublicFixture(t, nil)
	none.s.public.Handle(whoami.pattern(), none.s.portalHandler(whoami))
	rec := serve(none.s.PublicHandler(), staffCredentials(httptest.NewRequest("GET", "/whoami", nil)))
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") != "" {
		t.Fatalf("no hook: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}

	f := newPublicFixture(t, hook)
	f.s.public.Handle(whoami.pattern(), f.s.portalHandler(whoami))
	public := f.s.PublicHandler()
	rec = serve(public, staffCredentials(httptest.NewRequest("GET", "/whoami", nil)))
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("staff credentials only: %d %s", rec.Code, rec.Body)
	}
	r := staffCredentials(httptest.NewRequest("GET", "/whoami", nil))
	r.AddCookie(&http.Cookie{Name: "portal_customer", Value: "c-42"})
	r.AddCookie(&http.Cookie{Name: langCookie, Value: "en"})
	rec = serve(public, r)
	var got struct {
		Customer      string   `json:"customer"`
		Cookies       []string `json:"cookies"`
		Authorization string   `json:"authorization"`
	}
	if err := json.NewDecoder(io.Reader(rec.Body)).Decode(&got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("customer: %d %v %s", rec.Code, err, rec.Body)
	}
	if got.Customer != "c-42" || got.Authorization != "" || !slices.Equal(got.Cookies, []string{"portal_customer", langCookie}) {
		t.Fatalf("the handler saw %+v", got)
	}
	if len(seen) != 2 {
		t.Fatalf("the hook was asked %d times, want 2", len(seen))
	}
	for _, r := range seen {
		if _, err := r.Cookie(SessionCookie); err == nil || r.Header.Get("Authorization") != "" {
			t.Fatalf("the hook saw staff credentials: %v", r.Header)
		}
	}
	if n := f.auth.calls.Load() + none.auth.calls.Load(); n != 0 {
		t.Fatalf("the public handler asked the credential services %d times", n)
	}
}
