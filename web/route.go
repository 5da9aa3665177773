package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"redress"
)

// access says who may use a route and how its errors are answered.
type access int

const (
	// apiAuth is an API operation for a signed-in caller (bearer token or
	// session cookie); errors are answered in the JSON error shape.
	apiAuth access = iota
	// apiPublic is an API operation that needs no caller.
	apiPublic
	// pageAuth is a staff page: the session cookie signs the user in, else
	// the browser is sent to the sign-in page; errors are an HTML page.
	pageAuth
	// pageOpen is a page or file that needs no sign-in: the sign-in page
	// itself, the language switch, the static files.
	pageOpen
	// portalPublic is a route of the public handler that needs no customer.
	portalPublic
	// portalCustomer is a route of the public handler for a customer,
	// authenticated by Services.PortalAuth.
	portalCustomer
)

// route is one entry of a route table: the mux pattern, who may use it, its
// handler and, for an API operation, what the OpenAPI document says of it.
type route struct {
	method, path string
	access       access
	handle       func(w http.ResponseWriter, r *http.Request) error

	// For the OpenAPI document (API operations only).
	summary   string
	multipart bool // the body is multipart/form-data (file, note), not JSON
	status    int  // success status
	body      any  // request body type, for the document
	query     []param
	out       any // response body type, for the document; nil for a file
	// schemas says of query parameters what their type cannot (openapi.go):
	// by name, JSON Schema keywords (minimum, maximum, maxLength, enum,
	// format) and "required": true.
	schemas map[string]object
	// files are the content types of a file answer (out nil); none is
	// application/octet-stream.
	files []string
}

// param is a query parameter of a route.
type param struct{ name, typ, doc string }

// pattern is the route's http.ServeMux pattern.
func (rt route) pattern() string { return rt.method + " " + rt.path }

// api reports whether the route is an operation of the JSON API, which the
// OpenAPI document describes.
func (rt route) api() bool {
	return rt.access == apiAuth || rt.access == apiPublic || (rt.summary != "" && strings.HasPrefix(rt.path, "/api/"))
}

// staffHandler adapts a route of the staff table to http.Handler by its access.
func (s *Server) staffHandler(rt route) http.Handler {
	rt = rt.checked()
	switch rt.access {
	case apiAuth, apiPublic:
		return s.endpoint(rt)
	case pageAuth:
		return s.page(rt.handle)
	case pageOpen:
		return s.openPage(rt.handle)
	}
	panic(fmt.Sprintf("web: route %s: access %d has no place on the staff handler", rt.pattern(), rt.access))
}

// checked returns the route with its handler behind checkInput: text that
// no engine may store is refused before the handler runs (after the
// caller is authenticated).
func (rt route) checked() route {
	handle, pattern := rt.handle, rt.path
	rt.handle = func(w http.ResponseWriter, r *http.Request) error {
		if err := checkInput(w, r, pattern); err != nil {
			return err
		}
		return handle(w, r)
	}
	return rt
}

// endpoint adapts an API route to http.Handler: authentication, then the
// handler, then the error shape.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.access != apiPublic {
			u, err := s.authenticate(r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			// A session whose password an admin reset reaches only the
			// change; an API token is not held back (the reset revoked them all).
			if r.Header.Get("Authorization") == "" && !mustChangeAllows(u, r.Method, rt.path) {
				s.writeError(w, r, redress.Errorf(redress.EFORBIDDEN, "change your password first: POST /api/v1/me/password"))
				return
			}
			r = r.WithContext(redress.WithUser(r.Context(), u))
		}
		if err := rt.handle(w, r); err != nil && !writeTooMany(w, err) {
			s.writeError(w, r, err)
		}
	})
}

// page wraps a page handler: the session cookie signs the user in, or the
// browser is sent to the sign-in page.
func (s *Server) page(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookie, err := r.Cookie(SessionCookie)
		if err != nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		u, err := s.svc.Sessions.SessionUser(r.Context(), cookie.Value)
		if err != nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if !mustChangeAllows(u, r.Method, r.URL.Path) {
			http.Redirect(w, r, accountPasswordPath, http.StatusSeeOther)
			return
		}
		r = r.WithContext(redress.WithUser(r.Context(), u))
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// openPage wraps a page handler that needs no sign-in; an error is an HTML page.
func (s *Server) openPage(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}
