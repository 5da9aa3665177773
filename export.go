package redress

import (
	"context"
	"time"
)

// ExportRecord is one export of a list or report, as the audit trail
// records it: what (cases, stats, audit), the filter as the user gave it
// (the query string, which holds no personal data: lookups by phone or ID
// travel in bodies), the format and how many rows were written.
type ExportRecord struct {
	What   string
	Filter string
	Format string
	Rows   int
}

// The things that can be exported.
const (
	ExportCases  = "cases"
	ExportStats  = "stats"
	ExportAudit  = "audit"
	ExportSearch = "search"
	// ExportReception is the reception log's summary (reception.go).
	ExportReception = "reception"
	// The regulator's forms (report.go).
	ExportJRT        = "jrt"
	ExportDensity    = "density"
	ExportDisclosure = "disclosure"
	// ExportImportRejects is the rejected rows of an import run (import.go).
	ExportImportRejects = "import_rejects"
)

// ExportService records exports in the audit trail.
type ExportService interface {
	// RecordExport appends the audit event of an export by the user in ctx.
	// Errors: EUNAUTHORIZED.
	RecordExport(ctx context.Context, r ExportRecord) error
	// CaseSheet returns a page of the case list's export: the cases in
	// scope that match the filter, in the list's order, ExportPageLimit at
	// a time (the filter's Limit is ignored; its Cursor pages). Errors as
	// CaseService.ListCases.
	CaseSheet(ctx context.Context, f CaseFilter) (*CaseSheetPage, error)
	// CaseFile reads what a case file (卷宗, case_file.go) holds of the
	// case in one snapshot: the case, its personal data in full for a role
	// CaseFileInFull, its audit events and the chain's head. Errors as
	// CaseService.Case.
	CaseFile(ctx context.Context, no string) (*CaseFile, error)
	// RecordCaseFile appends the audit event case.export_file of a case
	// file downloaded by the user in ctx. Errors: EUNAUTHORIZED.
	RecordCaseFile(ctx context.Context, no string, r CaseFileRecord) error
}

// ExportPageLimit is how many rows one page of an export reads: large, so
// a long export costs few queries, and bounded, so it never holds the list.
const ExportPageLimit = 2000

// CaseSheetRow is one row of the case list's export: the columns the sheet
// shows and nothing more, the personal data masked exactly as on screen
// (MaskID, MaskPhone) and Overdue as Case.MarkOverdue sets it.
type CaseSheetRow struct {
	No          string
	Kind        Kind
	Channel     Channel
	ReceivedAt  time.Time
	Name        string
	IDNumber    string // masked
	Phone       string // masked
	Subject     string
	CodeB       string
	Org         string
	Handler     string
	Level       int
	Status      Status
	DecisionDue string
	Overdue     bool
	Amount      string
}

// CaseSheetPage is a page of the case list's export; NextCursor is the
// next page's cursor (as CasePage's), "" after the last.
type CaseSheetPage struct {
	Rows       []*CaseSheetRow
	NextCursor string
}
