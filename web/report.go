package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"redress"
	"redress/export"
)

// This file is the regulator's forms (监管报表): the quarterly JR/T 0169
// table, the complaints per 1,000 outlets and per 10 million personal
// customers, and the annual public disclosure, each by the API (JSON, or
// format=csv|xlsx) and as a page with its export. Every number comes from
// the report service, which takes it from the statistics engine.

// reportRoutes are the forms' API operations and pages.
func (s *Server) reportRoutes() []route {
	quarter := param{"quarter", "string", "YYYY-Q1…Q4 (required)"}
	org := param{"org", "string", "a unit code: its subtree (default: the caller's unit)"}
	format := param{"format", "string", "json (default), or csv or xlsx (also by Accept)"}
	return []route{
		{method: "GET", path: "/api/v1/reports/jrt", summary: "The quarterly JR/T 0169-2018 table: complaints by channel (A) × business (B) × cause (C); a missing code counts under 99",
			query: []param{quarter, org, format}, out: redress.JRTTable{}, handle: s.handleJRT},
		{method: "GET", path: "/api/v1/reports/density", summary: "Complaints per 1,000 outlets, per 10 million and per million personal customers, against the counts in effect at the quarter's end (null when a unit has none)",
			query: []param{quarter, org, format}, out: redress.DensityReport{}, handle: s.handleDensity},
		{method: "GET", path: "/api/v1/reports/disclosure", summary: "The annual public disclosure of complaints (年度投诉情况公开): volume, by business, by region, handling",
			query: []param{{"year", "string", "YYYY (required)"}, org, format}, out: redress.Disclosure{}, handle: s.handleDisclosure},
		{method: "GET", path: "/reports/jrt", access: pageAuth, handle: s.handleJRTPage},
		{method: "GET", path: "/reports/density", access: pageAuth, handle: s.handleDensityPage},
		{method: "GET", path: "/reports/disclosure", access: pageAuth, handle: s.handleDisclosurePage},
	}
}

// quarterQuery reads a form's quarter and unit; a malformed quarter is 400
// naming "quarter".
func quarterQuery(quarter, org string) (redress.ReportQuery, error) {
	from, to, err := redress.PeriodOf(redress.PeriodQuarter, quarter)
	if err != nil {
		var p redress.Problems
		p.AddKey("quarter", redress.ProblemOneOf, "YYYY-Q1…Q4")
		return redress.ReportQuery{}, p.Err()
	}
	return redress.ReportQuery{From: from.String(), To: to.String(), Org: org}, nil
}

func (s *Server) handleJRT(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rq, err := quarterQuery(q.Get("quarter"), q.Get("org"))
	if err != nil {
		return err
	}
	table, err := s.svc.Reports.JRT(r.Context(), rq)
	if err != nil {
		return err
	}
	return s.answerReport(w, r, table, func(f export.Format) error { return s.exportJRT(w, r, f, q.Get("quarter"), table) })
}

func (s *Server) handleDensity(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rq, err := quarterQuery(q.Get("quarter"), q.Get("org"))
	if err != nil {
		return err
	}
	rep, err := s.svc.Reports.Density(r.Context(), rq)
	if err != nil {
		return err
	}
	return s.answerReport(w, r, rep, func(f export.Format) error { return s.exportDensity(w, r, f, q.Get("quarter"), rep) })
}

func (s *Server) handleDisclosure(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d, err := s.svc.Reports.Disclosure(r.Context(), q.Get("year"), q.Get("org"))
	if err != nil {
		return err
	}
	return s.answerReport(w, r, d, func(f export.Format) error { return s.exportDisclosure(w, r, f, d) })
}

// answerReport answers a form as JSON or, when a file is asked for, as
// the export.
func (s *Server) answerReport(w http.ResponseWriter, r *http.Request, v any, file func(export.Format) error) error {
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	if format != "" {
		return file(format)
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// codeLabels names every code in the page's language ("B06 自营理财").
func (s *Server) codeLabels(ctx context.Context, t *T) (map[string]string, error) {
	codes, err := s.svc.Codes.ListCodes(ctx, "")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range codes {
		name := c.Name
		if t.Lang == "en" {
			name = c.NameEN
		}
		out[c.Code] = name
	}
	return out, nil
}

// reportPage is what a form's page shows.
type reportPage struct {
	Quarter, Year, Org string
	Units              []*redress.OrgUnit
	Codes              map[string]string // code → name
	JRT                *redress.JRTTable
	Density            *redress.DensityReport
	Disclosure         *redress.Disclosure
	// XLSX and CSV are the form's export links.
	XLSX, CSV string
}

// exportLinks sets the form's export links: the API's path with the
// page's query and a format.
func (p *reportPage) exportLinks(path string, q url.Values) {
	q.Set("format", "xlsx")
	p.XLSX = path + "?" + q.Encode()
	q.Set("format", "csv")
	p.CSV = path + "?" + q.Encode()
}

// reportPageData starts a form's page: the units of the caller's scope.
func (s *Server) reportPageData(r *http.Request, title string) (*pageData, *reportPage, error) {
	ctx := r.Context()
	u, err := redress.RequireUser(ctx)
	if err != nil {
		return nil, nil, err
	}
	t := newT(s.ui.bundle, pageLang(r))
	p := &reportPage{Quarter: r.URL.Query().Get("quarter"), Year: r.URL.Query().Get("year"), Org: r.URL.Query().Get("org")}
	sp := &statsPage{}
	if err := s.loadStatsUnits(ctx, u, sp); err != nil {
		return nil, nil, err
	}
	p.Units = sp.Units
	if p.Codes, err = s.codeLabels(ctx, t); err != nil {
		return nil, nil, err
	}
	return &pageData{T: t, Title: title, Data: p}, p, nil
}

// renderReport shows the form, or the page with the problem when the
// service refused the query (a malformed period, a unit out of scope).
func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, name string, d *pageData, err error) error {
	switch code := redress.ErrorCode(err); {
	case err == nil:
	case code == redress.EINVALID || code == redress.ENOTFOUND:
		d.Error, d.Fields = redress.ErrorMessage(err), pageFields(err)
	default:
		return err
	}
	s.render(w, r, http.StatusOK, name, d)
	return nil
}

func (s *Server) handleJRTPage(w http.ResponseWriter, r *http.Request) error {
	d, p, err := s.reportPageData(r, "report.jrt")
	if err != nil {
		return err
	}
	if p.Quarter == "" {
		p.Quarter = redress.LastQuarter(redress.DateOf(s.now().In(redress.Beijing)))
	}
	p.exportLinks("/api/v1/reports/jrt", url.Values{"quarter": {p.Quarter}, "org": {p.Org}})
	rq, err := quarterQuery(p.Quarter, p.Org)
	if err == nil {
		p.JRT, err = s.svc.Reports.JRT(r.Context(), rq)
	}
	return s.renderReport(w, r, "report_jrt", d, err)
}

func (s *Server) handleDensityPage(w http.ResponseWriter, r *http.Request) error {
	d, p, err := s.reportPageData(r, "report.density")
	if err != nil {
		return err
	}
	if p.Quarter == "" {
		p.Quarter = redress.LastQuarter(redress.DateOf(s.now().In(redress.Beijing)))
	}
	p.exportLinks("/api/v1/reports/density", url.Values{"quarter": {p.Quarter}, "org": {p.Org}})
	rq, err := quarterQuery(p.Quarter, p.Org)
	if err == nil {
		p.Density, err = s.svc.Reports.Density(r.Context(), rq)
	}
	return s.renderReport(w, r, "report_density", d, err)
}

func (s *Server) handleDisclosurePage(w http.ResponseWriter, r *http.Request) error {
	d, p, err := s.reportPageData(r, "report.disclosure")
	if err != nil {
		return err
	}
	if p.Year == "" {
		p.Year = strconv.Itoa(s.now().In(redress.Beijing).Year() - 1)
	}
	p.exportLinks("/api/v1/reports/disclosure", url.Values{"year": {p.Year}, "org": {p.Org}})
	p.Disclosure, err = s.svc.Reports.Disclosure(r.Context(), p.Year, p.Org)
	return s.renderReport(w, r, "report_disclosure", d, err)
}

// exportJRT streams the JR/T table: the cells, then a sheet per margin.
func (s *Server) exportJRT(w http.ResponseWriter, r *http.Request, f export.Format, quarter string, table *redress.JRTTable) error {
	t := newT(s.ui.bundle, pageLang(r))
	names, err := s.codeLabels(r.Context(), t)
	if err != nil {
		return err
	}
	code, name := export.Column{Title: t.Get("field.code")}, export.Column{Title: t.Get("report.name"), Width: 26}
	count := export.Column{Title: t.Get("stats.count"), Kind: export.Int}
	return s.streamExport(w, r, f, "jrt-"+quarter, redress.ExportRecord{What: redress.ExportJRT, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			rows := 0
			if err := ew.Table(t.Get("report.jrt_cells"), []export.Column{code, name, code, name, code, name, count}); err != nil {
				return rows, err
			}
			for _, c := range table.Cells {
				if err := ew.Row(c.A, names[c.A], c.B, names[c.B], c.C, names[c.C], c.Count); err != nil {
					return rows, err
				}
				rows++
			}
			for _, margin := range []struct {
				title  string
				counts []redress.CodeCount
			}{{"stats.table.code_a", table.ByA}, {"stats.table.code_b", table.ByB}, {"stats.table.code_c", table.ByC}} {
				if err := ew.Table(t.Get(margin.title), []export.Column{code, name, count}); err != nil {
					return rows, err
				}
				for _, c := range margin.counts {
					if err := ew.Row(c.Code, names[c.Code], c.Count); err != nil {
						return rows, err
					}
					rows++
				}
				if err := ew.Row(t.Get("report.total"), "", table.Total); err != nil {
					return rows, err
				}
				rows++
			}
			return rows, nil
		})
}

// exportDensity streams the ratios, a missing one as an empty cell.
func (s *Server) exportDensity(w http.ResponseWriter, r *http.Request, f export.Format, quarter string, rep *redress.DensityReport) error {
	t := newT(s.ui.bundle, pageLang(r))
	// The ratios are numbers of two places (an amount's format); a missing
	// one is the text that says so.
	ratio := func(key string) export.Column {
		return export.Column{Title: t.Get(key), Kind: export.Amount, Width: 18}
	}
	cols := []export.Column{{Title: t.Get("field.org"), Width: 20}, {Title: t.Get("field.code")}, {Title: t.Get("report.complaints"), Kind: export.Int},
		{Title: t.Get("report.counts_from"), Kind: export.Date, Width: 12}, {Title: t.Get("report.outlets")},
		{Title: t.Get("report.personal_customers"), Width: 14},
		ratio("report.per_1000_outlets"), ratio("report.per_10m_customers"), ratio("report.per_million_customers")}
	return s.streamExport(w, r, f, "density-"+quarter, redress.ExportRecord{What: redress.ExportDensity, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			if err := ew.Table(t.Get("report.density"), cols); err != nil {
				return 0, err
			}
			for i, row := range rep.Rows {
				missing := t.Get("report.missing")
				outlets, customers, a, b, c := missing, missing, missing, missing, missing
				if row.Outlets != nil {
					outlets, customers = itoa(*row.Outlets), strconv.FormatInt(*row.PersonalCustomers, 10)
					a, b, c = fixed2(*row.PerThousandOutlets), fixed2(*row.PerTenMillionCustomers), fixed2(*row.PerMillionCustomers)
				}
				if err := ew.Row(row.Name, row.Org, row.Complaints, row.CountsFrom, outlets, customers, a, b, c); err != nil {
					return i, err
				}
			}
			return len(rep.Rows), nil
		})
}

// fixed2 is a ratio as the notices print it, two places.
func fixed2(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// exportDisclosure streams the disclosure: the volume and handling, by
// business, by region.
func (s *Server) exportDisclosure(w http.ResponseWriter, r *http.Request, f export.Format, d *redress.Disclosure) error {
	t := newT(s.ui.bundle, pageLang(r))
	names, err := s.codeLabels(r.Context(), t)
	if err != nil {
		return err
	}
	return s.streamExport(w, r, f, "disclosure-"+d.Year, redress.ExportRecord{What: redress.ExportDisclosure, Filter: r.URL.RawQuery},
		func(ew export.Writer) (int, error) {
			rows := 0
			row := func(values ...any) error {
				rows++
				return ew.Row(values...)
			}
			if err := ew.Table(t.Get("report.disclosure"), []export.Column{{Title: t.Get("stats.key"), Width: 24},
				{Title: d.Year, Width: 16}}); err != nil {
				return rows, err
			}
			for _, line := range []struct {
				key   string
				value any
			}{{"report.complaints", d.Received}, {"report.prior_year", d.PriorReceived}, {"stats.closed", d.Closed},
				{"stats.on_time_decision", percentText(d.OnTime.Rate) + " (" + itoa(d.OnTime.OnTime) + "/" + itoa(d.OnTime.Ended) + ")"},
				{"stats.upheld", d.Upheld}, {"report.partly_upheld", d.PartlyUpheld}} {
				if err := row(t.Get(line.key), line.value); err != nil {
					return rows, err
				}
			}
			if err := ew.Table(t.Get("report.by_business"), []export.Column{{Title: t.Get("field.code")}, {Title: t.Get("report.name"), Width: 26},
				{Title: t.Get("stats.count"), Kind: export.Int}, {Title: t.Get("stats.share"), Kind: export.Share}}); err != nil {
				return rows, err
			}
			for _, c := range d.ByBusiness {
				if err := row(c.Code, names[c.Code], c.Count, c.Share); err != nil {
					return rows, err
				}
			}
			if err := ew.Table(t.Get("report.by_region"), []export.Column{{Title: t.Get("field.org"), Width: 20}, {Title: t.Get("field.code")},
				{Title: t.Get("stats.count"), Kind: export.Int}, {Title: t.Get("stats.share"), Kind: export.Share},
				{Title: t.Get("stats.closed"), Kind: export.Int}, {Title: t.Get("stats.on_time_decision"), Kind: export.Share}}); err != nil {
				return rows, err
			}
			for _, us := range d.ByRegion {
				if err := row(us.Name, us.Org, us.Received, us.Share, us.Closed, us.DecisionOnTime.Rate); err != nil {
					return rows, err
				}
			}
			return rows, nil
		})
}
