package sqldb

import (
	"strings"
	"testing"

	"redress"
)

func TestSearch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	texts := []struct{ subject, description, name string }{
		{"理财产品收益与宣传不符", "客户称购买的理财产品实际收益远低于宣传。", "张三"},
		{"信用卡年费争议", "客户称办理信用卡时承诺免年费，现被扣收年费。", "李四"},
		{"柜员服务态度差", "客户反映柜员办理业务时态度冷淡。", "王五"},
		{"贷款提前还款违约金", "客户对提前还款违约金有异议。", "赵六"},
	}
	var nos []string
	for _, tt := range texts {
		n := sampleCase()
		n.Subject, n.Description, n.Complainant.Name = tt.subject, tt.description, tt.name
		c, err := f.cases.CreateCase(f.as("staff.bj"), n)
		if err != nil {
			t.Fatal(err)
		}
		nos = append(nos, c.No)
	}
	search := NewSearchService(f.db)
	find := func(login, q string) []*redress.SearchResult {
		t.Helper()
		results, err := search.Search(f.as(login), redress.SearchQuery{Q: q})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return results
	}
	tests := []struct {
		q     string
		want  []int // indexes into nos, best first
		field string
	}{
		{"理财", []int{0}, "subject"},
		{"年费", []int{1}, "subject"},
		{"柜员", []int{2}, "subject"},
		{"信用卡", []int{1}, "subject"},
		{"理财产品收益", []int{0}, "subject"},
		{"提前还款违约金", []int{3}, "subject"},
		{"客户称", []int{1, 0}, "description"}, // newest first among equals
		{"收益远低于", []int{0}, "description"},
		{"卡年费争", []int{1}, "subject"},
		{"理财年费", nil, ""}, // both bigram sets exist, but not as one phrase
		{"王五", []int{2}, "complainant"},
	}
	for _, tt := range tests {
		results := find("mgr.bj", tt.q)
		var got []string
		for _, r := range results {
			got = append(got, r.Case.No)
		}
		var want []string
		for _, i := range tt.want {
			want = append(want, nos[i])
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("search %q: %v, want %v", tt.q, got, want)
			continue
		}
		if len(results) > 0 && (results[0].Fragment.Field != tt.field || !strings.EqualFold(results[0].Fragment.Match, tt.q)) {
			t.Errorf("search %q: fragment %+v", tt.q, results[0].Fragment)
		}
	}
	if r := find("mgr.bj", nos[2]); len(r) != 1 || r[0].Case.No != nos[2] || r[0].Score < 10 {
		t.Errorf("tracking number: %+v", r)
	}
	if r := find("mgr.sh", "理财"); len(r) != 0 {
		t.Errorf("out of scope: %d results", len(r))
	}
	// Findings are searchable once recorded.
	c, _ := f.cases.Case(f.as("mgr.bj"), nos[2])
	c = f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionInvestigate, Text: "调取监控录像，柜员确有不耐烦表现"})
	if r := find("mgr.bj", "监控录像"); len(r) != 1 || r[0].Fragment.Field != "findings" {
		t.Errorf("findings: %+v", r)
	}
	// An accusation stays hidden from the accused in search too.
	n := sampleCase()
	n.Subject, n.Accusation, n.Respondent = "举报员工违规销售", true, redress.Respondent{Org: "BJ-HD-01", Staff: "staff2.bj"}
	if _, err := f.cases.CreateCase(f.as("staff.bj"), n); err != nil {
		t.Fatal(err)
	}
	if r := find("staff2.bj", "违规销售"); len(r) != 0 {
		t.Error("the accused finds the accusation")
	}
	if r := find("staff.bj", "违规销售"); len(r) != 1 {
		t.Error("a colleague finds it")
	}
	for _, bad := range []string{"卡", "", "！！"} {
		if _, err := search.Search(f.as("mgr.bj"), redress.SearchQuery{Q: bad}); redress.ErrorCode(err) != redress.EINVALID {
			t.Errorf("query %q: %v", bad, err)
		}
	}
	// Rebuilding the index finds the same.
	if n, err := f.db.ReindexSearch(f.as("admin")); err != nil || n != 5 {
		t.Fatalf("reindex: %d %v", n, err)
	}
	if r := find("mgr.bj", "信用卡"); len(r) != 1 {
		t.Errorf("after reindex: %d", len(r))
	}
}

// TestSearchFrequentPhraseNewestFirst: a phrase found in more cases than a
// page holds answers the newest of them, best (subject) first, whether the
// engine reads them off its index in order (SQLite) or walks the newest
// documents before its text index (PostgreSQL, searchText); a phrase found
// once is still found when the walk finds too few.
func TestSearchFrequentPhraseNewestFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var nos []string
	for i := range 7 {
		n := sampleCase()
		n.Subject, n.Description = "信用卡年费争议", "客户称办理信用卡时承诺免年费。"
		if i == 0 {
			n.Subject, n.Description = "吞卡投诉", "自助机吞卡后无人处理。"
		}
		c, err := f.cases.CreateCase(f.as("staff.bj"), n)
		if err != nil {
			t.Fatal(err)
		}
		nos = append(nos, c.No)
	}
	search := NewSearchService(f.db)
	results, err := search.Search(f.as("mgr.bj"), redress.SearchQuery{Q: "信用卡年费", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0].Case.No != nos[6] || results[1].Case.No != nos[5] {
		var got []string
		for _, r := range results {
			got = append(got, r.Case.No)
		}
		t.Fatalf("信用卡年费, 2 a page: %v, want the two newest %v", got, nos[5:])
	}
	results, err = search.Search(f.as("mgr.bj"), redress.SearchQuery{Q: "吞卡", Limit: 2})
	if err != nil || len(results) != 1 || results[0].Case.No != nos[0] {
		t.Fatalf("吞卡: %v %v, want the one case %s", results, err, nos[0])
	}
}
