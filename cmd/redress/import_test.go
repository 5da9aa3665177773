package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"redress/sqldb/sqldbtest"
)

// TestImportCommand_Issue16Item5: redress import's usage errors, a dry run
// that writes nothing, the run with its rejected rows written as Excel, a
// re-run that skips what it imported, the audit chain intact after.
func TestImportCommand_Issue16Item5(t *testing.T) {
	t.Parallel()
	data := sqldbtest.TempDir(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import"}, "import needs --file"},
		{[]string{"import", "--file", "history.txt"}, "must name a .csv or .xlsx file"},
		{[]string{"import", "--file", "history.csv", "--rejects", "r.pdf"}, "--rejects must name"},
		{[]string{"import", "--file", "history.csv", "extra"}, `unexpected argument "extra"`},
		{[]string{"import", "--bogus"}, "flag provided but not defined"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), append(tc.args, "--data", data), &stdout, &stderr); code != 2 ||
			!strings.Contains(stderr.String(), tc.want) || !strings.Contains(stderr.String(), "Usage:") {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr.String())
		}
	}
	file := filepath.Join(t.TempDir(), "history.csv")
	csv := "external_no,kind,channel,received_at,complainant_name,subject,description,org,status,closed_at,end_reason\n" +
		"C-1,complaint,phone,2024-05-06,张三,年费争议,客户称被收取年费。,HQ,closed,2024-05-20,\n" +
		"C-2,inquiry,letter,2024-06-01,李四,营业时间,询问营业时间。,HQ,withdrawn,2024-06-02,客户撤回\n" +
		"C-3,complaint,phone,2024-05-06,王五,,没有主题。,HQ,closed,2024-05-20,\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append(args, "--data", data), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	if code, _, stderr := cli("import", "--file", file); code != 1 || !strings.Contains(stderr, "no user has login admin") {
		t.Errorf("an empty database: %d %s", code, stderr)
	}
	if code, _, stderr := cli("user", "add", "--login", "staff1", "--name", "王芳", "--role", "staff", "--org", "HQ"); code != 0 {
		t.Fatalf("user add: %s", stderr) // sets up the database: head office and admin
	}
	if code, _, stderr := cli("import", "--file", file, "--as", "staff1"); code != 1 || !strings.Contains(stderr, "lacks permission case.import") {
		t.Errorf("--as a staff member: %d %s", code, stderr)
	}
	if code, _, stderr := cli("import", "--file", filepath.Join(t.TempDir(), "missing.csv")); code != 1 || !strings.Contains(stderr, "no such file") {
		t.Errorf("a missing file: %d %s", code, stderr)
	}
	if code, _, stderr := cli("import", "--file", file, "--as", "nobody"); code != 1 || !strings.Contains(stderr, "no user has login nobody") {
		t.Errorf("--as nobody: %d %s", code, stderr)
	}
	code, out, stderr := cli("import", "--file", file, "--dry-run")
	if code != 0 || !strings.Contains(out, "would import (dry run: nothing written) 2") || !strings.Contains(out, "rejected 1") ||
		!strings.Contains(out, "row 4 C-3: subject: required") || !strings.Contains(stderr, "3 rows read") {
		t.Fatalf("dry run: %d\n%s\n%s", code, out, stderr)
	}
	rejects := filepath.Join(t.TempDir(), "rejects.xlsx")
	if code, out, stderr := cli("import", "--file", file, "--rejects", rejects); code != 0 || !strings.Contains(out, ": imported 2, skipped 0") {
		t.Fatalf("run: %d\n%s\n%s", code, out, stderr)
	}
	if st, err := os.Stat(rejects); err != nil || st.Size() == 0 {
		t.Fatalf("rejects file: %v", err)
	}
	if code, out, _ := cli("import", "--file", file); code != 0 || !strings.Contains(out, "imported 0, skipped 2") {
		t.Fatalf("re-run: %d %s", code, out)
	}
	if code, out, stderr := cli("audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: %d %s %s", code, out, stderr)
	}
}
