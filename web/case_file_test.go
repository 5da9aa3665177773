package web_test

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"redress"
)

// caseFile downloads a case's file as login and answers the status, the
// body and the content type.
func (f *apiFixture) caseFile(t *testing.T, login, no string) (int, []byte, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/cases/"+no+"/file", nil)
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[login])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body, resp.Header.Get("Content-Type")
}

// unzipCaseFile reads a case file: its manifest and every file by name.
func unzipCaseFile(t *testing.T, body []byte) (*redress.CaseFileManifest, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[zf.Name], _ = io.ReadAll(r)
		r.Close()
	}
	var m redress.CaseFileManifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	return &m, files
}

// verify checks a case file as its recipient does (redress.VerifyCaseFile)
// over files, which may have been altered.
func verify(m *redress.CaseFileManifest, files map[string][]byte) []string {
	return redress.VerifyCaseFile(m, func(name string) (io.ReadCloser, error) {
		b, ok := files[name]
		if !ok {
			return nil, io.ErrUnexpectedEOF
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	})
}

// pdfShows reports whether a PDF of the case file draws s: fpdf codes each
// character by its code point in two bytes (pdf/pdf.go), so the inflated
// page streams hold s in UTF-16BE.
func pdfShows(t *testing.T, doc []byte, s string) bool {
	t.Helper()
	var want []byte
	for _, r := range s {
		want = append(want, byte(r>>8), byte(r))
	}
	re := regexp.MustCompile(`(?s)/Filter /FlateDecode.*?stream\r?\n`)
	for _, loc := range re.FindAllIndex(doc, -1) {
		r, err := zlib.NewReader(bytes.NewReader(doc[loc[1]:]))
		if err != nil {
			continue
		}
		content, _ := io.ReadAll(r)
		if bytes.Contains(pdfUnescape(content), want) {
			return true
		}
	}
	return false
}

// pdfUnescape undoes the escapes of PDF string literals (\\r, \\(, \\),
// \\\\) across a page stream: enough to find a string in it.
func pdfUnescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			i++
			switch b[i] {
			case 'r':
				out = append(out, '\r')
			case 'n':
				out = append(out, '\n')
			default:
				out = append(out, b[i])
			}
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// closedWithNotices walks a case to closed with a decision letter, two
// notices (an SMS and a letter) and the given evidence files.
func closedWithNotices(t *testing.T, f *apiFixture, evidence map[string][]byte) string {
	t.Helper()
	if status, body := f.call(t, "admin", "PUT", "/api/v1/settings/bank", `{"name":"示例银行","hotline":"95500","address":"北京市海淀区1号"}`); status != 200 {
		t.Fatalf("bank profile: %d %v", status, body)
	}
	no := f.create(t)["no"].(string)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range evidence {
			if !yield(k) {
				return
			}
		}
	}) {
		if status, body := f.upload(t, "staff", no, name, evidence[name]); status != 201 {
			t.Fatalf("upload %s: %d %s", name, status, body)
		}
	}
	for _, s := range []struct{ login, action, body string }{
		{"mgr", "accept", `{"version":1}`},
		{"mgr", "investigate", `{"version":2,"text":"调取销售录音，核对风险揭示书"}`},
		{"mgr", "determine", `{"version":3,"liability":"partial","responsible_party":"理财经理","root_cause":"营销话术不规范"}`},
		{"mgr", "reply", `{"version":4,"facts":"销售时未充分揭示风险","basis":"合同第五条","outcome":"partly_upheld","redress":"补偿差额","redress_amount":"1200.00","remedies":["review","mediation"],"notice_method":"phone","notice_at":"2026-11-21T10:00:00+08:00","notice_proof":"录音 R-01"}`},
		{"head", "sign_off", `{"version":5,"text":"同意"}`},
		{"mgr", "close", `{"version":6,"satisfaction":"satisfied"}`},
	} {
		if status, c := f.call(t, s.login, "POST", "/api/v1/cases/"+no+"/"+s.action, s.body); status != 200 {
			t.Fatalf("%s: %d %v", s.action, status, c)
		}
		if s.action == "accept" {
			if status, body := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/notices", `{"kind":"acceptance","method":"sms"}`); status != 201 {
				t.Fatalf("sms notice: %d %v", status, body)
			}
			if status, body := f.call(t, "staff", "POST", "/api/v1/cases/"+no+"/notices", `{"kind":"acceptance","method":"letter"}`); status != 201 {
				t.Fatalf("letter notice: %d %v", status, body)
			}
		}
	}
	return no
}

// TestCaseFileVerifiesByItsManifest_Issue16Item4: the case file of a
// closed case with two evidence files holds the registration form, the
// decision letter and both notices as PDFs, the timeline three ways and
// the evidence as stored; every hash the manifest lists recomputes, the
// audit events' chain hashes are the audit trail's, an altered file or
// event is caught, and the download is an audit event naming the
// manifest's SHA-256.
func TestCaseFileVerifiesByItsManifest_Issue16Item4(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	scan := []byte("%PDF-1.4 交易凭证 2026-11-20")
	photo := bytes.Repeat([]byte{0xFF, 0xD8, 0x00, 0x01}, 5000)
	no := closedWithNotices(t, f, map[string][]byte{"交易凭证.pdf": scan, "photo.jpg": photo})

	status, body, ct := f.caseFile(t, "mgr", no)
	if status != 200 || ct != "application/zip" {
		t.Fatalf("case file: %d %s %.200s", status, ct, body)
	}
	m, files := unzipCaseFile(t, body)
	if problems := verify(m, files); len(problems) > 0 {
		t.Fatalf("the case file does not verify: %v", problems)
	}
	names := []string{"manifest.json"}
	for _, e := range m.Files {
		names = append(names, e.Name)
	}
	got := slices.Sorted(func(yield func(string) bool) {
		for k := range files {
			if !yield(k) {
				return
			}
		}
	})
	if slices.Sort(names); !slices.Equal(got, names) {
		t.Fatalf("the ZIP holds %v, the manifest lists %v and itself", got, names)
	}
	for _, want := range []string{"01-registration.pdf", "02-decision.pdf", "03-notice-01-acceptance.pdf", "03-notice-02-acceptance.pdf",
		"timeline.pdf", "timeline.csv", "timeline.json", "README.txt"} {
		if files[want] == nil {
			t.Errorf("the case file has no %s: %v", want, got)
		}
	}
	if m.Format != redress.CaseFileFormat || m.Case != no || m.PersonalData != "full" || m.GeneratedBy != "mgr" {
		t.Errorf("manifest head: %+v", m)
	}
	// The evidence as stored, under the store's SHA-256.
	_, list := f.call(t, "mgr", "GET", "/api/v1/cases/"+no+"/evidence", "")
	stored := list["items"].([]any)
	if len(stored) != 2 {
		t.Fatalf("evidence: %v", list)
	}
	for _, item := range stored {
		e := item.(map[string]any)
		name := redress.CaseFileEvidenceName(&redress.Evidence{ID: int64(e["id"].(float64)), Name: e["name"].(string)})
		var entry *redress.CaseFileEntry
		for i := range m.Files {
			if m.Files[i].Name == name {
				entry = &m.Files[i]
			}
		}
		if entry == nil || entry.SHA256 != e["sha256"] || entry.Evidence != int64(e["id"].(float64)) {
			t.Errorf("evidence %v: manifest entry %+v", e, entry)
		}
	}
	for _, item := range stored {
		e := item.(map[string]any)
		want := map[string][]byte{"photo.jpg": photo, "交易凭证.pdf": scan}[e["name"].(string)]
		if got := files[redress.CaseFileEvidenceName(&redress.Evidence{ID: int64(e["id"].(float64)), Name: e["name"].(string)})]; !bytes.Equal(got, want) {
			t.Errorf("%s is not as uploaded: %.40q", e["name"], got)
		}
	}
	// The chain hashes are the audit trail's.
	_, trail := f.call(t, "auditor", "GET", "/api/v1/audit/events?case="+no+"&limit=500", "")
	audited := map[int64]string{}
	for _, item := range trail["events"].([]any) {
		e := item.(map[string]any)
		if seq := int64(e["seq"].(float64)); seq <= m.AuditHead.Seq { // not the download's own event, after the file
			audited[seq] = e["hash"].(string) + " " + e["prev_hash"].(string)
		}
	}
	if len(m.Events) == 0 || len(m.Events) != len(audited) {
		t.Fatalf("manifest lists %d events, the audit trail %d", len(m.Events), len(audited))
	}
	for _, e := range m.Events {
		if audited[e.Seq] != e.Hash+" "+e.PrevHash {
			t.Errorf("event %d: manifest %s, audit trail %s", e.Seq, e.Hash, audited[e.Seq])
		}
	}
	// The PDFs draw the case in Chinese: the form, the letter, the notice.
	for name, want := range map[string][]string{
		"01-registration.pdf":         {"客户投诉登记表", no, "理财产品收益与宣传不符", "110101199003071234", "13812345678"},
		"02-decision.pdf":             {"投诉处理答复函", "销售时未充分揭示风险", "合同第五条"},
		"03-notice-02-acceptance.pdf": {"示例银行", no, "张三", "95500", "北京市海淀区"},
		"timeline.pdf":                {"处理过程", m.Events[0].Hash[:12]},
	} {
		for _, s := range want {
			if !pdfShows(t, files[name], s) {
				t.Errorf("%s does not show %q", name, s)
			}
		}
	}
	if !strings.Contains(string(files["README.txt"]), "sha256") || !strings.Contains(string(files["timeline.csv"]), m.Events[0].Hash) {
		t.Errorf("README or timeline.csv: %.300s", files["README.txt"])
	}
	// Anything altered is caught.
	for name, alter := range map[string]func(map[string][]byte){
		"an evidence byte": func(fs map[string][]byte) {
			for k, v := range fs {
				if strings.HasPrefix(k, "evidence/") {
					fs[k] = append([]byte{'X'}, v[1:]...)
				}
			}
		},
		"an event's detail": func(fs map[string][]byte) {
			fs["timeline.json"] = bytes.Replace(fs["timeline.json"], []byte("调取销售录音"), []byte("未调取录音"), 1)
		},
		"the letter": func(fs map[string][]byte) { fs["02-decision.pdf"] = append(fs["02-decision.pdf"], ' ') },
	} {
		altered := map[string][]byte{}
		for k, v := range files {
			altered[k] = append([]byte{}, v...)
		}
		alter(altered)
		if problems := verify(m, altered); len(problems) == 0 {
			t.Errorf("%s altered: the case file still verifies", name)
		}
	}
	// The download is audited, naming the manifest's SHA-256.
	_, trail = f.call(t, "auditor", "GET", "/api/v1/audit/events?action=case.export_file&case="+no, "")
	events := trail["events"].([]any)
	sum := sha256.Sum256(files["manifest.json"])
	if len(events) != 1 || events[0].(map[string]any)["actor"] != "mgr" ||
		!strings.Contains(events[0].(map[string]any)["detail"].(string), "manifest sha256 "+hex.EncodeToString(sum[:])) ||
		!strings.Contains(events[0].(map[string]any)["detail"].(string), "personal data full") {
		t.Fatalf("the export's audit event: %v", trail)
	}
	if _, report := f.call(t, "auditor", "GET", "/api/v1/audit/verify", ""); report["ok"] != true {
		t.Fatalf("chain after the export: %v", report)
	}
}

// TestCaseFileMasksPersonalDataUnlessTheRoleRevealsIt_Issue16Item4:
// personal data in full only for the roles that may reveal it
// (PermCaseReveal: the manager); the staff member's and the auditor's
// files show the masked forms, and their manifests say so. A case with no
// evidence and no reply has no evidence folder and no decision letter.
func TestCaseFileMasksPersonalDataUnlessTheRoleRevealsIt_Issue16Item4(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	no := f.create(t)["no"].(string)
	for login, full := range map[string]bool{"mgr": true, "head": true, "staff": false, "auditor": false} {
		status, body, _ := f.caseFile(t, login, no)
		if status != 200 {
			t.Fatalf("%s: %d %s", login, status, body)
		}
		m, files := unzipCaseFile(t, body)
		if problems := verify(m, files); len(problems) > 0 {
			t.Fatalf("%s: %v", login, problems)
		}
		form := files["01-registration.pdf"]
		if want := map[bool]string{true: "full", false: "masked"}[full]; m.PersonalData != want {
			t.Errorf("%s: personal data %q, want %q", login, m.PersonalData, want)
		}
		if got := pdfShows(t, form, "110101199003071234"); got != full {
			t.Errorf("%s: the full ID number shown %v, want %v", login, got, full)
		}
		if got := pdfShows(t, form, "13812345678"); got != full {
			t.Errorf("%s: the full phone shown %v, want %v", login, got, full)
		}
		if !full && (!pdfShows(t, form, redress.MaskID("110101199003071234")) || !pdfShows(t, form, redress.MaskPhone("13812345678"))) {
			t.Errorf("%s: the masked forms are not shown", login)
		}
		for name := range files {
			if strings.HasPrefix(name, "evidence/") || name == "02-decision.pdf" {
				t.Errorf("%s: a case with no evidence and no reply holds %s", login, name)
			}
		}
		if len(m.Files) != 5 { // registration, timeline ×3, README
			t.Errorf("%s: %d files: %+v", login, len(m.Files), m.Files)
		}
	}
}

// TestCaseFileRefusals_Issue16Item4: a case out of scope, unknown or
// malformed is 404 exactly as a missing one (a NUL is refused at the edge, 400) (nothing streamed, nothing
// audited); a role that reads no cases is 403; no credentials 401.
func TestCaseFileRefusals_Issue16Item4(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	no := f.create(t)["no"].(string)
	for _, c := range []struct {
		login, no string
		status    int
	}{
		{"mgr.sh", no, 404}, {"mgr", "TS20991231-99999", 404}, {"mgr", "..%2f..%2fetc", 404}, {"mgr", "TS2026%00", 400},
		{"admin", no, 403}, {"", no, 401},
	} {
		status, body, ct := f.caseFile(t, c.login, c.no)
		if status != c.status || !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s %s: %d %s %.200s, want %d and the error shape", c.login, c.no, status, ct, body, c.status)
		}
	}
	_, trail := f.call(t, "auditor", "GET", "/api/v1/audit/events?action=case.export_file", "")
	if n := len(trail["events"].([]any)); n != 0 {
		t.Errorf("%d case files audited for refusals", n)
	}
}

// TestCaseFileButtonOnTheCasePage_Issue16Item4: the case page links the
// case file, and the link downloads it with the page's session.
func TestCaseFileButtonOnTheCasePage_Issue16Item4(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	client := pageClient(t, f, "mgr")
	page := pageText(t, f, client, "/cases/"+no)
	if !strings.Contains(page, `href="/api/v1/cases/`+no+`/file"`) || !strings.Contains(page, "下载案件卷宗") {
		t.Fatalf("the case page has no case file button: %.2000s", page)
	}
	resp, err := client.Get(f.srv.URL + "/api/v1/cases/" + no + "/file")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), no+"-case-file.zip") {
		t.Fatalf("the button's download: %d %v", resp.StatusCode, resp.Header)
	}
	if m, files := unzipCaseFile(t, body); len(verify(m, files)) > 0 {
		t.Fatalf("the button's file does not verify")
	}
}
