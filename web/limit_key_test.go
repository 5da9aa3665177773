package web

import "testing"

// Issue 11 item 3: the per-address limit counts an IPv6 client by its /64,
// an IPv4 one (also mapped into IPv6) by its address; a login key is cut on
// a rune boundary.
func TestSignInLimitKeys_Issue11Item3(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ host, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"::ffff:192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not an address", "not an address"},
	} {
		if got := addressKey(c.host); got != c.want {
			t.Errorf("addressKey(%q) = %q, want %q", c.host, got, c.want)
		}
	}
	if got := cutBytes("登录名", 4); got != "登" {
		t.Errorf("cutBytes cut mid-character: %q", got)
	}
}
