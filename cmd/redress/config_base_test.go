package main

import (
	"strings"
	"testing"
)

// TestBaseURLFromEnv: REDRESS_BASE_URL is the address the notices link to;
// anything but an http(s) address with a host is refused by name.
func TestBaseURLFromEnv(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ value, want, err string }{
		{"", "", ""},
		{"https://complaints.bank.example/", "https://complaints.bank.example", ""},
		{"http://10.1.2.3:8080", "http://10.1.2.3:8080", ""},
		{"complaints.bank.example", "", "REDRESS_BASE_URL"},
		{"javascript:alert(1)", "", "REDRESS_BASE_URL"},
		{"https://x.example/?a=1", "", "REDRESS_BASE_URL"},
	} {
		var c Config
		err := c.readNotifyEnv(func(k string) string {
			if k == "REDRESS_BASE_URL" {
				return tt.value
			}
			return ""
		})
		if tt.err == "" && (err != nil || c.BaseURL != tt.want) || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%q: base %q, error %v", tt.value, c.BaseURL, err)
		}
	}
}
