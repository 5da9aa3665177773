package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// vendorRef finds a page's reference to a browser library under
// static/vendor/, which `make assets` copies from node_modules (it is not
// committed).
var vendorRef = regexp.MustCompile(`\{\{asset "(vendor/[^"]+)"\}\}`)

// TestVendorAssetsEmbedded: every library the templates load from
// /static/vendor/ (linked with {{asset "vendor/…"}}) is embedded in the build. Without `make assets` the
// package still compiles, and the pages would load without htmx and ECharts:
// this test says so instead.
func TestVendorAssetsEmbedded(t *testing.T) {
	t.Parallel()
	templates, err := fs.Glob(uiFiles, "templates/*.html")
	if err != nil || len(templates) == 0 {
		t.Fatalf("no templates embedded: %v", err)
	}
	wanted := map[string]string{} // asset → the first template that loads it
	for _, name := range templates {
		page, err := fs.ReadFile(uiFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range vendorRef.FindAllSubmatch(page, -1) {
			if _, ok := wanted[string(m[1])]; !ok {
				wanted[string(m[1])] = name
			}
		}
	}
	if len(wanted) == 0 {
		t.Fatal("no template loads a library from /static/vendor/: the check below would prove nothing")
	}
	for asset, page := range wanted {
		if info, err := fs.Stat(uiFiles, "static/"+asset); err != nil || info.Size() == 0 {
			t.Errorf("web/static/%s (loaded by %s) is missing from the build: run `make assets`, which copies the "+
				"browser libraries from node_modules (npm ci), then run the tests again", asset, page)
		}
	}
}
