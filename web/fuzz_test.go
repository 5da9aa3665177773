package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"redress"
)

// The decoders of the edge, fuzzed (issue 11, item 9): whatever comes in,
// they answer without panicking, and what they accept holds only text that
// every engine stores. The seed corpus is in testdata/fuzz/<target>; make
// test fuzzes each target for a few seconds (make fuzz for longer).

// storable walks v and reports the first string that no engine may store.
func storable(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), redress.StorableTextProblem(v.String()) == ""
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return storable(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if s, ok := storable(v.Field(i)); !ok {
					return s, false
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return "", true // bytes (a raw message): decoded again where used
		}
		for i := range v.Len() {
			if s, ok := storable(v.Index(i)); !ok {
				return s, false
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if s, ok := storable(k); !ok {
				return s, false
			}
			if s, ok := storable(v.MapIndex(k)); !ok {
				return s, false
			}
		}
	}
	return "", true
}

// FuzzDecodeStrict decodes a body as the API does, into the types of its
// busiest operations.
func FuzzDecodeStrict(f *testing.F) {
	f.Add([]byte(`{"kind":"complaint","complainant":{"name":"张三"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, dst := range []any{&redress.NewCase{}, &redress.ActionRequest{}, &redress.SignIn{}, &map[string]any{}, &redress.YearSchedule{}} {
			err := decodeStrict(body, dst)
			if err != nil {
				if code := redress.ErrorCode(err); code != redress.EINVALID {
					t.Fatalf("decodeStrict(%q) into %T: %s, want invalid", body, dst, code)
				}
				continue
			}
			if !utf8.Valid(body) {
				t.Fatalf("decodeStrict accepted a body that is not UTF-8 into %T: %q", dst, body)
			}
			if s, ok := storable(reflect.ValueOf(dst)); !ok {
				t.Fatalf("decodeStrict(%q) into %T kept %q", body, dst, s)
			}
		}
	})
}

// FuzzCheckInput sends a path, a query and a URL-encoded form through a
// route's checkInput.
func FuzzCheckInput(f *testing.F) {
	f.Add("/cases/TS1/act/accept", "status=registered", "version=1&text=理财")
	f.Fuzz(func(t *testing.T, path, rawQuery, form string) {
		mux := http.NewServeMux()
		var checked error
		handled := false
		for _, pattern := range []string{"POST /cases/{no}/act/{action}", "POST /static/", "POST /{rest...}"} {
			mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
				handled, checked = true, checkInput(w, r, strings.TrimPrefix(pattern, "POST "))
				if checked != nil {
					return
				}
				for _, name := range pathNames(pattern) {
					if redress.StorableTextProblem(r.PathValue(name)) != "" {
						t.Fatalf("checkInput let path value %s=%q through", name, r.PathValue(name))
					}
				}
				for _, values := range []url.Values{r.URL.Query(), r.PostForm} {
					if s, ok := storable(reflect.ValueOf(values)); !ok {
						t.Fatalf("checkInput let %q through", s)
					}
				}
			})
		}
		r := httptest.NewRequest("POST", "/", strings.NewReader(form))
		r.URL = &url.URL{Path: "/" + strings.TrimPrefix(path, "/"), RawQuery: rawQuery}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		mux.ServeHTTP(httptest.NewRecorder(), r)
		if handled && checked != nil && redress.ErrorCode(checked) != redress.EINVALID {
			t.Fatalf("checkInput: %v, want invalid", checked)
		}
	})
}

// FuzzCaseFilterQuery reads a case list's query string, then normalises
// the filter as the store does: an error is always invalid input.
func FuzzCaseFilterQuery(f *testing.F) {
	f.Add("status=registered,accepted&level=2&limit=50&overdue=true&received_from=2026-11-01")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		r := httptest.NewRequest("GET", "/api/v1/cases", nil)
		r.URL.RawQuery = rawQuery
		filter, err := caseFilterFrom(r)
		if err == nil {
			var p redress.Problems
			filter.Normalize(&p)
			err = p.Err()
			if err == nil && (filter.Limit < 1 || filter.Limit > redress.MaxListLimit) {
				t.Fatalf("caseFilterFrom(%q): limit %d accepted", rawQuery, filter.Limit)
			}
		}
		if err != nil && redress.ErrorCode(err) != redress.EINVALID {
			t.Fatalf("caseFilterFrom(%q): %v, want invalid", rawQuery, err)
		}
	})
}
