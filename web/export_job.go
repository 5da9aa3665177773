package web

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"redress"
	"redress/export"
)

// This file runs long exports as background jobs (issue 12 item 5): the
// API and the workbench start one, its owner follows its progress (the page
// polls with htmx) and downloads the file when it is ready. A job writes
// the same file as the download would (writeCaseSheet), as the user who
// started it with the filter given then. Files live in Services.ExportDir
// (0700, files 0600), a job's row in the store; a finished job expires
// after ExportJobLimits.Keep and its file is deleted.

// exportJobRequest is the body of POST /api/v1/exports and the form of the
// workbench's export button: what to export, the format and the list's
// query string (its filter, as the list endpoint reads it).
type exportJobRequest struct {
	What   string `json:"what"`   // cases
	Format string `json:"format"` // csv or xlsx
	Query  string `json:"query"`  // e.g. "status=closed&org=BJ"
}

// exportJobRoutes are the API and pages of background exports.
func (s *Server) exportJobRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/exports", summary: "Start a background export of the case list (what: cases; format: csv or xlsx; query: the list's filter as a query string); 202 with the job, whose file only its owner downloads",
			body: exportJobRequest{}, out: redress.ExportJob{}, status: http.StatusAccepted, handle: s.handleStartExportJob},
		{method: "GET", path: "/api/v1/exports/{id}", summary: "A background export of the caller: state, rows written, rows expected, error",
			out: redress.ExportJob{}, handle: s.handleExportJob},
		{method: "GET", path: "/api/v1/exports/{id}/file", summary: "The file of a finished background export of the caller (an export.download audit event)",
			handle: s.handleExportJobFile},
		{method: "POST", path: "/exports", access: pageAuth, handle: s.handleStartExportJobPage},
		{method: "GET", path: "/exports/{id}", access: pageAuth, handle: s.handleExportJobPage},
		{method: "GET", path: "/exports/{id}/file", access: pageAuth, handle: s.handleExportJobFile},
	}
}

// exportJobs is the background exports' part of the server: where files go,
// which server this is, the limits.
type exportJobs struct {
	dir    string // Services.ExportDir; "" when background exports are off
	node   string // this server's ID, kept in dir
	limits redress.ExportJobLimits
	rows   int // the size from which the workbench starts a job
}

// nodeFile is the file in the export directory that names the server whose
// jobs and files it holds.
const nodeFile = "node"

// StartExports prepares background exports as the server starts: the
// directory (0700), this server's node ID, every job the last run left
// running marked failed and its partial file deleted; then, until ctx
// ends, the expired jobs' files are deleted every interval. Without
// Services.ExportDir it does nothing.
func (s *Server) StartExports(ctx context.Context, interval time.Duration) error {
	j := &s.jobs
	if j.dir == "" || s.svc.ExportJobs == nil {
		return nil
	}
	if err := os.MkdirAll(j.dir, 0o700); err != nil {
		return fmt.Errorf("export directory: %w", err)
	}
	if err := os.Chmod(j.dir, 0o700); err != nil {
		return fmt.Errorf("export directory: %w", err)
	}
	node, err := os.ReadFile(filepath.Join(j.dir, nodeFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		node = []byte(hex.EncodeToString(b))
		if err := os.WriteFile(filepath.Join(j.dir, nodeFile), node, 0o600); err != nil {
			return fmt.Errorf("export node: %w", err)
		}
	case err != nil:
		return fmt.Errorf("export node: %w", err)
	}
	j.node = strings.TrimSpace(string(node))
	n, err := s.svc.ExportJobs.FailInterruptedExportJobs(ctx, j.node)
	if err != nil {
		return err
	}
	if n > 0 {
		s.log.Warn("export jobs interrupted by the restart marked failed", "jobs", n)
	}
	parts, _ := filepath.Glob(filepath.Join(j.dir, "*.part"))
	for _, p := range parts {
		_ = os.Remove(p)
	}
	s.deleteExpiredExports(ctx)
	if interval > 0 {
		go func() {
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					s.deleteExpiredExports(ctx)
				}
			}
		}()
	}
	return nil
}

// deleteExpiredExports deletes the expired jobs of this server and their files.
func (s *Server) deleteExpiredExports(ctx context.Context) {
	ids, err := s.svc.ExportJobs.DeleteExpiredExportJobs(ctx, s.jobs.node)
	if err != nil {
		s.log.Error("delete expired exports", "err", err)
		return
	}
	for _, id := range ids {
		for _, f := range []export.Format{export.CSV, export.XLSX} {
			_ = os.Remove(s.jobFile(id, string(f)))
		}
	}
}

// jobsOn answers ENOTFOUND when background exports are off: no export
// directory, or StartExports not called.
func (s *Server) jobsOn() error {
	if s.jobs.dir == "" || s.jobs.node == "" || s.svc.ExportJobs == nil {
		return redress.Errorf(redress.ENOTFOUND, "background exports are not set up on this server (no export directory)")
	}
	return nil
}

// exportJob returns the caller's job of the path's id.
func (s *Server) exportJob(r *http.Request) (*redress.ExportJob, error) {
	if err := s.jobsOn(); err != nil {
		return nil, err
	}
	return s.svc.ExportJobs.ExportJob(r.Context(), r.PathValue("id"))
}

// jobFile is where a job's file is kept.
func (s *Server) jobFile(id, format string) string {
	return filepath.Join(s.jobs.dir, id+"."+format)
}

// startExportJob checks the request as the list would (its first page is
// read now, so a refused filter is the list's error), records the job and
// starts writing it in the background.
func (s *Server) startExportJob(r *http.Request, req exportJobRequest) (*redress.ExportJob, error) {
	if err := s.jobsOn(); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	if req.What != redress.ExportCases {
		fields["what"] = "want cases"
	}
	format, err := export.FormatOf(req.Format, "")
	if err != nil || format == "" {
		fields["format"] = "want csv or xlsx"
	}
	if len(fields) > 0 {
		return nil, invalid("invalid input", fields)
	}
	query, err := url.ParseQuery(req.Query)
	if err != nil {
		return nil, invalid("invalid input", map[string]string{"query": "not a query string"})
	}
	var p redress.Problems
	checkValues(&p, query) // as checkInput checks the list's own query
	if err := namingFields(p.Err()); err != nil {
		return nil, err
	}
	if query.Has("format") {
		return nil, invalid("invalid input", map[string]string{"query": "the format goes in format, not in the query"})
	}
	list := r.Clone(r.Context())
	list.URL = &url.URL{Path: "/api/v1/cases", RawQuery: req.Query}
	filter, err := caseFilterFrom(list)
	if err != nil {
		return nil, err
	}
	filter.Cursor = ""
	ctx := r.Context()
	page, err := s.svc.Exports.CaseSheet(ctx, filter)
	if err != nil {
		return nil, err
	}
	counts, err := s.svc.Cases.CountCases(ctx, filter)
	if err != nil {
		return nil, err
	}
	job, err := s.svc.ExportJobs.StartExportJob(ctx, redress.ExportJob{ID: redress.NewExportJobID(), What: req.What,
		Format: string(format), Filter: req.Query, Total: sum(counts), Node: s.jobs.node}, s.jobs.limits)
	if err != nil {
		return nil, err
	}
	// The job acts as its owner as they are now (their scope frozen), in
	// the language of the request, and outlives the request.
	u, _ := redress.RequireUser(ctx)
	jobCtx := redress.WithUser(context.WithoutCancel(ctx), u)
	t := newT(s.ui.bundle, pageLang(r))
	go s.runExportJob(jobCtx, job, func(ew export.Writer) (int, error) { return s.writeCaseSheet(jobCtx, t, ew, filter, page) })
	return job, nil
}

// runExportJob writes a job's file (first under a .part name, renamed
// when whole), records its progress about once a second and its end.
func (s *Server) runExportJob(ctx context.Context, job *redress.ExportJob, fill func(ew export.Writer) (int, error)) {
	rows, err := s.writeJobFile(ctx, job, fill)
	failure := ""
	if err != nil {
		s.log.Error("export job failed", "job", job.ID, "rows", rows, "err", err)
		failure = "the export failed after " + strconv.Itoa(rows) + " rows"
	}
	if err := s.svc.ExportJobs.FinishExportJob(ctx, job.ID, rows, failure, s.jobs.limits.Keep); err != nil {
		s.log.Error("finish export job", "job", job.ID, "err", err)
	}
}

func (s *Server) writeJobFile(ctx context.Context, job *redress.ExportJob, fill func(ew export.Writer) (int, error)) (int, error) {
	path := s.jobFile(job.ID, job.Format)
	f, err := os.OpenFile(path+".part", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	defer os.Remove(path + ".part") // after the rename, nothing
	buf := bufio.NewWriterSize(f, 64<<10)
	ew, err := export.NewWriter(export.Format(job.Format), buf)
	if err != nil {
		f.Close()
		return 0, err
	}
	progress := &jobProgress{Writer: ew, ctx: ctx, s: s, id: job.ID}
	rows, err := fill(progress)
	err = errors.Join(err, ew.Close(), buf.Flush(), f.Sync(), f.Close())
	if err != nil {
		return rows, err
	}
	return rows, os.Rename(path+".part", path)
}

// jobProgress counts a job's rows and records them about once a second.
type jobProgress struct {
	export.Writer
	ctx      context.Context
	s        *Server
	id       string
	rows     int
	recorded time.Time
}

func (p *jobProgress) Row(values ...any) error {
	if err := p.Writer.Row(values...); err != nil {
		return err
	}
	p.rows++
	// Real time, not the application's clock: this only spaces the writes.
	if p.rows%500 == 0 && time.Since(p.recorded) >= time.Second {
		p.recorded = time.Now()
		if err := p.s.svc.ExportJobs.ExportJobProgress(p.ctx, p.id, p.rows); err != nil {
			p.s.log.Warn("export job progress", "job", p.id, "err", err)
		}
	}
	return nil
}

func (s *Server) handleStartExportJob(w http.ResponseWriter, r *http.Request) error {
	var req exportJobRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	job, err := s.startExportJob(r, req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/exports/"+job.ID)
	writeJSON(w, http.StatusAccepted, job)
	return nil
}

func (s *Server) handleExportJob(w http.ResponseWriter, r *http.Request) error {
	job, err := s.exportJob(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, job)
	return nil
}

// handleExportJobFile sends a finished job's file to its owner and records
// the download (export.download: who, what, the filter, the rows).
func (s *Server) handleExportJobFile(w http.ResponseWriter, r *http.Request) error {
	job, err := s.exportJob(r)
	if err != nil {
		return err
	}
	if job.State != redress.JobDone {
		return redress.Errorf(redress.ECONFLICT, "export job %s is %s, not done", job.ID, job.State)
	}
	if job.Node != s.jobs.node {
		return redress.Errorf(redress.ENOTFOUND, "the file of export job %s is kept by another server", job.ID)
	}
	f, err := os.Open(s.jobFile(job.ID, job.Format))
	if errors.Is(err, os.ErrNotExist) {
		return redress.Errorf(redress.ENOTFOUND, "the file of export job %s has expired", job.ID)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	format := export.Format(job.Format)
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", `attachment; filename="`+export.Filename(job.What+"-"+job.StartedAt.Format("20060102"), format)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	live := &liveExport{rc: http.NewResponseController(w), w: w}
	live.extend()
	if _, err := io.Copy(live, f); err != nil {
		s.log.Warn("export job download cut short", "job", job.ID, "err", err)
	}
	rec := redress.ExportRecord{What: job.What, Filter: job.Filter, Format: job.Format, Rows: job.Rows}
	if err := s.svc.Exports.RecordExport(context.WithoutCancel(r.Context()), rec); err != nil {
		s.log.Error("record export", "what", rec.What, "err", err)
	}
	return nil
}

// handleStartExportJobPage starts a job from the workbench's export
// button and shows its progress page.
func (s *Server) handleStartExportJobPage(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return invalid("malformed form", nil)
	}
	job, err := s.startExportJob(r, exportJobRequest{What: r.PostForm.Get("what"), Format: r.PostForm.Get("format"), Query: r.PostForm.Get("query")})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/exports/"+job.ID, http.StatusSeeOther)
	return nil
}

// handleExportJobPage shows a job's progress: a bar while it runs (the
// page polls itself every second, htmx taking only the job's section),
// the download link when it is done, the reason when it failed.
func (s *Server) handleExportJobPage(w http.ResponseWriter, r *http.Request) error {
	job, err := s.exportJob(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "export_job", &pageData{Title: "export.job_title",
		Data: exportJobPage{Job: job, Interrupted: job.Error == redress.ReasonJobInterrupted}})
	return nil
}

// exportJobPage is what the progress page shows.
type exportJobPage struct {
	Job         *redress.ExportJob
	Interrupted bool // failed because the server restarted
}

// listQuery is a list's filter as a query string, without its paging.
func listQuery(q url.Values) string {
	f := url.Values{}
	for k, v := range q {
		switch k {
		case "cursor", "back", "limit":
		default:
			f[k] = v
		}
	}
	return f.Encode()
}
