package web

import (
	"net/http"

	"redress"
)

// settingsRoutes are the small admin records the pages print: the mediation
// body the decision letter names (redress.MediationBody) and the bank's
// profile on every print (redress.BankProfile), by API and page.
func (s *Server) settingsRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/settings/mediation", summary: "The mediation body the decision letter names (null when none is set)",
			out: redress.MediationBody{}, handle: s.handleMediationBody},
		{method: "PUT", path: "/api/v1/settings/mediation", summary: "Replace the mediation body the decision letter names (admin)",
			body: redress.MediationBody{}, out: redress.MediationBody{}, handle: s.handleMediationBodySave},
		{method: "GET", path: "/api/v1/settings/bank", summary: "How the prints name the bank: its name, complaint hotline and where to track a case (null when none is set)",
			out: redress.BankProfile{}, handle: s.handleBankProfile},
		{method: "PUT", path: "/api/v1/settings/bank", summary: "Replace the bank's profile the prints show (admin)",
			body: redress.BankProfile{}, out: redress.BankProfile{}, handle: s.handleBankProfileSave},
		{method: "GET", path: "/api/v1/settings/privacy", summary: "How lists show complainants: names masked (张*) unless show_names",
			out: redress.ListPrivacy{}, handle: s.handleListPrivacy},
		{method: "PUT", path: "/api/v1/settings/privacy", summary: "Replace how lists show complainants (admin)",
			body: redress.ListPrivacy{}, out: redress.ListPrivacy{}, handle: s.handleListPrivacySave},
		{method: "GET", path: "/admin/settings", access: pageAuth, handle: s.handleAdminSettings},
		{method: "POST", path: "/admin/settings/privacy", access: pageAuth, handle: s.handleAdminPrivacySave},
		{method: "POST", path: "/admin/settings/bank", access: pageAuth, handle: s.handleAdminBankSave},
		{method: "POST", path: "/admin/settings/mediation", access: pageAuth, handle: s.handleAdminMediationSave},
	}
}

func (s *Server) handleMediationBody(w http.ResponseWriter, r *http.Request) error {
	m, err := s.svc.Settings.MediationBody(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *Server) handleMediationBodySave(w http.ResponseWriter, r *http.Request) error {
	var m redress.MediationBody
	if err := readJSON(w, r, &m); err != nil {
		return err
	}
	saved, err := s.svc.Settings.SetMediationBody(r.Context(), m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleBankProfile(w http.ResponseWriter, r *http.Request) error {
	b, err := s.svc.Settings.BankProfile(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) handleBankProfileSave(w http.ResponseWriter, r *http.Request) error {
	var b redress.BankProfile
	if err := readJSON(w, r, &b); err != nil {
		return err
	}
	saved, err := s.svc.Settings.SetBankProfile(r.Context(), b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleListPrivacy(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.Settings.ListPrivacy(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) handleListPrivacySave(w http.ResponseWriter, r *http.Request) error {
	var p redress.ListPrivacy
	if err := readJSON(w, r, &p); err != nil {
		return err
	}
	saved, err := s.svc.Settings.SetListPrivacy(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleAdminPrivacySave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	_, err := s.svc.Settings.SetListPrivacy(r.Context(), redress.ListPrivacy{ShowNames: r.PostForm.Get("show_names") == "yes"})
	return s.afterPost(w, r, err, "/admin/settings", func(d *pageData) error { return s.adminSettingsPage(w, r, d) })
}

func (s *Server) handleAdminBankSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	_, err := s.svc.Settings.SetBankProfile(r.Context(),
		redress.BankProfile{Name: f.Get("name"), Hotline: f.Get("hotline"), TrackAt: f.Get("track_at"), Address: f.Get("address"),
			PortalURL: f.Get("portal_url")})
	return s.afterPost(w, r, err, "/admin/settings", func(d *pageData) error { return s.adminSettingsPage(w, r, d) })
}

// settingsPage is what the settings page shows: the mediation body and
// the bank's profile, each empty when never set.
type settingsPage struct {
	Mediation *redress.MediationBody
	Bank      *redress.BankProfile
	Privacy   redress.ListPrivacy
}

func (s *Server) handleAdminSettings(w http.ResponseWriter, r *http.Request) error {
	return s.adminSettingsPage(w, r, &pageData{})
}

func (s *Server) adminSettingsPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	if _, err := redress.RequireUser(r.Context()); err != nil {
		return err
	}
	m, err := s.svc.Settings.MediationBody(r.Context())
	if err != nil {
		return err
	}
	if m == nil {
		m = &redress.MediationBody{}
	}
	b, err := s.svc.Settings.BankProfile(r.Context())
	if err != nil {
		return err
	}
	if b == nil {
		b = &redress.BankProfile{}
	}
	privacy, err := s.svc.Settings.ListPrivacy(r.Context())
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.settings", settingsPage{Mediation: m, Bank: b, Privacy: privacy}
	s.render(w, r, http.StatusOK, "admin_settings", d)
	return nil
}

func (s *Server) handleAdminMediationSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	_, err := s.svc.Settings.SetMediationBody(r.Context(),
		redress.MediationBody{Name: r.PostForm.Get("name"), Contact: r.PostForm.Get("contact")})
	return s.afterPost(w, r, err, "/admin/settings", func(d *pageData) error { return s.adminSettingsPage(w, r, d) })
}
