package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"redress"
)

// evidenceRoutes are the operations on a case's files: the API, and the
// upload and download from the case page.
func (s *Server) evidenceRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/cases/{no}/evidence", summary: "Add a file to a case (multipart/form-data: file, note, kind: transcript 笔录, audio 录音, video 录像 or other; at most 20 MiB)",
			status: http.StatusCreated, multipart: true, out: redress.Evidence{}, handle: s.handleEvidenceAdd},
		{method: "GET", path: "/api/v1/cases/{no}/evidence", summary: "The case's files with their SHA-256",
			out: listAnswer[redress.Evidence]{}, handle: s.handleEvidenceList},
		{method: "GET", path: "/api/v1/cases/{no}/evidence/{id}", summary: "Download one file (checked against its hash)", files: redress.ServedEvidenceTypes(),
			handle: s.handleEvidenceDownload},
		{method: "POST", path: "/cases/{no}/evidence", access: pageAuth, handle: s.handleEvidencePage},
		{method: "GET", path: "/cases/{no}/evidence/{id}", access: pageAuth, handle: s.handleEvidencePageDownload},
	}
}

// The limits of a form that carries a file, besides the file itself
// (redress.MaxEvidenceBytes): its other fields together (the registration
// form's text, an upload's note), and its parts.
const (
	maxFormFieldBytes = 1 << 20
	maxFormParts      = 200
)

// maxUploads bounds the uploads read at once, each held in memory until its
// request ends (at most redress.MaxEvidenceBytes and its fields: 8 × 21 MiB
// ≈ 170 MiB); a further upload waits for a slot as long as its request lasts.
const maxUploads = 8

// evidenceFromRequest reads the file named field and the other fields of a
// multipart upload (the fields into r.PostForm and r.Form, as
// ParseMultipartForm would). Nothing is written to disk: the parts are read
// from the body as they come (net/http's ParseMultipartForm would spool a
// file over its memory limit to $TMPDIR, in clear, and leave it there when
// the handler runs on a copy of the request). The file is held in memory,
// at most redress.MaxEvidenceBytes; a larger one is an EINVALID problem of
// field (too_large, 400), with the other fields still read into r.PostForm
// when the body stays within its bound (a page shows the form again), else
// with the rest of the body read out up to the bound so that the client
// reads the answer. A form that is not multipart is parsed as a plain form
// and has no file (nil).
//
// A multipart upload holds one of the server's upload slots (maxUploads)
// from before its body is read until release is called, when the request is
// done with the file; release is never nil.
func (s *Server) evidenceFromRequest(w http.ResponseWriter, r *http.Request, field string) (_ *redress.NewEvidence, release func(), _ error) {
	files, release, err := s.uploadsFromRequest(w, r, field, 1)
	if len(files) == 0 {
		return nil, release, err
	}
	return files[0], release, err
}

// uploadsFromRequest is evidenceFromRequest for up to n files of the same
// field (the portal's submission); a file beyond n is a problem of field.
func (s *Server) uploadsFromRequest(w http.ResponseWriter, r *http.Request, field string, n int) (_ []*redress.NewEvidence, release func(), _ error) {
	release = func() {}
	r.Body = http.MaxBytesReader(w, r.Body, redress.MaxEvidenceBytes+maxFormFieldBytes+64<<10)
	mr, err := r.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			return nil, release, invalid("the form could not be read", nil)
		}
		return nil, release, nil // a form without a file
	}
	if err != nil {
		return nil, release, invalid("send the file as multipart/form-data with a field named "+field, nil)
	}
	select {
	case s.uploads <- struct{}{}:
		release = sync.OnceFunc(func() { <-s.uploads })
	case <-r.Context().Done():
		return nil, release, invalid("the request ended while it waited for the upload to be read", nil)
	}
	files, form, err := readUpload(mr, field, n)
	if form == nil {
		_, _ = io.Copy(io.Discard, r.Body) // bounded by MaxBytesReader
		return nil, release, err
	}
	if err == nil {
		err = checkForm(form) // the text fields, as checkInput checks a URL-encoded form
	}
	r.PostForm = form
	r.Form = url.Values{}
	for k, v := range r.URL.Query() {
		r.Form[k] = v
	}
	for k, v := range form {
		r.Form[k] = append(v, r.Form[k]...)
	}
	if err != nil {
		return nil, release, err
	}
	for _, f := range files {
		f.Note, f.Kind = form.Get("note"), redress.EvidenceKind(form.Get("kind"))
	}
	return files, release, nil
}

// readUpload reads the parts of a multipart form: the files named field (the
// first n parts of that name with a file name) into memory, every other part
// as a field value; with n above 1, a further file is a problem of field.
func readUpload(mr *multipart.Reader, field string, n int) ([]*redress.NewEvidence, url.Values, error) {
	form := url.Values{}
	var files []*redress.NewEvidence
	var tooBig error // the file's problem, once the other fields are read
	fieldsLeft := int64(maxFormFieldBytes)
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return files, form, tooBig
		}
		if err != nil {
			return nil, nil, bodyProblem(err, field)
		}
		if parts == maxFormParts {
			return nil, nil, invalid(fmt.Sprintf("a form has at most %d parts", maxFormParts), nil)
		}
		name := part.FormName()
		switch {
		case name == "":
		case name == field && uploadName(part) != "" && len(files) == n && n > 1:
			tooBig = invalid(fmt.Sprintf("at most %d files", n), map[string]string{field: fmt.Sprintf("at most %d files", n)})
			_, _ = io.Copy(io.Discard, part)
		case name == field && uploadName(part) != "" && len(files) < n:
			var content bytes.Buffer
			if _, err := content.ReadFrom(io.LimitReader(part, redress.MaxEvidenceBytes+1)); err != nil {
				return nil, nil, bodyProblem(err, field)
			}
			if content.Len() > redress.MaxEvidenceBytes {
				// Read past it for the other fields, within the body's bound,
				// so that a page can show the form again with the problem.
				if _, err := io.Copy(io.Discard, part); err != nil {
					return nil, nil, bodyProblem(err, field)
				}
				tooBig = tooLarge(field)
				continue
			}
			files = append(files, &redress.NewEvidence{Name: uploadName(part), ContentType: part.Header.Get("Content-Type"), Body: &content})
		default:
			value, err := io.ReadAll(io.LimitReader(part, fieldsLeft+1))
			if err != nil {
				return nil, nil, bodyProblem(err, name)
			}
			if fieldsLeft -= int64(len(value)); fieldsLeft < 0 {
				return nil, nil, invalid(fmt.Sprintf("the fields of the form besides the file are larger than %d bytes (1 MiB)", maxFormFieldBytes),
					map[string]string{name: "the form's fields are too large"})
			}
			form.Add(name, string(value))
		}
		part.Close()
	}
}

// uploadName is the file name a part was sent with, as the client sent it
// (Part.FileName would cut it with filepath.Base): redress.EvidenceName is
// the one rule that cleans it.
func uploadName(part *multipart.Part) string {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return ""
	}
	return params["filename"]
}

// tooLarge is the problem of a file over redress.MaxEvidenceBytes.
func tooLarge(field string) error {
	var p redress.Problems
	p.AddKey(field, redress.ProblemTooLarge, "20 MiB")
	return p.Err()
}

// bodyProblem is the error of a multipart body that could not be read while
// reading the part field: over the body's bound (the file is too large), or
// not a well-formed multipart body.
func bodyProblem(err error, field string) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return tooLarge(field)
	}
	return invalid("the multipart/form-data body could not be read", map[string]string{field: "could not be read"})
}

func (s *Server) handleEvidenceAdd(w http.ResponseWriter, r *http.Request) error {
	n, release, err := s.evidenceFromRequest(w, r, "file")
	defer release()
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
	n, release, err := s.evidenceFromRequest(w, r, "file")
	defer release()
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
		s.render(w, r, http.StatusOK, "case", &pageData{Title: "case.title", Data: p, Error: pageMessage(err), Fields: pageFields(err), About: p.Case})
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
