package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"redress"
)

// checkInput refuses, with a 400 naming the field, a request whose text no
// engine may store (redress.StorableTextProblem: not UTF-8, or a NUL): the
// path values of the route's pattern (the rest of a prefix pattern is
// "path"), every query parameter, and every field of a URL-encoded form,
// which it reads here (at most MaxBodyBytes) so that no handler sees one
// unchecked. A multipart form is read by its handler, which checks its text
// fields with checkForm.
func checkInput(w http.ResponseWriter, r *http.Request, pattern string) error {
	var p redress.Problems
	names := pathNames(pattern)
	for _, name := range names {
		checkValue(&p, name, r.PathValue(name))
	}
	if len(names) == 0 || strings.HasSuffix(pattern, "/") {
		checkValue(&p, "path", r.URL.Path)
	}
	query, _ := url.ParseQuery(r.URL.RawQuery) // a malformed pair is dropped, as r.URL.Query drops it
	checkValues(&p, query)
	if isURLEncodedForm(r) {
		if err := parseSmallForm(w, r); err != nil {
			return err
		}
		checkValues(&p, r.PostForm)
	}
	return namingFields(p.Err())
}

// namingFields puts the names of an invalid-input error's fields in its
// message, which the error page shows (the API's answer lists them too).
func namingFields(err error) error {
	var e *redress.Error
	if !errors.As(err, &e) {
		return err
	}
	names := make([]string, 0, len(e.Fields))
	for name := range e.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	r := redress.Reasonf(e.Code, redress.ReasonNotStorable, strings.Join(names, ", "))
	e.Message, e.Reason = r.Message, r.Reason
	return e
}

// checkForm refuses form values (of a multipart form, say) that no engine
// may store, naming the field.
func checkForm(values url.Values) error {
	var p redress.Problems
	checkValues(&p, values)
	return p.Err()
}

func checkValues(p *redress.Problems, values url.Values) {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same field is named first every time
	for _, k := range keys {
		if key := redress.StorableTextProblem(k); key != "" {
			p.AddKey(fieldName(k), key)
			continue
		}
		for _, v := range values[k] {
			checkValue(p, k, v)
		}
	}
}

func checkValue(p *redress.Problems, field, v string) {
	if key := redress.StorableTextProblem(v); key != "" {
		p.AddKey(fieldName(field), key)
	}
}

// fieldName is a field's name as an answer can carry it: a name that is
// itself not storable is shown with its bad bytes replaced.
func fieldName(name string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", `\0`), "\uFFFD")
}

// pathNames lists the wildcards of a mux pattern: "/cases/{no}/evidence/{id}"
// → no, id; "{path...}" → path.
func pathNames(pattern string) []string {
	var names []string
	for rest := pattern; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return names
		}
		name := strings.TrimSuffix(rest[i+1:i+j], "...")
		if name != "$" {
			names = append(names, name)
		}
		rest = rest[i+j+1:]
	}
}

// isURLEncodedForm reports whether r carries a URL-encoded form body.
func isURLEncodedForm(r *http.Request) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		return false
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mediaType == "application/x-www-form-urlencoded"
}
