// Package export writes tables as CSV (UTF-8 with a byte-order mark, so
// Excel opens Chinese text right) or XLSX (excelize's stream writer: a
// bold, frozen header row, column widths fit for Chinese text, dates as
// dates, amounts and shares as numbers, a sheet per table). The pages and
// the API stream every list and report through it, row by row: nothing
// here holds a table.
package export

import (
	"fmt"
	"io"
	"mime"
	"strings"
)

// Format is a file format of an export.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ContentType is the media type of the format.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// FormatOf reads the format a request asks for: the query's format
// (csv or xlsx) or, without one, its Accept header; "" when it asks for
// neither (the JSON answer). An unknown format value is an error.
func FormatOf(format, accept string) (Format, error) {
	switch strings.ToLower(format) {
	case "csv":
		return CSV, nil
	case "xlsx":
		return XLSX, nil
	case "", "json":
	default:
		return "", fmt.Errorf("format %q: want csv, xlsx or json", format)
	}
	if format != "" {
		return "", nil
	}
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return CSV, nil
		case XLSX.ContentType():
			return XLSX, nil
		}
	}
	return "", nil
}

// Kind says how a column's values are written.
type Kind int

// The kinds of column.
const (
	Text     Kind = iota // a string
	Int                  // a whole number
	Amount               // yuan as "1200.00", written as a number with two decimals
	Share                // 0 to 1, written as a percentage
	Date                 // "YYYY-MM-DD", written as a date
	DateTime             // a time.Time, written as a date and time (Beijing)
)

// Column is one column of a table: its header and kind, and its width in
// characters (0: from the header).
type Column struct {
	Title string
	Kind  Kind
	Width float64
}

// Writer writes tables, one after another, row by row.
type Writer interface {
	// Table starts a table (an XLSX sheet; in CSV a blank line and the
	// table's name before its header, from the second table on).
	Table(name string, cols []Column) error
	// Row writes one row of the current table, a value per column.
	Row(values ...any) error
	// Close finishes the file and writes what is left.
	Close() error
}

// NewWriter returns a writer of the format onto w.
func NewWriter(f Format, w io.Writer) (Writer, error) {
	switch f {
	case CSV:
		return newCSV(w)
	case XLSX:
		return newXLSX(w)
	}
	return nil, fmt.Errorf("export: unknown format %q", f)
}

// Filename is the name an export is downloaded under: the base (ASCII) and
// the format's extension.
func Filename(base string, f Format) string { return base + "." + string(f) }
