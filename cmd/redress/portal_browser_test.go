package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"redress/sqldb/sqldbtest"
)

// smsGateway is a test SMS gateway: it takes the notify/ gateway contract
// ({"to","text"}) and keeps the texts.
type smsGateway struct {
	mu    sync.Mutex
	texts []string
}

func (g *smsGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct{ To, Text string }
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.texts = append(g.texts, m.To+" "+m.Text)
	g.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

var smsCode = regexp.MustCompile(`验证码为([0-9]{6})`)

// code waits for a text to the phone and returns its code.
func (g *smsGateway) code(t *testing.T, phone string) string {
	t.Helper()
	for range 300 {
		g.mu.Lock()
		for _, text := range g.texts {
			if m := smsCode.FindStringSubmatch(text); m != nil && strings.HasPrefix(text, phone+" ") {
				g.mu.Unlock()
				return m[1]
			}
		}
		g.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no code reached %s", phone)
	return ""
}

// TestPortalOnAPhone_Issue14Item5 drives the customer portal in headless
// Chromium at a phone's viewport (390×844) against the built binary with
// --portal-addr and a test SMS gateway: a customer submits a complaint with
// a file, confirms the restatement and the consent, gets the tracking
// number, tracks the case with the code from the SMS, adds material, and
// after the bank's decision notice rates the handling. It runs on each
// engine.
func TestPortalOnAPhone_Issue14Item5(t *testing.T) {
	t.Parallel()
	engines, err := sqldbtest.Engines()
	if err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	for _, e := range engines {
		t.Run(e.Name, func(t *testing.T) { portalOnAPhone(t, bin, e) })
	}
}

func portalOnAPhone(t *testing.T, bin string, e sqldbtest.Engine) {
	b := newBrowser(t)
	data := t.TempDir()
	dsn := e.NewDatabase(t)
	if code, _, stderr := runCLI(t, bin, data, "user", "add", "--db", dsn, "--password", "browser-pass-2026", "--login", "wang.fang", "--name", "王芳",
		"--role", "manager", "--org", "HQ"); code != 0 {
		t.Fatalf("user add: %s", stderr)
	}
	gateway := &smsGateway{}
	sms := httptest.NewServer(gateway)
	defer sms.Close()
	addr, portalAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--portal-addr", portalAddr, "--data", data, "--db", dsn)
	serve.Env = append(os.Environ(), "REDRESS_SMS_URL="+sms.URL)
	var serveErr lockedBuffer
	serve.Stderr = &serveErr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); serve.Wait() })
	staff, portal := "http://"+addr, "http://"+portalAddr
	waitHealthy(t, staff)
	waitHealthy(t, portal)
	shots := t.TempDir()
	if os.Getenv("REDRESS_SCREENSHOTS") != "" && e.Name == "sqlite" {
		shots = filepath.Join("..", "..", "docs", "screenshots")
	}
	dir := t.TempDir()
	scan := filepath.Join(dir, "bill.pdf")
	photo := filepath.Join(dir, "receipt.png")
	os.WriteFile(scan, []byte("%PDF-1.4 账单"), 0o600)
	os.WriteFile(photo, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"), 0o600)
	const phone = "13900007777"

	var no, status string
	b.run(t, "a phone", chromedp.EmulateViewport(390, 844))
	b.run(t, "the portal's start", chromedp.Navigate(portal+"/"), chromedp.WaitVisible(`a[href="/portal/submit"]`, chromedp.ByQuery),
		screenshot(filepath.Join(shots, "portal-home.png")))
	b.run(t, "fill in the complaint",
		chromedp.Click(`a[href="/portal/submit"]`, chromedp.ByQuery), chromedp.WaitVisible("#p-subject", chromedp.ByID),
		chromedp.SetValue("#p-org", "HQ", chromedp.ByID),
		chromedp.SendKeys("#p-subject", "信用卡年费未经同意扣收", chromedp.ByID),
		chromedp.SendKeys("#p-description", "本月账单出现年费600元，办卡时说明首年免年费。", chromedp.ByID),
		chromedp.SendKeys("#p-request", "退还年费", chromedp.ByID),
		chromedp.SendKeys("#p-amount", "600.00", chromedp.ByID),
		chromedp.SendKeys("#p-name", "李四", chromedp.ByID),
		chromedp.SetValue("#p-id_type", "resident_id", chromedp.ByID),
		chromedp.SendKeys("#p-id_number", "110101199003071234", chromedp.ByID),
		chromedp.SendKeys("#p-phone", phone, chromedp.ByID),
		screenshot(filepath.Join(shots, "portal-submit.png")),
		chromedp.Click(`form[action="/portal/submit"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".pconsent", chromedp.ByQuery))
	b.run(t, "confirm the restatement and the consent, with a file",
		chromedp.SetUploadFiles("#p-file", []string{scan}, chromedp.ByID),
		chromedp.Click(`input[name=consent]`, chromedp.ByQuery), chromedp.Click(`input[name=restated]`, chromedp.ByQuery),
		screenshot(filepath.Join(shots, "portal-confirm.png")),
		chromedp.Click(`form[action="/portal/submit/confirm"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#tracking-no", chromedp.ByID), chromedp.Text("#tracking-no", &no, chromedp.ByID),
		screenshot(filepath.Join(shots, "portal-done.png")))
	if !strings.HasPrefix(no, "TS") {
		t.Fatalf("tracking number %q", no)
	}
	b.run(t, "ask for a code",
		chromedp.Navigate(portal+"/portal/track"), chromedp.WaitVisible("#p-no", chromedp.ByID),
		chromedp.SendKeys("#p-no", no, chromedp.ByID), chromedp.SendKeys("#p-phone", phone, chromedp.ByID),
		chromedp.Click(`form[action="/portal/track/code"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#p-code", chromedp.ByID))
	code := gateway.code(t, phone)
	b.run(t, "track with the code",
		chromedp.SendKeys("#p-code", code, chromedp.ByID),
		chromedp.Click(`form[action="/portal/track"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#p-status", chromedp.ByID), chromedp.Text("#p-status", &status, chromedp.ByID))
	if status != "已收到，待受理" {
		t.Fatalf("status %q", status)
	}
	b.run(t, "add material",
		chromedp.SetUploadFiles("#p-file", []string{photo}, chromedp.ByID),
		chromedp.Click(`form[action="/portal/case/material"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.flash`, chromedp.ByQuery), screenshot(filepath.Join(shots, "portal-case.png")))

	// The bank accepts, decides and notifies the decision (the staff API).
	client := &http.Client{}
	call := func(method, path, body, cookie string) (int, map[string]any) {
		req, _ := http.NewRequest(method, staff+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		if method == "POST" && path == "/api/v1/session" && len(resp.Cookies()) > 0 {
			m["cookie"] = resp.Cookies()[0].Name + "=" + resp.Cookies()[0].Value
		}
		return resp.StatusCode, m
	}
	_, session := call("POST", "/api/v1/session", `{"login":"wang.fang","password":"browser-pass-2026"}`, "")
	cookie, _ := session["cookie"].(string)
	_, queue := call("GET", "/api/v1/cases?queue=accept", "", cookie)
	if !bytes.Contains(must(json.Marshal(queue)), []byte(no)) {
		t.Fatalf("the portal case is not in 待我受理: %v", queue)
	}
	noticeAt := time.Now().Add(-time.Minute).Format(time.RFC3339)
	for _, step := range []struct{ action, rest string }{
		{"accept", `}`}, {"determine", `,"liability":"no_fault","root_cause":"客户误解收费规则"}`},
		{"reply", `,"facts":"经核实，年费按领用合约收取","basis":"领用合约第五条","outcome":"not_upheld","remedies":["review","mediation"],"notice_method":"sms","notice_at":"` + noticeAt + `","notice_proof":"短信回执"}`},
	} {
		_, c := call("GET", "/api/v1/cases/"+no, "", cookie)
		if s, out := call("POST", "/api/v1/cases/"+no+"/"+step.action, fmt.Sprintf(`{"version":%v`, c["version"])+step.rest, cookie); s != http.StatusOK {
			t.Fatalf("%s: %d %v", step.action, s, out)
		}
	}
	var thanks string
	b.run(t, "rate the handling",
		chromedp.Navigate(portal+"/portal/case"), chromedp.WaitVisible(`form[action="/portal/case/rating"]`, chromedp.ByQuery),
		chromedp.Click(`input[name=satisfaction][value=satisfied]`, chromedp.ByQuery),
		chromedp.SendKeys("#p-comment", "处理及时", chromedp.ByID),
		screenshot(filepath.Join(shots, "portal-rate.png")),
		chromedp.Click(`form[action="/portal/case/rating"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.flash`, chromedp.ByQuery), chromedp.Text(`p.flash`, &thanks, chromedp.ByQuery))
	if thanks != "感谢您的评价。" {
		t.Fatalf("after rating: %q", thanks)
	}
	_, events := call("GET", "/api/v1/cases/"+no+"/events", "", cookie)
	if s := string(must(json.Marshal(events))); !strings.Contains(s, "case.rate") || !strings.Contains(s, "client 127.0.0.1") {
		t.Fatalf("events: %s", s)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
