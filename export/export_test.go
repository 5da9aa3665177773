package export

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var columns = []Column{{Title: "案件编号"}, {Title: "数量", Kind: Int}, {Title: "金额", Kind: Amount},
	{Title: "占比", Kind: Share}, {Title: "受理日期", Kind: Date}, {Title: "答复时间", Kind: DateTime}}

func writeAll(t *testing.T, f Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(f, &buf)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 21, 2, 30, 0, 0, time.UTC) // 10:30 in Beijing
	for _, table := range []string{"按业务类别", "按根因/影响因素:[1]"} {
		if err := w.Table(table, columns); err != nil {
			t.Fatal(err)
		}
		if err := w.Row("TS20261120-00001", 3, "1200.50", 0.3333, "2026-11-20", at); err != nil {
			t.Fatal(err)
		}
		if err := w.Row("=HYPERLINK(\"http://x\")", 0, "", 0.0, "", time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestXLSXReadsBack: a workbook written here and read back by excelize has a
// sheet per table with Excel's name rules, the header first, numbers as
// numbers, the amount and share formatted, dates as dates in Beijing time,
// and a formula typed by a user kept as text.
func TestXLSXReadsBack(t *testing.T) {
	t.Parallel()
	f, err := excelize.OpenReader(bytes.NewReader(writeAll(t, XLSX)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "按业务类别" || got[1] != "按根因_影响因素__1_" {
		t.Fatalf("sheets: %v", got)
	}
	rows, err := f.GetRows("按业务类别")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"案件编号", "数量", "金额", "占比", "受理日期", "答复时间"},
		{"TS20261120-00001", "3", "1200.50", "33.3%", "2026-11-20", "2026-11-21 10:30"}}
	for i, row := range want {
		if strings.Join(rows[i], "|") != strings.Join(row, "|") {
			t.Errorf("row %d: %v, want %v", i, rows[i], row)
		}
	}
	if v, _ := f.GetCellValue("按业务类别", "A3"); v != `=HYPERLINK("http://x")` {
		t.Errorf("a typed formula: %q", v)
	}
	if formula, _ := f.GetCellFormula("按业务类别", "A3"); formula != "" {
		t.Errorf("a typed text became a formula: %q", formula)
	}
	if kind, _ := f.GetCellType("按业务类别", "C2"); kind != excelize.CellTypeNumber && kind != excelize.CellTypeUnset {
		t.Errorf("the amount is not a number: %v", kind)
	}
	raw, _ := f.GetCellValue("按业务类别", "C2", excelize.Options{RawCellValue: true})
	if raw != "1200.5" {
		t.Errorf("the amount's raw value: %q", raw)
	}
}

// TestCSVHasBOMAndDefusesFormulas: CSV starts with a byte-order mark (Excel
// reads it as UTF-8), writes each table after a blank line and its name,
// and prefixes text that would be a formula.
func TestCSVHasBOMAndDefusesFormulas(t *testing.T) {
	t.Parallel()
	out := string(writeAll(t, CSV))
	if !strings.HasPrefix(out, "\ufeff案件编号,数量,金额,占比,受理日期,答复时间\n") {
		t.Fatalf("the start: %q", out[:60])
	}
	for _, want := range []string{"TS20261120-00001,3,1200.50,33.3%,2026-11-20,2026-11-21 10:30\n",
		"\"'=HYPERLINK(\"\"http://x\"\")\",0,,0.0%,,\n", "\n\n按根因/影响因素:[1]\n案件编号"} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q:\n%s", want, out)
		}
	}
}

func TestFormatOf(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		format, accept string
		want           Format
		err            bool
	}{
		{"csv", "", CSV, false}, {"XLSX", "", XLSX, false}, {"", "text/csv", CSV, false},
		{"", "application/json, " + XLSX.ContentType(), XLSX, false}, {"", "*/*", "", false},
		{"json", "text/csv", "", false}, {"pdf", "", "", true},
	} {
		got, err := FormatOf(tt.format, tt.accept)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("%q %q: %q %v", tt.format, tt.accept, got, err)
		}
	}
}

// largestWrite records the largest single write it was given.
type largestWrite struct{ total, largest int }

func (l *largestWrite) Write(p []byte) (int, error) {
	l.total += len(p)
	l.largest = max(l.largest, len(p))
	return len(p), nil
}

// TestXLSXStreamsTheZip (issue 12 item 5: a 1,000,000-case export keeps
// the server under 150 MB): the workbook reaches the output as the zip is
// written, in pieces, never built whole in memory first (excelize's Write
// alone builds it in a buffer: a million cases, about 100 MB), and it is
// the same workbook: it reads back.
func TestXLSXStreamsTheZip(t *testing.T) {
	t.Parallel()
	var out largestWrite
	var file bytes.Buffer
	w, err := NewWriter(XLSX, io.MultiWriter(&out, &file))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Table("案件清单", columns); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 21, 2, 30, 0, 0, time.UTC)
	const rows = 10000
	for i := range rows {
		if err := w.Row(fmt.Sprintf("TS20261120-%05d", i), i, "1200.50", 0.5, "2026-11-20", at); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if out.total < 100<<10 || out.largest > out.total/4 {
		t.Errorf("the workbook (%d bytes) reached the output in a write of %d bytes", out.total, out.largest)
	}
	f, err := excelize.OpenReader(&file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("案件清单")
	if err != nil || len(got) != rows+1 || got[rows][0] != fmt.Sprintf("TS20261120-%05d", rows-1) {
		t.Errorf("read back: %d rows, %v", len(got), err)
	}
}
