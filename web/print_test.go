package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestPrintsNameNoInternals (issue 13 item 6): what the customer takes home
// names people and units, never logins or unit codes, writes dates as
// 2026年11月20日, and the registration form has lines for the customer's and
// the first responder's signatures.
func TestPrintsNameNoInternals(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", createBody)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, c)
	}
	no := c["no"].(string)
	client := pageClient(t, f, "mgr")
	receipt := pageText(t, f, client, "/cases/"+no+"/receipt")
	form := pageText(t, f, client, "/cases/"+no+"/print/registration")
	for name, page := range map[string]string{"receipt": receipt, "registration form": form} {
		for _, want := range []string{"王芳", "中关村网点", "2026年11月20日"} {
			if !strings.Contains(page, want) {
				t.Errorf("the %s does not say %q", name, want)
			}
		}
		for _, internal := range []string{">staff<", "(staff)", "staff（", "BJ-01", "2026-11-20 09:30"} {
			if strings.Contains(page, internal) {
				t.Errorf("the %s shows %q", name, internal)
			}
		}
	}
	if !strings.Contains(form, "客户签字") || !strings.Contains(form, "首问负责人签字") {
		t.Errorf("the registration form has no signature lines")
	}
}
