package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"redress/sqldb/sqldbtest"
)

const chromiumPath = "/usr/bin/chromium"

// browser is a headless Chromium that records every console error,
// uncaught exception, failed resource and JavaScript dialog.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is required in CI: %v (the test scripts install Debian's chromium)", err)
		}
		t.Skip("no Chromium at " + chromiumPath)
	}
	// Chromium keeps writing its profile while it shuts down, so the profile
	// is removed after the browser is gone, not by t.TempDir's cleanup.
	profile, err := os.MkdirTemp("", "redress-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1366, 768), chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("lang", "zh-CN"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	b := &browser{ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				b.problem(fmt.Sprintf("console.error: %v", e.Args))
			}
		case *runtime.EventExceptionThrown:
			b.problem("exception: " + e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError {
				b.problem("log: " + e.Entry.Text + " " + e.Entry.URL)
			}
		case *page.EventJavascriptDialogOpening:
			b.problem("a JavaScript dialog opened: " + e.Message)
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(false))
		}
	})
	if err := chromedp.Run(ctx, log.Enable(), runtime.Enable()); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) problem(p string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, p)
}

// run runs browser actions and fails the test on an error or on any console
// problem seen so far.
func (b *browser) run(t *testing.T, step string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) > 0 {
		t.Fatalf("%s: the page reported problems: %v", step, b.problems)
	}
}

// screenshot saves the whole page as a PNG for the README.
func screenshot(path string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var buf []byte
		if err := chromedp.FullScreenshot(&buf, 100).Do(ctx); err != nil {
			return err
		}
		return os.WriteFile(path, buf, 0o644)
	})
}

func signIn(base, login string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible("#login", chromedp.ByID),
		chromedp.SendKeys("#login", login, chromedp.ByID),
		chromedp.SendKeys("#password", "browser-pass-2026", chromedp.ByID),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("header nav", chromedp.ByQuery),
	}
}

func signOut() chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Click(`header form button`, chromedp.ByQuery),
		chromedp.WaitVisible("#login", chromedp.ByID),
	}
}

// act opens an action's form on the case page, fills it and submits it.
func act(action string, fill ...chromedp.Action) chromedp.Tasks {
	tasks := chromedp.Tasks{
		chromedp.WaitVisible("#act-"+action+" summary", chromedp.ByQuery),
		chromedp.Click("#act-"+action+" summary", chromedp.ByQuery),
	}
	tasks = append(tasks, fill...)
	// Remove the last action's message first, so that waiting for the
	// message waits for the page that answers this submission.
	return append(tasks, chromedp.Evaluate(`document.querySelectorAll('.flash').forEach(e => e.remove())`, nil),
		chromedp.Click("#act-"+action+" button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".flash", chromedp.ByQuery))
}

// serveBrowserBank builds the binary, adds the users (user add flags, each
// with the password browser-pass-2026) to a new database and serves it
// until the test ends: the server's address and what it logs.
func serveBrowserBank(t *testing.T, users [][]string) (string, *lockedBuffer) {
	t.Helper()
	bin := buildBinary(t)
	data := sqldbtest.TempDir(t) // the database and the key file
	for _, u := range users {
		if code, _, stderr := runCLI(t, bin, data, append([]string{"user", "add", "--password", "browser-pass-2026"}, u...)...); code != 0 {
			t.Fatalf("user add: %s", stderr)
		}
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--data", data)
	serveErr := &lockedBuffer{} // written by the server while the test reads
	serve.Stderr = serveErr
	if err := serve.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); serve.Wait() })
	base := "http://" + addr
	waitHealthy(t, base)
	return base, serveErr
}

// TestBrowser walks the staff pages in headless Chromium against the built
// binary: sign-in, registration on two channels, a complaint taken to closed
// by the three roles involved, hostile text shown as text, a cross-site form
// post refused, and no console error on any page.
func TestBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	// The pages load htmx and ECharts, which the binary embeds only after
	// make assets: without them the walk below fails far from the cause.
	for _, lib := range []string{"htmx.min.js", "echarts.min.js"} {
		if _, err := os.Stat(filepath.Join("..", "..", "web", "static", "vendor", lib)); err != nil {
			t.Fatalf("web/static/vendor/%s is missing: run `make assets` (it copies the browser libraries from node_modules), then the tests again", lib)
		}
	}
	base, serveErr := serveBrowserBank(t, [][]string{
		{"--login", "zhang.lei", "--name", "张磊", "--role", "staff", "--org", "HQ"},
		{"--login", "wang.fang", "--name", "王芳", "--role", "manager", "--org", "HQ"},
		{"--login", "li.jianguo", "--name", "李建国", "--role", "branch_head", "--org", "HQ"},
		{"--login", "it.admin", "--name", "周强", "--role", "admin", "--org", "HQ"},
	})
	// Every run takes the screenshots; `make screenshots` keeps them in
	// docs/screenshots for the README, other runs in a temporary directory.
	shots := t.TempDir()
	if os.Getenv("REDRESS_SCREENSHOTS") != "" {
		shots = filepath.Join("..", "..", "docs", "screenshots")
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	xss := `<script>alert(1)</script>`
	letterScan := filepath.Join(t.TempDir(), "letter-scan.pdf")
	if err := os.WriteFile(letterScan, []byte("%PDF-1.4 扫描件"), 0o600); err != nil {
		t.Fatal(err)
	}
	var no, letterNo, body, status string
	b.run(t, "sign-in page", chromedp.Navigate(base+"/"), chromedp.WaitVisible("#login", chromedp.ByID), screenshot(filepath.Join(shots, "login.png")))
	b.run(t, "staff signs in", signIn(base, "zhang.lei"))
	b.run(t, "register at the counter",
		chromedp.Navigate(base+"/cases/new"), chromedp.WaitVisible("#regform", chromedp.ByID),
		chromedp.SendKeys("#name", "张三", chromedp.ByID),
		chromedp.SendKeys("#phone", "13812345678", chromedp.ByID),
		chromedp.SetValue("#id_type", "resident_id", chromedp.ByID),
		chromedp.SendKeys("#id_number", "110101199003071234", chromedp.ByID),
		chromedp.SendKeys("#subject", "理财产品收益与宣传不符", chromedp.ByID),
		chromedp.SendKeys("#description", "客户称：收益远低于宣传。"+xss, chromedp.ByID),
		chromedp.SendKeys("#request", "赔偿收益差额", chromedp.ByID),
		chromedp.SendKeys("#amount", "5000.00", chromedp.ByID),
		chromedp.Click("#id_checked", chromedp.ByID),
		screenshot(filepath.Join(shots, "register.png")),
		// Submitting without confirming the restatement keeps what was typed.
		chromedp.Click(`#regform button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".error", chromedp.ByQuery),
		chromedp.Value("#subject", &body, chromedp.ByID),
	)
	if body != "理财产品收益与宣传不符" {
		t.Fatalf("the form lost what was typed: %q", body)
	}
	b.run(t, "confirm and register",
		chromedp.Click("#restated", chromedp.ByID),
		chromedp.Click(`#regform button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#tracking-no", chromedp.ByID),
		chromedp.Text("#tracking-no", &no, chromedp.ByID),
		screenshot(filepath.Join(shots, "receipt.png")),
	)
	if !strings.HasPrefix(no, "TS") {
		t.Fatalf("tracking number %q", no)
	}
	b.run(t, "register a letter",
		chromedp.Navigate(base+"/cases/new?channel=letter"), chromedp.WaitVisible("#regform", chromedp.ByID),
		chromedp.SendKeys("#name", "李四", chromedp.ByID),
		chromedp.SendKeys("#phone", "13900001111", chromedp.ByID),
		chromedp.SendKeys("#subject", "信用卡年费争议", chromedp.ByID),
		chromedp.SendKeys("#description", "来信称办卡时承诺免年费。", chromedp.ByID),
		chromedp.SetUploadFiles("#scan", []string{letterScan}, chromedp.ByID),
		chromedp.Click("#restated", chromedp.ByID),
		chromedp.Click(`#regform button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#tracking-no", chromedp.ByID),
		chromedp.Text("#tracking-no", &letterNo, chromedp.ByID),
	)
	if letterNo == no || letterNo == "" {
		t.Fatalf("second case %q", letterNo)
	}
	var evidence string
	b.run(t, "the scanned letter is on the case", chromedp.Navigate(base+"/cases/"+letterNo),
		chromedp.Text("#evidence", &evidence, chromedp.ByID))
	if !strings.Contains(evidence, "letter-scan.pdf") || !strings.Contains(evidence, "信函扫描件") {
		t.Fatalf("evidence section: %q", evidence)
	}
	b.run(t, "staff signs out", signOut())

	b.run(t, "manager works the case", signIn(base, "wang.fang"),
		chromedp.WaitVisible("#status-chart", chromedp.ByID),
		chromedp.Sleep(300*time.Millisecond),
		screenshot(filepath.Join(shots, "workbench.png")),
		chromedp.Navigate(base+"/cases/"+no),
		act("accept"),
		act("investigate", chromedp.SendKeys("#investigate-text", "调取销售录音录像，核对风险揭示书。", chromedp.ByID)),
		act("determine", chromedp.SetValue(`#act-determine select[name=liability]`, "partial", chromedp.ByQuery),
			chromedp.SendKeys("#determine-party", "理财经理", chromedp.ByID),
			chromedp.SetValue(`#determine-rcc`, "R04", chromedp.ByQuery),
			chromedp.SendKeys("#determine-cause", "营销话术不规范", chromedp.ByID)),
		act("reply", chromedp.SendKeys("#reply-facts", "销售时未充分揭示风险。", chromedp.ByID),
			chromedp.SendKeys("#reply-basis", "产品说明书第五条。", chromedp.ByID),
			chromedp.SetValue(`#act-reply select[name=outcome]`, "partly_upheld", chromedp.ByQuery),
			chromedp.SendKeys("#reply-redress", "补偿收益差额", chromedp.ByID),
			chromedp.SetValue(`#act-reply select[name=notice_method]`, "phone", chromedp.ByQuery),
			chromedp.SendKeys("#reply-np", "电话录音 R-01", chromedp.ByID)),
		chromedp.OuterHTML("main", &body, chromedp.ByQuery),
	)
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatal("hostile text must show as text")
	}
	b.run(t, "manager signs out", signOut())
	b.run(t, "branch head signs off", signIn(base, "li.jianguo"), chromedp.Navigate(base+"/cases/"+no), act("sign_off"), signOut())
	b.run(t, "manager closes", signIn(base, "wang.fang"), chromedp.Navigate(base+"/cases/"+no),
		act("close", chromedp.SetValue(`#act-close select[name=satisfaction]`, "satisfied", chromedp.ByQuery)),
		chromedp.Text(".casehead .st", &status, chromedp.ByQuery),
		screenshot(filepath.Join(shots, "case.png")),
		chromedp.EmulateViewport(768, 1024), // a tablet held upright
		chromedp.Navigate(base+"/"), chromedp.WaitVisible("#status-chart", chromedp.ByID),
		screenshot(filepath.Join(shots, "workbench-tablet.png")),
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(base+"/cases/"+no+"/print/decision"), chromedp.WaitVisible(".letter", chromedp.ByQuery),
		screenshot(filepath.Join(shots, "decision-letter.png")),
	)
	if status != "已办结" {
		t.Fatalf("final status %q", status)
	}
	// Phones and tablets: no page of the day's work scrolls sideways; axe-core
	// (experimental rules on) finds nothing on any staff page.
	checkLayouts(t, b, base, no, shots)
	checkEveryPage(t, b, base, "/", "/cases/"+no, "/cases/"+letterNo, "/cases/new", "/cases/new?channel=letter", "/cases/"+no+"/receipt",
		"/cases/"+no+"/print/registration", "/cases/"+no+"/print/decision", "/search?q=%E7%90%86%E8%B4%A2", "/stats", "/inbox",
		"/assessment", "/reports/jrt", "/reports/density", "/reports/disclosure", "/reports/unit", "/reviews/new", "/?sort=due_desc", "/?queue=mine",
		"/search", "/corrective", "/corrective/new", "/registers/opinion", "/registers/opinion-book", "/registers/lost", "/registers/training", "/registers", "/incidents", "/admin/emergency-plan", "/holds", "/registers/reception",
		"/cases/"+no+"/archive") // the archived file as at closing

	// A page on another origin posts a registration form to Redress with the
	// manager's cookie: refused.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><body><form id="f" method="post" action="%s/cases/new"><input name="subject" value="forged">
			<input name="restated" value="yes"><button id="go">go</button></form></body></html>`, base)
	}))
	defer evil.Close()
	b.problems = nil
	var forged string
	if err := chromedp.Run(b.ctx, chromedp.Navigate(evil.URL), chromedp.Click("#go", chromedp.ByID),
		chromedp.WaitReady("body", chromedp.ByQuery), chromedp.Sleep(500*time.Millisecond),
		chromedp.Text("body", &forged, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(forged, "cross-site") {
		t.Fatalf("the cross-site form post was not refused: %q", forged)
	}
	b.problems = nil // the refused post logs a 403 in the console, as it should
	b.run(t, "the workbench still lists only the two real cases", chromedp.Navigate(base+"/"),
		chromedp.OuterHTML("main", &body, chromedp.ByQuery))
	if strings.Contains(body, "forged") {
		t.Fatal("a forged case was registered")
	}
	b.run(t, "English", chromedp.Navigate(base+"/lang/en"), chromedp.WaitVisible("header nav", chromedp.ByQuery),
		chromedp.Navigate(base+"/cases/"+no), chromedp.Text(".casehead .st", &status, chromedp.ByQuery))
	if status != "Closed" {
		t.Fatalf("English status %q", status)
	}
	var trend int
	b.run(t, "the statistics page draws its charts", chromedp.Navigate(base+"/stats?period=year&value="+time.Now().Format("2006")),
		chromedp.WaitVisible("#stats-summary", chromedp.ByID),
		chromedp.WaitVisible(`.chart[data-chart-kind="line"] canvas`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll(".chart canvas").length`, &trend),
		screenshot(filepath.Join(shots, "stats.png")))
	if trend < 2 {
		t.Fatalf("the statistics page drew %d charts", trend)
	}
	b.run(t, "admin signs in", signOut(), signIn(base, "it.admin"))
	checkEveryPage(t, b, base, "/admin/users", "/admin/orgs", "/admin/codes", "/admin/calendar", "/admin/policies", "/admin/settings",
		"/admin/tokens", "/admin/unit-counts", "/admin/assessment", "/admin/retention", "/admin/notice-templates", "/admin/import")
	for _, secret := range []string{"13812345678", "110101199003071234"} {
		if strings.Contains(serveErr.String(), secret) {
			t.Fatalf("the server log holds %s", secret)
		}
	}
}
