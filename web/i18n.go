package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"redress"
)

// Languages the pages speak; the first is the default.
var languages = []language.Tag{language.SimplifiedChinese, language.English}

// langCookie remembers the language a user chose.
const langCookie = "redress_lang"

// newBundle loads the message catalogues from i18n/*.json.
func newBundle(files fs.FS) (*i18n.Bundle, error) {
	bundle := i18n.NewBundle(languages[0])
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, name := range []string{"i18n/zh-CN.json", "i18n/en.json"} {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, fmt.Errorf("messages: %w", err)
		}
		if _, err := bundle.ParseMessageFileBytes(data, name); err != nil {
			return nil, fmt.Errorf("messages %s: %w", name, err)
		}
	}
	return bundle, nil
}

// pageLang picks the page language: the cookie, else zh-CN.
func pageLang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "zh-CN"
}

// T translates for one request; templates call its methods.
type T struct {
	Lang string
	loc  *i18n.Localizer
}

func newT(bundle *i18n.Bundle, lang string) *T {
	return &T{Lang: lang, loc: i18n.NewLocalizer(bundle, lang)}
}

// Get returns the message with the given ID, filled with key/value pairs.
func (t *T) Get(id string, kv ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["N"].(int); ok {
		cfg.PluralCount = n
	}
	msg, err := t.loc.Localize(cfg)
	if err != nil {
		return id // a missing message shows its ID; a test keeps the catalogues complete
	}
	return msg
}

// Label translates a value of the vocabulary: Label "status" "closed".
func (t *T) Label(kind string, value any) string {
	v := fmt.Sprint(value)
	if v == "" {
		return ""
	}
	return t.Get(kind + "." + v)
}

// DateTime shows a time in Beijing time.
func (t *T) DateTime(v any) string {
	switch x := v.(type) {
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.In(redress.Beijing).Format("2006-01-02 15:04")
	case *time.Time:
		if x == nil {
			return ""
		}
		return x.In(redress.Beijing).Format("2006-01-02 15:04")
	}
	return ""
}

// Join joins translated labels of a list.
func (t *T) Join(kind string, values any) string {
	var parts []string
	switch list := values.(type) {
	case []redress.Remedy:
		for _, v := range list {
			parts = append(parts, t.Label(kind, v))
		}
	case []string:
		for _, v := range list {
			parts = append(parts, t.Label(kind, v))
		}
	}
	sep := "、"
	if t.Lang == "en" {
		sep = ", "
	}
	return strings.Join(parts, sep)
}

// problemKeyPrefix names the messages of keyed problems: problem.key.too_long.
const problemKeyPrefix = "problem.key."

// pageFields returns the per-field problems of an error for a page: a
// problem the domain keyed (redress.Problem) as "@key|arg|arg", which
// Problem translates by its key; any other as its text.
func pageFields(err error) map[string]string {
	fields := redress.ErrorFields(err)
	if fields == nil {
		return nil
	}
	out := make(map[string]string, len(fields))
	keyed := redress.ErrorProblems(err)
	for field, text := range fields {
		if p, ok := keyed[field]; ok {
			text = "@" + strings.Join(append([]string{p.Key}, p.Args...), "|")
		}
		out[field] = text
	}
	return out
}

// Problem translates a problem from the services: a keyed problem from
// pageFields ("@too_long|200" → problem.key.too_long with A=200), a message
// ID (such as new.restate_required), a known phrase ("required"), or, for a
// phrase the catalogue does not know yet, the text itself.
func (t *T) Problem(text string) string {
	if key, ok := strings.CutPrefix(text, "@"); ok {
		parts := strings.Split(key, "|")
		kv := []any{}
		for i, arg := range parts[1:] {
			kv = append(kv, string(rune('A'+i)), arg)
		}
		return t.Get(problemKeyPrefix+parts[0], kv...)
	}
	if msg := t.Get(text); msg != text {
		return msg
	}
	key := "problem." + text
	if msg := t.Get(key); msg != key {
		return msg
	}
	if head, _, ok := strings.Cut(text, ":"); ok {
		if msg := t.Get("problem." + head); msg != "problem."+head {
			return msg + text[len(head):]
		}
	}
	return text
}

// WithQuery returns the current query with one parameter replaced, as a
// relative URL: for paging links that keep the filters.
func (t *T) WithQuery(q url.Values, key, value string) string {
	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Set(key, value)
	return "?" + next.Encode()
}

// langRoutes is the language switch: it sets the cookie and goes back.
func (s *Server) langRoutes() []route {
	return []route{{method: "GET", path: "/lang/{lang}", access: pageOpen, handle: s.handleLang}}
}

func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) error {
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
	return nil
}
