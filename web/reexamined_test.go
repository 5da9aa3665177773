package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestIntakeWarnsAfterReexamination_PetitionRegulationArt36: 信访人对复核意见
// 不服，仍以同一事实和理由提出投诉请求的，不再受理 — a petition whose 复查 and
// 复核 opinions were given is named at the next registration of the same
// petitioner, with the article, and a third review is refused citing it.
func TestIntakeWarnsAfterReexamination_PetitionRegulationArt36(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := repliedCase(t, f, "petition") // the decision notice of 2026-11-20
	act := func(login, action, body string) (int, map[string]any) {
		t.Helper()
		_, cur := f.call(t, "mgr", "GET", "/api/v1/cases/"+no, "")
		return f.call(t, login, "POST", "/api/v1/cases/"+no+"/"+action, fmt.Sprintf(`{"version":%v,`, cur["version"])+body)
	}
	decide := func(at string) {
		t.Helper()
		if status, body := act("head", "decide_review", `"process":"程序合规","timeliness":"按时答复","merits":"结果适当",
			"result":"upheld","notice_method":"letter","notice_at":"`+at+`","notice_proof":"挂号信 X1"}`); status != http.StatusOK {
			t.Fatalf("decide: %d %v", status, body)
		}
	}
	for i, step := range []struct{ requested, decided string }{
		{"2026-11-22T10:00:00+08:00", "2026-11-24T10:00:00+08:00"}, // 复查
		{"2026-11-25T10:00:00+08:00", "2026-11-27T10:00:00+08:00"}, // 复核
	} {
		if status, body := act("staff", "request_review", `"received_at":"`+step.requested+`","text":"对处理意见不服"}`); status != http.StatusOK {
			t.Fatalf("review request %d: %d %v", i+1, status, body)
		}
		decide(step.decided)
	}
	status, body := act("staff", "request_review", `"received_at":"2026-11-28T10:00:00+08:00","text":"仍不服"}`)
	if _, message, _ := errorOf(t, body); status != http.StatusConflict || !strings.Contains(message, "Art.36") {
		t.Fatalf("a third review: %d %v", status, body)
	}

	// The same petitioner comes again: the registration page names the case and the article.
	client := pageClient(t, f, "mgr")
	form := url.Values{"kind": {"petition"}, "channel": {"counter"}, "received_at": {"2026-11-30T09:00"}, "name": {"张三"},
		"phone": {"13812345678"}, "subject": {"理财产品收益与宣传不符"}, "description": {"再次反映收益问题"}, "restated": {"yes"}}
	if _, page := postPage(t, f, client, "/cases/new", form); !strings.Contains(page, no+" 的复核意见已经作出") || !strings.Contains(page, "第三十六条") {
		t.Fatalf("the registration does not warn of the 复核 of %s:\n%s", no, page)
	}
}
