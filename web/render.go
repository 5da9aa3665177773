package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"redress"
)

//go:embed templates static i18n
var uiFiles embed.FS

// ui holds what the pages need: parsed templates, the message bundle and
// the static files.
type ui struct {
	pages  map[string]*template.Template
	bundle *i18n.Bundle
	static http.Handler      // the files under static/, for paths under /static/
	hashes map[string]string // each static file's content hash (asset.go)
}

// pageNames are the templates under templates/, each rendered inside layout.html.
var pageNames = []string{"login", "workbench", "case", "new", "receipt", "search", "admin_orgs", "admin_users", "admin_codes",
	"admin_calendar", "admin_policies", "admin_tokens", "error",
	"admin_settings", "review_request", // review: the mediation body of the decision letter, a request from any unit
	"stats",                          // the statistics page (统计分析)
	"case_archive",                   // the archived file as at closing (归档)
	"inbox",                          // the in-app notifications
	"assessment", "admin_assessment", // the staff assessment (考核) and its scheme
	"report_jrt", "report_density", "report_disclosure", "report_unit", "admin_unit_counts", // the regulator's forms (report.go)
	"corrective", "corrective_new", "corrective_item", // corrective actions (整改)
	"register_opinion", "opinion_book", "lost", "lost_item", // the opinion register, the opinion book, lost property
	"training", "training_session", // training records
	"registers",                    // the registers' index
	"reception", "reception_visit", // the reception log (来访接待登记)
	"admin_return_visits", "survey", // return visits (回访): the policy; the survey page on its own layout (portal_survey.go)
	"admin_notice_templates",                               // the templates of the notices to customers (notice_template.go)
	"export_job",                                           // a background export's progress (export_job.go)
	"admin_user", "admin_org", "account_password", "audit", // admin forms, one's own password, the audit trail
	"incidents", "incident", "incident_print", "admin_emergency_plan", // emergency incidents (突发事件) and plans
	"admin_retention", "holds", // retention and legal holds (retention.go)
	"admin_import", "admin_import_run", // the import of a bank's history (import.go)
}

// portalNames are the customer portal's pages (portal_page.go), rendered
// inside portal_layout.html: no staff navigation.
var portalNames = []string{"portal_home", "portal_submit", "portal_confirm", "portal_done", "portal_track", "portal_code",
	"portal_case", "portal_error"}

// printNames are rendered inside print.html, for paper.
var printNames = []string{"print_registration", "print_decision", "print_notice"}

func newUI() (*ui, error) {
	bundle, err := newBundle(uiFiles)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(uiFiles, "static")
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	hashes, err := assetHashes(static)
	if err != nil {
		return nil, err
	}
	u := &ui{pages: map[string]*template.Template{}, bundle: bundle, static: http.StripPrefix("/static/", http.FileServerFS(static)),
		hashes: hashes}
	funcs := template.FuncMap{
		"has": func(list []redress.Action, a string) bool { return slices.Contains(list, redress.Action(a)) },
		// can asks the domain whether the user's role holds a permission
		// (redress.Can): the pages offer what the services allow.
		"can": func(u *redress.User, p string) (bool, error) {
			if !slices.Contains(redress.Permissions, redress.Permission(p)) {
				return false, fmt.Errorf("template asks for an unknown permission %q", p)
			}
			return u != nil && redress.Can(u.Role, redress.Permission(p)), nil
		},
		// handlesCases says whether the user's role registers and handles
		// cases (redress.MayRegister): the first responders and handlers.
		"handlesCases": func(u *redress.User) bool { return u != nil && redress.MayRegister(u.Role) },
		"seq":          func(items ...string) []string { return items },
		// lookupFields are the numbers the search page's lookup is by.
		"lookupFields": func() []string { return lookupFields },
		// channelIn says whether a channel is one of a space-separated list:
		// the registration form's channel sections are rendered hidden or
		// shown as app.js would set them, so the page does not shift.
		"channelIn": func(list, channel string) bool { return slices.Contains(strings.Fields(list), channel) },
		// asset is the content-named URL of a static file (asset.go).
		"asset": u.assetURL,
		// percent shows a share (0 to 1) as a percentage with one decimal.
		"percent": func(share float64) string { return fmt.Sprintf("%.1f%%", share*100) },
		"fixed2":  func(f *float64) string { return fmt.Sprintf("%.2f", *f) }, // a ratio as the regulator prints it
		"lower":   strings.ToLower,
		// hasPrefix marks the menu entry of a section (the registers' pages).
		"hasPrefix": strings.HasPrefix,
		"add":       func(a, b int) int { return a + b }, // a register's row number from its index
		// picked says whether a form sent value among the values of name
		// (a multiple choice typed again after a refusal).
		"picked":      func(f url.Values, name, value string) bool { return slices.Contains(f[name], value) },
		"majorCauses": func() []redress.MajorCause { return redress.MajorCauses },
		// moveChoice is a clock's move-off rule as the policy form's choice.
		"moveChoice": moveChoice,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
	for _, set := range []struct {
		layout string
		names  []string
	}{{"templates/layout.html", pageNames}, {"templates/print.html", printNames}, {"templates/portal_layout.html", portalNames}} {
		// One template set per layout holds the layout, the partials and
		// every page's content (defined as "page:NAME"). The content is
		// rendered first and the layout around it (render), so no page
		// needs its own copy of the layout and the partials: html/template's
		// Clone copies every parse tree, and a clone per page held 26 MB of
		// the server's 40 MB idle heap.
		files := []string{set.layout, "templates/partials*.html", "templates/review_partials.html"}
		for _, name := range set.names {
			files = append(files, "templates/"+name+".html")
		}
		t, err := template.New("").Funcs(funcs).ParseFS(uiFiles, files...)
		if err != nil {
			return nil, err
		}
		for _, name := range set.names {
			if t.Lookup(pageTemplate(name)) == nil {
				return nil, fmt.Errorf("templates/%s.html defines no %q", name, pageTemplate(name))
			}
			u.pages[name] = t
		}
	}
	return u, nil
}

// pageTemplate is the name of a page's content in its set: each page file
// defines its content as {{define "page:NAME"}}.
func pageTemplate(name string) string { return "page:" + name }

// pageData is what every page template receives.
type pageData struct {
	T      *T
	User   *redress.User
	Path   string
	Query  url.Values
	Title  string
	Flash  string
	Error  string
	Fields map[string]string
	// FieldScope names what the form's fields belong to ("unit.", "code."),
	// so a problem's field is labelled field.unit.name (机构名称), not
	// field.name (姓名); T.Field falls back to the field's own label.
	FieldScope string
	Form       url.Values
	Data       any
	// Unread is the signed-in user's unread notifications, for the header.
	Unread int
	// People and Units name the logins and unit codes a print shows, so
	// that a customer reads names, never internal identifiers (printNames).
	People map[string]string
	Units  map[string]string
	// Bank is the bank's profile a print heads with (nil when not set).
	Bank *redress.BankProfile
	// Footer is a print's footer from the templates in force (printFooter).
	Footer string
	// About is the case a page or print is about: its tracking number
	// follows the title, worded for its kind (受理回执 / 受理告知书).
	About *redress.Case
	// Content is the page's own part, rendered (and escaped) by its
	// template before the layout places it in <main> (render).
	Content template.HTML
}

// render executes a page into a buffer first, so a template error never
// sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d *pageData) {
	t, ok := s.ui.pages[name]
	if !ok {
		http.Error(w, "no page "+name, http.StatusInternalServerError)
		return
	}
	if d.T == nil {
		d.T = newT(s.ui.bundle, pageLang(r))
	}
	if d.User == nil {
		d.User = redress.UserFrom(r.Context())
	}
	if d.User != nil && s.svc.Notifications != nil {
		if n, err := s.svc.Notifications.CountUnread(r.Context()); err == nil {
			d.Unread = n // a badge that cannot be counted is left out, never an error page
		}
	}
	d.Path, d.Query = r.URL.Path, r.URL.Query()
	if d.Form == nil {
		d.Form = url.Values{}
	}
	if c, err := r.Cookie("redress_flash"); err == nil && d.Flash == "" {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			d.Flash = v
		}
		http.SetCookie(w, &http.Cookie{Name: "redress_flash", Path: "/", MaxAge: -1})
	}
	var content, buf bytes.Buffer
	layout := "layout"
	if strings.HasPrefix(name, "print_") {
		layout = "print"
	}
	err := t.ExecuteTemplate(&content, pageTemplate(name), d)
	if err == nil {
		// The content was escaped for the HTML text of <main>, where
		// the layout places it: it is not escaped a second time.
		d.Content = template.HTML(content.String())
		err = t.ExecuteTemplate(&buf, layout, d)
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "render page", slog.String("page", name), slog.String("error", err.Error()))
		http.Error(w, "page error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// flash sets a one-time message shown on the next page.
func flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: "redress_flash", Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// pageError shows an error page for err with the right status.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	code := redress.ErrorCode(err)
	if code == redress.EUNAUTHORIZED {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if retryAfter(w, err) {
		s.render(w, r, http.StatusTooManyRequests, "error", &pageData{Title: "error.title", Error: "error.too_many"})
		return
	}
	if code == redress.EINTERNAL {
		s.log.ErrorContext(r.Context(), "page failed", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	s.render(w, r, status, "error", &pageData{Title: "error.title", Error: pageMessage(err)})
}
