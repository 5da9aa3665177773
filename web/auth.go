package web

import (
	"net/http"
	"strings"

	"redress"
)

// authenticate finds the acting staff user from an API token or, failing
// that, the browser session cookie. Only the staff handler calls it.
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
