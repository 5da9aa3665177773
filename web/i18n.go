package web

import (
	"encoding/json"
	"errors"
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

// RoleOf names a user's role as the bank calls it: a unit head by the
// kind of unit (role.branch_head.sub_branch 支行负责人, .branch 分行负责人,
// .outlet 网点负责人), any other role by its label.
func (t *T) RoleOf(u *redress.User) string {
	if u == nil {
		return ""
	}
	if u.Role == redress.RoleBranchHead && u.OrgKind != "" {
		id := "role." + string(u.Role) + "." + string(u.OrgKind)
		if msg := t.Get(id); msg != id {
			return msg
		}
	}
	return t.Label("role", u.Role)
}

// DateTime shows a time in Beijing time.
// LongDate writes a day as prints write it: 2026年12月1日 in Chinese,
// 1 December 2026 in English (a time in Beijing, or a YYYY-MM-DD date).
func (t *T) LongDate(v any) string {
	var d time.Time
	switch x := v.(type) {
	case time.Time:
		d = x
	case *time.Time:
		if x != nil {
			d = *x
		}
	case string:
		if parsed, err := time.ParseInLocation(time.DateOnly, x, redress.Beijing); err == nil {
			d = parsed
		}
	}
	if d.IsZero() {
		return ""
	}
	d = d.In(redress.Beijing)
	if t.Lang == "en" {
		return d.Format("2 January 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// Time writes the time of day of a moment in Beijing, 15:04.
func (t *T) Time(v time.Time) string {
	if v.IsZero() {
		return ""
	}
	return v.In(redress.Beijing).Format("15:04")
}

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

// errorCodePrefix names the Chinese messages of unkeyed errors by their code: error.code.conflict.
const errorCodePrefix = "error.code."

// reasonKeyPrefix names the messages of keyed errors: error.key.stale_version.
const reasonKeyPrefix = "error.key."

// reasonLabels says which arguments of a reason are values of the
// vocabulary, shown by their label (Label kind value) rather than as sent.
var reasonLabels = map[string]map[int]string{
	redress.ReasonStaleVersionBy: {3: "action"},
	redress.ReasonNoCaseContents: {0: "role"},
	redress.ReasonMovedOff:       {1: "due.day", 3: "due.move"},
}

// pageMessage is the message of a service error for a page, which Problem
// translates: a keyed one (redress.Error.Reason) as "#key|arg|arg"; any
// other as "!code|fields|message", which the English pages show as it is
// and the Chinese ones by its code alone (error.code.<code>, or
// error.check_fields when it names fields), never in English.
func pageMessage(err error) string {
	var e *redress.Error
	if !errors.As(err, &e) {
		return "!" + redress.EINTERNAL + "||" + redress.ErrorMessage(err)
	}
	if e.Reason.Key != "" {
		return "#" + strings.Join(append([]string{e.Reason.Key}, e.Reason.Args...), "|")
	}
	fields := ""
	if len(e.Fields) > 0 {
		fields = "fields"
	}
	return "!" + e.Code + "|" + fields + "|" + e.Message
}

// Field names a field of a problem: field.<name> (field.complainant.name),
// else the label of its last part (visit.visitors → field.visitors), else
// "" (the problem is shown without a name rather than with a raw key).
func (t *T) Field(name string) string {
	for rest := name; rest != ""; {
		if msg := t.Get("field." + rest); msg != "field."+rest {
			return msg
		}
		_, after, ok := strings.Cut(rest, ".")
		if !ok {
			break
		}
		rest = after
	}
	return ""
}

// Problem translates a problem from the services: a keyed problem from
// pageFields ("@too_long|200" → problem.key.too_long with A=200), a message
// of pageMessage, a message ID (such as new.restate_required), a known
// phrase ("required"), or, for a phrase the catalogue does not know yet, the
// text itself.
func (t *T) Problem(text string) string {
	if key, ok := strings.CutPrefix(text, "@"); ok {
		parts := strings.Split(key, "|")
		kv := []any{}
		for i, arg := range parts[1:] {
			kv = append(kv, string(rune('A'+i)), arg)
		}
		return t.Get(problemKeyPrefix+parts[0], kv...)
	}
	if key, ok := strings.CutPrefix(text, "#"); ok {
		parts := strings.Split(key, "|")
		kv := []any{}
		for i, arg := range parts[1:] {
			if kind, ok := reasonLabels[parts[0]][i]; ok {
				arg = t.Label(kind, arg)
			}
			kv = append(kv, string(rune('A'+i)), arg)
		}
		return t.Get(reasonKeyPrefix+parts[0], kv...)
	}
	if rest, ok := strings.CutPrefix(text, "!"); ok {
		parts := strings.SplitN(rest, "|", 3)
		if len(parts) == 3 {
			if t.Lang == "en" {
				return parts[2]
			}
			if parts[1] != "" {
				return t.Get("error.check_fields")
			}
			if msg := t.Get(errorCodePrefix + parts[0]); msg != errorCodePrefix+parts[0] {
				return msg
			}
			return t.Get(errorCodePrefix + redress.EINTERNAL)
		}
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
