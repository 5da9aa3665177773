package web_test

import (
	"bytes"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// multipartForm is a multipart/form-data body with the file content as the
// part fileField named name, and the other fields.
func multipartForm(t *testing.T, fileField, name string, content []byte, fields url.Values) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	part, err := mw.CreateFormFile(fileField, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &body, mw.FormDataContentType()
}

// postMultipart posts a multipart form from the pages as the signed-in
// client and answers the status and the page that came back.
func postMultipart(t *testing.T, f *apiFixture, client *http.Client, path string, body io.Reader, contentType string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+path, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(raw)
}

// filesUnder lists the regular files under dir, relative to it.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestUploadsNeverTouchTheDiskInClear_Issue11Item1: accepted and refused
// uploads of 9 MiB (over net/http's 8 MiB spooling threshold of
// ParseMultipartForm) through the API, the case page and the registration
// page leave no file in TMPDIR, nor beside the database, and the content
// is nowhere in the database in clear. Not parallel: TMPDIR is process-wide.
func TestUploadsNeverTouchTheDiskInClear_Issue11Item1(t *testing.T) {
	f := newAPIWithPasswords(t)
	no := f.create(t)["no"].(string)
	client := pageClient(t, f, "mgr")
	var dbDir string
	var dbFiles []string
	if !strings.Contains(f.dsn, "://") { // SQLite: the files of the database
		dbDir = filepath.Dir(strings.TrimPrefix(strings.SplitN(f.dsn, "?", 2)[0], "file:"))
		dbFiles = filesUnder(t, dbDir)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where net/http spools a multipart file
	if os.TempDir() != tmp {
		t.Fatalf("os.TempDir() = %s, not the test's %s: the check below would prove nothing", os.TempDir(), tmp)
	}
	marker := "110101199003071234"
	scan := bytes.Repeat([]byte("身份证复印件 "+marker+"\n"), 9<<20/40)
	if len(scan) <= 8<<20 {
		t.Fatalf("the scan is %d bytes: not over the spooling threshold", len(scan))
	}
	for _, tc := range []struct {
		login, name string
		content     []byte
		want        int
	}{
		{"staff", "扫描件.pdf", scan, http.StatusCreated},
		{"mgr.sh", "扫描件.pdf", scan, http.StatusNotFound}, // out of scope
		{"auditor", "扫描件.pdf", scan, http.StatusForbidden},
		{"staff", "..", scan, http.StatusBadRequest},
		{"staff", "big.pdf", make([]byte, 21<<20), http.StatusBadRequest},
	} {
		status, raw := f.upload(t, tc.login, no, tc.name, tc.content)
		if status != tc.want {
			t.Fatalf("API upload by %s of %q: %d %s, want %d", tc.login, tc.name, status, raw, tc.want)
		}
		if tc.want == http.StatusBadRequest && !strings.Contains(raw, `"file"`) {
			t.Errorf("a refused upload names the field file: %s", raw)
		}
		if files := filesUnder(t, tmp); len(files) > 0 {
			t.Fatalf("after the API upload by %s of %q (%d) TMPDIR holds %v", tc.login, tc.name, tc.want, files)
		}
	}
	// The case page's upload.
	body, ct := multipartForm(t, "file", "凭证.pdf", scan, url.Values{"note": {"柜面补交"}})
	if status, page := postMultipart(t, f, client, "/cases/"+no+"/evidence", body, ct); status != http.StatusOK || !strings.Contains(page, "凭证.pdf") {
		t.Fatalf("case page upload: %d", status)
	}
	body, ct = multipartForm(t, "file", "big.pdf", make([]byte, 21<<20), nil)
	if status, page := postMultipart(t, f, client, "/cases/"+no+"/evidence", body, ct); status != http.StatusOK || !strings.Contains(page, "20 MiB") { // the page again, with the problem
		t.Fatalf("case page upload of 21 MiB: %d", status)
	}
	// The registration page's letter scan: refused (not restated), then registered.
	form := url.Values{"channel": {"letter"}, "kind": {"complaint"}, "received_at": {"2026-11-20T09:30"}, "name": {"李四"},
		"subject": {"信用卡分期手续费"}, "description": {"来信反映分期手续费"}}
	body, ct = multipartForm(t, "scan", "来信.pdf", scan, form)
	if status, page := postMultipart(t, f, client, "/cases/new", body, ct); status != http.StatusOK || strings.Contains(page, "tracking-no") {
		t.Fatalf("registration without the restatement: %d", status)
	}
	body, ct = multipartForm(t, "scan", "来信.pdf", make([]byte, 21<<20), form)
	if status, page := postMultipart(t, f, client, "/cases/new", body, ct); status != http.StatusOK || !strings.Contains(page, "文件超过 20 MiB") ||
		!strings.Contains(page, "来信反映分期手续费") { // the form again, as typed, with the problem on the scan
		t.Fatalf("registration with a scan of 21 MiB: %d %s", status, page)
	}
	form.Set("restated", "yes")
	body, ct = multipartForm(t, "scan", "来信.pdf", scan, form)
	if status, page := postMultipart(t, f, client, "/cases/new", body, ct); status != http.StatusOK || !strings.Contains(page, "tracking-no") {
		t.Fatalf("registration with the scan: %d %s", status, page)
	}
	if files := filesUnder(t, tmp); len(files) > 0 {
		t.Fatalf("after the page uploads TMPDIR holds %v", files)
	}
	f.db.Close()
	if dbDir != "" {
		for _, name := range filesUnder(t, dbDir) {
			known := false
			for _, had := range dbFiles {
				known = known || name == had || strings.HasPrefix(name, had+"-") // -wal, -shm, -journal
			}
			if !known {
				t.Errorf("a new file beside the database: %s", name)
			}
		}
	}
	raw := testEngine.Contents(t, f.dsn)
	if !bytes.Contains(raw, []byte("信用卡分期手续费")) {
		t.Fatal("the dump does not hold the registered case: the check below would prove nothing")
	}
	if bytes.Contains(raw, []byte(marker)) {
		t.Fatal("an uploaded scan is stored in clear")
	}
}
