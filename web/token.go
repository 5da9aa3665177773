package web

import (
	"net/http"
	"net/url"
	"strconv"

	"redress"
)

// tokenRoutes are the API tokens: the API and the page (each user manages
// their own; an admin anyone's).
func (s *Server) tokenRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/tokens", summary: "API tokens: one's own, or a user's for an admin",
			query: []param{{"login", "string", "whose tokens (admin)"}}, out: listAnswer[redress.APIToken]{}, handle: s.handleTokenList},
		{method: "POST", path: "/api/v1/tokens", summary: "Issue an API token for oneself; the token is in this answer only",
			status: http.StatusCreated, body: redress.NewToken{}, out: redress.IssuedToken{}, handle: s.handleTokenIssue},
		{method: "DELETE", path: "/api/v1/tokens/{id}", summary: "Revoke a token: one's own, or anyone's for an admin",
			out: statusAnswer{}, handle: s.handleTokenRevoke},
		{method: "GET", path: "/admin/tokens", access: pageAuth, handle: s.handleAdminTokens},
		{method: "POST", path: "/admin/tokens", access: pageAuth, handle: s.handleAdminTokenIssue},
		{method: "POST", path: "/admin/tokens/{id}/revoke", access: pageAuth, handle: s.handleAdminTokenRevoke},
	}
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
	if err := readJSON(w, r, &n); err != nil {
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

func (s *Server) handleAdminTokens(w http.ResponseWriter, r *http.Request) error {
	return s.adminTokensPage(w, r, &pageData{}, nil)
}

func (s *Server) adminTokensPage(w http.ResponseWriter, r *http.Request, d *pageData, issued *redress.IssuedToken) error {
	login := r.URL.Query().Get("login")
	tokens, err := s.svc.Tokens.ListTokens(r.Context(), login)
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.tokens", map[string]any{"Tokens": tokens, "Issued": issued, "Login": login}
	s.render(w, r, http.StatusOK, "admin_tokens", d)
	return nil
}

func (s *Server) handleAdminTokenIssue(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	issued, err := s.svc.Tokens.IssueToken(r.Context(), redress.NewToken{Label: r.PostForm.Get("label")})
	if err != nil {
		return s.afterPost(w, r, err, "/admin/tokens", func(d *pageData) error { return s.adminTokensPage(w, r, d, nil) })
	}
	// The token is shown on this answer only; it is never stored in clear.
	return s.adminTokensPage(w, r, &pageData{}, issued)
}

func (s *Server) handleAdminTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return redress.Errorf(redress.ENOTFOUND, "no token %s", r.PathValue("id"))
	}
	err = s.svc.Tokens.RevokeToken(r.Context(), id)
	back := "/admin/tokens"
	if login := r.URL.Query().Get("login"); login != "" {
		back += "?login=" + url.QueryEscape(login)
	}
	return s.afterPost(w, r, err, back, func(d *pageData) error { return s.adminTokensPage(w, r, d, nil) })
}
