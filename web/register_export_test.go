package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"redress"
)

// TestRegistersExport_Seed002Art8_Seed003: every register the branch keeps
// on paper is also a file (issue 15: "its export"): the opinion register
// (意见登记簿, seed 002 Art.8) of the month, the opinion book's checks, lost
// property (seed 003) and the corrective actions (整改), each from the
// link on its page, as XLSX with what the page shows (personal data masked
// as on the page), each export an audit event.
func TestRegistersExport_Seed002Art8_Seed003(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	c := f.create(t)
	no := c["no"].(string)
	found := time.Now().In(redress.Beijing).Add(-time.Hour).Format(time.RFC3339)
	if status, body := f.call(t, "staff", "POST", "/api/v1/lost-items", `{"org":"BJ-01","description":"黑色资料袋","found_at":"`+found+`",`+
		`"place":"大堂","found_by":"大堂经理","kept_at":"保险柜"}`); status != http.StatusCreated {
		t.Fatalf("lost item: %d %v", status, body)
	}
	due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	if status, body := f.call(t, "mgr", "POST", "/api/v1/corrective-actions", fmt.Sprintf(`{"source":"cases","cases":["%s"],"org":"BJ-01",`+
		`"owner":"staff","problem":"理财产品风险提示不到位","measures":"双录抽查","due":"%s"}`, no, due)); status != http.StatusCreated {
		t.Fatalf("corrective action: %d %v", status, body)
	}
	if status, body := f.call(t, "mgr", "POST", "/api/v1/incidents", `{"kind":"quarrel","org":"BJ-01","place":"大堂","occurred_at":"`+found+`",`+
		`"people":3,"people_note":"两位客户与保安争执"}`); status != http.StatusCreated {
		t.Fatalf("incident: %d %v", status, body)
	}
	client := pageClient(t, f, "mgr")
	month := c["received_at"].(string)[:7]
	for _, tc := range []struct {
		page, link, sheet string
		want              []string
	}{
		{"/registers/opinion?org=BJ-01&month=" + month, "register-xlsx", "意见登记簿", []string{no, "张三"}},
		{"/registers/opinion-book", "opinion-book-xlsx", "客户意见簿查阅", []string{"未查阅"}},
		{"/registers/lost", "lost-xlsx", "失物登记簿", []string{"SW-000001", "黑色资料袋", "保管中"}},
		{"/corrective", "corrective-xlsx", "整改", []string{"ZG-000001", "理财产品风险提示不到位", no}},
		{"/incidents", "incidents-xlsx", "突发事件", []string{"TF-000001", "大堂", "信息报告", "应急处理小组"}},
	} {
		status, html := getPage(t, f, client, tc.page)
		link := regexp.MustCompile(`href="([^"]+)" download id="` + tc.link + `"`).FindStringSubmatch(html)
		if status != http.StatusOK || link == nil {
			t.Fatalf("%s: %d, no export link %s", tc.page, status, tc.link)
		}
		resp, err := client.Get(f.srv.URL + strings.ReplaceAll(link[1], "&amp;", "&"))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", link[1], resp.StatusCode, raw)
		}
		book, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", link[1], err)
		}
		var cells []string
		for _, sheet := range book.GetSheetList() {
			rows, _ := book.GetRows(sheet)
			for _, row := range rows {
				cells = append(cells, row...)
			}
		}
		book.Close()
		text := strings.Join(book.GetSheetList(), "|") + "|" + strings.Join(cells, "|")
		for _, want := range append(tc.want, tc.sheet) {
			if !strings.Contains(text, want) {
				t.Errorf("%s: no %q in %.600s", link[1], want, text)
			}
		}
		if strings.Contains(text, "13812345678") || strings.Contains(text, "110101199003071234") {
			t.Errorf("%s: personal data in clear", link[1])
		}
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=export.", "")
	var ids []string
	for _, e := range events["events"].([]any) {
		ids = append(ids, e.(map[string]any)["subject"].(map[string]any)["id"].(string))
	}
	for _, what := range []string{redress.ExportOpinionRegister, redress.ExportOpinionBook, redress.ExportLost, redress.ExportCorrective, redress.ExportIncidents} {
		if !strings.Contains(strings.Join(ids, " "), what) {
			t.Errorf("no export event of %s: %v", what, ids)
		}
	}
}
