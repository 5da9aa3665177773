package web

import (
	"net/http"
	"strconv"

	"redress"
)

// customerNoticeRoutes are the notices to the customer (告知) with their
// proof: the templates as admin data, and per case the list, a preview, a
// notice sent and a letter's posting, by API and from the case page.
func (s *Server) customerNoticeRoutes() []route {
	return append([]route{
		{method: "GET", path: "/api/v1/settings/notice-templates", summary: "The templates of the notices to customers (zh-CN and en)",
			out: listAnswer[redress.NoticeTemplate]{}, handle: s.handleNoticeTemplates},
		{method: "PUT", path: "/api/v1/settings/notice-templates", summary: "Replace templates of the notices to customers (admin)",
			body: noticeTemplatesBody{}, out: listAnswer[redress.NoticeTemplate]{}, handle: s.handleNoticeTemplatesSave},
		{method: "GET", path: "/api/v1/cases/{no}/notices", summary: "The case's notices to the customer, each with its proof",
			out: listAnswer[redress.CustomerNotice]{}, handle: s.handleNotices},
		{method: "POST", path: "/api/v1/cases/{no}/notices/preview", summary: "Preview a notice to the customer, as it would be sent",
			body: redress.NoticeRequest{}, out: redress.CustomerNotice{}, handle: s.handleNoticePreview},
		{method: "POST", path: "/api/v1/cases/{no}/notices", summary: "Send a notice to the customer: SMS through the outbox, a letter to print, a call recorded",
			body: redress.NoticeRequest{}, out: redress.CustomerNotice{}, handle: s.handleNoticeSend},
		{method: "POST", path: "/api/v1/cases/{no}/notices/{id}/posted", summary: "Record that a printed letter was posted, with its proof",
			body: postingBody{}, out: redress.CustomerNotice{}, handle: s.handleNoticePosted},
		{method: "POST", path: "/cases/{no}/notices", access: pageAuth, handle: s.handleNoticeSubmit},
		{method: "POST", path: "/cases/{no}/notices/{id}/posted", access: pageAuth, handle: s.handleNoticePostedSubmit},
		{method: "GET", path: "/cases/{no}/notices/{id}/print", access: pageAuth, handle: s.handleNoticePrint},
	}, s.noticeTemplateRoutes()...) // notice_template.go
}

// noticeTemplatesBody is the templates an admin sets.
type noticeTemplatesBody struct {
	Templates []redress.NoticeTemplate `json:"templates"`
}

// postingBody is the proof of a letter's posting.
type postingBody struct {
	Proof string `json:"proof"`
}

func (s *Server) handleNoticeTemplates(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.svc.Notices.NoticeTemplates(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.NoticeTemplate]{Items: ts})
	return nil
}

func (s *Server) handleNoticeTemplatesSave(w http.ResponseWriter, r *http.Request) error {
	var b noticeTemplatesBody
	if err := readJSON(w, r, &b); err != nil {
		return err
	}
	ts, err := s.svc.Notices.SetNoticeTemplates(r.Context(), b.Templates)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.NoticeTemplate]{Items: ts})
	return nil
}

func (s *Server) handleNotices(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Notices.ListNotices(r.Context(), r.PathValue("no"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[*redress.CustomerNotice]{Items: list})
	return nil
}

func (s *Server) handleNoticePreview(w http.ResponseWriter, r *http.Request) error {
	var req redress.NoticeRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	n, err := s.svc.Notices.PreviewNotice(r.Context(), r.PathValue("no"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

func (s *Server) handleNoticeSend(w http.ResponseWriter, r *http.Request) error {
	var req redress.NoticeRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	n, err := s.svc.Notices.SendNotice(r.Context(), r.PathValue("no"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, n)
	return nil
}

// noticeID reads the {id} of a notice's path.
func noticeID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, redress.Errorf(redress.ENOTFOUND, "no notice %q", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) handleNoticePosted(w http.ResponseWriter, r *http.Request) error {
	id, err := noticeID(r)
	if err != nil {
		return err
	}
	var b postingBody
	if err := readJSON(w, r, &b); err != nil {
		return err
	}
	n, err := s.svc.Notices.RecordPosting(r.Context(), r.PathValue("no"), id, b.Proof)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, n)
	return nil
}

// handleNoticeSubmit previews (the preview button) or sends a notice from
// the case page; the page comes back with the preview, or the notice
// recorded, or the problem named.
func (s *Server) handleNoticeSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	req := redress.NoticeRequest{Kind: redress.CustomerNoticeKind(f.Get("kind")), Method: redress.NoticeMethod(f.Get("method")),
		Lang: f.Get("lang"), Proof: f.Get("proof")}
	var n *redress.CustomerNotice
	var err error
	if f.Get("preview") != "" {
		n, err = s.svc.Notices.PreviewNotice(r.Context(), r.PathValue("no"), req)
	} else {
		_, err = s.svc.Notices.SendNotice(r.Context(), r.PathValue("no"), req)
	}
	return s.noticePage(w, r, err, n)
}

func (s *Server) handleNoticePostedSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	id, err := noticeID(r)
	if err == nil {
		_, err = s.svc.Notices.RecordPosting(r.Context(), r.PathValue("no"), id, r.PostForm.Get("proof"))
	}
	return s.noticePage(w, r, err, nil)
}

// handleNoticePrint prints a letter notice for posting: the bank's
// letterhead, the notice as recorded, the hotline.
func (s *Server) handleNoticePrint(w http.ResponseWriter, r *http.Request) error {
	id, err := noticeID(r)
	if err != nil {
		return err
	}
	p, err := s.loadCasePage(r)
	if err != nil {
		return err
	}
	for _, n := range p.CustomerNotices {
		if n.ID == id && n.Method == redress.NoticeLetter {
			p.NoticePreview = n
		}
	}
	if p.NoticePreview == nil {
		return redress.Errorf(redress.ENOTFOUND, "case %s has no letter notice %d", p.Case.No, id)
	}
	// The print is titled by the notice's kind and the case (print.html).
	d := &pageData{Title: "notice_kind." + string(p.NoticePreview.Kind), About: p.Case, Data: p}
	if err := s.printNames(r.Context(), d, p.Case); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "print_notice", d)
	return nil
}

// noticePage shows the case page after a notice form: with the preview,
// or with the problem of the form as typed.
func (s *Server) noticePage(w http.ResponseWriter, r *http.Request, err error, preview *redress.CustomerNotice) error {
	switch redress.ErrorCode(err) {
	case "", redress.EINVALID, redress.ECONFLICT:
	default:
		return err
	}
	p, lerr := s.loadCasePage(r)
	if lerr != nil {
		return lerr
	}
	p.NoticePreview = preview
	d := &pageData{Title: "case.title", Data: p, Form: r.PostForm}
	if err != nil {
		d.Error, d.Fields = pageMessage(err), pageFields(err)
	}
	s.render(w, r, http.StatusOK, "case", d)
	return nil
}
