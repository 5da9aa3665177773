package pdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sample lays out a document as a case file's letter does.
func sample(t *testing.T) []byte {
	t.Helper()
	d := New(Meta{Title: "投诉登记表", Author: "测试银行", Created: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Footer: "TS20261120-00042"})
	d.Text("中国测试银行股份有限公司", 12, Center)
	d.Title("投诉登记表")
	d.Table([]float64{1, 2, 1, 2}, [][]Cell{
		{{Text: "投诉编号", Head: true}, {Text: "TS20261120-00042"}, {Text: "受理时间", Head: true}, {Text: "2026年11月20日 09:00"}},
		{{Text: "投诉内容", Head: true}, {Text: strings.Repeat("客户反映理财产品年费扣收未告知，要求退还 fee 120.00 元。", 40), Span: 3}},
		{{Text: "客户签字", Head: true}, {Text: "", Height: 14}, {Text: "日期", Head: true}, {Text: ""}},
	})
	d.Heading("事实")
	d.Text("Latin words wrap at spaces: "+strings.Repeat("word ", 60)+"以及中文。", 0, Left)
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// streams returns the PDF's Flate streams, inflated.
func streams(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	var out [][]byte
	re := regexp.MustCompile(`(?s)/Filter /FlateDecode.*?stream\r?\n`)
	for _, loc := range re.FindAllIndex(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(pdf[loc[1]:]))
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(r) // a stream ends with its own checksum; trailing bytes are the PDF's
		out = append(out, body)
	}
	return out
}

// TestPDFEmbedsSubsetFontsAndMapsChinese checks what makes Chinese show
// (issue 16 item 4: the PDF renders Chinese, a CJK font embedded): both
// fonts embedded as TrueType (FontFile2), subset (the whole CJK font is
// 4 MB, the document stays small), and the text's glyphs mapped back to
// the characters typed (ToUnicode), so a reader shows and extracts them.
func TestPDFEmbedsSubsetFontsAndMapsChinese(t *testing.T) {
	t.Parallel()
	pdf := sample(t)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	if n := len(pdf); n > 200<<10 {
		t.Errorf("the PDF is %d bytes: the fonts are not subset", n)
	}
	if n := bytes.Count(pdf, []byte("/FontFile2")); n != 2 {
		t.Errorf("%d TrueType fonts embedded, want 2 (CJK and Latin)", n)
	}
	// fpdf codes a character by its code point (Identity-H, the glyph
	// found through CIDToGIDMap) and maps the codes back one to one.
	if n := bytes.Count(pdf, []byte("/CIDToGIDMap")); n != 2 {
		t.Errorf("%d fonts map codes to glyphs, want 2", n)
	}
	if n := bytes.Count(pdf, []byte("<0000> <FFFF> <0000>")); n != 2 {
		t.Errorf("%d fonts map codes back to Unicode, want 2", n)
	}
	content := []byte{}
	for _, s := range streams(t, pdf) {
		content = append(content, s...)
	}
	for _, r := range "投诉登记表客户签字TS0123456789" {
		if code := []byte{byte(r >> 8), byte(r)}; !bytes.Contains(content, code) {
			t.Errorf("the pages draw no %c (U+%04X)", r, r)
		}
	}
	// Where poppler is installed, the text read back is the text written.
	if _, err := exec.LookPath("pdftotext"); err == nil {
		file := filepath.Join(t.TempDir(), "sample.pdf")
		if err := os.WriteFile(file, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), "")
		for _, want := range []string{"中国测试银行股份有限公司", "投诉登记表", "TS20261120-00042", "客户签字", "2026年11月20日09:00"} {
			if !strings.Contains(text, want) {
				t.Errorf("pdftotext: %q missing from %.300s", want, text)
			}
		}
	}
}

// TestWrapBreaksChineseAnywhereAndLatinAtSpaces: no line is wider than
// its box, a Latin word is never cut when it fits a line, and nothing is
// lost.
func TestWrapBreaksChineseAnywhereAndLatinAtSpaces(t *testing.T) {
	t.Parallel()
	d := New(Meta{})
	d.setSize(10)
	text := strings.Repeat("理财产品 annual fee 年费", 20) + "\n" + strings.Repeat("x", 400)
	lines := d.wrap(text, 50)
	joined := strings.ReplaceAll(strings.Join(lines, ""), " ", "")
	if want := strings.ReplaceAll(strings.ReplaceAll(text, "\n", ""), " ", ""); joined != want {
		t.Errorf("wrap lost text:\n%q\nwant\n%q", joined, want)
	}
	for _, l := range lines {
		if w := d.width(l); w > 50.01 {
			t.Errorf("line %q is %.1f mm, wider than 50", l, w)
		}
		if strings.HasSuffix(l, "annu") || strings.HasPrefix(l, "ual") {
			t.Errorf("a word was cut: %q", l)
		}
	}
}

// TestTableRepeatsItsHeadingsOnEachPage: a timeline's table that runs
// over pages shows its headings at the top of each.
func TestTableRepeatsItsHeadingsOnEachPage(t *testing.T) {
	t.Parallel()
	d := New(Meta{})
	rows := [][]Cell{{{Text: "序号", Head: true}, {Text: "说明", Head: true}}}
	for range 80 {
		rows = append(rows, []Cell{{Text: "1"}, {Text: "受理\n登记"}})
	}
	d.Table([]float64{1, 4}, rows)
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	pages, heads := 0, 0
	for _, s := range streams(t, b.Bytes()) {
		if bytes.Contains(s, []byte(" Tj")) {
			pages++
			if bytes.Contains(s, []byte{0x5E, 0x8F, 0x53, 0xF7}) { // 序号
				heads++
			}
		}
	}
	if pages < 3 || heads != pages {
		t.Errorf("%d pages, %d with the headings", pages, heads)
	}
}
