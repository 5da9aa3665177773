package redress

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// An export job is a long export written in the background (issue 12 item
// 5): the user who started it follows its progress and downloads the file
// when it is ready; nobody else sees it. Its scope and filter are the ones
// in force when it started.

// ExportJobState is where an export job stands.
type ExportJobState string

// The states of an export job: running until its last row, then done (the
// file is ready) or failed (an error, or a restart of the server that ran
// it); a finished job expires, and its file is deleted, ExportJobLimits.Keep
// after it finished.
const (
	JobRunning ExportJobState = "running"
	JobDone    ExportJobState = "done"
	JobFailed  ExportJobState = "failed"
)

// ReasonJobInterrupted is the error of a job that a restart of its server
// cut short.
const ReasonJobInterrupted = "interrupted by a restart of the server"

// ExportJob is one background export as its owner sees it.
type ExportJob struct {
	ID     string         `json:"id"`
	What   string         `json:"what"`   // ExportCases, ExportAudit
	Format string         `json:"format"` // csv, xlsx
	Filter string         `json:"filter"` // the query string as given at the start
	State  ExportJobState `json:"state"`
	Rows   int            `json:"rows"`            // written so far
	Total  int            `json:"total,omitempty"` // expected (0: not known ahead)
	Error  string         `json:"error,omitempty"` // why it failed
	// Owner is the login of the user who started it: the only one who sees it.
	Owner      string     `json:"owner"`
	Node       string     `json:"-"` // the server that runs it and keeps its file
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"` // the file is deleted then
}

// Percent is the job's progress, 0 to 100: rows written of the total
// expected (100 when done; 0 while the total is unknown).
func (j *ExportJob) Percent() int {
	switch {
	case j.State == JobDone:
		return 100
	case j.Total <= 0:
		return 0
	}
	return min(99, j.Rows*100/j.Total)
}

// ExportJobLimits bound the background exports: how many may run at once
// per user and on the whole server, and how long a finished job's file is
// kept.
type ExportJobLimits struct {
	PerUser int
	Total   int
	Keep    time.Duration
}

// DefaultExportJobLimits are 2 running jobs a user, 4 in all, files kept 24 hours.
func DefaultExportJobLimits() ExportJobLimits {
	return ExportJobLimits{PerUser: 2, Total: 4, Keep: 24 * time.Hour}
}

// AsyncExportRows is the size above which the pages start an export as a
// background job rather than a download (the API does when asked: async).
const AsyncExportRows = 20000

// Admit says whether one more job may start when the user already runs
// mine and the server all: ETOOMANY naming the limit reached otherwise.
func (l ExportJobLimits) Admit(mine, all int) error {
	switch {
	case mine >= l.PerUser:
		return Errorf(ETOOMANY, "you already run %d exports, the most one user may run at once; wait for one to finish", mine)
	case all >= l.Total:
		return Errorf(ETOOMANY, "the server already runs %d exports, the most it runs at once; try again in a few minutes", all)
	}
	return nil
}

// ExportJobService keeps the background exports. The file itself is not
// its business: the server that runs a job writes it in its data directory.
type ExportJobService interface {
	// StartExportJob records a new running job of the user in ctx on node
	// (its ID, What, Format, Filter and Total from j), within the limits.
	// Errors: EUNAUTHORIZED, ETOOMANY.
	StartExportJob(ctx context.Context, j ExportJob, limits ExportJobLimits) (*ExportJob, error)
	// ExportJob returns a job of the user in ctx; another user's is
	// ENOTFOUND, as a missing one.
	ExportJob(ctx context.Context, id string) (*ExportJob, error)
	// ExportJobProgress records the rows a running job has written.
	ExportJobProgress(ctx context.Context, id string, rows int) error
	// FinishExportJob ends a running job: done with its rows, or failed
	// with the reason (failure != ""); it expires keep after now.
	FinishExportJob(ctx context.Context, id string, rows int, failure string, keep time.Duration) error
	// FailInterruptedExportJobs marks failed every job still running on
	// node (ReasonJobInterrupted): what a server does as it starts.
	FailInterruptedExportJobs(ctx context.Context, node string) (int, error)
	// DeleteExpiredExportJobs deletes the jobs of node expired by now and
	// returns their IDs, whose files the caller deletes.
	DeleteExpiredExportJobs(ctx context.Context, node string) ([]string, error)
}

// NewExportJobID returns a new job ID: 32 hex digits from crypto/rand, so
// that a job cannot be guessed (its owner alone sees it anyway).
func NewExportJobID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// ValidExportJobID reports whether id has the form of NewExportJobID's.
func ValidExportJobID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToLower(id) == id
}
