package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"time"
)

// The sign-in: a staff member signs in with login and password
// (POST /api/v1/session), one argon2id hash of the password at the
// production cost, one session written.
const (
	signInLogin    = "bench.signin"
	signInPassword = "Bench-signin-2026"
	signInCount    = 100
)

// addSignInUser adds the user the sign-in measurement signs in as, with a
// password, to the run's copy of the dataset (whose users have none).
func addSignInUser(ctx context.Context, bin, dataDir, dsn, org string) error {
	cmd := exec.CommandContext(ctx, bin, "user", "add", "--login", signInLogin, "--name", "基准登录", "--role", "staff",
		"--org", org, "--password", signInPassword, "--data", dataDir, "--db", dsn)
	cmd.Env = serverEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil && !strings.Contains(stderr.String(), "exists") {
		return fmt.Errorf("user add --login %s: %v: %s", signInLogin, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// signIn times signInCount sign-ins, one after another, and the server's
// peak RSS while they run: each holds the hash's memory (64 MiB) while it
// runs. The server runs with its sign-in limits off (startServer), so that
// this measures the sign-in, not the limiter.
func (m *measurer) signIn() {
	me := &measurement{name: mSignIn}
	m.r.measures = append(m.r.measures, me)
	body, err := json.Marshal(map[string]string{"login": signInLogin, "password": signInPassword})
	if err != nil {
		me.unavailable = err.Error()
		return
	}
	req := request{method: "POST", path: "/api/v1/session", body: body}
	if me.unavailable = m.available(req); me.unavailable != "" {
		logf("%s: %s: %s", m.r.engine, mSignIn, me.unavailable)
		return
	}
	if err := resetPeakRSS(m.pid); err != nil {
		logf("%s: %s: the peak RSS is the whole run's: %v", m.r.engine, mSignIn, err)
	}
	m.measure(me, 1, signInCount, 3*time.Minute, http.StatusCreated, func(int) request { return req })
	me.peakRSS = m.srv.peakRSS()
	logf("%s: %s: p50 %s  p99 %s  peak RSS %s", m.r.engine, mSignIn, ms(me.res.quantile(0.5)), ms(me.res.quantile(0.99)), mb(me.peakRSS))
}
