package web

import (
	"net/http"

	"redress"
)

// unitReportRoutes are the units' monthly reports to their superiors
// (统计、分析、上报): the API and the page.
func (s *Server) unitReportRoutes() []route {
	month := param{"month", "string", "YYYY-MM (required)"}
	return []route{
		{method: "GET", path: "/api/v1/unit-reports", summary: "The caller's unit and the units directly under it: each one's report of the month, submitted or missing",
			query: []param{month}, out: listAnswer[redress.UnitReport]{}, handle: s.handleUnitReports},
		{method: "POST", path: "/api/v1/unit-reports", summary: "Submit the caller's unit's report of a month that has ended (the unit's head): the month's statistics, frozen",
			status: http.StatusCreated, body: unitReportRequest{}, out: redress.UnitReport{}, handle: s.handleUnitReportSubmit},
		{method: "GET", path: "/api/v1/unit-reports/{org}/{month}", summary: "One unit's submitted report with its frozen statistics",
			out: redress.UnitReport{}, handle: s.handleUnitReport},
		{method: "GET", path: "/reports/unit", access: pageAuth, handle: s.handleUnitReportsPage},
		{method: "POST", path: "/reports/unit", access: pageAuth, handle: s.handleUnitReportSubmitPage},
		{method: "GET", path: "/reports/unit/{org}/{month}", access: pageAuth, handle: s.handleUnitReportPage},
	}
}

// unitReportRequest asks to submit the report of a month.
type unitReportRequest struct {
	Month string `json:"month"`
}

func (s *Server) handleUnitReports(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.UnitReports.UnitReports(r.Context(), r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.UnitReport]{Items: list})
	return nil
}

func (s *Server) handleUnitReportSubmit(w http.ResponseWriter, r *http.Request) error {
	var req unitReportRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	rep, err := s.svc.UnitReports.SubmitUnitReport(r.Context(), req.Month)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rep)
	return nil
}

func (s *Server) handleUnitReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.svc.UnitReports.UnitReport(r.Context(), r.PathValue("org"), r.PathValue("month"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// unitReportsPage is what the page of the monthly reports shows.
type unitReportsPage struct {
	Month     string
	Reports   []redress.UnitReport
	MaySubmit bool // the caller heads the unit and its report is missing
	Report    *redress.UnitReport
}

func (s *Server) handleUnitReportsPage(w http.ResponseWriter, r *http.Request) error {
	return s.unitReportsPage(w, r, &pageData{}, r.URL.Query().Get("month"))
}

func (s *Server) unitReportsPage(w http.ResponseWriter, r *http.Request, d *pageData, month string) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	if month == "" {
		month = redress.LastMonth(redress.DateOf(s.now().In(redress.Beijing)))
	}
	p := &unitReportsPage{Month: month}
	d.Title, d.Data = "report.unit", p
	p.Reports, err = s.svc.UnitReports.UnitReports(r.Context(), month)
	if code := redress.ErrorCode(err); code == redress.EINVALID {
		d.Error, d.Fields = redress.ErrorMessage(err), pageFields(err)
	} else if err != nil {
		return err
	}
	for _, rep := range p.Reports {
		if rep.Org == u.OrgCode && !rep.Submitted && redress.MaySubmitUnitReport(u.Role) {
			p.MaySubmit = true
		}
	}
	s.render(w, r, http.StatusOK, "report_unit", d)
	return nil
}

func (s *Server) handleUnitReportSubmitPage(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	month := r.PostForm.Get("month")
	_, err := s.svc.UnitReports.SubmitUnitReport(r.Context(), month)
	return s.afterPost(w, r, err, "/reports/unit?month="+month, func(d *pageData) error { return s.unitReportsPage(w, r, d, month) })
}

func (s *Server) handleUnitReportPage(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.svc.UnitReports.UnitReport(r.Context(), r.PathValue("org"), r.PathValue("month"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "report_unit", &pageData{Title: "report.unit", Data: &unitReportsPage{Month: rep.Month, Report: rep}})
	return nil
}
