package main

import (
	"strings"
	"testing"
)

// TestDemoTwicePrintsLogins: a second `make run` (the demo command on a
// loaded bank) changes nothing and prints again who can sign in and with
// which password, as the first did.
func TestDemoTwicePrintsLogins(t *testing.T) {
	t.Parallel()
	bin, data := buildBinary(t), t.TempDir()
	for run := 1; run <= 2; run++ {
		code, out, errs := runCLI(t, bin, data, "demo")
		if code != 0 {
			t.Fatalf("demo run %d: %d %s", run, code, errs)
		}
		if !strings.Contains(out, "LOGIN") || !strings.Contains(out, "zhang.lei") || !strings.Contains(out, "Demo-2026-pass") {
			t.Fatalf("demo run %d does not print the logins:\n%s", run, out)
		}
		if run == 2 && (strings.Contains(out, "Loaded the demo bank") || !strings.Contains(out, "already loaded")) {
			t.Fatalf("the second run loaded again:\n%s", out)
		}
	}
}
