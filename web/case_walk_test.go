package web_test

import (
	"fmt"
	"net/http"
	"testing"
)

// act takes an action on a case by the API at the case's current version
// (read as login first); rest is the body after the version, as the tests
// write it: `}` for none, `,"text":"…"}` for fields. Anything but 200 fails
// the test.
func (f *apiFixture) act(t *testing.T, login, no, action, rest string) {
	t.Helper()
	_, c := f.call(t, login, "GET", "/api/v1/cases/"+no, "")
	version := fmt.Sprint(int(c["version"].(float64)))
	if status, body := f.call(t, login, "POST", "/api/v1/cases/"+no+"/"+action, `{"version":`+version+rest); status != http.StatusOK {
		t.Fatalf("%s %s: %d %v", action, no, status, body)
	}
}

// repliedCase registers a complaint (createBody) and has mgr accept it,
// determine it (no fault) and reply with a phone notice of 2026-11-20 that
// names the review among the remedies: a decided case, for the tests of
// what follows a decision.
func (f *apiFixture) repliedCase(t *testing.T) string {
	t.Helper()
	no := f.create(t)["no"].(string)
	f.act(t, "mgr", no, "accept", `}`)
	f.act(t, "mgr", no, "determine", `,"liability":"no_fault","root_cause":"客户误解收益计算方式"}`)
	f.act(t, "mgr", no, "reply", `,"facts":"经核实","basis":"合同约定","outcome":"not_upheld","remedies":["review"],
		"notice_method":"phone","notice_at":"2026-11-20T16:00:00+08:00","notice_proof":"电话录音 R-1"}`)
	return no
}
