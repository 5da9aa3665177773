package web_test

import (
	"strings"
	"testing"
)

// TestPrintsHaveAMainAndATitleNamingTheCase (issue 13 item 9, as axe-core
// and Lighthouse read a page): the receipt, the registration form and the
// decision letter each have a main landmark and a title that names the
// document and the case, not one vague 打印 for all; the case page's title
// names the case too.
func TestPrintsHaveAMainAndATitleNamingTheCase(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.repliedCase(t)
	client := pageClient(t, f, "mgr")
	for path, title := range map[string]string{
		"/cases/" + no + "/receipt":            "投诉受理回执 " + no,
		"/cases/" + no + "/print/registration": "客户投诉登记表 " + no,
		"/cases/" + no + "/print/decision":     "投诉处理答复函 " + no,
		"/cases/" + no:                         "案件详情 " + no,
	} {
		_, page := getPage(t, f, client, path)
		if !strings.Contains(page, "<title>"+title+" · ") {
			t.Errorf("%s: the title does not name the document and the case (%q): %s", path, title, page[strings.Index(page, "<title>"):strings.Index(page, "</title>")])
		}
		if strings.Count(page, "<main") != 1 {
			t.Errorf("%s: %d main landmarks", path, strings.Count(page, "<main"))
		}
	}
}
