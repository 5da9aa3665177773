package export

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func readAll(t *testing.T, data []byte, f Format) ([][]string, error) {
	t.Helper()
	table, err := ReadTable(bytes.NewReader(data), int64(len(data)), f, DefaultReadLimits)
	if err != nil {
		return nil, err
	}
	defer table.Close()
	var rows [][]string
	for {
		row, err := table.Next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
}

// TestReadTableEncodings_Issue16Item5: a CSV in UTF-8 with or without its
// byte-order mark, or in GB18030, reads the same.
func TestReadTableEncodings_Issue16Item5(t *testing.T) {
	t.Parallel()
	text := "外部编号,投诉人\nZJ-1,张三\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"bom": "\ufeff" + text, "utf8": text, "gb18030": gb} {
		rows, err := readAll(t, []byte(data), CSV)
		if err != nil || len(rows) != 2 || rows[0][0] != "外部编号" || rows[1][1] != "张三" {
			t.Errorf("%s: %q %v", name, rows, err)
		}
	}
}

// TestReadTableXLSX_Issue16Item5: the first sheet row by row, a date cell as
// its serial day number.
func TestReadTableXLSX_Issue16Item5(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w, err := NewWriter(XLSX, &buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Table("案件", []Column{{Title: "外部编号"}, {Title: "受理日期", Kind: Date}})
	w.Row("ZJ-1", "2023-03-06")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := readAll(t, buf.Bytes(), XLSX)
	if err != nil || len(rows) != 2 || !slices.Equal(rows[1], []string{"ZJ-1", "44991"}) {
		t.Fatalf("%q %v", rows, err)
	}
}

// TestReadTableRefusesHostileFiles_Issue16Item5: a file that is not what it
// claims, a row of too many cells.
func TestReadTableRefusesHostileFiles_Issue16Item5(t *testing.T) {
	t.Parallel()
	if _, err := readAll(t, []byte("PK\x03\x04\x00\x00garbage"), XLSX); !errors.Is(err, ErrNotTable) {
		t.Errorf("garbage as XLSX: %v", err)
	}
	if _, err := readAll(t, []byte("a,b\x00c\n"), CSV); !errors.Is(err, ErrNotTable) {
		t.Errorf("binary as CSV: %v", err)
	}
	wide := bytes.Repeat([]byte("x,"), 300)
	if _, err := readAll(t, wide, CSV); err == nil {
		t.Error("a row of 301 cells")
	}
}
