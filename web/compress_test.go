package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestCompressionAndAssetCaching: pages, JSON and assets go out compressed
// as the browser asks (br before gzip, none when it asks for none), and
// decode to the same bytes; an XLSX, compressed already, goes as it is;
// the pages link assets by their content hash, served with a year's
// immutable cache, and an old hash is sent to the current one.
func TestCompressionAndAssetCaching(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	get := func(path, accept string, token bool) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", accept)
		if token {
			req.Header.Set("Authorization", "Bearer "+f.tokens["mgr"])
		}
		resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body io.Reader = resp.Body
		switch resp.Header.Get("Content-Encoding") {
		case "br":
			body = brotli.NewReader(resp.Body)
		case "gzip":
			gz, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = gz
		}
		raw, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(raw)
	}
	_, plain := get("/login", "", false)
	for _, tt := range []struct{ accept, want string }{{"gzip, deflate, br", "br"}, {"gzip", "gzip"}, {"br;q=0, gzip", "gzip"}, {"identity", ""}} {
		resp, body := get("/login", tt.accept, false)
		if got := resp.Header.Get("Content-Encoding"); got != tt.want || body != plain {
			t.Errorf("%q: encoding %q, want %q (same body %v)", tt.accept, got, tt.want, body == plain)
		}
	}
	// The writers are reused (compressors): each answer is a stream of its own.
	for range 3 {
		for _, accept := range []string{"br", "gzip"} {
			if resp, body := get("/login", accept, false); resp.Header.Get("Content-Encoding") != accept || body != plain {
				t.Errorf("%q again: encoding %q (same body %v)", accept, resp.Header.Get("Content-Encoding"), body == plain)
			}
		}
	}
	if resp, body := get("/api/v1/cases", "br", true); resp.Header.Get("Content-Encoding") != "br" || !strings.HasPrefix(body, "{") {
		t.Errorf("JSON: %q %.40s", resp.Header.Get("Content-Encoding"), body)
	}
	if resp, _ := get("/api/v1/stats?from=2026-11-01&to=2026-11-30&format=xlsx", "br, gzip", true); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("an XLSX was compressed again: %q", resp.Header.Get("Content-Encoding"))
	}
	link := regexp.MustCompile(`href="(/assets/[0-9a-f]{12}/app\.css)"`).FindStringSubmatch(plain)
	if link == nil {
		t.Fatalf("the page does not link its stylesheet by hash")
	}
	resp, css := get(link[1], "gzip", false)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(css, "--accent") {
		t.Errorf("the hashed stylesheet: %d %q %q", resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Encoding"))
	}
	if resp, _ := get("/assets/000000000000/app.css", "", false); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != link[1] {
		t.Errorf("an old hash: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := get("/assets/000000000000/nothing.css", "", false); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown asset: %d", resp.StatusCode)
	}
}
