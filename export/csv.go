package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// csvWriter writes CSV with a byte-order mark, so that Excel reads it as
// UTF-8.
type csvWriter struct {
	w      *csv.Writer
	cols   []Column
	tables int
}

func newCSV(w io.Writer) (*csvWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, fmt.Errorf("export csv: %w", err)
	}
	return &csvWriter{w: csv.NewWriter(w)}, nil
}

func (c *csvWriter) Table(name string, cols []Column) error {
	if c.tables > 0 {
		if err := c.w.Write([]string{}); err != nil {
			return err
		}
		if err := c.w.Write([]string{name}); err != nil {
			return err
		}
	}
	c.tables++
	c.cols = cols
	header := make([]string, len(cols))
	for i, col := range cols {
		header[i] = col.Title
	}
	return c.w.Write(header)
}

func (c *csvWriter) Row(values ...any) error {
	record := make([]string, len(values))
	for i, v := range values {
		kind := Text
		if i < len(c.cols) {
			kind = c.cols[i].Kind
		}
		record[i] = csvValue(kind, v)
	}
	if err := c.w.Write(record); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	return nil
}

// csvValue is a value as CSV text. Text that a spreadsheet would take for a
// formula (=, +, -, @ first) is prefixed with a quote mark, so that an
// export never runs what a complainant typed.
func csvValue(kind Kind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.In(beijing).Format("2006-01-02 15:04")
	case float64:
		if kind == Share {
			return strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case string:
		return defuse(x)
	}
	return defuse(fmt.Sprint(v))
}

// defuse keeps a spreadsheet from reading text as a formula.
func defuse(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	return nil
}

// beijing is UTC+8, the time zone every exported time is written in.
var beijing = time.FixedZone("CST", 8*3600)
