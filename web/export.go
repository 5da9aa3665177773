package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"redress"
	"redress/export"
)

// This file streams lists and reports as CSV or XLSX (package export): the
// case list with any filter, the search results, the statistics and the
// audit trail (auditors), by the API (format=csv or xlsx, or the matching
// Accept) and from the pages. What a row shows is what
// the screen shows: personal data masked as the services answer it. Every
// export is an audit event naming who, what filter and how many rows.

// exportFormat reads the format a request asks for; "" for JSON.
// exportFormats are the values of an export's format parameter.
var exportFormats = []string{"json", "csv", "xlsx"}

func exportFormat(r *http.Request) (export.Format, error) {
	f, err := export.FormatOf(r.URL.Query().Get("format"), r.Header.Get("Accept"))
	if err != nil {
		return "", invalid("invalid input", map[string]string{"format": "want csv, xlsx or json"})
	}
	return f, nil
}

// streamExport writes an export as a download: fill writes its tables and
// says how many rows it wrote; then the export is recorded in the audit
// trail, even when the client hung up half way (the rows sent are counted).
// An error after the first byte cannot change the answer: it is logged.
func (s *Server) streamExport(w http.ResponseWriter, r *http.Request, f export.Format, name string, rec redress.ExportRecord,
	fill func(ew export.Writer) (int, error)) error {
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", `attachment; filename="`+export.Filename(name, f)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	live := &liveExport{rc: http.NewResponseController(w), w: w}
	live.extend()
	ew, err := export.NewWriter(f, live)
	if err != nil {
		return err
	}
	rows, err := fill(liveRows{Writer: ew, live: live})
	if cerr := ew.Close(); err == nil {
		err = cerr
	}
	rec.Rows, rec.Format = rows, string(f)
	if aerr := s.svc.Exports.RecordExport(context.WithoutCancel(r.Context()), rec); aerr != nil {
		s.log.Error("record export", "what", rec.What, "err", aerr)
	}
	if err != nil {
		s.log.Warn("export cut short", "what", rec.What, "rows", rows, "err", err)
	}
	return nil
}

// exportWriteWindow is how long an export may go without progress (a row
// made or a byte taken by the client) before its connection is cut: the
// server's write timeout (60 s) would otherwise end any export longer than
// it, and an XLSX sends nothing until its last row is written.
const exportWriteWindow = 60 * time.Second

// liveExport keeps an export's write deadline exportWriteWindow ahead of
// its last progress; a client that stops reading is still cut, a window
// after its last read. It moves the deadline at most once a second.
type liveExport struct {
	rc    *http.ResponseController
	w     io.Writer
	moved time.Time
}

// extend moves the write deadline (real time: a network deadline, not the
// application's clock).
func (l *liveExport) extend() {
	if now := time.Now(); now.Sub(l.moved) >= time.Second {
		l.moved = now
		_ = l.rc.SetWriteDeadline(now.Add(exportWriteWindow)) // a writer without deadlines (a test's recorder) has none to move
	}
}

func (l *liveExport) Write(p []byte) (int, error) {
	l.extend()
	return l.w.Write(p)
}

// liveRows extends the deadline with every row.
type liveRows struct {
	export.Writer
	live *liveExport
}

func (l liveRows) Row(values ...any) error {
	l.live.extend()
	return l.Writer.Row(values...)
}

// exportCases streams every case of the filter, a page of the store's
// lean export read at a time (redress.ExportPageLimit rows, never the whole
// list in memory). The first page is read before the answer starts, so a
// refused filter is a 400.
func (s *Server) exportCases(w http.ResponseWriter, r *http.Request, f export.Format, filter redress.CaseFilter) error {
	filter.Cursor = ""
	page, err := s.svc.Exports.CaseSheet(r.Context(), filter)
	if err != nil {
		return err
	}
	t := newT(s.ui.bundle, pageLang(r))
	return s.streamExport(w, r, f, "cases-"+s.now().Format("20060102"), redress.ExportRecord{What: redress.ExportCases, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) { return s.writeCaseSheet(r.Context(), t, ew, filter, page) })
}

// writeCaseSheet writes the case list's sheet from its first page on, a
// page at a time, and says how many rows it wrote.
func (s *Server) writeCaseSheet(ctx context.Context, t *T, ew export.Writer, filter redress.CaseFilter, page *redress.CaseSheetPage) (int, error) {
	cols := []export.Column{{Title: t.Get("workbench.no"), Width: 20}, {Title: t.Get("field.kind")}, {Title: t.Get("field.channel")},
		{Title: t.Get("field.received_at"), Kind: export.DateTime, Width: 18}, {Title: t.Get("field.name")},
		{Title: t.Get("field.id_number"), Width: 22}, {Title: t.Get("field.phone"), Width: 14}, {Title: t.Get("field.subject"), Width: 40},
		{Title: t.Get("field.code_b")}, {Title: t.Get("field.org")}, {Title: t.Get("field.handler")}, {Title: t.Get("field.level"), Kind: export.Int},
		{Title: t.Get("field.status")}, {Title: t.Get("field.decision_due"), Kind: export.Date, Width: 12},
		{Title: t.Get("stats.open_overdue")}, {Title: t.Get("field.amount"), Kind: export.Amount}}
	if err := ew.Table(t.Get("export.cases"), cols); err != nil {
		return 0, err
	}
	yes := t.Get("admin.yes")
	labels := map[string]string{} // a few dozen values, translated once each
	label := func(kind, value string) string {
		key := kind + "." + value
		l, ok := labels[key]
		if !ok {
			l = t.Label(kind, value)
			labels[key] = l
		}
		return l
	}
	rows := 0
	for {
		// The next page is read while this one is written: the store's
		// query and the writer (XLSX's is the dearer) each keep a core.
		var pending <-chan sheetPage
		if page.NextCursor != "" {
			pending = s.readCaseSheet(ctx, filter, page.NextCursor)
		}
		for _, c := range page.Rows {
			overdue := ""
			if c.Overdue {
				overdue = yes
			}
			if err := ew.Row(c.No, label("kind", string(c.Kind)), label("channel", string(c.Channel)), c.ReceivedAt, c.Name,
				c.IDNumber, c.Phone, c.Subject, c.CodeB, c.Org, c.Handler, c.Level,
				label("status", string(c.Status)), c.DecisionDue, overdue, c.Amount); err != nil {
				return rows, err
			}
			rows++
		}
		if pending == nil || ctx.Err() != nil {
			return rows, ctx.Err()
		}
		next := <-pending
		if next.err != nil {
			return rows, next.err
		}
		page = next.page
	}
}

// sheetPage is a page of the case sheet as read in the background.
type sheetPage struct {
	page *redress.CaseSheetPage
	err  error
}

// readCaseSheet reads the sheet's page after cursor in a goroutine; the
// channel holds the answer, so the goroutine ends even if nobody takes it.
func (s *Server) readCaseSheet(ctx context.Context, filter redress.CaseFilter, cursor string) <-chan sheetPage {
	out := make(chan sheetPage, 1)
	filter.Cursor = cursor
	go func() {
		page, err := s.svc.Exports.CaseSheet(ctx, filter)
		out <- sheetPage{page, err}
	}()
	return out
}

// exportStats streams the statistics: a summary sheet with the comparison
// periods, the trend, the units and a sheet per breakdown, every number as
// the statistics service gave it.
func (s *Server) exportStats(w http.ResponseWriter, r *http.Request, f export.Format, st *redress.Stats) error {
	ctx := r.Context()
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return err
	}
	t := newT(s.ui.bundle, pageLang(r))
	p := &statsPage{Org: st.Org, Stats: st}
	if err := s.loadStatsUnits(ctx, u, p); err != nil {
		return err
	}
	if err := s.nameStats(ctx, t, p); err != nil {
		return err
	}
	return s.streamExport(w, r, f, "stats-"+st.From+"-"+st.To, redress.ExportRecord{What: redress.ExportStats, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			rows := 0
			row := func(values ...any) error {
				rows++
				return ew.Row(values...)
			}
			if err := ew.Table(t.Get("stats.summary"), []export.Column{{Title: t.Get("stats.key"), Width: 24},
				{Title: st.From + " – " + st.To, Width: 24}, {Title: t.Get("stats.prior"), Width: 14}, {Title: t.Get("stats.last_year"), Width: 14}}); err != nil {
				return rows, err
			}
			for _, line := range []struct {
				key             string
				now, prior, ago int
			}{
				{"stats.received", st.Received, st.Prior.Received, st.LastYear.Received},
				{"stats.closed", st.Closed, st.Prior.Closed, st.LastYear.Closed},
				{"stats.escalated", st.Escalated, st.Prior.Escalated, st.LastYear.Escalated},
				{"stats.repeat", st.Repeat, st.Prior.Repeat, st.LastYear.Repeat},
				{"stats.complainants", st.Repeats.Complainants, st.Prior.Repeats.Complainants, st.LastYear.Repeats.Complainants},
				{"stats.repeat_complainants_count", st.Repeats.RepeatComplainants, st.Prior.Repeats.RepeatComplainants, st.LastYear.Repeats.RepeatComplainants},
				{"stats.repeat_after_closed", st.Repeats.AfterClosed, st.Prior.Repeats.AfterClosed, st.LastYear.Repeats.AfterClosed},
				{"stats.upheld", st.Upheld, st.Prior.Upheld, st.LastYear.Upheld},
				{"stats.open_overdue", st.OpenOverdue, st.Prior.OpenOverdue, st.LastYear.OpenOverdue},
				{"stats.regulator", st.Regulator, st.Prior.Regulator, st.LastYear.Regulator},
			} {
				if err := row(t.Get(line.key), line.now, line.prior, line.ago); err != nil {
					return rows, err
				}
			}
			for _, clock := range []struct{ name, title string }{{"reply", t.Get("stats.on_time_reply")}, {"decision", t.Get("stats.on_time_decision")}} {
				c := st.OnTime[clock.name]
				if err := row(clock.title, percentText(c.Rate)+" ("+itoa(c.OnTime)+"/"+itoa(c.Ended)+")", "", ""); err != nil {
					return rows, err
				}
			}
			if err := row(t.Get("stats.days_to_decision"), t.Get("stats.median", "Median", st.DaysToDecision.Median, "Cases", st.DaysToDecision.Cases)+
				" · "+ftoa(st.DaysToDecision.Mean), "", ""); err != nil {
				return rows, err
			}
			if err := ew.Table(t.Get("stats.trend"), []export.Column{{Title: t.Get("workbench.from"), Kind: export.Date, Width: 12},
				{Title: t.Get("stats.received"), Kind: export.Int}}); err != nil {
				return rows, err
			}
			for _, tp := range st.Trend {
				if err := row(tp.Start, tp.Count); err != nil {
					return rows, err
				}
			}
			if err := ew.Table(t.Get("stats.units"), []export.Column{{Title: t.Get("field.org"), Width: 20}, {Title: t.Get("field.code")},
				{Title: t.Get("stats.received"), Kind: export.Int}, {Title: t.Get("stats.share"), Kind: export.Share},
				{Title: t.Get("stats.closed"), Kind: export.Int}, {Title: t.Get("stats.escalated"), Kind: export.Int},
				{Title: t.Get("stats.repeat"), Kind: export.Int}, {Title: t.Get("stats.open_overdue"), Kind: export.Int},
				{Title: t.Get("stats.on_time_decision"), Kind: export.Share}}); err != nil {
				return rows, err
			}
			for _, us := range st.Units {
				if err := row(us.Name, us.Org, us.Received, us.Share, us.Closed, us.Escalated, us.Repeat, us.OpenOverdue, us.DecisionOnTime.Rate); err != nil {
					return rows, err
				}
			}
			for _, table := range p.Tables {
				if err := ew.Table(t.Get(table.Title), []export.Column{{Title: t.Get("stats.key"), Width: 30}, {Title: t.Get("field.code")},
					{Title: t.Get("stats.count"), Kind: export.Int}, {Title: t.Get("stats.share"), Kind: export.Share},
					{Title: t.Get("stats.prior"), Kind: export.Int}, {Title: t.Get("stats.last_year"), Kind: export.Int}}); err != nil {
					return rows, err
				}
				for _, fr := range table.Rows {
					if err := row(fr.Label, fr.Key, fr.Count, fr.Share, fr.Prior, fr.LastYear); err != nil {
						return rows, err
					}
				}
			}
			return rows, nil
		})
}

// exportAudit streams every audit event of the filter, newest first, a page
// of 500 at a time (never the whole trail in memory), from the filter's
// "before" if it has one; its "limit" is the page size of the JSON answer
// and does not cut the file. The first page is read before the answer
// starts, so a refused filter (or a caller who is not an auditor) is
// answered as the JSON list would be. An event is written as the JSON
// answer shows it: its changes with personal data masked.
func (s *Server) exportAudit(w http.ResponseWriter, r *http.Request, f export.Format, filter redress.AuditFilter) error {
	ctx := r.Context()
	filter.Limit = redress.MaxEventLimit
	page, err := s.svc.Audit.ListEvents(ctx, filter)
	if err != nil {
		return err
	}
	t := newT(s.ui.bundle, pageLang(r))
	cols := []export.Column{{Title: t.Get("audit.seq"), Kind: export.Int}, {Title: t.Get("audit.at"), Kind: export.DateTime, Width: 18},
		{Title: t.Get("audit.actor"), Width: 16}, {Title: t.Get("audit.action"), Width: 22}, {Title: t.Get("audit.subject_kind")},
		{Title: t.Get("audit.subject_id"), Width: 20}, {Title: t.Get("audit.detail"), Width: 40}, {Title: t.Get("event.changes"), Width: 60},
		{Title: t.Get("audit.hash"), Width: 66}}
	return s.streamExport(w, r, f, "audit-"+s.now().Format("20060102"), redress.ExportRecord{What: redress.ExportAudit, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(t.Get("export.audit"), cols); err != nil {
				return 0, err
			}
			rows := 0
			for {
				for _, e := range page.Events {
					if err := ew.Row(int(e.Seq), e.At, e.Actor, e.Action, string(e.Subject.Kind), e.Subject.ID, e.Detail,
						changesText(e.Changes), e.Hash); err != nil {
						return rows, err
					}
					rows++
				}
				if page.NextBefore == 0 || ctx.Err() != nil {
					return rows, ctx.Err()
				}
				filter.Before = page.NextBefore
				if page, err = s.svc.Audit.ListEvents(ctx, filter); err != nil {
					return rows, err
				}
			}
		})
}

// changesText is an event's changes in one cell: "field: before → after",
// a line each.
func changesText(changes []redress.Change) string {
	var b strings.Builder
	for i, c := range changes {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(c.Field + ": " + c.Before + " → " + c.After)
	}
	return b.String()
}

// exportSearch streams the results of a search, best first, as the search
// page shows them: the case (personal data masked as the service answers
// it) and the fragment that matched.
func (s *Server) exportSearch(w http.ResponseWriter, r *http.Request, f export.Format, results []*redress.SearchResult) error {
	t := newT(s.ui.bundle, pageLang(r))
	cols := []export.Column{{Title: t.Get("workbench.no"), Width: 20}, {Title: t.Get("field.status")}, {Title: t.Get("field.kind")},
		{Title: t.Get("field.received_at"), Kind: export.DateTime, Width: 18}, {Title: t.Get("field.org")}, {Title: t.Get("field.name")},
		{Title: t.Get("field.subject"), Width: 40}, {Title: t.Get("search.field")}, {Title: t.Get("search.fragment"), Width: 60}}
	return s.streamExport(w, r, f, "search-"+s.now().Format("20060102"), redress.ExportRecord{What: redress.ExportSearch, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(t.Get("export.search"), cols); err != nil {
				return 0, err
			}
			for i, res := range results {
				c, fr := res.Case, res.Fragment
				field := ""
				if fr.Field != "" {
					field = t.Get(fmt.Sprintf("search.field_%s", fr.Field)) // as the search page names it
				}
				if err := ew.Row(c.No, t.Label("status", c.Status), t.Label("kind", c.Kind), c.ReceivedAt, c.Org, c.Complainant.Name,
					c.Subject, field, fr.Before+fr.Match+fr.After); err != nil {
					return i, err
				}
			}
			return len(results), nil
		})
}

func itoa(n int) string            { return strconv.Itoa(n) }
func ftoa(f float64) string        { return strconv.FormatFloat(f, 'f', -1, 64) }
func percentText(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }
