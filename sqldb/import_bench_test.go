package sqldb

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestImportThroughput measures the import of REDRESS_IMPORT_ROWS generated
// rows (a CSV file of three years of history: 80% closed, 10% withdrawn,
// 10% still open) through the whole path, file reading included; skipped
// unless the variable is set:
//
//	REDRESS_IMPORT_ROWS=100000 go test -count=1 -run TestImportThroughput -v ./sqldb/
func TestImportThroughput(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("REDRESS_IMPORT_ROWS"))
	if n <= 0 {
		t.Skip("set REDRESS_IMPORT_ROWS to measure the import")
	}
	f := newFixtureOn(t, testEngine.OnDisk(), "bank", nil) // on disk: real fsyncs
	path := filepath.Join(t.TempDir(), "history.csv")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(out)
	fmt.Fprintln(w, "外部编号,类型,渠道,受理日期,投诉人,证件号码,联系电话,主题,投诉内容,诉求,涉及金额,机构代码,状态,答复日期,办结日期,办结原因")
	start := time.Date(2023, 1, 1, 9, 0, 0, 0, time.UTC)
	orgs := []string{"BJ-HD-01", "BJ-HD", "BJ", "SH"}
	for i := range n {
		received := start.Add(time.Duration(i) * (3 * 365 * 24 * time.Hour / time.Duration(n)))
		status, decided, closed, reason := "已办结", received.AddDate(0, 0, 10).Format("2006-01-02"), received.AddDate(0, 0, 12).Format("2006-01-02"), ""
		switch i % 10 {
		case 8:
			status, decided, reason = "已撤回", "", "客户撤回"
		case 9:
			status, decided, closed = "已受理", "", ""
		}
		fmt.Fprintf(w, "H-%07d,投诉,电话,%s,客户%d,11010119900307%04d,139%08d,信用卡年费争议,客户称未开通即被收取年费，要求退还。第%d号。,退还年费,%d.00,%s,%s,%s,%s,%s\n",
			i, received.Format("2006-01-02 15:04"), i, i%10000, i, i, 100+i%900, orgs[i%len(orgs)], status, decided, closed, reason)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	began := time.Now()
	run := f.importFile(t, path, false)
	elapsed := time.Since(began)
	if run.Imported != int64(n) {
		for row, why := range f.importRejects(t, run.ID) {
			t.Fatalf("run: %+v: row %d: %v", run, row, why)
		}
	}
	t.Logf("%s: %d rows in %s: %.0f rows/s", testEngine.Name, n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
	began = time.Now()
	again := f.importFile(t, path, false)
	t.Logf("%s: re-run skipped %d rows in %s", testEngine.Name, again.Skipped, time.Since(began).Round(time.Millisecond))
}
