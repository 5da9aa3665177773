package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestEChartsIsTheModularBuild: the pages get the ECharts that make assets
// bundles from assets/echarts.js (the pie, line and bar charts, tooltips
// and axes the pages draw), not the full build of 1.1 MB of which the pages
// used 29 % (issue 13 item 9, Lighthouse's unused JavaScript); axe-core,
// the browser test's checker, is never served.
func TestEChartsIsTheModularBuild(t *testing.T) {
	t.Parallel()
	full, err := os.Stat(filepath.Join("..", "node_modules", "echarts", "dist", "echarts.min.js"))
	if err != nil {
		t.Skipf("no node_modules (make assets installs it): %v", err)
	}
	served, err := fs.Stat(uiFiles, "static/vendor/echarts.min.js")
	if err != nil {
		t.Fatalf("no ECharts embedded: run make assets: %v", err)
	}
	if served.Size() > full.Size()*6/10 {
		t.Errorf("the embedded ECharts is %d bytes, the full build %d: not the modular build of assets/echarts.js", served.Size(), full.Size())
	}
	if _, err := fs.Stat(uiFiles, "static/vendor/axe.min.js"); err == nil {
		t.Error("axe-core is embedded: it is for the browser test only")
	}
}
