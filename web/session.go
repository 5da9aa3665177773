package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"redress"
)

// sessionRoutes are sign-in and sign-out, by the API and by the sign-in
// page, and the change of one's own password.
func (s *Server) sessionRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/session", summary: "Sign in with login and password: sets the session cookie; too many attempts per client address or login answer 429 with Retry-After", access: apiPublic,
			status: http.StatusCreated, body: redress.SignIn{}, out: redress.User{}, handle: s.handleSignIn},
		{method: "DELETE", path: "/api/v1/session", summary: "Sign out: ends the session and clears the cookie", access: apiPublic,
			out: statusAnswer{}, handle: s.handleSignOut},
		{method: "POST", path: "/api/v1/me/password", summary: "Change one's own password; closes one's other sessions and revokes all one's API tokens",
			body: redress.PasswordChange{}, out: statusAnswer{}, handle: s.handlePasswordChange},
		{method: "GET", path: "/login", access: pageOpen, handle: s.handleLoginPage},
		{method: "POST", path: "/login", access: pageOpen, handle: s.handleLoginSubmit},
		{method: "POST", path: "/logout", access: pageOpen, handle: s.handleLogoutSubmit},
	}
}

// secureRequest reports whether the client reached us over TLS, directly or
// through a proxy that says so; the session cookie is then marked Secure.
func secureRequest(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	var in redress.SignIn
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	in.Remote = clientHost(r)
	if err := s.allowSignIn(r, in.Login); err != nil {
		return err
	}
	token, u, err := s.svc.Sessions.SignIn(r.Context(), in)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token, int(redress.AbsoluteTimeout.Seconds()))
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if cookie, err := r.Cookie(SessionCookie); err == nil {
		if err := s.svc.Sessions.SignOut(r.Context(), cookie.Value); err != nil {
			return err
		}
	}
	s.setSessionCookie(w, r, "", -1)
	writeJSON(w, http.StatusOK, statusAnswer{Status: "signed out"})
	return nil
}

func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request) error {
	var in redress.PasswordChange
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	keep := ""
	if cookie, err := r.Cookie(SessionCookie); err == nil {
		keep = cookie.Value
	}
	if err := s.svc.Sessions.ChangePassword(r.Context(), keep, in); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusAnswer{Status: "password changed; your other sessions are closed and your API tokens revoked"})
	return nil
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "login", &pageData{Title: "login.title", Form: url.Values{"next": {safeNext(r.URL.Query().Get("next"))}}})
	return nil
}

// clientHost is the client's address without its port, IPv6 included
// ("[::1]:5000" → "::1"), as the sign-in's audit and lockout record it.
func clientHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	// Browsers read a backslash as a slash and drop tabs and newlines, so
	// "/\\evil.example" and "/\t/evil.example" would leave the site: only a
	// plain path with no host part, no backslash and no control character stays.
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// handleLoginSubmit signs in from the sign-in page; a problem comes back on
// the page, never as an error.
func (s *Server) handleLoginSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.render(w, r, http.StatusOK, "login", &pageData{Title: "login.title", Error: "login.failed"})
		return nil
	}
	in := redress.SignIn{Login: strings.TrimSpace(r.PostForm.Get("login")), Password: r.PostForm.Get("password")}
	in.Remote = clientHost(r)
	err := s.allowSignIn(r, in.Login)
	var token string
	if err == nil {
		token, _, err = s.svc.Sessions.SignIn(r.Context(), in)
	}
	if err != nil {
		form := url.Values{"login": {in.Login}, "next": {safeNext(r.PostForm.Get("next"))}}
		status, msg := http.StatusOK, redress.ErrorMessage(err)
		if retryAfter(w, err) {
			// Not a problem with the form: the browser is told to wait.
			status, msg = http.StatusTooManyRequests, "login.too_many"
		}
		s.render(w, r, status, "login", &pageData{Title: "login.title", Error: msg, Form: form})
		return nil
	}
	s.setSessionCookie(w, r, token, int(redress.AbsoluteTimeout.Seconds()))
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) handleLogoutSubmit(w http.ResponseWriter, r *http.Request) error {
	if cookie, err := r.Cookie(SessionCookie); err == nil {
		_ = s.svc.Sessions.SignOut(r.Context(), cookie.Value) // signed out either way: the cookie goes
	}
	s.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
