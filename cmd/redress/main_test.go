package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/sqldb/sqldbtest"
)

// binDir holds the redress command the tests build; TestMain makes it and
// removes it.
var binDir string

// TestMain runs the tests with a directory for the binary they build.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "redress-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// builtBinary compiles the redress command once for the tests of this run.
var builtBinary = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "redress")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// buildBinary returns the redress command, built once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin, err := builtBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// lockedBuffer collects a child process's output: os/exec writes it from
// its own goroutine while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// runCLI runs the binary and returns its exit status and output.
func runCLI(t *testing.T, bin, data string, args ...string) (int, string, string) {
	t.Helper()
	return runCLIWith(t, bin, data, nil, args...)
}

// runCLIWith is runCLI with more environment variables (NAME=value), which
// win over the test process's own.
func runCLIWith(t *testing.T, bin, data string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, append(args, "--data", data)...)
	cmd.Env = append(append(os.Environ(), "REDRESS_ADMIN_PASSWORD="), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.String(), stderr.String()
}

// TestBinaryEndToEnd starts the built binary as an operator would and takes a
// complaint from registration to closed over HTTP, then tampers with the
// database and sees audit verify fail: on SQLite, and on PostgreSQL when
// REDRESS_TEST_POSTGRES names a server (--db a postgres:// URL, the key
// file still in --data).
func TestBinaryEndToEnd(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	engines, err := sqldbtest.Engines()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range engines {
		t.Cleanup(func() {
			if err := e.Close(); err != nil {
				t.Error(err)
			}
		})
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			binaryEndToEnd(t, bin, e)
		})
	}
}

func binaryEndToEnd(t *testing.T, bin string, e sqldbtest.Engine) {
	dsn := e.NewDatabase(t)
	// Every command below, serve included, uses it (in its environment, not
	// the test process's, so that the tests may run in parallel).
	env := []string{"REDRESS_DB=" + dsn}
	runCLI := func(t *testing.T, bin, data string, args ...string) (int, string, string) {
		t.Helper()
		return runCLIWith(t, bin, data, env, args...)
	}
	data := sqldbtest.TempDir(t) // the key file
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--data", data)
	serve.Env = append(append(os.Environ(), "REDRESS_ADMIN_PASSWORD="), env...)
	var serveOut, serveErr lockedBuffer // written by the server while the test reads
	serve.Stdout, serve.Stderr = &serveOut, &serveErr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); serve.Wait() })
	base := "http://" + addr
	waitHealthy(t, base)
	if !strings.Contains(serveOut.String(), "Created user admin with password ") {
		t.Fatalf("serve did not print the generated admin password: %s", serveOut.String())
	}
	info, err := os.Stat(filepath.Join(data, "redress.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	for _, u := range [][]string{
		{"--login", "wang.fang", "--name", "王芳", "--role", "staff", "--org", "HQ"},
		{"--login", "li.qiang", "--name", "李强", "--role", "manager", "--org", "HQ"},
		{"--login", "zhang.wei", "--name", "张伟", "--role", "branch_head", "--org", "HQ"},
	} {
		if code, _, stderr := runCLI(t, bin, data, append([]string{"user", "add"}, u...)...); code != 0 {
			t.Fatalf("user add: %d %s", code, stderr)
		}
	}
	tokens := map[string]string{}
	for _, login := range []string{"wang.fang", "li.qiang", "zhang.wei"} {
		code, stdout, stderr := runCLI(t, bin, data, "token", "create", "--login", login)
		if code != 0 || !strings.HasPrefix(stdout, "rdr_") {
			t.Fatalf("token create: %d %s %s", code, stdout, stderr)
		}
		tokens[login] = strings.TrimSpace(stdout)
	}
	call := func(login, method, path, body string, want int) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokens[login])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %v", method, path, resp.StatusCode, want, out)
		}
		return out
	}
	c := call("wang.fang", "POST", "/api/v1/cases", `{"kind":"complaint","channel":"phone","received_at":"2026-11-20T09:30:00+08:00",
		"complainant":{"name":"张三","id_type":"resident_id","id_number":"110101199003071234","phone":"13812345678"},
		"subject":"信用卡年费争议","description":"客户称办卡时承诺免年费","request":"退还年费"}`, 201)
	no := c["no"].(string)
	steps := []struct{ login, action, body string }{
		{"li.qiang", "accept", `{"version":1}`},
		{"li.qiang", "investigate", `{"version":2,"text":"核对办卡申请书及营销录音"}`},
		{"li.qiang", "determine", `{"version":3,"liability":"bank_fault","responsible_party":"信用卡中心","root_cause":"营销人员口头承诺"}`},
		{"li.qiang", "reply", `{"version":4,"facts":"营销人员承诺免年费","basis":"领用合约","outcome":"upheld","redress":"退还年费","remedies":["review"],"notice_method":"phone","notice_at":"2026-11-21T10:00:00+08:00","notice_proof":"录音 R-02"}`},
		{"zhang.wei", "sign_off", `{"version":5}`},
		{"li.qiang", "close", `{"version":6,"satisfaction":"satisfied"}`},
	}
	for _, s := range steps {
		call(s.login, "POST", "/api/v1/cases/"+no+"/"+s.action, s.body, 200)
	}
	if got := call("li.qiang", "GET", "/api/v1/cases/"+no, "", 200); got["status"] != "closed" {
		t.Fatalf("final status %v", got["status"])
	}
	// Personal data: a lookup and an audited reveal, then a key rotation while the server runs.
	if page := call("li.qiang", "POST", "/api/v1/cases/lookup", `{"phone":"13812345678"}`, 200); len(page["cases"].([]any)) != 1 {
		t.Fatalf("lookup: %v", page)
	}
	if got := call("li.qiang", "POST", "/api/v1/cases/"+no+"/reveal", `{"field":"id_number","reason":"核对身份"}`, 200); got["value"] != "110101199003071234" {
		t.Fatalf("reveal: %v", got)
	}
	code, stdout, stderr := runCLI(t, bin, data, "keys", "rotate")
	if code != 0 || !strings.Contains(stdout, "key version 2: 1 cases examined, 1 re-encrypted, 0 remaining") {
		t.Fatalf("keys rotate: %d %s %s", code, stdout, stderr)
	}
	if got := call("li.qiang", "GET", "/api/v1/cases/"+no, "", 200); got["complainant"].(map[string]any)["phone"] != "138****5678" {
		t.Fatalf("the running server reads data sealed under the new key: %v", got["complainant"])
	}
	if got := call("li.qiang", "POST", "/api/v1/cases/"+no+"/reveal", `{"field":"phone","reason":"回访"}`, 200); got["value"] != "13812345678" {
		t.Fatalf("reveal after rotation: %v", got)
	}
	keyFile, _ := os.ReadFile(filepath.Join(data, "redress.key"))
	if info, _ := os.Stat(filepath.Join(data, "redress.key")); info.Mode().Perm() != 0o600 || !strings.Contains(string(keyFile), "\n2 ") {
		t.Fatalf("rotated key file: %v", info.Mode())
	}
	code, stdout, _ = runCLI(t, bin, data, "audit", "verify")
	if code != 0 || !strings.Contains(stdout, "intact") {
		t.Fatalf("audit verify: %d %s", code, stdout)
	}
	if _, err := e.Raw(t, dsn).Exec(`UPDATE events SET actor = 'mallory' WHERE seq = 5`); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runCLI(t, bin, data, "audit", "verify")
	if code != 1 || !strings.Contains(stdout, "event 5") {
		t.Fatalf("audit verify after tampering: %d %s", code, stdout)
	}
	for _, secret := range []string{"13812345678", "110101199003071234"} {
		if strings.Contains(serveErr.String()+serveOut.String(), secret) {
			t.Fatalf("the server log holds %s", secret)
		}
	}
	if !strings.Contains(serveErr.String(), "path=/api/v1/cases/lookup status=200") {
		t.Fatalf("the access log is not being written: %s", serveErr.String())
	}
}

func TestDeadlineCommand(t *testing.T) {
	t.Parallel()
	data := sqldbtest.TempDir(t) // the calendar overrides live in the database
	tests := []struct {
		args    []string
		code    int
		out     string
		errText string
	}{
		{[]string{"deadline", "--from", "2026-02-12", "--days", "5", "--working"}, 0, "2026-02-26\n", ""},
		{[]string{"deadline", "--from", "2024-03-01", "--days", "15"}, 0, "2024-03-16\n", ""},
		{[]string{"deadline", "--from", "2026-09-01", "--policy", "petition", "--clock", "handling"}, 0, "2026-11-02\n", "Art.203"},
		{[]string{"deadline", "--from", "2027-03-01", "--days", "5", "--working"}, 1, "", "no CN holiday schedule for 2027"},
		{[]string{"deadline", "--from", "tomorrow", "--days", "5"}, 2, "", "--from must be a date"},
		{[]string{"deadline", "--from", "2026-01-01"}, 2, "", "give --days"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append(tt.args, "--data", data), &stdout, &stderr)
		if code != tt.code || stdout.String() != tt.out || !strings.Contains(stderr.String(), tt.errText) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tt.args, code, stdout.String(), stderr.String())
		}
	}
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server at %s did not become healthy", base)
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{}, {"fly"}, {"user"}, {"user", "remove"}, {"token", "create"},
		{"serve", "--bogus"}, {"migrate", "extra"}, {"user", "add", "--login", "x"}} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "Usage:") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
	var stdout bytes.Buffer
	if code := run(context.Background(), []string{"help"}, &stdout, &stdout); code != 0 || !strings.Contains(stdout.String(), "redress serve") {
		t.Fatalf("help: %d", code)
	}
	data := sqldbtest.TempDir(t) // the database and the key file
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"token", "create", "--login", "nobody", "--data", data}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "no user has login nobody") {
		t.Fatalf("token for a missing user: %d %s", code, stderr.String())
	}
	code = run(context.Background(), []string{"user", "add", "--login", "x", "--name", "某", "--role", "king", "--org", "HQ", "--data", data}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "role") {
		t.Fatalf("user add with a bad role: %d %s", code, stderr.String())
	}
}
