package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"redress"
)

// calendarRoutes are the holiday calendar: the API and the admin page.
func (s *Server) calendarRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/calendar", summary: "The holiday calendar of a region, year by year, embedded or overridden",
			query: []param{{"region", "string", "CN (default) or GB"}}, out: listAnswer[redress.ScheduleInfo]{}, handle: s.handleSchedules},
		{method: "PUT", path: "/api/v1/calendar/{region}/{year}", summary: "Set one year of a region's holiday calendar (admin): next year's notice, a closure",
			body: redress.YearSchedule{}, out: redress.ScheduleInfo{}, handle: s.handleScheduleSave},
		{method: "DELETE", path: "/api/v1/calendar/{region}/{year}", summary: "Remove an admin's calendar year, restoring the embedded one if any",
			out: statusAnswer{}, handle: s.handleScheduleDelete},
		{method: "GET", path: "/admin/calendar", access: pageAuth, handle: s.handleAdminCalendar},
		{method: "POST", path: "/admin/calendar", access: pageAuth, handle: s.handleAdminCalendarSave},
		{method: "POST", path: "/admin/calendar/{region}/{year}/delete", access: pageAuth, handle: s.handleAdminCalendarDelete},
	}
}

func (s *Server) handleSchedules(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Deadlines.Schedules(r.Context(), r.URL.Query().Get("region"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listAnswer[redress.ScheduleInfo]{Items: list})
	return nil
}

// pathYear reads the region and year of a calendar path; the body must name the same.
func pathYear(r *http.Request) (string, int, error) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		return "", 0, redress.Errorf(redress.ENOTFOUND, "no calendar year %s", r.PathValue("year"))
	}
	return r.PathValue("region"), year, nil
}

func (s *Server) handleScheduleSave(w http.ResponseWriter, r *http.Request) error {
	region, year, err := pathYear(r)
	if err != nil {
		return err
	}
	var sched redress.YearSchedule
	if err := readJSON(w, r, &sched); err != nil {
		return err
	}
	if sched.Region != region || sched.Year != year {
		return invalid("invalid input", map[string]string{"year": "the body must be the schedule of " + region + " " + strconv.Itoa(year)})
	}
	saved, err := s.svc.Deadlines.SaveSchedule(r.Context(), sched)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, saved)
	return nil
}

func (s *Server) handleScheduleDelete(w http.ResponseWriter, r *http.Request) error {
	region, year, err := pathYear(r)
	if err != nil {
		return err
	}
	if err := s.svc.Deadlines.DeleteSchedule(r.Context(), region, year); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusAnswer{Status: "deleted"})
	return nil
}

// calendarProblemPrefix prefixes the message of a notice problem's key.
const calendarProblemPrefix = "calendar.problem."

// calendarForm is the notice form of the admin calendar page: the notice's
// year, title and date, one row per range of days, and the problems of the
// last attempt, translated, by row and field.
type calendarForm struct {
	Region, Source, Issued string
	Year                   int
	Rows                   []calendarRow
	Problems               map[string]string // of the notice as a whole, by field
}

// calendarRow is one line of the form: a range of one kind.
type calendarRow struct {
	redress.NoticeEntry
	Problems map[string]string // by field: kind, name, from, to
}

// calendarYearView is one year of the calendar as the page lists it.
type calendarYearView struct {
	redress.ScheduleInfo
	Entries []redress.NoticeEntry
}

// calendarBlankRows is how many empty lines the form offers beyond its entries.
const calendarBlankRows = 8

// newCalendarForm returns the form holding n, padded with blank rows.
func newCalendarForm(n redress.Notice) *calendarForm {
	f := &calendarForm{Region: n.Region, Year: n.Year, Source: n.Source, Issued: n.Issued}
	for _, e := range n.Entries {
		f.Rows = append(f.Rows, calendarRow{NoticeEntry: e})
	}
	for blank := calendarBlankRows; blank > 0 || len(f.Rows) < 20; blank-- {
		f.Rows = append(f.Rows, calendarRow{NoticeEntry: redress.NoticeEntry{Kind: redress.NoticeStatutory}})
	}
	return f
}

func (s *Server) handleAdminCalendar(w http.ResponseWriter, r *http.Request) error {
	return s.adminCalendarPage(w, r, &pageData{}, nil)
}

// adminCalendarPage shows the calendar years of a region and the notice
// form: form when given (a rejected attempt), else the year ?edit= names,
// else a blank notice for the year after the last one.
func (s *Server) adminCalendarPage(w http.ResponseWriter, r *http.Request, d *pageData, form *calendarForm) error {
	region := r.URL.Query().Get("region")
	if region == "" {
		region = redress.RegionCN
	}
	list, err := s.svc.Deadlines.Schedules(r.Context(), region)
	if err != nil {
		return err
	}
	views := make([]calendarYearView, len(list))
	next := 0
	for i, info := range list {
		views[i] = calendarYearView{ScheduleInfo: info, Entries: redress.NoticeOf(info.YearSchedule).Entries}
		next = max(next, info.Year+1)
		if form == nil && r.URL.Query().Get("edit") == strconv.Itoa(info.Year) {
			form = newCalendarForm(redress.NoticeOf(info.YearSchedule))
		}
	}
	if form == nil {
		if next == 0 {
			next = redress.DateOf(s.now()).Year() + 1
		}
		n := redress.Notice{Region: region, Year: next}
		if region == redress.RegionCN {
			n.Source = "国务院办公厅关于" + strconv.Itoa(next) + "年部分节假日安排的通知"
		}
		form = newCalendarForm(n)
	}
	d.Title, d.Data = "admin.calendar", map[string]any{"Region": region, "Schedules": views, "Form": form,
		"Kinds": redress.NoticeKinds, "StatutoryDays": redress.StatutoryDaysCN}
	s.render(w, r, http.StatusOK, "admin_calendar", d)
	return nil
}

// noticeFromForm reads the notice form: the rows are the lists kind, name,
// from and to, in the order of the page.
func noticeFromForm(f url.Values) redress.Notice {
	year, _ := strconv.Atoi(strings.TrimSpace(f.Get("year")))
	n := redress.Notice{Region: strings.TrimSpace(f.Get("region")), Year: year, Source: f.Get("source"), Issued: f.Get("issued")}
	at := func(key string, i int) string {
		if vs := f[key]; i < len(vs) {
			return vs[i]
		}
		return ""
	}
	rows := max(len(f["kind"]), len(f["name"]), len(f["from"]), len(f["to"]))
	for i := 0; i < rows && i < 400; i++ {
		n.Entries = append(n.Entries, redress.NoticeEntry{Kind: redress.NoticeKind(at("kind", i)), Name: at("name", i), From: at("from", i), To: at("to", i)})
	}
	return n
}

func (s *Server) handleAdminCalendarSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	n := noticeFromForm(r.PostForm)
	sched, probs := redress.ScheduleFromNotice(n)
	if len(probs) > 0 {
		t := newT(s.ui.bundle, pageLang(r))
		form := newCalendarForm(n) // the rows typed, in order, then blank ones
		form.Problems = map[string]string{}
		for _, p := range probs {
			kv := []any{}
			for i, a := range p.Args {
				kv = append(kv, string(rune('A'+i)), a)
			}
			text := t.Get(calendarProblemPrefix+p.Key, kv...)
			if p.Entry < 0 || p.Entry >= len(form.Rows) {
				form.Problems[p.Field] = text
				continue
			}
			row := &form.Rows[p.Entry]
			if row.Problems == nil {
				row.Problems = map[string]string{}
			}
			row.Problems[p.Field] = text
		}
		return s.adminCalendarPage(w, r, &pageData{Error: "admin.calendar_invalid", Form: r.PostForm}, form)
	}
	_, err := s.svc.Deadlines.SaveSchedule(r.Context(), sched)
	return s.afterPost(w, r, err, "/admin/calendar?region="+url.QueryEscape(sched.Region), func(d *pageData) error {
		return s.adminCalendarPage(w, r, d, newCalendarForm(n))
	})
}

func (s *Server) handleAdminCalendarDelete(w http.ResponseWriter, r *http.Request) error {
	region, year, err := pathYear(r)
	if err != nil {
		return err
	}
	err = s.svc.Deadlines.DeleteSchedule(r.Context(), region, year)
	return s.afterPost(w, r, err, "/admin/calendar", func(d *pageData) error { return s.adminCalendarPage(w, r, d, nil) })
}
