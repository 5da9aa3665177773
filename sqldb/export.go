package sqldb

import (
	"context"
	"fmt"

	"redress"
)

// ExportService records exports in the audit trail.
type ExportService struct{ db *DB }

// NewExportService returns the export service of db.
func NewExportService(db *DB) *ExportService { return &ExportService{db: db} }

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
