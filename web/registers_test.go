package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRegistersIndex: the menu has one entry for the registers an outlet
// keeps (网点台账), marked as the section on each register's page, and its
// page leads to every register; the admin, who reads no case contents, is
// refused.
func TestRegistersIndex(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	mgr := pageClient(t, f, "mgr")
	status, page := getPage(t, f, mgr, "/registers")
	if status != http.StatusOK {
		t.Fatalf("the index: %d", status)
	}
	for _, path := range []string{"/registers/reception", "/registers/opinion-book", "/registers/opinion", "/corrective", "/registers/lost", "/registers/training", "/incidents"} {
		if !strings.Contains(between(page, `id="registers"`, "</ul>"), `href="`+path+`"`) {
			t.Errorf("the index does not lead to %s", path)
		}
	}
	if !strings.Contains(page, `href="/registers" aria-current="page"`) {
		t.Error("the index is not the current page in the menu")
	}
	_, lost := getPage(t, f, mgr, "/registers/lost")
	if !strings.Contains(lost, `href="/registers" aria-current="true"`) || strings.Count(lost, `href="/registers/lost"`) > 1 {
		t.Error("a register's page does not mark its section in the menu")
	}
	admin := pageClient(t, f, "admin")
	if status, _ := getPage(t, f, admin, "/registers"); status != http.StatusForbidden {
		t.Errorf("the admin reads the index: %d", status)
	}
}
