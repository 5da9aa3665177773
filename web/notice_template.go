package web

import (
	"context"
	"net/http"
	"net/url"

	"redress"
)

// noticeTemplateRoutes are the templates of the notices to customers as
// admin data (customer_notice.go): the page that edits them with a
// preview before saving, and the API's preview.
func (s *Server) noticeTemplateRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/settings/notice-templates/preview", summary: "Preview templates of the notices to customers as they would read, without saving",
			body: noticeTemplatesBody{}, out: listAnswer[noticeTemplateRow]{}, handle: s.handleNoticeTemplatesPreview},
		{method: "GET", path: "/admin/notice-templates", access: pageAuth, handle: s.handleAdminNoticeTemplates},
		{method: "POST", path: "/admin/notice-templates", access: pageAuth, handle: s.handleAdminNoticeTemplatesSave},
	}
}

// noticeTemplateRow is one template with its preview: the sample case's
// notice as a letter, with the bank's profile in force.
type noticeTemplateRow struct {
	Kind    redress.CustomerNoticeKind `json:"kind"`
	Lang    string                     `json:"lang"`
	Body    string                     `json:"body"`
	Preview string                     `json:"preview"`
}

// noticeTemplatesPage is the admin page's data: every template and its
// preview, and whether the bank's profile is set (the notices name it).
type noticeTemplatesPage struct {
	Rows    []noticeTemplateRow
	HasBank bool
}

// noticeTemplateRows previews the templates in force with the typed ones
// put over them.
func (s *Server) noticeTemplateRows(ctx context.Context, typed []redress.NoticeTemplate) ([]noticeTemplateRow, bool, error) {
	ts, err := s.svc.Notices.NoticeTemplates(ctx)
	if err != nil {
		return nil, false, err
	}
	bank, err := s.svc.Settings.BankProfile(ctx)
	if err != nil {
		return nil, false, err
	}
	has := bank != nil
	if bank == nil {
		bank = &redress.BankProfile{}
	}
	rows := make([]noticeTemplateRow, 0, len(ts))
	for _, t := range ts {
		for _, mine := range typed {
			if mine.Kind == t.Kind && mine.Lang == t.Lang {
				t.Body = mine.Body
			}
		}
		rows = append(rows, noticeTemplateRow{Kind: t.Kind, Lang: t.Lang, Body: t.Body, Preview: redress.PreviewNoticeTemplate(t, *bank)})
	}
	return rows, has, nil
}

func (s *Server) handleNoticeTemplatesPreview(w http.ResponseWriter, r *http.Request) error {
	var b noticeTemplatesBody
	if err := readJSON(w, r, &b); err != nil {
		return err
	}
	if err := redress.ValidateNoticeTemplates(b.Templates); err != nil {
		return err
	}
	rows, _, err := s.noticeTemplateRows(r.Context(), b.Templates)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[noticeTemplateRow]{Items: rows})
	return nil
}

func (s *Server) handleAdminNoticeTemplates(w http.ResponseWriter, r *http.Request) error {
	return s.adminNoticeTemplatesPage(w, r, &pageData{}, nil)
}

func (s *Server) adminNoticeTemplatesPage(w http.ResponseWriter, r *http.Request, d *pageData, typed []redress.NoticeTemplate) error {
	rows, has, err := s.noticeTemplateRows(r.Context(), typed)
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.notice_templates", noticeTemplatesPage{Rows: rows, HasBank: has}
	s.render(w, r, http.StatusOK, "admin_notice_templates", d)
	return nil
}

// noticeTemplatesFromForm reads the page's form: one field per kind and
// language, tpl.<kind>.<lang>; the fields left out keep the templates in force.
func noticeTemplatesFromForm(f url.Values) []redress.NoticeTemplate {
	var out []redress.NoticeTemplate
	for _, k := range redress.NoticeTemplateKinds {
		for _, lang := range redress.NoticeLangs {
			if body, ok := f["tpl."+string(k)+"."+lang]; ok && len(body) == 1 {
				out = append(out, redress.NoticeTemplate{Kind: k, Lang: lang, Body: body[0]})
			}
		}
	}
	return out
}

// handleAdminNoticeTemplatesSave previews the typed templates (the preview
// button: nothing saved) or saves them (admin only, audited with before
// and after).
func (s *Server) handleAdminNoticeTemplatesSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	typed := noticeTemplatesFromForm(r.PostForm)
	again := func(d *pageData) error { return s.adminNoticeTemplatesPage(w, r, d, typed) }
	if r.PostForm.Get("preview") != "" {
		d := &pageData{Form: r.PostForm}
		if err := redress.ValidateNoticeTemplates(typed); err != nil {
			d.Error, d.Fields = pageMessage(err), pageFields(err)
		}
		return again(d)
	}
	_, err := s.svc.Notices.SetNoticeTemplates(r.Context(), typed)
	return s.afterPost(w, r, err, "/admin/notice-templates", again)
}

// printFooter fills the footer of a printed document (the receipt, the
// decision letter) from the templates in force in the page's language
// with the bank's profile (seed 002 Art.5: 客户投诉电话 on every
// document); none without a profile.
func (s *Server) printFooter(r *http.Request, d *pageData, c *redress.Case) error {
	if d.Bank == nil || s.svc.Notices == nil {
		return nil
	}
	ts, err := s.svc.Notices.NoticeTemplates(r.Context())
	if err != nil {
		return err
	}
	facts, _ := redress.NoticeFactsOf(c, redress.NoticeFooter)
	for _, t := range ts {
		if t.Kind == redress.NoticeFooter && t.Lang == pageLang(r) {
			d.Footer = redress.RenderNotice(t, facts, *d.Bank, false)
		}
	}
	return nil
}
