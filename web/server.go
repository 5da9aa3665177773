// Package web serves Redress over HTTP: the JSON API under /api/v1 and, in
// later stages, the staff pages. Handlers parse, make one service call and
// render; every rule lives in the services.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"redress"
)

// Services are what the server calls; cmd/redress wires the sqldb ones.
type Services struct {
	Cases    redress.CaseService
	Orgs     redress.OrgService
	Users    redress.UserService
	Tokens   redress.TokenService
	Sessions redress.SessionService
	Codes    redress.CodeService
	Audit    redress.AuditService
	// Deadlines computes due dates and edits the holiday calendar.
	Deadlines redress.DeadlineService
	// Stats computes statistics over the cases in scope.
	Stats redress.StatsService
	// Search finds cases by number, name or text.
	Search redress.SearchService
	// Evidence keeps the files of cases.
	Evidence redress.EvidenceService
	// Notifications lists and acknowledges the acting user's in-app notifications.
	Notifications redress.NotificationService
	Ping          func(ctx context.Context) error // the database answers
}

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "redress_session"

// Server is the HTTP front of Redress.
type Server struct {
	svc    Services
	log    *slog.Logger
	routes []route
	mux    *http.ServeMux
	ui     *ui
}

// route is one API operation: the mux pattern, what the OpenAPI document
// says of it, and its handler.
type route struct {
	method, path string
	summary      string
	public       bool // needs no token
	multipart    bool // the body is multipart/form-data (file, note), not JSON
	status       int  // success status
	body         any  // request body type, for the document
	query        []param
	out          any // response body type, for the document; nil for a file
	handle       func(w http.ResponseWriter, r *http.Request) error
}

// param is a query parameter of a route.
type param struct{ name, typ, doc string }

// NewServer builds the server, its API routes and its pages. The templates
// and messages are embedded, so failing to parse them is a defect of the
// build, caught by the tests: it panics.
func NewServer(svc Services, log *slog.Logger) *Server {
	pages, err := newUI()
	if err != nil {
		panic("web: templates: " + err.Error())
	}
	s := &Server{svc: svc, log: log, mux: http.NewServeMux(), ui: pages}
	s.pageRoutes()
	s.routes = append(append(append(s.apiRoutes(), s.deadlineRoutes()...), s.notificationRoutes()...), s.evidenceRoutes()...)
	s.routes = append(append(s.routes, s.searchRoutes()...), s.statsRoutes()...)
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.path, s.endpoint(rt))
	}
	s.mux.Handle("/api/", s.endpoint(route{public: true, handle: func(w http.ResponseWriter, r *http.Request) error {
		return redress.Errorf(redress.ENOTFOUND, "no API operation %s %s", r.Method, r.URL.Path)
	}}))
	return s
}

// Handler returns the server's root handler with its middleware. Cross-site
// state-changing requests from browsers are refused before anything else
// (http.CrossOriginProtection reads Sec-Fetch-Site and Origin); API clients
// that send neither, like curl or an integration, are unaffected.
func (s *Server) Handler() http.Handler {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, redress.Errorf(redress.EFORBIDDEN, "cross-site request refused"))
	}))
	return s.recoverPanics(s.logRequests(securityHeaders(csrf.Handler(s.mux))))
}

// endpoint adapts a route to http.Handler: authentication, then the handler,
// then the error shape.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !rt.public {
			u, err := s.authenticate(r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			r = r.WithContext(redress.WithUser(r.Context(), u))
		}
		if err := rt.handle(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authenticate finds the acting user from an API token or, failing that,
// the browser session cookie.
func (s *Server) authenticate(r *http.Request) (*redress.User, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		if cookie, err := r.Cookie(SessionCookie); err == nil {
			return s.svc.Sessions.SessionUser(r.Context(), cookie.Value)
		}
		return nil, redress.Errorf(redress.EUNAUTHORIZED, "sign in, or send an API token: Authorization: Bearer <token>")
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, redress.Errorf(redress.EUNAUTHORIZED, "the Authorization header must be: Bearer <token>")
	}
	return s.svc.Tokens.Authenticate(r.Context(), strings.TrimSpace(token))
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status a handler wrote, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// logRequests logs one line per request: method, path, status, duration and
// the acting user's login. Bodies and query strings, which may carry
// personal data, are never logged.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.log.InfoContext(r.Context(), "http", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Duration("took", time.Since(start)))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
