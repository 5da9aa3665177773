package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The import of a bank's history reads its spreadsheet through here, so
// that excelize stays in this package: a CSV file (UTF-8 with or without a
// byte-order mark, or GB18030 as Excel saves "CSV" on a Chinese Windows) or
// the first sheet of an XLSX workbook, a row at a time.

// ReadLimits bound what reading a file may cost.
type ReadLimits struct {
	// Unzipped is the most bytes an XLSX file's parts may unzip to. They
	// are held in memory: excelize would spool a larger part to a temporary
	// file, and an import's parts hold personal data in clear.
	Unzipped int64
	// Cells is the most cells a row may have.
	Cells int
}

// DefaultReadLimits are the limits of the import: 256 MiB unzipped (the
// sheet of 100,000 rows of the import's columns is about 60 MiB), 200 cells
// a row.
var DefaultReadLimits = ReadLimits{Unzipped: 256 << 20, Cells: 200}

// TableReader reads a table a row at a time.
type TableReader struct {
	next  func() ([]string, error)
	close func() error
	cells int
}

// Next returns the next row's cells; io.EOF after the last row.
func (t *TableReader) Next() ([]string, error) {
	row, err := t.next()
	if err == nil && len(row) > t.cells {
		return nil, fmt.Errorf("a row of %d cells: at most %d", len(row), t.cells)
	}
	return row, err
}

// Close releases the reader (the workbook's temporary files).
func (t *TableReader) Close() error { return t.close() }

// ErrNotTable is the error of a file that is not of the format it claims.
var ErrNotTable = errors.New("not a CSV or XLSX file")

// ReadTable opens a table of the format: XLSX reads from r (an XLSX needs
// random access: the file as uploaded, of size bytes), CSV streams.
func ReadTable(r io.ReaderAt, size int64, format Format, limits ReadLimits) (*TableReader, error) {
	if limits.Cells <= 0 {
		limits.Cells = DefaultReadLimits.Cells
	}
	if limits.Unzipped <= 0 {
		limits.Unzipped = DefaultReadLimits.Unzipped
	}
	switch format {
	case CSV:
		return readCSV(io.NewSectionReader(r, 0, size), limits)
	case XLSX:
		return readXLSX(io.NewSectionReader(r, 0, size), limits)
	}
	return nil, fmt.Errorf("format %q: want csv or xlsx", format)
}

// readCSV reads UTF-8 (the byte-order mark dropped) or, when the first
// 64 KiB are not UTF-8, GB18030.
func readCSV(r io.Reader, limits ReadLimits) (*TableReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, ErrNotTable // a binary file (an XLSX or worse) sent as CSV
	}
	var text io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
	case !validUTF8Prefix(head):
		text = simplifiedchinese.GB18030.NewDecoder().Reader(br)
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return &TableReader{next: cr.Read, close: func() error { return nil }, cells: limits.Cells}, nil
}

// validUTF8Prefix reports whether b is UTF-8 but for a character cut at its end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// readXLSX reads the first sheet with excelize's row iterator, the cells'
// raw values (a date cell as its serial number, which the import reads).
func readXLSX(r io.Reader, limits ReadLimits) (*TableReader, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: limits.Unzipped, UnzipXMLSizeLimit: limits.Unzipped})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fmt.Errorf("%w: no sheet", ErrNotTable)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %v", ErrNotTable, err)
	}
	next := func() ([]string, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		return rows.Columns(excelize.Options{RawCellValue: true})
	}
	return &TableReader{next: next, cells: limits.Cells, close: func() error {
		return errors.Join(rows.Close(), f.Close())
	}}, nil
}
