package web

import (
	"net/http"
	"strconv"

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

func (s *Server) handleAdminCalendar(w http.ResponseWriter, r *http.Request) error {
	return s.adminCalendarPage(w, r, &pageData{})
}

func (s *Server) adminCalendarPage(w http.ResponseWriter, r *http.Request, d *pageData) error {
	region := r.URL.Query().Get("region")
	if region == "" {
		region = redress.RegionCN
	}
	list, err := s.svc.Deadlines.Schedules(r.Context(), region)
	if err != nil {
		return err
	}
	d.Title, d.Data = "admin.calendar", map[string]any{"Region": region, "Schedules": list}
	s.render(w, r, http.StatusOK, "admin_calendar", d)
	return nil
}

func (s *Server) handleAdminCalendarSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	sched, err := redress.ParseSchedule([]byte(r.PostForm.Get("schedule")))
	if err == nil {
		_, err = s.svc.Deadlines.SaveSchedule(r.Context(), sched)
	} else if redress.ErrorCode(err) == redress.EINTERNAL {
		err = invalid("the schedule is not valid JSON: "+err.Error(), nil)
	}
	return s.afterPost(w, r, err, "/admin/calendar", func(d *pageData) error { return s.adminCalendarPage(w, r, d) })
}

func (s *Server) handleAdminCalendarDelete(w http.ResponseWriter, r *http.Request) error {
	year, _ := strconv.Atoi(r.PathValue("year"))
	err := s.svc.Deadlines.DeleteSchedule(r.Context(), r.PathValue("region"), year)
	return s.afterPost(w, r, err, "/admin/calendar", func(d *pageData) error { return s.adminCalendarPage(w, r, d) })
}
