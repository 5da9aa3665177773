package web

import (
	"net/url"
	"testing"
)

// TestPageLinks: the workbench walks forward and back through keyset pages:
// page 1 → 2 → 3 and back to 2 and 1, the filters kept on every link.
func TestPageLinks(t *testing.T) {
	t.Parallel()
	q := func(raw string) url.Values {
		v, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Page 1 (no cursor): no previous page; next is page 2 with the first page behind it.
	prev, next := pageLinks(q("status=registered"), "C2")
	if prev != "" || next != "?back=.&cursor=C2&status=registered" {
		t.Fatalf("page 1: prev %q next %q", prev, next)
	}
	// Page 2: back to page 1, on to page 3.
	prev, next = pageLinks(q("back=.&cursor=C2&status=registered"), "C3")
	if prev != "?status=registered" || next != "?back=.%2CC2&cursor=C3&status=registered" {
		t.Fatalf("page 2: prev %q next %q", prev, next)
	}
	// Page 3, the last: back to page 2, no next page.
	prev, next = pageLinks(q("back=.,C2&cursor=C3&status=registered"), "")
	if prev != "?back=.&cursor=C2&status=registered" || next != "" {
		t.Fatalf("page 3: prev %q next %q", prev, next)
	}
}
