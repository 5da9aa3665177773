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
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"redress"
)

//go:embed templates static i18n
var uiFiles embed.FS

// ui holds what the pages need: parsed templates and the message bundle.
type ui struct {
	pages  map[string]*template.Template
	bundle *i18n.Bundle
}

// pageNames are the templates under templates/, each rendered inside layout.html.
var pageNames = []string{"login", "workbench", "case", "new", "receipt", "search", "admin_orgs", "admin_users", "admin_codes",
	"admin_calendar", "admin_policies", "admin_tokens", "error"}

// printNames are rendered inside print.html, for paper.
var printNames = []string{"print_registration", "print_decision"}

func newUI() (*ui, error) {
	bundle, err := newBundle(uiFiles)
	if err != nil {
		return nil, err
	}
	u := &ui{pages: map[string]*template.Template{}, bundle: bundle}
	funcs := template.FuncMap{
		"has": func(list []redress.Action, a string) bool { return containsAction(list, redress.Action(a)) },
		"roleIs": func(u *redress.User, roles ...string) bool {
			if u == nil {
				return false
			}
			for _, r := range roles {
				if string(u.Role) == r {
					return true
				}
			}
			return false
		},
		"seq":   func(items ...string) []string { return items },
		"lower": strings.ToLower,
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
	}{{"templates/layout.html", pageNames}, {"templates/print.html", printNames}} {
		for _, name := range set.names {
			t, err := template.New("").Funcs(funcs).ParseFS(uiFiles, set.layout, "templates/partials.html", "templates/"+name+".html")
			if err != nil {
				return nil, err
			}
			u.pages[name] = t
		}
	}
	return u, nil
}

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
	Form   url.Values
	Data   any
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
	var buf bytes.Buffer
	layout := "layout"
	if strings.HasPrefix(name, "print_") {
		layout = "print"
	}
	if err := t.ExecuteTemplate(&buf, layout, d); err != nil {
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
	if code == redress.EINTERNAL {
		s.log.ErrorContext(r.Context(), "page failed", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	s.render(w, r, status, "error", &pageData{Title: "error.title", Error: redress.ErrorMessage(err)})
}

// page wraps a page handler: the session cookie signs the user in, or the
// browser is sent to the sign-in page.
func (s *Server) page(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookie, err := r.Cookie(SessionCookie)
		if err != nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		u, err := s.svc.Sessions.SessionUser(r.Context(), cookie.Value)
		if err != nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		r = r.WithContext(redress.WithUser(r.Context(), u))
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// pageRoutes registers the HTML pages and the static files.
func (s *Server) pageRoutes() {
	static, _ := fs.Sub(uiFiles, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(static))
	s.mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	}))
	s.mux.HandleFunc("GET /login", s.handleLoginPage)
	s.mux.HandleFunc("POST /login", s.handleLoginSubmit)
	s.mux.HandleFunc("POST /logout", s.handleLogoutSubmit)
	s.mux.HandleFunc("GET /lang/{lang}", s.handleLang)
	s.mux.Handle("GET /{$}", s.page(s.handleWorkbench))
	s.mux.Handle("GET /cases/new", s.page(s.handleNewCasePage))
	s.mux.Handle("GET /search", s.page(s.handleSearchPage))
	s.mux.Handle("POST /cases/new", s.page(s.handleNewCaseSubmit))
	s.mux.Handle("GET /cases/{no}", s.page(s.handleCasePage))
	s.mux.Handle("POST /cases/{no}/act/{action}", s.page(s.handleCaseActSubmit))
	s.mux.Handle("POST /cases/{no}/reveal", s.page(s.handleRevealSubmit))
	s.mux.Handle("POST /cases/{no}/evidence", s.page(s.handleEvidencePage))
	s.mux.Handle("GET /cases/{no}/evidence/{id}", s.page(s.handleEvidencePageDownload))
	s.mux.Handle("GET /cases/{no}/receipt", s.page(s.handleReceiptPage))
	s.mux.Handle("GET /cases/{no}/print/{form}", s.page(s.handlePrintPage))
	s.adminPageRoutes()
}

func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) {
	lang := "zh-CN"
	if r.PathValue("lang") == "en" {
		lang = "en"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	back := r.Referer()
	if u, err := url.Parse(back); err != nil || u.Host != r.Host || back == "" {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", &pageData{Title: "login.title", Form: url.Values{"next": {safeNext(r.URL.Query().Get("next"))}}})
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\\\") {
		return "/"
	}
	return next
}

func (s *Server) handleLoginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.render(w, r, http.StatusOK, "login", &pageData{Title: "login.title", Error: "login.failed"})
		return
	}
	in := redress.SignIn{Login: strings.TrimSpace(r.PostForm.Get("login")), Password: r.PostForm.Get("password")}
	in.Remote, _, _ = strings.Cut(r.RemoteAddr, ":")
	token, _, err := s.svc.Sessions.SignIn(r.Context(), in)
	if err != nil {
		form := url.Values{"login": {in.Login}, "next": {safeNext(r.PostForm.Get("next"))}}
		s.render(w, r, http.StatusOK, "login", &pageData{Title: "login.title", Error: redress.ErrorMessage(err), Form: form})
		return
	}
	s.setSessionCookie(w, r, token, int(redress.AbsoluteTimeout.Seconds()))
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

func (s *Server) handleLogoutSubmit(w http.ResponseWriter, r *http.Request) {
	if cookie, err := r.Cookie(SessionCookie); err == nil {
		_ = s.svc.Sessions.SignOut(r.Context(), cookie.Value)
	}
	s.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func containsAction(list []redress.Action, a redress.Action) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// today is the current date in Beijing, for the pages' time-left texts.
func today(now time.Time) redress.Date { return redress.DateOf(now) }
