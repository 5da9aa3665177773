package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"path"
	"strconv"
	"strings"

	"redress"
	"redress/export"
)

// This file is the import of a bank's history (issue 16 item 5): the admin
// uploads a CSV or XLSX file (at most ImportUploadLimit, held in memory and
// never written to disk: it holds personal data in clear), the run goes on
// in the background, one at a time per server, and its page follows it
// (htmx, every second); the rejected rows download as Excel or CSV. The API
// does the same for scripts. The command `redress import` reads a file
// through OpenImportFile and the same service.

// ImportUploadLimit is the largest import file the server takes: 64 MiB, a
// CSV of some 200,000 rows or an XLSX of more.
const ImportUploadLimit = 64 << 20

// importRoutes are the API and pages of the history import.
func (s *Server) importRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/imports", summary: "Import a bank's history from a CSV or XLSX file (multipart: file, dry_run=true for a dry run; at most 64 MiB; admin); 202 with the run, which goes on in the background",
			multipart: true, status: http.StatusAccepted, out: redress.ImportRun{}, handle: s.handleStartImport},
		{method: "GET", path: "/api/v1/imports/{id}", summary: "An import run: state, rows read, imported, skipped (already imported), rejected",
			out: redress.ImportRun{}, handle: s.handleImportRun},
		{method: "GET", path: "/api/v1/imports/{id}/rejects", summary: "The rejected rows of an import run (row, external number, field, reason) as XLSX (default) or CSV (format=csv)",
			query: []param{{"format", "string", "xlsx (default) or csv"}}, schemas: map[string]object{"format": {"enum": []string{"xlsx", "csv"}}},
			files: []string{export.XLSX.ContentType(), export.CSV.ContentType()}, handle: s.handleImportRejects},
		{method: "GET", path: "/admin/import", access: pageAuth, handle: s.handleImportPage},
		{method: "POST", path: "/admin/import", access: pageAuth, handle: s.handleImportUpload},
		{method: "GET", path: "/admin/import/{id}", access: pageAuth, handle: s.handleImportRunPage},
		{method: "GET", path: "/admin/import/{id}/rejects", access: pageAuth, handle: s.handleImportRejects},
	}
}

// OpenImportFile opens an import file by its name's extension (.csv or
// .xlsx), checked against its content: its header and its rows, and what
// to close when done. A file of another type, or not what its name says,
// is an EINVALID problem of the field file.
func OpenImportFile(r io.ReaderAt, size int64, name string) ([]string, iter.Seq2[redress.ImportLine, error], func() error, error) {
	var format export.Format
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		format = export.CSV
	case ".xlsx":
		format = export.XLSX
	default:
		return nil, nil, nil, redress.FieldError(redress.EINVALID, "want a .csv or .xlsx file", "file", redress.ProblemImportFileType)
	}
	head := make([]byte, 4)
	n, _ := r.ReadAt(head, 0)
	if zip := bytes.Equal(head[:n], []byte("PK\x03\x04")); zip != (format == export.XLSX) {
		return nil, nil, nil, redress.FieldError(redress.EINVALID, "the file is not what its name says", "file", redress.ProblemImportFileType)
	}
	table, err := export.ReadTable(r, size, format, export.DefaultReadLimits)
	if errors.Is(err, export.ErrNotTable) {
		return nil, nil, nil, redress.FieldError(redress.EINVALID, err.Error(), "file", redress.ProblemImportFileType)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	header, rows, err := redress.ReadImportLines(table.Next)
	if err != nil {
		table.Close()
		return nil, nil, nil, err
	}
	return header, rows, table.Close, nil
}

// importUpload is an uploaded import file.
type importUpload struct {
	name   string
	data   []byte
	dryRun bool
}

// readImportUpload reads the multipart body of an upload: the part file
// (at most ImportUploadLimit, in memory) and dry_run.
func readImportUpload(w http.ResponseWriter, r *http.Request) (*importUpload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, ImportUploadLimit+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, invalid("send the file as multipart/form-data with a field named file", map[string]string{"file": "required"})
	}
	up := &importUpload{}
	var file bool
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, importBodyProblem(err)
		}
		if parts == 10 {
			return nil, invalid("a form has at most 10 parts", nil)
		}
		switch part.FormName() {
		case "file":
			if file {
				return nil, invalid("one file at a time", map[string]string{"file": "one file at a time"})
			}
			file, up.name = true, uploadName(part)
			var buf bytes.Buffer
			if _, err := buf.ReadFrom(io.LimitReader(part, ImportUploadLimit+1)); err != nil {
				return nil, importBodyProblem(err)
			}
			if buf.Len() > ImportUploadLimit {
				return nil, importTooLarge()
			}
			up.data = buf.Bytes()
		case "dry_run":
			v, err := io.ReadAll(io.LimitReader(part, 16))
			if err != nil {
				return nil, importBodyProblem(err)
			}
			switch string(v) {
			case "true", "on", "yes", "1":
				up.dryRun = true
			case "false", "":
			default:
				return nil, invalid("invalid input", map[string]string{"dry_run": "want true or false"})
			}
		default:
			if _, err := io.Copy(io.Discard, io.LimitReader(part, 64<<10)); err != nil {
				return nil, importBodyProblem(err)
			}
		}
		part.Close()
	}
	if !file || up.name == "" {
		return nil, redress.FieldError(redress.EINVALID, "invalid input", "file", redress.ProblemRequired)
	}
	if len(up.data) == 0 {
		return nil, redress.FieldError(redress.EINVALID, "the file is empty", "file", redress.ProblemRequired)
	}
	return up, nil
}

func importTooLarge() error {
	return redress.FieldError(redress.EINVALID, "the file is too large", "file", redress.ProblemTooLarge, "64 MiB")
}

// importBodyProblem is the error of a body that could not be read.
func importBodyProblem(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return importTooLarge()
	}
	return invalid("the multipart/form-data body could not be read", map[string]string{"file": "could not be read"})
}

// startImport reads the upload, checks its header, records the run and runs
// it in the background as the caller; one run at a time per server
// (ECONFLICT while another runs).
func (s *Server) startImport(w http.ResponseWriter, r *http.Request) (*redress.ImportRun, error) {
	if s.svc.Imports == nil {
		return nil, redress.Errorf(redress.ENOTFOUND, "the import is not set up on this server")
	}
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return nil, err
	}
	if err := redress.Require(u, redress.PermCaseImport); err != nil {
		return nil, err
	}
	up, err := readImportUpload(w, r)
	if err != nil {
		return nil, err
	}
	header, rows, closeFile, err := OpenImportFile(bytes.NewReader(up.data), int64(len(up.data)), up.name)
	if err != nil {
		return nil, err
	}
	if _, err := redress.NewImportMapping(header); err != nil {
		closeFile()
		return nil, err
	}
	select {
	case s.imports <- struct{}{}:
	default:
		closeFile()
		return nil, redress.Errorf(redress.ECONFLICT, "another import is running on this server; wait for it to finish")
	}
	ctx := redress.WithUser(context.WithoutCancel(r.Context()), u)
	run, err := s.svc.Imports.StartImport(ctx, redress.CutText(path.Base(up.name), 255), up.dryRun)
	if err != nil {
		<-s.imports
		closeFile()
		return nil, err
	}
	go func() {
		defer func() { <-s.imports }()
		defer closeFile()
		in := redress.ImportInput{File: run.File, DryRun: run.DryRun, Header: header, Rows: rows}
		if _, err := s.svc.Imports.RunImport(ctx, run.ID, in); err != nil {
			s.log.Error("import failed", "run", run.ID, "err", err)
		}
	}()
	return run, nil
}

func (s *Server) handleStartImport(w http.ResponseWriter, r *http.Request) error {
	run, err := s.startImport(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/imports/"+strconv.FormatInt(run.ID, 10))
	writeJSON(w, http.StatusAccepted, run)
	return nil
}

// importRunOf returns the run of the path's id.
func (s *Server) importRunOf(r *http.Request) (*redress.ImportRun, error) {
	if s.svc.Imports == nil {
		return nil, redress.Errorf(redress.ENOTFOUND, "the import is not set up on this server")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, redress.Errorf(redress.ENOTFOUND, "no import run %q", r.PathValue("id"))
	}
	return s.svc.Imports.ImportRun(r.Context(), id)
}

func (s *Server) handleImportRun(w http.ResponseWriter, r *http.Request) error {
	run, err := s.importRunOf(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, run)
	return nil
}

// handleImportRejects downloads a run's rejected rows (export.download).
func (s *Server) handleImportRejects(w http.ResponseWriter, r *http.Request) error {
	run, err := s.importRunOf(r)
	if err != nil {
		return err
	}
	format := export.XLSX
	switch r.URL.Query().Get("format") {
	case "", "xlsx":
	case "csv":
		format = export.CSV
	default:
		return invalid("invalid input", map[string]string{"format": "want xlsx or csv"})
	}
	t := newT(s.ui.bundle, pageLang(r))
	rec := redress.ExportRecord{What: redress.ExportImportRejects, Filter: "run=" + strconv.FormatInt(run.ID, 10)}
	name := fmt.Sprintf("import-%d-rejects", run.ID)
	return s.streamExport(w, r, format, name, rec, func(ew export.Writer) (int, error) {
		err := ew.Table(t.Get("import.rejects"), []export.Column{{Title: t.Get("import.col_row"), Kind: export.Int},
			{Title: t.Get("import.col_external_no"), Width: 18}, {Title: t.Get("import.col_field"), Width: 16},
			{Title: t.Get("import.col_reason"), Width: 50}})
		if err != nil {
			return 0, err
		}
		rows := 0
		err = s.svc.Imports.ImportRejects(r.Context(), run.ID, func(rj redress.ImportReject) error {
			rows++
			reason := rj.Reason
			if rj.Problem != "" {
				reason = t.Problem("@" + rj.Problem)
			}
			return ew.Row(rj.Row, rj.ExternalNo, t.ImportField(rj.Field), reason)
		})
		return rows, err
	})
}

// importPage is what the import page shows: the column mapping and the
// latest runs.
type importPage struct {
	Columns []redress.ImportColumn
	Runs    []redress.ImportRun
	Limit   string
}

func (s *Server) handleImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.importPage(w, r, http.StatusOK, &pageData{})
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, status int, d *pageData) error {
	if s.svc.Imports == nil {
		return redress.Errorf(redress.ENOTFOUND, "the import is not set up on this server")
	}
	runs, err := s.svc.Imports.ImportRuns(r.Context(), 20)
	if err != nil {
		return err
	}
	d.Title, d.Data = "import.title", importPage{Columns: redress.ImportColumns, Runs: runs, Limit: "64 MiB"}
	s.render(w, r, status, "admin_import", d)
	return nil
}

// handleImportUpload starts a run from the page's form and shows its
// progress page; a refused file shows the form again with the reason.
func (s *Server) handleImportUpload(w http.ResponseWriter, r *http.Request) error {
	run, err := s.startImport(w, r)
	if err != nil {
		switch redress.ErrorCode(err) {
		case redress.EINVALID, redress.ECONFLICT:
			return s.importPage(w, r, statusOf[redress.ErrorCode(err)], &pageData{Error: pageMessage(err), Fields: pageFields(err)})
		}
		return err
	}
	http.Redirect(w, r, "/admin/import/"+strconv.FormatInt(run.ID, 10), http.StatusSeeOther)
	return nil
}

// handleImportRunPage shows a run: a bar while it runs (the page polls
// itself every second, htmx taking only the run's section), its counts, and
// the download of its rejected rows.
func (s *Server) handleImportRunPage(w http.ResponseWriter, r *http.Request) error {
	run, err := s.importRunOf(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_import_run", &pageData{Title: "import.run_title", Data: run})
	return nil
}

// ImportField names an import column as the page's language heads it: the
// field's Chinese or English header, the field itself when it is none.
func (t *T) ImportField(field string) string {
	field = strings.TrimPrefix(field, "header.")
	for _, col := range redress.ImportColumns {
		if string(col.Field) == field {
			if t.Lang == "en" {
				return col.Headers[1]
			}
			return col.Headers[0]
		}
	}
	return field
}
