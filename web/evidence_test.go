package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// upload posts a file as multipart/form-data as the named user.
func (f *apiFixture) upload(t *testing.T, login, no, name string, content []byte) (int, string) {
	t.Helper()
	body, ct := multipartForm(t, "file", name, content, url.Values{"note": {"客户提供的交易凭证"}})
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/cases/"+no+"/evidence", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+f.tokens[login])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func TestEvidence(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	no := f.create(t)["no"].(string)
	scan := []byte("%PDF-1.4 身份证复印件 110101199003071234")
	status, body := f.upload(t, "staff", no, `..\..\evil<script>.pdf`, scan)
	if status != 201 || !strings.Contains(body, `"name":"evil\u003cscript\u003e.pdf"`) || !strings.Contains(body, `"size":`) {
		t.Fatalf("upload: %d %s", status, body)
	}
	status, list := f.call(t, "mgr", "GET", "/api/v1/cases/"+no+"/evidence", "")
	items := list["items"].([]any)
	if status != 200 || len(items) != 1 {
		t.Fatalf("list: %d %v", status, list)
	}
	id := items[0].(map[string]any)["id"].(float64)
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/cases/"+no+"/evidence/"+fmt.Sprint(int(id)), nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["mgr"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, scan) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		resp.Header.Get("Content-Type") != "application/octet-stream" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("download: %d %q %v", resp.StatusCode, got, resp.Header)
	}
	// Scope, roles, size and archive.
	if status, _ := f.call(t, "mgr.sh", "GET", "/api/v1/cases/"+no+"/evidence", ""); status != 404 {
		t.Fatalf("out of scope list: %d", status)
	}
	if status, _ := f.upload(t, "auditor", no, "x.txt", []byte("x")); status != 403 {
		t.Fatalf("auditor upload: %d", status)
	}
	if status, _ := f.upload(t, "mgr.sh", no, "x.txt", []byte("x")); status != 404 {
		t.Fatalf("out of scope upload: %d", status)
	}
	if status, body := f.upload(t, "staff", no, "big.bin", make([]byte, 21<<20)); status != 400 || !strings.Contains(body, "20 MiB") {
		t.Fatalf("oversized upload: %d %s", status, body)
	}
	// The name is redress.EvidenceName's: no bidi override, not "..".
	if status, body := f.upload(t, "staff", no, "invoice\u202Efdp.exe", []byte("MZ")); status != 201 || !strings.Contains(body, `"name":"invoicefdp.exe"`) {
		t.Fatalf("a name with a right-to-left override: %d %s", status, body)
	}
	if status, body := f.upload(t, "staff", no, "..", []byte("x")); status != 400 || !strings.Contains(body, `"file":"is not a file name"`) {
		t.Fatalf(`a file named "..": %d %s`, status, body)
	}
	if status, _ := f.upload(t, "staff", no, "empty.txt", nil); status != 400 {
		t.Fatalf("empty upload: %d", status)
	}
	if status, _ := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/evidence", `{"file":"x"}`); status != 400 {
		t.Fatalf("a JSON body is not an upload: %d", status)
	}
	_, events := f.call(t, "auditor", "GET", "/api/v1/cases/"+no+"/events", "")
	if !strings.Contains(bytesString(events), "case.add_evidence") {
		t.Fatal("the upload is in the audit trail")
	}
	f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/withdraw", `{"version":1,"reason":"客户撤回"}`)
	if status, _ := f.upload(t, "staff", no, "late.txt", []byte("late")); status != 409 {
		t.Fatalf("upload to an archived case: %d", status)
	}
	// The scan is encrypted at rest: the ID number on it is not in the file.
	f.db.Close()
	raw := testEngine.Contents(t, f.dsn)
	if !bytes.Contains(raw, []byte("理财产品收益与宣传不符")) {
		t.Fatal("the dump does not hold the case's subject: the check below would prove nothing")
	}
	if bytes.Contains(raw, []byte("110101199003071234")) {
		t.Fatal("evidence content stored in clear")
	}
}
