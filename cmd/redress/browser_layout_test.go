package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// viewport is a screen the staff pages must fit without sideways scrolling.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

// viewports are a phone held upright, a tablet held upright and a laptop
// (issue 13 item 8).
var viewports = []viewport{{"phone", 390, 844, true}, {"tablet", 768, 1024, true}, {"desktop", 1366, 768, false}}

// emulate sets the browser's window to the viewport.
func (v viewport) emulate() chromedp.Action {
	if v.mobile {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// fits fails the test when the page is wider than the viewport: a page
// that must be scrolled sideways to be read.
func fits(t *testing.T, what string, v viewport) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var got struct {
			Document, Viewport int64
			Widest             string
		}
		// The widest element names the culprit when the page does not fit.
		err := chromedp.Evaluate(`(() => {
			const vw = document.documentElement.clientWidth;
			let widest = "", right = vw;
			for (const el of document.querySelectorAll("body *")) {
				const r = el.getBoundingClientRect();
				if (r.right > right + 0.5 && r.width > 0) { right = r.right; widest = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""); }
			}
			return {Document: document.documentElement.scrollWidth, Viewport: vw, Widest: widest};
		})()`, &got).Do(ctx)
		if err != nil {
			return err
		}
		if got.Document > got.Viewport {
			t.Errorf("%s at %s (%d px): the document is %d px wide, scrolls sideways (widest: %s)", what, v.name, v.width, got.Document, got.Widest)
		}
		return nil
	})
}

// axeSource is axe-core, which make assets copies from node_modules into
// testdata/vendor (never into the binary).
func axeSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "vendor", "axe.min.js"))
	if err != nil {
		t.Fatalf("testdata/vendor/axe.min.js is missing: run `make assets` (it copies axe-core from node_modules): %v", err)
	}
	return string(src)
}

// axeViolation is one rule a page breaks, as axe-core reports it.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// accessible runs axe-core in the page, every rule including the
// experimental ones, and fails the test on any violation.
func accessible(t *testing.T, axe, what string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := chromedp.Evaluate(axe, nil).Do(ctx); err != nil {
			return fmt.Errorf("inject axe-core: %w", err)
		}
		var report string
		err := chromedp.Evaluate(`(async () => {
			const rules = {};
			for (const r of axe.getRules(["experimental"])) rules[r.ruleId] = {enabled: true};
			const result = await axe.run(document, {rules});
			return JSON.stringify(result.violations.map(v => ({ID: v.id, Impact: v.impact || "", Help: v.help,
				Nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})));
		})()`, &report, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }).Do(ctx)
		if err != nil {
			return fmt.Errorf("run axe-core: %w", err)
		}
		var violations []axeViolation
		if err := json.Unmarshal([]byte(report), &violations); err != nil {
			return fmt.Errorf("axe-core's report %q: %w", report, err)
		}
		for _, v := range violations {
			t.Errorf("%s: axe-core %s (%s): %s at %s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
		}
		return nil
	})
}

// checkLayouts opens the workbench, a case page and the registration form
// at each viewport: none scrolls sideways, and axe-core finds nothing; a
// screenshot of each goes to shots (workbench-phone.png, …).
func checkLayouts(t *testing.T, b *browser, base, no, shots string) {
	axe := axeSource(t)
	for _, v := range viewports {
		for _, p := range []struct{ name, path, ready string }{
			{"workbench", "/", "#list-total"}, {"case", "/cases/" + no, ".casehead"}, {"register", "/cases/new", "#regform"},
		} {
			what := p.name + " " + v.name
			b.run(t, what, v.emulate(), chromedp.Navigate(base+p.path), chromedp.WaitVisible(p.ready, chromedp.ByQuery),
				fits(t, p.name, v), accessible(t, axe, what), screenshot(filepath.Join(shots, p.name+"-"+v.name+".png")))
		}
	}
	b.run(t, "back to the desktop", viewports[2].emulate())
}

// checkEveryPage runs axe-core on every staff page the signed-in user may
// open (paths), at the desktop viewport.
func checkEveryPage(t *testing.T, b *browser, base string, paths ...string) {
	axe := axeSource(t)
	for _, path := range paths {
		b.run(t, path, chromedp.Navigate(base+path), chromedp.WaitReady("body", chromedp.ByQuery), accessible(t, axe, path))
	}
}
