package web

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"

	"redress"
)

// evidenceRoutes are the operations on a case's files: the API, and the
// upload and download from the case page.
func (s *Server) evidenceRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/cases/{no}/evidence", summary: "Add a file to a case (multipart/form-data: file, note; at most 20 MiB)",
			status: http.StatusCreated, multipart: true, out: redress.Evidence{}, handle: s.handleEvidenceAdd},
		{method: "GET", path: "/api/v1/cases/{no}/evidence", summary: "The case's files with their SHA-256",
			out: listAnswer[redress.Evidence]{}, handle: s.handleEvidenceList},
		{method: "GET", path: "/api/v1/cases/{no}/evidence/{id}", summary: "Download one file (checked against its hash)",
			handle: s.handleEvidenceDownload},
		{method: "POST", path: "/cases/{no}/evidence", access: pageAuth, handle: s.handleEvidencePage},
		{method: "GET", path: "/cases/{no}/evidence/{id}", access: pageAuth, handle: s.handleEvidencePageDownload},
	}
}

// evidenceFromRequest reads the file and note of a multipart upload.
func evidenceFromRequest(w http.ResponseWriter, r *http.Request, field string) (*redress.NewEvidence, error) {
	r.Body = http.MaxBytesReader(w, r.Body, redress.MaxEvidenceBytes+1<<20)
	if err := r.ParseMultipartForm(8 << 20); errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			return nil, invalid("the form could not be read", nil)
		}
		return nil, nil // a form without a file
	} else if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, invalid("invalid input", map[string]string{"file": "larger than 20 MiB"})
		}
		return nil, invalid("send the file as multipart/form-data with a field named "+field, nil)
	}
	file, header, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, invalid("the file could not be read", nil)
	}
	return &redress.NewEvidence{Name: header.Filename, ContentType: header.Header.Get("Content-Type"),
		Note: r.FormValue("note"), Body: readAll(file)}, nil
}

// readAll is the uploaded part as a reader that closes itself when read out.
func readAll(f multipart.File) *closingReader { return &closingReader{f: f} }

type closingReader struct{ f multipart.File }

func (c *closingReader) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	if err != nil {
		c.f.Close()
	}
	return n, err
}

func (s *Server) handleEvidenceAdd(w http.ResponseWriter, r *http.Request) error {
	n, err := evidenceFromRequest(w, r, "file")
	if err != nil {
		return err
	}
	if n == nil {
		return invalid("invalid input", map[string]string{"file": "required"})
	}
	e, err := s.svc.Evidence.AddEvidence(r.Context(), r.PathValue("no"), *n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) handleEvidenceList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Evidence.ListEvidence(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.Evidence]{Items: list})
	return nil
}

func (s *Server) handleEvidenceDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return redress.Errorf(redress.ENOTFOUND, "no evidence %s", r.PathValue("id"))
	}
	e, content, err := s.svc.Evidence.EvidenceContent(r.Context(), r.PathValue("no"), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", url.PathEscape(e.Name)))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Redress-SHA256", e.SHA256)
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(content)
	return nil
}

// handleEvidencePage adds a file from the case page's form.
func (s *Server) handleEvidencePage(w http.ResponseWriter, r *http.Request) error {
	n, err := evidenceFromRequest(w, r, "file")
	if err == nil && n == nil {
		err = invalid("invalid input", map[string]string{"file": "required"})
	}
	if err == nil {
		_, err = s.svc.Evidence.AddEvidence(r.Context(), r.PathValue("no"), *n)
	}
	if err != nil {
		code := redress.ErrorCode(err)
		if code != redress.EINVALID && code != redress.ECONFLICT {
			return err
		}
		p, lerr := s.loadCasePage(r)
		if lerr != nil {
			return lerr
		}
		s.render(w, r, http.StatusOK, "case", &pageData{Title: "case.title", Data: p, Error: redress.ErrorMessage(err), Fields: pageFields(err)})
		return nil
	}
	flash(w, newT(s.ui.bundle, pageLang(r)).Get("case.evidence_added"))
	http.Redirect(w, r, "/cases/"+url.PathEscape(r.PathValue("no"))+"#evidence", http.StatusSeeOther)
	return nil
}

// handleEvidencePageDownload serves a file to a signed-in browser.
func (s *Server) handleEvidencePageDownload(w http.ResponseWriter, r *http.Request) error {
	return s.handleEvidenceDownload(w, r)
}
