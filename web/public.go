package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"redress"
)

// PortalAuth authenticates a customer of the portal: it returns the
// request's context carrying the customer, or an error (unauthorized). It is
// the public handler's only authentication: the request it is given carries
// neither an Authorization header nor the staff session cookie, so the
// portal's own credentials travel in a cookie of its own.
type PortalAuth func(r *http.Request) (context.Context, error)

// PublicHandler returns the public handler, where the customer portal will
// live: its own mux and route table, its own authentication
// (Services.PortalAuth), and the same middleware as Handler (security
// headers, cross-site refusal, access log, panic recovery). Staff
// credentials are removed from every request before the mux sees it, and
// no staff route is registered: the API, the staff pages and /admin answer
// 404. It serves GET /healthz, the static files, the customer portal's
// pages under /portal/ (portal_page.go) and its API under /api/v1/public/
// (portal.go).
func (s *Server) PublicHandler() http.Handler {
	return s.middleware(s.log.With(slog.String("handler", "public")), withoutStaffCredentials(s.public))
}

// portalRoutes is the public handler's route table.
func (s *Server) portalRoutes() []route {
	routes := []route{
		{method: "GET", path: "/healthz", access: portalPublic, handle: s.handleHealth},
		{method: "GET", path: "/static/", access: portalPublic, handle: s.handleStatic},
		{method: "GET", path: "/assets/{hash}/{path...}", access: portalPublic, handle: s.handleAsset},
		{method: "GET", path: "/survey/{token}", access: portalPublic, handle: s.handleSurvey},        // portal_survey.go
		{method: "POST", path: "/survey/{token}", access: portalPublic, handle: s.handleSurveyAnswer}, // portal_survey.go
	}
	if s.svc.Portal == nil {
		return routes
	}
	return slices.Concat(routes, s.portalAPIRoutes(), s.portalPageRoutes())
}

// portalHandler adapts a route of the portal table to http.Handler: the
// client address goes into the context (the store's audit events record
// it); the customer, when the route needs one, comes from
// Services.PortalAuth; errors are answered in the JSON error shape, or, for
// a page (under /portal/), as the portal's error page, a page without a
// customer sending the browser to the tracking page.
func (s *Server) portalHandler(rt route) http.Handler {
	if rt.access != portalPublic && rt.access != portalCustomer {
		panic(fmt.Sprintf("web: route %s: access %d has no place on the public handler", rt.pattern(), rt.access))
	}
	rt = rt.checked()
	page := strings.HasPrefix(rt.path, "/portal/")
	fail := func(w http.ResponseWriter, r *http.Request, err error) {
		switch {
		case page:
			s.portalPageError(w, r, err)
		case !writeTooMany(w, err):
			s.writeProblem(w, r, err)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(redress.WithClientAddress(r.Context(), clientHost(r)))
		if rt.access == portalCustomer {
			ctx, err := s.portalAuthenticate(r)
			if err != nil {
				fail(w, r, err)
				return
			}
			r = r.WithContext(ctx)
		}
		if err := rt.handle(w, r); err != nil {
			fail(w, r, err)
		}
	})
}

// portalAuthenticate asks Services.PortalAuth for the customer.
func (s *Server) portalAuthenticate(r *http.Request) (context.Context, error) {
	if s.svc.PortalAuth == nil {
		return nil, redress.Errorf(redress.EUNAUTHORIZED, "the customer portal has no sign-in")
	}
	ctx, err := s.svc.PortalAuth(r)
	if err != nil {
		return nil, fmt.Errorf("portal sign-in: %w", err)
	}
	return ctx, nil
}

// withoutStaffCredentials removes the Authorization header and the staff
// session cookie from each request, so that nothing behind it can consult
// them, even by mistake.
func withoutStaffCredentials(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.Clone(r.Context())
		r.Header.Del("Authorization")
		cookies := r.Cookies()
		r.Header.Del("Cookie")
		for _, c := range cookies {
			if c.Name != SessionCookie {
				r.AddCookie(c)
			}
		}
		next.ServeHTTP(w, r)
	})
}
