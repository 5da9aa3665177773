package web

import (
	"net"
	"net/http"
	"strconv"

	"redress"
)

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
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		in.Remote = host
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
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	keep := ""
	if cookie, err := r.Cookie(SessionCookie); err == nil {
		keep = cookie.Value
	}
	if err := s.svc.Sessions.ChangePassword(r.Context(), keep, in); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusAnswer{Status: "password changed; your other sessions are closed"})
	return nil
}

func (s *Server) handleTokenList(w http.ResponseWriter, r *http.Request) error {
	tokens, err := s.svc.Tokens.ListTokens(r.Context(), r.URL.Query().Get("login"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.APIToken]{Items: tokens})
	return nil
}

func (s *Server) handleTokenIssue(w http.ResponseWriter, r *http.Request) error {
	var n redress.NewToken
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &n); err != nil {
		return err
	}
	issued, err := s.svc.Tokens.IssueToken(r.Context(), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, issued)
	return nil
}

func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return redress.Errorf(redress.ENOTFOUND, "token %s not found", r.PathValue("id"))
	}
	if err := s.svc.Tokens.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusAnswer{Status: "revoked"})
	return nil
}
