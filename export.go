package redress

import "context"

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
	// The regulator's forms (report.go).
	ExportJRT        = "jrt"
	ExportDensity    = "density"
	ExportDisclosure = "disclosure"
)

// ExportService records exports in the audit trail.
type ExportService interface {
	// RecordExport appends the audit event of an export by the user in ctx.
	// Errors: EUNAUTHORIZED.
	RecordExport(ctx context.Context, r ExportRecord) error
}
