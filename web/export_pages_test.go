package web

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"redress"
	"redress/export"
)

// pagedSheets answers the case sheet from fixed pages; the cursor is the
// next page's index.
type pagedSheets struct {
	redress.ExportService // only CaseSheet is called
	pages                 [][]*redress.CaseSheetRow
}

func (p pagedSheets) CaseSheet(_ context.Context, f redress.CaseFilter) (*redress.CaseSheetPage, error) {
	i := 0
	if f.Cursor != "" {
		i, _ = strconv.Atoi(f.Cursor)
	}
	page := &redress.CaseSheetPage{Rows: p.pages[i]}
	if i+1 < len(p.pages) {
		page.NextCursor = strconv.Itoa(i + 1)
	}
	return page, nil
}

// TestCaseSheetWritesEveryPageInOrder (issue 12 item 5: exports stream, a
// page at a time): the sheet is written page after page, the next read
// while this one is written, every row once and in the store's order.
func TestCaseSheetWritesEveryPageInOrder(t *testing.T) {
	t.Parallel()
	var pages [][]*redress.CaseSheetRow
	var want []string
	for p := range 4 {
		var rows []*redress.CaseSheetRow
		for i := range 3 {
			no := fmt.Sprintf("TS2026112000%02d%d", p, i)
			rows, want = append(rows, &redress.CaseSheetRow{No: no, Kind: redress.KindComplaint, Status: redress.StatusClosed}), append(want, no)
		}
		pages = append(pages, rows)
	}
	ui, err := newUI()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{svc: Services{Exports: pagedSheets{pages: pages}}, ui: ui}
	var out bytes.Buffer
	ew, err := export.NewWriter(export.CSV, &out)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := s.svc.Exports.CaseSheet(context.Background(), redress.CaseFilter{})
	rows, err := s.writeCaseSheet(context.Background(), newT(ui.bundle, "zh-CN"), ew, redress.CaseFilter{}, first)
	if err != nil || ew.Close() != nil || rows != 12 {
		t.Fatalf("%d rows, %v", rows, err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n")[1:] {
		no, _, _ := strings.Cut(line, ",")
		got = append(got, no)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("rows\n%v\nwant\n%v", got, want)
	}
}
