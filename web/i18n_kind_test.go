package web

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestKindWording: a petition's message is its ".petition" variant where
// the catalogue has one, in both languages; other kinds, and messages
// without a variant, read as before.
func TestKindWording(t *testing.T) {
	t.Parallel()
	bundle, err := newBundle(uiFiles)
	if err != nil {
		t.Fatal(err)
	}
	zh, en := newT(bundle, "zh-CN"), newT(bundle, "en")
	tests := []struct {
		t        *T
		kind, id string
		want     string
	}{
		{zh, "petition", "field.complainant", "信访人"},
		{zh, "complaint", "field.complainant", "投诉人"},
		{zh, "petition", "receipt.heading", "信访事项受理告知书"},
		{zh, "petition", "print.decision", "信访事项处理意见书"},
		{zh, "petition", "field.no", "信访编号"},
		{zh, "petition", "field.subject", zh.Get("field.subject")}, // no variant
		{en, "petition", "field.complainant", "Petitioner"},
		{en, "petition", "case.receipt", "Print the acceptance notice"},
		{en, "inquiry", "field.complainant", "Complainant"},
	}
	for _, tt := range tests {
		if got := tt.t.Kind(tt.kind, tt.id); got != tt.want {
			t.Errorf("%s %s %s: %q, want %q", tt.t.Lang, tt.kind, tt.id, got, tt.want)
		}
	}
	if got := zh.KindLabel("petition", "role", "manager"); strings.Contains(got, "投诉") {
		t.Errorf("a petition's manager: %q", got)
	}
	if got := zh.KindLabel("petition", "role", ""); got != "" {
		t.Errorf("an empty value has no label: %q", got)
	}
}

// TestKindVariantsComplete: every ".petition" variant has its message, and
// every message a template asks for by kind (.T.Kind, .T.KindLabel's
// vocabulary aside) exists.
func TestKindVariantsComplete(t *testing.T) {
	t.Parallel()
	data, err := fs.ReadFile(uiFiles, "i18n/zh-CN.json")
	if err != nil {
		t.Fatal(err)
	}
	zh := map[string]any{}
	if err := json.Unmarshal(data, &zh); err != nil {
		t.Fatal(err)
	}
	for k := range zh {
		if base, ok := strings.CutSuffix(k, petitionSuffix); ok && strings.Contains(base, ".") { // kind.petition is a label
			if _, found := zh[base]; !found {
				t.Errorf("%s has no message %s", k, base)
			}
		}
	}
	byKind := regexp.MustCompile(`\.T\.Kind [^"]*"([a-z_]+\.[a-z_.]+)"`)
	files, _ := fs.Glob(uiFiles, "templates/*.html")
	asked := 0
	for _, f := range files {
		data, _ := fs.ReadFile(uiFiles, f)
		for _, m := range byKind.FindAllStringSubmatch(string(data), -1) {
			asked++
			if _, ok := zh[m[1]]; !ok {
				t.Errorf("%s asks for %s by kind: no such message", f, m[1])
			}
		}
	}
	if asked == 0 {
		t.Fatal("no template asks for a message by kind")
	}
}
