package web_test

import (
	"slices"
	"testing"
)

// TestOpenAPIAsTheLintersSeeIt keeps the document passing Redocly's and
// Spectral's recommended rules (issue 13 item 9): servers and tags, a
// description, tags and a 4XX answer on every operation, the required
// query parameters marked required (stats from/to, search q), ranges in the
// schema, the properties every answer holds marked required, and the real
// content types of an evidence download.
func TestOpenAPIAsTheLintersSeeIt(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	type parameter struct {
		Name     string         `json:"name"`
		In       string         `json:"in"`
		Required bool           `json:"required"`
		Schema   map[string]any `json:"schema"`
	}
	type operation struct {
		Description string      `json:"description"`
		Tags        []string    `json:"tags"`
		Parameters  []parameter `json:"parameters"`
		Responses   map[string]*struct {
			Content map[string]any `json:"content"`
		} `json:"responses"`
	}
	var doc struct {
		Info struct {
			License map[string]any `json:"license"`
			Contact map[string]any `json:"contact"`
		} `json:"info"`
		Servers []map[string]any `json:"servers"`
		Tags    []struct {
			Name, Description string
		} `json:"tags"`
		Paths      map[string]map[string]operation `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Required []string `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	openAPIDoc(t, f, &doc)
	if len(doc.Servers) == 0 || doc.Info.License["name"] == nil || doc.Info.Contact == nil {
		t.Errorf("servers %v, license %v, contact %v", doc.Servers, doc.Info.License, doc.Info.Contact)
	}
	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		if tag.Description == "" {
			t.Errorf("tag %s has no description", tag.Name)
		}
		declared[tag.Name] = true
	}
	param := func(path, method, name string) parameter {
		t.Helper()
		for _, p := range doc.Paths[path][method].Parameters {
			if p.Name == name {
				return p
			}
		}
		t.Fatalf("%s %s has no parameter %s", method, path, name)
		return parameter{}
	}
	for path, item := range doc.Paths {
		for method, op := range item {
			if op.Description == "" || len(op.Tags) != 1 || !declared[op.Tags[0]] {
				t.Errorf("%s %s: description %q, tags %v", method, path, op.Description, op.Tags)
			}
			if op.Responses["4XX"] == nil {
				t.Errorf("%s %s has no 4XX answer", method, path)
			}
		}
	}
	for _, p := range []struct{ path, name string }{{"/api/v1/stats", "from"}, {"/api/v1/stats", "to"}, {"/api/v1/search", "q"}} {
		if !param(p.path, "get", p.name).Required {
			t.Errorf("%s %s is not marked required", p.path, p.name)
		}
	}
	if param("/api/v1/cases", "get", "limit").Required {
		t.Error("the list's limit is marked required")
	}
	for _, r := range []struct {
		path, name, key string
		want            float64
	}{
		{"/api/v1/cases", "limit", "minimum", 1}, {"/api/v1/cases", "limit", "maximum", 200},
		{"/api/v1/cases", "level", "minimum", 1}, {"/api/v1/cases", "level", "maximum", 4},
		{"/api/v1/search", "limit", "maximum", 50}, {"/api/v1/search", "q", "minLength", 2}, {"/api/v1/search", "q", "maxLength", 50},
	} {
		if got := param(r.path, "get", r.name).Schema[r.key]; got != r.want {
			t.Errorf("%s %s %s = %v, want %v", r.path, r.name, r.key, got, r.want)
		}
	}
	sorts, _ := param("/api/v1/cases", "get", "sort").Schema["enum"].([]any)
	for _, v := range []string{"due_asc", "due_desc", "received_asc", "received_desc", "level_asc", "level_desc", "priority_asc", "priority_desc"} {
		if !slices.Contains(sorts, any(v)) {
			t.Errorf("the list's sort enum lacks %s: %v", v, sorts)
		}
	}
	for name, props := range map[string][]string{"Case": {"no", "status", "level", "priority"}, "CasePage": {"cases"}, "ErrorBody": {"error"}} {
		for _, p := range props {
			if !slices.Contains(doc.Components.Schemas[name].Required, p) {
				t.Errorf("schema %s does not require %s: %v", name, p, doc.Components.Schemas[name].Required)
			}
		}
	}
	if r := doc.Components.Schemas["NewCase"].Required; len(r) != 0 {
		t.Errorf("a request schema claims required properties it does not check as such: %v", r)
	}
	download := doc.Paths["/api/v1/cases/{no}/evidence/{id}"]["get"].Responses["200"].Content
	for _, ct := range []string{"application/pdf", "image/jpeg", "audio/mpeg", "application/octet-stream"} {
		if download[ct] == nil {
			t.Errorf("the evidence download does not list %s: %v", ct, download)
		}
	}
	if doc.Paths["/api/v1/cases"]["get"].Responses["200"].Content["text/csv"] == nil {
		t.Error("the case list's CSV export is not in the document")
	}
}
