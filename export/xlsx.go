package export

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxWriter writes a workbook through excelize's stream writer, a sheet
// per table. The stream writer keeps a sheet's rows in memory up to 16 MB
// and in a temporary file beyond (removed by Close); the file is written
// out when it is closed, since a workbook is a zip whose index comes last.
// The zip is written straight onto the output (SetZipWriter): excelize's
// Write would build the whole file in a bytes.Buffer first, about 100 MB
// for a million cases.
type xlsxWriter struct {
	out    io.Writer // what excelize's Write leaves in its buffer: nothing (the zip went to the output)
	f      *excelize.File
	sheet  *excelize.StreamWriter
	cols   []Column
	row    int
	styles map[Kind]int
	header int
	sheets int
}

func newXLSX(w io.Writer) (*xlsxWriter, error) {
	f := excelize.NewFile()
	// Write hands its buffer to the zip writer; this one ignores it, so
	// the buffer stays empty. (excelize patches the buffer afterwards only
	// for an entry over 4 GiB, far beyond any export.)
	// Deflate at its fastest level: a third of the cost of a sheet was the
	// default level's search for matches, for a file about a fifth larger.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	x := &xlsxWriter{out: io.Discard, f: f, styles: map[Kind]int{}}
	var err error
	if x.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}}}); err != nil {
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	for kind, format := range map[Kind]string{Amount: "0.00", Share: "0.0%", Date: "yyyy-mm-dd", DateTime: "yyyy-mm-dd hh:mm", Int: "0"} {
		format := format
		if x.styles[kind], err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
			return nil, fmt.Errorf("export xlsx: %w", err)
		}
	}
	return x, nil
}

func (x *xlsxWriter) Table(name string, cols []Column) error {
	if err := x.flush(); err != nil {
		return err
	}
	name = sheetName(name, x.sheets)
	if x.sheets == 0 {
		if err := x.f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("export xlsx: %w", err)
		}
	} else if _, err := x.f.NewSheet(name); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	x.sheets++
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	x.sheet, x.cols, x.row = sw, cols, 1
	for i, col := range cols {
		if err := sw.SetColWidth(i+1, i+1, width(col)); err != nil {
			return fmt.Errorf("export xlsx: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	header := make([]any, len(cols))
	for i, col := range cols {
		header[i] = excelize.Cell{StyleID: x.header, Value: col.Title}
	}
	return x.Row(header...)
}

func (x *xlsxWriter) Row(values ...any) error {
	if x.sheet == nil {
		return fmt.Errorf("export xlsx: a row before a table")
	}
	cells := make([]any, len(values))
	for i, v := range values {
		if c, ok := v.(excelize.Cell); ok {
			cells[i] = c
			continue
		}
		kind := Text
		if i < len(x.cols) {
			kind = x.cols[i].Kind
		}
		cells[i] = x.cell(kind, v)
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	x.row++
	if err := x.sheet.SetRow(cell, cells); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

// cell is a value as a typed cell: numbers as numbers, dates as dates,
// text as text (never as a formula: the stream writer writes strings as
// inline strings).
func (x *xlsxWriter) cell(kind Kind, v any) any {
	switch kind {
	case Amount:
		if s, ok := v.(string); ok {
			if n, err := strconv.ParseFloat(s, 64); err == nil {
				return excelize.Cell{StyleID: x.styles[Amount], Value: n}
			}
		}
	case Date:
		if s, ok := v.(string); ok {
			if t, err := time.Parse(time.DateOnly, s); err == nil {
				return excelize.Cell{StyleID: x.styles[Date], Value: t}
			}
		}
	case DateTime:
		if t, ok := v.(time.Time); ok && !t.IsZero() {
			b := t.In(beijing)
			return excelize.Cell{StyleID: x.styles[DateTime],
				Value: time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), 0, time.UTC)}
		}
	case Share, Int:
		return excelize.Cell{StyleID: x.styles[kind], Value: v}
	}
	if t, ok := v.(time.Time); ok {
		if t.IsZero() {
			return ""
		}
		return t.In(beijing).Format("2006-01-02 15:04")
	}
	return v
}

// flush finishes the current sheet.
func (x *xlsxWriter) flush() error {
	if x.sheet == nil {
		return nil
	}
	err := x.sheet.Flush()
	x.sheet = nil
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close() // removes the stream writer's temporary files
	if x.sheets == 0 {
		if err := x.Table("Sheet1", nil); err != nil {
			return err
		}
	}
	if err := x.flush(); err != nil {
		return err
	}
	if err := x.f.Write(x.out); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

// width is a column's width in Excel's units: a Chinese character takes
// about two, so the header's width counts its runes twice, within 8 to 60.
func width(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	w := float64(2*utf8.RuneCountInString(c.Title) + 2)
	return min(max(w, 8), 60)
}

// sheetName is a name Excel accepts: at most 31 characters, none of
// []:*?/\, and not empty.
func sheetName(name string, n int) string {
	clean := make([]rune, 0, 31)
	for _, r := range name {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\':
			r = '_'
		}
		if len(clean) < 31 {
			clean = append(clean, r)
		}
	}
	if len(clean) == 0 {
		return "Sheet" + strconv.Itoa(n+1)
	}
	return string(clean)
}
