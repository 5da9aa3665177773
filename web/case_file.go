package web

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"time"

	"redress"
	"redress/export"
)

// caseFileRoutes are the case file (卷宗, issue 16 item 4): one ZIP of the
// case for a court, the regulator or the archive, by the API and from the
// case page's button (the API takes the session cookie too).
func (s *Server) caseFileRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/cases/{no}/file",
			summary: "The case file (卷宗): a ZIP of the registration form, the decision letter and every notice as PDFs, the timeline (PDF, CSV, JSON), every evidence file, README.txt and manifest.json with each file's SHA-256 and the audit events' chain hashes",
			files:   []string{"application/zip"}, handle: s.handleCaseFile},
	}
}

// caseFileZip writes the files of a case file into its ZIP, each hashed
// and counted as it is written, for the manifest.
type caseFileZip struct {
	zw       *zip.Writer
	at       time.Time
	manifest *redress.CaseFileManifest
	bytes    int64
}

// file writes one file: fill writes its content; stored leaves it
// uncompressed (evidence is mostly compressed already: photos, PDFs,
// recordings).
func (z *caseFileZip) file(name string, evidence int64, stored bool, fill func(w io.Writer) error) error {
	method := zip.Deflate
	if stored {
		method = zip.Store
	}
	fw, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: z.at})
	if err != nil {
		return fmt.Errorf("case file %s: %w", name, err)
	}
	h := sha256.New()
	c := &countingWriter{w: io.MultiWriter(fw, h)}
	if err := fill(c); err != nil {
		return fmt.Errorf("case file %s: %w", name, err)
	}
	z.manifest.Files = append(z.manifest.Files, redress.CaseFileEntry{Name: name, Size: c.n, SHA256: hexSum(h), Evidence: evidence})
	z.bytes += c.n
	return nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// handleCaseFile streams a case's file. Everything that may refuse it (the
// case out of scope or missing, a role that reads no cases, evidence over
// the limits) is asked before the first byte, so a refusal is the JSON
// error; the evidence is then read one file at a time, never all at once.
// The download is an audit event (case.export_file) naming the manifest's
// SHA-256, recorded even when the client hung up.
func (s *Server) handleCaseFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return err
	}
	cf, err := s.svc.Exports.CaseFile(ctx, r.PathValue("no"))
	if err != nil {
		return err
	}
	c := cf.Case
	evidence, err := s.svc.Evidence.ListEvidence(ctx, c.No)
	if err != nil {
		return err
	}
	if err := redress.CheckCaseFileEvidence(evidence); err != nil {
		return err
	}
	var notices []*redress.CustomerNotice
	if s.svc.Notices != nil {
		if notices, err = s.svc.Notices.ListNotices(ctx, c.No); err != nil {
			return err
		}
	}
	at := s.now()
	p := &caseFilePrint{t: newT(s.ui.bundle, pageLang(r)), c: c, names: &pageData{}, at: at}
	if err := s.printNames(ctx, p.names, c); err != nil {
		return err
	}
	logins := []string{c.FirstResponder, c.Handler, c.SignedOffBy}
	for _, n := range notices {
		logins = append(logins, n.By)
	}
	p.names.People = s.userNames(ctx, logins...)
	if p.review, err = s.loadReviewPage(ctx, c); err != nil {
		return err
	}

	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+c.No+`-case-file.zip"`)
	w.Header().Set("Cache-Control", "no-store")
	live := &liveExport{rc: http.NewResponseController(w), w: w}
	live.extend()
	z := &caseFileZip{zw: zip.NewWriter(live), at: at, manifest: redress.NewCaseFileManifest(cf, u.Login, at)}
	rec := redress.CaseFileRecord{Full: cf.Full}
	err = s.writeCaseFile(ctx, z, p, cf, evidence, notices)
	if err == nil {
		rec.Manifest, err = writeManifest(z)
	}
	if cerr := z.zw.Close(); err == nil {
		err = cerr
	}
	rec.Files, rec.Bytes = len(z.manifest.Files), z.bytes
	if err != nil {
		rec.Manifest = "" // a file cut short vouches for nothing
	}
	if aerr := s.svc.Exports.RecordCaseFile(context.WithoutCancel(ctx), c.No, rec); aerr != nil {
		s.log.Error("record case file", "case", c.No, "err", aerr)
	}
	if err != nil {
		s.log.Warn("case file cut short", "case", c.No, "files", rec.Files, "err", err)
	}
	return nil
}

// writeCaseFile writes every file but the manifest: the PDFs, the
// timeline, the evidence and the README.
func (s *Server) writeCaseFile(ctx context.Context, z *caseFileZip, p *caseFilePrint, cf *redress.CaseFile,
	evidence []*redress.Evidence, notices []*redress.CustomerNotice) error {
	if err := z.file("01-registration.pdf", 0, false, p.registration); err != nil {
		return err
	}
	if cf.Case.Reply != nil {
		if err := z.file("02-decision.pdf", 0, false, p.decision); err != nil {
			return err
		}
	}
	for i, n := range notices {
		name := fmt.Sprintf("03-notice-%02d-%s.pdf", i+1, n.Kind)
		if err := z.file(name, 0, false, func(w io.Writer) error { return p.notice(w, n) }); err != nil {
			return err
		}
	}
	if err := z.file("timeline.pdf", 0, false, func(w io.Writer) error { return p.timeline(w, cf.Events) }); err != nil {
		return err
	}
	if err := z.file("timeline.csv", 0, false, func(w io.Writer) error { return timelineCSV(w, p.t, cf.Events) }); err != nil {
		return err
	}
	if err := z.file("timeline.json", 0, false, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(redress.CaseFileTimeline(cf.Events))
	}); err != nil {
		return err
	}
	for _, e := range evidence {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_, content, err := s.svc.Evidence.EvidenceContent(ctx, cf.Case.No, e.ID)
		if err != nil {
			return err
		}
		if err := z.file(redress.CaseFileEvidenceName(e), e.ID, true, func(w io.Writer) error {
			_, err := w.Write(content)
			return err
		}); err != nil {
			return err
		}
		if sum := z.manifest.Files[len(z.manifest.Files)-1].SHA256; sum != e.SHA256 {
			return fmt.Errorf("case file: evidence %d does not match its SHA-256", e.ID)
		}
	}
	return z.file("README.txt", 0, false, func(w io.Writer) error {
		_, err := io.WriteString(w, redress.CaseFileReadme(z.manifest))
		return err
	})
}

// writeManifest writes manifest.json last and returns its SHA-256.
func writeManifest(z *caseFileZip) (string, error) {
	fw, err := z.zw.CreateHeader(&zip.FileHeader{Name: "manifest.json", Method: zip.Deflate, Modified: z.at})
	if err != nil {
		return "", fmt.Errorf("case file manifest: %w", err)
	}
	body, err := json.MarshalIndent(z.manifest, "", "  ")
	if err != nil {
		return "", fmt.Errorf("case file manifest: %w", err)
	}
	if _, err := fw.Write(append(body, '\n')); err != nil {
		return "", fmt.Errorf("case file manifest: %w", err)
	}
	sum := sha256.Sum256(append(body, '\n'))
	return hex.EncodeToString(sum[:]), nil
}

// timelineCSV writes the timeline as CSV (package export: UTF-8 with a
// BOM, formulas defused), one row per event with its chain hashes.
func timelineCSV(w io.Writer, t *T, events []*redress.Event) error {
	ew, err := export.NewWriter(export.CSV, w)
	if err != nil {
		return err
	}
	cols := []export.Column{{Title: t.Get("audit.seq")}, {Title: t.Get("audit.at")}, {Title: t.Get("audit.actor")},
		{Title: t.Get("casefile.action_code")}, {Title: t.Get("audit.action")}, {Title: t.Get("event.changes")}, {Title: t.Get("audit.detail")},
		{Title: t.Get("casefile.prev_hash")}, {Title: t.Get("audit.hash")}}
	if err := ew.Table(t.Get("field.timeline"), cols); err != nil {
		return err
	}
	for _, e := range events {
		changes, err := json.Marshal(e.Changes)
		if err != nil {
			return err
		}
		if err := ew.Row(strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, t.EventAction(e.Action),
			string(changes), e.Detail, e.PrevHash, e.Hash); err != nil {
			return err
		}
	}
	return ew.Close()
}
