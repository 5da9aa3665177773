package web

import (
	"net/http"
	"testing"
)

// TestSafeNext: after sign-in, next keeps the user on this site — a browser
// reads "\" as "/" and drops tabs and newlines, so those forms leave it.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"/cases/TS20261120-00001":      "/cases/TS20261120-00001",
		"/?status=registered&sort=due": "/?status=registered&sort=due",
		"":                             "/",
		"cases":                        "/",
		"https://evil.example/":        "/",
		"//evil.example/":              "/",
		"/\\evil.example/":             "/",
		"/\\\\evil.example/":           "/",
		"/\t/evil.example":             "/",
		"/\n/evil.example":             "/",
		"/%2F/evil.example":            "/", // decoded it starts with //: refused rather than trusted
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestClientHost(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{"10.1.2.3:5000": "10.1.2.3", "[::1]:5000": "::1", "[2001:db8::7]:443": "2001:db8::7"} {
		if got := clientHost(&http.Request{RemoteAddr: addr}); got != want {
			t.Errorf("clientHost(%q) = %q, want %q", addr, got, want)
		}
	}
}
