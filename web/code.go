package web

import (
	"net/http"
	"strings"

	"redress"
)

// codeRoutes are the JR/T 0169 code lists: the API and the admin page.
func (s *Server) codeRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/codes", summary: "JR/T 0169 code lists",
			query: []param{{"dimension", "string", "A, B or C"}}, out: listAnswer[redress.Code]{}, handle: s.handleCodeList},
		{method: "POST", path: "/api/v1/codes", summary: "Add or change a code (admin)",
			body: redress.Code{}, out: redress.Code{}, handle: s.handleCodeSave},
		{method: "GET", path: "/admin/codes", access: pageAuth, handle: s.handleAdminCodes},
		{method: "POST", path: "/admin/codes", access: pageAuth, handle: s.handleAdminCodeSave},
	}
}

func (s *Server) handleCodeList(w http.ResponseWriter, r *http.Request) error {
	codes, err := s.svc.Codes.ListCodes(r.Context(), redress.Dimension(r.URL.Query().Get("dimension")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.Code]{Items: codes})
	return nil
}

func (s *Server) handleCodeSave(w http.ResponseWriter, r *http.Request) error {
	var c redress.Code
	if err := readJSON(w, r, &c); err != nil {
		return err
	}
	saved, err := s.svc.Codes.SaveCode(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleAdminCodes(w http.ResponseWriter, r *http.Request) error {
	return s.adminCodesPage(w, r, &pageData{})
}

func (s *Server) adminCodesPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	codes, err := s.svc.Codes.ListCodes(r.Context(), "")
	if err != nil {
		return err
	}
	d.Title, d.FieldScope, d.Data = "admin.codes", "code.", codes
	s.render(w, r, http.StatusOK, "admin_codes", d)
	return nil
}

func (s *Server) handleAdminCodeSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	code := strings.ToUpper(strings.TrimSpace(f.Get("code")))
	_, err := s.svc.Codes.SaveCode(r.Context(), redress.Code{Dimension: redress.DimensionOf(code), Code: code, Name: f.Get("name"),
		NameEN: f.Get("name_en"), Parent: strings.ToUpper(strings.TrimSpace(f.Get("parent"))), Active: f.Get("active") == "yes"})
	return s.afterPost(w, r, err, "/admin/codes", func(d *pageData) error { return s.adminCodesPage(w, r, d) })
}
