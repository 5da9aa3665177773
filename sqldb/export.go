package sqldb

import (
	"context"
	"fmt"

	"redress"
)

// ExportService records exports in the audit trail and reads the case
// list's export.
type ExportService struct {
	db        *DB
	pageLimit int // rows a page of CaseSheet: redress.ExportPageLimit (a test pages sooner)
}

// NewExportService returns the export service of db.
func NewExportService(db *DB) *ExportService {
	return &ExportService{db: db, pageLimit: redress.ExportPageLimit}
}

var _ redress.ExportService = (*ExportService)(nil)

// RecordExport appends the event export.download: who, what, the filter,
// the format and the number of rows.
func (s *ExportService) RecordExport(ctx context.Context, r redress.ExportRecord) error {
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return err
	}
	return wrap("record export", s.db.inTx(ctx, func(tx *Tx) error {
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectExport, r.What),
			Actor: u.Login, Action: "export.download", At: s.db.now(),
			Detail: fmt.Sprintf("%s, %d rows, filter %q", r.Format, r.Rows, r.Filter)})
	}))
}

// CaseSheet returns a page of the case list's export: one keyset-paged
// query of the sheet's columns (caseSheetSelect) under the list's filter
// and scope, s.pageLimit (redress.ExportPageLimit) rows at a time, no query per row.
func (s *ExportService) CaseSheet(ctx context.Context, f redress.CaseFilter) (*redress.CaseSheetPage, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	f.Limit = 0 // the JSON page's; the sheet's is ExportPageLimit
	where, args, err := s.db.caseFilterSQL(ctx, u, &f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.reads().QueryContext(ctx, caseSheetSelect+` WHERE 1 = 1`+where+caseOrder(f.Sort)+` LIMIT ?`,
		append(args, s.pageLimit+1)...)
	if err != nil {
		return nil, fmt.Errorf("case sheet: %w", err)
	}
	defer rows.Close()
	page := &redress.CaseSheetPage{Rows: make([]*redress.CaseSheetRow, 0, s.pageLimit)}
	today := redress.Today(s.db.now())
	var last *caseRow
	for rows.Next() {
		if len(page.Rows) == s.pageLimit {
			page.NextCursor = encodeCursor(last, f.Sort)
			break
		}
		r, key, err := s.db.scanCaseSheet(rows, today)
		if err != nil {
			return nil, fmt.Errorf("case sheet: %w", err)
		}
		page.Rows, last = append(page.Rows, r), key
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("case sheet: %w", err)
	}
	return page, nil
}
